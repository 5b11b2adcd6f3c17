// The servicegraph connector against the conformance checklist (shared/reference/collector.md
// §14.2, items 34–39), in the collector's mode and with `profile: tempo`: pairing across batches,
// failed requests, messaging and database edges, expiry into virtual nodes, the store limit,
// dimensions, metric names and latency histograms.
import { describe, it, expect, beforeAll } from 'vitest';
import { init } from 'otel-sieve';
import type { MetricsData } from 'otel-sieve';
import { MS } from './helpers/traces.js';
import type { SpanSpec, ResourceSpec } from './helpers/traces.js';
import { attrs, connector, feed, metrics, points } from './helpers/metrics.js';

beforeAll(async () => {
  await init();
});

const TOTAL = 'traces_service_graph_request_total';
const FAILED = 'traces_service_graph_request_failed_total';
const SERVER = 'traces_service_graph_request_server';
const CLIENT = 'traces_service_graph_request_client';
const TRACE = 'ab'.repeat(16);

type Conn = ReturnType<typeof connector> & { stats(): { expiredEdges: number; droppedSpans: number; pendingEdges: number; totalEdges: number }; expireAll(now: number): void };
const sg = (config: unknown = {}) => connector('servicegraph', config) as Conn;
const collect = (c: Conn, now: number) => c.collect(now) as MetricsData;

function client(service: string, spanId: string, extra: Partial<SpanSpec> = {}, resource: Record<string, string> = {}): ResourceSpec {
  return { attributes: { 'service.name': service, ...resource }, spans: [{ name: 'call', kind: 3, traceId: TRACE, spanId, durationNs: 10n * MS, ...extra }] };
}

function server(service: string, spanId: string, parent: string | undefined, extra: Partial<SpanSpec> = {}, resource: Record<string, string> = {}): ResourceSpec {
  return {
    attributes: { 'service.name': service, ...resource },
    spans: [{ name: 'handle', kind: 2, traceId: TRACE, spanId, ...(parent ? { parentSpanId: parent } : {}), durationNs: 4n * MS, ...extra }],
  };
}

describe('servicegraph: pairing', () => {
  it('pairs a CLIENT span with the SERVER span whose parent it is, across batches, into one request with both latencies', () => {
    const c = sg();
    feed(c, [client('frontend', '00000000000000c1')], 1000);
    expect(c.stats().pendingEdges).toBe(1);
    expect(collect(c, 1100).resourceMetrics).toEqual([]);
    feed(c, [server('backend', '00000000000000b1', '00000000000000c1')], 1200);
    expect(c.stats().pendingEdges).toBe(0);
    const data = collect(c, 2000);
    expect(data.resourceMetrics).toHaveLength(1);
    expect(data.resourceMetrics[0]!.resource.attributes).toEqual([]);
    expect(data.resourceMetrics[0]!.scopeMetrics[0]!.scope.name).toBe('traces_service_graph');
    expect(data.resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((m) => [m.name, m.data.type, m.unit])).toEqual([
      [TOTAL, 'sum', ''], [SERVER, 'histogram', 's'], [CLIENT, 'histogram', 's'],
    ]);
    const [total] = points(data, TOTAL);
    expect(total.attributes).toEqual([
      { key: 'client', value: { type: 'string', value: 'frontend' } },
      { key: 'server', value: { type: 'string', value: 'backend' } },
      { key: 'connection_type', value: { type: 'string', value: '' } },
      { key: 'failed', value: { type: 'bool', value: false } },
    ]);
    expect(total.value).toBe(1n);
    expect(total.startTimeUnixNano).toBe(1_200_000_000n);
    expect(metrics(data, TOTAL)[0]!.data).toMatchObject({ isMonotonic: true, aggregationTemporality: 2 });
    const [srv] = points(data, SERVER);
    const [cli] = points(data, CLIENT);
    expect(srv.explicitBounds).toEqual([0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15]);
    // 4 ms server side (≤ 0.004), 10 ms client side (≤ 0.01), in seconds.
    expect(srv.bucketCounts).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(cli.bucketCounts).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([srv.sum, cli.sum]).toEqual([0.004, 0.01]);
    expect(c.stats().totalEdges).toBe(1);
    c.shutdown!();
  });

  it('pairs in either order within one batch, and ignores INTERNAL spans', () => {
    const c = sg();
    feed(c, [
      server('b', '0000000000000b01', '0000000000000a01'),
      client('a', '0000000000000a01'),
      { attributes: { 'service.name': 'a' }, spans: [{ name: 'work', kind: 1, traceId: TRACE }] },
    ], 0);
    const data = collect(c, 1);
    expect(points(data, TOTAL).map((p) => [attrs(p.attributes).client, attrs(p.attributes).server, p.value])).toEqual([['a', 'b', 1n]]);
    expect(c.stats().pendingEdges).toBe(0);
    c.shutdown!();
  });

  it('counts a request as failed when either side has status ERROR', () => {
    const c = sg();
    feed(c, [client('a', '00000000000000a1', { status: 2 }), server('b', '00000000000000b1', '00000000000000a1')], 0);
    feed(c, [client('a', '00000000000000a2'), server('b', '00000000000000b2', '00000000000000a2', { status: 2 })], 0);
    feed(c, [client('a', '00000000000000a3'), server('b', '00000000000000b3', '00000000000000a3', { status: 1 })], 0);
    const data = collect(c, 1);
    expect(points(data, TOTAL).map((p) => [attrs(p.attributes).failed, p.value])).toEqual([[true, 2n], [false, 1n]]);
    expect(points(data, FAILED).map((p) => [attrs(p.attributes).failed, p.value])).toEqual([[true, 2n]]);
    c.shutdown!();
  });

  it('PRODUCER + CONSUMER make a messaging_system edge', () => {
    const c = sg();
    feed(c, [
      { attributes: { 'service.name': 'checkout' }, spans: [{ name: 'publish', kind: 4, traceId: TRACE, spanId: '00000000000000e1' }] },
      { attributes: { 'service.name': 'accounting' }, spans: [{ name: 'process', kind: 5, traceId: TRACE, spanId: '00000000000000e2', parentSpanId: '00000000000000e1' }] },
    ], 0);
    expect(points(collect(c, 1), TOTAL).map((p) => attrs(p.attributes))).toEqual([
      { client: 'checkout', server: 'accounting', connection_type: 'messaging_system', failed: false },
    ]);
    c.shutdown!();
  });

  it('completes a CLIENT span carrying db.name at once as a database edge (server = the database name)', () => {
    const c = sg();
    feed(c, [client('cart', '00000000000000d1', { attributes: { 'db.name': 'carts', 'db.system': 'redis' }, durationNs: 3n * MS })], 0);
    expect(c.stats().pendingEdges).toBe(0);
    const data = collect(c, 1);
    expect(points(data, TOTAL).map((p) => attrs(p.attributes))).toEqual([{ client: 'cart', server: 'carts', connection_type: 'database', failed: false }]);
    // The client's latency stands in for the server's.
    expect(points(data, SERVER)[0].sum).toBe(0.003);
    expect(points(data, CLIENT)[0].sum).toBe(0.003);
    c.shutdown!();
  });

  it('looks database names up in database_name_attributes order, resource first', () => {
    const c = sg({ database_name_attributes: ['db.namespace', 'db.name'] });
    feed(c, [client('svc', '00000000000000d2', { attributes: { 'db.name': 'from-span' } }, { 'db.namespace': 'from-resource' })], 0);
    expect(attrs(points(collect(c, 1), TOTAL)[0].attributes).server).toBe('from-resource');
    c.shutdown!();
  });

  it('adds dimensions as client_<d> and server_<d>, resource attributes before span attributes', () => {
    const c = sg({ dimensions: ['k8s.cluster', 'http.method'] });
    feed(c, [
      client('a', '00000000000000a1', { attributes: { 'k8s.cluster': 'span-level', 'http.method': 'GET' } }, { 'k8s.cluster': 'east' }),
      server('b', '00000000000000b1', '00000000000000a1', { attributes: { 'http.method': 'POST' } }, { 'k8s.cluster': 'west' }),
    ], 0);
    expect(attrs(points(collect(c, 1), TOTAL)[0].attributes)).toEqual({
      client: 'a', server: 'b', connection_type: '', failed: false,
      'client_k8s.cluster': 'east', 'server_k8s.cluster': 'west', 'client_http.method': 'GET', 'server_http.method': 'POST',
    });
    c.shutdown!();
  });

  it('renders non-string dimension values as strings (AsString)', () => {
    const c = sg({ dimensions: ['code', 'ok', 'ratio'] });
    feed(c, [
      client('a', '00000000000000a1', { attributes: { code: 503, ok: true, ratio: 0.25 } }),
      server('b', '00000000000000b1', '00000000000000a1', { attributes: { code: -1 } }),
    ], 0);
    expect(attrs(points(collect(c, 1), TOTAL)[0].attributes)).toMatchObject({ client_code: '503', client_ok: 'true', client_ratio: '0.25', server_code: '-1' });
    c.shutdown!();
  });

  it('records exponential latency histograms when exponential_histogram_max_size > 0', () => {
    const c = sg({ exponential_histogram_max_size: 10 });
    feed(c, [client('a', '00000000000000a1', { durationNs: 500n * MS }), server('b', '00000000000000b1', '00000000000000a1', { durationNs: 250n * MS })], 0);
    const data = collect(c, 1);
    expect(metrics(data, SERVER)[0]!.data.type).toBe('exponentialHistogram');
    // 0.25 s and 0.5 s are powers of two: index (exp << 20) − 1 at scale 20.
    expect(points(data, SERVER)[0]).toMatchObject({ scale: 20, positive: { offset: (-2 << 20) - 1, bucketCounts: [1] }, count: 1 });
    expect(points(data, CLIENT)[0]).toMatchObject({ scale: 20, positive: { offset: (-1 << 20) - 1, bucketCounts: [1] }, count: 1 });
    c.shutdown!();
  });
});

describe('servicegraph: expiry and virtual nodes', () => {
  it('keeps an unpaired edge for store.ttl, then a root SERVER becomes user → server (virtual_node)', () => {
    const c = sg();
    feed(c, [server('frontend', '00000000000000f1', undefined, { durationNs: 7n * MS })], 1000);
    c.tick!(2000); // before store_expiration_loop has run after the TTL
    c.tick!(3000); // exactly at the TTL: not yet expired (the collector expires strictly after)
    expect(c.stats().pendingEdges).toBe(1);
    c.tick!(5001);
    expect(c.stats()).toMatchObject({ pendingEdges: 0, expiredEdges: 1 });
    const data = collect(c, 6000);
    expect(points(data, TOTAL).map((p) => attrs(p.attributes))).toEqual([{ client: 'user', server: 'frontend', connection_type: 'virtual_node', failed: false }]);
    // The missing side records 0.
    expect(points(data, CLIENT)[0]).toMatchObject({ count: 1, sum: 0 });
    expect(points(data, SERVER)[0]).toMatchObject({ count: 1, sum: 0.007 });
    c.shutdown!();
  });

  it('an expired CLIENT becomes client → its first peer attribute, or "unknown"', () => {
    const c = sg({ virtual_node_extra_label: true });
    feed(c, [client('a', '00000000000000a1', { attributes: { 'db.system': 'ignored-order', 'peer.service': 'payments' } })], 0);
    feed(c, [client('a', '00000000000000a2')], 0);
    feed(c, [server('b', '00000000000000b9', '00000000000000ff')], 0); // non-root SERVER: only expires
    c.expireAll(100);
    const data = collect(c, 200);
    expect(points(data, TOTAL).map((p) => attrs(p.attributes))).toEqual([
      { client: 'a', server: 'payments', connection_type: 'virtual_node', failed: false, virtual_node: 'server' },
      { client: 'a', server: 'unknown', connection_type: 'virtual_node', failed: false, virtual_node: 'server' },
    ]);
    expect(c.stats().expiredEdges).toBe(3);
    c.shutdown!();
  });

  it('an empty virtual_node_peer_attributes disables virtual nodes', () => {
    const c = sg({ virtual_node_peer_attributes: [] });
    feed(c, [server('frontend', '00000000000000f1', undefined)], 0);
    c.expireAll(1);
    expect(collect(c, 2).resourceMetrics).toEqual([]);
    expect(c.stats().expiredEdges).toBe(1);
    c.shutdown!();
  });

  it('refuses new edges when store.max_items are waiting, while existing ones still complete', () => {
    const c = sg({ store: { max_items: 2 } });
    feed(c, [client('a', '00000000000000a1'), client('a', '00000000000000a2'), client('a', '00000000000000a3')], 0);
    expect(c.stats()).toMatchObject({ pendingEdges: 2, droppedSpans: 1 });
    feed(c, [server('b', '00000000000000b1', '00000000000000a1'), server('b', '00000000000000b3', '00000000000000a3')], 1);
    expect(c.stats()).toMatchObject({ pendingEdges: 2, droppedSpans: 1 });
    expect(points(collect(c, 2), TOTAL).map((p) => p.value)).toEqual([1n]);
    c.shutdown!();
  });

  it('drops series not updated for 15 minutes on the cache loop', () => {
    const c = sg();
    feed(c, [client('a', '00000000000000a1'), server('b', '00000000000000b1', '00000000000000a1')], 0);
    c.tick!(10 * 60_000);
    expect(points(collect(c, 10 * 60_000), TOTAL)).toHaveLength(1);
    c.tick!(16 * 60_000);
    expect(collect(c, 16 * 60_000).resourceMetrics).toEqual([]);
    c.shutdown!();
  });

  it('subtracts metrics_timestamp_offset from data point times', () => {
    const c = sg({ metrics_timestamp_offset: '30s' });
    feed(c, [client('a', '00000000000000a1'), server('b', '00000000000000b1', '00000000000000a1')], 0);
    expect(points(collect(c, 60_000), TOTAL)[0].timeUnixNano).toBe(30_000_000_000n);
    c.shutdown!();
  });
});

describe('servicegraph: Tempo profile', () => {
  const tempo = (extra: object = {}) => sg({ profile: 'tempo', ...extra });

  it('uses Tempo names, no failed label, 10 s TTL and Tempo buckets', () => {
    const c = tempo();
    feed(c, [client('a', '00000000000000a1', { status: 2 }), server('b', '00000000000000b1', '00000000000000a1', { durationNs: 150n * MS })], 0);
    const data = collect(c, 1);
    expect(data.resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((m) => m.name)).toEqual([
      'traces_service_graph_request_total', 'traces_service_graph_request_failed_total',
      'traces_service_graph_request_server_seconds', 'traces_service_graph_request_client_seconds',
    ]);
    expect(attrs(points(data, TOTAL)[0].attributes)).toEqual({ client: 'a', server: 'b', connection_type: '' });
    const [srv] = points(data, 'traces_service_graph_request_server_seconds');
    expect(srv.explicitBounds).toEqual([0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8]);
    expect(srv.bucketCounts).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(c.config.store).toEqual({ ttlMs: 10_000, maxItems: 10_000 });
    c.shutdown!();
  });

  it('names database servers peer.service > server.address > network.peer.address:port > the database attribute', () => {
    const c = tempo();
    feed(c, [client('a', '00000000000000d1', { attributes: { 'db.name': 'orders', 'server.address': 'db.internal', 'peer.service': 'orders-db' } })], 0);
    feed(c, [client('a', '00000000000000d2', { attributes: { 'db.name': 'orders', 'server.address': 'db.internal' } })], 0);
    feed(c, [client('a', '00000000000000d3', { attributes: { 'db.system': 'postgresql', 'network.peer.address': '10.0.0.7', 'network.peer.port': 5432 } })], 0);
    feed(c, [client('a', '00000000000000d4', { attributes: { 'db.namespace': 'ledger' } })], 0);
    expect(points(collect(c, 1), TOTAL).map((p) => [attrs(p.attributes).server, attrs(p.attributes).connection_type])).toEqual([
      ['orders-db', 'database'], ['db.internal', 'database'], ['10.0.0.7:5432', 'database'], ['ledger', 'database'],
    ]);
    c.shutdown!();
  });

  it('names the client of an expired root SERVER after its peer attribute (else user); drops clients without a peer', () => {
    const c = tempo();
    feed(c, [server('frontend', '00000000000000f1', undefined, { attributes: { 'peer.service': 'mobile-app' } })], 0);
    // Root SERVER spans are keyed by (trace id, empty parent): a second root needs its own trace.
    feed(c, [server('frontend', '00000000000000f2', undefined, { traceId: 'cd'.repeat(16) })], 0);
    feed(c, [client('a', '00000000000000a9')], 0);
    feed(c, [client('a', '00000000000000a8', { attributes: { 'peer.service': 'legacy' } })], 0);
    c.tick!(5000);
    expect(c.stats().pendingEdges).toBe(4); // Tempo's 10 s TTL
    c.tick!(12_000);
    const data = collect(c, 13_000);
    expect(points(data, TOTAL).map((p) => attrs(p.attributes))).toEqual([
      { client: 'mobile-app', server: 'frontend', connection_type: 'virtual_node' },
      { client: 'user', server: 'frontend', connection_type: 'virtual_node' },
      { client: 'a', server: 'legacy', connection_type: 'virtual_node' },
    ]);
    expect(points(data, 'traces_service_graph_unpaired_spans_total').map((p) => [attrs(p.attributes), p.value])).toEqual([
      [{ client: 'a', server: '', connection_type: '' }, 1n],
    ]);
    c.shutdown!();
  });

  it('one label per dimension unless enable_client_server_prefix, and a dropped-spans counter when the store is full', () => {
    const c = tempo({ dimensions: ['http.method'], store: { max_items: 1 } });
    feed(c, [client('a', '00000000000000a1', { attributes: { 'http.method': 'GET' } }), client('a', '00000000000000a2')], 0);
    feed(c, [server('b', '00000000000000b1', '00000000000000a1')], 1);
    const data = collect(c, 2);
    expect(attrs(points(data, TOTAL)[0].attributes)).toEqual({ client: 'a', server: 'b', connection_type: '', http_method: 'GET' });
    expect(points(data, 'traces_service_graph_dropped_spans_total').map((p) => [attrs(p.attributes), p.value])).toEqual([
      [{ client: 'a', server: '', connection_type: '' }, 1n],
    ]);
    c.shutdown!();

    const p = tempo({ dimensions: ['http.method'], enable_client_server_prefix: true });
    feed(p, [client('a', '00000000000000a1', { attributes: { 'http.method': 'GET' } }), server('b', '00000000000000b1', '00000000000000a1')], 0);
    expect(attrs(points(collect(p, 1), TOTAL)[0].attributes)).toEqual({ client: 'a', server: 'b', connection_type: '', client_http_method: 'GET' });
    p.shutdown!();
  });
});
