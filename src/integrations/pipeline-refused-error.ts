// The one signal a pipeline gives when it will not take data right now (memory pressure, a full
// queue): retryable, like the collector's ErrDataRefused. Receivers turn it into 429/503 with
// Retry-After, SDK adapters into a failed export; the refused batch was not accepted, so nothing
// that was acknowledged is lost.

export class PipelineRefusedError extends Error {
  override name = 'PipelineRefusedError';
  /** Always true: the same data may be sent again later. */
  readonly retryable = true;
  constructor(
    /** Why, in English, e.g. `memory_limiter: usage 410 MiB over the soft limit of 400 MiB`. */
    readonly reason: string,
    /** Suggested wait before retrying, in whole seconds (at least 1); undefined lets the receiver choose. */
    readonly retryAfterSeconds?: number,
    /** 429 (rate/resource exhaustion) or 503 (unavailable); undefined lets the receiver choose. */
    readonly status?: 429 | 503,
  ) {
    super(`data refused: ${reason}${retryAfterSeconds === undefined ? '' : `; retry after ${retryAfterSeconds} s`}`);
  }
}
