// What the gateway's trace store asks of a batch, one call each: put its trace ids into a block's
// bloom filter, mark the spans of one trace (a by-id lookup after the bloom said "maybe"), and
// the time range its spans cover (blocks are skipped by time before they are searched).
import * as L from '../abi/trace-layout';
import { bloomInsertHash, bloomKeyHash } from '../processors/bloom';

// @ts-ignore: decorator
@inline function sameId16(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a + 8) == load<u64>(b + 8);
}

/**
 * Adds the trace id of every span of the indexed batch at `header` to the bloom filter `f`. Spans
 * of a trace usually sit together, so a run of one id is added once. Returns the ids added.
 */
export function storeAddTraceIds(f: usize, header: usize): u32 {
  let n = load<u32>(header + L.B_SPAN_COUNT);
  let row = <usize>load<u32>(header + L.B_SPANS);
  let prev: usize = 0;
  let added: u32 = 0;
  for (let i: u32 = 0; i < n; i++, row += L.SP_ROW) {
    let id = row + L.SP_TRACE_ID;
    if (prev && sameId16(prev, id)) continue;
    bloomInsertHash(f, bloomKeyHash(id, 16));
    prev = id;
    added++;
  }
  return added;
}

/** Writes 1 to out[i] for each span whose trace id equals the 16 bytes at `id`, else 0; returns the count. */
export function storeMatchTraceId(header: usize, id: usize, out: usize): u32 {
  let n = load<u32>(header + L.B_SPAN_COUNT);
  let row = <usize>load<u32>(header + L.B_SPANS);
  let hits: u32 = 0;
  for (let i: u32 = 0; i < n; i++, row += L.SP_ROW) {
    let yes = sameId16(row + L.SP_TRACE_ID, id);
    store<u8>(out + i, yes ? 1 : 0);
    hits += yes ? 1 : 0;
  }
  return hits;
}

/** Earliest start and latest end (Unix ns) of the batch's spans, as two u64 at `out`; 0, 0 without spans. */
export function storeTimeRange(header: usize, out: usize): void {
  let n = load<u32>(header + L.B_SPAN_COUNT);
  let row = <usize>load<u32>(header + L.B_SPANS);
  let lo: u64 = n ? u64.MAX_VALUE : 0;
  let hi: u64 = 0;
  for (let i: u32 = 0; i < n; i++, row += L.SP_ROW) {
    let s = load<u64>(row + L.SP_START);
    let e = load<u64>(row + L.SP_END);
    if (s < lo) lo = s;
    if (e > hi) hi = e;
    if (s > hi) hi = s;
  }
  store<u64>(out, lo);
  store<u64>(out + 8, hi);
}
