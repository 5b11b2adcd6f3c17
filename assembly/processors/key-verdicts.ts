// Key-pattern verdicts matched in the core: for a plan that carries its key patterns' compiled
// programs (EP_KEY_PATTERNS — attributes `pattern` on delete/hash, redaction's ignored and blocked
// key patterns), the verdict bits of a key (bit i: pattern i matches) are computed here on first
// sight and remembered in a cache that lives with the plan across batches. Keys are few and
// repeat in every batch, so after the first batches each lookup is one hash probe — and no pass
// over the batch is needed to collect its keys first. Keys with ill-formed UTF-8 are matched in
// their replaced form, as JavaScript decodes them (the facade's verdicts, the bindings' runner).
import * as A from '../abi/attr-edit-layout';
import { alloc, allocZeroed, free } from '../mem/alloc';
import { bytesEqual, hash32 } from '../hash';
import { regexRun } from '../regex/match';
import { utf8Replace, utf8Valid } from '../pipeline/utf8-replace';

// The cache: a header of (list, cap, count, table, mask), rows of (key copy, length, hash, bits).
const C_LIST = 0;
const C_CAP = 4;
const C_COUNT = 8;
const C_TABLE = 12;
const C_MASK = 16;
const C_SIZE = 20;
const R_KEY = 0;
const R_LEN = 4;
const R_HASH = 8;
const R_BITS = 12;
const R_SIZE = 16;

/** Most keys remembered per plan; past it the cache starts over (bounds a stream of unique keys). */
const CACHE_LIMIT: u32 = 8192;

// Key-pattern table (the pipeline program's KP layout): count, then (program, length) rows.
const KP_COUNT = 0;
const KP_FIRST = 8;
const KP_ROW = 8;

let subject: usize = 0;
let subjectCap: usize = 0;

/** Whether `plan` carries its key patterns' programs (verdicts come from here, not the facade). */
export function planMatchesKeys(plan: usize): bool {
  return load<u32>(plan + A.EP_KEY_PATTERNS) != 0;
}

/** Verdict bits of the key [key, +len) under the plan's patterns; -1 when memory ran out. */
export function planKeyBits(plan: usize, key: usize, len: u32): i64 {
  let cache = <usize>load<u32>(plan + A.EP_KEY_CACHE);
  if (!cache) {
    cache = allocZeroed(C_SIZE);
    if (!cache) return -1;
    store<u32>(plan + A.EP_KEY_CACHE, <u32>cache);
  }
  let h = hash32(key, len);
  let table = <usize>load<u32>(cache + C_TABLE);
  if (table) {
    let list = <usize>load<u32>(cache + C_LIST);
    let mask = load<u32>(cache + C_MASK);
    let i = h & mask;
    while (true) {
      let e = load<u32>(table + <usize>i * 4);
      if (!e) break;
      let r = list + <usize>(e - 1) * R_SIZE;
      if (load<u32>(r + R_HASH) == h && load<u32>(r + R_LEN) == len && bytesEqual(<usize>load<u32>(r + R_KEY), key, len)) return <i64>load<u32>(r + R_BITS);
      i = (i + 1) & mask;
    }
  }
  let bits = matchKey(<usize>load<u32>(plan + A.EP_KEY_PATTERNS), key, len);
  if (bits < 0 || !remember(cache, key, len, h, <u32>bits)) return -1;
  return bits;
}

/** Bit i set when pattern i of the KP table matches the key; -1 out of memory. */
function matchKey(patterns: usize, key: usize, keyLen: usize): i64 {
  let p = key;
  let n = keyLen;
  if (!utf8Valid(key, keyLen)) {
    n = utf8Replace(0, key, keyLen);
    if (n > subjectCap) {
      free(subject);
      subject = alloc(n);
      subjectCap = subject ? n : 0;
      if (!subject) return -1;
    }
    utf8Replace(subject, key, keyLen);
    p = subject;
  }
  let count = load<u32>(patterns + KP_COUNT);
  let bits: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    let r = regexRun(<usize>load<u32>(patterns + KP_FIRST + <usize>i * KP_ROW), p, n);
    if (r < 0) return -1;
    if (r == 1) bits |= <u32>1 << i;
  }
  return <i64>bits;
}

/** Adds a copy of the key with its bits; false out of memory. */
function remember(cache: usize, key: usize, len: u32, h: u32, bits: u32): bool {
  let count = load<u32>(cache + C_COUNT);
  if (count >= CACHE_LIMIT) {
    forget(cache);
    count = 0;
  }
  let cap = load<u32>(cache + C_CAP);
  if (count >= cap) {
    let newCap = max<u32>(cap * 2, 64);
    let list = allocZeroed(<usize>newCap * R_SIZE);
    let table = allocZeroed(<usize>newCap * 2 * 4);
    if (!list || !table) {
      free(list);
      free(table);
      return false;
    }
    let old = <usize>load<u32>(cache + C_LIST);
    if (old) memory.copy(list, old, <usize>count * R_SIZE);
    free(old);
    free(<usize>load<u32>(cache + C_TABLE));
    let mask = newCap * 2 - 1;
    for (let k: u32 = 0; k < count; k++) {
      let j = load<u32>(list + <usize>k * R_SIZE + R_HASH) & mask;
      while (load<u32>(table + <usize>j * 4)) j = (j + 1) & mask;
      store<u32>(table + <usize>j * 4, k + 1);
    }
    store<u32>(cache + C_LIST, <u32>list);
    store<u32>(cache + C_TABLE, <u32>table);
    store<u32>(cache + C_MASK, mask);
    store<u32>(cache + C_CAP, newCap);
  }
  let copy = alloc(max<usize>(<usize>len, 1));
  if (!copy) return false;
  memory.copy(copy, key, len);
  let r = <usize>load<u32>(cache + C_LIST) + <usize>count * R_SIZE;
  store<u32>(r + R_KEY, <u32>copy);
  store<u32>(r + R_LEN, len);
  store<u32>(r + R_HASH, h);
  store<u32>(r + R_BITS, bits);
  let table = <usize>load<u32>(cache + C_TABLE);
  let mask = load<u32>(cache + C_MASK);
  let j = h & mask;
  while (load<u32>(table + <usize>j * 4)) j = (j + 1) & mask;
  store<u32>(table + <usize>j * 4, count + 1);
  store<u32>(cache + C_COUNT, count + 1);
  return true;
}

/** Empties the cache (key copies freed; list and table kept for reuse). */
function forget(cache: usize): void {
  let list = <usize>load<u32>(cache + C_LIST);
  let count = load<u32>(cache + C_COUNT);
  for (let k: u32 = 0; k < count; k++) free(<usize>load<u32>(list + <usize>k * R_SIZE + R_KEY));
  store<u32>(cache + C_COUNT, 0);
  let table = <usize>load<u32>(cache + C_TABLE);
  if (table) memory.fill(table, 0, <usize>(load<u32>(cache + C_MASK) + 1) * 4);
}

/** Frees the verdict cache of `plan` (the plan itself stays): before the plan's block is freed. */
export function editPlanRelease(plan: usize): void {
  let cache = <usize>load<u32>(plan + A.EP_KEY_CACHE);
  if (!cache) return;
  forget(cache);
  free(<usize>load<u32>(cache + C_LIST));
  free(<usize>load<u32>(cache + C_TABLE));
  free(cache);
  store<u32>(plan + A.EP_KEY_CACHE, 0);
}
