// The metrics data model as an OpenTelemetry JS SDK MetricProducer, so that any MetricReader
// (`new PeriodicExportingMetricReader({ exporter, metricProducers: [producer] })`) ships span metrics
// and service graphs with whatever exporter the application already uses (OTLP, Prometheus,
// console). The SDK types are declared here structurally (sdk-metrics 2.x/3.x shapes), so the
// package needs no runtime dependency on the SDK.
//
// A reader keeps its own resource and takes only the producer's scope metrics, so data points
// from different resources would meet under one: `resourceAttributes` copies chosen resource
// attributes onto every data point to keep them apart. Exemplars have no place in the SDK's
// data model and are left out.
import type { KeyValue, AnyValue } from '../otlp/trace-views.js';
import { AGGREGATION_TEMPORALITY_DELTA } from './metrics-data.js';
import type { MetricsData, Metric } from './metrics-data.js';

/** [seconds, nanoseconds], like @opentelemetry/api's HrTime. */
export type SdkHrTime = [number, number];
/** @opentelemetry/api's AttributeValue: a primitive or a homogeneous array. */
export type SdkAttributeValue =
  | string
  | number
  | boolean
  | (string | null | undefined)[]
  | (number | null | undefined)[]
  | (boolean | null | undefined)[];
export type SdkAttributes = Record<string, SdkAttributeValue | undefined>;

/** sdk-metrics' AggregationTemporality: DELTA = 0, CUMULATIVE = 1. */
export const SDK_AGGREGATION_TEMPORALITY = Object.freeze({ DELTA: 0, CUMULATIVE: 1 });
/** sdk-metrics' DataPointType. */
export const SDK_DATA_POINT_TYPE = Object.freeze({ HISTOGRAM: 0, EXPONENTIAL_HISTOGRAM: 1, GAUGE: 2, SUM: 3 });
/** @opentelemetry/api's ValueType. */
export const SDK_VALUE_TYPE = Object.freeze({ INT: 0, DOUBLE: 1 });

export interface SdkMetricDescriptor {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly valueType: number;
  /** sdk-metrics 1.x read the instrument type from the descriptor; kept for those readers. */
  readonly type: string;
}

export interface SdkDataPoint<T> {
  readonly startTime: SdkHrTime;
  readonly endTime: SdkHrTime;
  readonly attributes: SdkAttributes;
  readonly value: T;
}

export interface SdkHistogram {
  buckets: { boundaries: number[]; counts: number[] };
  sum?: number;
  count: number;
  min?: number;
  max?: number;
}

export interface SdkExponentialHistogram {
  count: number;
  sum?: number;
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
  negative: { offset: number; bucketCounts: number[] };
  min?: number;
  max?: number;
}

export type SdkMetricData =
  | { descriptor: SdkMetricDescriptor; aggregationTemporality: number; dataPointType: 3; isMonotonic: boolean; dataPoints: SdkDataPoint<number>[] }
  | { descriptor: SdkMetricDescriptor; aggregationTemporality: number; dataPointType: 2; dataPoints: SdkDataPoint<number>[] }
  | { descriptor: SdkMetricDescriptor; aggregationTemporality: number; dataPointType: 0; dataPoints: SdkDataPoint<SdkHistogram>[] }
  | { descriptor: SdkMetricDescriptor; aggregationTemporality: number; dataPointType: 1; dataPoints: SdkDataPoint<SdkExponentialHistogram>[] };

export interface SdkScopeMetrics {
  scope: { name: string; version?: string; schemaUrl?: string };
  metrics: SdkMetricData[];
}

/** The subset of @opentelemetry/resources' Resource a MetricReader touches. */
export interface SdkResource {
  readonly attributes: SdkAttributes;
  readonly asyncAttributesPending?: boolean;
  readonly schemaUrl?: string;
  waitForAsyncAttributes?(): Promise<void>;
  merge(other: SdkResource | null): SdkResource;
  getRawAttributes(): [string, SdkAttributeValue | undefined][];
}

export interface SdkResourceMetrics {
  resource: SdkResource;
  scopeMetrics: SdkScopeMetrics[];
}

export interface SdkCollectionResult {
  resourceMetrics: SdkResourceMetrics;
  errors: unknown[];
}

/** sdk-metrics' MetricProducer. */
export interface SdkMetricProducer {
  collect(options?: { timeoutMillis?: number }): Promise<SdkCollectionResult>;
}

/** Anything that collects metrics at a caller-supplied time: a connector, or several merged. */
export interface MetricsSource {
  collect(now: number): unknown;
}

export interface MetricProducerOptions {
  /** The clock (Unix ms) passed to each source's collect(). Default Date.now. */
  clock?: () => number;
  /** Resource attributes copied onto every data point (the reader drops the producer's resource). Default none. */
  resourceAttributes?: readonly string[];
}

function plain(v: AnyValue): SdkAttributeValue | undefined {
  switch (v.type) {
    case 'string':
    case 'bool':
    case 'double':
      return v.value;
    case 'int':
      return Number(v.value);
    case 'array': {
      // The API allows homogeneous arrays of primitives only; anything else becomes strings.
      const items = v.value.map(plain);
      const kinds = new Set(items.map((i) => typeof i));
      if (kinds.size === 1 && (kinds.has('string') || kinds.has('number') || kinds.has('boolean'))) return items as string[] | number[] | boolean[];
      return items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i)));
    }
    case 'bytes':
      return Array.from(v.value).map((b) => b.toString(16).padStart(2, '0')).join('');
    case 'kvlist':
      return JSON.stringify(Object.fromEntries(v.value.map((kv) => [kv.key, plain(kv.value)])));
    default:
      return undefined;
  }
}

function attributes(list: readonly KeyValue[], extra: readonly KeyValue[]): SdkAttributes {
  const out: SdkAttributes = Object.create(null) as SdkAttributes;
  for (const kv of extra) out[kv.key] = plain(kv.value);
  for (const kv of list) out[kv.key] = plain(kv.value);
  return out;
}

const hr = (ns: bigint): SdkHrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

function resource(attrs: SdkAttributes): SdkResource {
  const r: SdkResource = {
    attributes: attrs,
    asyncAttributesPending: false,
    waitForAsyncAttributes: () => Promise.resolve(),
    merge: (other) => (other ? resource({ ...attrs, ...other.attributes }) : r),
    getRawAttributes: () => Object.entries(attrs),
  };
  return r;
}

function toSdk(m: Metric, extra: readonly KeyValue[]): SdkMetricData {
  const d = m.data;
  const descriptor = (valueType: number, type: string): SdkMetricDescriptor => ({ name: m.name, description: m.description, unit: m.unit, valueType, type });
  const temporality = (t: number) => (t === AGGREGATION_TEMPORALITY_DELTA ? SDK_AGGREGATION_TEMPORALITY.DELTA : SDK_AGGREGATION_TEMPORALITY.CUMULATIVE);
  const times = (p: { startTimeUnixNano: bigint; timeUnixNano: bigint; attributes: KeyValue[] }) => ({
    startTime: hr(p.startTimeUnixNano),
    endTime: hr(p.timeUnixNano),
    attributes: attributes(p.attributes, extra),
  });
  switch (d.type) {
    case 'sum':
    case 'gauge': {
      const isInt = d.dataPoints.every((p) => typeof p.value === 'bigint');
      const points = d.dataPoints.map((p) => ({ ...times(p), value: Number(p.value) }));
      const valueType = isInt ? SDK_VALUE_TYPE.INT : SDK_VALUE_TYPE.DOUBLE;
      if (d.type === 'gauge') {
        return { descriptor: descriptor(valueType, 'OBSERVABLE_GAUGE'), aggregationTemporality: SDK_AGGREGATION_TEMPORALITY.CUMULATIVE, dataPointType: 2, dataPoints: points };
      }
      return {
        descriptor: descriptor(valueType, d.isMonotonic ? 'COUNTER' : 'UP_DOWN_COUNTER'),
        aggregationTemporality: temporality(d.aggregationTemporality),
        dataPointType: 3,
        isMonotonic: d.isMonotonic,
        dataPoints: points,
      };
    }
    case 'histogram':
      return {
        descriptor: descriptor(SDK_VALUE_TYPE.DOUBLE, 'HISTOGRAM'),
        aggregationTemporality: temporality(d.aggregationTemporality),
        dataPointType: 0,
        dataPoints: d.dataPoints.map((p) => ({
          ...times(p),
          value: {
            buckets: { boundaries: p.explicitBounds.slice(), counts: p.bucketCounts.slice() },
            count: p.count,
            ...(p.sum !== undefined ? { sum: p.sum } : {}),
            ...(p.min !== undefined ? { min: p.min } : {}),
            ...(p.max !== undefined ? { max: p.max } : {}),
          },
        })),
      };
    case 'exponentialHistogram':
      return {
        descriptor: descriptor(SDK_VALUE_TYPE.DOUBLE, 'HISTOGRAM'),
        aggregationTemporality: temporality(d.aggregationTemporality),
        dataPointType: 1,
        dataPoints: d.dataPoints.map((p) => ({
          ...times(p),
          value: {
            count: p.count,
            scale: p.scale,
            zeroCount: p.zeroCount,
            positive: { offset: p.positive.offset, bucketCounts: p.positive.bucketCounts.slice() },
            negative: { offset: p.negative.offset, bucketCounts: p.negative.bucketCounts.slice() },
            ...(p.sum !== undefined ? { sum: p.sum } : {}),
            ...(p.min !== undefined ? { min: p.min } : {}),
            ...(p.max !== undefined ? { max: p.max } : {}),
          },
        })),
      };
  }
}

/** The SDK's ResourceMetrics for data collected from our sources (one resource: the first one's). */
export function toSdkResourceMetrics(data: MetricsData, resourceAttributes: readonly string[] = []): SdkResourceMetrics {
  const scopeMetrics: SdkScopeMetrics[] = [];
  for (const rm of data.resourceMetrics) {
    const extra = rm.resource.attributes.filter((kv) => resourceAttributes.includes(kv.key));
    for (const sm of rm.scopeMetrics) {
      scopeMetrics.push({
        scope: { name: sm.scope.name, ...(sm.scope.version ? { version: sm.scope.version } : {}) },
        metrics: sm.metrics.map((m) => toSdk(m, extra)),
      });
    }
  }
  const first = data.resourceMetrics[0]?.resource.attributes ?? [];
  return { resource: resource(attributes(first, [])), scopeMetrics };
}

/** A MetricProducer collecting every source at the clock's time on each reader collection. */
export function createMetricProducer(sources: MetricsSource | readonly MetricsSource[], options: MetricProducerOptions = {}): SdkMetricProducer {
  const list = Array.isArray(sources) ? (sources as readonly MetricsSource[]) : [sources as MetricsSource];
  const clock = options.clock ?? Date.now;
  const keys = options.resourceAttributes ?? [];
  return {
    collect(): Promise<SdkCollectionResult> {
      const now = clock();
      const errors: unknown[] = [];
      const merged: MetricsData = { resourceMetrics: [] };
      for (const s of list) {
        try {
          merged.resourceMetrics.push(...(s.collect(now) as MetricsData).resourceMetrics);
        } catch (err) {
          errors.push(err);
        }
      }
      return Promise.resolve({ resourceMetrics: toSdkResourceMetrics(merged, keys), errors });
    },
  };
}
