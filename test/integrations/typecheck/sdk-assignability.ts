// Compiled (never run) by sdk-types.test.ts: our structural adapters must be accepted wherever the
// real SDK (sdk-trace-base 2.x) expects its interfaces, and the SDK's objects wherever we take ours.
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { SieveSpanExporter, SieveSpanProcessor } from 'otel-sieve/sdk';
import type { ReadableSpan as SieveReadableSpan, TracesPipelineLike } from 'otel-sieve/sdk';

declare const pipeline: TracesPipelineLike;

// The SDK's exporters go into our adapters.
const processor = new SieveSpanProcessor({ pipeline, exporter: new OTLPTraceExporter() });
const wrapped = new SieveSpanExporter({ pipeline, exporter: new InMemorySpanExporter() });

// Our adapters go where the SDK wants its interfaces.
export const asProcessor: SpanProcessor = processor;
export const asExporter: SpanExporter = wrapped;
export const provider = new BasicTracerProvider({ spanProcessors: [processor, new BatchSpanProcessor(wrapped)] });

// The SDK's spans are our ReadableSpans.
declare const sdkSpan: ReadableSpan;
export const ours: SieveReadableSpan = sdkSpan;
