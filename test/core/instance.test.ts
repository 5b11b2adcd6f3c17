// The instance lifecycle: a trapped instance is replaced and the next call works; handles from the
// old instance fail clearly; the memory budget turns exhaustion into an error value.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, TraceBatch, OtlpDecodeError, CoreTrapError, StaleHandleError, DisposedError, memoryStats } from 'otel-sieve';
import { getCore } from '../../dist/src/core/init.js';
import { generateTraceRequests } from '../../bench/corpus.js';
import { edgeCaseRequests } from '../helpers/edge-cases.js';

beforeAll(async () => {
  await init();
});

const sample = edgeCaseRequests()[0]![1];

describe('core instance', () => {
  it('a trap replaces the instance; old handles are stale; new calls work', () => {
    const before = TraceBatch.fromProtobuf(sample);
    const json = before.toJSON();
    const generation = getCore().generation;
    // Freeing a pointer the allocator never handed out makes TLSF abort: a genuine trap.
    expect(() => getCore().call('test', (ex) => ex.free(0x7ffffff0))).toThrow(CoreTrapError);
    expect(getCore().generation).toBe(generation + 1);
    expect(() => before.spanCount).toThrow(StaleHandleError);
    expect(() => before.toProtobuf()).toThrow('this TraceBatch belonged to a WebAssembly instance that was discarded after a trap; create it again');
    before.dispose(); // harmless on a stale handle
    const after = TraceBatch.fromProtobuf(sample);
    expect(after.toJSON()).toEqual(json);
    after.dispose();
  });

  it('use after dispose is an error', () => {
    const b = TraceBatch.fromProtobuf(sample);
    b.dispose();
    expect(() => b.spanCount).toThrow(DisposedError);
    expect(b.isDisposed).toBe(true);
  });

  it('over the memory budget: a clear error, then work continues', async () => {
    const big = generateTraceRequests({ seed: 2, requests: 1, spansPerRequest: 4000 })[0]!;
    await init(undefined, { memoryLimit: 2 << 20 });
    try {
      expect(() => TraceBatch.fromProtobuf(big, { source: 'big.pb' })).toThrow(OtlpDecodeError);
      expect(() => TraceBatch.fromProtobuf(big, { source: 'big.pb' })).toThrow(/big\.pb: input: out of memory — the core's memory budget cannot hold \d+ more bytes/);
      const small = TraceBatch.fromProtobuf(sample);
      expect(small.spanCount).toBeGreaterThan(0);
      small.dispose();
    } finally {
      await init(undefined, { memoryLimit: 1 << 30 });
    }
    const ok = TraceBatch.fromProtobuf(big);
    expect(ok.spanCount).toBe(4000);
    expect(memoryStats().used).toBeGreaterThan(big.length);
    ok.dispose();
  });

  it('rejects nonsense memory limits', async () => {
    await expect(init(undefined, { memoryLimit: 10 })).rejects.toThrow('init({ memoryLimit }) must be between 1 MiB and');
  });
});
