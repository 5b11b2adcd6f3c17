// Match / no match features through the RegexEngine seam with another engine registered (re2js):
// tail-sampling string_attribute regex (checklist 5), key patterns, hash_function on masked keys
// and regexp include/exclude. Positions and submatches (extract, blocked_values) always run on
// otel-sieve's engine in the core: regex-values.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, registerRegexEngine, TraceBatch } from 'otel-sieve';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import type { ResourceSpec } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { re2Engine } from '../helpers/re2-engine.js';

beforeAll(async () => {
  await init();
  registerRegexEngine(re2Engine);
});

function sampled(policy: Record<string, unknown>, resources: ResourceSpec[]): string[] {
  const p = pipelineWith({ tail_sampling: { decision_wait: '1s', policies: [{ name: 'r', type: 'string_attribute', string_attribute: policy }] } });
  p.process(TraceBatch.fromProtobuf(buildRequest(resources)), 0);
  return [...new Set(decodedSpans(drain(p.flush(0))).map((s) => s.trace.replace(/^0+/, '')))].sort();
}

describe('string_attribute with enabled_regex_matching', () => {
  const res: ResourceSpec[] = [
    { attrs: { 'rpc.method': 'grpc.health.v1.HealthCheck' }, spans: [{ trace: 'a' }] },
    { spans: [{ trace: 'b', attrs: { 'rpc.method': 'grpc.health.v1.HealthCheck' } }, { trace: 'c', attrs: { 'rpc.method': 'Checkout' } }, { trace: 'd' }, { trace: 'e', attrs: { 'rpc.method': '' } }] },
  ];
  it('matches unanchored: v[0-9]+.HealthCheck$ matches grpc.health.v1.HealthCheck on a resource or span', () => {
    expect(sampled({ key: 'rpc.method', values: ['v[0-9]+.HealthCheck$'], enabled_regex_matching: true }, res)).toEqual(['a', 'b']);
  });
  it('invert_match samples traces without any match', () => {
    expect(sampled({ key: 'rpc.method', values: ['HealthCheck'], enabled_regex_matching: true, invert_match: true }, res)).toEqual(['c', 'd', 'e']);
  });
  it('an empty span value never matches, even a pattern that matches ""', () => {
    expect(sampled({ key: 'rpc.method', values: ['^$'], enabled_regex_matching: true }, res)).toEqual([]);
  });
  it('a non-string resource value reads as ""', () => {
    expect(sampled({ key: 'n', values: ['^$'], enabled_regex_matching: true }, [{ attrs: { n: 5 }, spans: [{ trace: 'f' }] }])).toEqual(['f']);
  });
  it('reports an invalid pattern with its position', () => {
    expect(() => sampled({ key: 'k', values: ['(a'], enabled_regex_matching: true }, res)).toThrow('processors.tail_sampling.policies[0].string_attribute.values[0]: invalid regex "(a": error parsing regexp: missing closing ): `(a`');
  });
});

describe('key patterns (each distinct key meets the engine once)', () => {
  const run = (processors: Record<string, unknown>, attrs: Record<string, string | number>, extra: Partial<ResourceSpec> = {}) => {
    const p = pipelineWith(processors);
    return decodedSpans(drain(p.process(TraceBatch.fromProtobuf(buildRequest([{ spans: [{ trace: 'a', attrs }], ...extra }])), 0)));
  };
  it('attributes delete by key and pattern (unanchored)', () => {
    const [s] = run({ attributes: { actions: [{ key: 'x', pattern: 'secret', action: 'delete' }] } }, { x: 1, 'my.secret.id': 2, 'secret': 3, keep: 4 });
    expect(s!.attrs).toEqual({ keep: 4n });
  });
  it('attributes hash by pattern: a key that also matches is hashed twice, like the collector', async () => {
    const { createHash } = await import('node:crypto');
    const sha = (v: string) => createHash('sha256').update(v).digest('hex');
    const [s] = run({ attributes: { actions: [{ key: 'user.id', pattern: '^user\\.', action: 'hash' }] } }, { 'user.id': 'u1', 'user.mail': 'm', other: 'o' });
    expect(s!.attrs).toEqual({ 'user.id': sha(sha('u1')), 'user.mail': sha('m'), other: 'o' });
  });
  it('redaction blocked_key_patterns mask whole values; ignored_key_patterns keep keys; summary counts masks', () => {
    const [s] = run(
      { redaction: { allow_all_keys: true, blocked_key_patterns: ['.*token.*'], ignored_key_patterns: ['^internal\\.'], summary: 'debug' } },
      { 'auth.token': 'abc', 'internal.token': 'keep', n: 5, 'retry.token_count': 3 },
    );
    expect(s!.attrs).toEqual({
      'auth.token': '****',
      'internal.token': 'keep',
      n: 5n,
      'retry.token_count': '****',
      'redaction.masked.keys': 'auth.token,retry.token_count',
      'redaction.masked.count': 2n,
      'redaction.ignored.count': 1n,
    });
  });
  it('redact_all_types is refused', () => {
    expect(() => pipelineWith({ redaction: { allow_all_keys: true, blocked_values: ['x'], redact_all_types: true } })).toThrow('redact_all_types is not supported yet');
  });
});

describe('hash_function on masked values', () => {
  it('replaces a blocked key pattern value with the hex digest of its text', async () => {
    const { createHash, createHmac } = await import('node:crypto');
    const key = 'k'.repeat(32);
    const cases: [string, (v: string) => string][] = [
      ['md5', (v) => createHash('md5').update(v).digest('hex')],
      ['SHA1', (v) => createHash('sha1').update(v).digest('hex')],
      ['sha3', (v) => createHash('sha3-256').update(v).digest('hex')],
      ['hmac-sha256', (v) => createHmac('sha256', key).update(v).digest('hex')],
    ];
    for (const [fn, ref] of cases) {
      const p = pipelineWith({ redaction: { allow_all_keys: true, blocked_key_patterns: ['password'], hash_function: fn, hmac_key: key } });
      const [s] = decodedSpans(drain(p.process(TraceBatch.fromProtobuf(buildRequest([{ spans: [{ trace: 'a', attrs: { password: 'hunter2', n: 1, db_password: 7 } }] }])), 0)));
      expect(s!.attrs).toEqual({ password: ref('hunter2'), n: 1n, db_password: ref('') });
    }
  });
});

describe('include/exclude with match_type regexp', () => {
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
