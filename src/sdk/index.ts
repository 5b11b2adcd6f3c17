// otel-sieve/sdk: adapters for the OpenTelemetry JS SDK (2.x and 3.x), kept out of the main entry
// so edge users who only want the OTLP handler never load them. Call `init()` from `otel-sieve`
// before the first span ends.
export { SieveSpanProcessor, DEFAULT_SIEVE_SPAN_PROCESSOR_OPTIONS } from './sieve-span-processor.js';
export type { SieveSpanProcessorOptions, SieveSpanProcessorStats } from './sieve-span-processor.js';
export { SieveSpanExporter, DEFAULT_SIEVE_SPAN_EXPORTER_OPTIONS } from './sieve-span-exporter.js';
export type { SieveSpanExporterOptions } from './sieve-span-exporter.js';
export { encodeReadableSpans } from './encode-readable-spans.js';
export type { EncodedSpans } from './encode-readable-spans.js';
export { EXPORT_SUCCESS, EXPORT_FAILED } from './sdk-types.js';
export type {
  ReadableSpan, SpanExporter, SpanProcessor, ExportResult, SpanContext, SpanStatus, TimedEvent, Link, Resource,
  InstrumentationScope, Attributes, HrTime, TraceState, SpanLike,
} from './sdk-types.js';
export { PipelineRefusedError } from '../integrations/pipeline-refused-error.js';
export type { TracesPipelineLike, PipelineResult } from '../integrations/pipeline-like.js';
export type { ExportFailure } from '../exporters/traces-exporter.js';
// Logs (issue 9): a LogRecordProcessor around a logs pipeline.
export { SieveLogRecordProcessor, DEFAULT_SIEVE_LOG_RECORD_PROCESSOR_OPTIONS } from './sieve-log-record-processor.js';
export type { SieveLogRecordProcessorOptions, SieveLogRecordProcessorStats } from './sieve-log-record-processor.js';
export { encodeReadableLogs } from './encode-readable-logs.js';
export type { EncodedLogs } from './encode-readable-logs.js';
export type { ReadableLogRecord, LogRecordExporter, LogRecordProcessor, LogBody } from './sdk-log-types.js';
export type { LogsPipelineLike, MetricsPipelineLike, OtlpPipelines } from '../integrations/pipeline-like.js';
