// Spans made by the real OpenTelemetry JS SDK (sdk-trace-base 2.x): a provider with an in-memory
// exporter, and helpers that build traces of known shape (remote parents, links, events,
// tracestate, every attribute kind the SDK accepts).
import { context, trace, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export function provider(processors: SpanProcessor[], service = 'shop'): BasicTracerProvider {
  return new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment': 'test' }), spanProcessors: processors });
}

/** Finished spans of a few realistic traces, straight from the SDK. */
export async function sdkSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const p = provider([new SimpleSpanProcessor(memory)]);
  const tracer = p.getTracer('shop-http', '2.3.4');
  const other = p.getTracer('shop-db');
  makeTraces(tracer, other);
  await p.forceFlush();
  const spans = memory.getFinishedSpans();
  await p.shutdown();
  return spans as ReadableSpan[];
}

/** A remote parent context as an incoming traceparent/tracestate would give. */
export function remoteParent(traceparent: string, tracestate?: string) {
  const carrier: Record<string, string> = { traceparent, ...(tracestate ? { tracestate } : {}) };
  return new W3CTraceContextPropagator().extract(context.active(), carrier, { get: (c, k) => c[k], keys: (c) => Object.keys(c) });
}

export function makeTraces(tracer: Tracer, other: Tracer): void {
  // A server span under a remote parent with tracestate, children, an event and a link.
  const parent = remoteParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'vendor=abc,ot=th:0');
  const root = tracer.startSpan('GET /users/:id', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.method': 'GET', 'http.status_code': 200, 'http.duration_ratio': 0.25, 'http.ok': true,
      'tags': ['a', 'b'], 'codes': [200, 404], 'flags': [true, false], 'mixed.nulls': ['x', null as unknown as string],
      'big.int': 2 ** 60, 'negative': -42, 'unicode': 'naïve – ✓', 'empty': '',
    },
    links: [{ context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true }, attributes: { 'link.kind': 'follows' } }],
  }, parent);
  root.addEvent('cache.miss', { key: 'user:42' });
  root.addEvent('no-attributes');
  const ctx = trace.setSpan(parent, root);
  const db = other.startSpan('SELECT users', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } }, ctx);
  db.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
  db.recordException(new Error('deadlock detected'));
  db.end();
  const internal = tracer.startSpan('render', {}, ctx);
  internal.setStatus({ code: SpanStatusCode.OK });
  internal.end();
  root.end();
  // A local root with a producer/consumer pair.
  const job = tracer.startSpan('enqueue', { kind: SpanKind.PRODUCER });
  const consumer = tracer.startSpan('process', { kind: SpanKind.CONSUMER }, trace.setSpan(context.active(), job));
  consumer.end();
  job.end();
}

/** Runs `fn` under a fresh root span and returns it ended. */
export function rootWithChildren(tracer: Tracer, name: string, children: string[], opts: { error?: string } = {}): Span {
  const root = tracer.startSpan(name, { kind: SpanKind.SERVER });
  const ctx = trace.setSpan(context.active(), root);
  for (const c of children) {
    const child = tracer.startSpan(c, {}, ctx);
    if (opts.error === c) child.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
    child.end();
  }
  root.end();
  return root;
}
