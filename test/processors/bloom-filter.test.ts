// BloomFilter (split-block, SIMD in the core): no false negatives, a false-positive rate near the
// configured one, bulk and single calls agree, serialisation round-trips and validates its input.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, BloomFilter } from 'otel-sieve';

beforeAll(async () => {
  await init();
});

describe('BloomFilter', () => {
  it('never forgets a key and stays near the configured false-positive rate', () => {
    const n = 20_000;
    const f = BloomFilter.create({ expectedItems: n, falsePositiveRate: 0.01 });
    const keys = randomBytes(n * 16);
    f.addAll(keys, 16);
    const out = new Uint8Array(n);
    expect(f.hasAll(keys, 16, out)).toBe(n);
    expect(out.every((b) => b === 1)).toBe(true);
    const others = randomBytes(n * 16);
    const fp = f.hasAll(others, 16) / n;
    expect(fp).toBeLessThan(0.02);
    expect(f.size).toBe(n);
    f.dispose();
  });
  it('single and bulk calls agree; string keys are UTF-8', () => {
    const f = BloomFilter.create({ expectedItems: 100 });
    f.add('trace-1');
    f.add(new Uint8Array([1, 2, 3]));
    expect(f.has('trace-1')).toBe(true);
    expect(f.has(new Uint8Array([1, 2, 3]))).toBe(true);
    expect(f.hasAll(new Uint8Array([1, 2, 3, 1, 2, 4]), 3, new Uint8Array(2))).toBeGreaterThanOrEqual(1);
    f.clear();
    expect(f.has('trace-1')).toBe(false);
    f.dispose();
  });
  it('round-trips through bytes and validates them', () => {
    const f = BloomFilter.create({ expectedItems: 1000 });
    const keys = randomBytes(16 * 500);
    f.addAll(keys, 16);
    const g = BloomFilter.fromBytes(f.toBytes());
    expect(g.hasAll(keys, 16)).toBe(500);
    expect(g.size).toBe(500);
    const bytes = f.toBytes();
    expect(() => BloomFilter.fromBytes(bytes.subarray(0, 10))).toThrow('shorter than the 16-byte header');
    const bad = bytes.slice();
    bad[0] = 0;
    expect(() => BloomFilter.fromBytes(bad)).toThrow('bad magic');
    const huge = bytes.slice(0, 16);
    new DataView(huge.buffer).setUint32(8, 0xffffffff, true);
    expect(() => BloomFilter.fromBytes(huge)).toThrow('blocks is outside');
    const short = bytes.slice(0, bytes.length - 32);
    expect(() => BloomFilter.fromBytes(short)).toThrow(/need \d+ bytes/);
    f.dispose();
    g.dispose();
  });
  it('rejects bad options and use after dispose', () => {
    expect(() => BloomFilter.create({ expectedItems: 0 })).toThrow('expectedItems must be at least 1');
    expect(() => BloomFilter.create({ expectedItems: 10, falsePositiveRate: 1 })).toThrow('falsePositiveRate');
    const f = BloomFilter.create({ expectedItems: 10 });
    expect(() => f.addAll(new Uint8Array(5), 2)).toThrow('not a whole number');
    f.dispose();
    expect(() => f.has('x')).toThrow('disposed');
  });
});
