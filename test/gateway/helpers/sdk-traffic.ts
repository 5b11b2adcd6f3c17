// Traffic from three services instrumented with the real OpenTelemetry JS SDK (sdk-trace-base 2.x
// and the OTLP/HTTP protobuf exporter): frontend → checkout → cart as client/server pairs, every
// third order failing in cart. Returns the spans the SDK produced (an in-memory exporter beside
// the OTLP one), to compare with what the gateway answers.
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

export const SERVICES = ['frontend', 'checkout', 'cart'] as const;

export async function sendShopTraffic(otlpUrl: string, orders = 12): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const providers = SERVICES.map((service) => new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory), new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpUrl }))],
  }));
  const [frontend, checkout, cart] = providers.map((p, i) => p.getTracer(`${SERVICES[i]}-http`, '1.0.0'));
  for (let i = 0; i < orders; i++) {
    const root = frontend!.startSpan(`GET /orders/${i % 3}`, { kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id', 'app.order.index': i } });
    const c1 = frontend!.startSpan('POST checkout', { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), root));
    const s1 = checkout!.startSpan('PlaceOrder', { kind: SpanKind.SERVER, attributes: { 'app.user.tier': i % 2 ? 'gold' : 'free' } }, trace.setSpan(context.active(), c1));
    if (i % 2 === 0) {
      const c2 = checkout!.startSpan('GET cart', { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), s1));
      const s2 = cart!.startSpan('GetCart', { kind: SpanKind.SERVER }, trace.setSpan(context.active(), c2));
      if (i % 3 === 0) s2.setStatus({ code: SpanStatusCode.ERROR, message: 'cart unavailable' });
      s2.end();
      c2.end();
    }
    s1.end();
    c1.end();
    root.end();
  }
  for (const p of providers) await p.forceFlush();
  const spans = [...(memory.getFinishedSpans() as ReadableSpan[])];
  for (const p of providers) await p.shutdown();
  return spans;
}

/** Distinct trace ids of `spans`, sorted. */
export function traceIds(spans: readonly ReadableSpan[]): string[] {
  return [...new Set(spans.map((s) => s.spanContext().traceId))].sort();
}
