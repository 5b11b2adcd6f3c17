// Inputs every runtime gets: each .pb under test/fixtures/ (real SDK output, edge cases), or — only
// while no fixture exists yet — a few requests encoded with the independent oracle; plus malformed
// inputs whose error messages must also agree across runtimes.
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './pack.js';
import { generateLogRequests } from '../../bench/corpus-logs.js';
import { generateMetricRequests } from '../../bench/corpus-metrics.js';

export interface Case {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  kind: 'fixture' | 'generated' | 'malformed';
  /** The request's signal; traces when absent. */
  signal?: 'logs' | 'metrics';
}

const FIXTURES = join(REPO, 'test', 'fixtures');

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function fixtureCases(): Case[] {
  return walk(FIXTURES)
    .filter((p) => p.endsWith('.pb'))
    .sort()
    .map((p) => ({ name: relative(FIXTURES, p), bytes: new Uint8Array(readFileSync(p)), kind: 'fixture' as const }));
}

/** Used only when test/fixtures/ holds no .pb: three requests built with the oracle's encoder. */
function generatedCases(): Case[] {
  const require = createRequire(import.meta.url);
  // CommonJS despite the esm/ in its path.
  const root = require('otlp-oracle/build/esm/generated/root.js');
  const Req = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
  const id = (n: number, len: number) => Uint8Array.from({ length: len }, (_, i) => (n * 31 + i * 7 + 1) & 0xff);
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const span = (t: number, s: number, name: string, parent?: number) => ({
    traceId: id(t, 16),
    spanId: id(s, 8),
    parentSpanId: parent === undefined ? undefined : id(parent, 8),
    name,
    kind: 1 + (s % 5),
    startTimeUnixNano: 1_700_000_000_000_000_000n.toString(),
    endTimeUnixNano: (1_700_000_000_000_000_000n + BigInt(s * 1000)).toString(),
    attributes: [str('http.route', `/r/${s}`), { key: 'n', value: { intValue: s } }],
    status: { code: s % 3 },
  });
  const request = (spans: ReturnType<typeof span>[]) => ({
    resourceSpans: [{ resource: { attributes: [str('service.name', 'gen')] }, scopeSpans: [{ scope: { name: 'gen-scope', version: '1' }, spans }] }],
  });
  const encode = (o: unknown) => new Uint8Array(Req.encode(Req.fromObject(o)).finish());
  return [
    { name: 'generated:one-span', bytes: encode(request([span(1, 1, 'GET /')])), kind: 'generated' },
    { name: 'generated:tree', bytes: encode(request([span(2, 2, 'root'), span(2, 3, 'child-a', 2), span(2, 4, 'child-bb', 2)])), kind: 'generated' },
    { name: 'generated:many', bytes: encode(request(Array.from({ length: 40 }, (_, i) => span(3 + (i % 4), 10 + i, `op-${'x'.repeat(i % 7)}`)))), kind: 'generated' },
  ];
}

/** Broken inputs; the first real input supplies the truncations. */
function malformedCases(sample: Uint8Array<ArrayBuffer>): Case[] {
  const m = (name: string, bytes: ArrayLike<number>): Case => ({ name: `malformed:${name}`, bytes: Uint8Array.from(bytes), kind: 'malformed' });
  return [
    m('truncated-half', sample.subarray(0, sample.length >> 1)),
    m('truncated-last-byte', sample.subarray(0, sample.length - 1)),
    // ResourceSpans claims 127 bytes, 2 follow.
    m('length-past-end', [0x0a, 0x7f, 0x0a, 0x00]),
    // ResourceSpans { ScopeSpans { Span claims 50 bytes, 1 follows } } with consistent outer lengths.
    m('nested-length-past-end', [0x0a, 0x05, 0x12, 0x03, 0x12, 0x32, 0x0a]),
    m('truncated-varint', [0x0a, 0x80]),
    m('field-zero', [0x00, 0x00]),
    m('invalid-wire-type', [0x0f]),
    m('empty', []),
  ];
}

/** Log and metric requests from the bench corpora (the same core, through LogBatch and MetricBatch). */
function signalCases(): Case[] {
  const cases: Case[] = [];
  generateLogRequests({ seed: 8, requests: 2, recordsPerRequest: 40 }).forEach((b, i) => cases.push({ name: `logs:corpus#${i}`, bytes: new Uint8Array(b), kind: 'generated', signal: 'logs' }));
  generateMetricRequests({ seed: 8, requests: 2, pointsPerRequest: 60 }).forEach((b, i) => cases.push({ name: `metrics:corpus#${i}`, bytes: new Uint8Array(b), kind: 'generated', signal: 'metrics' }));
  // ResourceLogs { ScopeLogs { LogRecord { time as a varint } } }, and the same for a Metric's name.
  cases.push({ name: 'malformed:logs-wrong-wire-type', bytes: Uint8Array.from([0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x08, 0x01]), kind: 'malformed', signal: 'logs' });
  cases.push({ name: 'malformed:metrics-wrong-wire-type', bytes: Uint8Array.from([0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x08, 0x01]), kind: 'malformed', signal: 'metrics' });
  return cases;
}

export function loadCases(): Case[] {
  const fixtures = fixtureCases();
  const inputs = fixtures.length ? fixtures : generatedCases();
  const sample = inputs.find((c) => c.bytes.length >= 16) ?? inputs[0]!;
  return [...inputs, ...malformedCases(sample.bytes), ...signalCases()];
}

/** The JSON form the harnesses read (bytes as base64). */
export function casesPayload(cases: Case[]): string {
  return JSON.stringify({ cases: cases.map((c) => ({ name: c.name, b64: Buffer.from(c.bytes).toString('base64'), ...(c.signal ? { signal: c.signal } : {}) })) });
}
