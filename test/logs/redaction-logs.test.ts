// The redaction processor in logs and metrics pipelines (checklist 25 for those contexts): the
// allow-list (failing closed), ignored keys and blocked key patterns on resource, scope, log record
// and data point attributes; blocked_values masking of string log bodies (allowed_values winning)
// with the redaction.body.* summary attributes on the record; non-string bodies and untouched
// records left byte for byte. blocked_values needs match positions, so these cases register re2js
// (an independent RE2) as the regex engine, as the traces tests do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, LogBatch, MetricBatch, registerRegexEngine } from 'otel-sieve';
import { logsRequest, decodedLogs, metricsRequest, decodedPoints, signalPipeline, drainAll } from '../helpers/signal-requests.js';
import type { LogResourceSpec } from '../helpers/signal-requests.js';
import { re2Engine } from '../helpers/re2-engine.js';
import { createHash } from 'node:crypto';

beforeAll(async () => {
  await init();
  registerRegexEngine(re2Engine);
});

afterAll(() => {
  registerRegexEngine(undefined);
});

const CARD = '4[0-9]{12}(?:[0-9]{3})?';

const input: LogResourceSpec[] = [{
  attrs: { 'service.name': 'shop', 'host.ip': '10.0.0.1' },
  scopeAttrs: { 'lib.secret': 'x' },
  records: [
    { body: 'paid with 4111111111111111 today', attrs: { 'user.email': 'a@b.c', note: 'card 4111111111111111', keep: 1 } },
    { body: 'all fine', attrs: { keep: 2 } },
    { body: 'test card 4111111111111111 allowed', attrs: { keep: 3 } },
    { body: { kvlist: { card: '4111111111111111' } }, attrs: { keep: 4 } },
    { body: 4111111111111111, attrs: { keep: 5 } },
  ],
}];

function run(cfg: Record<string, unknown>, resources = input) {
  const bytes = logsRequest(resources);
  const p = signalPipeline('logs', { redaction: cfg });
  const out = drainAll(p.processLogs(LogBatch.fromProtobuf(bytes), 0));
  return { bytes, out, logs: decodedLogs(out), counters: p.counters()['logs/redaction']! };
}

describe('attributes', () => {
  it('an allow-list removes every other key from resource, scope and record attributes; empty fails closed', () => {
    const { logs } = run({ allowed_keys: ['keep', 'service.name'] });
    expect(logs[0]!.attrs).toEqual({ keep: 1n });
    expect(logs[0]!.resource).toEqual({ 'service.name': 'shop' });
    expect(logs[0]!.scope).toEqual({});
    expect(run({}).logs.every((l) => Object.keys(l.attrs).length === 0 && Object.keys(l.resource).length === 0)).toBe(true);
  });
  it('ignored keys stay, blocked key patterns mask the whole value, summary attributes count them', () => {
    const { logs } = run({ allow_all_keys: true, ignored_keys: ['keep'], blocked_key_patterns: ['^user\\.'], summary: 'debug' });
    expect(logs[0]!.attrs).toMatchObject({
      'user.email': '****', keep: 1n, 'redaction.masked.keys': 'user.email', 'redaction.masked.count': 1n, 'redaction.ignored.count': 1n,
    });
  });
});

describe('string log bodies', () => {
  it('blocked_values mask matching text in string bodies (and attribute values); allowed_values exempt a body', () => {
    const { logs, counters } = run({ allow_all_keys: true, blocked_values: [CARD], allowed_values: ['^test card'], summary: 'debug' });
    expect(logs[0]!.body).toBe('paid with **** today');
    expect(logs[0]!.attrs).toMatchObject({
      note: 'card ****',
      'redaction.masked.keys': 'note', 'redaction.masked.count': 1n,
      'redaction.body.masked.keys': 'body', 'redaction.body.masked.count': 1n,
    });
    expect(logs[1]!.body).toBe('all fine');
    expect(logs[1]!.attrs['redaction.body.masked.count']).toBeUndefined();
    expect(logs[2]!.body).toBe('test card 4111111111111111 allowed');
    expect(logs[2]!.attrs).toMatchObject({ 'redaction.body.allowed.keys': 'body', 'redaction.body.allowed.count': 1n });
    expect(counters.masked_bodies).toBe(1);
  });
  it('info summary counts without key lists; silent adds nothing', () => {
    const info = run({ allow_all_keys: true, blocked_values: [CARD], summary: 'info' }).logs[0]!.attrs;
    expect(info['redaction.body.masked.count']).toBe(1n);
    expect(info['redaction.body.masked.keys']).toBeUndefined();
    const silent = run({ allow_all_keys: true, blocked_values: [CARD] }).logs[0]!.attrs;
    expect(Object.keys(silent).some((k) => k.startsWith('redaction.'))).toBe(false);
  });
  it('hash_function replaces the matched text with its digest', () => {
    const { logs } = run({ allow_all_keys: true, blocked_values: [CARD], hash_function: 'md5' });
    expect(logs[0]!.body).toBe(`paid with ${createHash('md5').update('4111111111111111').digest('hex')} today`);
  });
  it('map and non-string bodies are left as they are', () => {
    const { logs } = run({ allow_all_keys: true, blocked_values: [CARD] });
    expect(logs[3]!.body).toEqual({ card: '4111111111111111' });
    expect(logs[4]!.body).toBe(4111111111111111n);
  });
  it('a body masked after an earlier stage edited the record: fused edits see the edited record', () => {
    const bytes = logsRequest(input);
    const p = signalPipeline('logs', { attributes: { actions: [{ key: 'added', value: 'y', action: 'insert' }] }, redaction: { allow_all_keys: true, blocked_values: [CARD] } });
    const logs = decodedLogs(drainAll(p.processLogs(LogBatch.fromProtobuf(bytes), 0)));
    expect(logs[0]!.body).toBe('paid with **** today');
    expect(logs[0]!.attrs.added).toBe('y');
  });
});

describe('metrics', () => {
  it('redacts data point attributes (all five kinds), resource and scope attributes', () => {
    const bytes = metricsRequest([{
      attrs: { 'service.name': 'api', 'cloud.account': '123' },
      metrics: (['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const).map((type) => ({
        name: `m.${type}`, type, points: [{ attrs: { route: '/a', 'user.id': 'u1' } }],
      })),
    }]);
    const p = signalPipeline('metrics', { redaction: { allowed_keys: ['route', 'service.name'], summary: 'info' } });
    const points = decodedPoints(drainAll(p.processMetrics(MetricBatch.fromProtobuf(bytes), 0)));
    expect(points).toHaveLength(5);
    for (const pt of points) {
      expect(pt.attrs).toEqual({ route: '/a', 'redaction.redacted.count': 1n });
      expect(pt.resource).toEqual({ 'service.name': 'api', 'redaction.redacted.count': 1n });
    }
    expect(p.counters()['metrics/redaction']).toMatchObject({ data_points_edited: 5, resources_edited: 1 });
  });
});
