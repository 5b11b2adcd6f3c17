// The public API of otel-sieve. Runtime entries (entry/*.ts) re-export this module after
// registering where core.wasm comes from; `otel-sieve/init` is this module alone.
export { init, initSync, isInitialized, memoryStats } from './core/init.js';
export type { CoreSource, InitOptions, CoreMemoryStats } from './core/init.js';
export { DEFAULT_INIT_OPTIONS } from './core/init.js';
export {
  NotInitializedError, CoreTrapError, StaleHandleError, DisposedError, OtlpDecodeError, InputTooLargeError,
} from './core/errors.js';
export type { DecodeRule } from './core/errors.js';
export { TraceBatch } from './otlp/trace-batch.js';
export { DEFAULT_DECODE_OPTIONS } from './otlp/decode-options.js';
export type { DecodeOptions } from './otlp/decode-options.js';
export { OtlpJsonError } from './otlp/json/otlp-json-error.js';
export type { OtlpJsonRule } from './otlp/json/otlp-json-error.js';
export { otlpJsonToProtobuf } from './otlp/json/json-to-proto.js';
export { SpanView, ResourceView, ScopeView, EventView, LinkView, plainValue } from './otlp/trace-views.js';
export type { AnyValue, KeyValue, Status } from './otlp/trace-views.js';
export type {
  OtlpJsonTraces, OtlpJsonResourceSpans, OtlpJsonScopeSpans, OtlpJsonSpan, OtlpJsonEvent, OtlpJsonLink,
  OtlpJsonAnyValue, OtlpJsonKeyValue, OtlpJsonResource, OtlpJsonScope,
} from './otlp/trace-json.js';
export { LogBatch } from './otlp/log-batch.js';
export { LogRecordView, LogResourceView, LogScopeView } from './otlp/log-views.js';
export type { OtlpJsonLogs, OtlpJsonResourceLogs, OtlpJsonScopeLogs, OtlpJsonLogRecord } from './otlp/log-json.js';
export { MetricBatch } from './otlp/metric-batch.js';
export {
  MetricView, MetricResourceView, MetricScopeView, NumberDataPointView, HistogramDataPointView,
  ExponentialHistogramDataPointView, SummaryDataPointView, ExemplarView,
} from './otlp/metric-views.js';
export type { DataPointView, MetricType, ExponentialBuckets, ValueAtQuantile } from './otlp/metric-views.js';
export type {
  OtlpJsonMetrics, OtlpJsonResourceMetrics, OtlpJsonScopeMetrics, OtlpJsonMetric, OtlpJsonNumberDataPoint,
  OtlpJsonHistogramDataPoint, OtlpJsonExponentialHistogramDataPoint, OtlpJsonSummaryDataPoint, OtlpJsonBuckets,
  OtlpJsonExemplar,
} from './otlp/metric-json.js';
