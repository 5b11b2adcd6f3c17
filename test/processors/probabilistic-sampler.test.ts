// probabilistic_sampler against an independent reference of the collector's arithmetic (written
// here from the algorithm's description, not shared with the implementation): FNV-1a-32 over the
// little-endian seed and the trace id, 14-bit buckets, float32 scaling truncated toward zero, the
// OTEP 235 randomness/threshold encodings; outputs decoded with the oracle.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch } from 'otel-sieve';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';

beforeAll(async () => {
  await init();
});

// --- reference -------------------------------------------------------------------------------
function fnv32a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}
function refHash(traceHex: string, seed: number): number {
  const buf = new Uint8Array(20);
  new DataView(buf.buffer).setUint32(0, seed, true);
  buf.set(Buffer.from(traceHex, 'hex'), 4);
  return fnv32a(buf);
}
function refScaled(pct: number): number {
  const p = Math.fround(Math.min(pct, 100));
  return Math.trunc(Math.fround(p * Math.fround(163.84)));
}
function refKeep(traceHex: string, seed: number, pct: number): boolean {
  return (refHash(traceHex, seed) & 0x3fff) < refScaled(pct);
}
function hex14(v: bigint): string {
  return v.toString(16).padStart(14, '0');
}
function refRv(traceHex: string, seed: number): string {
  const h = refHash(traceHex, seed);
  const bucket = BigInt(h & 0x3fff);
  const unused = BigInt(h >>> 14);
  const mixed = (unused ^ (unused << 10n)) & 0xfffffffn;
  return hex14(((16383n - bucket) << 42n) | (mixed << 14n) | bucket);
}
function refTh(pct: number): string {
  const t = BigInt(16384 - refScaled(pct)) << 42n;
  return t === 0n ? '0' : hex14(t).replace(/0+$/, '');
}

// Deterministic pseudo-random trace ids.
function ids(n: number, seed = 7): string[] {
  let x = seed >>> 0;
  const next = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0), x);
  return Array.from({ length: n }, () => Array.from({ length: 4 }, () => next().toString(16).padStart(8, '0')).join(''));
}

function run(cfg: Record<string, unknown>, spans: Parameters<typeof buildRequest>[0]) {
  const p = pipelineWith({ probabilistic_sampler: cfg });
  const out = drain(p.process(TraceBatch.fromProtobuf(buildRequest(spans)), 0));
  return decodedSpans(out);
}

describe('hash_seed mode', () => {
  const traces = ids(300);
  for (const seed of [0, 123, 0xdeadbeef]) {
    for (const pct of [0.01, 12.5, 33.3, 50, 99.99, 100, 250]) {
      it(`keeps exactly the reference's trace ids (seed ${seed}, ${pct}%)`, () => {
        const got = run({ hash_seed: seed, sampling_percentage: pct, mode: 'hash_seed' }, [{ spans: traces.map((trace) => ({ trace })) }]);
        const want = traces.filter((t) => refKeep(t, seed, pct));
        expect(got.map((s) => s.trace)).toEqual(want);
        for (const s of got) expect(s.raw.traceState).toBe(`ot=rv:${refRv(s.trace, seed)};th:${refTh(pct)}`);
      });
    }
  }

  it('samples nothing at 0% and everything above 100%', () => {
    expect(run({ sampling_percentage: 0 }, [{ spans: ids(50).map((trace) => ({ trace })) }])).toEqual([]);
    expect(run({ sampling_percentage: 150 }, [{ spans: ids(50).map((trace) => ({ trace })) }]).length).toBe(50);
  });

  it('is the default mode when mode is unset', () => {
    const traces = ids(100, 3);
    const got = run({ sampling_percentage: 40 }, [{ spans: traces.map((trace) => ({ trace })) }]);
    expect(got.map((s) => s.trace)).toEqual(traces.filter((t) => refKeep(t, 0, 40)));
  });

  it('drops an all-zero trace id with fail_closed (default) and passes it without', () => {
    const zero = '0'.repeat(32);
    expect(run({ sampling_percentage: 100 }, [{ spans: [{ trace: zero }] }])).toEqual([]);
    const open = run({ sampling_percentage: 100, fail_closed: false }, [{ spans: [{ trace: zero }] }]);
    expect(open.length).toBe(1);
    expect(open[0]!.raw.traceState).toBe('ot=rv:ffffffffffffff;th:0');
  });

  it('leaves a tracestate with rv or th alone and fails closed on it', () => {
    const t = ids(1, 11)[0]!;
    expect(run({ sampling_percentage: 100 }, [{ spans: [{ trace: t, traceState: 'ot=th:0' }] }])).toEqual([]);
    const open = run({ sampling_percentage: 100, fail_closed: false }, [{ spans: [{ trace: t, traceState: 'ot=th:0' }] }]);
    expect(open[0]!.raw.traceState).toBe('ot=th:0');
  });
});

describe('sampling.priority', () => {
  const t = ids(1, 99)[0]!;
  it('0 drops even at 100%; positive keeps even at 0%', () => {
    expect(run({ sampling_percentage: 100 }, [{ spans: [{ trace: t, attrs: { 'sampling.priority': 0 } }] }])).toEqual([]);
    expect(run({ sampling_percentage: 100 }, [{ spans: [{ trace: t, attrs: { 'sampling.priority': { double: 0 } } }] }])).toEqual([]);
    expect(run({ sampling_percentage: 100 }, [{ spans: [{ trace: t, attrs: { 'sampling.priority': '0' } }] }])).toEqual([]);
    expect(run({ sampling_percentage: 0 }, [{ spans: [{ trace: t, attrs: { 'sampling.priority': 1 } }] }]).length).toBe(1);
    expect(run({ sampling_percentage: 0 }, [{ spans: [{ trace: t, attrs: { 'sampling.priority': '2.5' } }] }]).length).toBe(1);
  });
  it('negative, unparsable and NaN values defer to the sampler', () => {
    for (const v of [-1, 'abc', 'NaN', '1e999']) {
      expect(run({ sampling_percentage: 0 }, [{ spans: [{ trace: t, attrs: { 'sampling.priority': v } }] }])).toEqual([]);
    }
  });
});

describe('OTEP 235 modes', () => {
  // Randomness is the trace id's last 7 bytes: choose ids whose randomness is known.
  const withRandomness = (r: string) => `${'ab'.repeat(9)}${r}`;
  it('proportional: arriving th:8 (50%) at 50% gives th:c (25%)', () => {
    const got = run({ mode: 'proportional', sampling_percentage: 50 }, [{ spans: [{ trace: withRandomness('e0000000000000'), traceState: 'ot=th:8' }] }]);
    expect(got[0]!.raw.traceState).toBe('ot=th:c');
  });
  it('proportional drops randomness below the new threshold', () => {
    const got = run({ mode: 'proportional', sampling_percentage: 50 }, [{ spans: [{ trace: withRandomness('b0000000000000'), traceState: 'ot=th:8' }] }]);
    expect(got).toEqual([]);
  });
  it('equalizing with arriving th:c at 50% leaves th:c unchanged', () => {
    const got = run({ mode: 'equalizing', sampling_percentage: 50 }, [{ spans: [{ trace: withRandomness('f0000000000000'), traceState: 'ot=th:c' }] }]);
    expect(got[0]!.raw.traceState).toBe('ot=th:c');
  });
  it('rv overrides the trace id randomness', () => {
    const low = withRandomness('00000000000001');
    expect(run({ mode: 'proportional', sampling_percentage: 50 }, [{ spans: [{ trace: low }] }])).toEqual([]);
    const got = run({ mode: 'proportional', sampling_percentage: 50 }, [{ spans: [{ trace: low, traceState: 'ot=rv:ffffffffffffff' }] }]);
    expect(got[0]!.raw.traceState).toBe('ot=rv:ffffffffffffff;th:8');
  });
  it('an inconsistent arriving th is an error: dropped when fail_closed, cleared otherwise', () => {
    const span = { trace: withRandomness('10000000000000'), traceState: 'ot=th:8' };
    expect(run({ mode: 'proportional', sampling_percentage: 100 }, [{ spans: [span] }])).toEqual([]);
    const open = run({ mode: 'proportional', sampling_percentage: 100, fail_closed: false }, [{ spans: [span] }]);
    expect(open[0]!.raw.traceState).toBe('ot=th:0');
  });
  it("keeps other vendors' entries, ot first", () => {
    const got = run({ mode: 'proportional', sampling_percentage: 50 }, [{ spans: [{ trace: withRandomness('f0000000000000'), traceState: 'vendor=abc , ot=th:8;x:y,other=1' }] }]);
    expect(got[0]!.raw.traceState).toBe('ot=th:c;x:y,vendor=abc,other=1');
  });
  it('sampling_precision rounds the threshold', () => {
    const got = run({ mode: 'equalizing', sampling_percentage: 33.333, sampling_precision: 2 }, [{ spans: [{ trace: withRandomness('ffffffffffffff') }] }]);
    // 1 - 0.33333 = 0.66667 → 0xaaaac…, rounded to 2 hex digits: "ab".
    expect(got[0]!.raw.traceState).toBe('ot=th:ab');
  });
});
