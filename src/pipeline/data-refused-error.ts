// The memory limiter's refusal: retryable, like the collector's ErrDataRefused. The batch was not
// accepted — the caller still owns it and should retry later (an OTLP/HTTP server answers 503 with
// Retry-After). Nothing that was accepted earlier is dropped.

export class DataRefusedError extends Error {
  override name = 'DataRefusedError';
  /** Always true: the same data may be sent again later. */
  readonly retryable = true;
  constructor(
    readonly component: string,
    readonly reason: string,
    /** Suggested wait before retrying, in milliseconds. */
    readonly retryAfterMs: number,
  ) {
    super(`${component}: data refused due to high memory usage (${reason}); retry after ${retryAfterMs} ms`);
  }
}
