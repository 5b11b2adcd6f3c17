// The lifecycle LogBatch and MetricBatch share with TraceBatch (OtlpBatch): disposal, staleness after
// a trap, the memory budget turning exhaustion into errors (lazily built tables included), memory
// accounting, and lazy indexing of splice results.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, LogBatch, MetricBatch, OtlpDecodeError, StaleHandleError, DisposedError, memoryStats } from 'otel-sieve';
import { getCore } from '../../dist/src/core/init.js';
import { generateLogRequests } from '../../bench/corpus-logs.js';
import { generateMetricRequests } from '../../bench/corpus-metrics.js';

beforeAll(async () => {
  await init();
});

const logs = generateLogRequests({ seed: 6, requests: 1, recordsPerRequest: 64 })[0]!;
const metrics = generateMetricRequests({ seed: 6, requests: 1, pointsPerRequest: 64 })[0]!;

describe('log and metric batch lifecycle', () => {
  it('use after dispose is an error naming the class; dispose is idempotent; using works', () => {
    const l = LogBatch.fromProtobuf(logs);
    l.dispose();
    l.dispose();
    expect(l.isDisposed).toBe(true);
    expect(() => l.logRecordCount).toThrow(DisposedError);
    expect(() => l.toProtobuf()).toThrow('this LogBatch was disposed');
    const before = memoryStats().used;
    {
      using m = MetricBatch.fromProtobuf(metrics);
      expect(m.dataPointCount).toBe(64);
    }
    expect(memoryStats().used).toBe(before);
  });

  it('a trap replaces the instance: old batches are stale, new ones work', () => {
    const l = LogBatch.fromProtobuf(logs);
    const m = MetricBatch.fromProtobuf(metrics);
    const json = JSON.stringify(m.toJSON());
    expect(() => getCore().call('test', (ex) => ex.free(0x7ffffff0))).toThrow();
    expect(() => l.logRecord(0)).toThrow(StaleHandleError);
    expect(() => m.metric(0)).toThrow('this MetricBatch belonged to a WebAssembly instance that was discarded after a trap; create it again');
    l.dispose();
    m.dispose();
    expect(JSON.stringify(MetricBatch.fromProtobuf(metrics).toJSON())).toBe(json);
  });

  it('memory accounting: tables counted in memoryFootprint, freed with the batch', () => {
    const before = memoryStats().used;
    const m = MetricBatch.fromProtobuf(metrics);
    const indexed = m.memoryFootprint;
    m.ensureAttributes();
    m.ensureValues();
    expect(m.memoryFootprint).toBeGreaterThan(indexed);
    // The allocator's accounting adds a 16-byte header per block (10 blocks here).
    expect(memoryStats().used - before).toBe(m.memoryFootprint + 10 * 16);
    const kept = m.selectDataPoints(Array.from({ length: m.dataPointCount }, (_, k) => k % 2));
    expect(kept.byteLength).toBeLessThan(metrics.length);
    kept.dispose();
    m.dispose();
    const l = LogBatch.fromProtobuf(logs);
    l.ensureAttributes();
    expect(memoryStats().used - before).toBe(l.memoryFootprint + 7 * 16);
    l.dispose();
    expect(memoryStats().used).toBe(before);
  });

  it('over the memory budget: clear errors from indexing and from the lazily built tables, then work continues', async () => {
    const bigLogs = generateLogRequests({ seed: 2, requests: 1, recordsPerRequest: 6000 })[0]!;
    const bigMetrics = generateMetricRequests({ seed: 2, requests: 1, pointsPerRequest: 8000 })[0]!;
    await init(undefined, { memoryLimit: 2 << 20 });
    try {
      expect(() => LogBatch.fromProtobuf(bigLogs, { source: 'big.pb' })).toThrow(/big\.pb: input: out of memory — the core's memory budget cannot hold \d+ more bytes/);
      expect(LogBatch.fromProtobuf(logs).logRecordCount).toBe(64);
    } finally {
      await init(undefined, { memoryLimit: 1 << 30 });
    }
    await init(undefined, { memoryLimit: 16 << 20 });
    const core = getCore();
    const filler: number[] = [];
    try {
      // Indexing fits; then the rest of the budget is taken, so the lazily built tables cannot be:
      // an error value each time, and the batch stays usable once memory is back.
      const probe = MetricBatch.fromProtobuf(bigMetrics);
      for (let p = core.exports.alloc(64 << 10) >>> 0; p; p = core.exports.alloc(64 << 10) >>> 0) filler.push(p);
      expect(() => probe.ensureValues()).toThrow(OtlpDecodeError);
      expect(() => probe.ensureAttributes()).toThrow(/out of memory/);
      expect(() => probe.selectDataPoints(new Uint8Array(probe.dataPointCount).fill(1))).toThrow(/out of memory/);
      for (const p of filler.splice(0)) core.exports.free(p);
      probe.ensureValues();
      expect(probe.dataPoints().length).toBe(8000);
      expect(probe.selectDataPoints(new Uint8Array(probe.dataPointCount).fill(1)).dataPointCount).toBe(8000);
      probe.dispose();
    } finally {
      for (const p of filler) core.exports.free(p);
      await init(undefined, { memoryLimit: 1 << 30 });
    }
    expect(LogBatch.fromProtobuf(bigLogs).logRecordCount).toBe(6000);
  });
});
