// The OTLP/HTTP handler's behaviour table (handler-cases.ts), run in Node (the handler called with
// Request objects) and in workerd (the packed package behind a real socket), with the same
// pipelines and options; every answer must match the table, and the two runtimes must agree on
// every answer and on the spans exported, compared by id.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from 'otel-sieve';
import { makeRunDir, packOnce, REPO } from '../runtimes/pack.js';
import { killAll } from '../runtimes/processes.js';
import { startWorker } from './helpers/workerd-host.js';
import type { WorkerdHost } from './helpers/workerd-host.js';
import { describe as describeResponse, handlerCases, makeBodies, matches, withoutRuntimeDetail, LIMIT, PROTO } from './handler-cases.js';
import type { Described, HandlerCase } from './handler-cases.js';
// @ts-expect-error plain JS shared with the workerd harness
import { HANDLER_OPTIONS, makePipelines, memoryExporter } from './harness/pipelines.mjs';
import { spanKey } from './helpers/otlp-samples.js';

const TIMEOUT = 60_000;
let cases: HandlerCase[];
let bomb: Uint8Array;

interface Outcome {
  response: Described;
  exported: string[];
}

function requestOf(c: HandlerCase, base: string, body: BodyInit | undefined = c.body as BodyInit | undefined): Request {
  return new Request(`${base}${c.path ?? '/v1/traces'}`, {
    method: c.method ?? 'POST',
    headers: { ...c.headers, ...(c.pipeline ? { 'x-test-pipeline': c.pipeline } : {}) },
    body,
    // @ts-expect-error Node's fetch needs duplex for stream bodies
    duplex: 'half',
  });
}

const nodeOutcomes = new Map<string, Outcome>();
const errors: Error[] = [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let exporter: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let handlers: Record<string, any>;

beforeAll(async () => {
  await api.init();
  const bodies = await makeBodies();
  bomb = bodies.bomb;
  cases = handlerCases(bodies);
  exporter = memoryExporter();
  handlers = Object.fromEntries(Object.entries(makePipelines(api)).map(([name, p]) => [
    name,
    api.createOtlpHandler(p as api.TracesPipelineLike, { ...HANDLER_OPTIONS, exporters: [exporter], onError: (e: Error) => errors.push(e) }),
  ]));
}, TIMEOUT);

async function runInNode(c: HandlerCase): Promise<Outcome> {
  const handler = handlers[c.pipeline ?? 'drop-health'];
  const response = await describeResponse(await handler(requestOf(c, 'http://127.0.0.1')));
  return { response, exported: exporter.ids.splice(0) };
}

describe('node', () => {
  it('answers every case of the table as specified', async () => {
    const failures: string[] = [];
    for (const c of cases) {
      const outcome = await runInNode(c);
      nodeOutcomes.set(c.name, outcome);
      if (!matches(outcome.response, c.expectIn?.node ?? c.expect)) failures.push(`${c.name}:\n  got      ${JSON.stringify(outcome.response)}\n  expected ${JSON.stringify(c.expect, (_k, v) => (v instanceof RegExp ? String(v) : v))}`);
    }
    expect(failures.join('\n')).toBe('');
  }, TIMEOUT);

  it('exports exactly the spans the pipeline keeps, by id', () => {
    const kept = [spanKey(2, 1), spanKey(2, 2), spanKey(3, 1)];
    for (const name of ['protobuf', 'json', 'json with charset', 'protobuf gzip', 'json gzip', 'protobuf deflate (zlib)', 'two gzip members concatenated (two requests merge)', 'CORS POST']) {
      expect(nodeOutcomes.get(name)!.exported.sort(), name).toEqual(kept.sort());
    }
    // Refused, malformed and over-limit requests export nothing.
    for (const name of ['refused (503)', 'malformed protobuf', 'decompression bomb (300 MB of zeros)', 'body over the limit']) {
      expect(nodeOutcomes.get(name)!.exported, name).toEqual([]);
    }
    // A partial success still exports what was accepted.
    expect(nodeOutcomes.get('partial success (protobuf)')!.exported).toHaveLength(6);
    // The bug was reported, not swallowed.
    expect(errors.map((e) => e.message)).toEqual(['a bug in a processor']);
  });

  it('inflates a decompression bomb only up to the limit: memory stays near cap + one chunk', async () => {
    const c = cases.find((x) => x.name === 'decompression bomb (300 MB of zeros)')!;
    const memory = () => process.memoryUsage().arrayBuffers + process.memoryUsage().external;
    const before = memory();
    let peak = before;
    // Sampled between the handler's awaits; inflating the whole bomb would hold ~300 MB.
    const sampler = setInterval(() => (peak = Math.max(peak, memory())), 1);
    try {
      for (let i = 0; i < 3; i++) {
        const res = await handlers['drop-health'](requestOf(c, 'http://127.0.0.1'));
        expect(res.status).toBe(413);
        peak = Math.max(peak, memory());
      }
    } finally {
      clearInterval(sampler);
    }
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('the next request after a failure works (nothing poisoned)', async () => {
    const c = cases.find((x) => x.name === 'protobuf')!;
    for (const bad of ['malformed protobuf', 'decompression bomb (300 MB of zeros)', 'a pipeline bug is a 500']) {
      await runInNode(cases.find((x) => x.name === bad)!);
      expect((await runInNode(c)).response.status).toBe(200);
    }
  });

  it('without waitUntil the export is awaited; with it, scheduled there', async () => {
    const c = cases.find((x) => x.name === 'protobuf')!;
    const scheduled: Promise<unknown>[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = { ...memoryExporter(), export(batch: api.TraceBatch) { const n = batch.spanCount; return gate.then(() => ({ delivered: n, lost: 0 })); } };
    const pipeline = makePipelines(api)['drop-health'] as api.TracesPipelineLike;
    const handler = api.createOtlpHandler(pipeline, { exporters: [slow] });
    const res = await handler(requestOf(c, 'http://127.0.0.1'), { waitUntil: (p: Promise<unknown>) => scheduled.push(p) });
    expect(res.status).toBe(200);
    expect(scheduled).toHaveLength(1);
    expect(handler.stats().exportsPending).toBe(1);
    release();
    await Promise.all(scheduled);
    expect(handler.stats().exportsPending).toBe(0);
    // Awaited: the response comes after the export settled.
    let settled = false;
    const slow2 = { ...memoryExporter(), export(batch: api.TraceBatch) { const n = batch.spanCount; return Promise.resolve().then(() => { settled = true; return { delivered: n, lost: 0 }; }); } };
    const awaited = api.createOtlpHandler(makePipelines(api)['drop-health'] as api.TracesPipelineLike, { exporters: [slow2] });
    expect((await awaited(requestOf(c, 'http://127.0.0.1'))).status).toBe(200);
    expect(settled).toBe(true);
  });

  it('refuses with 503 + Retry-After while an exporter cannot take more, instead of acknowledging and dropping', async () => {
    const c = cases.find((x) => x.name === 'protobuf')!;
    const full = { ...memoryExporter(), accepting: false, id: 'otlphttp/upstream' };
    const handler = api.createOtlpHandler(makePipelines(api)['drop-health'] as api.TracesPipelineLike, { exporters: [full], retryAfterSeconds: 4 });
    const d = await describeResponse(await handler(requestOf(c, 'http://127.0.0.1')));
    expect(d).toEqual({ status: 503, contentType: PROTO, headers: { 'retry-after': '4' }, body: { kind: 'status', code: 14, message: 'data refused: exporter otlphttp/upstream: sending queue is full' } });
    expect(full.ids).toEqual([]);
  });

  it('when the core runs out of memory it answers 503 + Retry-After (retry later), and recovers', async () => {
    const { protobufRequest } = await import('./helpers/otlp-samples.js');
    const many = protobufRequest(Array.from({ length: 3000 }, (_, i) => ({ trace: 1 + (i % 200), span: i + 1, name: `op-${i}`, attributes: { 'payload': 'x'.repeat(100) } })));
    expect(many.length).toBeGreaterThan(512 * 1024);
    const handler = handlers['drop-health'];
    const post = () => handler(new Request('http://127.0.0.1/v1/traces', { method: 'POST', headers: { 'content-type': PROTO }, body: many }));
    await api.init(undefined, { memoryLimit: 1 << 20 });
    try {
      const d = await describeResponse(await post());
      expect(d.status).toBe(503);
      expect(d.headers).toEqual({ 'retry-after': '1' });
      expect(d.body).toMatchObject({ kind: 'status', code: 14, message: expect.stringMatching(/^data refused: .*out of memory/) });
    } finally {
      await api.init(undefined, { memoryLimit: api.DEFAULT_INIT_OPTIONS.memoryLimit });
    }
    expect((await post()).status).toBe(200);
    exporter.ids.splice(0);
  });

  it('flush() drains a buffering pipeline into the exporters and never rejects', async () => {
    const c = cases.find((x) => x.name === 'protobuf')!;
    const mem = memoryExporter();
    // @ts-expect-error plain JS
    const { holdUntilFlush } = await import('./harness/pipelines.mjs');
    const handler = api.createOtlpHandler(holdUntilFlush(), { exporters: [mem] });
    expect((await handler(requestOf(c, 'http://127.0.0.1'))).status).toBe(200);
    expect(mem.ids).toEqual([]);
    await handler.flush();
    expect(mem.ids).toHaveLength(6);
    const failing = { ...memoryExporter(), forceFlush: () => Promise.reject(new Error('disk full')) };
    const seen: Error[] = [];
    const h2 = api.createOtlpHandler(holdUntilFlush(), { exporters: [failing], onError: (e) => seen.push(e) });
    await expect(h2.flush()).resolves.toBeUndefined();
    expect(seen.map((e) => e.message)).toEqual(['disk full']);
  });

  it('checks its options and names the option at fault', () => {
    const p = makePipelines(api)['drop-health'] as api.TracesPipelineLike;
    expect(() => api.createOtlpHandler(p, { maxRequestBodySize: 0 })).toThrow(/maxRequestBodySize must be a positive integer/);
    expect(() => api.createOtlpHandler(p, { path: 'v1/traces' })).toThrow(/path must start with "\/"/);
    expect(() => api.createOtlpHandler(p, { refusedStatus: 500 as 503 })).toThrow(/refusedStatus must be 429 or 503/);
    expect(() => api.createOtlpHandler({} as api.TracesPipelineLike)).toThrow(/pipeline must have process/);
    expect(() => api.createOtlpHandler(p, { cors: { allowedOrigins: ['https://*.*.example'] } })).toThrow(/one "\*"/);
    expect(Object.isFrozen(api.DEFAULT_OTLP_HANDLER_OPTIONS)).toBe(true);
    expect(api.DEFAULT_OTLP_HANDLER_OPTIONS.maxRequestBodySize).toBe(20 * 1024 * 1024);
    expect(LIMIT).toBe(HANDLER_OPTIONS.maxRequestBodySize);
  });
});

describe('workerd', () => {
  let host: WorkerdHost | undefined;
  let runDir: string | undefined;

  afterAll(async () => {
    await host?.stop();
    killAll();
    if (runDir) rmSync(runDir, { recursive: true, force: true });
  });

  it('answers every case exactly as Node does, and exports the same spans by id', async () => {
    const pkg = packOnce();
    runDir = makeRunDir(pkg);
    cpSync(join(REPO, 'test', 'integrations', 'harness'), join(runDir, 'harness'), { recursive: true });
    host = await startWorker(pkg, runDir, { main: join(runDir, 'harness', 'handler-worker.mjs'), modules: [join(runDir, 'harness', 'pipelines.mjs')] }, TIMEOUT);
    const failures: string[] = [];
    for (const c of cases) {
      const req = requestOf(c, host.url);
      const res = await fetch(req, { signal: AbortSignal.timeout(TIMEOUT) });
      const response = await describeResponse(res);
      const exported = (await (await fetch(`${host.url}/__exported`)).json()) as string[];
      const node = nodeOutcomes.get(c.name);
      const expected = c.expectIn?.workerd ?? c.expect;
      if (!matches(response, expected)) failures.push(`${c.name}: does not match the table: ${JSON.stringify(response)}`);
      else if (c.expectIn?.workerd) continue;
      else if (JSON.stringify(withoutRuntimeDetail(response)) !== JSON.stringify(withoutRuntimeDetail(node!.response))) failures.push(`${c.name}: differs from Node:\n  workerd ${JSON.stringify(response)}\n  node    ${JSON.stringify(node?.response)}`);
      else if (JSON.stringify([...exported].sort()) !== JSON.stringify([...(node?.exported ?? [])].sort())) failures.push(`${c.name}: exported ${JSON.stringify(exported)}, Node exported ${JSON.stringify(node?.exported)}`);
    }
    expect(failures.join('\n'), host.output()).toBe('');
  }, 120_000);
});
