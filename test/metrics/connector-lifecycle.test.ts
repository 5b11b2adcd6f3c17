// Connectors and core memory: everything a connector allocates is given back on shutdown, state is
// bounded under floods (cardinality, unpaired edges, delta intervals), a trap elsewhere rebuilds the
// state instead of breaking the connector, and an exhausted budget drops measurements with a count
// instead of trapping.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, memoryStats, TraceBatch, DisposedError } from 'otel-sieve';
import { getCore } from '../../dist/src/core/init.js';
import { generateTraceRequests } from '../../bench/corpus.js';
import { traceRequest } from './helpers/traces.js';
import type { SpanSpec } from './helpers/traces.js';
import { connector, feed, points } from './helpers/metrics.js';
import type { MetricsData } from 'otel-sieve';

beforeAll(async () => {
  await init();
});

type Stats = Record<string, number>;
const stats = (c: unknown): Stats => (c as { stats(): Stats }).stats();

describe('connector memory', () => {
  it('shutdown() gives back every byte the connectors took', () => {
    // The facade keeps a small scratch block once any batch was decoded: take it before measuring.
    TraceBatch.fromProtobuf(traceRequest([{ attributes: {}, spans: [{ name: 'warm-up' }] }])).dispose();
    const before = memoryStats().used;
    const cs = [
      connector('spanmetrics', { dimensions: [{ name: 'http.request.method' }], exemplars: { enabled: true }, events: { enabled: true, dimensions: [{ name: 'exception.type' }] } }),
      connector('spanmetrics', { histogram: { exponential: { max_size: 20 } }, aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA' }, 'spanmetrics/d'),
      connector('servicegraph', { dimensions: ['deployment.environment'] }),
      connector('servicegraph', { profile: 'tempo', exponential_histogram_max_size: 10 }, 'servicegraph/t'),
    ];
    for (const bytes of generateTraceRequests({ seed: 21, requests: 4, spansPerRequest: 300 })) {
      const batch = TraceBatch.fromProtobuf(bytes);
      for (const c of cs) c.consume(batch, 1000);
      batch.dispose();
    }
    for (const c of cs) c.collect(2000);
    expect(memoryStats().used).toBeGreaterThan(before);
    for (const c of cs) c.shutdown!();
    expect(memoryStats().used).toBe(before);
    expect(() => cs[0]!.collect(3000)).toThrow(DisposedError);
  });

  it('delta state does not grow from interval to interval', () => {
    const c = connector('spanmetrics', { aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA', histogram: { exponential: {} } });
    const requests = generateTraceRequests({ seed: 4, requests: 2, spansPerRequest: 400 });
    const round = (t: number) => {
      for (const bytes of requests) {
        const batch = TraceBatch.fromProtobuf(bytes);
        c.consume(batch, t);
        batch.dispose();
      }
      c.collect(t + 1);
    };
    for (let t = 0; t < 5; t++) round(t * 10);
    const settled = memoryStats().used;
    for (let t = 5; t < 20; t++) round(t * 10);
    expect(memoryStats().used).toBeLessThanOrEqual(settled);
    c.shutdown!();
  });

  it('a flood of unique span names is bounded by the cardinality limit', () => {
    const c = connector('spanmetrics', { aggregation_cardinality_limit: 100 });
    const spans: SpanSpec[] = Array.from({ length: 5000 }, (_, i) => ({ name: `GET /users/${i}` }));
    feed(c, [{ attributes: { 'service.name': 'a' }, spans }], 0);
    expect(stats(c)).toMatchObject({ series: 101, overflowed: 4900 });
    const calls = points(c.collect(1) as MetricsData, 'traces.span.metrics.calls');
    expect(calls).toHaveLength(101);
    expect(calls.at(-1).value).toBe(4900n);
    c.shutdown!();
  });

  it('a flood of unpaired client spans is bounded by store.max_items', () => {
    const c = connector('servicegraph', { store: { max_items: 500 } });
    const spans: SpanSpec[] = Array.from({ length: 3000 }, (_, i) => ({ name: 'c', kind: 3, spanId: (i + 1).toString(16).padStart(16, '0') }));
    const before = memoryStats().used;
    feed(c, [{ attributes: { 'service.name': 'a' }, spans }], 0);
    expect(stats(c)).toMatchObject({ pendingEdges: 500, droppedSpans: 2500 });
    expect(memoryStats().used - before).toBeLessThan(1 << 20);
    c.shutdown!();
  });
});

describe('connector resilience', () => {
  it('rebuilds its state after the core instance was replaced by a trap', () => {
    const c = connector('spanmetrics', {});
    feed(c, [{ attributes: { 'service.name': 'a' }, spans: [{ name: 'x' }] }], 0);
    expect(() => getCore().call('test', (ex) => ex.free(0x7ffffff0))).toThrow();
    feed(c, [{ attributes: { 'service.name': 'a' }, spans: [{ name: 'x' }] }], 10);
    const calls = points(c.collect(20) as MetricsData, 'traces.span.metrics.calls');
    // The old counts died with the instance; the series restarts (new start time), as after a restart.
    expect(calls.map((p) => [p.value, p.startTimeUnixNano])).toEqual([[1n, 10_000_000n]]);
    expect(stats(c).resets).toBe(1);
    c.shutdown!();
  });

  it('over the memory budget: measurements are dropped and counted, nothing traps, work resumes', async () => {
    const spans: SpanSpec[] = Array.from({ length: 20_000 }, (_, i) => ({ name: `n${i}`.padEnd(200, 'x') }));
    const bytes = traceRequest([{ attributes: { 'service.name': 'a' }, spans }]);
    const batch = TraceBatch.fromProtobuf(bytes);
    const c = connector('spanmetrics', { histogram: { exponential: {} } });
    const generation = getCore().generation;
    await init(undefined, { memoryLimit: memoryStats().used + (2 << 20) });
    try {
      c.consume(batch, 0);
    } finally {
      await init(undefined, { memoryLimit: 1 << 30 });
    }
    expect(getCore().generation).toBe(generation);
    const s = stats(c);
    expect(s.droppedMeasurements).toBeGreaterThan(0);
    expect(s.series + s.droppedMeasurements).toBe(20_000);
    c.consume(batch, 1);
    expect(stats(c).series).toBe(20_000);
    batch.dispose();
    c.shutdown!();
  });
});
