// The in-memory metrics data model: OTLP's, as plain objects. Connectors produce it from their
// state in core memory at collection time; the encoders (OTLP protobuf and JSON, Prometheus text,
// OpenMetrics) and the OpenTelemetry SDK adapter consume it. Times are Unix nanoseconds as bigint
// (like the span views); an integer value is a bigint and a double a number, so the two OTLP value
// kinds (as_int / as_double) never get confused; counts are numbers (exact below 2^53).
import type { KeyValue } from '../otlp/trace-views.js';

export type { AnyValue, KeyValue } from '../otlp/trace-views.js';

/** OTLP's AggregationTemporality enum values. */
export const AGGREGATION_TEMPORALITY_DELTA = 1;
export const AGGREGATION_TEMPORALITY_CUMULATIVE = 2;
export type AggregationTemporality = typeof AGGREGATION_TEMPORALITY_DELTA | typeof AGGREGATION_TEMPORALITY_CUMULATIVE;

export interface MetricsData {
  resourceMetrics: ResourceMetrics[];
}

export interface ResourceMetrics {
  resource: MetricsResource;
  scopeMetrics: ScopeMetrics[];
  schemaUrl?: string;
}

export interface MetricsResource {
  attributes: KeyValue[];
  droppedAttributesCount?: number;
}

export interface MetricsScope {
  name: string;
  version?: string;
  attributes?: KeyValue[];
}

export interface ScopeMetrics {
  scope: MetricsScope;
  metrics: Metric[];
  schemaUrl?: string;
}

export interface Metric {
  name: string;
  description: string;
  /** UCUM unit (`ms`, `s`, `By`, `1`, or empty). */
  unit: string;
  data: SumData | GaugeData | HistogramData | ExponentialHistogramData;
}

export interface SumData {
  type: 'sum';
  aggregationTemporality: AggregationTemporality;
  isMonotonic: boolean;
  dataPoints: NumberDataPoint[];
}

export interface GaugeData {
  type: 'gauge';
  dataPoints: NumberDataPoint[];
}

export interface HistogramData {
  type: 'histogram';
  aggregationTemporality: AggregationTemporality;
  dataPoints: HistogramDataPoint[];
}

export interface ExponentialHistogramData {
  type: 'exponentialHistogram';
  aggregationTemporality: AggregationTemporality;
  dataPoints: ExponentialHistogramDataPoint[];
}

export interface Exemplar {
  filteredAttributes: KeyValue[];
  timeUnixNano: bigint;
  /** bigint: as_int; number: as_double. */
  value: bigint | number;
  /** Lowercase hex, 16 characters (empty when absent). */
  spanId: string;
  /** Lowercase hex, 32 characters (empty when absent). */
  traceId: string;
}

interface DataPointBase {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  exemplars: Exemplar[];
  flags?: number;
}

export interface NumberDataPoint extends DataPointBase {
  /** bigint: as_int; number: as_double. */
  value: bigint | number;
}

export interface HistogramDataPoint extends DataPointBase {
  count: number;
  sum?: number;
  /** explicitBounds.length + 1 counts; bucket i holds values in (bounds[i-1], bounds[i]]. */
  bucketCounts: number[];
  explicitBounds: number[];
  min?: number;
  max?: number;
}

export interface ExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

export interface ExponentialHistogramDataPoint extends DataPointBase {
  count: number;
  sum?: number;
  scale: number;
  zeroCount: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
  min?: number;
  max?: number;
  zeroThreshold?: number;
}

/** A point's time in nanoseconds from the caller's clock (Unix milliseconds, possibly fractional). */
export function millisToNanos(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

/** Concatenates the resource metrics of several collections (several connectors) into one. */
export function mergeMetricsData(...parts: MetricsData[]): MetricsData {
  return { resourceMetrics: parts.flatMap((p) => p.resourceMetrics) };
}

/** Number of data points across all metrics (0 means there is nothing to export). */
export function dataPointCount(data: MetricsData): number {
  let n = 0;
  for (const rm of data.resourceMetrics) for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += m.data.dataPoints.length;
  return n;
}
