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
export { registerRegexEngine } from './processors/regex-matcher.js';
export type { RegexEngine, CompiledRegex } from './processors/regex-matcher.js';
