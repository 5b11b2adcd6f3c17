// The otlphttp exporter against a local server that fails on purpose: what is retried (429, 502,
// 503, 504, network errors, timeouts) and what is not (400 and every other status, oversized
// responses, partial success), Retry-After honoured and clamped to max_elapsed_time, a bounded
// queue whose drops are counted and reported, and config errors naming the key. No assertion
// depends on how long anything took: waits are proven by what the exporter decides and reports.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as api from 'otel-sieve';
import { startSink } from './helpers/otlp-sink.js';
import type { Sink } from './helpers/otlp-sink.js';
import { protobufRequest, SAMPLE_SPANS, spanKey } from './helpers/otlp-samples.js';
import { parseRetryAfter } from '../../src/otlp-http/retry-after.js';
import { Backoff } from '../../src/exporters/otlphttp/backoff.js';

const require = createRequire(import.meta.url);
const Response_ = require('otlp-oracle/build/esm/generated/root.js').opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

let sink: Sink;
const ALL = SAMPLE_SPANS.map((s) => spanKey(s.trace, s.span));
const FAST_RETRY = { initial_interval: '10ms', max_interval: '20ms', max_elapsed_time: '5s', randomization_factor: 0 };

function batch(): api.TraceBatch {
  return api.TraceBatch.fromProtobuf(protobufRequest(SAMPLE_SPANS));
}

interface Run {
  exporter: api.OtlpHttpExporter;
  failures: api.ExportFailure[];
}

function exporter(config: Partial<api.OtlpHttpExporterConfig> = {}, options: api.OtlpHttpExporterOptions = {}): Run {
  const failures: api.ExportFailure[] = [];
  const e = new api.OtlpHttpExporter({ endpoint: sink.url, retry_on_failure: FAST_RETRY, ...config }, { onFailure: (f) => failures.push(f), ...options });
  return { exporter: e, failures };
}

async function exportOne(run: Run): Promise<api.ExportOutcome> {
  const b = batch();
  try {
    return await run.exporter.export(b);
  } finally {
    b.dispose();
  }
}

beforeAll(async () => {
  await api.init();
  sink = await startSink();
});
afterAll(() => sink.close());
beforeEach(() => {
  sink.requests.length = 0;
  sink.respond(() => ({ status: 200 }));
});

describe('sending', () => {
  it('POSTs gzipped protobuf to endpoint + /v1/traces with the configured headers, spans intact', async () => {
    const run = exporter({ headers: { authorization: 'Bearer t0ken', 'x-scope-orgid': 'tenant-1' } });
    expect(run.exporter.url).toBe(`${sink.url}/v1/traces`);
    expect(await exportOne(run)).toEqual({ delivered: 6, lost: 0 });
    const [req] = sink.requests;
    expect(req!.path).toBe('/v1/traces');
    expect(req!.headers['content-type']).toBe('application/x-protobuf');
    expect(req!.headers['content-encoding']).toBe('gzip');
    expect(req!.headers.authorization).toBe('Bearer t0ken');
    expect(req!.headers['x-scope-orgid']).toBe('tenant-1');
    expect(sink.spanKeys()).toEqual(ALL);
    expect(run.exporter.stats()).toMatchObject({ received: 6, delivered: 6, dropped: 0, failed: 0, rejected: 0, retries: 0, queued: 0, inFlight: 0 });
  });

  it('sends strict OTLP/JSON uncompressed with encoding json / compression none, to traces_endpoint as given', async () => {
    const run = exporter({ encoding: 'json', compression: 'none', traces_endpoint: `${sink.url}/custom/path` });
    expect(await exportOne(run)).toEqual({ delivered: 6, lost: 0 });
    const [req] = sink.requests;
    expect(req!.path).toBe('/custom/path');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['content-encoding']).toBeUndefined();
    const doc = JSON.parse(req!.body.toString('utf8'));
    expect(doc.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano).toMatch(/^\d+$/);
    expect(req!.body.toString('utf8')).toBe(JSON.stringify(batch().toJSON()));
  });

  it('with sending_queue disabled, sends at once and still counts', async () => {
    const run = exporter({ sending_queue: { enabled: false } });
    expect(await exportOne(run)).toEqual({ delivered: 6, lost: 0 });
    expect(run.exporter.accepting).toBe(true);
  });
});

describe('retries', () => {
  it.each([429, 502, 503, 504])('retries %i, then delivers', async (status) => {
    sink.respond((_r, i) => (i < 2 ? { status, headers: { 'content-type': 'application/x-protobuf' } } : { status: 200 }));
    const run = exporter();
    expect(await exportOne(run)).toEqual({ delivered: 6, lost: 0 });
    expect(sink.requests).toHaveLength(3);
    expect(run.exporter.stats().retries).toBe(2);
    expect(sink.spanKeys()).toEqual([...ALL, ...ALL, ...ALL]);
  });

  it.each([400, 401, 403, 404, 413, 500, 501])('does not retry %i, and reports the server\'s message', async (status) => {
    const rpcStatus = new Uint8Array([0x08, 0x03, 0x12, 0x08, ...Buffer.from('bad data')]);
    sink.respond(() => ({ status, headers: { 'content-type': 'application/x-protobuf' }, body: rpcStatus }));
    const run = exporter();
    const outcome = await exportOne(run);
    expect(outcome.delivered).toBe(0);
    expect(outcome.lost).toBe(6);
    expect(outcome.error?.message).toBe(`HTTP ${status} from ${sink.url}/v1/traces: bad data`);
    expect(sink.requests).toHaveLength(1);
    expect(run.exporter.stats()).toMatchObject({ failed: 6, retries: 0 });
    expect(run.failures.map((f) => [f.kind, f.items])).toEqual([['failed', 6]]);
  });

  it('reads a JSON Status message from a JSON failure', async () => {
    sink.respond(() => ({ status: 400, headers: { 'content-type': 'application/json' }, body: '{"code":3,"message":"line 1, column 2: nope"}' }));
    const outcome = await exportOne(exporter({ encoding: 'json' }));
    expect(outcome.error?.message).toBe(`HTTP 400 from ${sink.url}/v1/traces: line 1, column 2: nope`);
  });

  it('honours Retry-After: a wait past max_elapsed_time is not started, the export fails at once', async () => {
    sink.respond(() => ({ status: 429, headers: { 'retry-after': '99999' } }));
    const run = exporter({ retry_on_failure: { ...FAST_RETRY, max_elapsed_time: '60s' } });
    const outcome = await exportOne(run);
    expect(outcome.lost).toBe(6);
    expect(outcome.error?.message).toMatch(/^HTTP 429 from .*; giving up after 1 attempt\(s\): the next wait of 99999000 ms would end past max_elapsed_time \(60000 ms\)$/);
    expect(sink.requests).toHaveLength(1);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const inAnHour = new Date(Date.now() + 3600_000).toUTCString();
    sink.respond(() => ({ status: 503, headers: { 'retry-after': inAnHour } }));
    const outcome = await exportOne(exporter({ retry_on_failure: { ...FAST_RETRY, max_elapsed_time: '60s' } }));
    expect(outcome.error?.message).toMatch(/the next wait of 3\d{6} ms would end past max_elapsed_time/);
    expect(sink.requests).toHaveLength(1);
  });

  it('a Retry-After longer than the backoff is what is waited for (1 s fits the budget, 10 ms backoff alone would not matter)', async () => {
    sink.respond((_r, i) => (i === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
    // Without honouring it the retry would come 10 ms later; with max_elapsed_time 500ms a 1 s wait must be refused.
    const refused = await exportOne(exporter({ retry_on_failure: { ...FAST_RETRY, max_elapsed_time: '500ms' } }));
    expect(refused.error?.message).toMatch(/the next wait of 1000 ms would end past max_elapsed_time \(500 ms\)/);
    sink.requests.length = 0;
    const delivered = await exportOne(exporter());
    expect(delivered).toEqual({ delivered: 6, lost: 0 });
    expect(sink.requests).toHaveLength(2);
  });

  it.each(['0', '-1', 'abc', new Date(Date.now() - 3600_000).toUTCString()])('never busy-loops on Retry-After %s: the backoff still applies', async (value) => {
    sink.respond((_r, i) => (i < 3 ? { status: 429, headers: { 'retry-after': value } } : { status: 200 }));
    const run = exporter({ retry_on_failure: { ...FAST_RETRY, initial_interval: '5ms', max_interval: '5ms' } });
    expect(await exportOne(run)).toEqual({ delivered: 6, lost: 0 });
    expect(sink.requests).toHaveLength(4);
  });

  it('gives up after max_elapsed_time of failures and reports it', async () => {
    sink.respond(() => ({ status: 503 }));
    const run = exporter({ retry_on_failure: { initial_interval: '20ms', max_interval: '40ms', max_elapsed_time: '150ms', randomization_factor: 0 } });
    const outcome = await exportOne(run);
    expect(outcome.lost).toBe(6);
    expect(outcome.error?.message).toMatch(/would end past max_elapsed_time \(150 ms\)$/);
    expect(sink.requests.length).toBeGreaterThan(1);
    expect(run.failures).toHaveLength(1);
    expect(run.exporter.stats().failed).toBe(6);
  });

  it('with retry_on_failure disabled, a 503 fails at once', async () => {
    sink.respond(() => ({ status: 503 }));
    const outcome = await exportOne(exporter({ retry_on_failure: { enabled: false } }));
    expect(outcome.error?.message).toMatch(/HTTP 503 .*\(retry_on_failure disabled\)/);
    expect(sink.requests).toHaveLength(1);
  });

  it('times out a hanging server per attempt and retries', async () => {
    sink.respond((_r, i) => (i === 0 ? { hang: true } : { status: 200 }));
    const run = exporter({ timeout: '200ms' });
    expect(await exportOne(run)).toEqual({ delivered: 6, lost: 0 });
    expect(sink.requests).toHaveLength(2);
    sink.respond(() => ({ hang: true }));
    const failed = await exportOne(exporter({ timeout: '100ms', retry_on_failure: { ...FAST_RETRY, max_elapsed_time: '50ms' } }));
    expect(failed.error?.message).toMatch(/timed out after 100 ms; giving up after 1 attempt/);
  });

  it('retries a refused connection, then gives up', async () => {
    const dead = await startSink();
    const url = dead.url;
    await dead.close();
    const failures: api.ExportFailure[] = [];
    const e = new api.OtlpHttpExporter({ endpoint: url, retry_on_failure: { initial_interval: '10ms', max_interval: '10ms', max_elapsed_time: '100ms' } }, { onFailure: (f) => failures.push(f) });
    const b = batch();
    const outcome = await e.export(b);
    b.dispose();
    expect(outcome.lost).toBe(6);
    expect(outcome.error?.message).toMatch(/^request to http:\/\/127\.0\.0\.1:\d+\/v1\/traces failed: .*giving up after \d+ attempt/);
    expect(e.stats().retries).toBeGreaterThan(0);
  });
});

describe('responses', () => {
  it('reads at most 4 MiB of a response: a bigger one is a non-retryable error', async () => {
    sink.respond(() => ({ status: 200, hugeBody: 5 * 1024 * 1024 }));
    const run = exporter();
    const outcome = await exportOne(run);
    expect(outcome.error?.message).toBe(`HTTP 200 from ${sink.url}/v1/traces: response body larger than 4194304 bytes; not retried (OTLP clients must cap responses)`);
    expect(sink.requests).toHaveLength(1);
    sink.requests.length = 0;
    sink.respond(() => ({ status: 503, hugeBody: 5 * 1024 * 1024 }));
    expect((await exportOne(exporter())).error?.message).toMatch(/^HTTP 503 .*larger than 4194304 bytes; not retried/);
    expect(sink.requests).toHaveLength(1);
  });

  it('caps a gzip-bomb response after decompression', async () => {
    sink.respond(() => ({ status: 200, gzipBomb: 64 * 1024 * 1024 }));
    const outcome = await exportOne(exporter());
    expect(outcome.error?.message).toMatch(/response body larger than 4194304 bytes/);
  });

  it('a partial success is counted as rejected and not retried (protobuf and JSON answers)', async () => {
    const body = Response_.encode({ partialSuccess: { rejectedSpans: 2, errorMessage: 'spans too old' } }).finish();
    sink.respond(() => ({ status: 200, headers: { 'content-type': 'application/x-protobuf' }, body }));
    const run = exporter();
    expect(await exportOne(run)).toMatchObject({ delivered: 4, lost: 2 });
    expect(sink.requests).toHaveLength(1);
    expect(run.exporter.stats()).toMatchObject({ delivered: 4, rejected: 2, failed: 0 });
    expect(run.failures.map((f) => [f.kind, f.items, f.error.message])).toEqual([['rejected', 2, 'partial success: the server rejected 2 item(s): spans too old']]);

    sink.respond(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"partialSuccess":{"rejectedSpans":"1","errorMessage":"dup"}}' }));
    expect(await exportOne(exporter({ encoding: 'json' }))).toMatchObject({ delivered: 5, lost: 1 });
  });

  it('a warning-only partial success delivers everything and reports the warning', async () => {
    sink.respond(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"partialSuccess":{"errorMessage":"truncated 3 values"}}' }));
    const run = exporter({ encoding: 'json' });
    expect(await exportOne(run)).toEqual({ delivered: 6, lost: 0 });
    expect(run.failures.map((f) => [f.kind, f.items, f.error.message])).toEqual([['warning', 0, 'partial success with a warning: truncated 3 values']]);
  });

  it('a 200 with a garbage body is a success with a warning', async () => {
    sink.respond(() => ({ status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0xff, 0xff]) }));
    const run = exporter();
    expect(await exportOne(run)).toEqual({ delivered: 6, lost: 0 });
    expect(run.failures[0]!.kind).toBe('warning');
    expect(run.failures[0]!.error.message).toMatch(/unreadable body .*treated as success/);
  });
});

describe('queue', () => {
  it('holds queue_size requests, drops and counts the rest, refuses admission while full, then drains', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    sink.respond(async () => {
      await gate;
      return { status: 200 };
    });
    const run = exporter({ sending_queue: { num_consumers: 1, queue_size: 2 } });
    const outcomes: Promise<api.ExportOutcome>[] = [];
    for (let i = 0; i < 5; i++) {
      const b = batch();
      outcomes.push(run.exporter.export(b));
      b.dispose();
      // One is being sent; two wait; after that the queue is full.
      if (i === 2) expect(run.exporter.accepting).toBe(false);
    }
    const dropped = await Promise.all(outcomes.slice(3));
    expect(dropped.map((o) => o.error?.message)).toEqual(['sending queue is full (queue_size 2)', 'sending queue is full (queue_size 2)']);
    expect(run.exporter.stats()).toMatchObject({ received: 30, dropped: 12, queued: 2, inFlight: 1 });
    release();
    await run.exporter.forceFlush();
    expect((await Promise.all(outcomes.slice(0, 3))).map((o) => o.delivered)).toEqual([6, 6, 6]);
    expect(run.exporter.stats()).toMatchObject({ delivered: 18, dropped: 12, queued: 0, inFlight: 0 });
    expect(run.exporter.accepting).toBe(true);
    expect(run.failures.map((f) => f.kind)).toEqual(['dropped', 'dropped']);
    // 3 requests, every span of each accounted for: delivered + dropped = received.
    expect(sink.requests).toHaveLength(3);
  });

  it('after shutdown, exports are dropped and counted; shutdown waits for what was queued', async () => {
    const run = exporter();
    const pending = exportOne(run);
    await run.exporter.shutdown();
    expect((await pending).delivered).toBe(6);
    expect(await exportOne(run)).toMatchObject({ delivered: 0, lost: 6 });
    expect(run.exporter.stats()).toMatchObject({ delivered: 6, dropped: 6 });
    expect(run.exporter.accepting).toBe(false);
  });

  it('does not send a request over the size limit (counted as failed)', async () => {
    const run = exporter({}, { maxRequestBodySize: 100 });
    const outcome = await exportOne(run);
    expect(outcome.error?.message).toMatch(/^request of \d+ bytes is over the limit of 100 bytes; not sent/);
    expect(sink.requests).toHaveLength(0);
  });
});

describe('config', () => {
  const bad = (config: object, message: RegExp) => expect(() => new api.OtlpHttpExporter(config as api.OtlpHttpExporterConfig)).toThrow(message);
  it('names the key at fault', () => {
    bad({}, /^otlphttp: either endpoint or traces_endpoint must be specified$/);
    bad({ endpoint: 'localhost:4318' }, /^otlphttp.endpoint: "localhost:4318" is not an http\(s\) URL$/);
    bad({ endpoint: 'http://x', encoding: 'protobuf' }, /^otlphttp.encoding: expected "proto" or "json", got "protobuf"$/);
    bad({ endpoint: 'http://x', compression: 'zstd' }, /^otlphttp.compression: expected "gzip" or "none"/);
    bad({ endpoint: 'http://x', timeout: '5 seconds' }, /^otlphttp.timeout: invalid duration "5 seconds"/);
    bad({ endpoint: 'http://x', retry_on_failure: { max_interval: '1s', initial_interval: '5s' } }, /max_interval: must be at least initial_interval/);
    bad({ endpoint: 'http://x', retry_on_failure: { multipler: 2 } }, /^otlphttp.retry_on_failure: unknown key "multipler" \(known: /);
    bad({ endpoint: 'http://x', sending_queue: { queue_size: 0 } }, /^otlphttp.sending_queue.queue_size: expected an integer ≥ 1, got 0$/);
    bad({ endpoint: 'http://x', tls: {} }, /^otlphttp: unknown key "tls"/);
    expect(() => new api.OtlpHttpExporter({ endpoint: 'http://x', headers: { a: 1 as unknown as string } }, { id: 'otlphttp/backend' })).toThrow(/^otlphttp\/backend.headers.a: expected a string, got 1$/);
  });

  it('has the collector defaults, frozen', () => {
    expect(api.DEFAULT_OTLP_HTTP_EXPORTER_CONFIG).toEqual({
      encoding: 'proto', compression: 'gzip', timeout: '30s',
      sending_queue: { enabled: true, num_consumers: 10, queue_size: 1000 },
      retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '300s', multiplier: 1.5, randomization_factor: 0.5 },
    });
    expect(Object.isFrozen(api.DEFAULT_OTLP_HTTP_EXPORTER_CONFIG)).toBe(true);
    expect(new api.OtlpHttpExporter({ endpoint: 'http://h:4318/' }).url).toBe('http://h:4318/v1/traces');
  });
});

describe('pieces', () => {
  it('parses Retry-After seconds and dates; garbage is ignored', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Sat, 21 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 11:00:00 GMT', now)).toBe(0);
    for (const v of ['-1', 'abc', '', '1.5', null, undefined]) expect(parseRetryAfter(v, now), String(v)).toBeUndefined();
  });

  it('backs off exponentially with jitter within interval × [1 − f, 1 + f], capped at max_interval', () => {
    const settings = { initialMs: 100, maxIntervalMs: 400, maxElapsedMs: 0, multiplier: 2, randomization: 0.5 };
    const low = new Backoff(settings, () => 0);
    const high = new Backoff(settings, () => 1 - Number.EPSILON);
    expect([1, 2, 3, 4].map(() => Math.round(low.next()))).toEqual([50, 100, 200, 200]);
    expect([1, 2, 3, 4].map(() => Math.round(high.next()))).toEqual([150, 300, 600, 600]);
    expect(low.fits(0, 1e12)).toBe(true);
    const bounded = new Backoff({ ...settings, maxElapsedMs: 1000 }, () => 0.5);
    expect(bounded.fits(900, 100)).toBe(true);
    expect(bounded.fits(900, 101)).toBe(false);
  });
});
