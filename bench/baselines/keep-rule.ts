// The span-keeping rule of the filter benchmarks, as data rather than a function: otel-sieve compiles it
// into core calls, the protobufjs baseline evaluates it on decoded objects, the wire walker on raw
// fields. Each applies exactly the same decision, so their outputs — and their timings — compare.

/** A span is kept when any enabled condition holds. */
export interface KeepRule {
  /** Keep spans whose status code is ERROR (2). */
  readonly keepErrors: boolean;
  /** Keep spans with `end - start >= minDurationNanos`; `Infinity` disables the condition. */
  readonly minDurationNanos: number;
  /** Which trace id byte (0–15) the sampling condition reads; byte 15 is in the W3C random part. */
  readonly traceIdByteIndex: number;
  /**
   * Keep spans whose trace id byte is below this: 0 disables, 128 keeps about half the traces (whole
   * traces, since the byte is shared by their spans), 256 keeps every span with a trace id that long.
   */
  readonly traceIdByteBelow: number;
}

const MS = 1_000_000;

/** The rules the benchmarks use. */
export const keepRules = Object.freeze({
  /** Tail-sampling shaped: errors and slow spans only (a few percent of the corpus). */
  errorsOrSlow: Object.freeze<KeepRule>({ keepErrors: true, minDurationNanos: 20 * MS, traceIdByteIndex: 15, traceIdByteBelow: 0 }),
  /** Probabilistic-sampling shaped: about half, chosen per trace. */
  halfByTraceId: Object.freeze<KeepRule>({ keepErrors: false, minDurationNanos: Infinity, traceIdByteIndex: 15, traceIdByteBelow: 128 }),
  /** Everything with a 16-byte trace id: measures the pass-through cost. */
  all: Object.freeze<KeepRule>({ keepErrors: false, minDurationNanos: Infinity, traceIdByteIndex: 15, traceIdByteBelow: 256 }),
  /** Nothing: measures the scan alone, output is an empty request. */
  none: Object.freeze<KeepRule>({ keepErrors: false, minDurationNanos: Infinity, traceIdByteIndex: 15, traceIdByteBelow: 0 }),
});

/**
 * The reference decision. `traceIdByte` is the id's byte at `rule.traceIdByteIndex`, or -1 when the id is
 * too short to have one (such a span never passes the sampling condition).
 */
export function keepRuleAccepts(rule: KeepRule, statusCode: number, durationNanos: number, traceIdByte: number): boolean {
  return (
    (rule.keepErrors && statusCode === 2) ||
    durationNanos >= rule.minDurationNanos ||
    (traceIdByte >= 0 && traceIdByte < rule.traceIdByteBelow)
  );
}
