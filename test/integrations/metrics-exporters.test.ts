// Transports for derived metrics: the OTLP/HTTP push exporter (same retry/queue machinery as the
// traces exporter, /v1/metrics, rejected data points) and the Prometheus pull handler (content
// negotiation, methods, errors). The sources here are stand-ins encoded by the oracle; the real
// ones come from the metrics work (see docs/INTEGRATIONS.md, "Connecting derived metrics").
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from 'otel-sieve';
import { startSink } from './helpers/otlp-sink.js';
import type { Sink } from './helpers/otlp-sink.js';

const require = createRequire(import.meta.url);
const metricsV1 = require('otlp-oracle/build/esm/generated/root.js').opentelemetry.proto.collector.metrics.v1;

const request = {
  resourceMetrics: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
    scopeMetrics: [{
      scope: { name: 'otel-sieve/spanmetrics' },
      metrics: [{
        name: 'traces.span.metrics.calls',
        sum: {
          aggregationTemporality: 2,
          isMonotonic: true,
          dataPoints: [
            { asInt: 3, timeUnixNano: '1700000000000000000', attributes: [{ key: 'span.name', value: { stringValue: 'GET /users' } }] },
            { asInt: 1, timeUnixNano: '1700000000000000000', attributes: [{ key: 'span.name', value: { stringValue: 'POST /checkout' } }] },
          ],
        },
      }],
    }],
  }],
};
const protobufBody = new Uint8Array(metricsV1.ExportMetricsServiceRequest.encode(metricsV1.ExportMetricsServiceRequest.fromObject(request)).finish());
const jsonBody = JSON.stringify(request);

let sink: Sink;
beforeAll(async () => {
  sink = await startSink();
});
afterAll(() => sink.close());

const FAST = { initial_interval: '5ms', max_interval: '5ms', max_elapsed_time: '2s' };

describe('OTLP/HTTP metrics push', () => {
  it('collects from the source in the configured encoding and POSTs to /v1/metrics', async () => {
    sink.requests.length = 0;
    sink.respond(() => ({ status: 200 }));
    const asked: string[] = [];
    const source: api.OtlpMetricsSource = {
      collect: ({ encoding }) => {
        asked.push(encoding);
        return { body: encoding === 'protobuf' ? protobufBody : jsonBody, dataPoints: 2 };
      },
    };
    const e = new api.OtlpHttpMetricsExporter(source, { endpoint: sink.url, retry_on_failure: FAST });
    expect(e.url).toBe(`${sink.url}/v1/metrics`);
    expect(await e.push()).toEqual({ delivered: 2, lost: 0 });
    const json = new api.OtlpHttpMetricsExporter(source, { metrics_endpoint: `${sink.url}/m`, encoding: 'json', compression: 'none', retry_on_failure: FAST });
    expect(await json.push()).toEqual({ delivered: 2, lost: 0 });
    expect(asked).toEqual(['protobuf', 'json']);
    const [pb, js] = sink.requests;
    expect(pb!.path).toBe('/v1/metrics');
    expect(pb!.headers['content-encoding']).toBe('gzip');
    const decoded = metricsV1.ExportMetricsServiceRequest.toObject(metricsV1.ExportMetricsServiceRequest.decode(pb!.body), { longs: String });
    expect(decoded.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints.map((d: { asInt: string }) => d.asInt)).toEqual(['3', '1']);
    expect(js!.path).toBe('/m');
    expect(js!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(js!.body.toString('utf8'))).toEqual(request);
  });

  it('retries like the traces exporter and counts rejected data points of a partial success', async () => {
    sink.requests.length = 0;
    const partial = metricsV1.ExportMetricsServiceResponse.encode({ partialSuccess: { rejectedDataPoints: 1, errorMessage: 'stale' } }).finish();
    sink.respond((_r, i) => (i === 0 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: partial }));
    const failures: api.ExportFailure[] = [];
    const e = new api.OtlpHttpMetricsExporter({ collect: () => ({ body: protobufBody, dataPoints: 2 }) }, { endpoint: sink.url, retry_on_failure: FAST }, { onFailure: (f) => failures.push(f) });
    expect(await e.push()).toMatchObject({ delivered: 1, lost: 1 });
    expect(sink.requests).toHaveLength(2);
    expect(e.stats()).toMatchObject({ received: 2, delivered: 1, rejected: 1, retries: 1 });
    expect(failures.map((f) => f.error.message)).toEqual(['partial success: the server rejected 1 item(s): stale']);
  });

  it('sends nothing when the source has nothing, and reports a failing or mismatched source', async () => {
    sink.requests.length = 0;
    const failures: api.ExportFailure[] = [];
    const onFailure = (f: api.ExportFailure) => failures.push(f);
    expect(await new api.OtlpHttpMetricsExporter({ collect: () => null }, { endpoint: sink.url }, { onFailure }).push()).toEqual({ delivered: 0, lost: 0 });
    expect(sink.requests).toHaveLength(0);
    const throwing = new api.OtlpHttpMetricsExporter({ collect: () => { throw new Error('series table corrupt'); } }, { endpoint: sink.url }, { onFailure });
    expect((await throwing.push()).error?.message).toBe('collecting metrics failed: series table corrupt');
    const mismatched = new api.OtlpHttpMetricsExporter({ collect: async () => ({ body: jsonBody, dataPoints: 2 }) }, { endpoint: sink.url }, { onFailure });
    expect((await mismatched.push()).error?.message).toBe('the metrics source returned text for encoding proto');
    expect(failures).toHaveLength(2);
    expect(() => new api.OtlpHttpMetricsExporter({} as api.OtlpMetricsSource, { endpoint: sink.url })).toThrow(/source must have collect/);
  });
});

describe('Prometheus pull handler', () => {
  const text = '# HELP calls_total Calls\n# TYPE calls_total counter\ncalls_total{span_name="GET /users"} 3\n';
  const source: api.PrometheusSource = { render: (format) => (format === 'openmetrics' ? `${text}# EOF\n` : text) };

  it('serves the text format, or OpenMetrics when the scraper asks for it', async () => {
    const handler = api.createPrometheusHandler(source);
    const plain = await handler(new Request('http://h/metrics', { headers: { accept: 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1' } }));
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await plain.text()).toBe(text);
    const om = await handler(new Request('http://h/metrics', { headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' } }));
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(await om.text()).toBe(`${text}# EOF\n`);
    const noOm = api.createPrometheusHandler(source, { openMetrics: false });
    expect((await noOm(new Request('http://h/metrics', { headers: { accept: 'application/openmetrics-text' } }))).headers.get('content-type')).toBe(api.PROMETHEUS_CONTENT_TYPE);
    const head = await handler(new Request('http://h/metrics', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 404 elsewhere, 405 for other methods, 500 when rendering fails', async () => {
    const errors: Error[] = [];
    const handler = api.createPrometheusHandler({ render: () => Promise.reject(new Error('cardinality table unavailable')) }, { onError: (e) => errors.push(e) });
    expect((await handler(new Request('http://h/other'))).status).toBe(404);
    const post = await handler(new Request('http://h/metrics', { method: 'POST', body: 'x' }));
    expect([post.status, post.headers.get('allow'), await post.text()]).toEqual([405, 'GET, HEAD', '405 method not allowed, supported: [GET, HEAD]']);
    const failed = await handler(new Request('http://h/metrics'));
    expect([failed.status, await failed.text()]).toEqual([500, '500 collecting metrics failed: cardinality table unavailable']);
    expect(errors).toHaveLength(1);
    expect(() => api.createPrometheusHandler({} as api.PrometheusSource)).toThrow(/source must have render/);
  });
});
