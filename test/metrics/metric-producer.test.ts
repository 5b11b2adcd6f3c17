// The MetricProducer adapter with the real OpenTelemetry JS SDK: a MeterProvider's reader merges
// our span metrics with its own instruments, the SDK's OTLP serializer encodes them, and the
// independent oracle decodes the result. Our structural types must also type-check against the
// SDK's declarations.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { init, createMetricProducer, mergeMetricsData } from 'otel-sieve';
import type { MetricsData } from 'otel-sieve';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { MetricsRequest } from '../helpers/oracle.js';
import { MS } from './helpers/traces.js';
import { connector, feed } from './helpers/metrics.js';

beforeAll(async () => {
  await init();
});

class TestReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

describe('MetricProducer for the OpenTelemetry JS SDK', () => {
  it('ships span metrics and service graphs through a MeterProvider reader and the SDK\'s OTLP serializer', async () => {
    const spans = connector('spanmetrics', { histogram: { unit: 's' } });
    const graph = connector('servicegraph', {});
    feed(spans, [{ attributes: { 'service.name': 'shop', 'service.instance.id': 'i-9' }, spans: [{ name: 'GET /', kind: 2, durationNs: 3n * MS }, { name: 'GET /', kind: 2, durationNs: 7n * MS }] }], 1_000);
    feed(graph, [
      { attributes: { 'service.name': 'a' }, spans: [{ name: 'c', kind: 3, traceId: 'ee'.repeat(16), spanId: '00000000000000e1' }] },
      { attributes: { 'service.name': 'b' }, spans: [{ name: 's', kind: 2, traceId: 'ee'.repeat(16), spanId: '00000000000000e2', parentSpanId: '00000000000000e1' }] },
    ], 1_000);

    const producer = createMetricProducer([spans, graph], { clock: () => 5_000, resourceAttributes: ['service.instance.id'] });
    const reader = new TestReader({ metricProducers: [producer] });
    const provider = new MeterProvider({ readers: [reader] });
    provider.getMeter('app').createCounter('app.requests').add(4, { route: '/' });

    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    const scopes = resourceMetrics.scopeMetrics.map((sm) => [sm.scope.name, sm.metrics.map((m) => m.descriptor.name)]);
    expect(scopes).toEqual([
      ['app', ['app.requests']],
      ['spanmetricsconnector', ['traces.span.metrics.calls', 'traces.span.metrics.duration']],
      ['traces_service_graph', ['traces_service_graph_request_total', 'traces_service_graph_request_server', 'traces_service_graph_request_client']],
    ]);

    const bytes = ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!;
    const decoded = MetricsRequest.toObject(MetricsRequest.decode(bytes), { longs: Number, enums: Number, defaults: false });
    const byName = new Map<string, any>();
    for (const sm of decoded.resourceMetrics[0].scopeMetrics) for (const m of sm.metrics) byName.set(m.name, m);
    const calls = byName.get('traces.span.metrics.calls');
    expect(calls.sum).toMatchObject({ aggregationTemporality: 2, isMonotonic: true });
    expect(calls.sum.dataPoints).toHaveLength(1);
    const p = calls.sum.dataPoints[0];
    expect(p.asInt).toBe(2);
    expect(p.startTimeUnixNano).toBe(1_000_000_000);
    expect(p.timeUnixNano).toBe(5_000_000_000);
    expect(Object.fromEntries(p.attributes.map((a: any) => [a.key, a.value.stringValue]))).toEqual({
      'service.instance.id': 'i-9', 'service.name': 'shop', 'span.name': 'GET /', 'span.kind': 'SPAN_KIND_SERVER', 'status.code': 'STATUS_CODE_UNSET',
    });
    const duration = byName.get('traces.span.metrics.duration');
    expect(duration.unit).toBe('s');
    expect(duration.histogram.dataPoints[0]).toMatchObject({ count: 2, sum: 0.01, min: 0.003, max: 0.007, explicitBounds: [0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15] });
    expect(duration.histogram.dataPoints[0].bucketCounts).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(byName.get('traces_service_graph_request_total').sum.dataPoints[0].asInt).toBe(1);
    expect(byName.get('app.requests').sum.dataPoints[0].asDouble).toBe(4);

    await provider.shutdown();
    spans.shutdown!();
    graph.shutdown!();
  });

  it('reports a failing source as a collection error, still returning the others', async () => {
    const ok = connector('spanmetrics', {});
    feed(ok, [{ attributes: { 'service.name': 's' }, spans: [{ name: 'x' }] }], 0);
    const failing = { collect: (): MetricsData => { throw new Error('source down'); } };
    const result = await createMetricProducer([failing, ok], { clock: () => 1 }).collect();
    expect(result.errors.map((e) => (e as Error).message)).toEqual(['source down']);
    expect(result.resourceMetrics.scopeMetrics.map((s) => s.scope.name)).toEqual(['spanmetricsconnector']);
    expect(mergeMetricsData().resourceMetrics).toEqual([]);
    ok.shutdown!();
  });

  it('its types are assignable to @opentelemetry/sdk-metrics\' MetricProducer, MetricReaderOptions and ResourceMetrics', () => {
    const root = join(import.meta.dirname, '..', '..');
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const file = join(import.meta.dirname, 'sdk-types', 'producer-assignable.ts');
    const out = execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--types', 'node', file], { cwd: root, encoding: 'utf8' });
    expect(out).toBe('');
  });
});
