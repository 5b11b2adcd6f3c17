// Prometheus text 0.0.4 and OpenMetrics 1.0: exact text (written out by hand below, not produced by
// our renderer), accepted by promtool (Debian package `prometheus`): `promtool check metrics` for
// the text format, and promtool's OpenMetrics parser (`promtool tsdb create-blocks-from openmetrics`)
// for OpenMetrics, exemplars included.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, renderPrometheusText, renderOpenMetricsText, mergeMetricsData, prometheusMetricName, prometheusLabelName } from 'otel-sieve';
import type { MetricsData } from 'otel-sieve';
import { generateTraceRequests } from '../../bench/corpus.js';
import { TraceBatch } from 'otel-sieve';
import { MS } from './helpers/traces.js';
import { connector, feed } from './helpers/metrics.js';

beforeAll(async () => {
  await init();
});

const T0 = 1_717_200_000_000; // ms
const T1 = T0 + 60_000;
const A = 'aa'.repeat(16);
const B = 'bb'.repeat(16);
const C = 'cc'.repeat(16);

/** Three GET /cart server spans of checkout (1 ms and 5 ms OK, 20 ms failed), exemplars on. */
function checkoutMetrics(): MetricsData {
  const c = connector('spanmetrics', {
    histogram: { unit: 's', explicit: { buckets: ['2ms', '10ms'] } },
    dimensions: [{ name: 'http.method' }],
    exemplars: { enabled: true },
  });
  feed(c, [{
    attributes: { 'service.name': 'checkout', 'service.instance.id': 'i-1', 'host.name': 'h1' },
    spans: [
      { name: 'GET /cart', kind: 2, durationNs: 1n * MS, traceId: A, spanId: '0000000000000001', attributes: { 'http.method': 'GET' } },
      { name: 'GET /cart', kind: 2, durationNs: 5n * MS, traceId: B, spanId: '0000000000000002', attributes: { 'http.method': 'GET' } },
      { name: 'GET /cart', kind: 2, durationNs: 20n * MS, traceId: C, spanId: '0000000000000003', status: 2, attributes: { 'http.method': 'GET' } },
    ],
  }], T0);
  const data = c.collect(T1) as MetricsData;
  c.shutdown!();
  return data;
}

const L_ERR = 'http_method="GET",instance="i-1",job="checkout",service_name="checkout",span_kind="SPAN_KIND_SERVER",span_name="GET /cart",status_code="STATUS_CODE_ERROR"';
const L_OK = 'http_method="GET",instance="i-1",job="checkout",service_name="checkout",span_kind="SPAN_KIND_SERVER",span_name="GET /cart",status_code="STATUS_CODE_UNSET"';

function promtool(args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool is needed for this test (Debian package \`prometheus\`): ${r.error.message}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Parses OpenMetrics text with promtool's OpenMetrics parser (needs sample timestamps). */
function promtoolOpenMetrics(text: string): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'otel-sieve-om-'));
  try {
    writeFileSync(join(dir, 'metrics.om'), text);
    return promtool(['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'metrics.om'), join(dir, 'blocks')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Prometheus text 0.0.4', () => {
  it('renders span metrics exactly', () => {
    const expected = [
      '# HELP target_info Target metadata',
      '# TYPE target_info gauge',
      'target_info{host_name="h1",instance="i-1",job="checkout"} 1',
      '# HELP traces_span_metrics_calls_total Count of spans per set of dimensions',
      '# TYPE traces_span_metrics_calls_total counter',
      `traces_span_metrics_calls_total{${L_ERR}} 1`,
      `traces_span_metrics_calls_total{${L_OK}} 2`,
      '# HELP traces_span_metrics_duration_seconds Duration of spans per set of dimensions',
      '# TYPE traces_span_metrics_duration_seconds histogram',
      `traces_span_metrics_duration_seconds_bucket{${L_ERR},le="0.002"} 0`,
      `traces_span_metrics_duration_seconds_bucket{${L_ERR},le="0.01"} 0`,
      `traces_span_metrics_duration_seconds_bucket{${L_ERR},le="+Inf"} 1`,
      `traces_span_metrics_duration_seconds_sum{${L_ERR}} 0.02`,
      `traces_span_metrics_duration_seconds_count{${L_ERR}} 1`,
      `traces_span_metrics_duration_seconds_bucket{${L_OK},le="0.002"} 1`,
      `traces_span_metrics_duration_seconds_bucket{${L_OK},le="0.01"} 2`,
      `traces_span_metrics_duration_seconds_bucket{${L_OK},le="+Inf"} 2`,
      `traces_span_metrics_duration_seconds_sum{${L_OK}} 0.006`,
      `traces_span_metrics_duration_seconds_count{${L_OK}} 2`,
      '',
    ].join('\n');
    const text = renderPrometheusText(checkoutMetrics());
    expect(text).toBe(expected);
    expect(promtool(['check', 'metrics'], text)).toEqual({ status: 0, out: '' });
  });

  it('renders service graph metrics exactly', () => {
    const c = connector('servicegraph', {});
    feed(c, [
      { attributes: { 'service.name': 'frontend' }, spans: [{ name: 'call', kind: 3, traceId: A, spanId: '00000000000000c1', durationNs: 30n * MS }] },
      { attributes: { 'service.name': 'cart' }, spans: [{ name: 'serve', kind: 2, traceId: A, spanId: '00000000000000c2', parentSpanId: '00000000000000c1', durationNs: 1500n * MS, status: 2 }] },
    ], T0);
    const text = renderPrometheusText(c.collect(T1) as MetricsData);
    c.shutdown!();
    const l = 'client="frontend",connection_type="",failed="true",server="cart"';
    const b = [0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15];
    const buckets = (name: string, v: number) => [
      ...b.map((le) => `${name}_bucket{${l},le="${le}"} ${le >= v ? 1 : 0}`),
      `${name}_bucket{${l},le="+Inf"} 1`,
      `${name}_sum{${l}} ${v}`,
      `${name}_count{${l}} 1`,
    ];
    expect(text).toBe([
      '# HELP traces_service_graph_request_client_seconds Time for a request between two nodes as seen from the client',
      '# TYPE traces_service_graph_request_client_seconds histogram',
      ...buckets('traces_service_graph_request_client_seconds', 0.03),
      '# HELP traces_service_graph_request_failed_total Total count of failed requests between two nodes',
      '# TYPE traces_service_graph_request_failed_total counter',
      `traces_service_graph_request_failed_total{${l}} 1`,
      '# HELP traces_service_graph_request_server_seconds Time for a request between two nodes as seen from the server',
      '# TYPE traces_service_graph_request_server_seconds histogram',
      ...buckets('traces_service_graph_request_server_seconds', 1.5),
      '# HELP traces_service_graph_request_total Total count of requests between two nodes',
      '# TYPE traces_service_graph_request_total counter',
      `traces_service_graph_request_total{${l}} 1`,
      '',
    ].join('\n'));
    expect(promtool(['check', 'metrics'], text)).toEqual({ status: 0, out: '' });
  });

  it('escapes label values and help text, sanitises names, and formats floats like Go', () => {
    const data: MetricsData = {
      resourceMetrics: [{
        resource: { attributes: [] },
        scopeMetrics: [{
          scope: { name: 's' },
          metrics: [
            {
              name: 'http.server.request.size', description: 'Request size\nin "bytes" \\ total', unit: 'By',
              data: {
                type: 'sum', aggregationTemporality: 2, isMonotonic: true,
                dataPoints: [{ attributes: [{ key: 'path', value: { type: 'string', value: 'a"b\\c\nd' } }, { key: '1st', value: { type: 'int', value: 7n } }, { key: '_x', value: { type: 'bool', value: false } }], startTimeUnixNano: 0n, timeUnixNano: 5_000_000n, exemplars: [], value: 1234567n }],
              },
            },
            {
              name: 'queue.depth', description: 'Depth', unit: '{items}',
              data: { type: 'gauge', dataPoints: [{ attributes: [], startTimeUnixNano: 0n, timeUnixNano: 5_000_000n, exemplars: [], value: 0.00001 }] },
            },
            {
              name: 'cpu.utilization', description: 'CPU', unit: '1',
              data: { type: 'gauge', dataPoints: [{ attributes: [], startTimeUnixNano: 0n, timeUnixNano: 5_000_000n, exemplars: [], value: 0.5 }] },
            },
          ],
        }],
      }],
    };
    const text = renderPrometheusText(data, { timestamps: true });
    expect(text).toBe([
      '# HELP cpu_utilization_ratio CPU',
      '# TYPE cpu_utilization_ratio gauge',
      'cpu_utilization_ratio 0.5 5',
      '# HELP http_server_request_size_bytes_total Request size\\nin "bytes" \\\\ total',
      '# TYPE http_server_request_size_bytes_total counter',
      'http_server_request_size_bytes_total{key_1st="7",key_x="false",path="a\\"b\\\\c\\nd"} 1.234567e+06 5',
      '# HELP queue_depth Depth',
      '# TYPE queue_depth gauge',
      'queue_depth 1e-05 5',
      '',
    ].join('\n'));
    expect(promtool(['check', 'metrics'], text)).toEqual({ status: 0, out: '' });
  });

  it('translates names and labels like the collector', () => {
    expect(prometheusMetricName({ name: 'traces.span.metrics.calls', unit: '', kind: 'counter' })).toBe('traces_span_metrics_calls_total');
    expect(prometheusMetricName({ name: 'traces.span.metrics.duration', unit: 'ms', kind: 'histogram' })).toBe('traces_span_metrics_duration_milliseconds');
    expect(prometheusMetricName({ name: 'traces_service_graph_request_total', unit: '', kind: 'counter' })).toBe('traces_service_graph_request_total');
    expect(prometheusMetricName({ name: 'request_seconds', unit: 's', kind: 'histogram' })).toBe('request_seconds');
    expect(prometheusMetricName({ name: 'throughput', unit: 'By/s', kind: 'gauge' })).toBe('throughput_bytes_per_second');
    expect(prometheusMetricName({ name: 'total.requests', unit: '', kind: 'counter' })).toBe('requests_total');
    expect(prometheusMetricName({ name: '2xx', unit: '', kind: 'gauge' })).toBe('_2xx');
    expect(prometheusMetricName({ name: 'x.calls', unit: 'ms', kind: 'counter' }, false)).toBe('x_calls');
    expect(prometheusLabelName('service.name')).toBe('service_name');
    expect(prometheusLabelName('__reserved')).toBe('__reserved');
  });

  it('drops delta metrics (Prometheus needs cumulative values) and says so', () => {
    const c = connector('spanmetrics', { aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA' });
    feed(c, [{ attributes: { 'service.name': 'a' }, spans: [{ name: 'x' }] }], T0);
    const dropped: string[] = [];
    const text = renderPrometheusText(c.collect(T1) as MetricsData, { onDropped: (m, why) => dropped.push(`${m}: ${why}`) });
    c.shutdown!();
    expect(text).toBe('');
    expect(dropped).toEqual([
      'traces.span.metrics.calls: delta temporality (Prometheus needs cumulative values)',
      'traces.span.metrics.duration: delta temporality (Prometheus needs cumulative values)',
    ]);
  });

  it('the collector\'s default unit (ms) is valid text, flagged only by promlint\'s base-unit rule', () => {
    const c = connector('spanmetrics', {});
    feed(c, [{ attributes: { 'service.name': 'a' }, spans: [{ name: 'x' }] }], T0);
    const text = renderPrometheusText(c.collect(T1) as MetricsData);
    c.shutdown!();
    expect(promtool(['check', 'metrics'], text)).toEqual({
      status: 3,
      out: 'traces_span_metrics_duration_milliseconds use base unit "seconds" instead of "milliseconds"\n',
    });
  });

  it('a whole corpus through spanmetrics (s), servicegraph and the Tempo profiles passes promtool', () => {
    const cs = [
      connector('spanmetrics', { histogram: { unit: 's' }, dimensions: [{ name: 'http.request.method' }, { name: 'http.response.status_code' }] }),
      connector('spanmetrics', { histogram: { unit: 's', exponential: { max_size: 40 } } }, 'spanmetrics/expo'),
      connector('servicegraph', { dimensions: ['deployment.environment'] }),
      connector('spanmetrics', { profile: 'tempo', dimensions: [{ name: 'http.request.method' }] }, 'spanmetrics/tempo'),
      connector('servicegraph', { profile: 'tempo' }, 'servicegraph/tempo'),
    ];
    for (const bytes of generateTraceRequests({ seed: 3, requests: 4, spansPerRequest: 300 })) {
      const batch = TraceBatch.fromProtobuf(bytes);
      for (const c of cs) c.consume(batch, T0);
      batch.dispose();
    }
    // The exponential connector shares metric names with the first one: rendered on its own below.
    const [explicit, exponential, ...others] = cs.map((c) => c.collect(T1) as MetricsData);
    const text = renderPrometheusText(mergeMetricsData(explicit!, ...others));
    expect(text.split('\n').length).toBeGreaterThan(500);
    expect(promtool(['check', 'metrics'], text)).toEqual({ status: 0, out: '' });
    // Exponential histograms become classic buckets at their boundaries; also valid.
    const expo = renderPrometheusText(exponential!);
    expect(expo).toContain('traces_span_metrics_duration_seconds_bucket{');
    expect(promtool(['check', 'metrics'], expo)).toEqual({ status: 0, out: '' });
    for (const c of cs) c.shutdown!();
  });
});

describe('OpenMetrics 1.0', () => {
  it('renders counters with _total/_created, histograms with exemplars on their buckets, info, and # EOF', () => {
    const expected = [
      '# HELP target Target metadata',
      '# TYPE target info',
      'target_info{host_name="h1",instance="i-1",job="checkout"} 1',
      '# HELP traces_span_metrics_calls Count of spans per set of dimensions',
      '# TYPE traces_span_metrics_calls counter',
      `traces_span_metrics_calls_total{${L_ERR}} 1.0 # {trace_id="${C}",span_id="0000000000000003"} 0.02 1.71720006e+09`,
      `traces_span_metrics_calls_created{${L_ERR}} 1.7172e+09`,
      `traces_span_metrics_calls_total{${L_OK}} 2.0 # {trace_id="${A}",span_id="0000000000000001"} 0.001 1.71720006e+09`,
      `traces_span_metrics_calls_created{${L_OK}} 1.7172e+09`,
      '# HELP traces_span_metrics_duration_seconds Duration of spans per set of dimensions',
      '# TYPE traces_span_metrics_duration_seconds histogram',
      '# UNIT traces_span_metrics_duration_seconds seconds',
      `traces_span_metrics_duration_seconds_bucket{${L_ERR},le="0.002"} 0`,
      `traces_span_metrics_duration_seconds_bucket{${L_ERR},le="0.01"} 0`,
      `traces_span_metrics_duration_seconds_bucket{${L_ERR},le="+Inf"} 1 # {trace_id="${C}",span_id="0000000000000003"} 0.02 1.71720006e+09`,
      `traces_span_metrics_duration_seconds_sum{${L_ERR}} 0.02`,
      `traces_span_metrics_duration_seconds_count{${L_ERR}} 1`,
      `traces_span_metrics_duration_seconds_created{${L_ERR}} 1.7172e+09`,
      `traces_span_metrics_duration_seconds_bucket{${L_OK},le="0.002"} 1 # {trace_id="${A}",span_id="0000000000000001"} 0.001 1.71720006e+09`,
      `traces_span_metrics_duration_seconds_bucket{${L_OK},le="0.01"} 2 # {trace_id="${B}",span_id="0000000000000002"} 0.005 1.71720006e+09`,
      `traces_span_metrics_duration_seconds_bucket{${L_OK},le="+Inf"} 2`,
      `traces_span_metrics_duration_seconds_sum{${L_OK}} 0.006`,
      `traces_span_metrics_duration_seconds_count{${L_OK}} 2`,
      `traces_span_metrics_duration_seconds_created{${L_OK}} 1.7172e+09`,
      '# EOF',
      '',
    ].join('\n');
    expect(renderOpenMetricsText(checkoutMetrics())).toBe(expected);
  });

  it('is accepted by promtool\'s OpenMetrics parser, exemplars included', () => {
    const text = renderOpenMetricsText(checkoutMetrics(), { timestamps: true });
    expect(text).toContain(`2.0 1.71720006e+09 # {trace_id="${A}"`);
    const r = promtoolOpenMetrics(text);
    expect(r.status, r.out).toBe(0);
    // And the parser is strict enough to matter: a broken exemplar is refused.
    const broken = promtoolOpenMetrics(text.replace('# {trace_id=', '# {trace id='));
    expect(broken.status).not.toBe(0);
  });

  it('the corpus as OpenMetrics is accepted too', () => {
    const c = connector('spanmetrics', { histogram: { unit: 's' }, exemplars: { enabled: true } });
    const g = connector('servicegraph', {});
    for (const bytes of generateTraceRequests({ seed: 5, requests: 2, spansPerRequest: 300 })) {
      const batch = TraceBatch.fromProtobuf(bytes);
      c.consume(batch, T0);
      g.consume(batch, T0);
      batch.dispose();
    }
    const text = renderOpenMetricsText(mergeMetricsData(c.collect(T1) as MetricsData, g.collect(T1) as MetricsData), { timestamps: true });
    c.shutdown!();
    g.shutdown!();
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain(' # {trace_id="');
    const r = promtoolOpenMetrics(text);
    expect(r.status, r.out).toBe(0);
    expect(execFileSync('promtool', ['--version'], { encoding: 'utf8' })).toMatch(/^promtool, version /);
  });
});
