// The keep rules of the log and metric benchmarks, as data: otel-sieve applies them by reading its
// tables, the protobufjs baselines by reading decoded objects. Each implementation makes exactly the
// same decision, so their outputs — and their timings — compare.

/** A log record is kept when its severity reaches `minSeverity` and its trace passes the sampling byte. */
export interface LogRule {
  /** SeverityNumber threshold (13 = WARN); 0 keeps every severity. */
  readonly minSeverity: number;
  /**
   * Records carrying a trace id are kept when its byte 15 is below this (256 keeps all): whole traces'
   * logs kept or dropped together, like the probabilistic sampler's trace-id mode. Records without a
   * trace id always pass this condition.
   */
  readonly traceIdByteBelow: number;
}

export const logRules = Object.freeze({
  /** The filter processor's classic: `severity_number >= SEVERITY_NUMBER_WARN`. */
  warnAndAbove: Object.freeze<LogRule>({ minSeverity: 13, traceIdByteBelow: 256 }),
  /** Sampling about half of the traced requests' logs by trace id, keeping uncorrelated ones. */
  halfByTraceId: Object.freeze<LogRule>({ minSeverity: 0, traceIdByteBelow: 128 }),
});

/** `traceIdByte` is byte 15 of the record's trace id, or -1 without one. */
export function logRuleAccepts(rule: LogRule, severity: number, traceIdByte: number): boolean {
  return severity >= rule.minSeverity && (traceIdByte < 0 || traceIdByte < rule.traceIdByteBelow);
}

/**
 * The metric rule: drop whole metrics whose name starts with `dropNamePrefix` (the filter processor's
 * `metrics.metric` condition), and drop data points whose attribute `dropKey` equals `dropValue` (a
 * `metrics.datapoint` condition); metrics left without points go too.
 */
export interface MetricRule {
  readonly dropNamePrefix: string;
  /** '' for no data point condition. */
  readonly dropKey: string;
  readonly dropValue: string;
}

export const metricRules = Object.freeze({
  /** Runtime metrics out, by name alone: a decision that needs no attributes. */
  runtime: Object.freeze<MetricRule>({ dropNamePrefix: 'process.', dropKey: '', dropValue: '' }),
  /** Runtime metrics out, health-check series out. */
  runtimeAndHealthChecks: Object.freeze<MetricRule>({ dropNamePrefix: 'process.', dropKey: 'http.route', dropValue: '/healthz' }),
});
