// Errors for OTTL condition text: every one names the line and column (1-based, in code points)
// and what was expected or which rule was broken. Parse and check errors are config errors (the
// collector refuses such a config at startup); runtime errors belong to one condition and one item
// and are handled by the component's error_mode.

/** Which stage rejected the condition: the grammar, the context/type check, or evaluation. */
export type OttlErrorStage = 'parse' | 'check' | 'runtime';

export class OttlError extends Error {
  override name = 'OttlError';
  /** Bad conditions are bad input: the CLI exits 2. */
  readonly exitCode = 2;
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly stage: OttlErrorStage,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/** A position in a condition's text (1-based line and column, in code points). */
export interface Pos {
  readonly line: number;
  readonly column: number;
}
