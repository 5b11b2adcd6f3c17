// `otel-sieve convert` for logs and metrics: the signal read from JSON's top-level key, sniffed from
// protobuf (each decoder validates every field; real payloads fit exactly one signal) or given with
// --signal; errors for contradictions and mixed inputs; and the sniffing itself on every payload we have.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, LogBatch, MetricBatch } from 'otel-sieve';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { expectedLogsJson, expectedMetricsJson } from '../helpers/oracle-signals.js';
import { sdkLogs, sdkMetrics } from '../helpers/sdk-signals.js';
import { logEdgeCases, metricEdgeCases } from '../helpers/signal-edge-cases.js';
import { edgeCaseRequests } from '../helpers/edge-cases.js';
import { validFixtures } from '../helpers/fixtures.js';
import { generateTraceRequests } from '../../bench/corpus.js';
import { generateLogRequests } from '../../bench/corpus-logs.js';
import { generateMetricRequests } from '../../bench/corpus-metrics.js';
import { acceptedSignals, topLevelKeys } from '../../dist/src/cli/signal.js';

const dir = mkdtempSync(join(tmpdir(), 'otel-sieve-cli-signals-'));
const logsPb = join(dir, 'logs.pb');
const metricsPb = join(dir, 'metrics.pb');
const sdkL = await sdkLogs();
const sdkM = await sdkMetrics();
writeFileSync(logsPb, sdkL[0]!.pb);
writeFileSync(metricsPb, sdkM[0]!.pb);
const read = (f: string) => new Uint8Array(readFileSync(f));

beforeAll(async () => {
  await init();
});

describe('otel-sieve convert: logs and metrics', () => {
  it('logs: protobuf (sniffed) → JSON → protobuf gives back the same records', () => {
    const json = join(dir, 'logs.json');
    const back = join(dir, 'logs-back.pb');
    expect(runCli(['convert', logsPb, '--output', json]).code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(json, 'utf8')))).toEqual(['resourceLogs']);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(LogBatch.fromProtobuf(read(logsPb)))));
    expect(runCli(['convert', json, '--output', back]).code).toBe(0);
    expect(expectedLogsJson(read(back))).toEqual(expectedLogsJson(read(logsPb)));
  });

  it('metrics: protobuf (sniffed) → JSON lines → protobuf, and the SDK JSON serializer output', () => {
    const lines = join(dir, 'metrics.jsonl');
    const back = join(dir, 'metrics-back.pb');
    expect(runCli(['convert', metricsPb, metricsPb, '--output', lines]).code).toBe(0);
    expect(readFileSync(lines, 'utf8').trimEnd().split('\n').length).toBe(2);
    expect(runCli(['convert', lines, '--output', back]).code).toBe(0);
    expect(MetricBatch.fromProtobuf(read(back)).dataPointCount).toBe(2 * MetricBatch.fromProtobuf(read(metricsPb)).dataPointCount);
    const sdkJson = join(dir, 'sdk-metrics.json');
    writeFileSync(sdkJson, sdkM[1]!.json);
    const fromJson = join(dir, 'sdk-metrics.pb');
    expect(runCli(['convert', sdkJson, '--output', fromJson]).code).toBe(0);
    expect(MetricBatch.fromProtobuf(read(fromJson)).metricCount).toBe(MetricBatch.fromProtobuf(sdkM[1]!.pb).metricCount);
  });

  it('stdin protobuf (format and signal sniffed) → JSON on stdout', () => {
    const r = runCli(['convert', '-', '--output', '-'], { input: readFileSync(metricsPb) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expectedMetricsJson(read(metricsPb)));
  });

  it('--signal reads protobuf as told, and must agree with JSON', () => {
    // One empty Resource* message fits every signal: --signal picks the JSON key (traces without it).
    const bare = join(dir, 'bare.pb');
    writeFileSync(bare, Uint8Array.from([0x0a, 0x00]));
    const out = runCli(['convert', bare, '--signal', 'metrics', '--output', '-']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ resourceMetrics: [{ resource: {} }] });
    expect(JSON.parse(runCli(['convert', bare, '--output', '-']).stdout)).toEqual({ resourceSpans: [{ resource: {} }] });
    const logsJson = join(dir, 'for-signal.json');
    writeFileSync(logsJson, sdkL[1]!.json);
    const r = runCli(['convert', logsJson, '--signal', 'metrics', '--output', join(dir, 'x.pb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`otel-sieve convert: ${logsJson}: holds resourceLogs (logs), but --signal is metrics\n`);
    expect(runCli(['convert', logsPb, '--signal', 'logs', '--output', join(dir, 'y.json')]).code).toBe(0);
    expect(runCli(['convert', logsPb, '--signal', 'spans', '--output', join(dir, 'y.json')]).stderr).toContain('unknown signal "spans" (expected traces, logs or metrics)');
  });

  it('mixed signals, and malformed protobuf read as the given signal: exit 2 with the file, offset and message', () => {
    const mixed = runCli(['convert', logsPb, metricsPb, '--output', join(dir, 'mixed.pb')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe(`otel-sieve convert: the inputs hold different signals (${logsPb} holds logs, ${metricsPb} holds metrics); convert each signal separately\n`);
    const bad = join(dir, 'bad-logs.pb');
    writeFileSync(bad, Uint8Array.from([0x0a, 0x04, 0x12, 0x02, 0x10, 0x01]));
    const r = runCli(['convert', bad, '--signal', 'logs', '--output', join(dir, 'z.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`otel-sieve convert: ${bad}: byte 4 (ScopeLogs field 2): wrong wire type — field 2 cannot be varint\n`);
    const both = join(dir, 'both.json');
    writeFileSync(both, '{"resourceLogs":[],"resource_metrics":[]}');
    expect(runCli(['convert', both, '--output', join(dir, 'z.pb')]).stderr).toBe(`otel-sieve convert: ${both}: holds resourceLogs and resourceMetrics; one request holds one signal\n`);
  });

  it('traces still convert as before', () => {
    const r = runCli(['convert', join(FIXTURES, 'sdk/minimal.pb'), '--output', '-']);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['resourceSpans']);
  });
});

describe('signal sniffing', () => {
  const cases: [string, Uint8Array, string][] = [
    ...validFixtures().filter(([, b]) => b.length > 0).map(([n, b]): [string, Uint8Array, string] => [n, b, 'traces']),
    ...edgeCaseRequests().filter(([, b]) => b.length > 0).map(([n, b]): [string, Uint8Array, string] => [n, b, 'traces']),
    ...generateTraceRequests({ seed: 4, requests: 3, spansPerRequest: 64 }).map((b, i): [string, Uint8Array, string] => [`traces#${i}`, b, 'traces']),
    ...sdkL.map((p): [string, Uint8Array, string] => [p.name, p.pb, 'logs']),
    ...logEdgeCases().filter(([n, b]) => b.length > 0 && n !== 'logs:nesting-64').map(([n, b]): [string, Uint8Array, string] => [n, b, 'logs']),
    ...generateLogRequests({ seed: 4, requests: 3, recordsPerRequest: 64 }).map((b, i): [string, Uint8Array, string] => [`logs#${i}`, b, 'logs']),
    ...sdkM.map((p): [string, Uint8Array, string] => [p.name, p.pb, 'metrics']),
    ...metricEdgeCases().filter(([, b]) => b.length > 0).map(([n, b]): [string, Uint8Array, string] => [n, b, 'metrics']),
    ...generateMetricRequests({ seed: 4, requests: 3, pointsPerRequest: 64 }).map((b, i): [string, Uint8Array, string] => [`metrics#${i}`, b, 'metrics']),
  ];

  it('every payload with real content is accepted by its own signal\'s decoder alone', () => {
    const wrong = cases.filter(([, bytes, signal]) => acceptedSignals(bytes).join() !== signal).map(([n, b]) => `${n}: ${acceptedSignals(b).join(',')}`);
    expect(wrong).toEqual([]);
  });

  it('records whose every field fits several schemas are ambiguous (so --signal exists)', () => {
    const [, nested] = logEdgeCases().find(([n]) => n === 'logs:nesting-64')!;
    // A record of only a body (field 5, a message) is also a valid Span (name) and Metric (gauge) framing.
    expect(acceptedSignals(nested).includes('logs')).toBe(true);
    expect(acceptedSignals(Uint8Array.from([0x0a, 0x04, 0x12, 0x02, 0x12, 0x00]))).toEqual(['traces', 'logs', 'metrics']);
  });

  it('reads the top-level keys of JSON without parsing it', () => {
    expect(topLevelKeys(new TextEncoder().encode(' { "a\\"b" : 1, "resourceLogs":[{"resourceSpans":{}}], "z": "}{" }'))).toEqual(['a\\"b', 'resourceLogs', 'z']);
  });
});
