// `otel-sieve query`: Tempo's search JSON and query_range JSON on stdout, OTLP/JSON and protobuf
// inputs forming one pool of traces, --spss/--limit (0 = no truncation), and exit 2 with
// "line L, column C: reason" for a bad query.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { REQUEST_1, REQUEST_2, encodeJsonTraces } from '../traceql/fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'otel-sieve-query-'));
const json1 = join(dir, 'one.json');
const pb2 = join(dir, 'two.pb');
writeFileSync(json1, JSON.stringify(REQUEST_1));
writeFileSync(pb2, encodeJsonTraces(REQUEST_2));

describe('otel-sieve query', () => {
  it('search over JSON and protobuf inputs together (a trace split across them is one trace)', () => {
    const r = runCli(['query', '{ name = "split.root" } > { name = "split.child" }', '--input', json1, pb2]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.traces).toHaveLength(1);
    expect(res.traces[0]).toMatchObject({ traceID: '11111111111111111111111111111111', rootServiceName: 'splitter', rootTraceName: 'split.root', durationMs: 20 });
    expect(res.traces[0].spanSets[0].spans.map((s: { name: string }) => s.name)).toEqual(['split.child']);
  });
  it('defaults (spss 3, limit 20) and --spss 0 --limit 0', () => {
    const def = JSON.parse(runCli(['query', '{ }', '--input', json1, pb2]).stdout);
    expect(def.traces).toHaveLength(5);
    expect(Math.max(...def.traces.map((t: { spanSets: { spans: unknown[] }[] }) => t.spanSets[0]!.spans.length))).toBe(3);
    const all = JSON.parse(runCli(['query', '{ }', '--input', json1, pb2, '--spss', '0', '--limit', '0']).stdout);
    expect(all.traces.map((t: { spanSets: { spans: unknown[]; matched: number }[] }) => t.spanSets[0]!.spans.length)).toEqual(all.traces.map((t: { spanSets: { matched: number }[] }) => t.spanSets[0]!.matched));
    expect(JSON.parse(runCli(['query', '{ }', '--input', json1, '--limit', '1']).stdout).traces).toHaveLength(1);
  });
  it('a metrics query prints query_range JSON', () => {
    const r = runCli(['query', '{ } | count_over_time() by (resource.service.name)', '--input', json1, pb2, '--start', '1700000000', '--end', '1700000010', '--step', '10s']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    const counts = Object.fromEntries(res.series.map((s: { labels: { value: { stringValue: string } }[]; samples: { value: number; timestampMs: string }[] }) => [s.labels[0]!.value.stringValue, s.samples[0]!.value]));
    expect(counts).toEqual({ frontend: 3, cart: 2, checkout: 5, legacy: 1, batch: 4, splitter: 1 });
    expect(res.series[0].samples[0].timestampMs).toBe('1700000000000');
  });
  it('a bad query exits 2 with the position on stderr', () => {
    const r = runCli(['query', '{ span.a == 1 }', '--input', json1]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/line 1, column 11: syntax error: unexpected "="/);
    const v = runCli(['query', '{ status = "error" }', '--input', json1]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/line 1, column 3: binary operations must operate on the same type/);
  });
  it('usage errors exit 2', () => {
    expect(runCli(['query', '{ }']).code).toBe(2);
    expect(runCli(['query', '--input', json1]).code).toBe(2);
    expect(runCli(['query', '{ } | rate()', '--input', json1, '--step', 'soon']).code).toBe(2);
    expect(runCli(['query', '--help']).stdout).toMatch(/--spss/);
  });
});
