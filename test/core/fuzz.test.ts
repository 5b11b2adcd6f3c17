// Fuzzing the decoder with mutated real payloads (fixed seed, bounded iterations): every input
// either decodes — and then re-encodes and re-decodes consistently — or fails with an
// OtlpDecodeError. No trap, no other exception, and a valid request decodes right after each failure.
import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { init, TraceBatch, OtlpDecodeError, memoryStats } from 'otel-sieve';
import { validFixtures } from '../helpers/fixtures.js';
import { edgeCaseRequests } from '../helpers/edge-cases.js';
import { generateTraceRequests } from '../../bench/corpus.js';
import { rng, mutate } from '../helpers/mutate.js';

beforeAll(async () => {
  await init();
});

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
      const input = mutate(seeds, r);
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
