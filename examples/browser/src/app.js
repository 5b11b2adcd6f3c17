// A page instrumented with the OpenTelemetry web SDK whose spans are filtered in the page before
// they are exported: health checks and everything under them never leave the browser, and the
// value of `user.email` is never sent. The OTLP exporter is the SDK's own (OTLP/JSON over fetch).
import { init, TraceBatch } from 'otel-sieve';
import { SieveSpanProcessor } from 'otel-sieve/sdk';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { context, trace, SpanStatusCode } from '@opentelemetry/api';

// The bundle ships core.wasm beside itself (see build.mjs); bundlers like Vite find it on their own.
await init(new URL('./core.wasm', import.meta.url));

/** Drops health checks with their children; masks user.email where it appears. */
const pipeline = {
  process(batch) {
    try {
      const spans = batch.spans();
      const health = new Set(spans.filter((s) => /\/health/.test(s.name)).map((s) => s.spanId));
      return [batch.filter((s) => !health.has(s.spanId) && !health.has(s.parentSpanId) && !s.attribute('user.email'))]
        .concat(masked(batch, spans, health));
    } finally {
      batch.dispose();
    }
  },
  flush: () => [],
};

/** The kept spans that carry user.email, rewritten with the value masked. */
function masked(batch, spans, health) {
  const mask = spans.map((s) => !health.has(s.spanId) && !health.has(s.parentSpanId) && !!s.attribute('user.email'));
  if (!mask.includes(true)) return [];
  const selected = batch.select(mask);
  const json = selected.toJSON();
  selected.dispose();
  for (const rs of json.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) {
    for (const a of span.attributes ?? []) if (a.key === 'user.email') a.value = { stringValue: '****' };
  }
  return [TraceBatch.fromJSON(json)];
}

const processor = new SieveSpanProcessor({
  pipeline,
  exporter: new OTLPTraceExporter({ url: new URL('/v1/traces', location.href).href }),
  // A page exports each trace when it completes; no timer needed.
  scheduledDelayMillis: 0,
});
const provider = new WebTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'storefront-web' }),
  spanProcessors: [processor],
});
const tracer = provider.getTracer('storefront', '1.0.0');

/** fetch() inside a client span, as the fetch instrumentation would record it. */
async function tracedFetch(parent, path) {
  const span = tracer.startSpan(`GET ${path}`, { attributes: { 'http.url': path } }, trace.setSpan(context.active(), parent));
  try {
    const res = await fetch(path);
    span.setAttribute('http.status_code', res.status);
    if (!res.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.status}` });
    await res.text();
  } finally {
    span.end();
  }
  return span;
}

export async function run() {
  const created = [];
  const note = (span, name) => created.push({ name, traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, parentSpanId: span.parentSpanContext?.spanId ?? '' });

  const load = tracer.startSpan('documentLoad', { attributes: { 'user.email': 'ada@example.com' } });
  note(await tracedFetch(load, '/api/products'), 'GET /api/products');
  note(await tracedFetch(load, '/health'), 'GET /health');
  load.end();
  note(load, 'documentLoad');

  const click = tracer.startSpan('click checkout');
  note(await tracedFetch(click, '/api/checkout'), 'GET /api/checkout');
  click.end();
  note(click, 'click checkout');

  const ping = tracer.startSpan('GET /health');
  note(await tracedFetch(ping, '/api/ping'), 'GET /api/ping');
  ping.end();
  note(ping, 'GET /health');

  // As the SDK's browser processors do on visibilitychange/pagehide: send everything now.
  await processor.forceFlush();
  return { created, stats: processor.stats() };
}

addEventListener('pagehide', () => void processor.forceFlush());
