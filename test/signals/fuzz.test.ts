// Fuzzing the log and metric decoders with mutated real payloads (fixed seeds, bounded iterations):
// every input either decodes — and then reads completely, re-encodes and re-decodes consistently,
// and survives a filter — or fails with an OtlpDecodeError. No trap, no other exception, no leak,
// and a valid request decodes exactly as before right after each failure.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, LogBatch, MetricBatch, OtlpDecodeError, memoryStats } from 'otel-sieve';
import { logEdgeCases, metricEdgeCases } from '../helpers/signal-edge-cases.js';
import { sdkLogs, sdkMetrics } from '../helpers/sdk-signals.js';
import { generateLogRequests } from '../../bench/corpus-logs.js';
import { generateMetricRequests } from '../../bench/corpus-metrics.js';
import { rng, mutate } from '../helpers/mutate.js';

beforeAll(async () => {
  await init();
});

const small = (b: Uint8Array) => b.length > 0 && b.length < 20_000;
const logSeeds = [
  ...(await sdkLogs()).map((p) => p.pb),
  ...logEdgeCases().map(([, b]) => b),
  ...generateLogRequests({ seed: 5, requests: 2, recordsPerRequest: 8 }),
].filter(small);
const metricSeeds = [
  ...(await sdkMetrics()).map((p) => p.pb),
  ...metricEdgeCases().map(([, b]) => b),
  ...generateMetricRequests({ seed: 5, requests: 2, pointsPerRequest: 12 }),
].filter(small);

interface Subject<B> {
  decode(bytes: Uint8Array): B;
  /** Reads everything a user can read: JSON covers every view. */
  json(b: B): string;
  reencode(b: B): Uint8Array;
  /** Keeps about half and returns the kept count and what a re-decode of the output counts. */
  half(b: B): [number, number];
  dispose(b: B): void;
}

function fuzz<B>(subject: Subject<B>, seeds: Uint8Array[], seed: number, iterations: number): { decoded: number; rejected: number; rules: Map<string, number> } {
  const reference = seeds[0]!;
  const first = subject.decode(reference);
  const referenceJson = subject.json(first);
  subject.dispose(first);
  const r = rng(seed);
  let decoded = 0;
  let rejected = 0;
  const rules = new Map<string, number>();
  for (let i = 0; i < iterations; i++) {
    const input = mutate(seeds, r);
    let batch: B;
    try {
      batch = subject.decode(input);
    } catch (err) {
      if (!(err instanceof OtlpDecodeError)) throw new Error(`iteration ${i}: unexpected ${String(err)}`, { cause: err });
      rules.set(err.rule, (rules.get(err.rule) ?? 0) + 1);
      rejected++;
      const ok = subject.decode(reference);
      expect(subject.json(ok)).toBe(referenceJson);
      subject.dispose(ok);
      continue;
    }
    decoded++;
    const json = subject.json(batch);
    const again = subject.decode(subject.reencode(batch));
    expect(subject.json(again)).toBe(json);
    const [kept, seen] = subject.half(batch);
    expect(seen).toBe(kept);
    subject.dispose(batch);
    subject.dispose(again);
  }
  return { decoded, rejected, rules };
}

describe('fuzzing the log and metric decoders', () => {
  it('mutated log payloads decode or fail cleanly (6 000 iterations), leaking nothing', () => {
    const before = memoryStats().used;
    const { decoded, rejected, rules } = fuzz<LogBatch>({
      decode: (b) => LogBatch.fromProtobuf(b, { allowEmpty: true }),
      json: (b) => JSON.stringify(b.toJSON()),
      reencode: (b) => b.toProtobuf(),
      half: (b) => {
        const half = b.select(Array.from({ length: b.logRecordCount }, (_, k) => k % 2 === 0));
        const out = LogBatch.fromProtobuf(half.toProtobuf(), { allowEmpty: true });
        const counts: [number, number] = [Math.ceil(b.logRecordCount / 2), out.logRecordCount];
        half.dispose();
        out.dispose();
        return counts;
      },
      dispose: (b) => b.dispose(),
    }, logSeeds, 20261122, 6000);
    expect(memoryStats().used - before).toBeLessThan(1 << 20);
    expect(decoded).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(2000);
    expect(rules.size).toBeGreaterThanOrEqual(5);
  });

  it('mutated metric payloads decode or fail cleanly (6 000 iterations), leaking nothing', () => {
    const before = memoryStats().used;
    const { decoded, rejected, rules } = fuzz<MetricBatch>({
      decode: (b) => MetricBatch.fromProtobuf(b, { allowEmpty: true }),
      json: (b) => JSON.stringify(b.toJSON()),
      reencode: (b) => b.toProtobuf(),
      half: (b) => {
        const mask = Array.from({ length: b.dataPointCount }, (_, k) => k % 2 === 0);
        const half = b.selectDataPoints(mask);
        const out = MetricBatch.fromProtobuf(half.toProtobuf(), { allowEmpty: true });
        const counts: [number, number] = [Math.ceil(b.dataPointCount / 2), out.dataPointCount];
        half.dispose();
        out.dispose();
        return counts;
      },
      dispose: (b) => b.dispose(),
    }, metricSeeds, 20261123, 6000);
    expect(memoryStats().used - before).toBeLessThan(1 << 20);
    expect(decoded).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(2000);
    expect(rules.size).toBeGreaterThanOrEqual(5);
  });
});
