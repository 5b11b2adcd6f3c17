// A connector could not get core memory within the configured budget (init({ memoryLimit })) for
// its state or per-batch work. Nothing of the batch was counted; the connector's state is intact.

export class CoreMemoryError extends Error {
  override readonly name = 'CoreMemoryError';

  constructor(
    /** What needed the memory: `connectors.spanmetrics: state`, `connectors.servicegraph: batch`. */
    readonly what: string,
    /** Bytes requested, when known (0 otherwise). */
    readonly bytes: number,
  ) {
    super(`${what}: the core's memory budget refused ${bytes ? `${bytes} bytes` : 'an allocation'}; raise init({ memoryLimit }) or lower the connector's limits`);
  }
}
