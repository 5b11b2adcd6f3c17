// End to end for logs and metrics in Node: the real OpenTelemetry SDK (sdk-logs, sdk-metrics)
// exporting with its real OTLP/HTTP protobuf exporters → our handler on a socket (/v1/logs,
// /v1/metrics) → a collector-shaped pipeline → the otlphttp exporter → a local sink. What arrives
// is decoded with the independent oracle and compared by content with what the SDK produced, after
// the transformations the config asks for. The logs also pass through SieveLogRecordProcessor in
// front of the SDK's exporter (a client-side pipeline).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import * as api from 'otel-sieve';
import { SieveLogRecordProcessor } from 'otel-sieve/sdk';
import { startSink } from './helpers/otlp-sink.js';
import type { Sink } from './helpers/otlp-sink.js';
import { serveHandler } from './helpers/serve-handler.js';
import { decodedLogs, decodedPoints } from '../helpers/signal-requests.js';

let sink: Sink;
beforeAll(async () => {
  await api.init();
  sink = await startSink();
});
afterAll(() => sink.close());

const SERVER_CONFIG = {
  receivers: { otlp: { protocols: { http: {} } } },
  processors: {
    redaction: { allow_all_keys: true, blocked_key_patterns: ['^user\\.'], summary: 'info' },
    'attributes/logs': { include: { match_type: 'strict', log_severity_number: { min: 'WARN' } }, actions: [{ key: 'alert', value: true, action: 'insert' }] },
    'attributes/metrics': { include: { match_type: 'regexp', metric_names: ['^http\\.'] }, actions: [{ key: 'user.id', action: 'delete' }, { key: 'gateway', value: 'edge-1', action: 'insert' }] },
    batch: { timeout: '0s' },
  },
  exporters: { otlphttp: { endpoint: 'http://upstream.invalid' } },
  service: {
    pipelines: {
      logs: { receivers: ['otlp'], processors: ['redaction', 'attributes/logs', 'batch'], exporters: ['otlphttp'] },
      metrics: { receivers: ['otlp'], processors: ['attributes/metrics', 'redaction', 'batch'], exporters: ['otlphttp'] },
    },
  },
};

describe('SDK exporters → handler → pipeline → otlphttp → sink', () => {
  it('logs and metrics arrive transformed as configured, nothing else changed', async () => {
    const pipeline = api.Pipeline.fromConfig(SERVER_CONFIG);
    const handler = api.createOtlpHandler(pipeline, { exporters: [new api.OtlpHttpExporter({ endpoint: sink.url })] });
    const served = await serveHandler(handler);
    const before = sink.requests.length;
    try {
      // Logs: the SDK's LoggerProvider, SieveLogRecordProcessor (client side: a 100 % sampler hashing
      // order.id, which writes the sampling attributes, and an attribute) in front of the SDK's
      // OTLP/HTTP protobuf exporter, plus an in-memory copy of what was emitted.
      const emitted = new InMemoryLogRecordExporter();
      const clientSide = api.Pipeline.fromConfig({
        receivers: { otlp: { protocols: { http: {} } } },
        processors: { probabilistic_sampler: { sampling_percentage: 100, attribute_source: 'record', from_attribute: 'order.id' }, 'attributes/client': { actions: [{ key: 'client.side', value: true, action: 'insert' }] } },
        exporters: { debug: {} },
        service: { pipelines: { logs: { receivers: ['otlp'], processors: ['probabilistic_sampler', 'attributes/client'], exporters: ['debug'] } } },
      });
      const processor = new SieveLogRecordProcessor({ pipeline: clientSide.forSignal('logs'), exporter: new OTLPLogExporter({ url: `${served.url}/v1/logs` }), scheduledDelayMillis: 0 });
      const logs = new LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': 'shop', 'user.region': 'eu' }),
        processors: [new SimpleLogRecordProcessor({ exporter: emitted }), processor],
      });
      const logger = logs.getLogger('checkout', '1.2.0');
      const severities = [SeverityNumber.DEBUG, SeverityNumber.INFO, SeverityNumber.WARN, SeverityNumber.ERROR];
      for (let i = 0; i < 20; i++) {
        logger.emit({ severityNumber: severities[i % 4], severityText: ['DEBUG', 'INFO', 'WARN', 'ERROR'][i % 4], body: `order ${i}`, attributes: { 'order.id': i, 'user.email': `u${i}@example.com` } });
      }
      await logs.forceFlush();

      // Metrics: the SDK's MeterProvider with a periodic reader and the OTLP/HTTP protobuf exporter.
      const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${served.url}/v1/metrics` }), exportIntervalMillis: 60_000 });
      const meters = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'shop' }), readers: [reader] });
      const meter = meters.getMeter('http', '1.0.0');
      const requests = meter.createCounter('http.server.requests');
      const duration = meter.createHistogram('http.server.duration', { unit: 'ms' });
      const queue = meter.createUpDownCounter('queue.depth');
      for (let i = 0; i < 6; i++) {
        requests.add(1, { route: `/r${i % 2}`, 'user.id': `u${i % 3}` });
        duration.record(10 + i, { route: `/r${i % 2}` });
        queue.add(i % 2 ? 1 : -1, { 'user.id': 'u0' });
      }
      await meters.forceFlush();
      await handler.flush();

      const arrived = sink.requests.slice(before);
      const logBodies = arrived.filter((r) => r.path === '/v1/logs').map((r) => new Uint8Array(r.body));
      const metricBodies = arrived.filter((r) => r.path === '/v1/metrics').map((r) => new Uint8Array(r.body));
      expect(logBodies.length).toBeGreaterThan(0);
      expect(metricBodies.length).toBeGreaterThan(0);

      // Logs at the sink: every emitted record, with the client's and the server's edits.
      const got = logBodies.flatMap(decodedLogs).sort((a, b) => String(a.body).localeCompare(String(b.body), 'en', { numeric: true }));
      const sent = emitted.getFinishedLogRecords();
      expect(got.map((l) => l.body)).toEqual(sent.map((r) => r.body).sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true })));
      for (const l of got) {
        const i = Number(String(l.body).split(' ')[1]);
        expect(l.attrs['order.id']).toBe(BigInt(i));
        expect(l.attrs['user.email']).toBe('****');
        expect(l.attrs['client.side']).toBe(true);
        expect(l.attrs['sampling.threshold']).toBe('0');
        expect(l.attrs['sampling.randomness']).toMatch(/^[0-9a-f]{14}$/);
        expect(l.attrs.alert).toBe(i % 4 >= 2 ? true : undefined);
        expect(l.attrs['redaction.masked.count']).toBe(1n);
        // redaction (summary info) lets every other key through; only allowed_values matches count as allowed.
        expect(l.attrs['redaction.allowed.count']).toBeUndefined();
        const keys = ['order.id', 'user.email', 'client.side', 'sampling.randomness', 'sampling.threshold', 'redaction.masked.count', ...(i % 4 >= 2 ? ['alert'] : [])];
        expect(Object.keys(l.attrs).sort()).toEqual(keys.sort());
        expect(l.resource).toMatchObject({ 'service.name': 'shop', 'user.region': '****' });
        expect(l.severity).toBe(severities[i % 4]);
      }
      expect(processor.stats()).toMatchObject({ emitted: 20, exported: 20, dropped: 0 });

      // Metrics at the sink: the http.* points lost user.id and gained gateway; queue.depth keeps
      // its point, user.id masked by the redaction that follows.
      const points = metricBodies.flatMap(decodedPoints);
      const byMetric = (name: string) => points.filter((p) => p.metric === name);
      expect(byMetric('http.server.requests').map((p) => p.attrs.route).sort()).toEqual(['/r0', '/r0', '/r0', '/r1', '/r1', '/r1']);
      for (const p of [...byMetric('http.server.requests'), ...byMetric('http.server.duration')]) {
        expect(p.attrs['user.id']).toBeUndefined();
        expect(p.attrs.gateway).toBe('edge-1');
      }
      expect(byMetric('http.server.duration')).toHaveLength(2);
      expect(byMetric('queue.depth').map((p) => p.attrs)).toEqual([{ 'user.id': '****', 'redaction.masked.count': 1n }]);

      const stats = handler.stats();
      expect(stats.logRecordsAccepted).toBe(20);
      expect(stats.logRecordsExported).toBe(20);
      expect(stats.dataPointsAccepted).toBe(points.length);
      expect(stats.responses[200]).toBeGreaterThanOrEqual(2);
      await logs.shutdown();
      await meters.shutdown();
    } finally {
      await served.close();
    }
  });

  it('a pipeline without logs answers 404 on /v1/logs; OTLP/JSON logs and partial success per signal', async () => {
    const tracesOnly = api.createOtlpHandler({ process: (b: api.TraceBatch) => [b], flush: () => [] });
    const r404 = await tracesOnly(new Request('http://x/v1/logs', { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(0) }));
    expect(r404.status).toBe(404);
    const rejecting = api.createOtlpHandler({
      logs: { process: (b: api.LogBatch) => ({ batches: [b], rejectedSpans: 2, message: 'two records were invalid' }), flush: () => [] },
    });
    const json = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'a' } }, { body: { stringValue: 'b' } }] }] }] });
    const res = await rejecting(new Request('http://x/v1/logs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: json }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ partialSuccess: { rejectedLogRecords: '2', errorMessage: 'two records were invalid' } });
    const bad = await rejecting(new Request('http://x/v1/logs', { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0x05, 0x01]) }));
    expect(bad.status).toBe(400);
    const metricsRes = await api.createOtlpHandler({ metrics: { process: (b: api.MetricBatch) => ({ batches: [b], rejectedSpans: 1 }), flush: () => [] } })(
      new Request('http://x/v1/metrics', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceMetrics: [] }) }),
    );
    expect(await metricsRes.json()).toEqual({ partialSuccess: { rejectedDataPoints: '1' } });
  });
});
