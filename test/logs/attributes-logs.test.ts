// The attributes processor in a logs pipeline (checklist 22–24 for log records): actions on record
// attributes only (resource and scope untouched), include/exclude with filterlog's properties —
// bodies (string bodies only), severity texts, severity number with match_undefined, attributes
// (all), resources and libraries (any), strict and regexp — fields of other signals refused with
// the collector's messages, and records nothing changed copied byte for byte. Outputs are decoded
// by the independent oracle.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, LogBatch, ConfigError } from 'otel-sieve';
import { logsRequest, decodedLogs, signalPipeline, drainAll } from '../helpers/signal-requests.js';
import type { LogResourceSpec } from '../helpers/signal-requests.js';
import { wireFields } from '../helpers/oracle.js';
import { createHash } from 'node:crypto';

beforeAll(async () => {
  await init();
});

const input: LogResourceSpec[] = [
  {
    attrs: { 'service.name': 'shop', env: 'prod' },
    scope: 'http',
    scopeVersion: '1.0',
    records: [
      { body: 'GET /health', severity: 9, severityText: 'INFO', attrs: { 'http.route': '/health', user: 'ann' } },
      { body: 'payment failed', severity: 17, severityText: 'ERROR', attrs: { 'http.route': '/pay', user: 'bob', secret: 's1' } },
      { body: { kvlist: { msg: 'structured' } }, severity: 13, severityText: 'WARN', attrs: { user: 'cy' } },
      { body: 42, severity: 0, attrs: { other: true } },
    ],
  },
  {
    attrs: { 'service.name': 'worker', env: 'dev' },
    scope: 'jobs',
    records: [{ body: 'job done', severity: 5, severityText: 'DEBUG', attrs: { job: 'j1' } }],
  },
];

function run(cfg: Record<string, unknown>, resources = input) {
  const bytes = logsRequest(resources);
  const out = drainAll(signalPipeline('logs', { attributes: cfg }).processLogs(LogBatch.fromProtobuf(bytes), 0));
  return { bytes, out, logs: decodedLogs(out) };
}

/** The LogRecord messages of a request, as bytes, in wire order. */
function recordBytes(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (const [f1, , s1, e1] of wireFields(bytes, 0, bytes.length)) {
    if (f1 !== 1) continue;
    for (const [f2, , s2, e2] of wireFields(bytes, s1, e1)) {
      if (f2 !== 2) continue;
      for (const [f3, , s3, e3] of wireFields(bytes, s2, e2)) if (f3 === 2) out.push(Buffer.from(bytes.subarray(s3, e3)).toString('hex'));
    }
  }
  return out;
}

const mark = [{ key: 'hit', value: true, action: 'insert' }];
const hits = (cfg: Record<string, unknown>) => run({ actions: mark, ...cfg }).logs.map((l) => l.attrs.hit === true);

describe('actions on log record attributes', () => {
  it('insert, update, upsert, delete, hash, convert in order; resource and scope attributes untouched', () => {
    const { logs } = run({
      actions: [
        { key: 'user', action: 'hash' },
        { key: 'secret', action: 'delete' },
        { key: 'added', value: 'x', action: 'insert' },
        { key: 'env', value: 'overwritten', action: 'upsert' },
        { key: 'other', value: 'no', action: 'update' },
        { key: 'other', action: 'convert', converted_type: 'string' },
        { key: 'copy', from_attribute: 'http.route', action: 'insert' },
      ],
    });
    expect(logs[1]!.attrs).toEqual({
      'http.route': '/pay',
      user: createHash('sha256').update('bob').digest('hex'),
      added: 'x',
      env: 'overwritten',
      copy: '/pay',
    });
    expect(logs[3]!.attrs).toEqual({ other: 'no', added: 'x', env: 'overwritten' });
    expect(logs.map((l) => l.resource.env)).toEqual(['prod', 'prod', 'prod', 'prod', 'dev']);
    expect(logs[0]!.body).toBe('GET /health');
  });

  it('records no action touches are copied byte for byte, and a batch nothing touches stays as it came', () => {
    const cfg = { actions: [{ key: 'secret', action: 'delete' }] };
    const { bytes, out } = run(cfg);
    const before = recordBytes(bytes);
    const after = recordBytes(out);
    expect(after.length).toBe(before.length);
    expect(after.filter((r, i) => r !== before[i]).length).toBe(1);
    const untouched = run({ actions: [{ key: 'nope', action: 'delete' }] });
    expect(Buffer.from(untouched.out).equals(Buffer.from(untouched.bytes))).toBe(true);
  });
});

describe('include / exclude for log records', () => {
  it('log_bodies match string bodies only (strict and regexp, unanchored)', () => {
    expect(hits({ include: { match_type: 'strict', log_bodies: ['GET /health', 'job done'] } })).toEqual([true, false, false, false, true]);
    expect(hits({ include: { match_type: 'regexp', log_bodies: ['fail'] } })).toEqual([false, true, false, false, false]);
    expect(hits({ exclude: { match_type: 'regexp', log_bodies: ['.'] } })).toEqual([false, false, true, true, false]);
  });
  it('log_severity_texts and log_severity_number (min by name or number; unspecified only with match_undefined)', () => {
    expect(hits({ include: { match_type: 'strict', log_severity_texts: ['WARN', 'ERROR'] } })).toEqual([false, true, true, false, false]);
    expect(hits({ include: { match_type: 'strict', log_severity_number: { min: 'WARN' } } })).toEqual([false, true, true, false, false]);
    expect(hits({ include: { match_type: 'strict', log_severity_number: { min: 9, match_undefined: true } } })).toEqual([true, true, true, true, false]);
    expect(hits({ include: { match_type: 'strict', log_severity_number: { min: 'info2' } } })).toEqual([false, true, true, false, false]);
  });
  it('attributes all-of, resources and libraries any-of, across keys AND', () => {
    expect(hits({ include: { match_type: 'strict', attributes: [{ key: 'http.route', value: '/pay' }, { key: 'user' }] } })).toEqual([false, true, false, false, false]);
    expect(hits({ include: { match_type: 'strict', resources: [{ key: 'env', value: 'dev' }, { key: 'env', value: 'qa' }] } })).toEqual([false, false, false, false, true]);
    expect(hits({ include: { match_type: 'strict', libraries: [{ name: 'http', version: '1.0' }] } })).toEqual([true, true, true, true, false]);
    expect(hits({ include: { match_type: 'strict', libraries: [{ name: 'jobs', version: '' }], log_severity_texts: ['DEBUG'] } })).toEqual([false, false, false, false, true]);
    expect(hits({ include: { match_type: 'regexp', resources: [{ key: 'service.name', value: '^sh' }] }, exclude: { match_type: 'strict', log_severity_texts: ['ERROR'] } })).toEqual([true, false, true, true, false]);
  });
  it('fields of other signals are config errors with the collector\'s messages', () => {
    const bad = (m: Record<string, unknown>) => () => run({ actions: mark, include: { match_type: 'strict', ...m } });
    expect(bad({ services: ['shop'] })).toThrow('services, span_names, span_kinds and metric_names are not valid for log records');
    expect(bad({ metric_names: ['m'] })).toThrow(ConfigError);
    expect(bad({ span_kinds: ['SPAN_KIND_SERVER'] })).toThrow('processors.attributes.include.span_kinds: services, span_names, span_kinds and metric_names are not valid for log records');
    expect(() => signalPipeline('logs', { attributes: { actions: mark, include: { match_type: 'strict' } } }))
      .toThrow('at least one of "attributes", "libraries", "span_kinds", "resources", "log_bodies", "log_severity_texts" or "log_severity_number" field must be specified');
    // The same block is fine for traces and wrong for logs: checked per pipeline.
    expect(() => signalPipeline('traces', { attributes: { actions: mark, include: { match_type: 'strict', log_bodies: ['x'] } } })).toThrow('log_bodies should not be specified for trace spans');
    expect(() => run({ actions: mark, include: { match_type: 'strict', log_severity_number: { min: 'LOUD' } } })).toThrow('not a valid severity: "LOUD"');
  });
});

it('counts the records it edited', () => {
  const p = signalPipeline('logs', { attributes: { actions: [{ key: 'user', action: 'delete' }] } });
  drainAll(p.processLogs(LogBatch.fromProtobuf(logsRequest(input)), 0));
  expect(p.counters()['logs/attributes']).toEqual({ log_records_edited: 3 });
  expect(p.counters().pipeline).toMatchObject({ log_records_in: 5, log_records_out: 5 });
});
