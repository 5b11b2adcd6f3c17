// The trace store in process: blocks sealed by size and age, lookups that ask each block's bloom
// before scanning (and count what they did), retention by size and age with evictions counted,
// TraceQL over the blocks, tags and values, and Tempo's response shapes from the API module.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch, TraceStore, traceIdBytes, DEFAULT_TRACE_STORE_CONFIG, createTempoApi } from 'otel-sieve';
import { buildRequest } from '../helpers/build-request.js';
import { decodeTraces, toHex } from '../helpers/oracle.js';
import { tagsToTraceQL, parseTime } from '../../src/gateway/tempo/tempo-api.js';

beforeAll(async () => {
  await init();
});

const S = 1_000_000_000n;
const T0 = 1_700_000_000n * S;

/** Trace `id` (hex) with a root in `service` and one child, starting at `t` seconds after T0. */
function trace(id: string, service: string, t: number, opts: { error?: boolean; attrs?: Record<string, string | number> } = {}) {
  const start = T0 + BigInt(t) * S;
  const rootId = `${id.slice(-8)}00000001`;
  return {
    attrs: { 'service.name': service },
    spans: [
      { trace: id, span: rootId, name: `GET /${service}`, kind: 2, start, end: start + 50_000_000n, attrs: { 'http.route': `/${service}`, ...opts.attrs } },
      { trace: id, span: `${id.slice(-8)}00000002`, parent: rootId, name: 'db', kind: 3, start: start + 1_000_000n, end: start + 20_000_000n, status: opts.error ? 2 : 0, attrs: { 'db.system': 'postgresql' } },
    ],
  };
}

function store(config: Partial<typeof DEFAULT_TRACE_STORE_CONFIG> = {}, now = { t: 0 }) {
  return { store: new TraceStore({ ...DEFAULT_TRACE_STORE_CONFIG, ...config }, () => now.t), now };
}

async function put(s: TraceStore, resources: ReturnType<typeof trace>[]) {
  const batch = TraceBatch.fromProtobuf(buildRequest(resources));
  const outcome = await s.export(batch);
  batch.dispose();
  return outcome;
}

const id = (n: number) => n.toString(16).padStart(32, 'a');

describe('trace store', () => {
  it('finds a trace by id through the blooms, across blocks, and counts what the blooms saved', async () => {
    const { store: s } = store({ blockBytes: 1024 * 1024 });
    for (let b = 0; b < 4; b++) {
      await put(s, Array.from({ length: 20 }, (_, i) => trace(id(b * 100 + i), `svc${b}`, b * 100 + i)));
      s.tick(0);
      // Seal each batch's block by age: four blocks.
      s.tick(DEFAULT_TRACE_STORE_CONFIG.blockDurationMs + 1);
    }
    expect(s.storeStats().blocks).toBe(4);
    const found = s.lookup(traceIdBytes(id(205))!)!;
    expect(found.spanCount).toBe(2);
    expect(found.spans().map((x) => x.traceId)).toEqual([id(205), id(205)]);
    found.dispose();
    expect(s.lookup(traceIdBytes('ffffffffffffffffffffffffffffffff')!)).toBeUndefined();
    const stats = s.storeStats().lookups;
    expect(stats).toMatchObject({ requests: 2, found: 1 });
    // Each lookup considered 4 blocks; the blooms ruled out most of them without a scan.
    expect(stats.bloomNegative + stats.scanned).toBe(8);
    expect(stats.bloomNegative).toBeGreaterThanOrEqual(6);
    expect(stats.scanned - stats.falsePositive).toBe(1);
  });

  it('joins a trace split across blocks', async () => {
    const { store: s } = store();
    const whole = trace(id(7), 'split', 0);
    await put(s, [{ ...whole, spans: [whole.spans[0]!] }]);
    s.tick(DEFAULT_TRACE_STORE_CONFIG.blockDurationMs + 1);
    await put(s, [{ ...whole, spans: [whole.spans[1]!] }]);
    expect(s.storeStats().blocks).toBe(2);
    const found = s.lookup(traceIdBytes(id(7))!)!;
    expect(found.spanCount).toBe(2);
    found.dispose();
  });

  it('evicts the oldest blocks beyond max size and max age, and counts them by reason', async () => {
    const now = { t: 0 };
    const { store: s } = store({ maxBytes: 256 * 1024, blockBytes: 32 * 1024, maxAgeMs: 60_000 }, now);
    for (let i = 0; i < 60; i++) await put(s, Array.from({ length: 10 }, (_, k) => trace(id(i * 10 + k), 'big', i, { attrs: { pad: 'x'.repeat(300) } })));
    const stats = s.storeStats();
    expect(stats.bytes).toBeLessThanOrEqual(256 * 1024);
    expect(stats.evicted.size.blocks).toBeGreaterThan(0);
    expect(stats.evicted.size.spans + stats.spans).toBe(1200);
    // The oldest traces are gone, the newest are there.
    expect(s.lookup(traceIdBytes(id(0))!)).toBeUndefined();
    const newest = s.lookup(traceIdBytes(id(599))!)!;
    expect(newest.spanCount).toBe(2);
    newest.dispose();
    now.t = 61_000;
    s.tick();
    expect(s.storeStats()).toMatchObject({ blocks: 0, spans: 0 });
    expect(s.storeStats().evicted.age.spans + s.storeStats().evicted.size.spans).toBe(1200);
  });

  it('searches with TraceQL over the blocks, filtered by time range', async () => {
    const { store: s } = store();
    await put(s, [trace(id(1), 'cart', 0, { error: true }), trace(id(2), 'cart', 10), trace(id(3), 'checkout', 20, { error: true })]);
    const errors = s.search('{ status = error }', { spss: 3, limit: 20 });
    expect(errors.traces.map((t) => t.traceID).sort()).toEqual([id(1), id(3)]);
    expect(errors.metrics.totalBlocks).toBe(1);
    const ranged = s.search('{ status = error }', { spss: 3, limit: 20, range: { start: T0 + 15n * S, end: T0 + 30n * S } });
    expect(ranged.traces.map((t) => t.traceID)).toEqual([id(3)]);
  });

  it('lists tag keys per scope and tag values with Tempo\'s types', async () => {
    const { store: s } = store();
    await put(s, [trace(id(1), 'cart', 0, { attrs: { 'http.status_code': 200 } }), trace(id(2), 'checkout', 1, { error: true })]);
    const keys = s.tagKeys();
    expect(keys.get('resource')).toEqual(['service.name']);
    expect(keys.get('span')).toEqual(['db.system', 'http.route', 'http.status_code']);
  });
});

describe('Tempo API over the store', () => {
  async function api() {
    const { store: s } = store();
    await put(s, [trace(id(1), 'cart', 0, { error: true, attrs: { 'http.status_code': 500 } }), trace(id(2), 'checkout', 10, { attrs: { 'http.status_code': 200 } })]);
    const handle = createTempoApi(s, { now: () => Number((T0 + 60n * S) / 1_000_000n) });
    const get = async (path: string, headers: Record<string, string> = {}) => (await handle(new Request(`http://x${path}`, { headers }), new URL(`http://x${path}`)))!;
    return { s, get };
  }

  it('echo, search, tags (v1, v2) and tag values (v1, v2) in Tempo\'s shapes', async () => {
    const { get } = await api();
    expect(await (await get('/api/echo')).text()).toBe('echo');
    const search = await (await get(`/api/search?q=${encodeURIComponent('{ status = error }')}&limit=5`)).json();
    expect(search.traces).toHaveLength(1);
    expect(search.traces[0]).toMatchObject({ traceID: id(1), rootServiceName: 'cart', rootTraceName: 'GET /cart', durationMs: 50 });
    expect(search.metrics).toMatchObject({ totalBlocks: 1 });
    expect(await (await get('/api/search/tags')).json()).toEqual({ tagNames: ['db.system', 'http.route', 'http.status_code', 'service.name'] });
    const v2 = await (await get('/api/v2/search/tags')).json();
    expect(v2.scopes.map((x: { name: string }) => x.name)).toEqual(['resource', 'span', 'intrinsic']);
    expect(v2.scopes[0]).toEqual({ name: 'resource', tags: ['service.name'] });
    expect(await (await get('/api/search/tag/service.name/values')).json()).toEqual({ tagValues: ['cart', 'checkout'] });
    expect(await (await get('/api/v2/search/tag/span.http.status_code/values')).json()).toEqual({ tagValues: [{ type: 'int', value: '200' }, { type: 'int', value: '500' }] });
    expect(await (await get('/api/v2/search/tag/status/values')).json()).toEqual({ tagValues: [{ type: 'keyword', value: 'error' }, { type: 'keyword', value: 'unset' }] });
    expect(await (await get('/api/v2/search/tag/resource.service.name/values')).json()).toEqual({ tagValues: [{ type: 'string', value: 'cart' }, { type: 'string', value: 'checkout' }] });
  });

  it('trace by id: v1 JSON `batches`, v2 JSON `trace.resourceSpans`, protobuf on Accept, 404 and 400', async () => {
    const { get } = await api();
    const v1 = await (await get(`/api/traces/${id(1)}`)).json();
    expect(v1.batches[0].scopeSpans[0].spans.map((x: { name: string }) => x.name)).toEqual(['GET /cart', 'db']);
    const v2 = await (await get(`/api/v2/traces/${id(1)}`)).json();
    expect(v2.trace.resourceSpans[0].resource.attributes[0]).toEqual({ key: 'service.name', value: { stringValue: 'cart' } });
    const pb = await get(`/api/traces/${id(1)}`, { accept: 'application/protobuf' });
    expect(pb.headers.get('content-type')).toBe('application/protobuf');
    const decoded = decodeTraces(new Uint8Array(await pb.arrayBuffer()));
    expect(decoded.resourceSpans[0].scopeSpans[0].spans.map((x: { spanId: Uint8Array }) => toHex(x.spanId))).toEqual([`${id(1).slice(-8)}00000001`, `${id(1).slice(-8)}00000002`]);
    const pb2 = new Uint8Array(await (await get(`/api/v2/traces/${id(1)}`, { accept: 'application/protobuf' })).arrayBuffer());
    // TraceByIDResponse.trace (field 1, length-delimited) wraps the same Trace bytes.
    expect(pb2[0]).toBe(0x0a);
    const filtered = await (await get(`/api/v2/traces/${id(1)}?q=${encodeURIComponent('{ status = error }')}&keep_hierarchy=false`)).json();
    expect(filtered.trace.resourceSpans[0].scopeSpans[0].spans.map((x: { name: string }) => x.name)).toEqual(['db']);
    const withParents = await (await get(`/api/v2/traces/${id(1)}?q=${encodeURIComponent('{ status = error }')}`)).json();
    expect(withParents.trace.resourceSpans[0].scopeSpans[0].spans).toHaveLength(2);
    expect((await get('/api/traces/0123456789abcdef0123456789abcdef')).status).toBe(404);
    expect((await get('/api/traces/not-hex')).status).toBe(400);
  });

  it('query_range, tag search and bad TraceQL', async () => {
    const { get } = await api();
    // T0 - 20 s is a multiple of 30 s: two intervals, cart's spans (T0) in the first, checkout's (T0 + 10 s) in the second.
    const from = T0 / S - 20n;
    const range = await (await get(`/api/metrics/query_range?q=${encodeURIComponent('{ } | count_over_time() by (resource.service.name)')}&start=${from}&end=${from + 60n}&step=30s`)).json();
    type Series = { labels: { value: { stringValue: string } }[]; samples: { timestampMs: string; value: number }[] };
    const byService = new Map((range.series as Series[]).map((x) => [x.labels[0]!.value.stringValue, x.samples.map((p) => p.value)]));
    expect(byService).toEqual(new Map([['cart', [2, 0]], ['checkout', [0, 2]]]));
    expect(tagsToTraceQL('service.name=cart http.route="/a b"')).toBe('{ .service.name =~ "(?i).*cart.*" && .http.route =~ "(?i).*/a b.*" }');
    const byTag = await (await get(`/api/search?tags=${encodeURIComponent('service.name=CHECK')}`)).json();
    expect(byTag.traces.map((t: { traceID: string }) => t.traceID)).toEqual([id(2)]);
    const bad = await get(`/api/search?q=${encodeURIComponent('{ status = }')}`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^invalid TraceQL query: line 1, column \d+: /);
    expect(parseTime('1700000000', 'start')).toBe(T0);
    expect(parseTime(String(T0), 'start')).toBe(T0);
    expect(parseTime('2023-11-14T22:13:20Z', 'start')).toBe(T0);
  });
});
