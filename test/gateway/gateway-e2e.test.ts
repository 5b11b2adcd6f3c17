// `otel-sieve serve` end to end: the CLI on a free loopback port, three services instrumented with
// the real OpenTelemetry JS SDK exporting over OTLP/HTTP protobuf, then Tempo's API (search by
// TraceQL, trace by id in JSON and protobuf, tags, tag values, query_range) compared with what the
// SDK produced, /metrics through promtool, health, and SIGTERM writing everything to the file.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll } from '../runtimes/processes.js';
import { decodeTraces, toHex } from '../helpers/oracle.js';
import { decodeMetrics } from '../helpers/oracle-signals.js';
import { startSink } from '../integrations/helpers/otlp-sink.js';
import type { Sink } from '../integrations/helpers/otlp-sink.js';
import { eventually, gatewayDir, startGateway } from './helpers/gateway-process.js';
import type { RunningGateway } from './helpers/gateway-process.js';
import { SERVICES, sendShopTraffic, traceIds } from './helpers/sdk-traffic.js';

const CONFIG = (dir: string, metricsSink: string) => `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:4318
processors:
  tail_sampling:
    decision_wait: 1s
    policies:
      - { name: everything, type: always_sample }
connectors:
  spanmetrics:
    histogram: { unit: s }
    metrics_flush_interval: 1s
  servicegraph:
    metrics_flush_interval: 1s
    store: { ttl: 1s, max_items: 1000 }
exporters:
  file:
    path: ${join(dir, 'out', 'traces.jsonl')}
  prometheus: {}
  otlphttp/metrics:
    endpoint: ${metricsSink}
    compression: none
extensions:
  trace_store:
    max_size_mib: 16
service:
  extensions: [trace_store]
  telemetry:
    logs:
      level: info
  pipelines:
    traces:
      receivers: [otlp]
      processors: [tail_sampling]
      exporters: [file, spanmetrics, servicegraph]
    metrics:
      receivers: [spanmetrics, servicegraph]
      exporters: [prometheus, otlphttp/metrics]
`;

let gw: RunningGateway;
let sink: Sink;
const sent: ReadableSpan[] = [];

beforeAll(async () => {
  const dir = gatewayDir('e2e');
  sink = await startSink();
  gw = await startGateway({ config: CONFIG(dir, sink.url), dir });
  sent.push(...(await sendShopTraffic(`${gw.url}/v1/traces`)));
}, 120_000);

afterAll(async () => {
  await gw?.stop('SIGKILL');
  await sink?.close();
  killAll();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${gw.url}${path}`, { headers });
const noZeros = (id: string) => id.replace(/^0+/, '');
const search = async (q: string) => {
  const res = await get(`/api/search?${new URLSearchParams({ q, limit: '100', spss: '50' })}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { traces: { traceID: string; rootServiceName: string; spanSets: { spans: { spanID: string }[]; matched: number }[] }[] };
};

describe('otel-sieve serve end to end', () => {
  it('keeps what the SDK sent: /api/search finds every trace, TraceQL filters like the spans say', async () => {
    const all = traceIds(sent);
    await eventually(async () => {
      const found = (await search('{ }')).traces.map((t) => t.traceID).sort();
      return found.length === all.length ? found : undefined;
    }, () => `the store should hold ${all.length} traces\n${gw.stderr()}`);
    expect((await search('{ }')).traces.map((t) => t.traceID).sort()).toEqual(all.map(noZeros).sort());
    const errors = traceIds(sent.filter((s) => s.status.code === SpanStatusCode.ERROR));
    expect(errors.length).toBe(2);
    expect((await search('{ status = error }')).traces.map((t) => t.traceID).sort()).toEqual(errors.map(noZeros).sort());
    const withCart = traceIds(sent.filter((s) => s.resource.attributes['service.name'] === 'cart'));
    const cart = await search('{ resource.service.name = "cart" }');
    expect(cart.traces.map((t) => t.traceID).sort()).toEqual(withCart.map(noZeros).sort());
    expect(cart.traces.every((t) => t.rootServiceName === 'frontend')).toBe(true);
    const gold = sent.filter((s) => s.attributes['app.user.tier'] === 'gold');
    const goldResult = await search('{ span.app.user.tier = "gold" }');
    expect(goldResult.traces.flatMap((t) => t.spanSets.flatMap((ss) => ss.spans.map((sp) => sp.spanID))).sort()).toEqual(gold.map((s) => s.spanContext().spanId).sort());
  });

  it('returns each trace by id as the SDK made it, in OTLP JSON and in protobuf', async () => {
    const id = traceIds(sent.filter((s) => s.status.code === SpanStatusCode.ERROR))[0]!;
    const want = sent.filter((s) => s.spanContext().traceId === id);
    const json = await (await get(`/api/traces/${id}`)).json() as { batches: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { spanId: string; parentSpanId?: string; name: string; status?: { code?: number; message?: string } }[] }[] }[] };
    const got = json.batches.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, service: rs.resource.attributes.find((a) => a.key === 'service.name')!.value.stringValue }))));
    const view = (s: { spanId: string; parentSpanId?: string; name: string; service?: string }) => `${s.service}:${s.name}:${s.spanId}<-${s.parentSpanId ?? ''}`;
    expect(got.map(view).sort()).toEqual(want.map((s) => view({ service: String(s.resource.attributes['service.name']), name: s.name, spanId: s.spanContext().spanId, parentSpanId: s.parentSpanContext?.spanId })).sort());
    expect(got.find((s) => s.name === 'GetCart')!.status).toEqual({ code: 2, message: 'cart unavailable' });
    const pb = await get(`/api/traces/${id}`, { accept: 'application/protobuf' });
    expect(pb.headers.get('content-type')).toBe('application/protobuf');
    const decoded = decodeTraces(new Uint8Array(await pb.arrayBuffer()));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const pbIds = decoded.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => toHex(s.spanId))));
    expect(pbIds.sort()).toEqual(want.map((s) => s.spanContext().spanId).sort());
    expect((await get(`/api/v2/traces/${id}`)).status).toBe(200);
    expect((await get('/api/traces/00000000000000000000000000000abc')).status).toBe(404);
  });

  it('answers the tag APIs and query_range from what was sent', async () => {
    const tags = await (await get('/api/v2/search/tags')).json() as { scopes: { name: string; tags: string[] }[] };
    const scope = (n: string) => tags.scopes.find((s) => s.name === n)?.tags ?? [];
    expect(scope('resource')).toEqual(expect.arrayContaining(['service.name', 'deployment.environment']));
    expect(scope('span')).toEqual(expect.arrayContaining(['http.route', 'app.order.index', 'app.user.tier']));
    const services = await (await get('/api/v2/search/tag/resource.service.name/values')).json();
    expect(services).toEqual({ tagValues: SERVICES.map((value) => ({ type: 'string', value })).sort((a, b) => a.value.localeCompare(b.value)) });
    const start = Math.floor(Date.now() / 1000) - 600;
    const range = await (await get(`/api/metrics/query_range?${new URLSearchParams({ q: '{ } | count_over_time() by (resource.service.name)', start: String(start), end: String(start + 660), step: '660s' })}`)).json() as { series: { labels: { value: { stringValue: string } }[]; samples: { value: number }[] }[] };
    const counted = Object.fromEntries(range.series.map((s) => [s.labels[0]!.value.stringValue, s.samples.reduce((n, p) => n + p.value, 0)]));
    expect(counted).toEqual(Object.fromEntries(SERVICES.map((svc) => [svc, sent.filter((s) => s.resource.attributes['service.name'] === svc).length])));
    expect(await (await get('/api/echo')).text()).toBe('echo');
  });

  it('/metrics: its own telemetry and the derived metrics, valid for promtool; OpenMetrics when asked', async () => {
    const text = await eventually(async () => {
      const t = await (await get('/metrics')).text();
      return /traces_service_graph_request_total\{/.test(t) && /traces_span_metrics_calls_total\{/.test(t) ? t : undefined;
    }, () => 'the derived metrics never appeared on /metrics');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    const value = (name: string, labels = '') => {
      const m = new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\S+)$|^${labels ? '$^' : name} (\\S+)$`, 'm').exec(text);
      return Number(m?.[1] ?? m?.[2] ?? NaN);
    };
    expect(value('otelcol_receiver_accepted_spans_total')).toBe(sent.length);
    expect(value('otelcol_receiver_refused_spans_total')).toBe(0);
    expect(value('otelcol_exporter_sent_spans_total', 'exporter="file"')).toBe(sent.length);
    expect(value('otelcol_trace_store_spans')).toBe(sent.length);
    expect(value('otelcol_processor_tail_sampling_global_count_traces_sampled_total', 'sampled="true"')).toBe(traceIds(sent).length);
    expect(text).toMatch(/^otelcol_exporter_queue_capacity\{exporter="file"\} 1000$/m);
    expect(text).toMatch(/^# HELP otelcol_process_memory_rss_bytes /m);
    const edges = [...text.matchAll(/^traces_service_graph_request_total\{([^}]*)\} (\S+)$/gm)].map((m) => [/client="([^"]*)"/.exec(m[1]!)![1], /server="([^"]*)"/.exec(m[1]!)![1]].join('→'));
    expect(new Set(edges)).toEqual(new Set(['frontend→checkout', 'checkout→cart']));
    const om = await get('/metrics', { accept: 'application/openmetrics-text; version=1.0.0' });
    expect(om.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    const omText = await om.text();
    expect(omText.match(/^# EOF$/gm)).toHaveLength(1);
    expect(omText.endsWith('# EOF\n')).toBe(true);
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('pushes the derived metrics over OTLP/HTTP on the connectors\' flush interval', async () => {
    type Point = { attributes: { key: string; value: { stringValue?: string } }[]; asInt?: string | number };
    const calls = await eventually(async () => {
      for (const r of [...sink.requests].reverse()) {
        if (r.path !== '/v1/metrics') continue;
        const doc = decodeMetrics(r.body) as { resourceMetrics: { scopeMetrics: { metrics: { name: string; sum?: { dataPoints: Point[] } }[] }[] }[] };
        const points = doc.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.filter((m) => m.name === 'traces.span.metrics.calls').flatMap((m) => m.sum!.dataPoints)));
        const total = points.reduce((n, p) => n + Number(p.asInt), 0);
        if (total === sent.length) return points;
      }
      return undefined;
    }, () => `no /v1/metrics push counting all ${sent.length} spans (${sink.requests.length} requests)`);
    const services = new Set(calls.map((p) => p.attributes.find((a) => a.key === 'service.name')!.value.stringValue));
    expect(services).toEqual(new Set(SERVICES));
    expect(sink.requests.every((r) => r.path === '/v1/metrics' && r.headers['content-type'] === 'application/x-protobuf')).toBe(true);
  });

  it('SIGTERM: exits 0 after writing every span to the file exporter', async () => {
    expect(await gw.stop('SIGTERM')).toBe(0);
    const lines = readFileSync(join(gw.dir, 'out', 'traces.jsonl'), 'utf8').trim().split('\n');
    const ids = lines.flatMap((l) => (JSON.parse(l) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] }).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId))));
    expect(ids.sort()).toEqual(sent.map((s) => s.spanContext().spanId).sort());
    const logs = gw.stderr().trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['otel-sieve serve listening', 'shutting down', 'stopped']));
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
