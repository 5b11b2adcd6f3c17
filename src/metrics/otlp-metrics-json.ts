// The metrics data model as strict OTLP/JSON, in the form the collector writes: camelCase keys in
// proto field order, 64-bit integers (times, counts, as_int) as decimal strings, enums as numbers,
// lowercase hex ids, non-finite doubles as "NaN"/"Infinity"; proto3 zero values omitted, optional
// fields (sum, min, max) present when set, and the non-nullable messages (resource, scope, the
// exponential buckets) always present.
import { keyValueToJSON, jsonDouble } from '../otlp/trace-json.js';
import type { OtlpJsonKeyValue } from '../otlp/trace-json.js';
import type { KeyValue } from '../otlp/trace-views.js';
import type {
  MetricsData, Metric, NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint, Exemplar, ExponentialBuckets,
} from './metrics-data.js';

// One definition of the OTLP/JSON metric shapes, shared with MetricBatch.toJSON().
import type {
  OtlpJsonMetrics, OtlpJsonMetric, OtlpJsonNumberDataPoint, OtlpJsonHistogramDataPoint,
  OtlpJsonExponentialHistogramDataPoint, OtlpJsonExemplar, OtlpJsonBuckets,
} from '../otlp/metric-json.js';

export type {
  OtlpJsonMetrics, OtlpJsonMetric, OtlpJsonNumberDataPoint, OtlpJsonHistogramDataPoint,
  OtlpJsonExponentialHistogramDataPoint, OtlpJsonExemplar, OtlpJsonBuckets,
};

/** Drops undefined members so that the object serialises exactly like the collector's output. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

const attributes = (list: readonly KeyValue[] | undefined): OtlpJsonKeyValue[] | undefined => (list && list.length ? list.map(keyValueToJSON) : undefined);
const nanos = (n: bigint): string | undefined => (n ? n.toString() : undefined);
const u64 = (n: number): string | undefined => (n ? String(n) : undefined);
const nonEmpty = (s: string | undefined): string | undefined => (s ? s : undefined);
const list = <T>(a: T[]): T[] | undefined => (a.length ? a : undefined);
const optionalDouble = (d: number | undefined): number | string | undefined => (d === undefined ? undefined : jsonDouble(d));

function exemplarToJSON(e: Exemplar): OtlpJsonExemplar {
  return compact({
    filteredAttributes: attributes(e.filteredAttributes),
    timeUnixNano: nanos(e.timeUnixNano),
    asDouble: typeof e.value === 'number' ? jsonDouble(e.value) : undefined,
    asInt: typeof e.value === 'bigint' ? e.value.toString() : undefined,
    spanId: nonEmpty(e.spanId),
    traceId: nonEmpty(e.traceId),
  });
}

function numberPointToJSON(p: NumberDataPoint): OtlpJsonNumberDataPoint {
  return compact({
    attributes: attributes(p.attributes),
    startTimeUnixNano: nanos(p.startTimeUnixNano),
    timeUnixNano: nanos(p.timeUnixNano),
    asDouble: typeof p.value === 'number' ? jsonDouble(p.value) : undefined,
    asInt: typeof p.value === 'bigint' ? p.value.toString() : undefined,
    exemplars: list(p.exemplars.map(exemplarToJSON)),
    flags: p.flags || undefined,
  });
}

function histogramPointToJSON(p: HistogramDataPoint): OtlpJsonHistogramDataPoint {
  return compact({
    attributes: attributes(p.attributes),
    startTimeUnixNano: nanos(p.startTimeUnixNano),
    timeUnixNano: nanos(p.timeUnixNano),
    count: u64(p.count),
    sum: optionalDouble(p.sum),
    bucketCounts: list(p.bucketCounts.map(String)),
    explicitBounds: list(p.explicitBounds.map(jsonDouble)),
    exemplars: list(p.exemplars.map(exemplarToJSON)),
    flags: p.flags || undefined,
    min: optionalDouble(p.min),
    max: optionalDouble(p.max),
  });
}

function bucketsToJSON(b: ExponentialBuckets): OtlpJsonBuckets {
  return compact({ offset: b.offset || undefined, bucketCounts: list(b.bucketCounts.map(String)) });
}

function exponentialPointToJSON(p: ExponentialHistogramDataPoint): OtlpJsonExponentialHistogramDataPoint {
  return compact({
    attributes: attributes(p.attributes),
    startTimeUnixNano: nanos(p.startTimeUnixNano),
    timeUnixNano: nanos(p.timeUnixNano),
    count: u64(p.count),
    sum: optionalDouble(p.sum),
    scale: p.scale || undefined,
    zeroCount: u64(p.zeroCount),
    positive: bucketsToJSON(p.positive),
    negative: bucketsToJSON(p.negative),
    flags: p.flags || undefined,
    exemplars: list(p.exemplars.map(exemplarToJSON)),
    min: optionalDouble(p.min),
    max: optionalDouble(p.max),
    zeroThreshold: p.zeroThreshold ? jsonDouble(p.zeroThreshold) : undefined,
  });
}

function metricToJSON(m: Metric): OtlpJsonMetric {
  const d = m.data;
  const out: OtlpJsonMetric = compact({ name: nonEmpty(m.name), description: nonEmpty(m.description), unit: nonEmpty(m.unit) });
  switch (d.type) {
    case 'gauge':
      out.gauge = compact({ dataPoints: list(d.dataPoints.map(numberPointToJSON)) });
      break;
    case 'sum':
      out.sum = compact({
        dataPoints: list(d.dataPoints.map(numberPointToJSON)),
        aggregationTemporality: d.aggregationTemporality,
        isMonotonic: d.isMonotonic || undefined,
      });
      break;
    case 'histogram':
      out.histogram = compact({ dataPoints: list(d.dataPoints.map(histogramPointToJSON)), aggregationTemporality: d.aggregationTemporality });
      break;
    case 'exponentialHistogram':
      out.exponentialHistogram = compact({
        dataPoints: list(d.dataPoints.map(exponentialPointToJSON)),
        aggregationTemporality: d.aggregationTemporality,
      });
      break;
  }
  return out;
}

/** Strict OTLP/JSON as a plain object (JSON.stringify gives the text of POST /v1/metrics). */
export function metricsToOtlpJson(data: MetricsData): OtlpJsonMetrics {
  return compact({
    resourceMetrics: list(
      data.resourceMetrics.map((rm) =>
        compact({
          resource: compact({ attributes: attributes(rm.resource.attributes), droppedAttributesCount: rm.resource.droppedAttributesCount || undefined }),
          scopeMetrics: list(
            rm.scopeMetrics.map((sm) =>
              compact({
                scope: compact({ name: nonEmpty(sm.scope.name), version: nonEmpty(sm.scope.version), attributes: attributes(sm.scope.attributes) }),
                metrics: list(sm.metrics.map(metricToJSON)),
                schemaUrl: nonEmpty(sm.schemaUrl),
              }),
            ),
          ),
          schemaUrl: nonEmpty(rm.schemaUrl),
        }),
      ),
    ),
  });
}
