// The packed package in every runtime it supports: Node (node and inline entries, init(source) with
// each kind of source), Deno (with and without --allow-read), workerd and headless Chromium. Every
// runtime decodes the same inputs, and must give Node's results exactly: span counts, SHA-256 of
// the JSON text, of toProtobuf(), of a filtered batch, and the message of each decode error.
// A runtime that can't start fails its tests; none is skipped.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, TMP, makeRunDir, packOnce } from './pack.js';
import type { PackedPackage } from './pack.js';
import { casesPayload, loadCases } from './cases.js';
import type { Case } from './cases.js';
import { killAll, runJson, stop } from './processes.js';
import { startWorkerd } from './workerd.js';
import type { Workerd } from './workerd.js';
import { runInChromium } from './chromium.js';

interface ProbeResult {
  name: string;
  ok: boolean;
  spanCount?: number;
  filteredSpanCount?: number;
  signal?: string;
  itemCount?: number;
  filteredItemCount?: number;
  error?: { name: string; message: string };
}
interface ProbeReport {
  runtime: string;
  resolved: string;
  results: ProbeResult[];
  readPermission?: string;
  fetches?: { url: string; status?: number; error?: string }[];
  before?: { fromProtobuf: string; initWithoutSource?: string };
  initialized?: boolean;
}

const SPAWN_TIMEOUT = 60_000;
const TEST_TIMEOUT = 90_000;
const ENTRY = (file: string) => `/node_modules/otel-sieve/dist/src/entry/${file}`;

let pkg: PackedPackage;
let runDir: string;
let cases: Case[];
let payload: string;
let baseline: ProbeReport;
const summary: string[] = [];

function note(runtime: string, resolved: string, started: number): void {
  summary.push(`${runtime.padEnd(34)} ${String(Date.now() - started).padStart(6)} ms  ${resolved}`);
}

const node = (mode: string) =>
  runJson<ProbeReport>(`node harness/node-probe.mjs ${mode}`, process.execPath, ['harness/node-probe.mjs', mode], {
    cwd: runDir,
    input: payload,
    timeoutMs: SPAWN_TIMEOUT,
  });

beforeAll(async () => {
  let started = Date.now();
  pkg = packOnce();
  runDir = makeRunDir(pkg);
  cpSync(join(REPO, 'test', 'runtimes', 'harness'), join(runDir, 'harness'), { recursive: true });
  cases = loadCases();
  payload = casesPayload(cases);
  summary.push(`packed ${pkg.tarball} (${Date.now() - started} ms, ${cases.length} inputs)`);
  // Every other runtime is compared with this.
  started = Date.now();
  baseline = await node('entry:otel-sieve');
  note(baseline.runtime, baseline.resolved, started);
}, 180_000);

afterAll(() => {
  killAll();
  if (runDir) rmSync(runDir, { recursive: true, force: true });
  if (summary.length) console.info(`runtime suite:\n  ${summary.join('\n  ')}`);
});

describe('node (baseline)', () => {
  it('resolves the node entry of the packed package and decodes every input', () => {
    expect(baseline.resolved).toMatch(new RegExp(`${pkg.hash}/consumer${ENTRY('node.js')}$`));
    expect(baseline.results.map((r) => r.name)).toEqual(cases.map((c) => c.name));
  });

  it('agrees with the oracle on span counts and the filter keeps some spans and drops others', () => {
    const require = createRequire(import.meta.url);
    const Req = require('otlp-oracle/build/esm/generated/root.js').opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
    const inputs = cases.filter((c) => c.kind !== 'malformed' && !c.signal);
    const ok = baseline.results.filter((r, i) => i < inputs.length && r.ok);
    expect(ok.length, 'at least one well-formed input decodes').toBeGreaterThan(0);
    let kept = 0;
    let dropped = 0;
    for (const r of ok) {
      const bytes = Buffer.from(inputs.find((c) => c.name === r.name)!.bytes);
      const names: string[] = Req.decode(bytes)
        .resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => (s.name ?? '') as string)));
      expect(r.spanCount, r.name).toBe(names.length);
      // Invalid UTF-8 decodes differently in protobufjs and TextDecoder: compare only names that
      // occur verbatim in the input.
      if (!names.every((n) => bytes.includes(Buffer.from(n)))) continue;
      expect(r.filteredSpanCount, r.name).toBe(names.filter((n) => n.length % 2 === 0).length);
      kept += r.filteredSpanCount!;
      dropped += r.spanCount! - r.filteredSpanCount!;
    }
    expect(kept).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
  });

  it('decodes and filters the log and metric requests too', () => {
    const signals = baseline.results.filter((r) => r.signal && !r.name.startsWith('malformed:'));
    expect(signals.map((r) => r.signal)).toEqual(['logs', 'logs', 'metrics', 'metrics']);
    for (const r of signals) {
      expect(r.ok, `${r.name}: ${r.error?.message}`).toBe(true);
      expect(r.itemCount, r.name).toBe(r.signal === 'logs' ? 40 : 60);
      expect(r.filteredItemCount, r.name).toBeGreaterThan(0);
      expect(r.filteredItemCount, r.name).toBeLessThan(r.itemCount!);
    }
  });

  it('rejects every malformed input with an OtlpDecodeError, never a trap', () => {
    const malformed = baseline.results.filter((r) => r.name.startsWith('malformed:'));
    expect(malformed.length).toBeGreaterThan(0);
    for (const r of malformed) {
      expect(r.ok, r.name).toBe(false);
      expect(r.error?.name, `${r.name}: ${r.error?.message}`).toBe('OtlpDecodeError');
      expect(r.error?.message.length, r.name).toBeGreaterThan(10);
    }
    for (const r of baseline.results.filter((x) => !x.ok)) expect(r.error?.name, r.name).not.toBe('CoreTrapError');
  });

  it('gives the same results through the inline entry (otel-sieve/inline)', async () => {
    const started = Date.now();
    const report = await node('entry:otel-sieve/inline');
    note(`${report.runtime} (otel-sieve/inline)`, report.resolved, started);
    expect(report.resolved).toMatch(new RegExp(`${ENTRY('inline.js')}$`));
    expect(report.results).toEqual(baseline.results);
  }, TEST_TIMEOUT);
});

describe('node init(source)', () => {
  const sources = [
    'module',
    'module-default-export',
    'bytes',
    'arraybuffer',
    'response',
    'response-untyped',
    'promise-of-response',
    'url-http',
    'url-string-http',
    'url-file',
  ];
  it.each(sources)('init(%s) gives the same results', async (source) => {
    const report = await node(`source:${source}`);
    expect(report.initialized).toBe(true);
    expect(report.before?.fromProtobuf, 'TraceBatch before init()').toBe('NotInitializedError');
    if (source === 'url-file') {
      expect(report.resolved).toMatch(new RegExp(`${ENTRY('node.js')}$`));
    } else {
      expect(report.resolved).toMatch(/\/node_modules\/otel-sieve\/dist\/src\/index\.js$/);
      expect(report.before?.initWithoutSource).toMatch(/no default core\.wasm location/);
    }
    expect(report.results).toEqual(baseline.results);
  }, TEST_TIMEOUT);
});

describe('deno', () => {
  const deno = (permissions: string[]) => {
    const bin = join(REPO, 'node_modules', '.bin', 'deno');
    if (!existsSync(bin)) throw new Error(`deno is not installed (${bin} missing): run npm install`);
    return runJson<ProbeReport>(`deno run ${permissions.join(' ')}`, bin, ['run', '--no-prompt', '--node-modules-dir=manual', ...permissions, 'harness/deno-probe.mjs'], {
      cwd: runDir,
      input: payload,
      timeoutMs: SPAWN_TIMEOUT,
      env: { ...process.env, DENO_DIR: join(TMP, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
  };

  it('without --allow-read: the deno condition selects the web entry, which falls back to inline bytes', async () => {
    const started = Date.now();
    const report = await deno([]);
    note(`${report.runtime} (no permissions)`, report.resolved, started);
    expect(report.readPermission).not.toBe('granted');
    expect(report.resolved).toMatch(new RegExp(`${ENTRY('web.js')}$`));
    // fetch(file:) is refused, so the core came from the inlined bytes.
    expect(report.fetches).toEqual([{ url: expect.stringMatching(/\/otel-sieve\/dist\/core\.wasm$/), error: 'NotCapable' }]);
    expect(report.results).toEqual(baseline.results);
  }, TEST_TIMEOUT);

  it('with --allow-read: the web entry fetches core.wasm', async () => {
    const started = Date.now();
    const report = await deno(['--allow-read']);
    note(`${report.runtime} (--allow-read)`, report.resolved, started);
    expect(report.readPermission).toBe('granted');
    expect(report.resolved).toMatch(new RegExp(`${ENTRY('web.js')}$`));
    expect(report.fetches).toEqual([{ url: expect.stringMatching(/\/otel-sieve\/dist\/core\.wasm$/), status: 200 }]);
    expect(report.results).toEqual(baseline.results);
  }, TEST_TIMEOUT);
});

describe('workerd', () => {
  let server: Workerd | undefined;
  afterAll(() => stop(server?.child));

  it('serves the workerd entry with core.wasm as a wasm module and answers each POSTed input like Node', async () => {
    const started = Date.now();
    server = await startWorkerd(pkg, runDir, SPAWN_TIMEOUT);
    expect(server.entry).toBe('dist/src/entry/workerd.js');
    const ready = await (await fetch(`${server.url}/ready`, { signal: AbortSignal.timeout(SPAWN_TIMEOUT) })).json();
    expect(ready).toEqual({ initialized: true, compileFromBytes: expect.stringMatching(/disallowed/) });
    const results: ProbeResult[] = [];
    for (const c of cases) {
      const res = await fetch(`${server.url}/probe${c.signal ? `?signal=${c.signal}` : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: c.bytes,
        signal: AbortSignal.timeout(SPAWN_TIMEOUT),
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`workerd answered ${res.status} for ${c.name}: ${body}\nworkerd output:\n${server.stderr()}`);
      results.push({ name: c.name, ...JSON.parse(body) });
    }
    note('workerd', server.entry, started);
    expect(results).toEqual(baseline.results);
  }, TEST_TIMEOUT);
});

describe('chromium', () => {
  it('loads the browser entry through an import map, fetches core.wasm and matches Node', async () => {
    const started = Date.now();
    const run = await runInChromium(pkg, runDir, payload, SPAWN_TIMEOUT);
    const { report } = run;
    if (report.fatal) throw new Error(`${report.fatal}\nconsole:\n${run.console.join('\n')}\nrequests:\n${run.requests.join('\n')}`);
    note(report.runtime!.match(/Chrome\/[\d.]+/)?.[0] ?? 'chromium', report.resolved!, started);
    expect(run.entry).toBe('dist/src/entry/web.js');
    expect(report.resolved).toMatch(new RegExp(`${ENTRY('web.js')}$`));
    // The primary path, not the inline fallback: core.wasm fetched with the wasm MIME type.
    expect(run.requests).toContain('GET /node_modules/otel-sieve/dist/core.wasm 200 application/wasm');
    expect(run.requests.filter((r) => r.includes('core-bytes.js'))).toEqual([]);
    expect(report.results).toEqual(baseline.results);
  }, TEST_TIMEOUT);
});
