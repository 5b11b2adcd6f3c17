// The core's base-2 exponential histogram, checked against the OpenTelemetry data model's
// definitions computed independently here: bucket i at scale s holds (2^(i/2^s), 2^((i+1)/2^s)].
import { describe, it, expect, beforeAll } from 'vitest';
import { init } from 'otel-sieve';
import { getCore } from '../../dist/src/core/init.js';
import * as M from '../../assembly/abi/derived-metrics-layout.js';

beforeAll(async () => {
  await init();
});

/** The index from the definition, or undefined when v is too close to a boundary for doubles to tell. */
function specIndex(v: number, scale: number): number | undefined {
  // index = ⌈log2(v)·2^scale⌉ − 1; for powers of two log2 is exact and so is the product.
  const l = Math.log2(v);
  const x = l * 2 ** scale;
  if (!isPowerOfTwo(v) && Math.abs(x - Math.round(x)) < 1e-6) return undefined;
  return Math.ceil(x) - 1;
}

/** From the bits: a normal double whose significand is exactly 1. */
function isPowerOfTwo(v: number): boolean {
  const f = new Float64Array([v]);
  const bits = new BigUint64Array(f.buffer)[0]!;
  return (bits & 0xfffffffffffffn) === 0n && (bits >> 52n) !== 0n;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('exponential histogram (core)', () => {
  it('maps values to the index the definition gives, at every scale from -10 to 20', () => {
    const core = getCore();
    const next = rng(42);
    const values = [1, 2, 4, 0.5, 0.25, 3, 1.5, 1000, 1e-9, 1e12, Number.MIN_VALUE * 2 ** 60, Number.MAX_VALUE / 4];
    for (let i = 0; i < 300; i++) values.push(10 ** (next() * 18 - 9));
    let checked = 0;
    for (let scale = -10; scale <= 20; scale++) {
      for (const v of values) {
        const expected = specIndex(v, scale);
        if (expected === undefined) continue;
        expect([v, scale, core.exports.expoIndex(v, scale)]).toEqual([v, scale, expected]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(9000);
  });

  it('scale <= 0 is exact from the exponent: 2^k sits at the top of its bucket', () => {
    const core = getCore();
    expect(core.exports.expoIndex(1, 0)).toBe(-1);
    expect(core.exports.expoIndex(1.0000001, 0)).toBe(0);
    expect(core.exports.expoIndex(2, 0)).toBe(0);
    expect(core.exports.expoIndex(8, -1)).toBe(1); // index 2 at scale 0, halved
    expect(core.exports.expoIndex(9, -1)).toBe(1);
    expect(core.exports.expoIndex(17, -2)).toBe(1);
    expect(core.exports.expoIndex(0.75, -1)).toBe(-1);
    // Subnormals share the bucket whose upper bound is the smallest normal double.
    expect(core.exports.expoIndex(5e-324, 0)).toBe(-1023);
    expect(core.exports.expoIndex(5e-324, 3)).toBe((-1022 << 3) - 1);
  });

  function record(values: number[], maxSize: number) {
    const core = getCore();
    const h = core.call('expoAlloc', (ex) => ex.expoAlloc(maxSize) >>> 0);
    expect(h).not.toBe(0);
    const buf = core.call('alloc', (ex) => ex.alloc(values.length * 8 + 8) >>> 0);
    values.forEach((v, i) => core.dv.setFloat64(buf + i * 8, v, true));
    expect(core.call('expoRecordMany', (ex) => ex.expoRecordMany(h, buf, values.length))).toBe(0);
    const dv = core.dv;
    const range = (r: number) => {
      const len = dv.getUint32(r + M.EB_LEN, true);
      const counts = dv.getUint32(r + M.EB_COUNTS, true);
      return { offset: len ? dv.getInt32(r + M.EB_START, true) : 0, counts: Array.from({ length: len }, (_, i) => Number(dv.getBigUint64(counts + i * 8, true))) };
    };
    const out = {
      scale: dv.getInt32(h + M.EH_SCALE, true),
      zero: Number(dv.getBigUint64(h + M.EH_ZERO_COUNT, true)),
      count: Number(dv.getBigUint64(h + M.EH_COUNT, true)),
      sum: dv.getFloat64(h + M.EH_SUM, true),
      min: dv.getFloat64(h + M.EH_MIN, true),
      max: dv.getFloat64(h + M.EH_MAX, true),
      pos: range(h + M.EH_POS),
      neg: range(h + M.EH_NEG),
    };
    core.exports.free(buf);
    core.exports.expoFree(h);
    return out;
  }

  it('keeps zero, negative and positive values apart, on one shared scale, within max_size buckets each', () => {
    const values = [0, -0, 3, -3, 5, -0.75, 1000, 0.001];
    const h = record(values, 20);
    const lo = Math.min(...[3, 5, 1000, 0.001, 3, 0.75].map((v) => specIndex(v, 20)!));
    const hi = Math.max(...[3, 5, 1000, 0.001, 3, 0.75].map((v) => specIndex(v, 20)!));
    // Each range must fit; the scale is the finest where the wider one (the positive one) does.
    let scale = 20;
    while ((hi >> (20 - scale)) - (lo >> (20 - scale)) + 1 > 20) scale--;
    expect(h.scale).toBe(scale);
    expect(h.zero).toBe(2);
    expect(h.count).toBe(8);
    expect(h.sum).toBeCloseTo(3 - 3 + 5 - 0.75 + 1000 + 0.001, 9);
    expect([h.min, h.max]).toEqual([-3, 1000]);
    const at = (r: { offset: number; counts: number[] }) => new Map(r.counts.flatMap((c, i) => (c ? [[r.offset + i, c] as [number, number]] : [])));
    const expect_ = (vs: number[]) => {
      const m = new Map<number, number>();
      for (const v of vs) m.set(specIndex(v, scale)!, (m.get(specIndex(v, scale)!) ?? 0) + 1);
      return m;
    };
    expect(at(h.pos)).toEqual(expect_([3, 5, 1000, 0.001]));
    expect(at(h.neg)).toEqual(expect_([3, 0.75]));
    expect(h.pos.counts.length).toBeLessThanOrEqual(20);
  });

  it('never holds more than max_size buckets, whatever the spread', () => {
    const next = rng(7);
    for (const maxSize of [2, 3, 8, 160]) {
      const values = Array.from({ length: 500 }, () => 10 ** (next() * 40 - 20));
      const h = record(values, maxSize);
      expect(h.pos.counts.length).toBeLessThanOrEqual(maxSize);
      expect(h.pos.counts.reduce((a, b) => a + b, 0)).toBe(500);
      // Every value lies in its bucket at the final scale.
      const m = new Map<number, number>();
      for (const v of values) {
        const i = specIndex(v, h.scale);
        if (i !== undefined) m.set(i, (m.get(i) ?? 0) + 1);
      }
      for (const [i, n] of m) expect(h.pos.counts[i - h.pos.offset]).toBeGreaterThanOrEqual(n);
    }
  });
});
