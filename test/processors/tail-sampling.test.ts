// tail_sampling: every policy type, the combination rule, time (decision_wait in one-second ticks),
// late spans, eviction, caches and limits — conformance checklist items 3 and 5–16. Trace ids of
// the probabilistic policy are checked against an FNV-1a-64 and threshold computed here.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch, Pipeline, DataRefusedError } from 'otel-sieve';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import type { ResourceSpec, SpanSpec } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { flagsRequest } from '../helpers/flags-request.js';
import { spanMessages } from '../helpers/span-bytes.js';
import { refFnv64, refThreshold } from '../helpers/tail-sampling-reference.js';

beforeAll(async () => {
  await init();
});

const MS = 1_000_000n;

function sampler(policies: unknown[], extra: Record<string, unknown> = {}): Pipeline {
  return pipelineWith({ tail_sampling: { decision_wait: '1s', policies, ...extra } });
}

/** Runs one batch through a fresh sampler and returns the sorted distinct trace ids it kept. */
function sampled(policies: unknown[], resources: ResourceSpec[], extra: Record<string, unknown> = {}): string[] {
  const p = sampler(policies, extra);
  const out = [...p.process(TraceBatch.fromProtobuf(buildRequest(resources)), 0), ...p.flush(0)];
  return [...new Set(decodedSpans(drain(out)).map((s) => s.trace.replace(/^0+/, '')))].sort();
}

const pol = (type: string, cfg: Record<string, unknown> = {}, name = type) => ({ name, type, [type]: cfg });

describe('policies', () => {
  it('always_sample', () => {
    expect(sampled([pol('always_sample')], [{ spans: [{ trace: 'a' }, { trace: 'b' }] }])).toEqual(['a', 'b']);
  });

  it('latency: inclusive lower bound without an upper; (lower, upper] with one', () => {
    const traces: SpanSpec[] = [
      { trace: 'a', start: 0n, end: 100n * MS },
      { trace: 'b', start: 0n, end: 99n * MS },
      { trace: 'c', start: 0n, end: 200n * MS },
      { trace: 'd', start: 0n, end: 201n * MS },
    ];
    expect(sampled([pol('latency', { threshold_ms: 100 })], [{ spans: traces }])).toEqual(['a', 'c', 'd']);
    expect(sampled([pol('latency', { threshold_ms: 100, upper_threshold_ms: 200 })], [{ spans: traces }])).toEqual(['c']);
  });

  it('latency spans the whole trace: max end minus min start across spans', () => {
    const spans: SpanSpec[] = [{ trace: 'a', start: 10n * MS, end: 20n * MS }, { trace: 'a', start: 50n * MS, end: 120n * MS }];
    expect(sampled([pol('latency', { threshold_ms: 110 })], [{ spans }])).toEqual(['a']);
  });

  it('numeric_attribute: min only, max only, both inclusive; 0 means unbounded; resource or span', () => {
    const spans: SpanSpec[] = [{ trace: 'a', attrs: { n: 5 } }, { trace: 'b', attrs: { n: 10 } }, { trace: 'c', attrs: { n: -3 } }, { trace: 'd', attrs: { m: 5 } }];
    expect(sampled([pol('numeric_attribute', { key: 'n', min_value: 5 })], [{ spans }])).toEqual(['a', 'b']);
    expect(sampled([pol('numeric_attribute', { key: 'n', max_value: 5 })], [{ spans }])).toEqual(['a', 'c']);
    expect(sampled([pol('numeric_attribute', { key: 'n', min_value: 5, max_value: 10 })], [{ spans }])).toEqual(['a', 'b']);
    expect(sampled([pol('numeric_attribute', { key: 'n', min_value: 6, max_value: 10, invert_match: true })], [{ spans }])).toEqual(['a', 'c', 'd']);
    expect(sampled([pol('numeric_attribute', { key: 'r', min_value: 1 })], [{ attrs: { r: 3 }, spans: [{ trace: 'e' }] }, { spans: [{ trace: 'f' }] }])).toEqual(['e']);
  });

  it('status_code: any span with a listed code', () => {
    const spans: SpanSpec[] = [{ trace: 'a', status: 2 }, { trace: 'a' }, { trace: 'b', status: 1 }, { trace: 'c' }];
    expect(sampled([pol('status_code', { status_codes: ['ERROR'] })], [{ spans }])).toEqual(['a']);
    expect(sampled([pol('status_code', { status_codes: ['OK', 'UNSET'] })], [{ spans }])).toEqual(['a', 'b', 'c']);
  });

  describe('string_attribute (checklist 5)', () => {
    const res: ResourceSpec[] = [
      { attrs: { env: 'prod' }, spans: [{ trace: 'a' }] },
      { spans: [{ trace: 'b', attrs: { env: 'prod' } }, { trace: 'c', attrs: { env: 'dev' } }, { trace: 'd', attrs: { other: 'prod' } }, { trace: 'e', attrs: { env: '' } }] },
    ];
    it('exact match on a resource or span attribute samples; other keys or values do not', () => {
      expect(sampled([pol('string_attribute', { key: 'env', values: ['prod'] })], res)).toEqual(['a', 'b']);
    });
    it('an empty values list never matches', () => {
      expect(sampled([pol('string_attribute', { key: 'env', values: [] })], res)).toEqual([]);
      expect(sampled([pol('string_attribute', { key: 'env', values: [''] })], res)).toEqual([]);
    });
    it('invert_match: sampled only when nothing matches (a missing key samples)', () => {
      expect(sampled([pol('string_attribute', { key: 'env', values: ['prod'], invert_match: true })], res)).toEqual(['c', 'd', 'e']);
    });
  });

  it('boolean_attribute: resource or span value (non-bool values read as false)', () => {
    const spans: SpanSpec[] = [{ trace: 'a', attrs: { f: true } }, { trace: 'b', attrs: { f: false } }, { trace: 'c', attrs: { f: 'true' } }];
    expect(sampled([pol('boolean_attribute', { key: 'f', value: true })], [{ spans }])).toEqual(['a']);
    expect(sampled([pol('boolean_attribute', { key: 'f', value: false })], [{ spans }])).toEqual(['b', 'c']);
    expect(sampled([pol('boolean_attribute', { key: 'f', value: true, invert_match: true })], [{ spans }])).toEqual(['b', 'c']);
  });

  it('trace_state: a key with one of the values in any span', () => {
    const spans: SpanSpec[] = [
      { trace: 'a', traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' },
      { trace: 'b', traceState: 'rojo=other' },
      { trace: 'c', traceState: 'rojo=00f067aa0ba902b7,rojo=dup' }, // duplicate keys: invalid header
      { trace: 'd', traceState: 'Bad Key=1,rojo=00f067aa0ba902b7' }, // invalid member: invalid header
    ];
    expect(sampled([pol('trace_state', { key: 'rojo', values: ['00f067aa0ba902b7'] })], [{ spans }])).toEqual(['a']);
  });

  it('trace_flags: the sampled flag on any span', () => {
    const p = sampler([pol('trace_flags')]);
    const req = flagsRequest([{ trace: 'a', flags: 0 }, { trace: 'b', flags: 0x101 }, { trace: 'c' }, { trace: 'd', flags: 0x100 }, { trace: 'a', flags: 1 }]);
    const out = decodedSpans(drain([...p.process(TraceBatch.fromProtobuf(req), 0), ...p.flush(0)]));
    expect([...new Set(out.map((s) => s.trace.replace(/^0+/, '')))].sort()).toEqual(['a', 'b']);
  });

  it('span_count: cumulative count, inclusive bounds, 0 = no maximum', () => {
    const spans: SpanSpec[] = [{ trace: 'a' }, { trace: 'b' }, { trace: 'b' }, { trace: 'c' }, { trace: 'c' }, { trace: 'c' }];
    expect(sampled([pol('span_count', { min_spans: 2 })], [{ spans }])).toEqual(['b', 'c']);
    expect(sampled([pol('span_count', { min_spans: 1, max_spans: 2 })], [{ spans }])).toEqual(['a', 'b']);
  });

  it('rate_limiting: a token bucket of spans per second with burst (default 2 × rate)', () => {
    const spans: SpanSpec[] = ['a', 'b', 'c', 'd'].flatMap((t) => [{ trace: t }, { trace: t }]);
    // 2 spans/s, burst 4: the first two 2-span traces fit.
    expect(sampled([pol('rate_limiting', { spans_per_second: 2 })], [{ spans }])).toEqual(['a', 'b']);
    expect(sampled([pol('rate_limiting', { spans_per_second: 2, burst_capacity: 6 })], [{ spans }])).toEqual(['a', 'b', 'c']);
  });

  it('bytes_limiting: a trace larger than the burst never passes', () => {
    const big = 'x'.repeat(400);
    const spans: SpanSpec[] = [{ trace: 'a', attrs: { big } }, { trace: 'b' }];
    expect(sampled([pol('bytes_limiting', { bytes_per_second: 100 })], [{ spans }])).toEqual(['b']);
  });

  it('probabilistic: FNV-1a-64 of salt and trace id against floor(MaxUint64 × pct/100)', () => {
    const ids = Array.from({ length: 200 }, (_, i) => (BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, '7').slice(-32));
    const spans = ids.map((trace) => ({ trace }));
    for (const [salt, pct] of [[undefined, 50], ['my-salt', 33.3], ['x', 0], ['x', 100]] as const) {
      const cfg = salt === undefined ? { sampling_percentage: pct } : { hash_salt: salt, sampling_percentage: pct };
      const want = ids.filter((id) => refFnv64(salt ?? 'default-hash-seed', id) <= refThreshold(pct)).map((s) => s.replace(/^0+/, '')).sort();
      expect(sampled([pol('probabilistic', cfg)], [{ spans }])).toEqual(want);
    }
  });
});

describe('combination (checklist 9–11)', () => {
  const spans: SpanSpec[] = [{ trace: 'a', status: 2, attrs: { drop: true } }, { trace: 'b', status: 2 }, { trace: 'c' }];
  it('drop beats sampled; sampled plus not sampled samples; all not sampled does not', () => {
    const policies = [
      pol('status_code', { status_codes: ['ERROR'] }),
      { name: 'drop-flagged', type: 'drop', drop: { drop_sub_policy: [pol('boolean_attribute', { key: 'drop', value: true }, 'flag')] } },
      pol('string_attribute', { key: 'nothing', values: ['x'] }),
    ];
    expect(sampled(policies, [{ spans }])).toEqual(['b']);
  });
  it('drop needs every sub-policy to sample', () => {
    const policies = [
      pol('always_sample'),
      { name: 'd', type: 'drop', drop: { drop_sub_policy: [pol('boolean_attribute', { key: 'drop', value: true }, 'x'), pol('status_code', { status_codes: ['OK'] }, 'y')] } },
    ];
    expect(sampled(policies, [{ spans }])).toEqual(['a', 'b', 'c']);
  });
  it('and: all sub-policies; not: inverts', () => {
    const and = { name: 'and', type: 'and', and: { and_sub_policy: [pol('status_code', { status_codes: ['ERROR'] }, 'e'), pol('boolean_attribute', { key: 'drop', value: true }, 'f')] } };
    expect(sampled([and], [{ spans }])).toEqual(['a']);
    const not = { name: 'not', type: 'not', not: { not_sub_policy: pol('status_code', { status_codes: ['ERROR'] }, 'e') } };
    expect(sampled([not], [{ spans }])).toEqual(['c']);
  });
  it('sample_on_first_match stops evaluating (a later rate limiter is not charged)', () => {
    const twoSpan: SpanSpec[] = [{ trace: 'a' }, { trace: 'a' }, { trace: 'b' }, { trace: 'b' }];
    const policies = [pol('always_sample'), pol('rate_limiting', { spans_per_second: 1, burst_capacity: 2 })];
    const p = sampler(policies, { sample_on_first_match: true });
    p.process(TraceBatch.fromProtobuf(buildRequest([{ spans: twoSpan }])), 0);
    drain(p.flush(0));
    const counts = p.counters()['traces/tail_sampling']!;
    expect(counts.global_count_traces_sampled).toBe(2);
    // The rate limiter was never asked.
    expect(counts['count_traces_sampled{policy=always_sample,sampled=true}']).toBe(2);
    expect(counts['count_traces_sampled{policy=rate_limiting,sampled=true}']).toBe(0);
    expect(counts['count_traces_sampled{policy=rate_limiting,sampled=false}']).toBe(0);
  });
  it('composite: first sampling sub-policy decides within its budget; missing allocations never sample', () => {
    const spans2: SpanSpec[] = ['a', 'b', 'c', 'd'].map((t) => ({ trace: t, status: t === 'd' ? 2 : 0 }));
    const composite = (alloc: unknown[]) => ({
      name: 'comp', type: 'composite',
      composite: {
        max_total_spans_per_second: 4,
        policy_order: ['errors', 'rest'],
        composite_sub_policy: [pol('status_code', { status_codes: ['ERROR'] }, 'errors'), pol('always_sample', {}, 'rest')],
        rate_allocation: alloc,
      },
    });
    // errors get 50 % (2 spans/s), rest 50 %: a, b sampled by "rest", c over budget; d by "errors".
    expect(sampled([composite([{ policy: 'errors', percent: 50 }, { policy: 'rest', percent: 50 }])], [{ spans: spans2 }])).toEqual(['a', 'b', 'd']);
    // "rest" missing from rate_allocation: allocated 0, never samples; nor does it fall through.
    expect(sampled([composite([{ policy: 'errors', percent: 50 }])], [{ spans: spans2 }])).toEqual(['d']);
  });
  it('composite budgets reset every second', () => {
    const p = pipelineWith({
      tail_sampling: {
        decision_wait: '1s',
        policies: [{ name: 'c', type: 'composite', composite: { max_total_spans_per_second: 1, composite_sub_policy: [pol('always_sample', {}, 'all')], rate_allocation: [{ policy: 'all', percent: 100 }] } }],
      },
    });
    p.process(TraceBatch.fromProtobuf(buildRequest([{ spans: [{ trace: 'a' }, { trace: 'b' }] }])), 0);
    const first = decodedSpans(drain(p.tick(2000))).map((s) => s.trace.slice(-1));
    p.process(TraceBatch.fromProtobuf(buildRequest([{ spans: [{ trace: 'c' }] }])), 2000);
    const second = decodedSpans(drain(p.tick(4000))).map((s) => s.trace.slice(-1));
    expect(first.length).toBe(1);
    expect(second).toEqual(['c']);
  });
});

describe('time, late spans and memory (checklist 12–16)', () => {
  const batch = (spans: SpanSpec[]) => TraceBatch.fromProtobuf(buildRequest([{ spans }]));
  const traces = (b: TraceBatch[]) => decodedSpans(drain(b)).map((s) => s.trace.replace(/^0+/, ''));

  it('decides after decision_wait in whole seconds (sub-second waits act as 1 s)', () => {
    const p = pipelineWith({ tail_sampling: { decision_wait: '2500ms', policies: [pol('always_sample')] } });
    expect(p.process(batch([{ trace: 'a' }]), 100)).toEqual([]);
    expect(p.tick(2999)).toEqual([]);
    expect(traces(p.tick(3100))).toEqual(['a']);
  });

  it('a late span of a sampled trace is forwarded at once; of a dropped trace, dropped', () => {
    const p = sampler([pol('status_code', { status_codes: ['ERROR'] })]);
    p.process(batch([{ trace: 'a', status: 2 }, { trace: 'b' }]), 0);
    expect(traces(p.tick(2000))).toEqual(['a']);
    expect(traces(p.process(batch([{ trace: 'a' }, { trace: 'b' }]), 2100))).toEqual(['a']);
    expect(p.counters()['traces/tail_sampling']).toMatchObject({ late_spans_forwarded: 1, late_spans_dropped: 1 });
  });

  it('without caches, a trace evicted from memory is decided afresh after decision_wait', () => {
    const p = pipelineWith({ tail_sampling: { decision_wait: '1s', num_traces: 1, policies: [pol('status_code', { status_codes: ['ERROR'] })] } });
    p.process(batch([{ trace: 'a', status: 2 }]), 0);
    expect(traces(p.tick(2000))).toEqual(['a']);
    p.process(batch([{ trace: 'b' }]), 2100); // evicts a (decided)
    expect(p.process(batch([{ trace: 'a' }]), 2200)).toEqual([]); // new trace a: buffered again, evicts b
    expect(traces(p.tick(4000))).toEqual([]); // the late span alone is not an error: not sampled
    expect(p.counters()['traces/tail_sampling']!.sampling_trace_dropped_too_early).toBe(1);
  });

  it('with a sampled-decision cache, spans of a sampled trace are forwarded after eviction', () => {
    const p = pipelineWith({ tail_sampling: { decision_wait: '1s', num_traces: 1, decision_cache: { sampled_cache_size: 100 }, policies: [pol('status_code', { status_codes: ['ERROR'] })] } });
    p.process(batch([{ trace: 'a', status: 2 }]), 0);
    expect(traces(p.tick(2000))).toEqual(['a']);
    p.process(batch([{ trace: 'b' }]), 2100);
    expect(traces(p.process(batch([{ trace: 'a' }]), 2200))).toEqual(['a']);
    expect(p.counters()['traces/tail_sampling']!.early_releases_from_cache_decision_sampled).toBe(1);
  });

  it('num_traces evicts the oldest arrival first and counts undecided ones as dropped too early', () => {
    const p = pipelineWith({ tail_sampling: { decision_wait: '5s', num_traces: 2, policies: [pol('always_sample')] } });
    p.process(batch([{ trace: 'a' }, { trace: 'b' }]), 0);
    p.process(batch([{ trace: 'c' }]), 10);
    expect(traces(p.flush(10)).sort()).toEqual(['b', 'c']);
    expect(p.counters()['traces/tail_sampling']!.sampling_trace_dropped_too_early).toBe(1);
  });

  it('block_on_overflow refuses a batch that does not fit (retryable) and evicts nothing', () => {
    const p = pipelineWith({ tail_sampling: { decision_wait: '5s', num_traces: 2, block_on_overflow: true, policies: [pol('always_sample')] } });
    p.process(batch([{ trace: 'a' }, { trace: 'b' }]), 0);
    const c = batch([{ trace: 'c' }]);
    expect(() => p.process(c, 10)).toThrow(DataRefusedError);
    expect(c.isDisposed).toBe(false);
    c.dispose();
    expect(traces(p.flush(10)).sort()).toEqual(['a', 'b']);
    expect(p.counters()['traces/tail_sampling']!.sampling_trace_dropped_too_early).toBe(0);
  });

  it('maximum_trace_size_bytes: a trace over the limit is never forwarded', () => {
    const p = pipelineWith({ tail_sampling: { decision_wait: '1s', maximum_trace_size_bytes: 200, policies: [pol('always_sample')] } });
    p.process(batch([{ trace: 'a', attrs: { big: 'x'.repeat(300) } }, { trace: 'b' }]), 0);
    expect(traces(p.tick(2000))).toEqual(['b']);
    expect(traces(p.process(batch([{ trace: 'a' }]), 2100))).toEqual([]);
    expect(p.counters()['traces/tail_sampling']!.traces_dropped_too_large).toBe(1);
  });

  it('decision_wait_after_root_received decides a trace with a root span earlier', () => {
    const p = pipelineWith({ tail_sampling: { decision_wait: '10s', decision_wait_after_root_received: '1s', policies: [pol('always_sample')] } });
    p.process(batch([{ trace: 'a' }, { trace: 'b', parent: '0102030405060708' }]), 0);
    expect(traces(p.tick(2000))).toEqual(['a']);
    expect(traces(p.tick(11000))).toEqual(['b']);
  });

  it('drop_pending_traces_on_shutdown: flush decides pending traces, or drops them', () => {
    const keep = sampler([pol('always_sample')]);
    keep.process(batch([{ trace: 'a' }]), 0);
    expect(traces(keep.flush(0))).toEqual(['a']);
    const drop = sampler([pol('always_sample')], { drop_pending_traces_on_shutdown: true });
    drop.process(batch([{ trace: 'a' }]), 0);
    expect(drop.flush(0)).toEqual([]);
  });

  it('released spans are the input bytes, under their own resource and scope', () => {
    const input = buildRequest([{ attrs: { 'service.name': 's1' }, spans: [{ trace: 'a', attrs: { k: 1 } }] }, { attrs: { 'service.name': 's2' }, spans: [{ trace: 'a' }, { trace: 'b' }] }]);
    const p = sampler([pol('string_attribute', { key: 'service.name', values: ['s1'] })]);
    p.process(TraceBatch.fromProtobuf(input), 0);
    const bytes = drain(p.flush(0));
    const out = decodedSpans(bytes);
    expect(out.map((s) => [s.trace.slice(-1), s.resource['service.name']])).toEqual([['a', 's1'], ['a', 's2']]);
    const before = spanMessages(input);
    expect(spanMessages(bytes)).toEqual([before[0], before[1]]);
  });
});

describe('config (checklist 3)', () => {
  const bad = (policies: unknown[]) => () => sampler(policies);
  it('rejects empty and duplicate names, unknown types, bad status codes', () => {
    expect(bad([{ type: 'always_sample' }])).toThrow('processors.tail_sampling.policies[0]: policy name cannot be empty');
    expect(bad([pol('always_sample', {}, 'x'), pol('always_sample', {}, 'x')])).toThrow('processors.tail_sampling.policies[1].name: duplicate policy name "x"');
    expect(bad([{ name: 'x', type: 'nope' }])).toThrow('processors.tail_sampling.policies[0].type: unknown sampling policy type nope');
    expect(bad([pol('status_code', { status_codes: ['FAIL'] })])).toThrow('processors.tail_sampling.policies[0].status_code.status_codes: unknown status code "FAIL", supported: OK, ERROR, UNSET');
    expect(bad([{ name: 'x', type: 'ottl_condition', ottl_condition: {} }])).toThrow('processors.tail_sampling.policies[0].ottl_condition: expected at least one OTTL condition to filter on');
  });
  it('defaults: decision_wait 30s, num_traces 50000', () => {
    const p = pipelineWith({ tail_sampling: { policies: [pol('always_sample')] } });
    p.process(batch1(), 0);
    expect(p.tick(30_999)).toEqual([]);
    expect(drain(p.tick(31_000)).length).toBeGreaterThan(0);
  });
});

function batch1() {
  return TraceBatch.fromProtobuf(buildRequest([{ spans: [{ trace: 'a' }] }]));
}
