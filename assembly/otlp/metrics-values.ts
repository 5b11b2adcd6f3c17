// The values table of a metric batch, built on first use: every data point's repeated numbers —
// histogram bucket counts and explicit bounds, exponential histogram positive and negative bucket
// counts, summary (quantile, value) pairs — as u64 entries (doubles as their bits) at the positions
// the index pass assigned (DP_LIST_A/B_START). Filters and splices never need them; views do, and a
// list may arrive packed, unpacked, split over several fields or as varints, so copying them into
// one uniform shape once beats decoding the wire form on every read.
import * as L from '../abi/metrics-layout';
import * as B from '../abi/batch-layout';
import * as E from '../abi/errors';
import { alloc, free } from '../mem/alloc';
import { clearError, failPlain } from '../errors';
import { readVarintTrusted, skipTrusted, next, WT_LEN, WT_VARINT, WT_FIXED64 } from '../wire/reader';

let IN: usize = 0;
let values: usize = 0;
/** Next free entry of the list being filled. */
let cursor: u32 = 0;

// @ts-ignore: decorator
@inline function push(v: u64): void {
  store<u64>(values + (<usize>cursor << 3), v);
  cursor++;
}

/** Appends every element of the fixed64/double fields numbered `field` in [cs, ce). */
function copyFixed(cs: usize, ce: usize, field: u32): void {
  let p = cs;
  while (p < ce) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    let wt = tag & 7;
    if (tag >>> 3 == field && wt == WT_LEN) {
      let len = <usize>readVarintTrusted(p);
      memory.copy(values + <usize>cursor * 8, next, len);
      cursor += <u32>(len >> 3);
      p = next + len;
    } else if (tag >>> 3 == field && wt == WT_FIXED64) {
      push(load<u64>(p));
      p += 8;
    } else {
      p = skipTrusted(p, wt);
    }
  }
}

/** Appends the bucket counts of every Buckets message numbered `field` in [cs, ce). */
function copyBuckets(cs: usize, ce: usize, field: u32): void {
  let p = cs;
  while (p < ce) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == ((field << 3) | WT_LEN)) {
      let len = <usize>readVarintTrusted(p);
      let q = next;
      let end = q + len;
      while (q < end) {
        let t = <u32>readVarintTrusted(q);
        q = next;
        if (t == ((2 << 3) | WT_LEN)) {
          let n = <usize>readVarintTrusted(q);
          let r = next;
          let stop = r + n;
          while (r < stop) {
            push(readVarintTrusted(r));
            r = next;
          }
          q = stop;
        } else if (t == ((2 << 3) | WT_VARINT)) {
          push(readVarintTrusted(q));
          q = next;
        } else {
          q = skipTrusted(q, t & 7);
        }
      }
      p = end;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
}

/** Appends (quantile, value) for every ValueAtQuantile (`field`) in [cs, ce); the last of each field wins. */
function copyQuantiles(cs: usize, ce: usize, field: u32): void {
  let p = cs;
  while (p < ce) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == ((field << 3) | WT_LEN)) {
      let len = <usize>readVarintTrusted(p);
      let q = next;
      let end = q + len;
      let quantile: u64 = 0;
      let value: u64 = 0;
      while (q < end) {
        let t = <u32>readVarintTrusted(q);
        q = next;
        if (t == ((1 << 3) | WT_FIXED64)) {
          quantile = load<u64>(q);
          q += 8;
        } else if (t == ((2 << 3) | WT_FIXED64)) {
          value = load<u64>(q);
          q += 8;
        } else {
          q = skipTrusted(q, t & 7);
        }
      }
      push(quantile);
      push(value);
      p = end;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
}

/** Appends the elements of the fields numbered `field` in [cs, ce) to the values table. */
type ListCopier = (cs: usize, ce: usize, field: u32) => void;

/** Fills the list at `start` from a point's fields and checks it holds what the index pass counted. */
function fill(start: u32, expected: u32, copy: ListCopier, cs: usize, ce: usize, field: u32): bool {
  cursor = start;
  copy(cs, ce, field);
  return cursor == start + expected;
}

/** Returns 0, or an error code (out of memory) with the batch unchanged. */
export function metricsIndexValues(header: usize): u32 {
  clearError();
  let flags = load<u32>(header + B.B_FLAGS);
  if (flags & L.BATCH_VALUES_BUILT) return 0;
  IN = <usize>load<u32>(header + B.B_INPUT);
  let total = load<u32>(header + L.B_VALUE_COUNT);
  values = alloc(<usize>max<u32>(total, 1) * 8);
  if (!values) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>total * 8);
    return E.ERR_OUT_OF_MEMORY;
  }
  let metrics = <usize>load<u32>(header + L.B_METRICS);
  let points = <usize>load<u32>(header + L.B_POINTS);
  let n = load<u32>(header + L.B_POINT_COUNT);
  let ok = true;
  for (let k: u32 = 0; ok && k < n; k++) {
    let row = points + <usize>k * L.DP_ROW;
    let type = load<u32>(metrics + <usize>load<u32>(row + L.DP_METRIC) * L.M_ROW + L.M_TYPE);
    let cs = IN + load<u32>(row + L.DP_CONTENT_START);
    let ce = IN + load<u32>(row + L.DP_CONTENT_END);
    let a = load<u32>(row + L.DP_LIST_A_START);
    let na = load<u32>(row + L.DP_LIST_A_COUNT);
    let b = load<u32>(row + L.DP_LIST_B_START);
    let nb = load<u32>(row + L.DP_LIST_B_COUNT);
    if (type == L.MT_HISTOGRAM) ok = fill(a, na, copyFixed, cs, ce, 6) && fill(b, nb, copyFixed, cs, ce, 7);
    else if (type == L.MT_EXPONENTIAL_HISTOGRAM) ok = fill(a, na, copyBuckets, cs, ce, 8) && fill(b, nb, copyBuckets, cs, ce, 9);
    else if (type == L.MT_SUMMARY) ok = fill(a, na * 2, copyQuantiles, cs, ce, 6);
  }
  if (!ok) {
    // The index pass and this walk disagree: a bug, never bad input. Refuse rather than mislabel.
    free(values);
    failPlain(E.ERR_BAD_ARGUMENT, <u64>cursor);
    return E.ERR_BAD_ARGUMENT;
  }
  store<u32>(header + L.B_VALUES, <u32>values);
  store<u32>(header + B.B_FLAGS, flags | L.BATCH_VALUES_BUILT);
  return 0;
}
