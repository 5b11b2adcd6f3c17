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
export { Pipeline } from './pipeline/pipeline.js';
export type { PipelineOptions } from './pipeline/pipeline.js';
export { ComponentRegistry } from './pipeline/component-registry.js';
export type { ProcessorFactory, ConnectorFactory } from './pipeline/component-registry.js';
export { builtinComponents } from './pipeline/builtin-components.js';
export { DataRefusedError } from './pipeline/data-refused-error.js';
export type { TracesProcessor, TracesToMetricsConnector, ComponentContext, Millis } from './pipeline/types.js';
export { ConfigError } from './config/config-error.js';
export type { ConfigPosition } from './config/config-error.js';
export { ConfigReader } from './config/config-reader.js';
export { parseGoDuration } from './config/duration.js';
export { readCollectorConfig } from './config/collector-config.js';
export type { CollectorConfig, PipelineConfig, ComponentConfig, Signal } from './config/collector-config.js';
export { concatTraceBatches, splitTraceBatch } from './otlp/trace-concat.js';
export { BloomFilter, DEFAULT_BLOOM_OPTIONS, bloomBlocksFor } from './bloom/bloom-filter.js';
export type { BloomFilterOptions } from './bloom/bloom-filter.js';
export { registerYaml } from './config/yaml-module.js';
export type { YamlModule } from './config/yaml-module.js';
export { registerRegexEngine, coreRegexEngine } from './processors/regex-matcher.js';
export type { RegexEngine, CompiledRegex } from './processors/regex-matcher.js';
export { Regex } from './regex/regex.js';
export { RegexSyntaxError } from './regex/syntax.js';
export type { RegexOptions } from './regex/compile.js';
export { traceql, query, CompiledQuery, DEFAULT_SEARCH_OPTIONS } from './traceql/query.js';
export type { SearchOptions } from './traceql/query.js';
export { TraceQLError } from './traceql/errors.js';
export type { TraceQLErrorStage } from './traceql/errors.js';
export type { SearchResponse, SearchTrace, SearchSpanSet, SearchSpan, SearchKeyValue, SearchAnyValue } from './traceql/search-response.js';
export type { QueryRangeResponse, MetricsSeries, MetricsSample, MetricsLabel, MetricsRange } from './traceql/metrics.js';
export type { Query as TraceQLQuery } from './traceql/ast.js';
// Integrations: the OTLP/HTTP endpoint, exporters, and the contract they expect from a pipeline.
export { createOtlpHandler } from './handler/otlp-handler.js';
export type { OtlpHandler, OtlpHandlerStats, WaitUntilContext } from './handler/otlp-handler.js';
export { DEFAULT_OTLP_HANDLER_OPTIONS } from './handler/otlp-handler-options.js';
export type { OtlpHandlerOptions } from './handler/otlp-handler-options.js';
export type { CorsOptions } from './handler/cors.js';
export { PipelineRefusedError } from './integrations/pipeline-refused-error.js';
export type { TracesPipelineLike, PipelineResult } from './integrations/pipeline-like.js';
export type { TracesExporter, ExportOutcome, ExporterStats, ExportFailure } from './exporters/traces-exporter.js';
export { OtlpHttpExporter } from './exporters/otlphttp/otlphttp-exporter.js';
export type { OtlpHttpExporterOptions } from './exporters/otlphttp/otlphttp-exporter.js';
export { DEFAULT_OTLP_HTTP_EXPORTER_CONFIG } from './exporters/otlphttp/otlphttp-config.js';
export type { OtlpHttpExporterConfig } from './exporters/otlphttp/otlphttp-config.js';
export { DEFAULT_OTLP_HTTP_SENDER_OPTIONS } from './exporters/otlphttp/otlp-http-sender.js';
export type { OtlpHttpSenderOptions } from './exporters/otlphttp/otlp-http-sender.js';
export { DebugExporter, DEFAULT_DEBUG_EXPORTER_CONFIG } from './exporters/debug/debug-exporter.js';
export type { DebugExporterConfig, DebugExporterOptions } from './exporters/debug/debug-exporter.js';
export { OtlpHttpMetricsExporter } from './exporters/metrics/otlphttp-metrics-exporter.js';
export type { OtlpHttpMetricsExporterOptions } from './exporters/metrics/otlphttp-metrics-exporter.js';
export {
  createPrometheusHandler, DEFAULT_PROMETHEUS_HANDLER_OPTIONS, PROMETHEUS_CONTENT_TYPE,
} from './exporters/metrics/prometheus-handler.js';
export type { PrometheusHandlerOptions } from './exporters/metrics/prometheus-handler.js';
export type { OtlpMetricsSource, PrometheusSource, MetricsPayload } from './exporters/metrics/metrics-source.js';
export { pipelineMetricsSource, MetricsSnapshot } from './exporters/metrics/pipeline-metrics-source.js';
export type { MetricsCollector, PipelineMetricsSource, PipelineMetricsSourceOptions } from './exporters/metrics/pipeline-metrics-source.js';
export { DebugMetricsExporter } from './exporters/debug/debug-metrics-exporter.js';
export { createTracesExporter, createTracesExporters, createMetricsExporter, createSignalExporter } from './exporters/exporter-factory.js';
export type {
  ExporterFactoryOptions, FileExporterClass, MetricsExporter, MetricsPushExporter, PrometheusPullExporter,
} from './exporters/exporter-factory.js';
// Metrics from traces (issue 5): connectors, the metrics data model and its encoders.
export { connectorFactories } from './connectors/index.js';
export type { TracesToMetricsConnectorFactory } from './connectors/index.js';
export { SpanMetricsConnector, createSpanMetricsConnector } from './connectors/spanmetrics/spanmetrics-connector.js';
export type { SpanMetricsStats } from './connectors/spanmetrics/spanmetrics-connector.js';
export { parseSpanMetricsConfig, DEFAULT_SPANMETRICS_CONFIG, DEFAULT_SPANMETRICS_BUCKETS_MS, TEMPO_SPANMETRICS_BUCKETS_S } from './connectors/spanmetrics/spanmetrics-config.js';
export type { SpanMetricsConfig, SpanMetricsDimension, SpanMetricsProfile } from './connectors/spanmetrics/spanmetrics-config.js';
export { ServiceGraphConnector, createServiceGraphConnector } from './connectors/servicegraph/servicegraph-connector.js';
export type { ServiceGraphStats } from './connectors/servicegraph/servicegraph-connector.js';
export {
  parseServiceGraphConfig, DEFAULT_SERVICEGRAPH_CONFIG, DEFAULT_SERVICEGRAPH_BUCKETS_S, TEMPO_SERVICEGRAPH_BUCKETS_S,
} from './connectors/servicegraph/servicegraph-config.js';
export type { ServiceGraphConfig, ServiceGraphProfile } from './connectors/servicegraph/servicegraph-config.js';
export { ConnectorConfigError } from './connectors/config/connector-config-error.js';
export { CoreMemoryError } from './connectors/core-memory-error.js';
export {
  AGGREGATION_TEMPORALITY_DELTA, AGGREGATION_TEMPORALITY_CUMULATIVE, millisToNanos, mergeMetricsData, dataPointCount,
} from './metrics/metrics-data.js';
export type {
  MetricsData, ResourceMetrics, ScopeMetrics, MetricsResource, MetricsScope, Metric, SumData, GaugeData, HistogramData,
  ExponentialHistogramData, NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint, ExponentialBuckets, Exemplar,
  AggregationTemporality,
} from './metrics/metrics-data.js';
export { encodeMetricsProtobuf } from './metrics/otlp-metrics-protobuf.js';
export { metricsToOtlpJson } from './metrics/otlp-metrics-json.js';
export { renderPrometheusText, PROMETHEUS_TEXT_CONTENT_TYPE } from './metrics/prometheus-text.js';
export { renderOpenMetricsText, OPENMETRICS_CONTENT_TYPE } from './metrics/openmetrics-text.js';
export { DEFAULT_EXPOSITION_OPTIONS } from './metrics/exposition-families.js';
export type { ExpositionOptions } from './metrics/exposition-families.js';
export { prometheusMetricName, prometheusLabelName } from './metrics/prometheus-naming.js';
export {
  createMetricProducer, toSdkResourceMetrics, SDK_AGGREGATION_TEMPORALITY, SDK_DATA_POINT_TYPE, SDK_VALUE_TYPE,
} from './metrics/metric-producer.js';
export type {
  SdkMetricProducer, SdkCollectionResult, SdkResourceMetrics, SdkScopeMetrics, SdkMetricData, SdkDataPoint, SdkHistogram,
  SdkExponentialHistogram, SdkResource, SdkHrTime, SdkAttributes, MetricsSource, MetricProducerOptions,
} from './metrics/metric-producer.js';
export { serializeMetrics, metricsFormatForPath, METRICS_CONTENT_TYPES } from './metrics/serialize-metrics.js';
export type { MetricsFormat } from './metrics/serialize-metrics.js';
export { LogBatch } from './otlp/log-batch.js';
export { LogRecordView, LogResourceView, LogScopeView } from './otlp/log-views.js';
export type { OtlpJsonLogs, OtlpJsonResourceLogs, OtlpJsonScopeLogs, OtlpJsonLogRecord } from './otlp/log-json.js';
export { MetricBatch } from './otlp/metric-batch.js';
export {
  MetricView, MetricResourceView, MetricScopeView, NumberDataPointView, HistogramDataPointView,
  ExponentialHistogramDataPointView, SummaryDataPointView, ExemplarView,
} from './otlp/metric-views.js';
export type { DataPointView, MetricType, ExponentialBuckets as ExponentialBucketsView, ValueAtQuantile } from './otlp/metric-views.js';
export type {
  OtlpJsonMetrics, OtlpJsonResourceMetrics, OtlpJsonScopeMetrics, OtlpJsonMetric, OtlpJsonNumberDataPoint,
  OtlpJsonHistogramDataPoint, OtlpJsonExponentialHistogramDataPoint, OtlpJsonSummaryDataPoint, OtlpJsonBuckets,
  OtlpJsonExemplar,
} from './otlp/metric-json.js';
// Logs and metrics through the pipeline (issue 9): per-signal processors, logs following traces.
export type { SignalProcessor, LogsProcessor, MetricsProcessor, SignalBatches } from './pipeline/types.js';
export type { SignalPipeline } from './pipeline/pipeline.js';
export { PendingEdits } from './pipeline/pending-edits.js';
export type { AnyBatch } from './pipeline/pending-edits.js';
export { TRACE_KEPT, TRACE_DROPPED, TRACE_PENDING, TRACE_UNKNOWN, isTraceLookup } from './correlation/trace-lookup.js';
export type { TraceLookup, TraceDecision } from './correlation/trace-lookup.js';
export { concatBatches, sliceBatch, batchItemCount } from './otlp/batch-concat.js';
// OTTL conditions (filter processor, tail-sampling ottl_condition).
export { ottl } from './ottl/index.js';
export { OttlError } from './ottl/errors.js';
export type { OttlErrorStage } from './ottl/errors.js';
export { OttlRuntimeError } from './ottl/condition-set.js';
export type { ErrorMode as OttlErrorMode } from './ottl/condition-set.js';
export type { EvaluateOptions as OttlEvaluateOptions, Evaluation as OttlEvaluation } from './ottl/evaluate.js';
export type { ContextName as OttlContextName } from './ottl/contexts.js';
export type { CompiledCondition as OttlCompiledCondition } from './ottl/condition.js';
export { filterProcessorFactory, logsFilterProcessorFactory, metricsFilterProcessorFactory } from './processors/filter/filter-factory.js';
export type { FilterConfig, TraceQLDrop } from './processors/filter/filter-config.js';
// Pipeline programs (issue 8): a collector config compiled once, run by the core — here, in the
// WebAssembly Component and in the collector plug-ins (bindings/).
export { compilePipelineProgram } from './program/compile-program.js';
export type { CompileProgramOptions } from './program/compile-program.js';
export { PipelineProgramRunner } from './program/program-runner.js';
export type { ProgramOutput } from './program/program-runner.js';
export { PipelineProgramError } from './program/program-error.js';
export type { PipelineProgramFailure } from './program/program-error.js';
// The gateway's trace store and Tempo's query API over it (web-standard, any runtime; `otel-sieve
// serve` runs them on Node).
export { TraceStore, traceIdBytes } from './gateway/trace-store/trace-store.js';
export type { TraceStoreStats, NanoRange, StoreSearchOptions, StoreSearchResult, EvictionReason } from './gateway/trace-store/trace-store.js';
export { DEFAULT_TRACE_STORE_CONFIG } from './gateway/trace-store/trace-store-config.js';
export type { TraceStoreConfig } from './gateway/trace-store/trace-store-config.js';
export { createTempoApi } from './gateway/tempo/tempo-api.js';
export type { TempoApiOptions } from './gateway/tempo/tempo-api.js';
