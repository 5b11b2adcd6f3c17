// Spans made by the real OpenTelemetry JS SDK (sdk-trace-base 2.12.1), deterministic: ids from a
// seeded generator and explicit times, so serialized payloads are the same on every run.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import type { Attributes, Link } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` finished spans over two resources and three scopes, with every kind of attribute value. */
export function makeSdkSpans(count: number, seed = 1): ReadableSpan[] {
  const random = seededRandom(seed);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const int = (n: number) => Math.floor(random() * n);
  const idGenerator = { generateTraceId: () => hex(32), generateSpanId: () => hex(16) };
  const exporter = new InMemorySpanExporter();
  const providers = [
    resourceFromAttributes({ 'service.name': 'checkout', 'host.name': 'node-1', 'process.pid': 4242 }),
    resourceFromAttributes({ 'service.name': 'päyments', 'deployment.environment': 'prod', 'ratio': 0.25 }),
  ].map((resource) => new BasicTracerProvider({ resource, idGenerator, spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  const tracers = providers.flatMap((p) => [
    p.getTracer('http', '1.2.3'),
    p.getTracer('db', undefined, { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' }),
    p.getTracer('queue'),
  ]);
  const kinds = [SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];
  const words = ['GET', 'POST', '/api/orders', 'naïve', 'quote " and \\ backslash', 'line\nbreak', '😀 emoji', ''];
  const base = 1_700_000_000;
  for (let i = 0; i < count; i++) {
    const tracer = tracers[i % tracers.length];
    const attributes: Attributes = {
      'http.method': words[int(2)],
      'http.status_code': 200 + int(400),
      'http.url': `https://example.com${words[2]}/${i}?q=${words[int(words.length)]}`,
      'net.peer.port': int(65536),
      'retry.ratio': random() * 100,
      'big.int': 2 ** 53 + 2 * int(1000),
      'negative': -int(1_000_000),
      'cache.hit': random() < 0.5,
      'tags': ['a', words[int(words.length)], 'c'],
      'codes': [1, 2, int(1000)],
      'weights': [0.5, random()],
      'flags.list': [true, false],
    };
    const links: Link[] =
      i % 3 === 0
        ? [
            {
              context: { traceId: hex(32), spanId: hex(16), traceFlags: TraceFlags.SAMPLED, isRemote: true, traceState: new TraceState('vendor=abc,other=1') },
              attributes: { 'link.kind': 'follows', 'link.n': i },
            },
            { context: { traceId: hex(32), spanId: hex(16), traceFlags: TraceFlags.NONE } },
          ]
        : [];
    // Some spans get a remote parent (flags 0x300 | sampled) carrying a tracestate.
    const parent =
      i % 4 === 1
        ? trace.setSpanContext(ROOT_CONTEXT, {
            traceId: hex(32),
            spanId: hex(16),
            traceFlags: TraceFlags.SAMPLED,
            isRemote: true,
            traceState: new TraceState('congo=t61rcWkgMzE'),
          })
        : ROOT_CONTEXT;
    const start: [number, number] = [base + i, int(1_000_000_000)];
    const span = tracer.startSpan(`${words[i % 3]} span ${i}`, { kind: kinds[i % kinds.length], attributes, links, startTime: start }, parent);
    if (i % 2 === 0) {
      span.addEvent('exception', { 'exception.message': words[int(words.length)], 'exception.type': 'Error' }, [base + i, 500]);
      span.addEvent('checkpoint', undefined, [base + i, 900_000_000]);
    }
    if (i % 5 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom ünïcode' });
    else if (i % 5 === 1) span.setStatus({ code: SpanStatusCode.OK });
    span.end([base + i + 1, int(1_000_000_000)]);
  }
  return exporter.getFinishedSpans();
}
