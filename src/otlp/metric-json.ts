// Strict OTLP/JSON output for metrics, in the form the collector writes (rules and shared pieces in
// otlp-json-output.ts): the metric's data member is written whenever it is set (as `{}` when it has
// nothing), proto3 `optional` doubles (histogram sum/min/max) whenever sent, an exponential
// histogram's `positive` and `negative` always, 64-bit counts and bucket counts as decimal strings.
import type { MetricView, DataPointView, ExemplarView, ExponentialBuckets } from './metric-views.js';
import type { OtlpJsonKeyValue, OtlpJsonResource, OtlpJsonScope } from './otlp-json-output.js';
import {
  attributesToJSON, compact, envelopesToJSON, jsonDouble, nanos, nonEmpty, nonEmptyList, nonZero,
} from './otlp-json-output.js';
import type { BatchRows } from './value-views.js';

export interface OtlpJsonExemplar {
  filteredAttributes?: OtlpJsonKeyValue[];
  timeUnixNano?: string;
  asDouble?: number | string;
  asInt?: string;
  spanId?: string;
  traceId?: string;
}
export interface OtlpJsonNumberDataPoint {
  attributes?: OtlpJsonKeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  asDouble?: number | string;
  asInt?: string;
  exemplars?: OtlpJsonExemplar[];
  flags?: number;
}
export interface OtlpJsonHistogramDataPoint {
  attributes?: OtlpJsonKeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  count?: string;
  sum?: number | string;
  bucketCounts?: string[];
  explicitBounds?: (number | string)[];
  exemplars?: OtlpJsonExemplar[];
  flags?: number;
  min?: number | string;
  max?: number | string;
}
export interface OtlpJsonBuckets {
  offset?: number;
  bucketCounts?: string[];
}
export interface OtlpJsonExponentialHistogramDataPoint {
  attributes?: OtlpJsonKeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  count?: string;
  sum?: number | string;
  scale?: number;
  zeroCount?: string;
  positive: OtlpJsonBuckets;
  negative: OtlpJsonBuckets;
  flags?: number;
  exemplars?: OtlpJsonExemplar[];
  min?: number | string;
  max?: number | string;
  zeroThreshold?: number | string;
}
export interface OtlpJsonSummaryDataPoint {
  attributes?: OtlpJsonKeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  count?: string;
  sum?: number | string;
  quantileValues?: { quantile?: number | string; value?: number | string }[];
  flags?: number;
}
export interface OtlpJsonMetric {
  name?: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: OtlpJsonNumberDataPoint[] };
  sum?: { dataPoints?: OtlpJsonNumberDataPoint[]; aggregationTemporality?: number; isMonotonic?: boolean };
  histogram?: { dataPoints?: OtlpJsonHistogramDataPoint[]; aggregationTemporality?: number };
  exponentialHistogram?: { dataPoints?: OtlpJsonExponentialHistogramDataPoint[]; aggregationTemporality?: number };
  summary?: { dataPoints?: OtlpJsonSummaryDataPoint[] };
  metadata?: OtlpJsonKeyValue[];
}
export interface OtlpJsonScopeMetrics {
  scope: OtlpJsonScope;
  metrics?: OtlpJsonMetric[];
  schemaUrl?: string;
}
export interface OtlpJsonResourceMetrics {
  resource: OtlpJsonResource;
  scopeMetrics?: OtlpJsonScopeMetrics[];
  schemaUrl?: string;
}
export interface OtlpJsonMetrics {
  resourceMetrics?: OtlpJsonResourceMetrics[];
}

/** A double omitted when zero (-0 included, as the collector compares with 0). */
const nonZeroDouble = (d: number): number | string | undefined => (d === 0 ? undefined : jsonDouble(d));
const optionalDouble = (d: number | undefined): number | string | undefined => (d === undefined ? undefined : jsonDouble(d));
const counts = (list: bigint[]): string[] | undefined => nonEmptyList(list.map(String));

function exemplarToJSON(x: ExemplarView): OtlpJsonExemplar {
  const type = x.valueType;
  return compact({
    filteredAttributes: attributesToJSON(x.filteredAttributes),
    timeUnixNano: nanos(x.timeUnixNano),
    asDouble: type === 'double' ? jsonDouble(x.asDouble) : undefined,
    asInt: type === 'int' ? x.asInt.toString() : undefined,
    spanId: nonEmpty(x.spanId),
    traceId: nonEmpty(x.traceId),
  });
}

function bucketsToJSON(b: ExponentialBuckets): OtlpJsonBuckets {
  return compact({ offset: nonZero(b.offset), bucketCounts: counts(b.bucketCounts) });
}

export function dataPointToJSON(p: DataPointView): object {
  const common = {
    attributes: attributesToJSON(p.attributes),
    startTimeUnixNano: nanos(p.startTimeUnixNano),
    timeUnixNano: nanos(p.timeUnixNano),
  };
  const exemplars = nonEmptyList(p.exemplars.map(exemplarToJSON));
  switch (p.type) {
    case 'number': {
      const type = p.valueType;
      return compact<OtlpJsonNumberDataPoint>({
        ...common,
        asDouble: type === 'double' ? jsonDouble(p.asDouble) : undefined,
        asInt: type === 'int' ? p.asInt.toString() : undefined,
        exemplars,
        flags: nonZero(p.flags),
      });
    }
    case 'histogram':
      return compact<OtlpJsonHistogramDataPoint>({
        ...common,
        count: nanos(p.count),
        sum: optionalDouble(p.sum),
        bucketCounts: counts(p.bucketCounts),
        explicitBounds: nonEmptyList(p.explicitBounds.map(jsonDouble)),
        exemplars,
        flags: nonZero(p.flags),
        min: optionalDouble(p.min),
        max: optionalDouble(p.max),
      });
    case 'exponentialHistogram':
      return compact<OtlpJsonExponentialHistogramDataPoint>({
        ...common,
        count: nanos(p.count),
        sum: optionalDouble(p.sum),
        scale: nonZero(p.scale),
        zeroCount: nanos(p.zeroCount),
        positive: bucketsToJSON(p.positive),
        negative: bucketsToJSON(p.negative),
        flags: nonZero(p.flags),
        exemplars,
        min: optionalDouble(p.min),
        max: optionalDouble(p.max),
        zeroThreshold: nonZeroDouble(p.zeroThreshold),
      });
    default:
      return compact<OtlpJsonSummaryDataPoint>({
        ...common,
        count: nanos(p.count),
        sum: nonZeroDouble(p.sum),
        quantileValues: nonEmptyList(p.quantileValues.map((q) => compact({ quantile: nonZeroDouble(q.quantile), value: nonZeroDouble(q.value) }))),
        flags: nonZero(p.flags),
      });
  }
}

export function metricToJSON(m: MetricView): OtlpJsonMetric {
  const type = m.type;
  const points = m.dataPoints.map(dataPointToJSON);
  const dataPoints = nonEmptyList(points);
  const temporality = nonZero(m.aggregationTemporality);
  let data: object | undefined;
  if (type === 'sum') data = compact({ dataPoints, aggregationTemporality: temporality, isMonotonic: m.isMonotonic || undefined });
  else if (type === 'histogram' || type === 'exponentialHistogram') data = compact({ dataPoints, aggregationTemporality: temporality });
  else if (type !== 'empty') data = compact({ dataPoints });
  return compact({
    name: nonEmpty(m.name),
    description: nonEmpty(m.description),
    unit: nonEmpty(m.unit),
    ...(type !== 'empty' ? { [type]: data } : {}),
    metadata: attributesToJSON(m.metadata),
  }) as OtlpJsonMetric;
}

export function metricBatchToJSON(batch: BatchRows & { readonly resourceCount: number; metric(i: number): MetricView }): OtlpJsonMetrics {
  return envelopesToJSON(batch, { resources: 'resourceMetrics', scopes: 'scopeMetrics', items: 'metrics' }, (i) => metricToJSON(batch.metric(i))) as OtlpJsonMetrics;
}
