// Fuzzing the decoder with mutated real payloads (fixed seed, bounded iterations): every input
// either decodes — and then re-encodes and re-decodes consistently — or fails with an
// OtlpDecodeError. No trap, no other exception, and a valid request decodes right after each failure.
import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { init, TraceBatch, OtlpDecodeError, memoryStats } from 'otel-sieve';
import { validFixtures } from '../helpers/fixtures.js';
import { edgeCaseRequests } from '../helpers/edge-cases.js';
import { generateTraceRequests } from '../../bench/corpus.js';

beforeAll(async () => {
  await init();
});

/** sfc32: a small seeded PRNG so failures reproduce. */
function rng(seed: number) {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

type Mutator = (b: Uint8Array, r: () => number) => Uint8Array;
const int = (r: () => number, n: number) => Math.floor(r() * n);

const mutators: Mutator[] = [
  (b, r) => { const c = b.slice(); c[int(r, c.length)] ^= 1 << int(r, 8); return c; }, // bit flip
  (b, r) => { const c = b.slice(); c[int(r, c.length)] = int(r, 256); return c; }, // byte set
  (b, r) => b.slice(0, int(r, b.length)), // truncate
  (b, r) => { const at = int(r, b.length); return Uint8Array.from([...b.subarray(0, at), int(r, 256), ...b.subarray(at)]); }, // insert
  (b, r) => { const at = int(r, b.length); return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + int(r, 4))]); }, // delete
  (b, r) => { const c = b.slice(); const at = int(r, c.length); c[at] = [0x00, 0x7f, 0x80, 0xff, 0x0f, 0x08][int(r, 6)]!; return c; }, // boundary bytes
  (b, r) => { // duplicate a chunk (repeated fields, merges)
    const at = int(r, b.length); const len = 1 + int(r, 32);
    return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at, at + len), ...b.subarray(at)]);
  },
  (b, r) => { const c = b.slice(); for (let i = 0; i < 8; i++) c[int(r, c.length)] ^= 0xff; return c; }, // burst
];

const sha = (x: Uint8Array | string) => createHash('sha256').update(x).digest('hex');

describe('fuzzing the protobuf decoder', () => {
  const seeds: Uint8Array[] = [
    ...validFixtures().map(([, b]) => b).filter((b) => b.length > 0 && b.length < 20_000),
    ...edgeCaseRequests().map(([, b]) => b).filter((b) => b.length > 0),
    ...generateTraceRequests({ seed: 5, requests: 2, spansPerRequest: 8 }),
  ];
  const reference = seeds[0]!;
  let referenceHash = '';

  it('mutated payloads decode or fail cleanly (15 000 iterations), leaking nothing', () => {
    const first = TraceBatch.fromProtobuf(reference);
    referenceHash = sha(JSON.stringify(first.toJSON()));
    first.dispose();
    const r = rng(20261121);
    let decoded = 0;
    let rejected = 0;
    const rules = new Map<string, number>();
    const usedBefore = memoryStats().used;
    for (let i = 0; i < 15_000; i++) {
      const seed = seeds[int(r, seeds.length)]!;
      let input = mutators[int(r, mutators.length)]!(seed, r);
      if (r() < 0.3) input = mutators[int(r, mutators.length)]!(input, r);
      let batch: TraceBatch | undefined;
      try {
        batch = TraceBatch.fromProtobuf(input, { allowEmpty: true });
      } catch (err) {
        if (!(err instanceof OtlpDecodeError)) throw new Error(`iteration ${i}: unexpected ${String(err)}`, { cause: err });
        rules.set(err.rule, (rules.get(err.rule) ?? 0) + 1);
        rejected++;
        // Nothing accepted before is lost: a valid request decodes exactly as before.
        const ok = TraceBatch.fromProtobuf(reference);
        expect(sha(JSON.stringify(ok.toJSON()))).toBe(referenceHash);
        ok.dispose();
        continue;
      }
      decoded++;
      // Accepted input must be fully readable and re-encode stably.
      const json = JSON.stringify(batch.toJSON());
      const again = TraceBatch.fromProtobuf(batch.toProtobuf(), { allowEmpty: true });
      expect(JSON.stringify(again.toJSON())).toBe(json);
      const half = batch.select(Array.from({ length: batch.spanCount }, (_, k) => k % 2 === 0));
      const halfBytes = half.toProtobuf();
      const halfAgain = TraceBatch.fromProtobuf(halfBytes, { allowEmpty: true });
      expect(halfAgain.spanCount).toBe(Math.ceil(batch.spanCount / 2));
      for (const b of [batch, again, half, halfAgain]) b.dispose();
    }
    // Every batch was disposed and every failed decode freed its copy: only the scratch block may remain.
    expect(memoryStats().used - usedBefore).toBeLessThan(1 << 20);
    expect(decoded).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(5000);
    // Several distinct error classes were exercised.
    expect(rules.size).toBeGreaterThanOrEqual(5);
  });
});
