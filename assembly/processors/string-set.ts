// A set of distinct byte strings in core memory (the attribute editor's keys and values of a batch):
// rows of a caller-chosen size that start with (ptr, len, hash), in a list, with an open-addressing
// index kept at most half full. The set header is 24 bytes (SS_*), zeroed to start.
import { allocZeroed, free, realloc } from '../mem/alloc';
import { bytesEqual, hash32 } from '../hash';

// A set of byte strings: rows in a list (row size per set) and an open-addressing index.
export const SS_LIST = 0;
export const SS_CAP = 4;
export const SS_COUNT = 8;
export const SS_TABLE = 12;
export const SS_MASK = 16;
export const SS_ROW = 20;

export function ssInit(set: usize, rowSize: u32): void {
  if (!load<u32>(set + SS_ROW)) store<u32>(set + SS_ROW, rowSize);
  store<u32>(set + SS_COUNT, 0);
  let table = <usize>load<u32>(set + SS_TABLE);
  if (table) memory.fill(table, 0, <usize>(load<u32>(set + SS_MASK) + 1) * 4);
}

export function ssFind(set: usize, p: usize, len: u32, h: u32): i32 {
  let table = <usize>load<u32>(set + SS_TABLE);
  if (!table) return -1;
  let list = <usize>load<u32>(set + SS_LIST);
  let mask = load<u32>(set + SS_MASK);
  let row = <usize>load<u32>(set + SS_ROW);
  let i = h & mask;
  while (true) {
    let e = load<u32>(table + <usize>i * 4);
    if (!e) return -1;
    let r = list + <usize>(e - 1) * row;
    // Rows start with (ptr, len, hash) in both sets.
    if (load<u32>(r + 8) == h && load<u32>(r + 4) == len && bytesEqual(<usize>load<u32>(r), p, len)) return <i32>(e - 1);
    i = (i + 1) & mask;
  }
  return -1;
}

export function ssAdd(set: usize, p: usize, len: u32): bool {
  let h = hash32(p, len);
  if (ssFind(set, p, len, h) >= 0) return true;
  let count = load<u32>(set + SS_COUNT);
  let cap = load<u32>(set + SS_CAP);
  let row = <usize>load<u32>(set + SS_ROW);
  if (count >= cap) {
    // Grow list and index together (the index stays at most half full).
    let newCap = max<u32>(cap * 2, 64);
    let list = realloc(<usize>load<u32>(set + SS_LIST), <usize>newCap * row);
    if (!list) return false;
    store<u32>(set + SS_LIST, <u32>list);
    let table = allocZeroed(<usize>newCap * 2 * 4);
    if (!table) return false;
    free(<usize>load<u32>(set + SS_TABLE));
    store<u32>(set + SS_TABLE, <u32>table);
    store<u32>(set + SS_MASK, newCap * 2 - 1);
    store<u32>(set + SS_CAP, newCap);
    let mask = newCap * 2 - 1;
    for (let k: u32 = 0; k < count; k++) {
      let j = load<u32>(list + <usize>k * row + 8) & mask;
      while (load<u32>(table + <usize>j * 4)) j = (j + 1) & mask;
      store<u32>(table + <usize>j * 4, k + 1);
    }
  }
  let list = <usize>load<u32>(set + SS_LIST);
  let table = <usize>load<u32>(set + SS_TABLE);
  let mask = load<u32>(set + SS_MASK);
  let r = list + <usize>count * row;
  memory.fill(r, 0, row);
  store<u32>(r, <u32>p);
  store<u32>(r + 4, len);
  store<u32>(r + 8, h);
  let j = h & mask;
  while (load<u32>(table + <usize>j * 4)) j = (j + 1) & mask;
  store<u32>(table + <usize>j * 4, count + 1);
  store<u32>(set + SS_COUNT, count + 1);
  return true;
}
