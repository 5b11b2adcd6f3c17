// Regex features with otel-sieve's own engine (the default: compiled in TypeScript, run in the
// core, match / no match): tail-sampling string_attribute regex (checklist 5), key patterns and
// regexp include/exclude. Features needing submatches or positions: regex-values.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch } from 'otel-sieve';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import type { ResourceSpec } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';

beforeAll(async () => {
  await init();
});

describe("otel-sieve's regex engine behind the processors", () => {
  it('string_attribute: v[0-9]+.HealthCheck$ matches grpc.health.v1.HealthCheck (unanchored)', () => {
    const p = pipelineWith({ tail_sampling: { decision_wait: '1s', policies: [{ name: 'r', type: 'string_attribute', string_attribute: { key: 'rpc.method', values: ['v[0-9]+.HealthCheck$'], enabled_regex_matching: true } }] } });
    p.process(TraceBatch.fromProtobuf(buildRequest([{ spans: [{ trace: 'a', attrs: { 'rpc.method': 'grpc.health.v1.HealthCheck' } }, { trace: 'b', attrs: { 'rpc.method': 'grpc.health.v1.HealthCheckX' } }] }])), 0);
    expect([...new Set(decodedSpans(drain(p.flush(0))).map((s) => s.trace.slice(-1)))]).toEqual(['a']);
  });
  it('string_attribute regex runs in the core: resource values of any type, non-empty span strings, invert', () => {
    const run = (cfg: Record<string, unknown>) => {
      const p = pipelineWith({ tail_sampling: { decision_wait: '1s', policies: [{ name: 'r', type: 'string_attribute', string_attribute: { key: 'k', enabled_regex_matching: true, ...cfg } }] } });
      p.process(TraceBatch.fromProtobuf(buildRequest([
        { attrs: { k: 5 }, spans: [{ trace: 'a' }] },
        { spans: [{ trace: 'b', attrs: { k: '' } }, { trace: 'c', attrs: { k: 'prod-eu' } }, { trace: 'd' }] },
      ])), 0);
      return [...new Set(decodedSpans(drain(p.flush(0))).map((s) => s.trace.slice(-1)))].sort();
    };
    expect(run({ values: ['^$'] })).toEqual(['a']);
    expect(run({ values: ['prod', 'qa'] })).toEqual(['c']);
    expect(run({ values: ['prod'], invert_match: true })).toEqual(['a', 'b', 'd']);
    expect(() => run({ values: ['(x'] })).toThrow('processors.tail_sampling.policies[0].string_attribute.values[0]: invalid regex "(x": missing closing ): `(x`');
  });
  it('attributes delete by pattern and regexp include', () => {
    const p = pipelineWith({ attributes: { include: { match_type: 'regexp', span_names: ['^GET '] }, actions: [{ pattern: '^user\\.', action: 'delete' }] } });
    const out = decodedSpans(drain(p.process(TraceBatch.fromProtobuf(buildRequest([{ spans: [
      { trace: 'a', name: 'GET /x', attrs: { 'user.id': 1, 'user.email': 'e', keep: 1 } },
      { trace: 'b', name: 'POST /x', attrs: { 'user.id': 1 } },
    ] }])), 0)));
    expect(out.map((s) => s.attrs)).toEqual([{ keep: 1n }, { 'user.id': 1n }]);
  });
  it('redaction blocked_key_patterns', () => {
    const p = pipelineWith({ redaction: { allow_all_keys: true, blocked_key_patterns: ['(?i)password'] } });
    const out = decodedSpans(drain(p.process(TraceBatch.fromProtobuf(buildRequest([{ spans: [{ trace: 'a', attrs: { DB_PASSWORD: 'x', user: 'u' } }] }])), 0)));
    expect(out[0]!.attrs).toEqual({ DB_PASSWORD: '****', user: 'u' });
  });
});

describe('include/exclude with match_type regexp, in the core', () => {
  const resources: ResourceSpec[] = [
    { attrs: { 'service.name': 'shop-frontend', env: 'prod-eu' }, scope: 'io.lib.http', spans: [{ trace: 'a', name: 'GET /api/users', kind: 2, attrs: { route: '/api/users' } }, { trace: 'a', name: 'db.query', kind: 3 }] },
    { attrs: { 'service.name': 'auth', env: 'dev' }, scope: 'other', spans: [{ trace: 'b', name: 'GET /health', kind: 2, attrs: { route: '/health' } }] },
  ];
  const hits = (cfg: Record<string, unknown>) => {
    const p = pipelineWith({ attributes: { actions: [{ key: 'hit', value: true, action: 'insert' }], ...cfg } });
    return decodedSpans(drain(p.process(TraceBatch.fromProtobuf(buildRequest(resources)), 0))).map((s) => s.attrs.hit === true);
  };
  it('services, span names, attributes, resources and libraries match unanchored', () => {
    expect(hits({ include: { match_type: 'regexp', services: ['front'] } })).toEqual([true, true, false]);
    expect(hits({ include: { match_type: 'regexp', span_names: ['^GET '] } })).toEqual([true, false, true]);
    expect(hits({ include: { match_type: 'regexp', attributes: [{ key: 'route', value: 'api' }] } })).toEqual([true, false, false]);
    expect(hits({ include: { match_type: 'regexp', resources: [{ key: 'env', value: '^prod' }] } })).toEqual([true, true, false]);
    expect(hits({ include: { match_type: 'regexp', libraries: [{ name: 'http$' }] } })).toEqual([true, true, false]);
  });
  it('exclude after include', () => {
    expect(hits({ include: { match_type: 'regexp', span_names: ['GET'] }, exclude: { match_type: 'regexp', span_names: ['health'] } })).toEqual([true, false, false]);
  });
  it('rejects non-string values and bad patterns', () => {
    expect(() => hits({ include: { match_type: 'regexp', attributes: [{ key: 'n', value: 5 }] } })).toThrow('match_type "regexp" needs string values in attributes, got 5 for "n"');
    expect(() => hits({ include: { match_type: 'regexp', span_names: ['('] } })).toThrow('error compiling regex "("');
  });
});
