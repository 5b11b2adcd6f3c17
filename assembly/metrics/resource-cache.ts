// A cache of what a connector worked out about a resource (its record, where its service.name and
// dimension values sit), keyed by the exact bytes of the Resource message. Batches from the same
// process repeat the same Resource bytes over and over, so after the first batch a resource costs a
// hash and a compare instead of a walk over its attributes. Positions are stored relative to the
// Resource message, which makes them valid in any batch carrying the same bytes.
//
// Only ResourceSpans with exactly one Resource message are cached (several would merge; rare enough
// to take the slow path). The owner clears the cache whenever the records it points to move.
import * as L from '../abi/trace-layout';
import * as M from '../abi/derived-metrics-layout';
import { readVarintTrusted, skipTrusted, next, WT_LEN } from '../wire/reader';
import { hash32 } from '../hash';
import { tableNew, tableFind, tableInsert, tableRecord, tableClear } from './series-table';

const TAG_RESOURCE: u32 = (1 << 3) | WT_LEN;

// Record payload (after R_HEADER).
export const RC_VALUE = 16; // u32: the owner's value (a resource record index, or a flag)
export const RC_SVC_OFF = 20; // u32: service.name string start, relative to the message; NONE when absent
export const RC_SVC_LEN = 24;
export const RC_SLOTS = 28; // per slot: start, end (relative), flags
export const RC_MAX_ENTRIES: u32 = 4096;

/** Range of the single Resource message of a ResourceSpans row (0 length and false when not exactly one). */
export let rcMsgStart: usize = 0;
export let rcMsgEnd: usize = 0;

/** Finds the one Resource message of the row; false when there are none or several. */
export function singleResource(IN: usize, rrow: usize): bool {
  let p = IN + <usize>load<u32>(rrow + L.R_CONTENT_START);
  let e = IN + <usize>load<u32>(rrow + L.R_CONTENT_END);
  let found = 0;
  while (p < e) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == TAG_RESOURCE) {
      let len = <usize>readVarintTrusted(p);
      rcMsgStart = next;
      rcMsgEnd = next + len;
      p = rcMsgEnd;
      if (++found > 1) return false;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
  return found == 1;
}

export function cacheNew(slots: u32): usize {
  return tableNew((RC_SLOTS + slots * 12 + 7) & ~7);
}

/** The cached record for the message at [rcMsgStart, rcMsgEnd), or -1. */
export function cacheFind(cache: usize): i32 {
  let n = <u32>(rcMsgEnd - rcMsgStart);
  return tableFind(cache, rcMsgStart, n, hash32(rcMsgStart, n));
}

/** Adds a record for the current message (cleared first when full); -1 when out of memory. */
export function cacheAdd(cache: usize): i32 {
  if (load<u32>(cache + M.T_LIVE) >= RC_MAX_ENTRIES) tableClear(cache);
  let n = <u32>(rcMsgEnd - rcMsgStart);
  return tableInsert(cache, rcMsgStart, n, hash32(rcMsgStart, n));
}

// @ts-ignore: decorator
@inline export function cacheRecord(cache: usize, idx: i32): usize {
  return tableRecord(cache, <u32>idx);
}
