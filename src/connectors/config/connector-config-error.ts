// The error a connector's configuration raises: it names the config path of the offending key
// (`connectors.spanmetrics/red.histogram.explicit.buckets[2]`) and what is wrong with it.

export class ConnectorConfigError extends Error {
  override readonly name = 'ConnectorConfigError';

  constructor(
    /** Where: the full config path of the key. */
    readonly path: string,
    /** What: the rule broken, without the path. */
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}
