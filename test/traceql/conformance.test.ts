// TraceQL conformance: every case in cases.ts against the fixture (two requests, so traces split
// across batches are covered), the must-reject table with stage, reason and position, runtime
// errors, and the search/metrics response shapes.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch, traceql, query, TraceQLError, memoryStats } from 'otel-sieve';
import { REQUEST_1, REQUEST_2, encodeJsonTraces, T1, T2, T5 } from './fixture.js';
import { SECTIONS, REJECTS, METRICS_ACCEPTED } from './cases.js';

let b1: TraceBatch;
let b2: TraceBatch;
const names = new Map<string, string>();

function collectNames(json: unknown): void {
  const rs = (json as { resourceSpans: { scopeSpans: { spans: { spanId: string; name: string }[] }[] }[] }).resourceSpans;
  for (const r of rs) for (const ss of r.scopeSpans) for (const sp of ss.spans) names.set(sp.spanId, sp.name);
}

function run(q: string, batches: TraceBatch[] = [b1, b2]): string[] {
  const sets = traceql.compile(q).spansets(batches);
  return sets.flatMap((s) => s.spanIds.map((id) => names.get(id)!)).sort();
}

beforeAll(async () => {
  await init();
  b1 = TraceBatch.fromProtobuf(encodeJsonTraces(REQUEST_1));
  b2 = TraceBatch.fromProtobuf(encodeJsonTraces(REQUEST_2));
  collectNames(REQUEST_1);
  collectNames(REQUEST_2);
});

for (const [section, cases] of Object.entries(SECTIONS)) {
  describe(section, () => {
    for (const [q, expected] of cases) {
      it(q, () => {
        expect(run(q)).toEqual([...expected].sort());
      });
    }
  });
}

for (const [section, rejects] of Object.entries(REJECTS)) {
  describe(`rejects: ${section}`, () => {
    for (const [q, stage, reason, line, column] of rejects) {
      it(JSON.stringify(q), () => {
        let err: unknown;
        try {
          traceql.parse(q);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(TraceQLError);
        const e = err as TraceQLError;
        expect(e.stage).toBe(stage);
        expect(e.reason).toContain(reason);
        if (line !== undefined) expect([e.line, e.column]).toEqual([line, column]);
        expect(e.message).toBe(`line ${e.line}, column ${e.column}: ${e.reason}`);
      });
    }
  });
}

describe('runtime errors fail the query', () => {
  for (const [q, reason] of [
    ['{ 1 / 0 = 1 }', 'division by zero'],
    ['{ span.retries / 0 = 1 }', 'division by zero'],
    ['{ span.retries % 0 = 1 }', 'division by zero'],
    ['{ !span.flag }', 'not a boolean'],
    ['{ -span.http.method = 1 }', 'not a number'],
    ['{ -span.neg = 5 }', 'not a number'],
    ['({ } | by(span.http.method)) > ({ })', 'multiple spansets per trace'],
    ['({ } | by(resource.service.name)) ~ ({ })', 'consider using coalesce()'],
  ] as const) {
    it(q, () => {
      expect(() => run(q)).toThrow(reason);
      try {
        run(q);
      } catch (e) {
        expect((e as TraceQLError).stage).toBe('runtime');
      }
    });
  }
  it('runtime errors name the expression and the span', () => {
    expect(() => run('{ name = "x" || span.retries / 0 = 1 }')).toThrow(/^line 1, column 3: runtime error: division by zero \(trace 000000000000000000000000000abc06, span 00000000000000a1\)$/);
  });
  it('a runtime error leaves the core usable', () => {
    expect(() => run('{ 1 / 0 = 1 }')).toThrow();
    expect(run('{ name = "render" }')).toEqual(['render']);
  });
});

describe('core memory', () => {
  it('searches, metrics and failed queries give back everything they took', () => {
    // The first round warms up what is kept on purpose: the single-batch tree cache, the VM's
    // stack and memo, the Pike VM's and the facade's scratch blocks.
    let before = 0;
    for (let i = 0; i < 21; i++) {
      if (i === 1) before = memoryStats().used;
      run('{ span.http.method = "GET" } >> { } | by(kind) | count() > 0', [b1, b2]);
      traceql.compile('{ status = error } | select(span.tags)').search([b1, b2], { spss: 0, limit: 0 });
      traceql.compile('{ } | quantile_over_time(duration, .5) by (name)').metrics([b1, b2], { start: 1_700_000_000_000_000_000n, end: 1_700_000_010_000_000_000n, step: 1_000_000_000n });
      expect(() => run('{ span.retries / 0 = 1 }', [b1])).toThrow();
    }
    expect(memoryStats().used).toBe(before);
  });
});

describe('§9 metrics queries parse and validate', () => {
  for (const q of METRICS_ACCEPTED) it(q, () => expect(traceql.parse(q).kind).toBe('metrics'));
});

describe('parse() returns a validated, folded tree', () => {
  it('folds literal sub-expressions', () => {
    const q = traceql.parse('{ 1 / 10 = 0 && span.x = 2 * 3 }');
    expect(q.kind).toBe('search');
    const el = q.kind === 'search' ? q.root.elements[0]! : null;
    expect(el && el.kind === 'filter' && el.expr && el.expr.kind === 'binary' && el.expr.lhs.kind === 'static' && el.expr.lhs.value).toBe(true);
  });
  it('keeps hints', () => {
    expect(traceql.compile('{ } with (most_recent = true, sample = 0.5)').hints.map((h) => h.name)).toEqual(['most_recent', 'sample']);
  });
});

describe('attack inputs (ecosystem §4.5 row 26)', () => {
  it('deep nesting is an error with a position, not a crash', () => {
    const q = '{' + '('.repeat(10_000) + 'true' + ')'.repeat(10_000) + '}';
    expect(() => traceql.parse(q)).toThrow(/line 1, column \d+: nesting deeper than/);
  });
  it('a 1 MB query is refused with a position', () => {
    const q = '{ name = "' + 'x'.repeat(1 << 20) + '" }';
    expect(() => traceql.parse(q)).toThrow(/line 1, column 1: query too long/);
  });
  it('a catastrophic-backtracking pattern on a 10 KB value runs in linear time', () => {
    const value = 'a'.repeat(10_000) + '!';
    const req = { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [{ traceId: T1, spanId: '0000000000000001', name: 'x', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: [{ key: 'a', value: { stringValue: value } }] }] }] }] };
    const batch = TraceBatch.fromProtobuf(encodeJsonTraces(req));
    const t0 = performance.now();
    expect(traceql.compile('{ .a =~ "(a+)+$" }').spansets([batch])).toEqual([]);
    expect(traceql.compile('{ .a =~ "(a+)+!" }').spansets([batch]).length).toBe(1);
    expect(performance.now() - t0).toBeLessThan(2000);
    batch.dispose();
  });
  it('{} | rate() is a metrics query needing a range, and search() refuses it clearly', () => {
    const c = traceql.compile('{} | rate()');
    expect(c.kind).toBe('metrics');
    expect(() => c.search([b1])).toThrow(/metrics query/);
  });
});

describe('search response (Tempo shape)', () => {
  it('ids, times, spss, limit, matched, newest first', () => {
    const res = traceql.compile('{ }').search([b1, b2], { spss: 2, limit: 2 });
    expect(res.traces.map((t) => t.traceID)).toEqual([T5.replace(/^0+/, ''), 'f0000000000000000000000000000004']);
    const t = res.traces[0]!;
    expect(t).toMatchObject({ rootServiceName: 'splitter', rootTraceName: 'split.root', startTimeUnixNano: '1700000009000000000', durationMs: 20 });
    expect(t.spanSets[0]!.matched).toBe(2);
    expect(t.spanSets[0]!.spans).toHaveLength(2);
    expect(res.traces[1]!.spanSets[0]!.spans).toHaveLength(2);
    expect(res.traces[1]!.spanSets[0]!.matched).toBe(3);
  });
  it('spss 0 and limit 0 mean no truncation; trace ids lose leading zeros; span ids keep 16 digits', () => {
    const res = traceql.compile('{ }').search([b1, b2], { spss: 0, limit: 0 });
    expect(res.traces).toHaveLength(5);
    const t1 = res.traces.find((t) => t.traceID === 'abc06')!;
    expect(t1.spanSets[0]!.spans.map((s) => s.spanID)).toEqual(['00000000000000a1', '00000000000000a2', '00000000000000a3', '00000000000000a4', '00000000000000a5']);
    expect(t1.spanSets[0]!.spans[0]).toEqual({ spanID: '00000000000000a1', name: 'GET /cart', startTimeUnixNano: '1700000000000000000', durationNanos: '100000000', attributes: [] });
  });
  it('attributes: what the query reads, OTLP/JSON typed', () => {
    const res = traceql.compile('{ span.http.method = "GET" && span.big > 0 && status = unset && kind = server } | select(span.ratio, resource.service.name, span.tags)').search([b1]);
    expect(res.traces[0]!.spanSets[0]!.spans[0]!.attributes).toEqual([
      { key: 'http.method', value: { stringValue: 'GET' } },
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'status', value: { stringValue: 'unset' } },
      { key: 'kind', value: { stringValue: 'server' } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
      { key: 'service.name', value: { stringValue: 'frontend' } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } },
    ]);
  });
  it('a trace whose root is in another batch reports it missing when searched alone', () => {
    const res = traceql.compile('{ name = "split.child" }').search([b1]);
    expect(res.traces[0]).toMatchObject({ traceID: T5, rootServiceName: '<root span not yet received>', rootTraceName: '' });
  });
  it('several spansets per trace after by()', () => {
    const res = traceql.compile('{ } | by(resource.service.name)').search([b1], { spss: 0 });
    const t1 = res.traces.find((t) => t.traceID === 'abc06')!;
    expect(t1.spanSets.map((s) => s.matched).sort()).toEqual([2, 3]);
  });
  it('query.search takes the query in its options', () => {
    expect(query.search([b1, b2], { query: '{ status = error }', limit: 0 }).traces.map((t) => t.traceID).sort()).toEqual(['5b8efff798038103d269b633813fc60c', 'abc06']);
  });
});

describe('metrics (Tempo query_range shape)', () => {
  const start = 1_700_000_000_000_000_000n;
  const end = start + 10_000_000_000n;
  it('count_over_time by service, one interval', () => {
    const res = traceql.compile('{ } | count_over_time() by (resource.service.name)').metrics([b1, b2], { start, end });
    const byService = Object.fromEntries(res.series.map((s) => [s.labels[0]!.value.stringValue, s.samples.map((x) => x.value)]));
    expect(byService).toEqual({ frontend: [3], cart: [2], checkout: [5], legacy: [1], batch: [4], splitter: [1] });
    expect(res.series[0]!.samples[0]!.timestampMs).toBe('1700000000000');
  });
  it('rate per second over 5 s steps', () => {
    const res = traceql.compile('{ status = error } | rate()').metrics([b1, b2], { start, end, step: 5_000_000_000n });
    expect(res.series).toEqual([{ labels: [], samples: [{ timestampMs: '1700000000000', value: 3 / 5 }, { timestampMs: '1700000005000', value: 0 }] }]);
  });
  it('avg/min/max/sum_over_time read durations in seconds', () => {
    const q = (fn: string) => traceql.compile(`{ resource.service.name = "checkout" } | ${fn}(duration)`).metrics([b1], { start, end }).series[0]!.samples[0]!.value;
    expect(q('max_over_time')).toBe(2);
    expect(q('min_over_time')).toBe(0.001);
    expect(q('sum_over_time')).toBeCloseTo(2.307, 9);
    expect(q('avg_over_time')).toBeCloseTo(2.307 / 5, 9);
  });
  it('quantile_over_time labels series with p; histogram_over_time with __bucket', () => {
    const qs = traceql.compile('{ } | quantile_over_time(duration, 0.5, 0.9)').metrics([b1, b2], { start, end });
    expect(qs.series.map((s) => s.labels)).toEqual([[{ key: 'p', value: { doubleValue: 0.5 } }], [{ key: 'p', value: { doubleValue: 0.9 } }]]);
    const h = traceql.compile('{ resource.service.name = "batch" } | histogram_over_time(duration)').metrics([b1], { start, end });
    // job.a.step and split.child (5 ms) fall in the 2^-7 s bucket, job.a and job.b (50, 60 ms) in 2^-4 s.
    expect(h.series.map((s) => [s.labels[0]!.value.doubleValue, s.samples[0]!.value])).toEqual([[0.0078125, 2], [0.0625, 2]]);
  });
  it('topk, filters and arithmetic', () => {
    const top = traceql.compile('{ } | count_over_time() by (resource.service.name) | topk(1)').metrics([b1, b2], { start, end });
    expect(top.series.map((s) => s.labels[0]!.value.stringValue)).toEqual(['checkout']);
    const filtered = traceql.compile('{ } | count_over_time() by (resource.service.name) > 3').metrics([b1, b2], { start, end });
    expect(filtered.series.map((s) => s.labels[0]!.value.stringValue).sort()).toEqual(['batch', 'checkout']);
    const ratio = traceql.compile('({ status = error } | count_over_time()) / ({ } | count_over_time())').metrics([b1, b2], { start, end });
    expect(ratio.series[0]!.samples[0]!.value).toBeCloseTo(3 / 16, 12);
    const scaled = traceql.compile('100 * ({ status = error } | count_over_time())').metrics([b1, b2], { start, end });
    expect(scaled.series[0]!.samples[0]!.value).toBe(300);
  });
  it('query.metrics takes the query and range in its options; several batches are one pool', () => {
    const res = query.metrics([b1, b2], { query: '{ rootServiceName = "splitter" } | count_over_time()', start, end });
    expect(res.series).toEqual([{ labels: [], samples: [{ timestampMs: '1700000000000', value: 2 }] }]);
  });
  it('compare() splits selection and baseline', () => {
    const res = traceql.compile('{ } | compare({ status = error })').metrics([b1, b2], { start, end });
    const sel = res.series.filter((s) => s.labels[0]!.value.stringValue === 'selection' && s.labels[1]!.key === 'status');
    expect(sel.map((s) => [s.labels[1]!.value.stringValue, s.samples[0]!.value])).toEqual([['error', 3]]);
  });
});
