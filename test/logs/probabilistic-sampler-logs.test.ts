// probabilistic_sampler for logs against the collector's own test vectors (logsprocessor_test.go:
// TestLogsSampling, TestLogsSamplingState, TestLogsMissingRandomness). The expected record counts
// are what Go computed there; hash values (the `rando` attribute, expected R-values) are computed
// here by an independent port of the upstream formulas (FNV-1a-32 over the little-endian seed and
// the bytes), never by otel-sieve.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, LogBatch } from 'otel-sieve';
import { encodeLogs } from '../helpers/oracle-signals.js';
import { decodedLogs, signalPipeline, drainAll } from '../helpers/signal-requests.js';

beforeAll(async () => {
  await init();
});

/** pkg/probabilisticsampler computeHash: FNV-1a-32 of LE32(seed) ‖ bytes. */
function computeHash(bytes: Uint8Array, seed: number): number {
  let h = 0x811c9dc5;
  const feed = (b: number) => {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (let i = 0; i < 4; i++) feed((seed >>> (8 * i)) & 0xff);
  for (const b of bytes) feed(b);
  return h >>> 0;
}

/** randomnessFromBytes(b, seed).RValue(): 14 hex digits. */
function rvalue(bytes: Uint8Array, seed: number): string {
  const h = computeHash(bytes, seed);
  const hashed = BigInt(h & 0x3fff);
  const rprime = 0x4000n - 1n - hashed;
  const unused18 = BigInt(h >>> 14);
  const mixed28 = (unused18 ^ (unused18 << 10n)) & 0xfffffffn;
  return ((rprime << 42n) | (mixed28 << 14n) | hashed).toString(16).padStart(14, '0');
}

const text = (s: string) => ({ stringValue: s });

/** The 100 records of TestLogsSampling. */
function hundredRecords(): Uint8Array {
  const records = Array.from({ length: 100 }, (_, i) => {
    const traceId = new Uint8Array(16);
    traceId.fill(i, 8);
    const attributes: unknown[] = [{ key: 'rando', value: { intValue: computeHash(traceId, 123) } }];
    if (i % 2 === 0) {
      // pcommon's TraceID.String() is "" for the empty id (record 0).
      attributes.push({ key: 'foo', value: { bytesValue: traceId } }, { key: 'bar', value: text(i === 0 ? '' : Buffer.from(traceId).toString('hex')) });
    }
    if (i % 4 === 0) attributes.push({ key: 'priority', value: { doubleValue: 100 } });
    return { timeUnixNano: '1649400860', severityNumber: 5, traceId, attributes };
  });
  return encodeLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] });
}

function sampledCount(cfg: Record<string, unknown>, bytes: Uint8Array): number {
  const p = signalPipeline('logs', { probabilistic_sampler: { sampling_precision: 14, ...cfg } });
  return decodedLogs(drainAll(p.processLogs(LogBatch.fromProtobuf(bytes), 0))).length;
}

describe('TestLogsSampling', () => {
  // Go's Config{} literals: no factory defaults, so attribute_source "" and fail_closed false
  // unless a case sets them.
  const cases: [string, Record<string, unknown>, number][] = [
    ['happy_path', { sampling_percentage: 100, attribute_source: '', fail_closed: false }, 100],
    ['nothing', { sampling_percentage: 0, attribute_source: '', fail_closed: true }, 0],
    ['roughly half', { sampling_percentage: 50, attribute_source: 'traceID', mode: 'hash_seed', fail_closed: true }, 45],
    ['sampling_source no sampling', { sampling_percentage: 0, attribute_source: 'record', from_attribute: 'foo', fail_closed: false }, 0],
    ['sampling_source all sampling', { sampling_percentage: 100, attribute_source: 'record', from_attribute: 'foo', fail_closed: false }, 100],
    ['sampling_source sampling', { sampling_percentage: 50, attribute_source: 'record', from_attribute: 'foo', fail_closed: true }, 23],
    ['sampling_source sampling as string', { sampling_percentage: 50, attribute_source: 'record', from_attribute: 'bar', fail_closed: true }, 29],
    ['sampling_priority_0_record', { sampling_percentage: 0, sampling_priority: 'priority', attribute_source: 'record', from_attribute: 'rando', fail_closed: false }, 25],
    ['sampling_priority_50_record', { sampling_percentage: 50, sampling_priority: 'priority', attribute_source: 'record', from_attribute: 'rando', fail_closed: false }, 64],
    ['sampling_priority_100_record', { sampling_percentage: 100, sampling_priority: 'priority', attribute_source: 'record', from_attribute: 'rando', fail_closed: false }, 100],
    ['sampling_priority_0_traceid', { sampling_percentage: 0, sampling_priority: 'priority', attribute_source: 'traceID', fail_closed: false }, 25],
    ['sampling_priority_50_traceid', { sampling_percentage: 50, sampling_priority: 'priority', attribute_source: 'traceID', fail_closed: false }, 57],
    ['sampling_priority_100_traceid', { sampling_percentage: 100, sampling_priority: 'priority', attribute_source: 'traceID', fail_closed: false }, 100],
    ['sampling_priority with sampling field', { sampling_percentage: 0, attribute_source: 'record', from_attribute: 'foo', sampling_priority: 'priority', fail_closed: false }, 25],
  ];
  const bytes = hundredRecords();
  for (const [name, cfg, received] of cases) {
    it(name, () => expect(sampledCount(cfg, bytes)).toBe(received));
  }
});

describe('TestLogsSamplingState', () => {
  const defaultTid = 'fefefefefefefefefe80000000000000';
  function one(cfg: Record<string, unknown>, tid: string, attributes: unknown[]) {
    const bytes = encodeLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1649400860', severityNumber: 5, traceId: Buffer.from(tid, 'hex'), attributes }] }] }] });
    const p = signalPipeline('logs', { probabilistic_sampler: { sampling_precision: 14, attribute_source: '', fail_closed: false, ...cfg } });
    return decodedLogs(drainAll(p.processLogs(LogBatch.fromProtobuf(bytes), 0)));
  }
  it('100 percent traceID', () => {
    const out = one({ sampling_percentage: 100, attribute_source: 'traceID', mode: 'proportional' }, defaultTid, [{ key: 'ignored', value: text('value') }]);
    expect(out.map((r) => r.attrs)).toEqual([{ 'sampling.threshold': '0', ignored: 'value' }]);
  });
  it('100 percent traceID hash_seed', () => {
    const out = one({ sampling_percentage: 100, attribute_source: 'traceID', mode: 'hash_seed', hash_seed: 22 }, defaultTid, [{ key: 'K', value: text('V') }]);
    expect(out.map((r) => r.attrs)).toEqual([{ K: 'V', 'sampling.threshold': '0', 'sampling.randomness': rvalue(Buffer.from(defaultTid, 'hex'), 22) }]);
  });
  it('100 percent attribute', () => {
    const out = one({ sampling_percentage: 100, attribute_source: 'record', from_attribute: 'veryrandom', hash_seed: 49 }, defaultTid, [{ key: 'veryrandom', value: text('1234') }]);
    expect(out.map((r) => r.attrs)).toEqual([{ veryrandom: '1234', 'sampling.threshold': '0', 'sampling.randomness': rvalue(new TextEncoder().encode('1234'), 49) }]);
  });
  it('0 percent traceID', () => {
    expect(one({ sampling_percentage: 0, attribute_source: 'traceID' }, defaultTid, [])).toEqual([]);
  });
  it('10 percent priority sampled incoming randomness', () => {
    const out = one({ sampling_percentage: 0, attribute_source: 'traceID', sampling_priority: 'veryrandom', sampling_precision: 6 }, defaultTid,
      [{ key: 'sampling.randomness', value: text('e6147c00000000') }, { key: 'veryrandom', value: { doubleValue: 10.125 } }]);
    expect(out.map((r) => r.attrs)).toEqual([{ 'sampling.randomness': 'e6147c00000000', 'sampling.threshold': 'e6147b', veryrandom: 10.125 }]);
  });
  it('25 percent incoming', () => {
    const out = one({ sampling_percentage: 50, attribute_source: 'traceID', mode: 'proportional' }, 'fefefefefefefefefef0000000000000', [{ key: 'sampling.threshold', value: text('c') }]);
    expect(out.map((r) => r.attrs)).toEqual([{ 'sampling.threshold': 'e' }]);
  });
  it('25 percent arriving inconsistent', () => {
    expect(one({ sampling_percentage: 50, attribute_source: 'traceID', mode: 'equalizing', fail_closed: true }, 'fefefefefefefefefeb0000000000000', [{ key: 'sampling.threshold', value: text('c') }])).toEqual([]);
  });
  it('25 percent arriving equalizing: a priority may not lower an arriving threshold', () => {
    const out = one({ sampling_percentage: 50, attribute_source: 'traceID', mode: 'equalizing', sampling_priority: 'prio' }, 'fefefefefefefefefefefefefefefefe',
      [{ key: 'sampling.threshold', value: text('c') }, { key: 'prio', value: { intValue: 37 } }]);
    expect(out.map((r) => r.attrs)).toEqual([{ 'sampling.threshold': 'c', prio: 37n }]);
  });
  it('hash_seed with spec randomness: passes (fail open) untouched', () => {
    const out = one({ sampling_percentage: 100, attribute_source: 'traceID', mode: 'hash_seed' }, defaultTid, [{ key: 'sampling.randomness', value: text('f2341234123412') }]);
    expect(out.map((r) => r.attrs)).toEqual([{ 'sampling.randomness': 'f2341234123412' }]);
  });
});

describe('TestLogsMissingRandomness', () => {
  const cases: [number, string, boolean, boolean][] = [
    [0, 'record', true, false], [50, 'record', true, false], [100, 'record', true, false],
    [0, 'record', false, false], [50, 'record', false, true], [100, 'record', false, true],
    [0, 'traceID', true, false], [50, 'traceID', true, false], [100, 'traceID', true, false],
    [0, 'traceID', false, false], [50, 'traceID', false, true], [100, 'traceID', false, true],
  ];
  for (const mode of ['hash_seed', 'equalizing', 'proportional']) {
    for (const [pct, source, failClosed, sampled] of cases) {
      it(`${pct}_${source}_${failClosed}_${mode}`, () => {
        const bytes = encodeLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: new Uint8Array(16), attributes: [{ key: 'unused', value: text('') }] }] }] }] });
        const p = signalPipeline('logs', { probabilistic_sampler: { sampling_percentage: pct, mode, hash_seed: 0, fail_closed: failClosed, attribute_source: source, from_attribute: 'unused' } });
        expect(decodedLogs(drainAll(p.processLogs(LogBatch.fromProtobuf(bytes), 0))).length).toBe(sampled ? 1 : 0);
        if (pct !== 0) expect(p.counters()['logs/probabilistic_sampler']!.sampling_errors).toBe(1);
      });
    }
  }
});
