// The OpenTelemetry JS SDK in Node with otel-sieve in front of its OTLP exporter: every trace is
// held until its last local span ends, then a collector-shaped tail-sampling config drops health
// checks and keeps only traces worth keeping — errors, slow requests — for the collector.
//
//   OTLP_URL=http://127.0.0.1:4318/v1/traces node main.mjs
import { init, Pipeline } from 'otel-sieve';
import { SieveSpanProcessor } from 'otel-sieve/sdk';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { context, trace, SpanStatusCode } from '@opentelemetry/api';

await init();

const url = process.env.OTLP_URL ?? 'http://127.0.0.1:4318/v1/traces';

/** Keeps traces with an error or longer than 500 ms; drops health checks whole. */
const pipeline = Pipeline.fromConfig({
  receivers: { otlp: { protocols: { http: {} } } },
  processors: {
    tail_sampling: {
      decision_wait: '10s',
      policies: [
        {
          name: 'drop-health-checks',
          type: 'drop',
          drop: { drop_sub_policy: [{ name: 'health-route', type: 'string_attribute', string_attribute: { key: 'http.route', values: ['/health'] } }] },
        },
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: 500 } },
      ],
    },
  },
  // The SDK's own OTLPTraceExporter below sends what is kept, to the same URL.
  exporters: { otlphttp: { traces_endpoint: url } },
  service: { pipelines: { traces: { receivers: ['otlp'], processors: ['tail_sampling'], exporters: ['otlphttp'] } } },
});

const processor = new SieveSpanProcessor({
  pipeline,
  exporter: new OTLPTraceExporter({ url }),
});
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'orders' }),
  spanProcessors: [processor],
});
const tracer = provider.getTracer('orders-http', '1.0.0');

/** A request handled with a root span and children; `fail` marks one child as failed. */
function handle(route, steps, { fail, slowNanos = 0n } = {}) {
  const start = Date.now();
  const root = tracer.startSpan(route, { startTime: slowNanos ? start - Number(slowNanos / 1_000_000n) : start, attributes: { 'http.route': route.split(' ')[1] } });
  const ctx = trace.setSpan(context.active(), root);
  for (const step of steps) {
    const span = tracer.startSpan(step, {}, ctx);
    if (step === fail) span.setStatus({ code: SpanStatusCode.ERROR, message: `${step} failed` });
    span.end();
  }
  root.end();
  return root.spanContext().traceId;
}

const traces = [];
for (let i = 0; i < 20; i++) {
  traces.push({ kind: 'health', traceId: handle('GET /health', ['db ping']) });
  traces.push({ kind: 'ok', traceId: handle(`GET /orders/${i}`, ['db', 'render']) });
  if (i % 5 === 0) traces.push({ kind: 'error', traceId: handle('POST /orders', ['validate', 'charge'], { fail: 'charge' }) });
  if (i % 7 === 0) traces.push({ kind: 'slow', traceId: handle('GET /report', ['aggregate'], { slowNanos: 2_000_000_000n }) });
}

// Flushes what the processor holds through the pipeline and the exporter, then stops.
await provider.shutdown();
console.log(JSON.stringify({ traces, stats: processor.stats() }));
