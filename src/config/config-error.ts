// Errors in a collector-shaped config. They name the key path (`processors.batch.timeout`), the
// line and column when the config came from YAML text, and what is wrong — the same shape as the
// CLI's other input errors, so `otel-sieve process` can print them as they are.

/** A position in the YAML text, 1-based. */
export interface ConfigPosition {
  readonly line: number;
  readonly column: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  /** Bad input, not a bug: the CLI exits 2. */
  readonly exitCode = 2;
  constructor(
    /** Dotted key path with list indices: `service.pipelines.traces.processors[1]`. */
    readonly path: string,
    /** What is wrong, without the path or position. */
    readonly problem: string,
    readonly position?: ConfigPosition,
    /** The config's name (a file name), when known. */
    readonly source?: string,
  ) {
    super(formatConfigError(path, problem, position, source));
  }
}

export function formatConfigError(path: string, problem: string, position?: ConfigPosition, source?: string): string {
  const where = position ? `line ${position.line}, column ${position.column}: ` : '';
  const file = source ? `${source}: ` : '';
  return `${file}${where}${path ? `${path}: ` : ''}${problem}`;
}
