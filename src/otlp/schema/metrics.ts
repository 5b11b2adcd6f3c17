// opentelemetry/proto/metrics/v1/metrics.proto and collector/metrics/v1/metrics_service.proto
import { InstrumentationScope, KeyValue } from './common.js';
import { defineEnum, defineMessage } from './descriptor.js';
import { Resource } from './resource.js';

const PKG = 'opentelemetry.proto.metrics.v1';

export const AggregationTemporality = defineEnum(`${PKG}.AggregationTemporality`, {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
});

const attributes = () => KeyValue;

export const Exemplar = defineMessage(`${PKG}.Exemplar`, [
  // Field 1 is reserved.
  [2, 'time_unix_nano', 'fixed64'],
  [3, 'as_double', 'double', { oneof: 'value' }],
  [4, 'span_id', 'hex-id', { idBytes: 8 }],
  [5, 'trace_id', 'hex-id', { idBytes: 16 }],
  [6, 'as_int', 'sfixed64', { oneof: 'value' }],
  [7, 'filtered_attributes', 'message', { repeated: true, message: attributes }],
]);

export const NumberDataPoint = defineMessage(`${PKG}.NumberDataPoint`, [
  // Field 1 is reserved.
  [2, 'start_time_unix_nano', 'fixed64'],
  [3, 'time_unix_nano', 'fixed64'],
  [4, 'as_double', 'double', { oneof: 'value' }],
  [5, 'exemplars', 'message', { repeated: true, message: () => Exemplar }],
  [6, 'as_int', 'sfixed64', { oneof: 'value' }],
  [7, 'attributes', 'message', { repeated: true, message: attributes }],
  [8, 'flags', 'uint32'],
]);

export const HistogramDataPoint = defineMessage(`${PKG}.HistogramDataPoint`, [
  // Field 1 is reserved.
  [2, 'start_time_unix_nano', 'fixed64'],
  [3, 'time_unix_nano', 'fixed64'],
  [4, 'count', 'fixed64'],
  [5, 'sum', 'double', { optional: true }],
  [6, 'bucket_counts', 'fixed64', { repeated: true }],
  [7, 'explicit_bounds', 'double', { repeated: true }],
  [8, 'exemplars', 'message', { repeated: true, message: () => Exemplar }],
  [9, 'attributes', 'message', { repeated: true, message: attributes }],
  [10, 'flags', 'uint32'],
  [11, 'min', 'double', { optional: true }],
  [12, 'max', 'double', { optional: true }],
]);

export const ExponentialHistogramDataPointBuckets = defineMessage(
  `${PKG}.ExponentialHistogramDataPoint.Buckets`,
  [
    [1, 'offset', 'sint32'],
    [2, 'bucket_counts', 'uint64', { repeated: true }],
  ],
);

export const ExponentialHistogramDataPoint = defineMessage(`${PKG}.ExponentialHistogramDataPoint`, [
  [1, 'attributes', 'message', { repeated: true, message: attributes }],
  [2, 'start_time_unix_nano', 'fixed64'],
  [3, 'time_unix_nano', 'fixed64'],
  [4, 'count', 'fixed64'],
  [5, 'sum', 'double', { optional: true }],
  [6, 'scale', 'sint32'],
  [7, 'zero_count', 'fixed64'],
  [8, 'positive', 'message', { message: () => ExponentialHistogramDataPointBuckets }],
  [9, 'negative', 'message', { message: () => ExponentialHistogramDataPointBuckets }],
  [10, 'flags', 'uint32'],
  [11, 'exemplars', 'message', { repeated: true, message: () => Exemplar }],
  [12, 'min', 'double', { optional: true }],
  [13, 'max', 'double', { optional: true }],
  [14, 'zero_threshold', 'double'],
]);

export const SummaryDataPointValueAtQuantile = defineMessage(`${PKG}.SummaryDataPoint.ValueAtQuantile`, [
  [1, 'quantile', 'double'],
  [2, 'value', 'double'],
]);

export const SummaryDataPoint = defineMessage(`${PKG}.SummaryDataPoint`, [
  // Field 1 is reserved.
  [2, 'start_time_unix_nano', 'fixed64'],
  [3, 'time_unix_nano', 'fixed64'],
  [4, 'count', 'fixed64'],
  [5, 'sum', 'double'],
  [6, 'quantile_values', 'message', { repeated: true, message: () => SummaryDataPointValueAtQuantile }],
  [7, 'attributes', 'message', { repeated: true, message: attributes }],
  [8, 'flags', 'uint32'],
]);

export const Gauge = defineMessage(`${PKG}.Gauge`, [
  [1, 'data_points', 'message', { repeated: true, message: () => NumberDataPoint }],
]);

export const Sum = defineMessage(`${PKG}.Sum`, [
  [1, 'data_points', 'message', { repeated: true, message: () => NumberDataPoint }],
  [2, 'aggregation_temporality', 'enum', { enum: AggregationTemporality }],
  [3, 'is_monotonic', 'bool'],
]);

export const Histogram = defineMessage(`${PKG}.Histogram`, [
  [1, 'data_points', 'message', { repeated: true, message: () => HistogramDataPoint }],
  [2, 'aggregation_temporality', 'enum', { enum: AggregationTemporality }],
]);

export const ExponentialHistogram = defineMessage(`${PKG}.ExponentialHistogram`, [
  [1, 'data_points', 'message', { repeated: true, message: () => ExponentialHistogramDataPoint }],
  [2, 'aggregation_temporality', 'enum', { enum: AggregationTemporality }],
]);

export const Summary = defineMessage(`${PKG}.Summary`, [
  [1, 'data_points', 'message', { repeated: true, message: () => SummaryDataPoint }],
]);

export const Metric = defineMessage(`${PKG}.Metric`, [
  [1, 'name', 'string'],
  [2, 'description', 'string'],
  [3, 'unit', 'string'],
  // Fields 4, 6 and 8 are reserved.
  [5, 'gauge', 'message', { oneof: 'data', message: () => Gauge }],
  [7, 'sum', 'message', { oneof: 'data', message: () => Sum }],
  [9, 'histogram', 'message', { oneof: 'data', message: () => Histogram }],
  [10, 'exponential_histogram', 'message', { oneof: 'data', message: () => ExponentialHistogram }],
  [11, 'summary', 'message', { oneof: 'data', message: () => Summary }],
  [12, 'metadata', 'message', { repeated: true, message: attributes }],
]);

export const ScopeMetrics = defineMessage(`${PKG}.ScopeMetrics`, [
  [1, 'scope', 'message', { message: () => InstrumentationScope }],
  [2, 'metrics', 'message', { repeated: true, message: () => Metric }],
  [3, 'schema_url', 'string'],
]);

export const ResourceMetrics = defineMessage(`${PKG}.ResourceMetrics`, [
  [1, 'resource', 'message', { message: () => Resource }],
  [2, 'scope_metrics', 'message', { repeated: true, message: () => ScopeMetrics }],
  [3, 'schema_url', 'string'],
]);

export const MetricsData = defineMessage(`${PKG}.MetricsData`, [
  [1, 'resource_metrics', 'message', { repeated: true, message: () => ResourceMetrics }],
]);

const SERVICE = 'opentelemetry.proto.collector.metrics.v1';

export const ExportMetricsServiceRequest = defineMessage(`${SERVICE}.ExportMetricsServiceRequest`, [
  [1, 'resource_metrics', 'message', { repeated: true, message: () => ResourceMetrics }],
]);

export const ExportMetricsPartialSuccess = defineMessage(`${SERVICE}.ExportMetricsPartialSuccess`, [
  [1, 'rejected_data_points', 'int64'],
  [2, 'error_message', 'string'],
]);

export const ExportMetricsServiceResponse = defineMessage(`${SERVICE}.ExportMetricsServiceResponse`, [
  [1, 'partial_success', 'message', { message: () => ExportMetricsPartialSuccess }],
]);
