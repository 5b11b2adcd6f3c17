// Reading the metrics core's tables at collection time (a cold path: once per series per
// collection). Everything is copied out of core memory at once, so no view outlives a core call.
import * as M from '../../assembly/abi/derived-metrics-layout.js';
import type { Core } from '../core/core.js';
import type { Exemplar, ExponentialBuckets } from '../metrics/metrics-data.js';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A u64 as a number (counts never get near 2^53). */
export function u64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 4294967296;
}

export function hex(u8: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[u8[at + i]!];
  return s;
}

/** A live record of a series table: its index, address and a copy of its key. */
export interface TableRecord {
  readonly index: number;
  readonly address: number;
  readonly key: Uint8Array;
}

/** Every live (not dead) record of the table at `table`, keys copied out. */
export function liveRecords(core: Core, table: number): TableRecord[] {
  const dv = core.dv;
  const u8 = core.u8;
  const recs = dv.getUint32(table + M.T_RECS, true);
  const n = dv.getUint32(table + M.T_REC_COUNT, true);
  const stride = dv.getUint32(table + M.T_STRIDE, true);
  const arena = dv.getUint32(table + M.T_ARENA, true);
  const out: TableRecord[] = [];
  for (let i = 0; i < n; i++) {
    const address = recs + i * stride;
    if (dv.getUint32(address + M.R_FLAGS, true) & M.RF_DEAD) continue;
    const off = arena + dv.getUint32(address + M.R_KEY_OFF, true);
    const key = u8.slice(off, off + dv.getUint32(address + M.R_KEY_LEN, true));
    out.push({ index: i, address, key });
  }
  return out;
}

export interface ExplicitHistogramValue {
  count: number;
  sum: number;
  min: number;
  max: number;
  bucketCounts: number[];
}

/** An explicit histogram (XH_* layout) with `bounds` bounds at address h. */
export function readExplicit(dv: DataView, h: number, bounds: number): ExplicitHistogramValue {
  const bucketCounts: number[] = [];
  for (let i = 0; i <= bounds; i++) bucketCounts.push(u64(dv, h + M.XH_BUCKETS + i * 8));
  return {
    count: u64(dv, h + M.XH_COUNT),
    sum: dv.getFloat64(h + M.XH_SUM, true),
    min: dv.getFloat64(h + M.XH_MIN, true),
    max: dv.getFloat64(h + M.XH_MAX, true),
    bucketCounts,
  };
}

export interface ExponentialHistogramValue {
  count: number;
  sum: number;
  min: number;
  max: number;
  scale: number;
  zeroCount: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
}

function readBuckets(dv: DataView, r: number): ExponentialBuckets {
  const len = dv.getUint32(r + M.EB_LEN, true);
  const counts = dv.getUint32(r + M.EB_COUNTS, true);
  const bucketCounts: number[] = [];
  for (let i = 0; i < len; i++) bucketCounts.push(u64(dv, counts + i * 8));
  return { offset: len ? dv.getInt32(r + M.EB_START, true) : 0, bucketCounts };
}

/** An exponential histogram (EH_* layout) at address h. */
export function readExponential(dv: DataView, h: number): ExponentialHistogramValue {
  return {
    count: u64(dv, h + M.EH_COUNT),
    sum: dv.getFloat64(h + M.EH_SUM, true),
    min: dv.getFloat64(h + M.EH_MIN, true),
    max: dv.getFloat64(h + M.EH_MAX, true),
    scale: dv.getInt32(h + M.EH_SCALE, true),
    zeroCount: u64(dv, h + M.EH_ZERO_COUNT),
    positive: readBuckets(dv, h + M.EH_POS),
    negative: readBuckets(dv, h + M.EH_NEG),
  };
}

/** The exemplars (XS_* layout) at address x, stamped with the collection time like the collector does. */
export function readExemplars(core: Core, x: number, time: bigint): Exemplar[] {
  const dv = core.dv;
  const u8 = core.u8;
  const n = dv.getUint32(x + M.XS_COUNT, true);
  const out: Exemplar[] = [];
  for (let i = 0; i < n; i++) {
    const e = x + M.XS_FIRST + i * M.XE_SIZE;
    out.push({
      filteredAttributes: [],
      timeUnixNano: time,
      value: dv.getFloat64(e + M.XE_VALUE, true),
      traceId: hex(u8, e + M.XE_TRACE_ID, 16),
      spanId: hex(u8, e + M.XE_SPAN_ID, 8),
    });
  }
  return out;
}
