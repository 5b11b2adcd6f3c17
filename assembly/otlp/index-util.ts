// Small pieces every signal's index pass uses the same way: ids, saturating counters, growable row
// tables and the options block.
import * as E from '../abi/errors';
import * as B from '../abi/batch-layout';
import { realloc } from '../mem/alloc';
import { fail, failPlain, failed } from '../errors';
import { readLen, next } from '../wire/reader';

export const UNLIMITED: u32 = 0xffffffff;

export function wrongWireType(tag: u32, at: usize): void {
  fail(E.ERR_WRONG_WIRE_TYPE, at, tag & 7);
}

/**
 * Reads an id field (length prefix at `p`) of exactly `size` bytes, or none, into `dst` (zeroed when
 * empty); returns its length, or -1 with an error for any other length.
 */
export function readId(p: usize, ce: usize, at: usize, dst: usize, size: u32): i32 {
  let len = readLen(p, ce);
  if (failed) return -1;
  // Direct 8-byte moves: memory.copy/fill of a few bytes is a runtime call in V8.
  if (len == size) {
    store<u64>(dst, load<u64>(next));
    if (size == 16) store<u64>(dst + 8, load<u64>(next + 8));
  } else if (len == 0) {
    store<u64>(dst, 0);
    if (size == 16) store<u64>(dst + 8, 0);
  } else {
    fail(E.ERR_INVALID_ID_LENGTH, at, len);
    return -1;
  }
  return <i32>len;
}

/**
 * Starts a message's row: its field [fieldStart, ce) with content from `cs`, as offsets from
 * `input`, and the index of its owner (abi/batch-layout.ts I_*).
 */
export function startRow(row: usize, input: usize, fieldStart: usize, cs: usize, ce: usize, owner: u32): void {
  store<u32>(row + B.I_FIELD_START, <u32>(fieldStart - input));
  store<u32>(row + B.I_CONTENT_START, <u32>(cs - input));
  store<u32>(row + B.I_CONTENT_END, <u32>(ce - input));
  store<u32>(row + B.I_OWNER, owner);
}

/** Dropped counts add the entries the limits cut to what the sender already dropped, without wrapping. */
// @ts-ignore: decorator
@inline export function satAdd(a: u32, b: u32): u32 {
  let s = <u64>a + <u64>b;
  return s > 0xffffffff ? 0xffffffff : <u32>s;
}

/** The capacity the last growTable call settled on. */
export let grownCapacity: u32 = 0;

/**
 * Grows a row table of `cap` rows by half again plus a little, so appends stay amortised O(1).
 * Returns the (possibly moved) table; over budget, the old table unchanged, the error recorded and
 * grownCapacity left at `cap` — so `table = growTable(table, cap, row); cap = grownCapacity;` is safe
 * either way and the caller checks whether the row it needs now fits.
 */
export function growTable(ptr: usize, cap: u32, rowSize: usize): usize {
  let newCap = cap + (cap >> 1) + 16;
  let p = realloc(ptr, <usize>newCap * rowSize);
  if (!p) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>newCap * rowSize);
    grownCapacity = cap;
    return ptr;
  }
  grownCapacity = newCap;
  return p;
}

/**
 * Gives back the rows a growable table did not use once indexing is done (batches are held while
 * pipelines work on them; an over-estimated table would be held with them). Shrinking splits the
 * block in place, so it neither copies nor fails.
 */
export function shrinkTable(ptr: usize, count: u32, rowSize: usize): usize {
  let p = realloc(ptr, <usize>max<u32>(count, 1) * rowSize);
  return p ? p : ptr;
}

/** A u32 from the options block, or `fallback` when no block was passed. */
export function readLimit(opts: usize, at: usize, fallback: u32): u32 {
  return opts ? load<u32>(opts + at) : fallback;
}
