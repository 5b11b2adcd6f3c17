// CLI error classes mapped to exit codes (DESIGN.md): 2 bad input or usage, 1 runtime failure.

/** Wrong command line. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

/** Bad input data (file contents, config, query). */
export class InputError extends Error {
  override name = 'InputError';
  readonly exitCode = 2;
}
