// A page instrumented with the OpenTelemetry web SDK whose spans are filtered in the page before
// they are exported, by a collector-shaped config: health-check traces never leave the browser
// (tail sampling's drop policy), and the value of `user.email` is masked (redaction). The OTLP
// exporter is the SDK's own (OTLP/JSON over fetch).
import { init, Pipeline } from 'otel-sieve';
import { SieveSpanProcessor } from 'otel-sieve/sdk';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { context, trace, SpanStatusCode } from '@opentelemetry/api';

// The bundle ships core.wasm beside itself (see build.mjs); bundlers like Vite find it on their own.
await init(new URL('./core.wasm', import.meta.url));

// An object config: the page then needs no YAML parser in its bundle.
const pipeline = Pipeline.fromConfig({
  receivers: { otlp: { protocols: { http: {} } } },
  processors: {
    tail_sampling: {
      decision_wait: '5s',
      policies: [
        {
          name: 'drop-health-checks',
          type: 'drop',
          drop: { drop_sub_policy: [{ name: 'health-url', type: 'string_attribute', string_attribute: { key: 'http.url', values: ['/health'] } }] },
        },
        { name: 'keep-the-rest', type: 'always_sample' },
      ],
    },
    redaction: { allow_all_keys: true, blocked_key_patterns: ['^user\\.email$'], summary: 'silent' },
  },
  // The SDK's own OTLPTraceExporter below sends what is kept, to the same URL.
  exporters: { otlphttp: { traces_endpoint: new URL('/v1/traces', location.href).href } },
  service: { pipelines: { traces: { receivers: ['otlp'], processors: ['tail_sampling', 'redaction'], exporters: ['otlphttp'] } } },
});

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
  const note = (span, name, url = '') => created.push({ name, url, traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, parentSpanId: span.parentSpanContext?.spanId ?? '' });

  const load = tracer.startSpan('documentLoad', { attributes: { 'user.email': 'ada@example.com' } });
  note(await tracedFetch(load, '/api/products'), 'GET /api/products', '/api/products');
  note(await tracedFetch(load, '/api/cart'), 'GET /api/cart', '/api/cart');
  load.end();
  note(load, 'documentLoad');

  const click = tracer.startSpan('click checkout');
  note(await tracedFetch(click, '/api/checkout'), 'GET /api/checkout', '/api/checkout');
  click.end();
  note(click, 'click checkout');

  // The page's periodic health check: dropped whole by the drop policy.
  const ping = tracer.startSpan('health check');
  note(await tracedFetch(ping, '/health'), 'GET /health', '/health');
  ping.end();
  note(ping, 'health check');

  // As the SDK's browser processors do on visibilitychange/pagehide: send everything now.
  await processor.forceFlush();
  return { created, stats: processor.stats() };
}

addEventListener('pagehide', () => void processor.forceFlush());
