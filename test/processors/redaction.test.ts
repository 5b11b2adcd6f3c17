// The redaction processor without regexes: allow-list (fails closed), allow_all_keys, ignored
// keys, summary attributes at debug/info (zero counts omitted), on resource, scope, span, span
// event and link attributes; outputs decoded with the oracle.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch } from 'otel-sieve';
import { buildRequest, plainAttrs } from '../helpers/build-request.js';
import type { ResourceSpec } from '../helpers/build-request.js';
import { decodeTraces } from '../helpers/oracle.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { spanMessages } from '../helpers/span-bytes.js';

beforeAll(async () => {
  await init();
});

const input: ResourceSpec[] = [
  {
    attrs: { 'service.name': 'shop', 'host.ip': '10.0.0.1' },
    spans: [
      {
        trace: 'a',
        attrs: { 'http.method': 'GET', 'user.email': 'a@b.c', 'card': '5105 1051 0510 6789', 'keep.me': 1 },
        events: [{ name: 'exception', attrs: { 'exception.message': 'boom', 'user.email': 'x@y.z' } }],
        links: [{ trace: 'b', span: '0102030405060708', attrs: { 'link.secret': 's', 'http.method': 'POST' } }],
      },
    ],
  },
];

function run(cfg: Record<string, unknown>, resources = input) {
  const bytes = buildRequest(resources);
  const out = drain(pipelineWith({ redaction: cfg }).process(TraceBatch.fromProtobuf(bytes), 0));
  const req = decodeTraces(out);
  const rs = req.resourceSpans[0];
  const span = rs.scopeSpans[0].spans[0];
  return {
    bytes, out,
    resource: plainAttrs(rs.resource?.attributes),
    span: plainAttrs(span.attributes),
    event: plainAttrs(span.events?.[0]?.attributes),
    link: plainAttrs(span.links?.[0]?.attributes),
    order: (span.attributes ?? []).map((kv: { key: string }) => kv.key),
  };
}

describe('allow-list', () => {
  it('removes every key not allowed, in every attribute map', () => {
    const r = run({ allowed_keys: ['http.method', 'service.name', 'exception.message'] });
    expect(r.span).toEqual({ 'http.method': 'GET' });
    expect(r.resource).toEqual({ 'service.name': 'shop' });
    expect(r.event).toEqual({ 'exception.message': 'boom' });
    expect(r.link).toEqual({ 'http.method': 'POST' });
  });
  it('fails closed: an empty allow-list removes everything', () => {
    const r = run({});
    expect(r.span).toEqual({});
    expect(r.resource).toEqual({});
    expect(r.event).toEqual({});
  });
  it('allow_all_keys keeps everything (and leaves the bytes alone)', () => {
    const r = run({ allow_all_keys: true });
    expect(Buffer.from(r.out).equals(Buffer.from(r.bytes))).toBe(true);
  });
  it('ignored keys are kept without being allowed', () => {
    const r = run({ allowed_keys: ['http.method'], ignored_keys: ['keep.me'] });
    expect(r.span).toEqual({ 'http.method': 'GET', 'keep.me': 1n });
  });
});

// "Allowed" counts only values an allowed_values pattern matched (upstream's processAttrs; its
// TestRedactSummaryDebug expects redaction.allowed.count 1 next to three other allowed keys):
// keys that are merely in allowed_keys are not listed. See regex-values.test.ts for allowed values.
describe('summary attributes', () => {
  it('debug adds sorted key lists and counts; zero counts are left out', () => {
    const r = run({ allowed_keys: ['http.method'], ignored_keys: ['keep.me'], summary: 'debug' });
    expect(r.span).toEqual({
      'http.method': 'GET',
      'keep.me': 1n,
      'redaction.redacted.keys': 'card,user.email',
      'redaction.redacted.count': 2n,
      'redaction.ignored.count': 1n,
    });
    expect(r.order.slice(0, 2)).toEqual(['http.method', 'keep.me']);
    expect(r.event).toEqual({ 'redaction.redacted.keys': 'exception.message,user.email', 'redaction.redacted.count': 2n });
  });
  it('info adds counts only', () => {
    const r = run({ allowed_keys: ['http.method'], summary: 'info' });
    expect(r.span).toEqual({ 'http.method': 'GET', 'redaction.redacted.count': 3n });
  });
  it('silent (the default) adds nothing', () => {
    expect(run({ allowed_keys: ['http.method'], summary: 'silent' }).span).toEqual({ 'http.method': 'GET' });
  });
  it('merges with summary attributes already present (a second redaction stage)', () => {
    const twice = [{ spans: [{ trace: 'a', attrs: { a: 1, b: 2, 'redaction.redacted.keys': 'x', 'redaction.redacted.count': 1 } }] }];
    const r = run({ allowed_keys: ['a'], ignored_keys: ['redaction.redacted.keys', 'redaction.redacted.count'], summary: 'debug' }, twice);
    expect(r.span['redaction.redacted.keys']).toBe('b,x');
    expect(r.span['redaction.redacted.count']).toBe(2n);
  });
});

it('untouched spans stay byte-identical next to redacted ones', () => {
  const mixed: ResourceSpec[] = [{ spans: [{ trace: 'a', attrs: { ok: 1 } }, { trace: 'b', attrs: { ok: 1, secret: 'x' } }, { trace: 'c' }] }];
  const r = run({ allowed_keys: ['ok'] }, mixed);
  const before = spanMessages(r.bytes);
  const after = spanMessages(r.out);
  expect(after[0]).toBe(before[0]);
  expect(after[1]).not.toBe(before[1]);
  expect(after[2]).toBe(before[2]);
});
