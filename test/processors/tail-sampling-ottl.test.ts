// The tail_sampling ottl_condition policy (collector reference §2): a trace is sampled when one of
// its spans matches a span condition or one of their events a spanevent condition. Its leaf bits
// feed the core's policy tree like every other leaf (and / not / drop, checklist 10); a condition
// that fails under propagate makes the policy fail for the trace, and a failed policy does not
// vote (checklist 9). As in the collector, which walks a trace's spans in arrival order and stops
// at the first match or failure, the first span that decides wins.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch, Pipeline } from 'otel-sieve';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import type { SpanSpec } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';

beforeAll(async () => {
  await init();
});

const spans: SpanSpec[] = [
  { trace: 'a', name: 'GET /checkout', kind: 2, attrs: { 'http.response.status_code': 503 }, events: [{ name: 'exception', attrs: { 'exception.type': 'Timeout' } }] },
  { trace: 'a', name: 'SELECT', kind: 3, parent: '0000000000000001' },
  { trace: 'b', name: 'GET /health', kind: 2, attrs: { 'http.response.status_code': 200 } },
  { trace: 'c', name: 'consume', kind: 5, events: [{ name: 'retry' }] },
  { trace: 'd', name: 'GET /cart', kind: 2, attrs: { 'http.response.status_code': 'n/a' } },
  { trace: 'e', name: 'enqueue' },
  { trace: 'e', name: 'process', attrs: { 'http.response.status_code': 502 } },
];

function sampler(policies: unknown[]): Pipeline {
  return pipelineWith({ tail_sampling: { decision_wait: '1s', policies } });
}

function run(policies: unknown[]): { traces: string[]; counters: Record<string, number> } {
  const p = sampler(policies);
  const out = [...p.process(TraceBatch.fromProtobuf(buildRequest([{ attrs: { 'service.name': 'shop' }, spans }])), 0), ...p.flush(0)];
  const traces = [...new Set(decodedSpans(drain(out)).map((s) => s.trace.replace(/^0+/, '')))].sort();
  return { traces, counters: p.counters()['traces/tail_sampling'] as Record<string, number> };
}

const ottl = (cfg: Record<string, unknown>, name = 'o') => ({ name, type: 'ottl_condition', ottl_condition: cfg });

describe('matching', () => {
  it('span conditions: any span of the trace', () => {
    expect(run([ottl({ span: ['kind == SPAN_KIND_CLIENT'] })]).traces).toEqual(['a']);
    expect(run([ottl({ span: ['IsMatch(name, "^GET")', 'kind == SPAN_KIND_CONSUMER'] })]).traces).toEqual(['a', 'b', 'c', 'd']);
  });
  it('spanevent conditions: any event of any span', () => {
    expect(run([ottl({ spanevent: ['name == "retry"'] })]).traces).toEqual(['c']);
    expect(run([ottl({ spanevent: ['attributes["exception.type"] == "Timeout" and span.kind == SPAN_KIND_SERVER'] })]).traces).toEqual(['a']);
  });
  it('span or spanevent conditions', () => {
    expect(run([ottl({ span: ['name == "GET /health"'], spanevent: ['name == "retry"'] })]).traces).toEqual(['b', 'c']);
  });
  it('reads the resource and scope, and IsRootSpan', () => {
    expect(run([ottl({ span: ['resource.attributes["service.name"] == "shop" and not IsRootSpan()'] })]).traces).toEqual(['a']);
  });
  it('counts per policy like every policy', () => {
    const r = run([ottl({ span: ['kind == SPAN_KIND_CONSUMER'] })]);
    expect(r.counters['count_traces_sampled{policy=o,sampled=true}']).toBe(1);
    expect(r.counters['count_traces_sampled{policy=o,sampled=false}']).toBe(4);
  });
});

describe('error_mode (checklist 9: a failed policy does not vote)', () => {
  // Fails on spans whose status code is not a number ("n/a": string + int) and on spans without one.
  const failing = ['attributes["http.response.status_code"] + 0 >= 500'];
  it('propagate: the first span that matches or fails decides; a failure does not vote', () => {
    const r = run([ottl({ error_mode: 'propagate', span: failing })]);
    // a: 503 matches before SELECT fails; b: 200, no failure; c, d: fail; e: fails before 502 matches
    expect(r.traces).toEqual(['a']);
    expect(r.counters.sampling_policy_evaluation_error).toBe(3);
    expect(r.counters.ottl_condition_errors).toBe(4);
    expect(r.counters['count_traces_sampled{policy=o,sampled=false}']).toBe(1);
  });
  it('propagate: order across batches is arrival order', () => {
    const p = sampler([ottl({ error_mode: 'propagate', span: failing })]);
    // trace f1: a matching span first, a failing one in a later batch; trace f2 the other way round
    const first = buildRequest([{ spans: [{ trace: 'f1', attrs: { 'http.response.status_code': 500 } }, { trace: 'f2' }] }]);
    const second = buildRequest([{ spans: [{ trace: 'f1' }, { trace: 'f2', attrs: { 'http.response.status_code': 500 } }] }]);
    const out = [...p.process(TraceBatch.fromProtobuf(first), 0), ...p.process(TraceBatch.fromProtobuf(second), 0), ...p.flush(0)];
    expect([...new Set(decodedSpans(drain(out)).map((s) => s.trace.replace(/^0+/, '')))]).toEqual(['f1']);
  });
  it('propagate: the failure does not vote against another policy that samples', () => {
    const r = run([ottl({ error_mode: 'propagate', span: failing }), { name: 'all', type: 'always_sample' }]);
    expect(r.traces).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
  it('ignore and silent: a failing condition is false; other spans still match', () => {
    for (const error_mode of ['ignore', 'silent']) {
      const r = run([ottl({ error_mode, span: failing })]);
      expect(r.traces).toEqual(['a', 'e']);
      expect(r.counters.sampling_policy_evaluation_error).toBe(0);
      expect(r.counters.ottl_condition_errors).toBe(4);
    }
  });
  it('unset behaves as silent (the collector zero value)', () => {
    expect(run([ottl({ span: failing })]).traces).toEqual(['a', 'e']);
  });
});

describe('in and / not / drop (checklist 10)', () => {
  const status = (codes: string[], name: string) => ({ name, type: 'status_code', status_code: { status_codes: codes } });
  it('and: every sub-policy must sample', () => {
    const and = { name: 'and', type: 'and', and: { and_sub_policy: [ottl({ span: ['kind == SPAN_KIND_SERVER'] }, 'server'), ottl({ spanevent: ['name == "exception"'] }, 'exc')] } };
    expect(run([and]).traces).toEqual(['a']);
  });
  it('not: inverts', () => {
    const not = { name: 'not', type: 'not', not: { not_sub_policy: ottl({ span: ['kind == SPAN_KIND_SERVER'] }, 'server') } };
    expect(run([not]).traces).toEqual(['c', 'e']);
  });
  it('drop: all sub-policies sampled drops the trace whatever the others say', () => {
    const drop = { name: 'd', type: 'drop', drop: { drop_sub_policy: [ottl({ span: ['name == "GET /health"'] }, 'health'), status(['UNSET'], 'unset')] } };
    expect(run([{ name: 'all', type: 'always_sample' }, drop]).traces).toEqual(['a', 'c', 'd', 'e']);
  });
  it('a failing sub-policy fails its and / not and they do not vote', () => {
    const failing = ottl({ error_mode: 'propagate', span: ['attributes["http.response.status_code"] + 0 >= 500'] }, 'f');
    const and = { name: 'and', type: 'and', and: { and_sub_policy: [failing, ottl({ span: ['true'] }, 't')] } };
    // a: both sample; b: f does not; c, d, e: f fails, so the and fails
    expect(run([and]).traces).toEqual(['a']);
    const not = { name: 'not', type: 'not', not: { not_sub_policy: failing } };
    // b: not(not sampled) samples; a: not(sampled) does not; c, d, e fail
    expect(run([not]).traces).toEqual(['b']);
  });
});
