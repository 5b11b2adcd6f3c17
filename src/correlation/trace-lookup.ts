// The seam between log records and whatever knows what became of their traces: otel-sieve's
// tail_sampling processor (its pending traces and decision caches, read in the core), or a trace
// store such as the gateway's (a trace it holds was kept). The logs_follow_traces processor asks
// one lookup per batch of log records — never one call per record — with their trace ids laid out
// back to back.

/** The trace was seen and kept (sampled): its log records are kept. */
export const TRACE_KEPT = 1;
/** The trace was seen and dropped (not sampled, or a drop policy): its log records are dropped. */
export const TRACE_DROPPED = 2;
/** The trace is known and its decision is still pending: its log records wait. */
export const TRACE_PENDING = 3;
/**
 * Nothing is known about the trace (its spans have not arrived yet, or it left memory and the
 * decision caches): its log records wait, like pending ones, until the processor's `wait` ends.
 */
export const TRACE_UNKNOWN = 0;

export type TraceDecision = typeof TRACE_KEPT | typeof TRACE_DROPPED | typeof TRACE_PENDING | typeof TRACE_UNKNOWN;

/**
 * Resolves trace ids to what became of their traces, in bulk. Implementations must be
 * synchronous and cheap per id (a hash or bloom filter probe): the logs pipeline asks on every
 * batch and tick for every record still waiting.
 */
export interface TraceLookup {
  /**
   * For i < count, reads the 16-byte trace id at ids[16 i, 16 i + 16) and writes its TRACE_*
   * decision to out[i]. `ids` and `out` are only valid during the call.
   */
  lookupTraces(ids: Uint8Array, count: number, out: Uint8Array): void;
}

/** Whether `value` implements TraceLookup. */
export function isTraceLookup(value: unknown): value is TraceLookup {
  return typeof (value as TraceLookup | null)?.lookupTraces === 'function';
}
