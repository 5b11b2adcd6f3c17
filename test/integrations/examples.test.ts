// Every example, run as a user would run it against the packed package: the Cloudflare worker
// under workerd, the Deno server under deno, the browser page in headless Chromium, the Node SDK
// script under node. Each sends to a local sink on 127.0.0.1; what arrives must be exactly what
// the example's processing keeps, compared by span id with what the SDK produced.
import { cpSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { context, trace, SpanStatusCode } from '@opentelemetry/api';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan as SdkReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRunDir, packOnce, REPO, TMP } from '../runtimes/pack.js';
import type { PackedPackage } from '../runtimes/pack.js';
import { killAll, run, start, stop } from '../runtimes/processes.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../runtimes/chromium.js';
import { startWorker } from './helpers/workerd-host.js';
import { keysOfRequest, startSink } from './helpers/otlp-sink.js';
import type { Sink, SinkRequest } from './helpers/otlp-sink.js';
import { provider } from './helpers/sdk-spans.js';
import { decodeTraces, toHex } from '../helpers/oracle.js';
import { refProbabilisticSampled } from '../helpers/tail-sampling-reference.js';

const TIMEOUT = 60_000;
const EXAMPLES = join(REPO, 'examples');
let pkg: PackedPackage;
let runDir: string;
let sink: Sink;

beforeAll(async () => {
  pkg = packOnce();
  runDir = makeRunDir(pkg);
  sink = await startSink();
}, 120_000);

afterAll(async () => {
  killAll();
  await sink?.close();
  if (runDir) rmSync(runDir, { recursive: true, force: true });
});

/** Waits (bounded) until `ready()`; the failure message says what was missing. */
async function until(ready: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const key = (s: SdkReadableSpan) => `${s.spanContext().traceId}/${s.spanContext().spanId}`;

/** Attributes of every span received, by key, decoded independently. */
function attributesAtSink(requests: SinkRequest[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const r of requests) {
    if (String(r.headers['content-type']).startsWith('application/json')) {
      const doc = JSON.parse(r.body.toString('utf8'));
      for (const rs of doc.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) {
        out.set(`${s.traceId}/${s.spanId}`, Object.fromEntries((s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]])));
      }
    } else {
      const doc = decodeTraces(r.body);
      for (const rs of doc.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) {
        out.set(`${toHex(s.traceId)}/${toHex(s.spanId)}`, Object.fromEntries((s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]])));
      }
    }
  }
  return out;
}

describe('examples/cloudflare-worker under workerd', () => {
  it('receives OTLP/JSON from a browser-style exporter, tail-samples and redacts by its collector config, forwards the rest upstream', async () => {
    sink.requests.length = 0;
    const dir = join(runDir, 'cloudflare-worker');
    cpSync(join(EXAMPLES, 'cloudflare-worker', 'src'), dir, { recursive: true });
    const host = await startWorker(pkg, runDir, {
      main: join(dir, 'worker.js'),
      modules: [join(dir, 'pipeline-config.js')],
      bindings: { UPSTREAM_URL: sink.url, ALLOWED_ORIGINS: 'https://shop.example' },
    }, TIMEOUT);
    try {
      // A browser's preflight, from the allowed origin.
      const preflight = await fetch(`${host.url}/v1/traces`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');

      const memory = new InMemorySpanExporter();
      const p = provider([new SimpleSpanProcessor(memory), new BatchSpanProcessor(new JsonExporter({ url: `${host.url}/v1/traces`, headers: { origin: 'https://shop.example' } }))], 'storefront-web');
      const tracer = p.getTracer('browser');
      for (let i = 0; i < 60; i++) {
        const slow = i % 10 === 3;
        const health = i % 4 === 0;
        const root = tracer.startSpan(health ? 'GET /health' : `page /products/${i}`, {
          startTime: slow ? Date.now() - 2000 : Date.now(),
          attributes: { 'http.route': health ? '/health' : '/products/:id', 'user.email': `u${i}@example.com`, 'page.index': i },
        });
        const ctx = trace.setSpan(context.active(), root);
        const child = tracer.startSpan('fetch /api', { attributes: { 'enduser.id': `id-${i}`, 'http.status_code': i % 6 === 1 ? 500 : 200 } }, ctx);
        if (i % 6 === 1) child.setStatus({ code: SpanStatusCode.ERROR });
        child.end();
        root.end();
      }
      await p.forceFlush();
      const produced = [...memory.getFinishedSpans()] as SdkReadableSpan[];
      await p.shutdown();

      // What pipeline-config.js keeps, computed here from the SDK's spans: health-check traces are
      // dropped whole; of the rest, traces with an error, lasting 1 s or more, or in the 10 % the
      // probabilistic policy picks by trace id.
      const byTrace = new Map<string, SdkReadableSpan[]>();
      for (const s of produced) byTrace.set(s.spanContext().traceId, [...(byTrace.get(s.spanContext().traceId) ?? []), s]);
      const nanos = (t: [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
      const keepTrace = new Set([...byTrace].filter(([id, spans]) => {
        if (spans.some((s) => s.attributes['http.route'] === '/health')) return false;
        const start = spans.reduce((m, s) => (nanos(s.startTime) < m ? nanos(s.startTime) : m), nanos(spans[0]!.startTime));
        const end = spans.reduce((m, s) => (nanos(s.endTime) > m ? nanos(s.endTime) : m), 0n);
        return spans.some((s) => s.status.code === SpanStatusCode.ERROR) || end - start >= 1_000_000_000n || refProbabilisticSampled(id, 10);
      }).map(([id]) => id));
      const want = produced.filter((s) => keepTrace.has(s.spanContext().traceId)).map(key).sort();
      expect(want.length).toBeGreaterThan(10);
      expect(want.length).toBeLessThan(produced.length);

      await until(() => sink.spanKeys().length >= want.length, () => `the upstream has ${sink.spanKeys().length} of ${want.length} spans\n${host.output()}`);
      expect(sink.spanKeys().sort()).toEqual(want);
      // Redacted: masked in every span that had them; everything else intact.
      const attrs = attributesAtSink(sink.requests);
      for (const [k, a] of attrs) {
        if ('user.email' in a) expect(a['user.email'], k).toBe('****');
        if ('enduser.id' in a) expect(a['enduser.id'], k).toBe('****');
        expect('page.index' in a || 'http.status_code' in a, k).toBe(true);
      }
      expect([...attrs.values()].filter((a) => 'user.email' in a).length).toBe(keepTrace.size);
      expect(sink.requests.every((r) => r.headers['content-encoding'] === 'gzip' && r.headers['content-type'] === 'application/x-protobuf')).toBe(true);
    } finally {
      await host.stop();
    }
  }, 120_000);
});

describe('examples/deno', () => {
  it('serves OTLP on Deno.serve, drops health-check traces, deletes cookies, forwards the rest, and shuts down cleanly on SIGTERM', async () => {
    sink.requests.length = 0;
    const dir = join(runDir, 'deno-example');
    cpSync(join(EXAMPLES, 'deno'), dir, { recursive: true });
    const bin = join(REPO, 'node_modules', '.bin', 'deno');
    const child = start(bin, ['run', '--no-prompt', '--node-modules-dir=manual', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', 'main.ts'], {
      cwd: dir,
      env: { ...process.env, PORT: '0', UPSTREAM_URL: sink.url, DENO_DIR: join(TMP, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    try {
      await until(() => out.includes('"listening"'), () => `deno printed no address\nstdout:\n${out}\nstderr:\n${err}`, TIMEOUT);
      const url = (JSON.parse(out.split('\n')[0]!) as { listening: string }).listening;
      const memory = new InMemorySpanExporter();
      const p = provider([new SimpleSpanProcessor(memory), new BatchSpanProcessor(new ProtoExporter({ url, compression: 'gzip' as never }))]);
      const tracer = p.getTracer('deno-client');
      for (let i = 0; i < 10; i++) {
        const health = i % 3 === 0;
        const root = tracer.startSpan(health ? 'GET /health' : `GET /items/${i}`, {
          attributes: { 'http.route': health ? '/health' : '/items/:id', 'http.request.header.cookie': `session=${i}`, 'item.index': i },
        });
        tracer.startSpan('db', {}, trace.setSpan(context.active(), root)).end();
        root.end();
      }
      await p.forceFlush();
      const produced = [...memory.getFinishedSpans()] as SdkReadableSpan[];
      await p.shutdown();
      // Traces holding a span with http.route /health are dropped whole; the rest is kept.
      const healthTraces = new Set(produced.filter((s) => s.attributes['http.route'] === '/health').map((s) => s.spanContext().traceId));
      const want = produced.filter((s) => !healthTraces.has(s.spanContext().traceId)).map(key).sort();
      expect(want).toHaveLength(12);
      await until(() => sink.spanKeys().length >= want.length, () => `the upstream has ${sink.spanKeys().length} of ${want.length} spans\n${err}`);
      expect(sink.spanKeys().sort()).toEqual(want);
      const attrs = attributesAtSink(sink.requests);
      const roots = [...attrs.values()].filter((a) => 'item.index' in a);
      expect(roots).toHaveLength(6);
      for (const a of roots) expect('http.request.header.cookie' in a).toBe(false);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const last = JSON.parse(out.trim().split('\n').pop()!) as { stopped: boolean; stats: { delivered: number; dropped: number; failed: number } };
      expect(last).toMatchObject({ stopped: true, stats: { delivered: want.length, dropped: 0, failed: 0 } });
    } finally {
      await stop(child);
    }
  }, 120_000);
});

describe('examples/browser in headless Chromium', () => {
  it('filters spans in the page by a collector config (health-check traces dropped, user.email masked) before the SDK exports them', async () => {
    if (!existsSync(CHROMIUM)) throw new Error('install Debian chromium: apt-get install -y chromium');
    const dir = join(runDir, 'browser-example');
    cpSync(join(EXAMPLES, 'browser'), dir, { recursive: true, filter: (src) => !src.includes(`${sep}dist`) });
    const built = await run(process.execPath, ['build.mjs', join(dir, 'dist')], { cwd: dir, timeoutMs: TIMEOUT });
    expect(built.code, built.stderr).toBe(0);

    const received: SinkRequest[] = [];
    let deliver!: (r: { created?: { name: string; url: string; traceId: string; spanId: string; parentSpanId: string }[]; fatal?: string }) => void;
    const results = new Promise<Parameters<typeof deliver>[0]>((resolve) => (deliver = resolve));
    const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm' };
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const body = Buffer.concat(chunks);
        if (path === '/v1/traces' && req.method === 'POST') {
          received.push({ method: 'POST', path, headers: req.headers, raw: body, body });
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{}');
        }
        if (path === '/results') {
          res.writeHead(204).end();
          return deliver(JSON.parse(body.toString('utf8')));
        }
        if (path.startsWith('/api/') || path === '/health') {
          res.writeHead(path === '/api/checkout' ? 500 : 200, { 'content-type': 'application/json' });
          return res.end('{"ok":true}');
        }
        const file = normalize(join(dir, path === '/' ? 'index.html' : path));
        if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
        res.end(readFileSync(file));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: TIMEOUT });
    const messages: string[] = [];
    try {
      const page = await browser.newPage();
      page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => deliver({ fatal: e.stack ?? e.message }));
      await page.goto(`${origin}/index.html`, { timeout: TIMEOUT });
      let timer: NodeJS.Timeout | undefined;
      const report = await Promise.race([results, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no results from the page\n${messages.join('\n')}`)), TIMEOUT)))]).finally(() => clearTimeout(timer));
      expect(report.fatal, messages.join('\n')).toBeUndefined();
      const created = report.created!;
      expect(created).toHaveLength(7);
      // A trace with a span fetching /health is dropped whole; every other span is kept.
      const healthTraces = new Set(created.filter((s) => s.url === '/health').map((s) => s.traceId));
      const want = created.filter((s) => !healthTraces.has(s.traceId)).map((s) => `${s.traceId}/${s.spanId}`).sort();
      expect(want).toHaveLength(5);
      expect(received.flatMap(keysOfRequest).sort()).toEqual(want);
      expect(received.every((r) => String(r.headers['content-type']).startsWith('application/json'))).toBe(true);
      const attrs = attributesAtSink(received);
      const load = created.find((s) => s.name === 'documentLoad')!;
      expect(attrs.get(`${load.traceId}/${load.spanId}`)!['user.email']).toBe('****');
      expect(attrs.get(`${load.traceId}/${created.find((s) => s.name === 'GET /api/products')!.spanId}`)!['http.status_code']).toBe(200);
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 120_000);
});

describe('examples/node-sdk', () => {
  it('keeps only error and slow traces (minus health checks) and sends them with the SDK\'s OTLP exporter', async () => {
    sink.requests.length = 0;
    const dir = join(runDir, 'node-sdk-example');
    cpSync(join(EXAMPLES, 'node-sdk'), dir, { recursive: true });
    const r = await run(process.execPath, ['main.mjs'], { cwd: dir, env: { ...process.env, OTLP_URL: `${sink.url}/v1/traces` }, timeoutMs: TIMEOUT });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as { traces: { kind: string; traceId: string }[]; stats: Record<string, number> };
    const kept = new Set(report.traces.filter((t) => t.kind === 'error' || t.kind === 'slow').map((t) => t.traceId));
    expect(kept.size).toBe(7);
    const keys = sink.spanKeys();
    expect(new Set(keys.map((k) => k.split('/')[0]))).toEqual(kept);
    // Error traces have a root and two children; slow ones a root and one child.
    expect(keys).toHaveLength(4 * 3 + 3 * 2);
    expect(report.stats).toMatchObject({ spansEnded: 118, spansExported: 18, spansDropped: 0, spansFailed: 0 });
  }, 120_000);
});
