// Errors for TraceQL text: every one names the line and column (1-based, in characters) and what
// was expected or which rule was broken, in Tempo's words where Tempo has them.

/** Which stage rejected the query: lexing/grammar, static validation, an unsupported form, or evaluation. */
export type TraceQLErrorStage = 'parse' | 'validate' | 'unsupported' | 'runtime';

export class TraceQLError extends Error {
  override name = 'TraceQLError';
  /** Bad queries are bad input: the CLI exits 2. */
  readonly exitCode = 2;
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly stage: TraceQLErrorStage,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}
