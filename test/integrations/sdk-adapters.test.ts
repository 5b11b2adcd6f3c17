// The SDK adapters with the real SDK (sdk-trace-base 2.x): SieveSpanProcessor groups each trace's
// local spans until the last ends so decisions see whole traces; SieveSpanExporter wraps any
// exporter. Kept spans reach the wrapped exporter as the SDK's own objects; edited ones as
// ReadableSpans that reflect the edits and serialize exactly like the originals otherwise.
import { context, trace, SpanKind } from '@opentelemetry/api';
import { BatchSpanProcessor, SimpleSpanProcessor, SamplingDecision } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan as SdkReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from 'otel-sieve';
import { SieveSpanExporter, SieveSpanProcessor } from 'otel-sieve/sdk';
import type { ExportResult, ReadableSpan, SpanExporter } from 'otel-sieve/sdk';
// @ts-expect-error plain JS shared with the workerd harness
import { dropHealthChecks, holdUntilFlush, keepErrorTraces } from './harness/pipelines.mjs';
import { makeTraces, provider, rootWithChildren, sdkSpans } from './helpers/sdk-spans.js';
import { decodeTraces, toHex } from '../helpers/oracle.js';

beforeAll(() => api.init());

/** Records what it is asked to export; answers `result`. */
class RecordingExporter implements SpanExporter {
  readonly calls: ReadableSpan[][] = [];
  shutdowns = 0;
  flushes = 0;
  constructor(private result: ExportResult = { code: 0 }) {}
  get spans(): ReadableSpan[] {
    return this.calls.flat();
  }
  names(): string[] {
    return this.spans.map((s) => s.name).sort();
  }
  export(spans: ReadableSpan[], cb: (r: ExportResult) => void): void {
    this.calls.push(spans);
    queueMicrotask(() => cb(this.result));
  }
  forceFlush(): Promise<void> {
    this.flushes++;
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Removes attribute keys from every span (a stand-in for the redaction processor): edited spans are re-encoded, the rest spliced untouched. */
function redacting(keys: string[]): api.TracesPipelineLike {
  return {
    process(batch) {
      try {
        const touched = batch.spans().map((s) => s.attributes.some((a) => keys.includes(a.key)));
        const untouched = batch.select(touched.map((t) => !t));
        const edited = batch.select(touched);
        const json = edited.toJSON();
        edited.dispose();
        for (const rs of json.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const sp of ss.spans ?? []) sp.attributes = (sp.attributes ?? []).filter((a) => !keys.includes(a.key));
        return [untouched, api.TraceBatch.fromJSON(json)];
      } finally {
        batch.dispose();
      }
    },
    flush: () => [],
  };
}

describe('SieveSpanProcessor', () => {
  it('decides on whole traces: a dropped health check takes its children along, an error keeps its whole trace', async () => {
    const health = new RecordingExporter();
    const errors = new RecordingExporter();
    const p = provider([
      new SieveSpanProcessor({ pipeline: dropHealthChecks(), exporter: health, scheduledDelayMillis: 0 }),
      new SieveSpanProcessor({ pipeline: keepErrorTraces(), exporter: errors, scheduledDelayMillis: 0 }),
    ]);
    const tracer = p.getTracer('t');
    rootWithChildren(tracer, 'GET /health', ['db ping', 'cache ping']);
    rootWithChildren(tracer, 'GET /users', ['db query', 'render']);
    rootWithChildren(tracer, 'POST /pay', ['charge', 'receipt'], { error: 'charge' });
    await settle();
    // Each completed trace was exported once it completed, without a timer (scheduledDelayMillis 0).
    expect(health.names()).toEqual(['GET /users', 'POST /pay', 'charge', 'db query', 'receipt', 'render']);
    expect(errors.names()).toEqual(['POST /pay', 'charge', 'receipt']);
    // All three traces completed within one synchronous stretch: one deferred export carried them.
    expect(health.calls).toHaveLength(1);
    await p.shutdown();
    expect(health.shutdowns).toBe(1);
  });

  it('hands the SDK\'s own span objects to the wrapped exporter when the pipeline kept them unchanged', async () => {
    const memory = new RecordingExporter();
    const seen: SdkReadableSpan[] = [];
    const p = provider([new SieveSpanProcessor({ pipeline: keepErrorTraces(), exporter: memory, scheduledDelayMillis: 0 }), { onStart() {}, onEnd: (s: SdkReadableSpan) => seen.push(s), forceFlush: async () => {}, shutdown: async () => {} }]);
    rootWithChildren(p.getTracer('t'), 'POST /pay', ['charge'], { error: 'charge' });
    await settle();
    expect(memory.spans).toHaveLength(2);
    for (const s of memory.spans) expect(seen).toContain(s);
    await p.shutdown();
  });

  it('waits for the local root: children ending early are held until their trace completes', async () => {
    const memory = new RecordingExporter();
    const processor = new SieveSpanProcessor({ pipeline: dropHealthChecks(), exporter: memory, scheduledDelayMillis: 0 });
    const p = provider([processor]);
    const tracer = p.getTracer('t');
    const root = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER });
    const child = tracer.startSpan('db', {}, trace.setSpan(context.active(), root));
    child.end();
    await settle();
    expect(memory.calls).toHaveLength(0);
    expect(processor.stats()).toMatchObject({ openTraces: 1, bufferedSpans: 1 });
    root.end();
    await settle();
    expect(memory.names()).toEqual(['GET /orders', 'db']);
    expect(processor.stats()).toMatchObject({ openTraces: 0, bufferedSpans: 0, spansEnded: 2, spansExported: 2 });
    await p.shutdown();
  });

  it('with a delay, exports on forceFlush; forceFlush sends ended spans of running traces too (as the spec asks)', async () => {
    const memory = new RecordingExporter();
    const processor = new SieveSpanProcessor({ pipeline: dropHealthChecks(), exporter: memory });
    const p = provider([processor]);
    const tracer = p.getTracer('t');
    rootWithChildren(tracer, 'GET /a', ['x']);
    const running = tracer.startSpan('GET /long');
    tracer.startSpan('step', {}, trace.setSpan(context.active(), running)).end();
    await settle();
    expect(memory.calls).toHaveLength(0);
    await processor.forceFlush();
    expect(memory.names()).toEqual(['GET /a', 'step', 'x']);
    expect(memory.flushes).toBe(1);
    expect(processor.stats().tracesReleasedEarly).toBe(1);
    running.end();
    await processor.forceFlush();
    expect(memory.names()).toEqual(['GET /a', 'GET /long', 'step', 'x']);
    await p.shutdown();
  });

  it('bounds its buffers: a full queue drops (counted, reported); too many open traces release the oldest early', async () => {
    const memory = new RecordingExporter();
    const failures: api.ExportFailure[] = [];
    const processor = new SieveSpanProcessor({ pipeline: dropHealthChecks(), exporter: memory, maxQueueSize: 4, maxExportBatchSize: 4, maxOpenTraces: 2, onFailure: (f) => failures.push(f) });
    const p = provider([processor]);
    const tracer = p.getTracer('t');
    // Three roots running at once: the first trace is released early when the third starts.
    const roots = ['r1', 'r2', 'r3'].map((n) => tracer.startSpan(n));
    tracer.startSpan('r1-child', {}, trace.setSpan(context.active(), roots[0]!)).end();
    const r3 = trace.setSpan(context.active(), roots[2]!);
    for (let i = 0; i < 5; i++) tracer.startSpan(`r3-child-${i}`, {}, r3).end();
    await processor.forceFlush();
    for (const r of roots) r.end();
    await processor.forceFlush();
    const stats = processor.stats();
    expect(stats.spansDropped).toBeGreaterThan(0);
    expect(stats.tracesReleasedEarly).toBeGreaterThan(0);
    // Every sampled span is accounted for: exported or dropped.
    expect(stats.spansExported + stats.spansDropped).toBe(stats.spansEnded);
    expect(stats.spansEnded).toBe(9);
    expect(failures.every((f) => f.kind === 'dropped' && /maxQueueSize 4/.test(f.error.message))).toBe(true);
    expect(failures.reduce((n, f) => n + f.items, 0)).toBe(stats.spansDropped);
    await p.shutdown();
  });

  it('a refusal drops the spans it covers, counted and reported; a failing exporter counts as failed', async () => {
    const failures: api.ExportFailure[] = [];
    const refusing = { process() { throw new api.PipelineRefusedError('memory_limiter: over the soft limit', 5); }, flush: () => [] };
    const processor = new SieveSpanProcessor({ pipeline: refusing, exporter: new RecordingExporter(), scheduledDelayMillis: 0, onFailure: (f) => failures.push(f) });
    const failing = new SieveSpanProcessor({ pipeline: dropHealthChecks(), exporter: new RecordingExporter({ code: 1, error: new Error('collector down') }), scheduledDelayMillis: 0, onFailure: (f) => failures.push(f) });
    const p = provider([processor, failing]);
    rootWithChildren(p.getTracer('t'), 'GET /x', ['y']);
    await p.forceFlush();
    expect(processor.stats()).toMatchObject({ spansDropped: 2, spansExported: 0 });
    expect(failing.stats()).toMatchObject({ spansFailed: 2, spansExported: 0 });
    expect(failures.map((f) => [f.kind, f.items, f.error.message])).toEqual([
      ['dropped', 2, 'data refused: memory_limiter: over the soft limit; retry after 5 s'],
      ['failed', 2, 'collector down'],
    ]);
    await p.shutdown();
  });

  it('ignores unsampled spans, like the SDK\'s processors, and spans after shutdown', async () => {
    const memory = new RecordingExporter();
    const processor = new SieveSpanProcessor({ pipeline: dropHealthChecks(), exporter: memory, scheduledDelayMillis: 0 });
    const recordOnly = { shouldSample: () => ({ decision: SamplingDecision.RECORD }), toString: () => 'record-only' };
    const p = provider([processor]);
    // A provider whose sampler records without sampling (traceFlags 0).
    const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
    const unsampled = new BasicTracerProvider({ sampler: recordOnly, spanProcessors: [processor] });
    rootWithChildren(unsampled.getTracer('t'), 'GET /quiet', ['x']);
    await settle();
    expect(memory.calls).toHaveLength(0);
    expect(processor.stats()).toMatchObject({ spansEnded: 0, openTraces: 0 });
    await p.shutdown();
    rootWithChildren(p.getTracer('t'), 'GET /late', []);
    await settle();
    expect(memory.calls).toHaveLength(0);
    expect(memory.shutdowns).toBe(1);
  });

  it('passes edited spans on as ReadableSpans that reflect the edit and keep everything else', async () => {
    const memory = new RecordingExporter();
    const originals: SdkReadableSpan[] = [];
    const p = provider([
      new SieveSpanProcessor({ pipeline: redacting(['http.method', 'db.system']), exporter: memory, scheduledDelayMillis: 0 }),
      { onStart() {}, onEnd: (s: SdkReadableSpan) => originals.push(s), forceFlush: async () => {}, shutdown: async () => {} },
    ]);
    makeTraces(p.getTracer('shop-http', '2.3.4'), p.getTracer('shop-db'));
    await p.forceFlush();
    expect(memory.spans).toHaveLength(originals.length);
    const edited = memory.spans.filter((s) => !originals.includes(s as unknown as SdkReadableSpan));
    expect(edited.map((s) => s.name).sort()).toEqual(['GET /users/:id', 'SELECT users']);
    for (const s of edited) {
      expect(s.attributes['http.method']).toBeUndefined();
      expect(s.attributes['db.system']).toBeUndefined();
      const original = originals.find((o) => o.spanContext().spanId === s.spanContext().spanId)!;
      // Apart from the removed attributes, it serializes exactly as the original does.
      const stripped = { ...original, spanContext: () => original.spanContext(), attributes: Object.fromEntries(Object.entries(original.attributes).filter(([k]) => k !== 'http.method' && k !== 'db.system')) };
      const want = decodeTraces(ProtobufTraceSerializer.serializeRequest([stripped as unknown as SdkReadableSpan])!);
      const got = decodeTraces(ProtobufTraceSerializer.serializeRequest([s as unknown as SdkReadableSpan])!);
      expect(got).toEqual(want);
    }
    // The resource was untouched (re-encoded, same content): the edited spans share the SDK's Resource object.
    expect(edited[0]!.resource).toBe(originals[0]!.resource);
    await p.shutdown();
  });
});

describe('SieveSpanExporter', () => {
  it('filters each export; under a SimpleSpanProcessor it sees one span at a time (children of a dropped root pass)', async () => {
    const memory = new RecordingExporter();
    const p = provider([new SimpleSpanProcessor(new SieveSpanExporter({ pipeline: dropHealthChecks(), exporter: memory }) as never)]);
    rootWithChildren(p.getTracer('t'), 'GET /health', ['db ping']);
    rootWithChildren(p.getTracer('t'), 'GET /users', []);
    await p.forceFlush();
    expect(memory.names()).toEqual(['GET /users', 'db ping']);
    await p.shutdown();
    expect(memory.shutdowns).toBe(1);
  });

  it('under a BatchSpanProcessor whole batches are judged together', async () => {
    const memory = new RecordingExporter();
    const p = provider([new BatchSpanProcessor(new SieveSpanExporter({ pipeline: keepErrorTraces(), exporter: memory }) as never)]);
    rootWithChildren(p.getTracer('t'), 'POST /pay', ['charge', 'receipt'], { error: 'charge' });
    rootWithChildren(p.getTracer('t'), 'GET /users', ['db']);
    await p.forceFlush();
    expect(memory.names()).toEqual(['POST /pay', 'charge', 'receipt']);
    await p.shutdown();
  });

  it('reports SUCCESS when the pipeline dropped everything, FAILED for refusals and for the wrapped exporter\'s failures', async () => {
    const spans = (await sdkSpans()) as unknown as ReadableSpan[];
    const results: ExportResult[] = [];
    const dropAll = { process(b: api.TraceBatch) { b.dispose(); return []; }, flush: () => [] };
    const failures: api.ExportFailure[] = [];
    const onFailure = (f: api.ExportFailure) => failures.push(f);
    const cb = (r: ExportResult) => results.push(r);
    new SieveSpanExporter({ pipeline: dropAll, exporter: new RecordingExporter(), onFailure }).export(spans, cb);
    new SieveSpanExporter({ pipeline: { process() { throw new api.PipelineRefusedError('busy'); }, flush: () => [] }, exporter: new RecordingExporter(), onFailure }).export(spans, cb);
    new SieveSpanExporter({ pipeline: keepErrorTraces(), exporter: new RecordingExporter({ code: 1, error: new Error('HTTP 400') }), onFailure }).export(spans, cb);
    await settle();
    expect(results.map((r) => [r.code, r.error?.message])).toEqual([[0, undefined], [1, 'data refused: busy'], [1, 'HTTP 400']]);
    expect(failures.map((f) => [f.kind, f.items])).toEqual([['dropped', 5], ['failed', 3]]);
  });

  it('forceFlush releases what a buffering pipeline holds: the original objects while remembered, faithful rebuilds after', async () => {
    const spans = (await sdkSpans()) as unknown as ReadableSpan[];
    for (const maxRetainedSpans of [2048, 0]) {
      const memory = new RecordingExporter();
      const e = new SieveSpanExporter({ pipeline: holdUntilFlush(), exporter: memory, maxRetainedSpans });
      const results: ExportResult[] = [];
      e.export(spans, (r) => results.push(r));
      expect(results).toEqual([{ code: 0 }]);
      expect(memory.calls).toHaveLength(0);
      await e.forceFlush();
      expect(memory.spans).toHaveLength(spans.length);
      const same = memory.spans.filter((s) => spans.includes(s)).length;
      expect(same).toBe(maxRetainedSpans ? spans.length : 0);
      // Rebuilt or not, the SDK serializes them to the same request as the originals.
      const key = (s: ReadableSpan) => s.spanContext().spanId;
      const order = (list: ReadableSpan[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
      const want = decodeTraces(ProtobufTraceSerializer.serializeRequest(order(spans) as unknown as SdkReadableSpan[])!);
      const got = decodeTraces(ProtobufTraceSerializer.serializeRequest(order(memory.spans) as unknown as SdkReadableSpan[])!);
      const flat = (d: { resourceSpans: { resource: unknown; scopeSpans: { scope: unknown; spans: { spanId: Uint8Array }[] }[] }[] }) =>
        d.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ resource: rs.resource, scope: ss.scope, span: s })))).sort((a, b) => toHex(a.span.spanId).localeCompare(toHex(b.span.spanId)));
      expect(flat(got)).toEqual(flat(want));
      await e.shutdown();
      expect(memory.shutdowns).toBe(1);
    }
  });

  it('after shutdown, exports fail (counted) instead of vanishing', async () => {
    const failures: api.ExportFailure[] = [];
    const e = new SieveSpanExporter({ pipeline: dropHealthChecks(), exporter: new RecordingExporter(), onFailure: (f) => failures.push(f) });
    await e.shutdown();
    const results: ExportResult[] = [];
    e.export((await sdkSpans()) as unknown as ReadableSpan[], (r) => results.push(r));
    expect(results[0]!.code).toBe(1);
    expect(failures.map((f) => [f.kind, f.items])).toEqual([['dropped', 5]]);
  });
});
