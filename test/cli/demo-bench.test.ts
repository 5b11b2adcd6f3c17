// The main-job command and the bench command run end to end (behaviour only; timings are never asserted).
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { decodeTraces } from '../helpers/oracle.js';

describe('otel-sieve demo', () => {
  it('keeps exactly the error and slow spans and writes them as protobuf and JSON', () => {
    const out = mkdtempSync(join(tmpdir(), 'otel-sieve-demo-'));
    const r = runCli(['demo', '--requests', '20', '--slow-ms', '100', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^generated 20 OTLP requests: 10240 spans/);
    const kept = Number(/kept (\d+) spans/.exec(r.stdout)![1]);
    const req = decodeTraces(new Uint8Array(readFileSync(join(out, 'demo-kept.pb'))));
    const spans = req.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    expect(spans.length).toBe(kept);
    expect(kept).toBeGreaterThan(0);
    for (const s of spans) {
      const duration = BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano);
      expect(s.status?.code === 2 || duration >= 100_000_000n).toBe(true);
    }
    const json = JSON.parse(readFileSync(join(out, 'demo-kept.json'), 'utf8'));
    expect(json.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)).length).toBe(kept);
  });
});

describe('otel-sieve bench', () => {
  // Every suite's baselines are checked for equivalence in their own tests; here the command itself
  // runs one suite end to end (the whole set takes minutes on a busy 2-core machine).
  it('runs a suite with its baselines and reports ratios', () => {
    const r = runCli(['bench', '--json', '--time', '20', '--requests', '1', '--suite', '^core$']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const ours = report.results.filter((x: any) => x.kind === 'ours');
    expect(ours.length).toBeGreaterThanOrEqual(6);
    for (const row of ours) {
      expect(row.spansPerSecond).toBeGreaterThan(0);
      expect(Object.keys(row.ratios).length).toBeGreaterThan(0);
    }
    expect(report.notes.core['memory held per span beyond the input: otel-sieve span table']).toMatch(/^\d+ B$/);
    expect(new Set(report.results.map((x: any) => x.suite))).toEqual(new Set(['core']));
  }, 120_000);
});
