// A hash table of series: fixed-stride records found by the bytes of their key. Keys are copied
// into an arena owned by the table, so a series outlives the batch that created it. Slots hold the
// key hash next to the record index, so a probe compares bytes only when the hashes agree.
// Records are never moved while a batch is being aggregated; removal marks them dead and
// `tableCompact` drops them between batches (after a collection), rebuilding the slots.
import * as M from '../abi/derived-metrics-layout';
import { alloc, allocZeroed, realloc, free } from '../mem/alloc';
import { bytesEqual } from '../hash';

/** Whether the last tableFindOrInsert created the record. */
export let inserted: bool = false;

export function tableNew(stride: u32): usize {
  let t = allocZeroed(M.T_SIZE);
  if (!t) return 0;
  let slotCap: u32 = 64;
  let slots = allocZeroed(<usize>slotCap * 8);
  let recCap: u32 = 16;
  let recs = allocZeroed(<usize>recCap * stride);
  let arenaCap: u32 = 1024;
  let arena = alloc(arenaCap);
  if (!slots || !recs || !arena) {
    free(slots);
    free(recs);
    free(arena);
    free(t);
    return 0;
  }
  store<u32>(t + M.T_SLOTS, <u32>slots);
  store<u32>(t + M.T_SLOT_CAP, slotCap);
  store<u32>(t + M.T_RECS, <u32>recs);
  store<u32>(t + M.T_REC_CAP, recCap);
  store<u32>(t + M.T_STRIDE, stride);
  store<u32>(t + M.T_ARENA, <u32>arena);
  store<u32>(t + M.T_ARENA_CAP, arenaCap);
  return t;
}

export function tableFree(t: usize): void {
  if (!t) return;
  free(<usize>load<u32>(t + M.T_SLOTS));
  free(<usize>load<u32>(t + M.T_RECS));
  free(<usize>load<u32>(t + M.T_ARENA));
  free(t);
}

// @ts-ignore: decorator
@inline export function tableCount(t: usize): u32 {
  return load<u32>(t + M.T_REC_COUNT);
}

// @ts-ignore: decorator
@inline export function tableRecord(t: usize, idx: u32): usize {
  return <usize>load<u32>(t + M.T_RECS) + <usize>idx * <usize>load<u32>(t + M.T_STRIDE);
}

// @ts-ignore: decorator
@inline export function tableKey(t: usize, rec: usize): usize {
  return <usize>load<u32>(t + M.T_ARENA) + <usize>load<u32>(rec + M.R_KEY_OFF);
}

/** Puts record `idx` (hash `h`) into the first free slot of its probe sequence. */
function placeSlot(slots: usize, mask: u32, h: u32, idx: u32): void {
  let i = h & mask;
  while (load<u32>(slots + <usize>i * 8 + 4) != 0) i = (i + 1) & mask;
  store<u64>(slots + <usize>i * 8, <u64>h | (<u64>(idx + 1) << 32));
}

function growSlots(t: usize): bool {
  let cap = load<u32>(t + M.T_SLOT_CAP) << 1;
  let slots = allocZeroed(<usize>cap * 8);
  if (!slots) return false;
  let mask = cap - 1;
  let n = tableCount(t);
  for (let i: u32 = 0; i < n; i++) {
    let rec = tableRecord(t, i);
    if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) continue;
    placeSlot(slots, mask, load<u32>(rec + M.R_HASH), i);
  }
  free(<usize>load<u32>(t + M.T_SLOTS));
  store<u32>(t + M.T_SLOTS, <u32>slots);
  store<u32>(t + M.T_SLOT_CAP, cap);
  return true;
}

/** Finds the live record with this key, or -1. */
export function tableFind(t: usize, key: usize, len: u32, h: u32): i32 {
  let slots = <usize>load<u32>(t + M.T_SLOTS);
  let mask = load<u32>(t + M.T_SLOT_CAP) - 1;
  let arena = <usize>load<u32>(t + M.T_ARENA);
  let i = h & mask;
  while (true) {
    let slot = load<u64>(slots + <usize>i * 8);
    let ref = <u32>(slot >> 32);
    if (ref == 0) return -1;
    if (<u32>slot == h) {
      let rec = tableRecord(t, ref - 1);
      if (load<u32>(rec + M.R_KEY_LEN) == len && bytesEqual(arena + <usize>load<u32>(rec + M.R_KEY_OFF), key, len)) {
        if (!(load<u32>(rec + M.R_FLAGS) & M.RF_DEAD)) return <i32>(ref - 1);
      }
    }
    i = (i + 1) & mask;
  }
  return -1;
}

/**
 * The record for `key` (len bytes, hash h), created zeroed when missing (`inserted` tells which).
 * Returns -1 when the memory budget does not allow a new record; the table is then unchanged.
 */
export function tableFindOrInsert(t: usize, key: usize, len: u32, h: u32): i32 {
  inserted = false;
  let found = tableFind(t, key, len, h);
  if (found >= 0) return found;
  return tableInsert(t, key, len, h);
}

/** Appends a record for a key known to be absent; -1 when out of budget. */
export function tableInsert(t: usize, key: usize, len: u32, h: u32): i32 {
  inserted = false;
  let n = tableCount(t);
  let stride = load<u32>(t + M.T_STRIDE);
  // Grow everything first so that a refusal leaves the table as it was.
  if ((n + 1) * 4 > load<u32>(t + M.T_SLOT_CAP) * 3 && !growSlots(t)) return -1;
  let recCap = load<u32>(t + M.T_REC_CAP);
  if (n == recCap) {
    let newCap = recCap * 2;
    let recs = realloc(<usize>load<u32>(t + M.T_RECS), <usize>newCap * stride);
    if (!recs) return -1;
    store<u32>(t + M.T_RECS, <u32>recs);
    store<u32>(t + M.T_REC_CAP, newCap);
  }
  let arenaLen = load<u32>(t + M.T_ARENA_LEN);
  let arenaCap = load<u32>(t + M.T_ARENA_CAP);
  if (arenaLen + len > arenaCap) {
    let newCap = max<u32>(arenaCap * 2, arenaLen + len + 1024);
    let arena = realloc(<usize>load<u32>(t + M.T_ARENA), newCap);
    if (!arena) return -1;
    store<u32>(t + M.T_ARENA, <u32>arena);
    store<u32>(t + M.T_ARENA_CAP, newCap);
  }
  memory.copy(<usize>load<u32>(t + M.T_ARENA) + arenaLen, key, len);
  store<u32>(t + M.T_ARENA_LEN, arenaLen + len);
  let rec = tableRecord(t, n);
  memory.fill(rec, 0, stride);
  store<u32>(rec + M.R_HASH, h);
  store<u32>(rec + M.R_KEY_OFF, arenaLen);
  store<u32>(rec + M.R_KEY_LEN, len);
  store<u32>(t + M.T_REC_COUNT, n + 1);
  store<u32>(t + M.T_LIVE, load<u32>(t + M.T_LIVE) + 1);
  placeSlot(<usize>load<u32>(t + M.T_SLOTS), load<u32>(t + M.T_SLOT_CAP) - 1, h, n);
  inserted = true;
  return <i32>n;
}

/** Marks a record removed; its slot keeps probing intact until the next compaction. */
export function tableKill(t: usize, idx: u32): void {
  let rec = tableRecord(t, idx);
  let flags = load<u32>(rec + M.R_FLAGS);
  if (flags & M.RF_DEAD) return;
  store<u32>(rec + M.R_FLAGS, flags | M.RF_DEAD);
  store<u32>(t + M.T_LIVE, load<u32>(t + M.T_LIVE) - 1);
}

/**
 * Drops dead records, packing the live ones (and their keys) to the front and rebuilding the slots.
 * `remap`, when not 0, receives per old index the new index (or 0xFFFFFFFF for a dead one), so an
 * owner can fix references. The arena is packed in place (live keys only ever move down).
 */
export function tableCompact(t: usize, remap: usize): void {
  let n = tableCount(t);
  let stride = <usize>load<u32>(t + M.T_STRIDE);
  let arena = <usize>load<u32>(t + M.T_ARENA);
  let out: u32 = 0;
  let arenaOut: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let rec = tableRecord(t, i);
    if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) {
      if (remap) store<u32>(remap + <usize>i * 4, 0xffffffff);
      continue;
    }
    let len = load<u32>(rec + M.R_KEY_LEN);
    memory.copy(arena + arenaOut, arena + <usize>load<u32>(rec + M.R_KEY_OFF), len);
    store<u32>(rec + M.R_KEY_OFF, arenaOut);
    arenaOut += len;
    if (out != i) memory.copy(tableRecord(t, out), rec, stride);
    if (remap) store<u32>(remap + <usize>i * 4, out);
    out++;
  }
  store<u32>(t + M.T_REC_COUNT, out);
  store<u32>(t + M.T_LIVE, out);
  store<u32>(t + M.T_ARENA_LEN, arenaOut);
  let slots = <usize>load<u32>(t + M.T_SLOTS);
  let cap = load<u32>(t + M.T_SLOT_CAP);
  memory.fill(slots, 0, <usize>cap * 8);
  for (let i: u32 = 0; i < out; i++) placeSlot(slots, cap - 1, load<u32>(tableRecord(t, i) + M.R_HASH), i);
}

/** Empties the table, keeping its allocations. */
export function tableClear(t: usize): void {
  store<u32>(t + M.T_REC_COUNT, 0);
  store<u32>(t + M.T_LIVE, 0);
  store<u32>(t + M.T_ARENA_LEN, 0);
  memory.fill(<usize>load<u32>(t + M.T_SLOTS), 0, <usize>load<u32>(t + M.T_SLOT_CAP) * 8);
}
