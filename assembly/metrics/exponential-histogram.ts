// Base-2 exponential histograms as in the OpenTelemetry data model: at scale s the bucket with
// index i holds values in (2^(i·2^-s), 2^((i+1)·2^-s)]. A histogram starts at the finest scale (20)
// and, when a value falls outside the max_size buckets it may hold, halves its resolution as often
// as needed (downscaling merges neighbouring buckets: index i becomes i >> k). Zero goes to the zero
// bucket; negative values to the negative range, which shares the scale.
import * as M from '../abi/derived-metrics-layout';
import { allocZeroed, realloc, free } from '../mem/alloc';

const LOG2E: f64 = 1.4426950408889634;
const MIN_NORMAL_EXPONENT: i32 = -1022;
const MAX_NORMAL_EXPONENT: i32 = 1023;

export function expoNew(maxSize: u32): usize {
  let h = allocZeroed(M.EH_SIZE);
  if (!h) return 0;
  store<i32>(h + M.EH_SCALE, M.EXPO_MAX_SCALE);
  store<u32>(h + M.EH_MAX_SIZE, maxSize);
  return h;
}

export function expoFree(h: usize): void {
  if (!h) return;
  free(<usize>load<u32>(h + M.EH_POS + M.EB_COUNTS));
  free(<usize>load<u32>(h + M.EH_NEG + M.EB_COUNTS));
  free(h);
}

/** Empties the histogram for a new interval (delta temporality): back to the finest scale. */
export function expoReset(h: usize): void {
  store<i32>(h + M.EH_SCALE, M.EXPO_MAX_SCALE);
  store<u64>(h + M.EH_ZERO_COUNT, 0);
  store<f64>(h + M.EH_SUM, 0);
  store<u64>(h + M.EH_COUNT, 0);
  store<f64>(h + M.EH_MIN, 0);
  store<f64>(h + M.EH_MAX, 0);
  store<u32>(h + M.EH_POS + M.EB_LEN, 0);
  store<u32>(h + M.EH_NEG + M.EB_LEN, 0);
}

/**
 * The bucket index of a positive, finite v at `scale`. Scales <= 0 use the IEEE exponent alone
 * (exact); positive scales use the logarithm with exact answers for powers of two, the method the
 * specification describes (and go-expohisto, which the collector uses, implements). Subnormal values
 * all map to the bucket whose upper boundary is the smallest normal value.
 */
export function expoIndex(v: f64, scale: i32): i32 {
  let bits = reinterpret<u64>(v);
  let rawExp = <i32>((bits >> 52) & 0x7ff);
  let frac = bits & 0xfffffffffffff;
  if (rawExp == 0) {
    if (scale <= 0) return (MIN_NORMAL_EXPONENT - 1) >> -scale;
    return (MIN_NORMAL_EXPONENT << scale) - 1;
  }
  let e = rawExp - 1023;
  if (scale <= 0) return (frac == 0 ? e - 1 : e) >> -scale;
  if (frac == 0) return (e << scale) - 1;
  let idx = <i32>Math.floor(Math.log(v) * (LOG2E * <f64>(1 << scale)));
  // The logarithm can land one past the largest bucket for values just under the maximum double.
  let maxIdx = ((MAX_NORMAL_EXPONENT + 1) << scale) - 1;
  return idx > maxIdx ? maxIdx : idx;
}

/** Grows a range's count array to hold at least `need` buckets (never beyond max_size). */
function ensureCap(r: usize, need: u32, maxSize: u32): bool {
  let cap = load<u32>(r + M.EB_CAP);
  if (need <= cap) return true;
  let newCap = min<u32>(maxSize, max<u32>(need, max<u32>(cap * 2, 8)));
  let counts = realloc(<usize>load<u32>(r + M.EB_COUNTS), <usize>newCap * 8);
  if (!counts) return false;
  store<u32>(r + M.EB_COUNTS, <u32>counts);
  store<u32>(r + M.EB_CAP, newCap);
  return true;
}

/** Adds one to bucket idx, extending the range; the caller made sure it fits in max_size. */
function rangeIncrement(r: usize, idx: i32, maxSize: u32): bool {
  let len = load<u32>(r + M.EB_LEN);
  if (len == 0) {
    if (!ensureCap(r, 1, maxSize)) return false;
    let counts = <usize>load<u32>(r + M.EB_COUNTS);
    store<u64>(counts, 1);
    store<i32>(r + M.EB_START, idx);
    store<u32>(r + M.EB_LEN, 1);
    return true;
  }
  let start = load<i32>(r + M.EB_START);
  let end = start + <i32>len - 1;
  if (idx < start) {
    let newLen = <u32>(end - idx + 1);
    if (!ensureCap(r, newLen, maxSize)) return false;
    let counts = <usize>load<u32>(r + M.EB_COUNTS);
    let shift = <usize>(start - idx);
    memory.copy(counts + shift * 8, counts, <usize>len * 8);
    memory.fill(counts, 0, shift * 8);
    store<i32>(r + M.EB_START, idx);
    store<u32>(r + M.EB_LEN, newLen);
    start = idx;
  } else if (idx > end) {
    let newLen = <u32>(idx - start + 1);
    if (!ensureCap(r, newLen, maxSize)) return false;
    let counts = <usize>load<u32>(r + M.EB_COUNTS);
    memory.fill(counts + <usize>len * 8, 0, <usize>(newLen - len) * 8);
    store<u32>(r + M.EB_LEN, newLen);
  }
  let at = <usize>load<u32>(r + M.EB_COUNTS) + (<usize>(idx - start) << 3);
  store<u64>(at, load<u64>(at) + 1);
  return true;
}

/** Merges a range's buckets for a scale `shift` steps coarser (in place: new index j <= old index i). */
function rangeDownscale(r: usize, shift: i32): void {
  let len = load<u32>(r + M.EB_LEN);
  if (len == 0 || shift == 0) return;
  let start = load<i32>(r + M.EB_START);
  let counts = <usize>load<u32>(r + M.EB_COUNTS);
  let newStart = start >> shift;
  let prev: i32 = -1;
  for (let i: i32 = 0; i < <i32>len; i++) {
    let j = ((start + i) >> shift) - newStart;
    let c = load<u64>(counts + (<usize>i << 3));
    if (j != prev) {
      store<u64>(counts + (<usize>j << 3), c);
      prev = j;
    } else {
      store<u64>(counts + (<usize>j << 3), load<u64>(counts + (<usize>j << 3)) + c);
    }
  }
  store<i32>(r + M.EB_START, newStart);
  store<u32>(r + M.EB_LEN, <u32>(prev + 1));
}

/** How many halvings make a range of [lo, hi] fit in maxSize buckets. */
function shiftNeeded(lo: i32, hi: i32, maxSize: u32): i32 {
  let shift: i32 = 0;
  while (<u32>((hi >> shift) - (lo >> shift)) + 1 > maxSize) shift++;
  return shift;
}

/** Records v; false (and the histogram unchanged apart from a harmless downscale) if out of memory. */
export function expoRecord(h: usize, v: f64): bool {
  if (!isFinite(v)) return true;
  if (v != 0) {
    let neg = v < 0;
    let a = neg ? -v : v;
    let r = h + (neg ? M.EH_NEG : M.EH_POS);
    let maxSize = load<u32>(h + M.EH_MAX_SIZE);
    let scale = load<i32>(h + M.EH_SCALE);
    let idx = expoIndex(a, scale);
    let len = load<u32>(r + M.EB_LEN);
    if (len > 0) {
      let start = load<i32>(r + M.EB_START);
      let end = start + <i32>len - 1;
      let lo = idx < start ? idx : start;
      let hi = idx > end ? idx : end;
      let shift = shiftNeeded(lo, hi, maxSize);
      if (shift > 0) {
        rangeDownscale(h + M.EH_POS, shift);
        rangeDownscale(h + M.EH_NEG, shift);
        store<i32>(h + M.EH_SCALE, scale - shift);
        idx >>= shift;
      }
    }
    if (!rangeIncrement(r, idx, maxSize)) return false;
  } else {
    store<u64>(h + M.EH_ZERO_COUNT, load<u64>(h + M.EH_ZERO_COUNT) + 1);
  }
  let count = load<u64>(h + M.EH_COUNT);
  if (count == 0) {
    store<f64>(h + M.EH_MIN, v);
    store<f64>(h + M.EH_MAX, v);
  } else {
    if (v < load<f64>(h + M.EH_MIN)) store<f64>(h + M.EH_MIN, v);
    if (v > load<f64>(h + M.EH_MAX)) store<f64>(h + M.EH_MAX, v);
  }
  store<u64>(h + M.EH_COUNT, count + 1);
  store<f64>(h + M.EH_SUM, load<f64>(h + M.EH_SUM) + v);
  return true;
}

/** A standalone histogram for tests of the core: records `n` f64 values from `values`. */
export function expoRecordMany(h: usize, values: usize, n: u32): u32 {
  for (let i: u32 = 0; i < n; i++) if (!expoRecord(h, load<f64>(values + (<usize>i << 3)))) return 1;
  return 0;
}

/** Allocation used by expoNew's callers that must not go through a series (tests). */
export function expoAlloc(maxSize: u32): usize {
  return maxSize < 2 ? 0 : expoNew(maxSize);
}

