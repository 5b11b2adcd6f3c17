// Limits applied when reading OTLP (protobuf or JSON), shared by every signal's batch.

/** Limits applied when reading OTLP; every field has a default in DEFAULT_DECODE_OPTIONS. */
export interface DecodeOptions {
  /** Largest input accepted, in bytes. Default 64 MiB (the OTLP/HTTP recommendation). */
  maxBytes?: number;
  /** Deepest AnyValue nesting; a plain attribute value is depth 1, each array/kvlist adds one. Default 64. */
  maxDepth?: number;
  /** Attributes kept per span; extras are dropped and counted in droppedAttributesCount. Default 128. */
  maxAttributesPerSpan?: number;
  /** Events kept per span; extras counted in droppedEventsCount. Default 128. */
  maxEventsPerSpan?: number;
  /** Links kept per span; extras counted in droppedLinksCount. Default 128. */
  maxLinksPerSpan?: number;
  /** Attributes kept per event. Default 128. */
  maxAttributesPerEvent?: number;
  /** Attributes kept per link. Default 128. */
  maxAttributesPerLink?: number;
  /** Spans accepted per request; more is an error ('count limit'). Default unlimited. */
  maxSpans?: number;
  /**
   * Attributes kept per log record; extras are dropped and counted in droppedAttributesCount.
   * Default 128 (the SDKs' LogRecordLimits).
   */
  maxAttributesPerLogRecord?: number;
  /** Log records accepted per request; more is an error ('count limit'). Default unlimited. */
  maxLogRecords?: number;
  /**
   * Data points (of every metric type) accepted per request; more is an error ('count limit').
   * Default unlimited. Data points have no dropped-attributes count, so their attributes are never
   * cut: limiting series is a processor's job (cardinality limits), not the decoder's.
   */
  maxDataPoints?: number;
  /** Accept a zero-length input as an empty request (OTLP/HTTP does). Default false: an error. */
  allowEmpty?: boolean;
  /** A name for the input (a file name), prefixed to error messages. */
  source?: string;
}

export const DEFAULT_DECODE_OPTIONS: Readonly<Required<Omit<DecodeOptions, 'source'>>> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 64,
  maxAttributesPerSpan: 128,
  maxEventsPerSpan: 128,
  maxLinksPerSpan: 128,
  maxAttributesPerEvent: 128,
  maxAttributesPerLink: 128,
  maxSpans: Infinity,
  maxAttributesPerLogRecord: 128,
  maxLogRecords: Infinity,
  maxDataPoints: Infinity,
  allowEmpty: false,
});

/**
 * The options a splice output (a processor's result) is read with: the decode limits are
 * receive-time limits, applied once to what a client sent; items a processor adds afterwards (a
 * redaction summary, an inserted attribute) are not cut again. Depth and size limits stay.
 */
export function spliceOutputOptions(o: DecodeOptions): DecodeOptions {
  return {
    ...o,
    maxAttributesPerSpan: Infinity, maxEventsPerSpan: Infinity, maxLinksPerSpan: Infinity,
    maxAttributesPerEvent: Infinity, maxAttributesPerLink: Infinity, maxSpans: Infinity,
    maxAttributesPerLogRecord: Infinity, maxLogRecords: Infinity, maxDataPoints: Infinity,
  };
}
