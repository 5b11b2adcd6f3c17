// Regex-dependent features through the RegexEngine seam, with re2js standing in for otel-sieve's
// engine: tail-sampling string_attribute regex (checklist 5) and the attributes processor's
// pattern validation (checklist 4). Execution of masking/extract waits for the core engine.
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

describe('attributes patterns are validated with the engine', () => {
  const build = (action: Record<string, unknown>) => () => pipelineWith({ attributes: { actions: [{ key: 'k', ...action }] } });
  it('extract needs named groups and no unnamed ones', () => {
    expect(build({ action: 'extract', pattern: '^/api/(.*)$' })).toThrow('error creating AttrProc. Field "pattern" contains at least one unnamed matcher group at the 0-th actions');
    expect(build({ action: 'extract', pattern: '^/api/x$' })).toThrow('error creating AttrProc. Field "pattern" contains no named matcher groups at the 0-th actions');
    expect(build({ action: 'extract', pattern: '(?P<a' })).toThrow('error creating AttrProc. Field "pattern" has invalid pattern: "(?P<a" to be set at the 0-th actions');
  });
  it('a valid extract is still refused until the core engine runs it', () => {
    expect(build({ action: 'extract', pattern: '^/api/v1/document/(?P<new_user_key>.*)/update/(?P<version>.*)$' })).toThrow('the extract action (0-th action) is not available in this build');
  });
});
