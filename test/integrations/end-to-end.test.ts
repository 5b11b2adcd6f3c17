// End to end in Node: the real OpenTelemetry SDK exporting with its own OTLP exporters (protobuf,
// gzip; and JSON) → our handler on a socket → a pipeline → the otlphttp exporter → a local sink.
// The spans at the sink are exactly those the pipeline should keep, compared by id with what the
// SDK produced; and the SieveSpanProcessor path in front of the SDK's OTLPTraceExporter.
import { context, trace } from '@opentelemetry/api';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan as SdkReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from 'otel-sieve';
import { SieveSpanProcessor } from 'otel-sieve/sdk';
// @ts-expect-error plain JS
import { dropHealthChecks, keepErrorTraces } from './harness/pipelines.mjs';
import { startSink } from './helpers/otlp-sink.js';
import type { Sink } from './helpers/otlp-sink.js';
import { serveHandler } from './helpers/serve-handler.js';
import type { Served } from './helpers/serve-handler.js';
import { provider, rootWithChildren } from './helpers/sdk-spans.js';

let sink: Sink;
beforeAll(async () => {
  await api.init();
  sink = await startSink();
});
afterAll(() => sink.close());

const key = (s: SdkReadableSpan) => `${s.spanContext().traceId}/${s.spanContext().spanId}`;

/** A workload: health checks with children, normal requests, failing requests, nested spans. */
function workload(p: ReturnType<typeof provider>): void {
  const tracer = p.getTracer('e2e', '1.0.0');
  for (let i = 0; i < 5; i++) {
    rootWithChildren(tracer, 'GET /health', ['db ping']);
    rootWithChildren(tracer, `GET /users/${i}`, ['db query', 'render']);
    rootWithChildren(tracer, 'POST /checkout', ['charge', 'email'], { error: i % 2 === 0 ? 'charge' : undefined });
  }
  const root = tracer.startSpan('GET /reports');
  const ctx = trace.setSpan(context.active(), root);
  const mid = tracer.startSpan('build', {}, ctx);
  tracer.startSpan('GET /healthz', {}, trace.setSpan(ctx, mid)).end();
  mid.end();
  root.end();
}

/** What dropHealthChecks keeps: not /health spans and not their direct children. */
function expectedAfterDropHealth(spans: SdkReadableSpan[]): string[] {
  const health = new Set(spans.filter((s) => /\/health/.test(s.name)).map((s) => s.spanContext().spanId));
  return spans.filter((s) => !health.has(s.spanContext().spanId) && !health.has(s.parentSpanContext?.spanId ?? '')).map(key).sort();
}

function expectedAfterKeepErrors(spans: SdkReadableSpan[]): string[] {
  const failed = new Set(spans.filter((s) => s.status.code === 2).map((s) => s.spanContext().traceId));
  return spans.filter((s) => failed.has(s.spanContext().traceId)).map(key).sort();
}

async function throughHandler(pipeline: api.TracesPipelineLike, makeExporter: (url: string) => unknown, upstream: api.OtlpHttpExporterConfig): Promise<{ produced: SdkReadableSpan[]; handler: api.OtlpHandler }> {
  const exporter = new api.OtlpHttpExporter({ ...upstream, endpoint: sink.url });
  const handler = api.createOtlpHandler(pipeline, { exporters: [exporter] });
  const served: Served = await serveHandler(handler);
  try {
    const memory = new InMemorySpanExporter();
    const p = provider([new SimpleSpanProcessor(memory), new BatchSpanProcessor(makeExporter(`${served.url}/v1/traces`) as never)]);
    workload(p);
    await p.forceFlush();
    // Read before shutdown: the in-memory exporter forgets its spans then.
    const produced = [...memory.getFinishedSpans()] as SdkReadableSpan[];
    await p.shutdown();
    await handler.flush();
    return { produced, handler };
  } finally {
    await served.close();
  }
}

describe('SDK → handler → pipeline → otlphttp → sink', () => {
  it('protobuf + gzip from the SDK\'s OTLPTraceExporter; health checks and their children dropped', async () => {
    sink.requests.length = 0;
    const { produced, handler } = await throughHandler(dropHealthChecks(), (url) => new ProtoExporter({ url, compression: 'gzip' as never }), { encoding: 'proto' });
    expect(produced.length).toBe(43);
    const want = expectedAfterDropHealth(produced);
    expect(want.length).toBe(32);
    expect(sink.spanKeys().sort()).toEqual(want);
    expect(handler.stats()).toMatchObject({ responses: { 200: 1 }, spansAccepted: 43, spansExported: 32 });
  });

  it('OTLP/JSON from the SDK\'s JSON exporter, forwarded as JSON; only traces with an error kept', async () => {
    sink.requests.length = 0;
    const { produced } = await throughHandler(keepErrorTraces(), (url) => new JsonExporter({ url }), { encoding: 'json', compression: 'none' });
    const want = expectedAfterKeepErrors(produced);
    expect(want.length).toBe(9);
    expect(sink.spanKeys().sort()).toEqual(want);
    expect(sink.requests.every((r) => r.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('SieveSpanProcessor in front of the SDK\'s OTLPTraceExporter, sending to a local handler with a second pipeline', async () => {
    sink.requests.length = 0;
    // In-process: whole traces, health checks dropped. At the endpoint: only traces with an error.
    const handler = api.createOtlpHandler(keepErrorTraces(), { exporters: [new api.OtlpHttpExporter({ endpoint: sink.url })] });
    const served = await serveHandler(handler);
    try {
      const memory = new InMemorySpanExporter();
      const processor = new SieveSpanProcessor({ pipeline: dropHealthChecks(), exporter: new ProtoExporter({ url: `${served.url}/v1/traces` }), scheduledDelayMillis: 0 });
      const p = provider([new SimpleSpanProcessor(memory), processor]);
      workload(p);
      await p.forceFlush();
      const produced = [...memory.getFinishedSpans()] as SdkReadableSpan[];
      await p.shutdown();
      await handler.flush();
      const afterProcessor = new Set(expectedAfterDropHealth(produced));
      const want = expectedAfterKeepErrors(produced.filter((s) => afterProcessor.has(key(s))));
      expect(want.length).toBe(9);
      expect(sink.spanKeys().sort()).toEqual(want);
      expect(processor.stats()).toMatchObject({ spansEnded: 43, spansExported: 32, spansDropped: 0, spansFailed: 0 });
      expect(handler.stats()).toMatchObject({ spansAccepted: 32, spansExported: 9 });
    } finally {
      await served.close();
    }
  });
});
