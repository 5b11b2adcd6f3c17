// The spanmetrics connector against the conformance checklist (shared/reference/collector.md §14.2,
// items 26–33) and the rest of issue 5: counts per dimension set, bucket edges, units, exemplars,
// temporality and start times, overflow, expiry, resource identity, events, the Tempo profile.
import { describe, it, expect, beforeAll } from 'vitest';
import { init } from 'otel-sieve';
import type { MetricsData } from 'otel-sieve';
import { otlp } from '../helpers/oracle.js';
import { MS, BASE_NS, traceRequest } from './helpers/traces.js';
import type { SpanSpec } from './helpers/traces.js';
import { attrs, byAttrs, connector, feed, metrics, points } from './helpers/metrics.js';

beforeAll(async () => {
  await init();
});

const CALLS = 'traces.span.metrics.calls';
const DURATION = 'traces.span.metrics.duration';
const EVENTS = 'traces.span.metrics.events';
const svc = (name: string, extra: Record<string, string | number> = {}) => ({ 'service.name': name, ...extra });

function collect(c: ReturnType<typeof connector>, now: number): MetricsData {
  return c.collect(now) as MetricsData;
}

describe('spanmetrics: series and dimensions', () => {
  it('counts spans per dimension set, with the four default dimensions first', () => {
    const c = connector('spanmetrics', {});
    feed(c, [{ attributes: svc('checkout'), spans: [
      { name: 'GET /cart', kind: 2 },
      { name: 'GET /cart', kind: 2 },
      { name: 'GET /cart', kind: 2, status: 2 },
      { name: 'SELECT', kind: 3, status: 1 },
    ] }], 1000);
    const data = collect(c, 2000);
    const calls = points(data, CALLS);
    expect(calls.map((p) => attrs(p.attributes))).toEqual([
      { 'service.name': 'checkout', 'span.name': 'GET /cart', 'span.kind': 'SPAN_KIND_SERVER', 'status.code': 'STATUS_CODE_UNSET' },
      { 'service.name': 'checkout', 'span.name': 'GET /cart', 'span.kind': 'SPAN_KIND_SERVER', 'status.code': 'STATUS_CODE_ERROR' },
      { 'service.name': 'checkout', 'span.name': 'SELECT', 'span.kind': 'SPAN_KIND_CLIENT', 'status.code': 'STATUS_CODE_OK' },
    ]);
    expect(calls.map((p) => p.value)).toEqual([2n, 1n, 1n]);
    expect(calls[0].attributes.map((kv: { key: string }) => kv.key)).toEqual(['service.name', 'span.name', 'span.kind', 'status.code']);
    const m = metrics(data, CALLS)[0]!;
    expect(m.data).toMatchObject({ type: 'sum', isMonotonic: true, aggregationTemporality: 2 });
    expect(data.resourceMetrics[0]!.scopeMetrics[0]!.scope.name).toBe('spanmetricsconnector');
    c.shutdown!();
  });

  it('keeps ("ab","c") and ("a","bc") apart, and one series when every default dimension is excluded', () => {
    const c = connector('spanmetrics', { dimensions: [{ name: 'x' }], exclude_dimensions: ['span.kind', 'status.code'] });
    feed(c, [
      { attributes: svc('ab'), spans: [{ name: 'n', attributes: { x: 'c' } }] },
      { attributes: svc('a'), spans: [{ name: 'n', attributes: { x: 'bc' } }] },
    ], 0);
    const calls = points(collect(c, 1), CALLS);
    expect(calls).toHaveLength(2);
    expect(calls.map((p) => attrs(p.attributes))).toEqual([
      { 'service.name': 'ab', 'span.name': 'n', x: 'c' },
      { 'service.name': 'a', 'span.name': 'n', x: 'bc' },
    ]);
    c.shutdown!();

    const all = connector('spanmetrics', { exclude_dimensions: ['service.name', 'span.name', 'span.kind', 'status.code', 'no.such.dimension'] });
    feed(all, [{ attributes: svc('a'), spans: [{ name: 'p' }, { name: 'q', kind: 3 }, { name: 'r', status: 2 }] }], 0);
    const one = points(collect(all, 1), CALLS);
    expect(one).toHaveLength(1);
    expect(one[0].attributes).toEqual([]);
    expect(one[0].value).toBe(3n);
    all.shutdown!();
  });

  it('resolves a dimension from the span before the resource, then the default; omits it otherwise; keeps value types', () => {
    const c = connector('spanmetrics', {
      dimensions: [{ name: 'region' }, { name: 'http.method', default: 'GET' }, { name: 'http.status_code' }, { name: 'ratio' }, { name: 'tags' }],
    });
    feed(c, [{ attributes: svc('a', { region: 'eu' }), spans: [
      { name: 's1', attributes: { region: 'us', 'http.method': 'POST', 'http.status_code': 200, ratio: 0.5, tags: ['x', 1] } },
      { name: 's2' },
    ] }], 0);
    const calls = points(collect(c, 1), CALLS);
    expect(attrs(calls[0].attributes)).toEqual({
      'service.name': 'a', 'span.name': 's1', 'span.kind': 'SPAN_KIND_INTERNAL', 'status.code': 'STATUS_CODE_UNSET',
      region: 'us', 'http.method': 'POST', 'http.status_code': 200n, ratio: 0.5, tags: ['x', 1n],
    });
    expect(calls[0].attributes.find((kv: { key: string }) => kv.key === 'http.status_code').value).toEqual({ type: 'int', value: 200n });
    expect(attrs(calls[1].attributes)).toEqual({
      'service.name': 'a', 'span.name': 's2', 'span.kind': 'SPAN_KIND_INTERNAL', 'status.code': 'STATUS_CODE_UNSET', region: 'eu', 'http.method': 'GET',
    });
    c.shutdown!();
  });

  it('gives each resource its own ResourceMetrics with the resource attributes, and skips resources without service.name', () => {
    const c = connector('spanmetrics', {});
    feed(c, [
      { attributes: svc('a', { host: 'h1' }), spans: [{ name: 'x' }, { name: 'x' }] },
      { attributes: svc('b'), spans: [{ name: 'x' }] },
      { attributes: { host: 'orphan' }, spans: [{ name: 'lost' }] },
    ], 0);
    const data = collect(c, 1);
    expect(data.resourceMetrics.map((rm) => attrs(rm.resource.attributes))).toEqual([{ 'service.name': 'a', host: 'h1' }, { 'service.name': 'b' }]);
    expect(data.resourceMetrics.map((rm) => rm.scopeMetrics[0]!.metrics.map((m) => m.name))).toEqual([[CALLS, DURATION], [CALLS, DURATION]]);
    expect(points(data, CALLS).map((p) => p.value)).toEqual([2n, 1n]);
    expect((c as unknown as { stats(): { skippedSpans: number } }).stats().skippedSpans).toBe(1);
    c.shutdown!();
  });

  it('merges resources that agree on resource_metrics_key_attributes, keeping the first one\'s attributes', () => {
    const c = connector('spanmetrics', { resource_metrics_key_attributes: ['service.name'] });
    feed(c, [{ attributes: svc('a', { pid: 1 }), spans: [{ name: 'x' }] }], 0);
    feed(c, [{ attributes: svc('a', { pid: 2 }), spans: [{ name: 'x' }] }], 10);
    const data = collect(c, 20);
    expect(data.resourceMetrics).toHaveLength(1);
    expect(attrs(data.resourceMetrics[0]!.resource.attributes)).toEqual({ 'service.name': 'a', pid: 1n });
    expect(points(data, CALLS)[0].value).toBe(2n);
    c.shutdown!();

    // Without the key attributes, a changed pid is another resource (the counter-reset problem users hit).
    const d = connector('spanmetrics', {});
    feed(d, [{ attributes: svc('a', { pid: 1 }), spans: [{ name: 'x' }] }], 0);
    feed(d, [{ attributes: svc('a', { pid: 2 }), spans: [{ name: 'x' }] }], 10);
    expect(collect(d, 20).resourceMetrics).toHaveLength(2);
    d.shutdown!();
  });

  it('identifies a resource by its attributes whatever their order', () => {
    const c = connector('spanmetrics', {});
    feed(c, [{ attributes: { 'service.name': 'a', zone: 'z1', host: 'h' }, spans: [{ name: 'x' }] }], 0);
    feed(c, [{ attributes: { host: 'h', zone: 'z1', 'service.name': 'a' }, spans: [{ name: 'x' }] }], 1);
    const data = collect(c, 2);
    expect(data.resourceMetrics).toHaveLength(1);
    expect(points(data, CALLS)[0].value).toBe(2n);
    c.shutdown!();
  });

  it('uses the namespace (empty: the bare names) and adds calls_dimensions / histogram.dimensions to their metric only', () => {
    const c = connector('spanmetrics', {
      namespace: '',
      calls_dimensions: [{ name: 'peer' }],
      histogram: { dimensions: [{ name: 'route' }] },
    });
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x', attributes: { peer: 'p1', route: '/r' } }, { name: 'x', attributes: { peer: 'p2', route: '/r' } }] }], 0);
    const data = collect(c, 1);
    expect(points(data, 'calls').map((p) => [attrs(p.attributes).peer, attrs(p.attributes).route, p.value])).toEqual([['p1', undefined, 1n], ['p2', undefined, 1n]]);
    expect(points(data, 'duration').map((p) => [attrs(p.attributes).peer, attrs(p.attributes).route, p.count])).toEqual([[undefined, '/r', 2]]);
    c.shutdown!();
  });

  it('adds the instrumentation scope for listed scopes only', () => {
    const c = connector('spanmetrics', { include_instrumentation_scope: ['lib-a', 'lib-b'] });
    feed(c, [{ attributes: svc('a'), spans: [
      { name: 'x', scope: { name: 'lib-a', version: '1.2.0' } },
      { name: 'x', scope: { name: 'lib-b' } },
      { name: 'x', scope: { name: 'lib-c', version: '9' } },
    ] }], 0);
    const calls = points(collect(c, 1), CALLS).map((p) => attrs(p.attributes));
    expect(calls.map((a) => [a['span.instrumentation.scope.name'], a['span.instrumentation.scope.version']])).toEqual([
      ['lib-a', '1.2.0'], ['lib-b', undefined], [undefined, undefined],
    ]);
    c.shutdown!();
  });

  it('histogram.disable leaves only the calls metric', () => {
    const c = connector('spanmetrics', { histogram: { disable: true } });
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x' }] }], 0);
    expect(collect(c, 1).resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((m) => m.name)).toEqual([CALLS]);
    c.shutdown!();
  });
});

describe('spanmetrics: explicit histograms', () => {
  const spans = (durations: bigint[]): SpanSpec[] => durations.map((d) => ({ name: 'x', durationNs: d }));

  it('puts a value equal to a bound in that bound\'s bucket (le), just above in the next, end <= start at 0', () => {
    const c = connector('spanmetrics', {});
    feed(c, [{ attributes: svc('a'), spans: spans([0n, -5n * MS, 2n * MS, 2n * MS + 1n, 4n * MS, 15_000n * MS, 15_000n * MS + 1n, 10n * MS]) }], 0);
    const [p] = points(collect(c, 1), DURATION);
    expect(p.explicitBounds).toEqual([2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000]);
    //                      ≤2  ≤4  ≤6 ≤8 ≤10 … ≤15000  +Inf
    expect(p.bucketCounts).toEqual([3, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(p.count).toBe(8);
    expect(p.sum).toBeCloseTo(0 + 0 + 2 + 2.000001 + 4 + 15_000 + 15_000.000001 + 10, 9);
    expect(p.min).toBe(0);
    expect(p.max).toBe(15_000.000001);
    c.shutdown!();
  });

  it('unit s divides the default buckets by 1000 and records seconds', () => {
    const c = connector('spanmetrics', { histogram: { unit: 's' } });
    feed(c, [{ attributes: svc('a'), spans: spans([2n * MS, 1500n * MS]) }], 0);
    const data = collect(c, 1);
    const [p] = points(data, DURATION);
    expect(metrics(data, DURATION)[0]!.unit).toBe('s');
    expect(p.explicitBounds).toEqual([0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15]);
    expect(p.bucketCounts[0]).toBe(1);
    expect(p.bucketCounts[12]).toBe(1); // 1.5 s ≤ 2
    expect(p.sum).toBeCloseTo(1.502, 12);
    c.shutdown!();
  });

  it('takes configured buckets as durations in the unit', () => {
    const c = connector('spanmetrics', { histogram: { explicit: { buckets: ['100us', '1ms', '1.5ms', '1s'] } } });
    feed(c, [{ attributes: svc('a'), spans: spans([100_000n, 100_001n, 1_500_000n, 2n * 1_000_000_000n]) }], 0);
    const [p] = points(collect(c, 1), DURATION);
    expect(p.explicitBounds).toEqual([0.1, 1, 1.5, 1000]);
    expect(p.bucketCounts).toEqual([1, 1, 1, 0, 1]);
    c.shutdown!();
  });
});

/** The exponential-histogram index of v at `scale`, straight from the OTel data model's definitions. */
function specIndex(v: number, scale: number): number {
  // Bucket i holds (base^i, base^(i+1)] with base = 2^(2^-scale); exact for powers of two.
  return Math.ceil(Math.log2(v) * 2 ** scale) - 1;
}

describe('spanmetrics: exponential histograms', () => {
  it('records one value at scale 20 at its index', () => {
    const c = connector('spanmetrics', { histogram: { exponential: { max_size: 160 } } });
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x', durationNs: 1_500_000n }] }], 0);
    const data = collect(c, 1);
    expect(metrics(data, DURATION)[0]!.data.type).toBe('exponentialHistogram');
    const [p] = points(data, DURATION);
    expect(p.scale).toBe(20);
    expect(p.positive).toEqual({ offset: specIndex(1.5, 20), bucketCounts: [1] });
    expect(p.positive.offset).toBe(613_377); // ⌈log2(1.5)·2^20⌉ − 1 = ⌈613377.64⌉ − 1
    expect(p).toMatchObject({ count: 1, sum: 1.5, min: 1.5, max: 1.5, zeroCount: 0, negative: { offset: 0, bucketCounts: [] } });
    c.shutdown!();
  });

  it('downscales to the finest scale at which the values fit in max_size buckets', () => {
    const c = connector('spanmetrics', { histogram: { exponential: { max_size: 160 } } });
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x', durationNs: 1n * MS }, { name: 'x', durationNs: 1000n * MS }, { name: 'x', durationNs: 0n }] }], 0);
    const [p] = points(collect(c, 1), DURATION);
    // The finest scale whose index range for 1 and 1000 spans at most 160 buckets, from the formula.
    let scale = 20;
    while (specIndex(1000, scale) - specIndex(1, scale) + 1 > 160) scale--;
    expect(scale).toBe(3);
    expect(p.scale).toBe(scale);
    expect(p.positive.offset).toBe(specIndex(1, scale));
    expect(p.positive.bucketCounts).toHaveLength(specIndex(1000, scale) - specIndex(1, scale) + 1);
    expect(p.positive.bucketCounts[0]).toBe(1);
    expect(p.positive.bucketCounts.at(-1)).toBe(1);
    expect(p.positive.bucketCounts.reduce((a: number, b: number) => a + b, 0)).toBe(2);
    expect(p.zeroCount).toBe(1);
    expect(p.count).toBe(3);
    c.shutdown!();
  });

  it('places known values at the spec index once the scale has settled', () => {
    const values = [0.5, 1, 1.5, 2, 3, 10, 100, 123.456, 999, 1024];
    const c = connector('spanmetrics', { histogram: { exponential: { max_size: 40 } } });
    feed(c, [{ attributes: svc('a'), spans: values.map((v) => ({ name: 'x', durationNs: BigInt(Math.round(v * 1e6)) })) }], 0);
    const [p] = points(collect(c, 1), DURATION);
    let scale = 20;
    const lo = Math.min(...values.map((v) => specIndex(v, 20)));
    const hi = Math.max(...values.map((v) => specIndex(v, 20)));
    // Downscaling by k maps index i to i >> k (floor division), so the scale follows from the extremes.
    while ((hi >> (20 - scale)) - (lo >> (20 - scale)) + 1 > 40) scale--;
    expect(p.scale).toBe(scale);
    const expected = new Map<number, number>();
    for (const v of values) expected.set(specIndex(v, scale), (expected.get(specIndex(v, scale)) ?? 0) + 1);
    const got = new Map<number, number>();
    p.positive.bucketCounts.forEach((n: number, i: number) => n && got.set(p.positive.offset + i, n));
    expect(got).toEqual(expected);
    c.shutdown!();
  });
});

describe('spanmetrics: exemplars', () => {
  it('are added (trace and span ids, value = duration) only when enabled, capped per data point, cleared after each collection', () => {
    const c = connector('spanmetrics', { exemplars: { enabled: true, max_per_data_point: 2 } });
    const spans: SpanSpec[] = [
      { name: 'x', traceId: 'aa'.repeat(16), spanId: '0000000000000a01', durationNs: 3n * MS },
      { name: 'x', traceId: 'bb'.repeat(16), spanId: '0000000000000a02', durationNs: 7n * MS },
      { name: 'x', traceId: 'cc'.repeat(16), spanId: '0000000000000a03', durationNs: 9n * MS },
      { name: 'y', traceId: '00'.repeat(16), spanId: '0000000000000a04' },
    ];
    feed(c, [{ attributes: svc('a'), spans }], 0);
    const data = collect(c, 5000);
    const [calls, noTrace] = points(data, CALLS);
    const [hist] = points(data, DURATION);
    for (const p of [calls, hist]) {
      expect(p.exemplars).toEqual([
        { filteredAttributes: [], timeUnixNano: 5_000_000_000n, value: 3, traceId: 'aa'.repeat(16), spanId: '0000000000000a01' },
        { filteredAttributes: [], timeUnixNano: 5_000_000_000n, value: 7, traceId: 'bb'.repeat(16), spanId: '0000000000000a02' },
      ]);
    }
    expect(noTrace.exemplars).toEqual([]);
    expect(points(collect(c, 6000), CALLS)[0].exemplars).toEqual([]);
    c.shutdown!();

    const off = connector('spanmetrics', {});
    feed(off, [{ attributes: svc('a'), spans }], 0);
    expect(points(collect(off, 1), CALLS)[0].exemplars).toEqual([]);
    off.shutdown!();
  });
});

describe('spanmetrics: temporality', () => {
  it('cumulative: counts accumulate and keep the series start time', () => {
    const c = connector('spanmetrics', {});
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x' }] }], 1000);
    const first = points(collect(c, 2000), CALLS)[0];
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x' }, { name: 'x' }] }], 3000);
    const second = points(collect(c, 4000), CALLS)[0];
    expect([first.startTimeUnixNano, first.timeUnixNano, first.value]).toEqual([1_000_000_000n, 2_000_000_000n, 1n]);
    expect([second.startTimeUnixNano, second.timeUnixNano, second.value]).toEqual([1_000_000_000n, 4_000_000_000n, 3n]);
    // Nothing new: cumulative series are exported again, unchanged.
    expect(points(collect(c, 5000), CALLS)[0].value).toBe(3n);
    c.shutdown!();
  });

  it('delta: each collection holds only its interval, starting at the previous collection of that series', () => {
    const c = connector('spanmetrics', { aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA' });
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x' }, { name: 'x' }] }], 1000);
    const d1 = collect(c, 2000);
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x' }, { name: 'y' }] }], 3000);
    const d2 = collect(c, 4000);
    expect(metrics(d1, CALLS)[0]!.data).toMatchObject({ aggregationTemporality: 1 });
    expect(points(d1, CALLS).map((p) => [p.startTimeUnixNano, p.timeUnixNano, p.value])).toEqual([[1_000_000_000n, 2_000_000_000n, 2n]]);
    expect(points(d2, CALLS).map((p) => [attrs(p.attributes)['span.name'], p.startTimeUnixNano, p.timeUnixNano, p.value])).toEqual([
      ['x', 2_000_000_000n, 4_000_000_000n, 1n],
      ['y', 3_000_000_000n, 4_000_000_000n, 1n],
    ]);
    expect(points(d2, DURATION).map((p) => p.count)).toEqual([1, 1]);
    // An interval without spans exports nothing.
    expect(collect(c, 5000).resourceMetrics).toEqual([]);
    c.shutdown!();
  });
});

describe('spanmetrics: limits and expiry', () => {
  it('aggregates new dimension sets past aggregation_cardinality_limit into one otel.metric.overflow series per resource', () => {
    const c = connector('spanmetrics', { aggregation_cardinality_limit: 2, exemplars: { enabled: true } });
    feed(c, [
      { attributes: svc('a'), spans: ['u1', 'u2', 'u3', 'u4', 'u1', 'u5'].map((name) => ({ name, durationNs: 3n * MS })) },
      { attributes: svc('b'), spans: [{ name: 'u9' }] },
    ], 0);
    const data = collect(c, 1);
    const a = data.resourceMetrics[0]!;
    const calls = a.scopeMetrics[0]!.metrics[0]!.data.dataPoints as { attributes: never[]; value: bigint }[];
    expect(calls.map((p) => [attrs(p.attributes)['span.name'] ?? attrs(p.attributes)['otel.metric.overflow'], p.value])).toEqual([
      ['u1', 2n], ['u2', 1n], [true, 3n],
    ]);
    expect(calls[2]!.attributes).toEqual([{ key: 'otel.metric.overflow', value: { type: 'bool', value: true } }]);
    const hist = a.scopeMetrics[0]!.metrics[1]!.data.dataPoints as { count: number }[];
    expect(hist.map((p) => p.count)).toEqual([2, 1, 3]);
    // The limit is per resource.
    expect(points({ resourceMetrics: [data.resourceMetrics[1]!] }, CALLS).map((p) => attrs(p.attributes)['span.name'])).toEqual(['u9']);
    expect((c as unknown as { stats(): { overflowed: number } }).stats().overflowed).toBe(3);
    c.shutdown!();
  });

  it('metrics_expiration drops a resource not seen for that long, after exporting it a last time', () => {
    const c = connector('spanmetrics', { metrics_expiration: '5s' });
    feed(c, [{ attributes: svc('old'), spans: [{ name: 'x' }] }], 1000);
    feed(c, [{ attributes: svc('new'), spans: [{ name: 'x' }] }], 5000);
    const names = (d: MetricsData) => d.resourceMetrics.map((rm) => attrs(rm.resource.attributes)['service.name']);
    expect(names(collect(c, 3000))).toEqual(['old', 'new']);
    expect(names(collect(c, 7000))).toEqual(['old', 'new']);
    expect(names(collect(c, 8000))).toEqual(['new']);
    feed(c, [{ attributes: svc('old'), spans: [{ name: 'x' }] }], 9000);
    const again = collect(c, 9500);
    expect(names(again)).toEqual(['new', 'old']);
    // A returning resource starts over.
    expect(points({ resourceMetrics: [again.resourceMetrics[1]!] }, CALLS)[0]).toMatchObject({ value: 1n, startTimeUnixNano: 9_000_000_000n });
    c.shutdown!();
  });

  it('series_expiration drops single series not updated for that long, freeing their place under the cardinality limit', () => {
    const c = connector('spanmetrics', { series_expiration: '3s', aggregation_cardinality_limit: 1 });
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x' }] }], 1000);
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'y' }] }], 5000);
    const name = (p: { attributes: never[] }) => attrs(p.attributes)['span.name'] ?? 'overflow';
    expect(points(collect(c, 6000), CALLS).map(name)).toEqual(['x', 'overflow']);
    expect(points(collect(c, 6500), CALLS).map(name)).toEqual(['overflow']);
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'z' }] }], 7000);
    expect(points(collect(c, 7500), CALLS).map(name)).toEqual(['overflow', 'z']);
    c.shutdown!();
  });

  it('resource_metrics_cache_size keeps the most recently seen resources', () => {
    const c = connector('spanmetrics', { resource_metrics_cache_size: 2 });
    for (const [i, name] of ['a', 'b', 'c'].entries()) feed(c, [{ attributes: svc(name), spans: [{ name: 'x' }] }], i * 10);
    collect(c, 100);
    expect(collect(c, 200).resourceMetrics.map((rm) => attrs(rm.resource.attributes)['service.name'])).toEqual(['b', 'c']);
    c.shutdown!();
  });
});

describe('spanmetrics: events', () => {
  it('counts one per span event with the event dimensions, looked up in the event attributes', () => {
    const c = connector('spanmetrics', { events: { enabled: true, dimensions: [{ name: 'exception.type' }] }, exemplars: { enabled: true } });
    feed(c, [{ attributes: svc('a', { 'exception.type': 'FromResource' }), spans: [
      { name: 'x', status: 2, events: [{ name: 'exception', attributes: { 'exception.type': 'IOError' } }, { name: 'exception', attributes: { 'exception.type': 'IOError' } }] },
      { name: 'x', status: 2, events: [{ name: 'exception', attributes: { 'exception.type': 'Timeout' } }, { name: 'log' }] },
      { name: 'y' },
    ] }], 0);
    const data = collect(c, 1);
    const events = byAttrs(data, EVENTS, ['span.name', 'exception.type']);
    expect(Object.fromEntries(Object.entries(events).map(([k, p]) => [k, p.value]))).toEqual({
      'x|IOError': 2n, 'x|Timeout': 1n, 'x|FromResource': 1n,
    });
    expect(events['x|IOError'].exemplars).toHaveLength(2);
    c.shutdown!();
  });
});

describe('spanmetrics: Tempo profile', () => {
  it('emits traces_spanmetrics_{calls_total,latency,size_total} with Tempo labels, buckets and resource-first lookup', () => {
    const c = connector('spanmetrics', { profile: 'tempo', dimensions: [{ name: 'http.method' }, { name: 'span_kind' }, { name: 'region' }] });
    const spans: SpanSpec[] = [
      { name: 'GET /', kind: 2, durationNs: 3n * MS, attributes: { 'http.method': 'GET', span_kind: 'weird', region: 'from-span' } },
      { name: 'GET /', kind: 2, durationNs: 20n * MS, attributes: { 'http.method': 'GET', span_kind: 'weird', region: 'from-span' } },
    ];
    const bytes = traceRequest([{ attributes: svc('front', { region: 'from-resource' }), spans }]);
    feed(c, [{ attributes: svc('front', { region: 'from-resource' }), spans }], 0);
    const data = collect(c, 1);
    expect(data.resourceMetrics).toHaveLength(1);
    expect(data.resourceMetrics[0]!.resource.attributes).toEqual([]);
    expect(data.resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((m) => [m.name, m.data.type, m.unit])).toEqual([
      ['traces_spanmetrics_calls_total', 'sum', ''],
      ['traces_spanmetrics_latency', 'histogram', ''],
      ['traces_spanmetrics_size_total', 'sum', ''],
    ]);
    const [calls] = points(data, 'traces_spanmetrics_calls_total');
    expect(attrs(calls.attributes)).toEqual({
      service: 'front', span_name: 'GET /', span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_UNSET',
      http_method: 'GET', __span_kind: 'weird', region: 'from-resource',
    });
    expect(calls.value).toBe(2n);
    const [latency] = points(data, 'traces_spanmetrics_latency');
    expect(latency.explicitBounds).toEqual([0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384]);
    expect(latency.bucketCounts).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Size: the encoded Span messages, measured with the independent encoder.
    const req = otlp.collector.trace.v1.ExportTraceServiceRequest.decode(bytes);
    const size = req.resourceSpans[0].scopeSpans[0].spans.reduce((n: number, s: unknown) => n + otlp.trace.v1.Span.encode(s).finish().length, 0);
    expect(points(data, 'traces_spanmetrics_size_total')[0].value).toBe(BigInt(size));
    c.shutdown!();
  });
});

describe('spanmetrics: robustness', () => {
  it('reads batches whose spans were truncated by the decode limits without seeing the dropped attributes', async () => {
    const { TraceBatch } = await import('otel-sieve');
    const c = connector('spanmetrics', { dimensions: [{ name: 'late' }] });
    const attributes = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, i] as [string, number]));
    const bytes = traceRequest([{ attributes: svc('a'), spans: [{ name: 'x', attributes: { ...attributes, late: 'seen?' } }] }]);
    const batch = TraceBatch.fromProtobuf(bytes, { maxAttributesPerSpan: 3 });
    c.consume(batch, 0);
    batch.dispose();
    expect(attrs(points(collect(c, 1), CALLS)[0].attributes).late).toBeUndefined();
    c.shutdown!();
  });

  it('spans far apart in time and ids still aggregate (BASE_NS sanity)', () => {
    const c = connector('spanmetrics', {});
    feed(c, [{ attributes: svc('a'), spans: [{ name: 'x', start: BASE_NS }, { name: 'x', start: 1n }] }], 0);
    expect(points(collect(c, 1), CALLS)[0].value).toBe(2n);
    c.shutdown!();
  });
});
