// The metrics benchmarks compare like with like: on the bench corpus, the JavaScript baselines
// (bench/baselines/js-metrics.ts) must produce the same series, counts and buckets as our connectors,
// or their timings would mean nothing. The suite itself must build and run its tasks.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, TraceBatch } from 'otel-sieve';
import type { MetricsData } from 'otel-sieve';
import { generateTraceRequests } from '../../bench/corpus.js';
import { decodeWithProtobufjs } from '../../bench/baselines/protobufjs-pipeline.js';
import { JsServiceGraph, JsSpanMetrics } from '../../bench/baselines/js-metrics.js';
// From dist/: the suite must share the initialised core with 'otel-sieve'.
import { metricsSuite } from '../../dist/bench/suites/metrics.js';
import { attrs, connector, points } from './helpers/metrics.js';
import type { KeyValue } from 'otel-sieve';

/** The baseline's resource identity for a resource of our output. */
function resourceKey(attributes: KeyValue[]): string {
  return Object.entries(attrs(attributes)).map(([k, v]) => `${k}=${String(v)}`).sort().join('\u0000');
}

/** Calls and duration points with the baseline's key (resource identity, then dimensions). */
function keyed(data: MetricsData, dims: string[]): { key: string; calls?: any; hist?: any }[] {
  return data.resourceMetrics.flatMap((rm) => {
    const r = resourceKey(rm.resource.attributes);
    const metrics = rm.scopeMetrics[0]!.metrics;
    const calls = metrics[0]!.data.dataPoints;
    const hist = metrics[1]!.data.dataPoints;
    return calls.map((p, i) => {
      const a = attrs(p.attributes);
      let key = `${r}\u0002${a['service.name']}\u0000${a['span.name']}\u0000${a['span.kind']}\u0000${a['status.code']}`;
      for (const d of dims) key += a[d] === undefined ? '\u0001' : `\u0000${String(a[d])}`;
      return { key, calls: p, hist: hist[i] };
    });
  });
}

beforeAll(async () => {
  await init();
});

const corpus = generateTraceRequests({ seed: 1, requests: 6, spansPerRequest: 512 });
const BOUNDS = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000];

function ours(type: 'spanmetrics' | 'servicegraph', config: object): MetricsData {
  const c = connector(type, config);
  for (const bytes of corpus) {
    const b = TraceBatch.fromProtobuf(bytes);
    c.consume(b, 0);
    b.dispose();
  }
  const data = c.collect(1) as MetricsData;
  c.shutdown!();
  return data;
}

describe('metrics bench baselines agree with the connectors', () => {
  it('span metrics, explicit buckets, with attribute dimensions', () => {
    const js = new JsSpanMetrics({ histogram: BOUNDS, dimensions: ['http.request.method'] });
    for (const bytes of corpus) js.consume(decodeWithProtobufjs(bytes));
    const data = ours('spanmetrics', { dimensions: [{ name: 'http.request.method' }] });
    const series = keyed(data, ['http.request.method']);
    expect(js.series.size).toBe(series.length);
    for (const { key, calls, hist } of series) {
      const s = js.series.get(key);
      expect(s, key).toBeDefined();
      expect(s!.calls).toBe(Number(calls.value));
      expect(Array.from(s!.explicit!)).toEqual(hist.bucketCounts);
    }
  });

  it('span metrics, exponential histograms', () => {
    const js = new JsSpanMetrics({ histogram: { maxSize: 160 } });
    for (const bytes of corpus) js.consume(decodeWithProtobufjs(bytes));
    const data = ours('spanmetrics', { histogram: { exponential: { max_size: 160 } } });
    const series = keyed(data, []);
    expect(js.series.size).toBe(series.length);
    for (const { key, hist: p } of series) {
      const s = js.series.get(key)!.expo!;
      expect([s.count, s.scale, s.zeroCount, s.start, s.counts]).toEqual([p.count, p.scale, p.zeroCount, p.positive.offset, p.positive.bucketCounts]);
    }
  });

  it('service graph', () => {
    const js = new JsServiceGraph();
    for (const bytes of corpus) js.consume(decodeWithProtobufjs(bytes), 0);
    const data = ours('servicegraph', {});
    const total = points(data, 'traces_service_graph_request_total');
    const server = points(data, 'traces_service_graph_request_server');
    expect(js.series.size).toBe(total.length);
    for (const [i, p] of total.entries()) {
      const a = attrs(p.attributes);
      const s = js.series.get(`${a.client}\u0000${a.server}\u0000${a.connection_type}\u0000${a.failed}`)!;
      expect(s.total).toBe(Number(p.value));
      expect(Array.from(s.server)).toEqual(server[i].bucketCounts);
    }
    expect(js.edges.size).toBeGreaterThan(0);
  });

  it('the suite builds its tasks and they run', () => {
    const suite = metricsSuite(corpus.slice(0, 2), { warmupMs: 0 });
    expect(suite.tasks.map((t) => `${t.kind}: ${t.group}`)).toHaveLength(16);
    for (const t of suite.tasks) t.fn();
    expect(Object.keys(suite.notes!())).toEqual(['corpus', 'span metrics series (4 default dimensions)', 'service graph series / edges completed']);
    suite.teardown!();
  });
});
