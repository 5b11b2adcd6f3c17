// /v1/logs and /v1/metrics through the gateway: `Gateway.start` in this process on a free loopback
// port, real OTLP requests (protobuf and JSON, written by the independent oracle), the config's
// logs and metrics pipelines with their processors, otlphttp exporters pointed at a local sink.
// What arrives is decoded by the oracle and compared with what was sent, edited as the processors
// say (records below WARN filtered out, card numbers masked) — and nothing else changed. Then the
// gateway's own telemetry per signal, 404 for a signal without a pipeline, refusals counted per
// signal, and shutdown draining logs a batch processor and logs_follow_traces still hold, traces
// first so the logs follow their traces' decisions.
import '../../dist/src/entry/node.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../dist/src/gateway/gateway.js';
import { startSink } from '../integrations/helpers/otlp-sink.js';
import type { Sink, SinkRequest } from '../integrations/helpers/otlp-sink.js';
import { decodedLogs, decodedPoints, logsRequest, metricsRequest } from '../helpers/signal-requests.js';
import type { DecodedLog, LogResourceSpec, MetricResourceSpec } from '../helpers/signal-requests.js';
import { expectedLogsJson, expectedMetricsJson, METRIC_TYPES } from '../helpers/oracle-signals.js';
import { LogsRequest, MetricsRequest } from '../helpers/oracle.js';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import type { ResourceSpec } from '../helpers/build-request.js';
import { eventually } from './helpers/gateway-process.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const LOOPBACK = { host: '127.0.0.1', port: 0 };
const SEVERITY_NUMBER_WARN = 13;
/** The redaction processor's blocked_values pattern in the config below, as a JS regex. */
const CARD = /[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4}/g;

interface Started {
  gateway: Gateway;
  logs: string[];
  debug: string[];
}

async function start(config: string): Promise<Started> {
  const logs: string[] = [];
  const debug: string[] = [];
  const gateway = await Gateway.start({ config, source: 'signals.yaml', listen: LOOPBACK, logWrite: (l: string) => logs.push(l), debugWrite: (t: string) => debug.push(t) });
  return { gateway, logs, debug };
}

const post = (url: string, body: Uint8Array | string, type = 'application/x-protobuf') => fetch(url, { method: 'POST', headers: { 'content-type': type }, body: body as BodyInit });

/** A value on /metrics: the series of `name` whose labels include `labels`. */
function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'))) {
    const got = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[2]);
  }
  return undefined;
}

// Decoded by the oracle with proto3 defaults filled in: a field written as its default ("" for an
// empty scope version) and one left out are the same data, and encoders differ on writing them.
// Oneof members (AnyValue's, a data point's value) are not filled in, so "" and unset stay apart there.
const PROTO3 = { longs: String, enums: Number, bytes: Uint8Array, defaults: true, arrays: true } as const;
const decodeLogs = (bytes: Uint8Array): any => LogsRequest.toObject(LogsRequest.decode(bytes), PROTO3);
const decodeMetrics = (bytes: Uint8Array): any => MetricsRequest.toObject(MetricsRequest.decode(bytes), PROTO3);

const stringAttr = (attrs: any[] | undefined, key: string): string | undefined => attrs?.find((kv: any) => kv.key === key)?.value?.stringValue;
const onPath = (sink: Sink, path: string): SinkRequest[] => sink.requests.filter((r) => r.path === path);

/** Log records of every scope that `keep` says to keep (the oracle's decoded request, edited in place). */
function keepLogRecords(doc: any, keep: (record: any) => boolean): any {
  for (const rl of doc.resourceLogs ?? []) for (const sl of rl.scopeLogs ?? []) sl.logRecords = (sl.logRecords ?? []).filter(keep);
  return doc;
}

/** Every data point's string attributes with `pattern` masked as the redaction processor masks blocked values. */
function maskPointAttributes(doc: any, pattern: RegExp): any {
  for (const rm of doc.resourceMetrics ?? []) {
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const type = METRIC_TYPES.find((t) => m[t]);
        for (const p of type ? m[type].dataPoints ?? [] : []) {
          for (const kv of p.attributes ?? []) if (typeof kv.value?.stringValue === 'string') kv.value.stringValue = kv.value.stringValue.replace(pattern, '****');
        }
      }
    }
  }
  return doc;
}

const logCount = (bytes: Uint8Array) => decodedLogs(bytes).length;
const pointCount = (bytes: Uint8Array) => decodedPoints(bytes).length;
const byBody = (a: DecodedLog, b: DecodedLog) => String(a.body).localeCompare(String(b.body));

describe('gateway: traces, logs and metrics pipelines side by side', () => {
  let sink: Sink;
  let gw: Started;
  const url = (path: string) => `${gw.gateway.url}${path}`;

  const logResources = (request: string): LogResourceSpec[] => [
    {
      attrs: { 'service.name': 'checkout', request },
      scope: 'checkout.logger',
      records: [
        { severity: 9, severityText: 'INFO', body: `order placed (${request})`, attrs: { 'order.id': 17 } },
        { severity: 13, severityText: 'WARN', body: `retrying payment (${request})`, attrs: { attempt: 2 }, trace: 'abc1', span: 'f1' },
        { severity: 17, severityText: 'ERROR', body: { kvlist: { code: 502, reason: `upstream (${request})` } } },
        { severity: 5, severityText: 'DEBUG', body: `cache miss (${request})` },
        { body: `no severity (${request})` },
      ],
    },
    {
      attrs: { 'service.name': 'cart', request },
      records: [
        { severity: 21, severityText: 'FATAL', body: `out of memory (${request})`, attrs: { 'heap.mib': { double: 511.5 } } },
        { severity: 1, severityText: 'TRACE', body: `entering (${request})` },
      ],
    },
  ];
  const metricResources = (request: string): MetricResourceSpec[] => [{
    attrs: { 'service.name': 'billing', request },
    metrics: [
      { name: 'payments.authorized', type: 'sum', points: [{ attrs: { card: 'paid with 4111-1111-1111-1111', region: 'eu' }, value: 3 }, { attrs: { card: 'cash', region: 'us' }, value: 1 }] },
      { name: 'payments.amount', type: 'histogram', points: [{ attrs: { note: '5500-0000-0000-0004, then 4000-1234-5678-9010' } }] },
      { name: 'queue.depth', type: 'gauge', points: [{ attrs: { worker: 7 }, value: 12 }] },
      { name: 'payments.latency', type: 'summary', points: [{ attrs: { route: '/pay' }, value: 0.25 }] },
    ],
  }];
  const spans: ResourceSpec[] = [{ attrs: { 'service.name': 'shop' }, spans: [{ trace: 'a1', name: 'GET /cart', kind: 2 }, { trace: 'a1', name: 'SELECT cart', kind: 3 }, { trace: 'a2', name: 'GET /', kind: 2 }] }];

  const logsPb = logsRequest(logResources('pb'));
  const logsJsonSource = logsRequest(logResources('json'));
  const metricsPb = metricsRequest(metricResources('pb'));
  const metricsJsonSource = metricsRequest(metricResources('json'));
  const traces = buildRequest(spans);
  const keptBySeverity = (r: any) => !((r.severityNumber ?? 0) < SEVERITY_NUMBER_WARN);
  const logsSent = logCount(logsPb) + logCount(logsJsonSource);
  const logsKept = [logsPb, logsJsonSource].reduce((n, b) => n + decodeLogs(b).resourceLogs.flatMap((rl: any) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords.filter(keptBySeverity))).length, 0);
  const pointsSent = pointCount(metricsPb) + pointCount(metricsJsonSource);

  beforeAll(async () => {
    sink = await startSink();
    gw = await start(`
receivers:
  otlp:
    protocols:
      http:
processors:
  filter/below-warn:
    error_mode: ignore
    logs:
      log_record:
        - severity_number < SEVERITY_NUMBER_WARN
  redaction/cards:
    allow_all_keys: true
    blocked_values: ['[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4}']
    summary: silent
  # Released by the gateway's timer: no request follows the last metrics request.
  batch/metrics:
    timeout: 300ms
connectors:
  spanmetrics:
    metrics_flush_interval: 1s
exporters:
  otlphttp/sink:
    endpoint: ${sink.url}
    compression: none
  debug/all-logs:
    verbosity: normal
    sampling_initial: 1000
  prometheus: {}
extensions:
  trace_store: { enabled: false }
service:
  extensions: [trace_store]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [otlphttp/sink, spanmetrics]
    logs:
      receivers: [otlp]
      processors: [filter/below-warn]
      exporters: [otlphttp/sink]
    logs/all:
      receivers: [otlp]
      exporters: [debug/all-logs]
    metrics:
      receivers: [otlp, spanmetrics]
      processors: [redaction/cards, batch/metrics]
      exporters: [otlphttp/sink, prometheus]
`);
    const answers = [
      await post(url('/v1/traces'), traces),
      await post(url('/v1/logs'), logsPb),
      await post(url('/v1/logs'), JSON.stringify(expectedLogsJson(logsJsonSource)), 'application/json'),
      await post(url('/v1/metrics'), metricsPb),
      await post(url('/v1/metrics'), JSON.stringify(expectedMetricsJson(metricsJsonSource)), 'application/json'),
    ];
    for (const a of answers) expect(a.status, await a.text()).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await gw?.gateway.shutdown('test done');
    await sink?.close();
  });

  it('logs (protobuf and JSON): the filter drops records below WARN, everything else arrives as sent; the other logs pipeline gets every record', async () => {
    for (const [request, source] of [['pb', logsPb], ['json', logsJsonSource]] as const) {
      const want = keepLogRecords(decodeLogs(source), keptBySeverity).resourceLogs;
      const got = await eventually(async () => {
        const found = onPath(sink, '/v1/logs').flatMap((r) => decodeLogs(r.body).resourceLogs).filter((rl: any) => stringAttr(rl.resource?.attributes, 'request') === request);
        return found.length === want.length ? found : undefined;
      }, () => `the ${request} logs never reached the sink (${sink.requests.map((r) => r.path).join(', ')})`);
      expect(got).toEqual(want);
    }
    expect(onPath(sink, '/v1/logs').every((r) => r.headers['content-type'] === 'application/x-protobuf')).toBe(true);
    // logs/all has no processors and its own exporter: it printed every record, kept or not.
    const printed = gw.debug.map((t) => /^Logs \{"resource logs": \d+, "log records": (\d+)\}/.exec(t)).filter((m) => m !== null);
    expect(printed.reduce((n, m) => n + Number(m![1]), 0)).toBe(logsSent);
    const bodies = gw.debug.flatMap((t) => (t.startsWith('Logs ') ? t.split('\n').slice(1) : []));
    expect(bodies.filter((line) => line.startsWith('entering (')).length).toBe(2);
  });

  it('metrics (protobuf and JSON): redaction masks card numbers in data point attributes, nothing else changes; the batch is released by the timer', async () => {
    for (const [request, source] of [['pb', metricsPb], ['json', metricsJsonSource]] as const) {
      const want = maskPointAttributes(decodeMetrics(source), CARD).resourceMetrics;
      const got = await eventually(async () => {
        const found = onPath(sink, '/v1/metrics').flatMap((r) => decodeMetrics(r.body).resourceMetrics).filter((rm: any) => stringAttr(rm.resource?.attributes, 'request') === request);
        return found.length === want.length ? found : undefined;
      }, () => `the ${request} metrics never reached the sink`);
      expect(got).toEqual(want);
      expect(JSON.stringify(got)).not.toMatch(CARD);
      expect(JSON.stringify(got)).toContain('****');
    }
  });

  it('the same metrics pipeline still runs its connector: span metrics are pushed to the sink and served on /metrics', async () => {
    const spanCount = decodedSpans(traces).length;
    await eventually(async () => {
      const calls = onPath(sink, '/v1/metrics').flatMap((r) => decodeMetrics(r.body).resourceMetrics).flatMap((rm: any) => rm.scopeMetrics.flatMap((sm: any) => sm.metrics.filter((m: any) => m.name === 'traces.span.metrics.calls')));
      // Cumulative pushes: the latest one counts every span.
      const last = calls.at(-1);
      return last && last.sum.dataPoints.reduce((n: number, p: any) => n + Number(p.asInt), 0) === spanCount ? true : undefined;
    }, () => 'no span metrics push counting every span');
    const text = await (await fetch(url('/metrics'))).text();
    const served = [...text.matchAll(/^traces_span_metrics_calls_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(served).toBe(spanCount);
    expect(sink.spanKeys().sort()).toEqual(decodedSpans(traces).map((s) => `${s.trace}/${s.span}`).sort());
    // The prometheus exporter cannot show the OTLP metrics: the gateway said so when it started.
    expect(gw.logs.some((l) => /"level":"warn".*service\.pipelines\.metrics\.exporters: \\"prometheus\\": the prometheus exporter serves only what connectors/.test(l))).toBe(true);
    expect(gw.logs.join('\n')).not.toMatch(/not supported by this build/);
    // Nor do the pipeline's processors see what the connector derives.
    expect(gw.logs.some((l) => /"level":"warn".*service\.pipelines\.metrics\.processors: redaction\/cards, batch\/metrics run on metrics received over OTLP only; what spanmetrics derive is exported without them/.test(l))).toBe(true);
  });

  it('/metrics counts each signal: receiver accepted/refused/rejected, processor items per pipeline, exporters per signal', async () => {
    const spanCount = decodedSpans(traces).length;
    const recv = { receiver: 'otlp', transport: 'http' };
    const text = await eventually(async () => {
      const t = await (await fetch(url('/metrics'))).text();
      return metricValue(t, 'otelcol_exporter_sent_log_records_total', { exporter: 'otlphttp/sink' }) === logsKept ? t : undefined;
    }, () => 'the sink never acknowledged every kept log record');
    for (const [items, sent] of [['spans', spanCount], ['log_records', logsSent], ['metric_points', pointsSent]] as const) {
      expect(metricValue(text, `otelcol_receiver_accepted_${items}_total`, recv), items).toBe(sent);
      expect(metricValue(text, `otelcol_receiver_refused_${items}_total`, recv), items).toBe(0);
      expect(metricValue(text, `otelcol_receiver_rejected_${items}_total`, recv), items).toBe(0);
    }
    const filter = { processor: 'filter/below-warn', pipeline: 'logs' };
    expect(metricValue(text, 'otelcol_processor_incoming_items_total', { ...filter, otel_signal: 'logs' })).toBe(logsSent);
    expect(metricValue(text, 'otelcol_processor_outgoing_items_total', { ...filter, otel_signal: 'logs' })).toBe(logsKept);
    expect(metricValue(text, 'otelcol_processor_dropped_log_records_total', { ...filter, reason: 'filtered' })).toBe(logsSent - logsKept);
    const redaction = { processor: 'redaction/cards', pipeline: 'metrics', otel_signal: 'metrics' };
    expect(metricValue(text, 'otelcol_processor_incoming_items_total', redaction)).toBe(pointsSent);
    expect(metricValue(text, 'otelcol_processor_outgoing_items_total', redaction)).toBe(pointsSent);
    expect(metricValue(text, 'otelcol_processor_outgoing_items_total', { ...redaction, processor: 'batch/metrics' })).toBe(pointsSent);
    expect(metricValue(text, 'otelcol_exporter_sent_log_records_total', { exporter: 'debug/all-logs' })).toBe(logsSent);
    expect(metricValue(text, 'otelcol_exporter_sent_spans_total', { exporter: 'otlphttp/sink' })).toBe(spanCount);
    // One exporter id, three instances (one per signal), each queue with its data_type beside traces'.
    expect(text).toMatch(/^otelcol_exporter_queue_capacity\{exporter="otlphttp\/sink"\} \d+$/m);
    expect(metricValue(text, 'otelcol_exporter_queue_capacity', { exporter: 'otlphttp/sink', data_type: 'logs' })).toBeGreaterThan(0);
    expect(metricValue(text, 'otelcol_exporter_queue_capacity', { exporter: 'otlphttp/sink', data_type: 'metrics' })).toBeGreaterThan(0);
    // The OTLP metrics and the connector's pushes share the id: their points are summed.
    await eventually(async () => {
      const t = await (await fetch(url('/metrics'))).text();
      const atSink = onPath(sink, '/v1/metrics').reduce((n, r) => n + pointCount(r.body), 0);
      return metricValue(t, 'otelcol_exporter_sent_metric_points_total', { exporter: 'otlphttp/sink' }) === atSink ? true : undefined;
    }, () => 'otelcol_exporter_sent_metric_points_total never matched the points the sink received');
  });

  it('the overview JSON has the receiver counts per signal', async () => {
    const overview = await (await fetch(url('/api/sieve/overview'))).json() as { signals: Record<string, { accepted: number; refused: number; rejected: number; exported: number }> };
    const spanCount = decodedSpans(traces).length;
    expect(overview.signals).toEqual({
      traces: { accepted: spanCount, refused: 0, rejected: 0, exported: spanCount },
      // Both logs pipelines export: the filtered one what it kept, logs/all every record.
      logs: { accepted: logsSent, refused: 0, rejected: 0, exported: logsKept + logsSent },
      metrics: { accepted: pointsSent, refused: 0, rejected: 0, exported: pointsSent },
    });
  });
});

describe('gateway: a signal without a pipeline, and shutdown', () => {
  it('answers 404 for metrics with no metrics pipeline; shutdown decides traces first, then drains the logs that followed them and the batch they sat in', async () => {
    const sink = await startSink();
    const gw = await start(`
receivers:
  otlp:
    protocols:
      http:
processors:
  tail_sampling:
    decision_wait: 1h
    policies:
      - { name: flagged, type: string_attribute, string_attribute: { key: keep, values: ['yes'] } }
  logs_follow_traces:
    decisions: tail_sampling
    wait: 1h
    undecided: keep
  batch/hold:
    timeout: 1h
    send_batch_size: 100000
exporters:
  otlphttp/sink:
    endpoint: ${sink.url}
    compression: none
extensions:
  trace_store: { enabled: false }
service:
  extensions: [trace_store]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [tail_sampling]
      exporters: [otlphttp/sink]
    logs:
      receivers: [otlp]
      processors: [logs_follow_traces, batch/hold]
      exporters: [otlphttp/sink]
`);
    try {
      const base = gw.gateway.url;
      const metrics = metricsRequest([{ metrics: [{ name: 'm', points: [{ value: 1 }] }] }]);
      for (const [body, type] of [[metrics, 'application/x-protobuf'], [JSON.stringify(expectedMetricsJson(metrics)), 'application/json']] as const) {
        const answer = await post(`${base}/v1/metrics`, body, type);
        expect(answer.status).toBe(404);
        expect(await answer.text()).toBe('404 page not found');
      }

      const spans: ResourceSpec[] = [{ attrs: { 'service.name': 'shop' }, spans: [
        { trace: 'c1', name: 'kept', attrs: { keep: 'yes' } }, { trace: 'c1', name: 'kept child' },
        { trace: 'd2', name: 'dropped', attrs: { keep: 'no' } },
      ] }];
      const keptTraces = new Set(decodedSpans(buildRequest(spans)).filter((s) => s.attrs.keep === 'yes').map((s) => s.trace));
      const logBodies = [
        logsRequest([{ attrs: { 'service.name': 'shop' }, records: [{ body: 'kept trace, first', trace: 'c1', severity: 9 }, { body: 'dropped trace', trace: 'd2', severity: 17 }] }]),
        logsRequest([{ attrs: { 'service.name': 'shop' }, records: [{ body: 'no trace at all', severity: 13 }, { body: 'kept trace, second', trace: 'c1', severity: 9 }] }]),
      ];
      const tracesBody = buildRequest(spans);
      expect((await post(`${base}/v1/traces`, tracesBody)).status).toBe(200);
      for (const body of logBodies) expect((await post(`${base}/v1/logs`, body)).status).toBe(200);
      // A tick passes (every second): traces wait for decision_wait, logs for their traces, the batch for its timeout.
      await new Promise((r) => setTimeout(r, 1500));
      expect(sink.requests).toEqual([]);
      const text = await (await fetch(`${base}/metrics`)).text();
      const follow = { processor: 'logs_follow_traces', pipeline: 'logs', otel_signal: 'logs' };
      expect(metricValue(text, 'otelcol_processor_incoming_items_total', follow)).toBe(logBodies.reduce((n, b) => n + logCount(b), 0));
      expect(metricValue(text, 'otelcol_processor_outgoing_items_total', follow)).toBe(logBodies.reduce((n, b) => n + decodedLogs(b).filter((r) => r.trace === '').length, 0));
      // Waiting and buffered records are not counted as dropped.
      expect(metricValue(text, 'otelcol_processor_dropped_log_records_total', { processor: 'logs_follow_traces' })).toBe(0);
      expect(metricValue(text, 'otelcol_processor_dropped_log_records_total', { processor: 'batch/hold' })).toBe(0);

      expect(await gw.gateway.shutdown('test')).toBe(true);
      const sent = logBodies.flatMap(decodedLogs);
      const want = sent.filter((r) => r.trace === '' || keptTraces.has(r.trace));
      expect(want.length).toBeLessThan(sent.length);
      const got = onPath(sink, '/v1/logs').flatMap((r) => decodedLogs(r.body));
      expect(got.sort(byBody)).toEqual(want.sort(byBody));
      expect(sink.spanKeys().sort()).toEqual(decodedSpans(tracesBody).filter((s) => keptTraces.has(s.trace)).map((s) => `${s.trace}/${s.span}`).sort());
    } finally {
      await gw.gateway.shutdown('test done');
      await sink.close();
    }
  }, 60_000);
});

describe('gateway: refusing logs under pressure', () => {
  it('a full exporter queue on the logs pipeline answers 503 + Retry-After; /metrics counts accepted and refused log records; traces are 404', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const sink = await startSink(async () => {
      await held;
      return { status: 200 };
    });
    const gw = await start(`
receivers:
  otlp:
    protocols:
      http:
exporters:
  otlphttp/slow:
    endpoint: ${sink.url}
    compression: none
    timeout: 30s
    retry_on_failure: { enabled: false }
    sending_queue: { queue_size: 1, num_consumers: 1 }
extensions:
  trace_store: { enabled: false }
service:
  extensions: [trace_store]
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [otlphttp/slow]
`);
    try {
      const base = gw.gateway.url;
      expect((await post(`${base}/v1/traces`, buildRequest([{ spans: [{ trace: 'e1' }] }]))).status).toBe(404);
      const accepted: Uint8Array[] = [];
      const refused: Uint8Array[] = [];
      for (let i = 0; i < 10 && !refused.length; i++) {
        const body = logsRequest([{ records: [{ body: `request ${i}`, severity: 9 }, ...Array.from({ length: i }, (_, k) => ({ body: `request ${i} extra ${k}` }))] }]);
        const answer = await post(`${base}/v1/logs`, body);
        if (answer.status === 200) accepted.push(body);
        else {
          expect(answer.status).toBe(503);
          expect(answer.headers.get('retry-after')).toBe('1');
          expect(await answer.text()).toMatch(/otlphttp\/slow: sending queue is full/);
          refused.push(body);
        }
      }
      expect(refused).toHaveLength(1);
      const text = (await (await fetch(`${base}/metrics`)).text());
      const recv = { receiver: 'otlp', transport: 'http' };
      expect(metricValue(text, 'otelcol_receiver_accepted_log_records_total', recv)).toBe(accepted.reduce((n, b) => n + logCount(b), 0));
      expect(metricValue(text, 'otelcol_receiver_refused_log_records_total', recv)).toBe(logCount(refused[0]!));
      expect(metricValue(text, 'otelcol_receiver_accepted_spans_total')).toBeUndefined();
      release();
      expect(await gw.gateway.shutdown('test')).toBe(true);
      const got = onPath(sink, '/v1/logs').flatMap((r) => decodedLogs(r.body));
      expect(got.sort(byBody)).toEqual(accepted.flatMap(decodedLogs).sort(byBody));
    } finally {
      release();
      await gw.gateway.shutdown('test done');
      await sink.close();
    }
  }, 60_000);
});

describe('gateway: what logs and metrics pipelines cannot do here is a config error that says so', () => {
  const config = (exporters: string, pipelines: string) => `
receivers:
  otlp:
    protocols:
      http:
exporters:
${exporters}
extensions:
  trace_store: { enabled: false }
service:
  extensions: [trace_store]
  pipelines:
${pipelines}`;

  it('OTLP metrics with only a prometheus exporter, a file exporter in a logs pipeline, otlphttp without a logs URL', async () => {
    await expect(start(config('  prometheus: {}', '    metrics:\n      receivers: [otlp]\n      exporters: [prometheus]'))).rejects.toThrow(
      /^signals\.yaml: service\.pipelines\.metrics\.exporters: "prometheus": the prometheus exporter serves only what connectors \(spanmetrics, servicegraph\) derive; it does not expose metrics received over OTLP in this build, and no other exporter of this pipeline takes them/,
    );
    await expect(start(config('  file:\n    path: /tmp/never-written.jsonl', '    logs:\n      receivers: [otlp]\n      exporters: [file]'))).rejects.toThrow(
      /exporters\.file: exporter type "file" cannot be used in a logs pipeline \(supported: otlphttp, debug\)/,
    );
    await expect(start(config('  otlphttp:\n    traces_endpoint: http://127.0.0.1:9/v1/traces', '    logs:\n      receivers: [otlp]\n      exporters: [otlphttp]'))).rejects.toThrow(
      /exporters\.otlphttp: either endpoint or logs_endpoint must be specified/,
    );
  });
});

describe('gateway: logs that follow the trace store', () => {
  const config = (sinkUrl: string, store: boolean) => `
receivers:
  otlp:
    protocols:
      http:
processors:
  tail_sampling:
    decision_wait: 1s
    policies:
      - { name: flagged, type: string_attribute, string_attribute: { key: keep, values: ['yes'] } }
  logs_follow_traces:
    decisions: trace_store
    wait: 2s
    undecided: drop
exporters:
  otlphttp/sink:
    endpoint: ${sinkUrl}
    compression: none
extensions:
  trace_store: { enabled: ${store} }
service:
  extensions: [trace_store]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [tail_sampling]
      exporters: [otlphttp/sink]
    logs:
      receivers: [otlp]
      processors: [logs_follow_traces]
      exporters: [otlphttp/sink]
`;

  it('decisions: trace_store keeps the records of traces the store holds; others wait, then follow `undecided`', async () => {
    const sink = await startSink();
    const gw = await start(config(sink.url, true));
    try {
      const base = gw.gateway.url;
      const spans: ResourceSpec[] = [{ attrs: { 'service.name': 'shop' }, spans: [{ trace: 'c1', name: 'kept', attrs: { keep: 'yes' } }, { trace: 'd2', name: 'dropped', attrs: { keep: 'no' } }] }];
      expect((await post(`${base}/v1/traces`, buildRequest(spans))).status).toBe(200);
      // The tail sampler decides after decision_wait; the kept trace then reaches the store.
      const stored = decodedSpans(buildRequest(spans)).filter((s) => s.attrs.keep === 'yes').length;
      await eventually(async () => (gw.gateway.store!.storeStats().spans >= stored ? true : undefined), () => 'the kept trace never reached the store');
      const body = logsRequest([{ attrs: { 'service.name': 'shop' }, records: [
        { body: 'of the stored trace', trace: 'c1', severity: 9 }, { body: 'of the dropped trace', trace: 'd2', severity: 17 }, { body: 'without a trace', severity: 13 },
      ] }]);
      expect((await post(`${base}/v1/logs`, body)).status).toBe(200);
      const sent = decodedLogs(body);
      const keptTraces = new Set(decodedSpans(buildRequest(spans)).filter((s) => s.attrs.keep === 'yes').map((s) => s.trace));
      // Kept at once: the stored trace's record and the one without a trace id (without_trace_id: keep).
      const now = sent.filter((r) => r.trace === '' || keptTraces.has(r.trace));
      const got = () => onPath(sink, '/v1/logs').flatMap((r) => decodedLogs(r.body));
      await eventually(async () => (got().length >= now.length ? true : undefined), () => `expected ${now.length} log records at the sink, got ${got().length}`);
      expect(got().sort(byBody)).toEqual(now.sort(byBody));
      // The dropped trace's record waits out `wait` (2 s), then `undecided: drop` drops it.
      await new Promise((r) => setTimeout(r, 3000));
      expect(got().sort(byBody)).toEqual(now.sort(byBody));
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(metricValue(text, 'otelcol_processor_dropped_log_records_total', { processor: 'logs_follow_traces' })).toBe(sent.length - now.length);
    } finally {
      await gw.gateway.shutdown('test done');
      await sink.close();
    }
  }, 60_000);

  it('refuses decisions: trace_store when the store is disabled', async () => {
    await expect(start(config('http://127.0.0.1:9', false))).rejects.toThrow('signals.yaml: processors.logs_follow_traces.decisions: processor "logs_follow_traces" reads decisions from the trace store, which is disabled (extensions.trace_store.enabled: false)');
  });
});
