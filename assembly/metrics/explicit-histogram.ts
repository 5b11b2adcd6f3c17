// Explicit-bucket histograms (XH_* layout, inline in a series record). Bucket i counts values in
// (bounds[i-1], bounds[i]]: a value equal to a bound lands in that bound's bucket, like Prometheus'
// `le` and the collector's sort.SearchFloat64s; the last bucket is (bounds[n-1], +Inf).
import * as M from '../abi/derived-metrics-layout';

/** Index of the first bound >= v (n when v is above every bound, or NaN). */
// @ts-ignore: decorator
@inline export function explicitIndex(bounds: usize, n: u32, v: f64): u32 {
  let lo: u32 = 0;
  let hi = n;
  while (lo < hi) {
    let mid = (lo + hi) >>> 1;
    if (load<f64>(bounds + (<usize>mid << 3)) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Records v into the histogram at h (n bounds). */
// @ts-ignore: decorator
@inline export function explicitRecord(h: usize, bounds: usize, n: u32, v: f64): void {
  let count = load<u64>(h + M.XH_COUNT);
  if (count == 0) {
    store<f64>(h + M.XH_MIN, v);
    store<f64>(h + M.XH_MAX, v);
  } else {
    if (v < load<f64>(h + M.XH_MIN)) store<f64>(h + M.XH_MIN, v);
    if (v > load<f64>(h + M.XH_MAX)) store<f64>(h + M.XH_MAX, v);
  }
  store<u64>(h + M.XH_COUNT, count + 1);
  store<f64>(h + M.XH_SUM, load<f64>(h + M.XH_SUM) + v);
  let b = h + M.XH_BUCKETS + (<usize>explicitIndex(bounds, n, v) << 3);
  store<u64>(b, load<u64>(b) + 1);
}

/** Bytes an explicit histogram with n bounds takes in a record. */
export function explicitSize(n: u32): u32 {
  return M.XH_BUCKETS + (n + 1) * 8;
}

/** Zeroes the histogram (delta temporality after a collection). */
export function explicitReset(h: usize, n: u32): void {
  memory.fill(h, 0, explicitSize(n));
}
