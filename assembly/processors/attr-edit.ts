// The attribute editor: runs an edit plan (attributes or redaction processor) over every attribute
// map of a batch in one call and writes replacement content for the resources, scopes and spans
// it changed, for the splice encoder. Maps are edited as a working list: original entries keep a
// pointer to their KeyValue bytes and are copied unchanged when the map is re-written; only new or
// modified values are encoded. Maps nothing changed in are not re-written at all.
import * as L from '../abi/trace-layout';
import * as A from '../abi/attr-edit-layout';
import * as E from '../abi/errors';
import { alloc, allocZeroed, free, realloc } from '../mem/alloc';
import { copyBytes } from '../mem/copy';
import { clearError, failPlain } from '../errors';
import { bytesEqual, hash32 } from '../hash';
import { readVarintTrusted, skipTrusted, next } from '../wire/reader';
import { varintSize, writeVarint } from '../wire/writer';
import { nextField, fieldEnd, kvParts, kvKey, kvKeyLen, readAnyValue, rawType, rawValue } from './raw-attr';
import { sha256Hex } from './sha256';
import { findAt } from '../regex/find';
import { valueAllowed, maskBlocked, maskWhole, maskedText, maskedLen } from './value-masking';
import { planMatchesKeys, planKeyBits } from './key-verdicts';
import { matchesSpan, inStringList } from './match-properties';
import { SS_LIST, SS_CAP, SS_COUNT, ssInit, ssFind, ssAdd } from './string-set';
import { formatDouble, parseDouble, parseInt64, formatInt, parsedInt, parsedDouble } from './number-text';

// Working list entry.
const W_KEY = 0;
const W_KEY_LEN = 4;
const W_KEY_HASH = 8;
const W_KIND = 12;
const W_A = 16; // u64
const W_B = 24;
const W_VTYPE = 28; // K_RAW: the value's type (V_*)
const W_VAL = 32; // K_RAW: u64 payload as in attribute rows (string: absolute ptr | len << 32)
const W_FIELD = 40; // K_RAW: where the whole field (tag, length, content) starts in the input
const W_SIZE: usize = 48;

const K_DELETED: u32 = 0;
const K_RAW: u32 = 1; // unchanged original: A = KeyValue content ptr, B = len
const K_STR_ABS: u32 = 2; // string at A (absolute), B bytes
const K_STR_ARENA: u32 = 3; // string at arena offset A, B bytes
const K_INT: u32 = 4;
const K_DOUBLE: u32 = 5;
const K_BOOL: u32 = 6;
const K_RAW_VALUE: u32 = 7; // AnyValue content copied as bytes: A ptr, B len

const RESULT = memory.data(A.ER_SIZE, 8);

export function editResult(): usize {
  return RESULT;
}

let IN: usize = 0;
let HEADER: usize = 0;
let PLAN: usize = 0;
let work: usize = 0;
let workCap: u32 = 0;
let workLen: u32 = 0;
let arena: usize = 0;
let arenaCap: usize = 0;
let arenaLen: usize = 0;
let oomFlag = false;
let changed = false;

function reserveArena(n: usize): bool {
  if (arenaLen + n <= arenaCap) return true;
  let cap = max<usize>(arenaCap * 2, arenaLen + n + 4096);
  let p = realloc(arena, cap);
  if (!p) {
    oomFlag = true;
    return false;
  }
  arena = p;
  arenaCap = cap;
  return true;
}

function entry(i: u32): usize {
  return work + <usize>i * W_SIZE;
}

function pushEntry(): usize {
  if (workLen >= workCap) {
    let cap = max<u32>(workCap * 2, 64);
    let p = realloc(work, <usize>cap * W_SIZE);
    if (!p) {
      oomFlag = true;
      return 0;
    }
    work = p;
    workCap = cap;
  }
  let e = entry(workLen++);
  // Stores rather than memory.fill: one entry per attribute per map is too small for a bulk call.
  store<u64>(e, 0);
  store<u64>(e, 0, 8);
  store<u64>(e, 0, 16);
  store<u64>(e, 0, 24);
  store<u64>(e, 0, 32);
  store<u64>(e, 0, 40);
  return e;
}

/**
 * Loads the first `count` KeyValue fields tagged `tag` in [cs, ce), reading keys and values from
 * the bytes (validated by the index) rather than the attribute table, so editing needs no table.
 */
function loadList(cs: usize, ce: usize, tag: u32, count: u32): bool {
  workLen = 0;
  changed = false;
  if (!count) return true;
  let n: u32 = 0;
  let p = cs;
  while (p < ce && n < count) {
    let at = p;
    let t = <u32>readVarintTrusted(p);
    if (t == tag) {
      let len = <usize>readVarintTrusted(next);
      let vs = next;
      let e = pushEntry();
      if (!e) return false;
      parseKeyValue(e, vs, vs + len);
      store<u32>(e + W_KIND, K_RAW);
      store<u64>(e + W_A, <u64>vs);
      store<u32>(e + W_B, <u32>len);
      store<u32>(e + W_FIELD, <u32>at);
      n++;
      p = vs + len;
    } else {
      p = skipTrusted(next, t & 7);
    }
  }
  return true;
}

/** Not parsed yet: W_VAL holds the AnyValue's range (ptr | len << 32), parsed on first use. */
const VT_UNPARSED: u32 = 0xff;

/**
 * Key of a KeyValue message and where its value is (last occurrence of each field wins, as in
 * protobuf). The value is decoded only if an action or a rule looks at it.
 */
function parseKeyValue(e: usize, cs: usize, ce: usize): void {
  let key = cs;
  let kl: usize = 0;
  let vs: usize = 0;
  let vl: usize = 0;
  // The canonical shape `0A len key 12 len value` filling the message, without a field loop.
  if (load<u8>(cs) == 0x0a) {
    let k = <usize>readVarintTrusted(cs + 1);
    let kp = next;
    let after = kp + k;
    if (after < ce && load<u8>(after) == 0x12) {
      let l = <usize>readVarintTrusted(after + 1);
      if (next + l == ce) {
        store<u32>(e + W_KEY, <u32>kp);
        store<u32>(e + W_KEY_LEN, <u32>k);
        store<u32>(e + W_VTYPE, VT_UNPARSED);
        store<u64>(e + W_VAL, <u64>next | (<u64>l << 32));
        return;
      }
    }
  }
  let p = cs;
  while (p < ce) {
    let t = <u32>readVarintTrusted(p);
    if (t == 0x0a) {
      kl = <usize>readVarintTrusted(next);
      key = next;
      p = key + kl;
    } else if (t == 0x12) {
      vl = <usize>readVarintTrusted(next);
      vs = next;
      p = vs + vl;
    } else {
      p = skipTrusted(next, t & 7);
    }
  }
  store<u32>(e + W_KEY, <u32>key);
  store<u32>(e + W_KEY_LEN, <u32>kl);
  store<u32>(e + W_VTYPE, VT_UNPARSED);
  store<u64>(e + W_VAL, <u64>vs | (<u64>vl << 32));
}

/** Decodes a K_RAW entry's AnyValue into W_VTYPE / W_VAL. */
function ensureValue(e: usize): void {
  if (load<u32>(e + W_VTYPE) != VT_UNPARSED) return;
  let range = load<u64>(e + W_VAL);
  let q = <usize>(<u32>range);
  readAnyValue(q, q + <usize>(range >> 32));
  store<u32>(e + W_VTYPE, rawType);
  store<u64>(e + W_VAL, rawValue);
}

// Keys are compared by length, then bytes: lists are short and most lengths differ (no hash).
function find(key: usize, len: u32): i32 {
  for (let i: u32 = 0; i < workLen; i++) {
    let e = entry(i);
    if (load<u32>(e + W_KIND) == K_DELETED) continue;
    if (load<u32>(e + W_KEY_LEN) == len && bytesEqual(<usize>load<u32>(e + W_KEY), key, len)) return <i32>i;
  }
  return -1;
}

/** The value type of an entry (V_*). */
function typeOf(e: usize): u32 {
  let k = load<u32>(e + W_KIND);
  if (k == K_RAW) {
    ensureValue(e);
    return load<u32>(e + W_VTYPE);
  }
  if (k == K_STR_ABS || k == K_STR_ARENA) return L.V_STRING;
  if (k == K_INT) return L.V_INT;
  if (k == K_DOUBLE) return L.V_DOUBLE;
  if (k == K_BOOL) return L.V_BOOL;
  return L.V_ARRAY; // raw copies of containers/bytes: only copied, never interpreted
}

/** The raw 64-bit payload of a scalar entry (int, double bits, bool). */
function scalarOf(e: usize): u64 {
  let k = load<u32>(e + W_KIND);
  if (k == K_RAW) {
    ensureValue(e);
    return load<u64>(e + W_VAL);
  }
  return load<u64>(e + W_A);
}

/** Absolute pointer and length of a string entry's bytes (valid until the arena grows). */
function strPtr(e: usize): usize {
  let k = load<u32>(e + W_KIND);
  if (k == K_RAW) {
    ensureValue(e);
    return <usize>(<u32>load<u64>(e + W_VAL));
  }
  if (k == K_STR_ARENA) return arena + <usize>load<u64>(e + W_A);
  return <usize>load<u64>(e + W_A);
}

function strLen(e: usize): u32 {
  let k = load<u32>(e + W_KIND);
  if (k == K_RAW) {
    ensureValue(e);
    return <u32>(load<u64>(e + W_VAL) >> 32);
  }
  return load<u32>(e + W_B);
}

function setArenaString(e: usize, off: usize, len: usize): void {
  store<u32>(e + W_KIND, K_STR_ARENA);
  store<u64>(e + W_A, <u64>off);
  store<u32>(e + W_B, <u32>len);
  changed = true;
}

/** Copies the value of `src` into `dst` (from_attribute). */
function copyValue(dst: usize, src: usize): void {
  let k = load<u32>(src + W_KIND);
  if (k == K_RAW) {
    let type = typeOf(src);
    if (type == L.V_STRING) {
      store<u32>(dst + W_KIND, K_STR_ABS);
      store<u64>(dst + W_A, <u64>strPtr(src));
      store<u32>(dst + W_B, strLen(src));
    } else if (type == L.V_INT || type == L.V_DOUBLE || type == L.V_BOOL) {
      store<u32>(dst + W_KIND, type == L.V_INT ? K_INT : type == L.V_DOUBLE ? K_DOUBLE : K_BOOL);
      store<u64>(dst + W_A, scalarOf(src));
    } else {
      // Containers, bytes, empty: the AnyValue bytes are copied as they are.
      let p = <usize>load<u64>(src + W_A);
      let end = p + load<u32>(src + W_B);
      let vs: usize = 0;
      let vl: usize = 0;
      while (p < end) {
        let t = <u32>readVarintTrusted(p);
        if (t == 0x12) {
          vl = <usize>readVarintTrusted(next);
          vs = next;
          p = vs + vl;
        } else p = skipTrusted(next, t & 7);
      }
      store<u32>(dst + W_KIND, K_RAW_VALUE);
      store<u64>(dst + W_A, <u64>vs);
      store<u32>(dst + W_B, <u32>vl);
    }
  } else {
    store<u32>(dst + W_KIND, k);
    store<u64>(dst + W_A, load<u64>(src + W_A));
    store<u32>(dst + W_B, load<u32>(src + W_B));
  }
  changed = true;
}

// ---------------------------------------------------------------------------------------------
// Encoding a working list

function anyValueSize(e: usize): usize {
  let k = load<u32>(e + W_KIND);
  if (k == K_RAW_VALUE) return load<u32>(e + W_B);
  let t = typeOf(e);
  if (t == L.V_STRING) {
    let n = <usize>strLen(e);
    return 1 + varintSize(<u64>n) + n;
  }
  if (t == L.V_INT) return 1 + varintSize(scalarOf(e));
  if (t == L.V_DOUBLE) return 9;
  if (t == L.V_BOOL) return 2;
  return 0;
}

function writeAnyValue(out: usize, e: usize): usize {
  let k = load<u32>(e + W_KIND);
  if (k == K_RAW_VALUE) {
    let n = <usize>load<u32>(e + W_B);
    copyBytes(out, <usize>load<u64>(e + W_A), n);
    return out + n;
  }
  let t = typeOf(e);
  if (t == L.V_STRING) {
    let n = <usize>strLen(e);
    let q = writeVarint(out, 0x0a);
    q = writeVarint(q, <u64>n);
    copyBytes(q, strPtr(e), n);
    return q + n;
  }
  if (t == L.V_INT) return writeVarint(writeVarint(out, 0x18), scalarOf(e));
  if (t == L.V_DOUBLE) {
    store<u8>(out, 0x21);
    store<u64>(out + 1, scalarOf(e));
    return out + 9;
  }
  store<u8>(out, 0x10);
  store<u8>(out + 1, scalarOf(e) != 0 ? 1 : 0);
  return out + 2;
}

function kvContentSize(e: usize): usize {
  if (load<u32>(e + W_KIND) == K_RAW) return load<u32>(e + W_B);
  let kl = <usize>load<u32>(e + W_KEY_LEN);
  let v = anyValueSize(e);
  return 1 + varintSize(<u64>kl) + kl + 1 + varintSize(<u64>v) + v;
}

/**
 * Size of the working list as fields tagged `tag`. Unchanged entries count their field's bytes as
 * they are in the input (writeList copies them verbatim, length prefix included).
 */
function listSize(tag: u32): usize {
  let size: usize = 0;
  for (let i: u32 = 0; i < workLen; i++) {
    let e = entry(i);
    let k = load<u32>(e + W_KIND);
    if (k == K_DELETED) continue;
    if (k == K_RAW) {
      size += <usize>load<u64>(e + W_A) + <usize>load<u32>(e + W_B) - <usize>load<u32>(e + W_FIELD);
      continue;
    }
    let c = kvContentSize(e);
    size += varintSize(<u64>tag) + varintSize(<u64>c) + c;
  }
  return size;
}

/**
 * Writes the working list as fields tagged `tag` (the tag it was loaded with). Unchanged entries
 * that sat next to each other in the input go out as one copy: a map with one key deleted or
 * added is a few copies, not one per attribute.
 */
function writeList(out: usize, tag: u32): usize {
  let runStart: usize = 0;
  let runEnd: usize = 0;
  for (let i: u32 = 0; i < workLen; i++) {
    let e = entry(i);
    let k = load<u32>(e + W_KIND);
    if (k == K_DELETED) continue;
    if (k == K_RAW) {
      let fs = <usize>load<u32>(e + W_FIELD);
      let fe = <usize>load<u64>(e + W_A) + <usize>load<u32>(e + W_B);
      if (runEnd && fs == runEnd) {
        runEnd = fe;
        continue;
      }
      if (runEnd) {
        copyBytes(out, runStart, runEnd - runStart);
        out += runEnd - runStart;
      }
      runStart = fs;
      runEnd = fe;
      continue;
    }
    if (runEnd) {
      copyBytes(out, runStart, runEnd - runStart);
      out += runEnd - runStart;
      runEnd = 0;
    }
    let c = kvContentSize(e);
    out = writeVarint(out, <u64>tag);
    out = writeVarint(out, <u64>c);
    let kl = <usize>load<u32>(e + W_KEY_LEN);
    out = writeVarint(writeVarint(out, 0x0a), <u64>kl);
    copyBytes(out, <usize>load<u32>(e + W_KEY), kl);
    out += kl;
    out = writeVarint(writeVarint(out, 0x12), <u64>anyValueSize(e));
    out = writeAnyValue(out, e);
  }
  if (runEnd) {
    copyBytes(out, runStart, runEnd - runStart);
    out += runEnd - runStart;
  }
  return out;
}

/**
 * Writes message content [cs, ce) into the arena with its attribute fields (`tag`) replaced by the
 * working list, and fields in `subTag` occurrences replaced by nested content from `sub` (a table
 * of (arena offset + 1, len) per occurrence, or 0). Returns the arena offset; length in lastLen.
 */
let lastLen: usize = 0;

function rewrite(cs: usize, ce: usize, tag: u32, listChanged: bool, subTag1: u32, sub1: usize, subTag2: u32, sub2: usize): usize {
  let listBytes = listChanged ? listSize(tag) : 0;
  // Upper bound: the original content, the new list, and nested replacements.
  let bound = (ce - cs) + listBytes;
  let n1: u32 = 0;
  let n2: u32 = 0;
  let p = cs;
  if (sub1 || sub2) {
    while (p < ce) {
      let t = <u32>readVarintTrusted(p);
      let after = skipTrusted(next, t & 7);
      if (sub1 && t == subTag1) {
        let off = load<u32>(sub1 + <usize>n1 * 8);
        if (off) bound += 10 + load<u32>(sub1 + <usize>n1 * 8 + 4);
        n1++;
      } else if (sub2 && t == subTag2) {
        let off = load<u32>(sub2 + <usize>n2 * 8);
        if (off) bound += 10 + load<u32>(sub2 + <usize>n2 * 8 + 4);
        n2++;
      }
      p = after;
    }
  }
  if (!reserveArena(bound)) return 0;
  let start = arenaLen;
  let out = arena + arenaLen;
  let listDone = !listChanged;
  n1 = 0;
  n2 = 0;
  // Fields that stay as they are accumulate into one run [run, at) copied when something
  // replaced interrupts it.
  let run = cs;
  p = cs;
  while (p < ce) {
    let at = p;
    let t = <u32>readVarintTrusted(p);
    let after = skipTrusted(next, t & 7);
    if (t == tag && listChanged) {
      copyBytes(out, run, at - run);
      out += at - run;
      if (!listDone) out = writeList(out, tag);
      listDone = true;
      run = after;
    } else if (sub1 && t == subTag1 && load<u32>(sub1 + <usize>n1 * 8)) {
      copyBytes(out, run, at - run);
      out += at - run;
      let off = <usize>load<u32>(sub1 + <usize>n1 * 8) - 1;
      let len = <usize>load<u32>(sub1 + <usize>n1 * 8 + 4);
      out = writeVarint(writeVarint(out, <u64>t), <u64>len);
      copyBytes(out, arena + off, len);
      out += len;
      n1++;
      run = after;
    } else if (sub2 && t == subTag2 && load<u32>(sub2 + <usize>n2 * 8)) {
      copyBytes(out, run, at - run);
      out += at - run;
      let off = <usize>load<u32>(sub2 + <usize>n2 * 8) - 1;
      let len = <usize>load<u32>(sub2 + <usize>n2 * 8 + 4);
      out = writeVarint(writeVarint(out, <u64>t), <u64>len);
      copyBytes(out, arena + off, len);
      out += len;
      n2++;
      run = after;
    } else {
      if (sub1 && t == subTag1) n1++;
      if (sub2 && t == subTag2) n2++;
    }
    p = after;
  }
  copyBytes(out, run, ce - run);
  out += ce - run;
  if (!listDone) out = writeList(out, tag);
  lastLen = (out - arena) - start;
  arenaLen = out - arena;
  return start;
}

// ---------------------------------------------------------------------------------------------
// The attributes processor's actions (include/exclude: match-properties.ts)

/** Sets an entry's value from an action's literal or source; false when the source is missing. */
function assign(e: usize, ac: usize): bool {
  let src = load<u32>(ac + A.AC_SOURCE);
  if (src == A.SRC_NONE) return false;
  if (src == A.SRC_ATTRIBUTE) {
    let s = find(<usize>load<u32>(ac + A.AC_SRC_KEY), load<u32>(ac + A.AC_SRC_KEY_LEN));
    if (s < 0) return false;
    copyValue(e, entry(<u32>s));
    return true;
  }
  let type = load<u32>(ac + A.AC_TYPE);
  let v = load<u64>(ac + A.AC_VALUE);
  if (type == L.V_STRING) {
    store<u32>(e + W_KIND, K_STR_ABS);
    store<u64>(e + W_A, <u64>(<u32>v));
    store<u32>(e + W_B, <u32>(v >> 32));
  } else {
    store<u32>(e + W_KIND, type == L.V_INT ? K_INT : type == L.V_DOUBLE ? K_DOUBLE : K_BOOL);
    store<u64>(e + W_A, v);
  }
  changed = true;
  return true;
}

function hashEntry(e: usize): void {
  let type = typeOf(e);
  let buf = memory.data(8, 8);
  let p: usize = 0;
  let n: usize = 0;
  if (type == L.V_STRING) {
    p = strPtr(e);
    n = strLen(e);
  } else if (type == L.V_INT || type == L.V_DOUBLE) {
    store<u64>(buf, scalarOf(e));
    p = buf;
    n = 8;
  } else if (type == L.V_BOOL) {
    store<u8>(buf, scalarOf(e) != 0 ? 1 : 0);
    p = buf;
    n = 1;
  }
  // Nothing to hash (an empty string, containers, bytes): the value becomes "".
  if (n == 0) {
    setArenaString(e, arenaLen, 0);
    return;
  }
  if (!reserveArena(64)) return;
  // The input may live in the arena (an earlier edit): hash before anything moves it.
  sha256Hex(type == L.V_STRING ? strPtr(e) : p, n, arena + arenaLen);
  setArenaString(e, arenaLen, 64);
  arenaLen += 64;
}

function convertEntry(e: usize, target: u32): void {
  let type = typeOf(e);
  if (target == A.CONVERT_STRING) {
    if (type == L.V_STRING) return;
    if (!reserveArena(32)) return;
    let out = arena + arenaLen;
    let n: usize = 0;
    if (type == L.V_INT) n = formatInt(out, <i64>scalarOf(e));
    else if (type == L.V_DOUBLE) n = formatDouble(out, reinterpret<f64>(scalarOf(e)));
    else if (type == L.V_BOOL) {
      let t = scalarOf(e) != 0;
      let s = t ? memory.data<u8>([0x74, 0x72, 0x75, 0x65]) : memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]);
      n = t ? 4 : 5;
      memory.copy(out, s, n);
    } else if (type == L.V_EMPTY) n = 0;
    else return; // arrays, maps and bytes keep their value (see the facade's notes)
    setArenaString(e, arenaLen, n);
    arenaLen += n;
  } else if (target == A.CONVERT_INT) {
    if (type == L.V_DOUBLE) {
      let d = reinterpret<f64>(scalarOf(e));
      // Go's int64(float64) on amd64: out-of-range and NaN give the minimum int64.
      let v: i64 = d != d || d >= 9223372036854775808.0 || d < -9223372036854775808.0 ? i64.MIN_VALUE : <i64>d;
      setScalar(e, K_INT, <u64>v);
    } else if (type == L.V_BOOL) setScalar(e, K_INT, scalarOf(e) != 0 ? 1 : 0);
    else if (type == L.V_STRING) {
      let ok = parseInt64(strPtr(e), strLen(e));
      if (ok) setScalar(e, K_INT, <u64>parsedInt);
    }
  } else if (target == A.CONVERT_DOUBLE) {
    if (type == L.V_INT) setScalar(e, K_DOUBLE, reinterpret<u64>(<f64>(<i64>scalarOf(e))));
    else if (type == L.V_BOOL) setScalar(e, K_DOUBLE, reinterpret<u64>(scalarOf(e) != 0 ? 1.0 : 0.0));
    else if (type == L.V_STRING) {
      if (parseDouble(strPtr(e), strLen(e))) setScalar(e, K_DOUBLE, reinterpret<u64>(parsedDouble));
    }
  }
}


function setScalar(e: usize, kind: u32, v: u64): void {
  store<u32>(e + W_KIND, kind);
  store<u64>(e + W_A, v);
  changed = true;
}

function runActions(plan: usize): void {
  let actions = <usize>load<u32>(plan + A.EP_ACTIONS);
  let n = load<u32>(plan + A.EP_ACTION_COUNT);
  for (let i: u32 = 0; i < n && !oomFlag; i++) {
    let ac = actions + <usize>i * A.AC_ROW;
    let op = load<u32>(ac + A.AC_OP);
    let key = <usize>load<u32>(ac + A.AC_KEY);
    let kl = load<u32>(ac + A.AC_KEY_LEN);
    let at = kl ? find(key, kl) : -1;
    if (op == A.OP_INSERT || op == A.OP_UPSERT) {
      if (at >= 0) {
        if (op == A.OP_UPSERT) assign(entry(<u32>at), ac);
        continue;
      }
      let e = pushEntry();
      if (!e) return;
      store<u32>(e + W_KEY, <u32>key);
      store<u32>(e + W_KEY_LEN, kl);
      store<u32>(e + W_KEY_HASH, load<u32>(ac + A.AC_KEY_HASH));
      if (!assign(e, ac)) workLen--;
    } else if (op == A.OP_DELETE || op == A.OP_HASH) {
      // The key first, then every key the pattern matches at that point (which may include the
      // key again: the collector hashes such a value twice).
      if (at >= 0) applyKeyed(op, entry(<u32>at));
      let bit = load<u32>(ac + A.AC_PATTERN_BIT);
      if (bit != A.NO_PATTERN) {
        let count = workLen;
        for (let j: u32 = 0; j < count; j++) {
          let e = entry(j);
          if (load<u32>(e + W_KIND) != K_DELETED && ((keyBits(e) >> bit) & 1)) applyKeyed(op, e);
        }
      }
    } else if (at < 0) {
      continue;
    } else if (op == A.OP_UPDATE) {
      assign(entry(<u32>at), ac);
    } else if (op == A.OP_CONVERT) {
      convertEntry(entry(<u32>at), load<u32>(ac + A.AC_TYPE));
    } else if (op == A.OP_EXTRACT) {
      extractEntry(entry(<u32>at), ac);
    }
  }
}

/**
 * extract: FindStringSubmatch of the action's pattern on a string value; on a match every named
 * group is upserted as a string attribute (a group that took no part as ""), as PutStr does
 * upstream. Results are kept per distinct value (extractionOf).
 */
function extractEntry(e: usize, ac: usize): void {
  if (typeOf(e) != L.V_STRING) return;
  let inArena = load<u32>(e + W_KIND) == K_STR_ARENA;
  let off: usize = inArena ? <usize>load<u64>(e + W_A) : 0;
  let p = strPtr(e);
  let len = strLen(e);
  let caps = extractionOf(p, len, ac, inArena);
  if (!caps) return;
  let names = <usize>load<u32>(ac + A.AC_SRC_KEY);
  let n = load<u32>(ac + A.AC_SRC_KEY_LEN);
  for (let g: u32 = 0; g < n; g++) {
    let name = names + <usize>g * A.SL_ROW;
    let np = <usize>load<u32>(name + A.SL_PTR);
    let nl = load<u32>(name + A.SL_LEN);
    let at = find(np, nl);
    let target = at >= 0 ? entry(<u32>at) : pushEntry();
    if (!target) return;
    if (at < 0) {
      store<u32>(target + W_KEY, <u32>np);
      store<u32>(target + W_KEY_LEN, nl);
    }
    // Group positions are relative to the value: its substrings live where the value does.
    let gs = load<i32>(caps + 8 + <usize>g * 8);
    let ge = load<i32>(caps + 12 + <usize>g * 8);
    if (gs < 0) {
      store<u32>(target + W_KIND, K_STR_ABS);
      store<u64>(target + W_A, <u64>p);
      store<u32>(target + W_B, 0);
      changed = true;
    } else if (inArena) {
      setArenaString(target, off + <usize>gs, <usize>(ge - gs));
    } else {
      store<u32>(target + W_KIND, K_STR_ABS);
      store<u64>(target + W_A, <u64>(p + <usize>gs));
      store<u32>(target + W_B, <u32>(ge - gs));
      changed = true;
    }
  }
}

function applyKeyed(op: u32, e: usize): void {
  if (op == A.OP_DELETE) {
    store<u32>(e + W_KIND, K_DELETED);
    changed = true;
  } else hashEntry(e);
}

// ---------------------------------------------------------------------------------------------
// Distinct keys of a batch (string-set.ts) and their pattern verdicts: from the facade's engine
// through editCollectStrings, or matched here from the plan's own patterns (key-verdicts.ts)

const KEYS = memory.data(24, 8);
const VALUES = memory.data(24, 8);
let verdicts = false;
/** The plan carries its key patterns: verdicts come from its cache (key-verdicts.ts), no collect pass. */
let keysInCore = false;


/** Verdict bits of an entry's key (0 when no verdicts were computed for this call). */
function keyBits(e: usize): u32 {
  return verdicts || keysInCore ? keyBitsOf(<usize>load<u32>(e + W_KEY), load<u32>(e + W_KEY_LEN)) : 0;
}

/** Verdict bits of the key [key, +len) (0 when it was not collected). */
function keyBitsOf(key: usize, len: u32): u32 {
  if (keysInCore) {
    let bits = planKeyBits(PLAN, key, len);
    if (bits < 0) {
      oomFlag = true;
      return 0;
    }
    return <u32>bits;
  }
  let i = ssFind(KEYS, key, len, hash32(key, len));
  return i < 0 ? 0 : load<u32>(<usize>load<u32>(KEYS + SS_LIST) + <usize>i * A.DK_ROW + A.DK_BITS);
}

// ---------------------------------------------------------------------------------------------
// String values matched with the plan's regexes (redaction blocked_values / allowed_values,
// attributes extract), in the core: each distinct value of the batch meets each pattern once, its
// results kept in its VALUES row (DV_*) and, for extract, in a per-batch block of match positions.

const EMPTY = memory.data(8, 8); // the bytes of "", the text the collector reads a non-string as
const SCRATCH_ROW = memory.data(A.DV_ROW, 8);
let emptyRow: i32 = -1;
let extractBlocks: usize = 0;
let extractCap: usize = 0;
let extractLen: usize = 0;

/**
 * The row holding results for the value [p, p+len): found or added to VALUES, or, for a value in
 * the arena (which moves as it grows, so cannot key a row), a cleared scratch row. 0 when out of
 * memory.
 */
function valueRow(p: usize, len: u32, inArena: bool): usize {
  if (inArena) {
    memory.fill(SCRATCH_ROW, 0, A.DV_ROW);
    return SCRATCH_ROW;
  }
  // "" is what every non-string reads as: its row is remembered rather than looked up each time.
  let i = len == 0 ? emptyRow : -1;
  if (i < 0) i = ssFind(VALUES, p, len, hash32(p, len));
  if (i < 0) {
    if (!ssAdd(VALUES, p, len)) {
      oomFlag = true;
      return 0;
    }
    i = <i32>load<u32>(VALUES + SS_COUNT) - 1;
  }
  if (len == 0) emptyRow = i;
  return <usize>load<u32>(VALUES + SS_LIST) + <usize>i * A.DV_ROW;
}

/**
 * The extract action's match positions for the value (2 × (1 + groups) i32, relative to the
 * value), or 0 without a match (or out of memory).
 */
function extractionOf(p: usize, len: u32, ac: usize, inArena: bool): usize {
  let row = valueRow(p, len, inArena);
  if (!row) return 0;
  let words = <usize>load<u32>(PLAN + A.EP_EXTRACT_WORDS);
  let block = <usize>load<u32>(row + A.DV_NEW);
  if (!block) {
    let bytes = words * 4;
    if (extractLen + bytes > extractCap) {
      let cap = max<usize>(extractCap * 2, extractLen + bytes + 1024);
      let q = realloc(extractBlocks, cap);
      if (!q) {
        oomFlag = true;
        return 0;
      }
      extractBlocks = q;
      extractCap = cap;
    }
    memory.fill(extractBlocks + extractLen, 0, bytes);
    block = extractLen + 1;
    extractLen += bytes;
    store<u32>(row + A.DV_NEW, <u32>block);
  }
  let slot = extractBlocks + block - 1 + <usize>load<u32>(ac + A.AC_TYPE) * 4;
  let state = load<u32>(slot);
  if (state == 0) {
    let slots = 2 * (1 + <usize>load<u32>(ac + A.AC_SRC_KEY_LEN));
    let r = findAt(<usize>load<u32>(ac + A.AC_VALUE), p, len, 0, slot + 4, slots);
    if (r < 0) {
      oomFlag = true;
      return 0;
    }
    state = r == 1 ? 2 : 1;
    store<u32>(slot, state);
  }
  return state == 2 ? slot + 4 : 0;
}

/** The text the redaction rules read from an entry: a string's bytes, or "" for any other type (pdata's Str()). */
let textPtr: usize = 0;
let textLen: u32 = 0;
let textInArena = false;

function entryText(e: usize): void {
  if (typeOf(e) == L.V_STRING) {
    textPtr = strPtr(e);
    textLen = strLen(e);
    textInArena = load<u32>(e + W_KIND) == K_STR_ARENA;
  } else {
    textPtr = EMPTY;
    textLen = 0;
    textInArena = false;
  }
}

/** Releases what a call's value results held beyond it (the VALUES rows are reused). */
function endValues(): void {
  free(extractBlocks);
  extractBlocks = 0;
  extractCap = 0;
  extractLen = 0;
}

/** Whether an allowed_values pattern matches the entry's text (memoized per distinct text). */
function textAllowed(plan: usize, row: usize): bool {
  let flags = load<u32>(row + A.DV_FLAGS);
  if (!(flags & A.DVF_ALLOWED_DONE)) {
    let r = valueAllowed(plan, textPtr, textLen);
    if (r < 0) {
      oomFlag = true;
      return false;
    }
    flags |= A.DVF_ALLOWED_DONE | (r == 1 ? A.DVF_ALLOWED : 0);
    store<u32>(row + A.DV_FLAGS, flags);
  }
  return (flags & A.DVF_ALLOWED) != 0;
}

/**
 * blocked_values on the current text (textPtr / textLen), memoized in its row: whether it changed,
 * the masked text then at arena offset DV_NEW, DV_NEW_LEN bytes.
 */
function maskedTextOf(plan: usize, row: usize): bool {
  let flags = load<u32>(row + A.DV_FLAGS);
  if (!(flags & A.DVF_MASK_DONE)) {
    let r = maskBlocked(plan, textPtr, textLen);
    if (r < 0 || (r == 1 && !reserveArena(maskedLen))) {
      oomFlag = true;
      return false;
    }
    if (r == 1) {
      // Copied once into the arena; every attribute with the same text points at it.
      memory.copy(arena + arenaLen, maskedText, maskedLen);
      store<u32>(row + A.DV_NEW, <u32>arenaLen);
      store<u32>(row + A.DV_NEW_LEN, <u32>maskedLen);
      arenaLen += maskedLen;
      flags |= A.DVF_MASKED;
    }
    store<u32>(row + A.DV_FLAGS, flags | A.DVF_MASK_DONE);
  }
  return (flags & A.DVF_MASKED) != 0;
}

/** blocked_values on the entry's text: replaces the entry with the masked text when it changed. */
function maskTextOf(e: usize, plan: usize, row: usize): bool {
  if (!maskedTextOf(plan, row)) return false;
  setArenaString(e, <usize>load<u32>(row + A.DV_NEW), <usize>load<u32>(row + A.DV_NEW_LEN));
  return true;
}

/** A blocked key pattern's mask of the entry's whole text (`.*` replaced: "****" or digests, per line). */
function maskWholeOf(e: usize, plan: usize): void {
  let r = maskWhole(plan, textPtr, textLen);
  if (r < 0 || !reserveArena(maskedLen)) {
    oomFlag = true;
    return;
  }
  memory.copy(arena + arenaLen, maskedText, maskedLen);
  setArenaString(e, arenaLen, maskedLen);
  arenaLen += maskedLen;
}

/** Adds the keys of the first `count` KeyValue fields tagged `tag` in [cs, ce). */
function collectKeys(cs: usize, ce: usize, tag: u32, count: u32): bool {
  let n: u32 = 0;
  let p = cs;
  while (p < ce && n < count) {
    let t = <u32>readVarintTrusted(p);
    if (t != tag) {
      p = skipTrusted(next, t & 7);
      continue;
    }
    let len = <usize>readVarintTrusted(next);
    let vs = next;
    p = vs + len;
    n++;
    let e = scratchEntry;
    parseKeyValue(e, vs, p);
    if (collectWhat & A.COLLECT_KEYS && !ssAdd(KEYS, <usize>load<u32>(e + W_KEY), load<u32>(e + W_KEY_LEN))) return false;
  }
  return true;
}

const scratchEntry = memory.data(<i32>W_SIZE, 8);
let collectWhat: u32 = 0;

/**
 * Collects the distinct attribute keys of the maps `plan` targets (with the same keep mask and
 * replacements editAttributes will get). Returns how many, or 0xFFFFFFFF when out of memory; the
 * list is at editKeyList(). The facade fills DK_BITS, then calls editAttributes, which uses them.
 */
export function editCollectStrings(header: usize, plan: usize, keep: usize, spanIn: usize, resIn: usize, scopeIn: usize, what: u32): u32 {
  let input = collectBegin(header, plan, what);
  let targets = load<u32>(plan + A.EP_TARGETS);
  let ok = collectEnvelope(plan, resIn, scopeIn);
  let spans = <usize>load<u32>(header + L.B_SPANS);
  let nSpans = load<u32>(header + L.B_SPAN_COUNT);
  for (let i: u32 = 0; ok && i < nSpans; i++) {
    if (keep && !load<u8>(keep + i)) continue;
    let sp = spans + <usize>i * L.SP_ROW;
    let over = spanIn ? <usize>load<u32>(spanIn + <usize>i * 8) : 0;
    let cs = over ? over : input + load<u32>(sp + L.SP_CONTENT_START);
    let ce = over ? over + <usize>load<u32>(spanIn + <usize>i * 8 + 4) : input + load<u32>(sp + L.SP_CONTENT_END);
    if (targets & A.TARGET_SPAN) ok = collectKeys(cs, ce, 0x4a, over ? 0xffffffff : load<u32>(sp + L.SP_ATTR_COUNT));
    if (!(targets & (A.TARGET_EVENT | A.TARGET_LINK))) continue;
    // Events and links: walk the span's own bytes (their attributes sit inside).
    let p = cs;
    while (ok && p < ce) {
      let t = <u32>readVarintTrusted(p);
      if ((t == 0x5a && (targets & A.TARGET_EVENT)) || (t == 0x6a && (targets & A.TARGET_LINK))) {
        let len = <usize>readVarintTrusted(next);
        let vs = next;
        ok = collectKeys(vs, vs + len, t == 0x5a ? 0x1a : 0x22, 0xffffffff);
        p = vs + len;
      } else p = skipTrusted(next, t & 7);
    }
  }
  return collectEnd(ok);
}

/**
 * Starts collecting distinct keys and/or string values (`what`: COLLECT_*) for `plan` over the
 * batch at `header`; returns the input pointer. Every signal's collect call runs
 * collectBegin → collectEnvelope → collectMap / collectValue per item → collectEnd.
 */
export function collectBegin(header: usize, plan: usize, what: u32): usize {
  clearError();
  HEADER = header;
  collectWhat = what;
  ssInit(KEYS, A.DK_ROW);
  return <usize>load<u32>(header + L.B_INPUT);
}

/** Collects from the resource and scope maps the plan targets; false when out of memory. */
export function collectEnvelope(plan: usize, resIn: usize, scopeIn: usize): bool {
  let header = HEADER;
  let input = <usize>load<u32>(header + L.B_INPUT);
  let targets = load<u32>(plan + A.EP_TARGETS);
  let ok = true;
  if (targets & A.TARGET_RESOURCE) {
    let rows = <usize>load<u32>(header + L.B_RESOURCES);
    let n = load<u32>(header + L.B_RESOURCE_COUNT);
    for (let r: u32 = 0; ok && r < n; r++) {
      let row = rows + <usize>r * L.R_ROW;
      let over = resIn ? <usize>load<u32>(resIn + <usize>r * 8) : 0;
      if (over) ok = collectKeys(over, over + load<u32>(resIn + <usize>r * 8 + 4), 0x0a, 0xffffffff);
      else if (load<u32>(row + L.R_FLAGS) & L.HAS_MESSAGE) ok = collectKeys(messageContent(input + load<u32>(row + L.R_MSG_START)), input + load<u32>(row + L.R_MSG_END), 0x0a, load<u32>(row + L.R_ATTR_COUNT));
    }
  }
  if (targets & A.TARGET_SCOPE) {
    let rows = <usize>load<u32>(header + L.B_SCOPES);
    let n = load<u32>(header + L.B_SCOPE_COUNT);
    for (let s: u32 = 0; ok && s < n; s++) {
      let row = rows + <usize>s * L.S_ROW;
      let over = scopeIn ? <usize>load<u32>(scopeIn + <usize>s * 8) : 0;
      if (over) ok = collectKeys(over, over + load<u32>(scopeIn + <usize>s * 8 + 4), 0x1a, 0xffffffff);
      else if (load<u32>(row + L.S_FLAGS) & L.HAS_MESSAGE) ok = collectKeys(messageContent(input + load<u32>(row + L.S_MSG_START)), input + load<u32>(row + L.S_MSG_END), 0x1a, load<u32>(row + L.S_ATTR_COUNT));
    }
  }
  return ok;
}

/** Collects from the first `count` KeyValue fields tagged `tag` in [cs, ce); false when out of memory. */
export function collectMap(cs: usize, ce: usize, tag: u32, count: u32): bool {
  return collectKeys(cs, ce, tag, count);
}

/** Ends a collect call: 0, or 0xFFFFFFFF with ERR_OUT_OF_MEMORY recorded when `ok` is false. */
export function collectEnd(ok: bool): u32 {
  if (!ok) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>load<u32>(KEYS + SS_CAP) * 2 * A.DK_ROW);
    return 0xffffffff;
  }
  verdicts = (collectWhat & A.COLLECT_KEYS) != 0;
  return 0;
}

/** The distinct keys (DK_* rows) and their count, after editCollectStrings. */
export function editKeyList(): usize {
  return <usize>load<u32>(KEYS + SS_LIST);
}

export function editKeyCount(): u32 {
  return load<u32>(KEYS + SS_COUNT);
}

// ---------------------------------------------------------------------------------------------
// The redaction processor (allow-list, ignored keys, summary attributes)

let redacted: u32 = 0;
let maskedN: u32 = 0;
let allowedN: u32 = 0;
let ignoredN: u32 = 0;
let bodiesMasked: u32 = 0;
// Keys per category for the debug summary: (ptr, len) pairs.
let keyList: usize = 0;
let keyListCap: u32 = 0;

// Summary attribute keys, UTF-8 in static memory.
const SK_MASKED_KEYS = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x6d, 0x61, 0x73, 0x6b, 0x65, 0x64, 0x2e, 0x6b, 0x65, 0x79, 0x73]); // redaction.masked.keys
const SK_MASKED_KEYS_LEN: i32 = 21;
const SK_MASKED_COUNT = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x6d, 0x61, 0x73, 0x6b, 0x65, 0x64, 0x2e, 0x63, 0x6f, 0x75, 0x6e, 0x74]); // redaction.masked.count
const SK_MASKED_COUNT_LEN: i32 = 22;
const SK_REDACTED_KEYS = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x65, 0x64, 0x2e, 0x6b, 0x65, 0x79, 0x73]); // redaction.redacted.keys
const SK_REDACTED_KEYS_LEN: i32 = 23;
const SK_REDACTED_COUNT = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x65, 0x64, 0x2e, 0x63, 0x6f, 0x75, 0x6e, 0x74]); // redaction.redacted.count
const SK_REDACTED_COUNT_LEN: i32 = 24;
const SK_ALLOWED_KEYS = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x61, 0x6c, 0x6c, 0x6f, 0x77, 0x65, 0x64, 0x2e, 0x6b, 0x65, 0x79, 0x73]); // redaction.allowed.keys
const SK_ALLOWED_KEYS_LEN: i32 = 22;
const SK_ALLOWED_COUNT = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x61, 0x6c, 0x6c, 0x6f, 0x77, 0x65, 0x64, 0x2e, 0x63, 0x6f, 0x75, 0x6e, 0x74]); // redaction.allowed.count
const SK_ALLOWED_COUNT_LEN: i32 = 23;
const SK_IGNORED_COUNT = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x69, 0x67, 0x6e, 0x6f, 0x72, 0x65, 0x64, 0x2e, 0x63, 0x6f, 0x75, 0x6e, 0x74]); // redaction.ignored.count
const SK_IGNORED_COUNT_LEN: i32 = 23;

function redactList(plan: usize): void {
  let flags = load<u32>(plan + A.EP_FLAGS);
  let allowAll = (flags & A.EF_ALLOW_ALL_KEYS) != 0;
  let allowed = <usize>load<u32>(plan + A.EP_ALLOWED);
  let allowedCount = load<u32>(plan + A.EP_ALLOWED_COUNT);
  let ignored = <usize>load<u32>(plan + A.EP_IGNORED);
  let ignoredCount = load<u32>(plan + A.EP_IGNORED_COUNT);
  let summary = load<u32>(plan + A.EP_SUMMARY);
  let ignoredPatterns = load<u32>(plan + A.EP_IGNORED_PATTERNS);
  let blockedPatterns = load<u32>(plan + A.EP_BLOCKED_KEY_PATTERNS);
  let allowedValues = load<u32>(plan + A.EP_ALLOWED_VALUES_COUNT);
  let blockedValues = load<u32>(plan + A.EP_BLOCKED_VALUES_COUNT);
  let nMask: u32 = 0;
  let nRed: u32 = 0;
  let nAll: u32 = 0;
  let nIgn: u32 = 0;
  let origLen = workLen;
  if (keyListCap < origLen * 3) {
    let p = realloc(keyList, <usize>origLen * 3 * 8 + 8);
    if (!p) {
      oomFlag = true;
      return;
    }
    keyList = p;
    keyListCap = origLen * 3;
  }
  // Redacted keys fill keyList from the front, allowed keys from origLen on, masked from 2 × origLen.
  for (let i: u32 = 0; i < origLen; i++) {
    let e = entry(i);
    if (load<u32>(e + W_KIND) == K_DELETED) continue;
    let key = <usize>load<u32>(e + W_KEY);
    let kl = load<u32>(e + W_KEY_LEN);
    let bits = ignoredPatterns | blockedPatterns ? keyBits(e) : 0;
    if (inStringList(ignored, ignoredCount, key, kl) || (bits & ignoredPatterns)) {
      nIgn++;
      continue;
    }
    if (!allowAll && !inStringList(allowed, allowedCount, key, kl)) {
      store<u32>(keyList + <usize>nRed * 8, <u32>key);
      store<u32>(keyList + <usize>nRed * 8 + 4, kl);
      nRed++;
      store<u32>(e + W_KIND, K_DELETED);
      changed = true;
      continue;
    }
    // The collector reads the value as text (a non-string as ""): a value an allowed_values
    // pattern matches is left alone and counted as allowed, even under a blocked key pattern.
    let row: usize = 0;
    if (allowedValues || blockedValues) {
      entryText(e);
      row = valueRow(textPtr, textLen, textInArena);
      if (!row) return;
    }
    if (allowedValues && textAllowed(plan, row)) {
      store<u32>(keyList + <usize>(origLen + nAll) * 8, <u32>key);
      store<u32>(keyList + <usize>(origLen + nAll) * 8 + 4, kl);
      nAll++;
      continue;
    }
    let masked = false;
    if (bits & blockedPatterns) {
      if (!row) entryText(e);
      maskWholeOf(e, plan);
      masked = true;
    } else if (blockedValues) {
      // Counted only when the text changed, as upstream compares before and after.
      masked = maskTextOf(e, plan, row);
    }
    if (oomFlag) return;
    if (masked) {
      store<u32>(keyList + <usize>(origLen * 2 + nMask) * 8, <u32>key);
      store<u32>(keyList + <usize>(origLen * 2 + nMask) * 8 + 4, kl);
      nMask++;
    }
  }
  redacted += nRed;
  allowedN += nAll;
  ignoredN += nIgn;
  maskedN += nMask;
  if (summary == 0) return;
  if (nRed) summarise(keyList, nRed, SK_REDACTED_KEYS, SK_REDACTED_KEYS_LEN, SK_REDACTED_COUNT, SK_REDACTED_COUNT_LEN, summary);
  if (nMask) summarise(keyList + <usize>origLen * 2 * 8, nMask, SK_MASKED_KEYS, SK_MASKED_KEYS_LEN, SK_MASKED_COUNT, SK_MASKED_COUNT_LEN, summary);
  if (nAll) summarise(keyList + <usize>origLen * 8, nAll, SK_ALLOWED_KEYS, SK_ALLOWED_KEYS_LEN, SK_ALLOWED_COUNT, SK_ALLOWED_COUNT_LEN, summary);
  if (nIgn) summarise(0, nIgn, 0, 0, SK_IGNORED_COUNT, SK_IGNORED_COUNT_LEN, summary);
}

const SK_BODY_MASKED_KEYS = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x62, 0x6f, 0x64, 0x79, 0x2e, 0x6d, 0x61, 0x73, 0x6b, 0x65, 0x64, 0x2e, 0x6b, 0x65, 0x79, 0x73]); // redaction.body.masked.keys
const SK_BODY_MASKED_KEYS_LEN: i32 = 26;
const SK_BODY_MASKED_COUNT = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x62, 0x6f, 0x64, 0x79, 0x2e, 0x6d, 0x61, 0x73, 0x6b, 0x65, 0x64, 0x2e, 0x63, 0x6f, 0x75, 0x6e, 0x74]); // redaction.body.masked.count
const SK_BODY_MASKED_COUNT_LEN: i32 = 27;
const SK_BODY_ALLOWED_KEYS = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x62, 0x6f, 0x64, 0x79, 0x2e, 0x61, 0x6c, 0x6c, 0x6f, 0x77, 0x65, 0x64, 0x2e, 0x6b, 0x65, 0x79, 0x73]); // redaction.body.allowed.keys
const SK_BODY_ALLOWED_KEYS_LEN: i32 = 27;
const SK_BODY_ALLOWED_COUNT = memory.data<u8>([0x72, 0x65, 0x64, 0x61, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x62, 0x6f, 0x64, 0x79, 0x2e, 0x61, 0x6c, 0x6c, 0x6f, 0x77, 0x65, 0x64, 0x2e, 0x63, 0x6f, 0x75, 0x6e, 0x74]); // redaction.body.allowed.count
const SK_BODY_ALLOWED_COUNT_LEN: i32 = 28;
const BODY_KEY = memory.data<u8>([0x62, 0x6f, 0x64, 0x79]); // body

let bodyTextOff: usize = 0;
let bodyTextLen: u32 = 0;

/**
 * redaction of a log record's string body [bp, +bl), after editMap ran the plan on the record's
 * attributes: the working list still holds them, so the body's summary attributes land there, as
 * upstream adds them to the record's attributes. A body an allowed_values pattern matches is left
 * alone and counted as allowed; otherwise blocked_values mask it as they mask a value (matched
 * once per distinct text, like attribute values). Returns whether the body changed; its new text
 * is in the arena at redactedBodyOffset() / redactedBodyLen(). Whether summary attributes were
 * added: editChanged().
 */
export function redactBody(plan: usize, bp: usize, bl: u32): bool {
  if (!load<u32>(plan + A.EP_BLOCKED_VALUES_COUNT) && !load<u32>(plan + A.EP_ALLOWED_VALUES_COUNT)) return false;
  let row = valueRow(bp, bl, false);
  if (!row) return false;
  textPtr = bp;
  textLen = bl;
  textInArena = false;
  let summary = load<u32>(plan + A.EP_SUMMARY);
  let one = memory.data(8, 8);
  store<u32>(one, <u32>BODY_KEY);
  store<u32>(one + 4, 4);
  if (load<u32>(plan + A.EP_ALLOWED_VALUES_COUNT) && textAllowed(plan, row)) {
    if (summary) summarise(one, 1, SK_BODY_ALLOWED_KEYS, SK_BODY_ALLOWED_KEYS_LEN, SK_BODY_ALLOWED_COUNT, SK_BODY_ALLOWED_COUNT_LEN, summary);
    return false;
  }
  if (oomFlag || !maskedTextOf(plan, row)) return false;
  bodyTextOff = <usize>load<u32>(row + A.DV_NEW);
  bodyTextLen = load<u32>(row + A.DV_NEW_LEN);
  bodiesMasked++;
  if (summary) summarise(one, 1, SK_BODY_MASKED_KEYS, SK_BODY_MASKED_KEYS_LEN, SK_BODY_MASKED_COUNT, SK_BODY_MASKED_COUNT_LEN, summary);
  return true;
}

/** The arena offset of the body text redactBody made (valid until the edit call ends). */
export function redactedBodyOffset(): usize {
  return bodyTextOff;
}

export function redactedBodyLen(): u32 {
  return bodyTextLen;
}

/** Whether the working list changed since editMap loaded it (and memory sufficed). */
export function editChanged(): bool {
  return changed && !oomFlag;
}

/** The plan's kind: EDIT_ATTRIBUTES or EDIT_REDACTION. */
export function planIsRedaction(plan: usize): bool {
  return load<u32>(plan + A.EP_KIND) == A.EDIT_REDACTION;
}

function keyLess(a: usize, b: usize): bool {
  let pa = <usize>load<u32>(a);
  let la = <usize>load<u32>(a + 4);
  let pb = <usize>load<u32>(b);
  let lb = <usize>load<u32>(b + 4);
  let c = memory.compare(pa, pb, min(la, lb));
  return c < 0 || (c == 0 && la < lb);
}

/** Adds (or merges into) the summary attributes for one category, as the collector does. */
function summarise(keys: usize, n: u32, keysAttr: usize, keysAttrLen: i32, countAttr: usize, countAttrLen: i32, summary: u32): void {
  if (summary == 2 && keysAttr) {
    // Existing comma-separated keys are merged in, then everything is sorted and joined.
    let at = find(keysAttr, <u32>keysAttrLen);
    let total: usize = 0;
    for (let i: u32 = 0; i < n; i++) total += <usize>load<u32>(keys + <usize>i * 8 + 4) + 1;
    let existingLen: usize = at >= 0 && typeOf(entry(<u32>at)) == L.V_STRING ? <usize>strLen(entry(<u32>at)) : 0;
    let parts = allocZeroed((<usize>n + existingLen + 1) * 8);
    // Reserve first: an existing value may live in the arena, whose address may change here.
    if (!parts || !reserveArena(total + existingLen + 1)) {
      free(parts);
      oomFlag = true;
      return;
    }
    let existing: usize = existingLen ? strPtr(entry(<u32>at)) : 0;
    let m: u32 = 0;
    for (let i: u32 = 0; i < n; i++) {
      store<u64>(parts + <usize>m * 8, load<u64>(keys + <usize>i * 8));
      m++;
    }
    if (existingLen) {
      let s = existing;
      let end = existing + existingLen;
      while (s <= end) {
        let c = s;
        while (c < end && load<u8>(c) != 0x2c) c++;
        store<u32>(parts + <usize>m * 8, <u32>s);
        store<u32>(parts + <usize>m * 8 + 4, <u32>(c - s));
        m++;
        s = c + 1;
      }
    }
    for (let i: u32 = 1; i < m; i++) {
      let j = i;
      while (j > 0 && keyLess(parts + <usize>j * 8, parts + <usize>(j - 1) * 8)) {
        let t = load<u64>(parts + <usize>j * 8);
        store<u64>(parts + <usize>j * 8, load<u64>(parts + <usize>(j - 1) * 8));
        store<u64>(parts + <usize>(j - 1) * 8, t);
        j--;
      }
    }
    let start = arenaLen;
    let out = arena + arenaLen;
    for (let i: u32 = 0; i < m; i++) {
      if (i) store<u8>(out++, 0x2c);
      let len = <usize>load<u32>(parts + <usize>i * 8 + 4);
      memory.copy(out, <usize>load<u32>(parts + <usize>i * 8), len);
      out += len;
    }
    free(parts);
    arenaLen = out - arena;
    putArenaString(keysAttr, keysAttrLen, start, arenaLen - start);
  }
  let cat = find(countAttr, <u32>countAttrLen);
  let count = <i64>n;
  if (cat >= 0 && typeOf(entry(<u32>cat)) == L.V_INT) count += <i64>scalarOf(entry(<u32>cat));
  let e = cat >= 0 ? entry(<u32>cat) : newEntry(countAttr, countAttrLen);
  if (e) setScalar(e, K_INT, <u64>count);
}

/** A new entry for a summary key (keys are static data, so the pointer stays valid). */
function newEntry(key: usize, kl: i32): usize {
  let e = pushEntry();
  if (!e) return 0;
  store<u32>(e + W_KEY, <u32>key);
  store<u32>(e + W_KEY_LEN, <u32>kl);
  store<u32>(e + W_KEY_HASH, hash32(key, <usize>kl));
  return e;
}

function putArenaString(key: usize, kl: i32, off: usize, len: usize): void {
  let at = find(key, <u32>kl);
  let e = at >= 0 ? entry(<u32>at) : newEntry(key, kl);
  if (e) setArenaString(e, off, len);
}

// ---------------------------------------------------------------------------------------------
// The batch walk

/** Runs the plan on the current working list. */
function applyPlan(plan: usize): void {
  if (load<u32>(plan + A.EP_KIND) == A.EDIT_ATTRIBUTES) runActions(plan);
  else redactList(plan);
}

// Shared by every signal's walk (this file's spans, attr-edit-signals.ts's log records and data
// points): one call edits the resource and scope maps, then the signal's items, then hands the
// replacement tables over in editResult().

let resRepl: usize = 0;
let scopeRepl: usize = 0;
let resEdited: u32 = 0;
let scopesEdited: u32 = 0;

/** Starts an edit call over the batch at `header`: clears the result, the counters and the arena. */
export function editBegin(header: usize, plan: usize): void {
  clearError();
  memory.fill(RESULT, 0, A.ER_SIZE);
  HEADER = header;
  PLAN = plan;
  keysInCore = planMatchesKeys(plan);
  IN = <usize>load<u32>(header + L.B_INPUT);
  ssInit(VALUES, A.DV_ROW);
  emptyRow = -1;
  extractLen = 0;
  oomFlag = false;
  arena = 0;
  arenaCap = 0;
  arenaLen = 0;
  redacted = allowedN = ignoredN = maskedN = bodiesMasked = 0;
  resRepl = scopeRepl = 0;
  resEdited = scopesEdited = 0;
  // A first guess at the content size saves the early doublings (each one copies the arena).
  reserveArena(<usize>load<u32>(header + L.B_INPUT_LEN) / 4);
  oomFlag = false;
}

/**
 * Allocates the resource and scope replacement tables and edits the maps the plan targets there
 * (replaced messages from `resIn` / `scopeIn` are edited from their new content). False when out
 * of memory: the caller then ends with editEnd, which reports it.
 */
export function editEnvelope(plan: usize, resIn: usize, scopeIn: usize): bool {
  let header = HEADER;
  let nRes = load<u32>(header + L.B_RESOURCE_COUNT);
  let nScopes = load<u32>(header + L.B_SCOPE_COUNT);
  let targets = load<u32>(plan + A.EP_TARGETS);
  resRepl = allocZeroed(<usize>max<u32>(nRes, 1) * 8);
  scopeRepl = allocZeroed(<usize>max<u32>(nScopes, 1) * 8);
  if (!resRepl || !scopeRepl) {
    oomFlag = true;
    return false;
  }
  if (targets & A.TARGET_RESOURCE) {
    let rows = <usize>load<u32>(header + L.B_RESOURCES);
    for (let r: u32 = 0; r < nRes && !oomFlag; r++) {
      let row = rows + <usize>r * L.R_ROW;
      let over = resIn ? <usize>load<u32>(resIn + <usize>r * 8) : 0;
      if (!over && !(load<u32>(row + L.R_FLAGS) & L.HAS_MESSAGE)) continue;
      let cs = over ? over : messageContent(IN + load<u32>(row + L.R_MSG_START));
      let ce = over ? over + <usize>load<u32>(resIn + <usize>r * 8 + 4) : IN + load<u32>(row + L.R_MSG_END);
      if (!loadList(cs, ce, 0x0a, over ? 0xffffffff : load<u32>(row + L.R_ATTR_COUNT))) break;
      applyPlan(plan);
      if (!changed || oomFlag) continue;
      let off = rewrite(cs, ce, 0x0a, true, 0, 0, 0, 0);
      if (oomFlag) break;
      store<u32>(resRepl + <usize>r * 8, <u32>off + 1);
      store<u32>(resRepl + <usize>r * 8 + 4, <u32>lastLen);
      resEdited++;
    }
  }
  if (targets & A.TARGET_SCOPE) {
    let rows = <usize>load<u32>(header + L.B_SCOPES);
    for (let s: u32 = 0; s < nScopes && !oomFlag; s++) {
      let row = rows + <usize>s * L.S_ROW;
      let over = scopeIn ? <usize>load<u32>(scopeIn + <usize>s * 8) : 0;
      if (!over && !(load<u32>(row + L.S_FLAGS) & L.HAS_MESSAGE)) continue;
      let cs = over ? over : messageContent(IN + load<u32>(row + L.S_MSG_START));
      let ce = over ? over + <usize>load<u32>(scopeIn + <usize>s * 8 + 4) : IN + load<u32>(row + L.S_MSG_END);
      if (!loadList(cs, ce, 0x1a, over ? 0xffffffff : load<u32>(row + L.S_ATTR_COUNT))) break;
      applyPlan(plan);
      if (!changed || oomFlag) continue;
      let off = rewrite(cs, ce, 0x1a, true, 0, 0, 0, 0);
      if (oomFlag) break;
      store<u32>(scopeRepl + <usize>s * 8, <u32>off + 1);
      store<u32>(scopeRepl + <usize>s * 8 + 4, <u32>lastLen);
      scopesEdited++;
    }
  }
  return !oomFlag;
}

/**
 * Ends an edit call: on success turns the arena offsets into pointers (earlier stages'
 * replacements this plan left alone are passed on: `itemIn` for the items, filtered by `keep`) and
 * fills editResult(); out of memory frees everything and reports ERR_OUT_OF_MEMORY.
 */
export function editEnd(itemRepl: usize, nItems: u32, itemIn: usize, keep: usize, itemsEdited: u32, resIn: usize, scopeIn: usize): u32 {
  let nRes = load<u32>(HEADER + L.B_RESOURCE_COUNT);
  let nScopes = load<u32>(HEADER + L.B_SCOPE_COUNT);
  verdicts = false;
  endValues();
  if (oomFlag || !itemRepl || !resRepl || !scopeRepl) {
    free(itemRepl); free(resRepl); free(scopeRepl); free(arena);
    arena = 0;
    resRepl = scopeRepl = 0;
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>arenaCap * 2 + <u64>nItems * 8);
    return E.ERR_OUT_OF_MEMORY;
  }
  // Offsets (+1) become pointers now that the arena stops moving; earlier stages' replacements
  // this plan left alone are passed on.
  fixup(itemRepl, nItems, itemIn, keep);
  fixup(resRepl, nRes, resIn, 0);
  fixup(scopeRepl, nScopes, scopeIn, 0);
  let itemOut = itemsEdited != 0 || itemIn != 0;
  let resOut = resEdited != 0 || resIn != 0;
  let scopeOut = scopesEdited != 0 || scopeIn != 0;
  store<u32>(RESULT + A.ER_ITEM_REPL, itemOut ? <u32>itemRepl : 0);
  store<u32>(RESULT + A.ER_RESOURCE_REPL, resOut ? <u32>resRepl : 0);
  store<u32>(RESULT + A.ER_SCOPE_REPL, scopeOut ? <u32>scopeRepl : 0);
  if (!itemOut) free(itemRepl);
  if (!resOut) free(resRepl);
  if (!scopeOut) free(scopeRepl);
  store<u32>(RESULT + A.ER_CONTENT, <u32>arena);
  store<u32>(RESULT + A.ER_ITEMS_EDITED, itemsEdited);
  store<u32>(RESULT + A.ER_RESOURCES_EDITED, resEdited);
  store<u32>(RESULT + A.ER_SCOPES_EDITED, scopesEdited);
  store<u32>(RESULT + A.ER_REDACTED, redacted);
  store<u32>(RESULT + A.ER_IGNORED, ignoredN);
  store<u32>(RESULT + A.ER_ALLOWED, allowedN);
  store<u32>(RESULT + A.ER_MASKED, maskedN);
  store<u32>(RESULT + A.ER_BODIES_MASKED, bodiesMasked);
  arena = 0;
  resRepl = scopeRepl = 0;
  return 0;
}

/** Whether the edit call ran out of memory so far. */
export function editOutOfMemory(): bool {
  return oomFlag;
}

/**
 * Loads the first `count` KeyValue fields tagged `tag` in [cs, ce) and runs the plan on them.
 * Whether the map changed (false when out of memory too: check editOutOfMemory()).
 */
export function editMap(plan: usize, cs: usize, ce: usize, tag: u32, count: u32): bool {
  if (keysOnlyRedaction(plan)) {
    let n = unblockedKeys(plan, cs, ce, tag, count);
    if (n >= 0) {
      // Nothing to mask: every key is allowed and the map stays as it is.
      workLen = 0;
      changed = false;
      allowedN += <u32>n;
      return false;
    }
  }
  if (!loadList(cs, ce, tag, count)) return false;
  applyPlan(plan);
  return changed && !oomFlag;
}

/**
 * A redaction plan that can change a map only by masking the values of blocked keys: every key
 * allowed, none ignored, no value verdicts, no summary. Most maps then hold no blocked key and
 * need no working list at all.
 */
function keysOnlyRedaction(plan: usize): bool {
  return load<u32>(plan + A.EP_KIND) != A.EDIT_ATTRIBUTES
    && (load<u32>(plan + A.EP_FLAGS) & A.EF_ALLOW_ALL_KEYS) != 0
    && load<u32>(plan + A.EP_SUMMARY) == 0
    && load<u32>(plan + A.EP_BLOCKED_VALUES_COUNT) == 0
    && load<u32>(plan + A.EP_ALLOWED_VALUES_COUNT) == 0
    && load<u32>(plan + A.EP_IGNORED_COUNT) == 0
    && load<u32>(plan + A.EP_IGNORED_PATTERNS) == 0;
}

/**
 * The number of KeyValue fields (the first `count` tagged `tag` in [cs, ce)) when none has a key
 * a blocked key pattern matched, or -1 when one has (the map needs the full edit).
 */
function unblockedKeys(plan: usize, cs: usize, ce: usize, tag: u32, count: u32): i32 {
  let blocked = verdicts || keysInCore ? load<u32>(plan + A.EP_BLOCKED_KEY_PATTERNS) : 0;
  let n: u32 = 0;
  let p = cs;
  while (n < count) {
    let vs = nextField(p, ce, tag);
    if (!vs) break;
    p = fieldEnd;
    n++;
    if (!blocked) continue;
    kvParts(vs, p);
    if (keyBitsOf(kvKey, <u32>kvKeyLen) & blocked) return -1;
  }
  return <i32>n;
}

/**
 * Writes [cs, ce) into the arena with the map last given to editMap (tagged `tag`) in place of
 * its attribute fields when `mapChanged`, and — when `bodyLen` is not 0xFFFFFFFF — the last body
 * field (tag 0x2a, LogRecord.body) replaced by a string AnyValue holding the arena's bytes
 * [bodyOff, +bodyLen) (an offset: the arena may move while this reserves room)
 * (earlier body fields are left out: the last one is what every decoder reads). Returns the
 * arena offset + 1 (0 when out of memory); the length is in editLastLen().
 */
export function editWrite(cs: usize, ce: usize, tag: u32, mapChanged: bool, bodyOff: usize, bodyLen: u32): u32 {
  if (bodyLen == 0xffffffff) {
    let off = rewrite(cs, ce, tag, mapChanged, 0, 0, 0, 0);
    return oomFlag ? 0 : <u32>off + 1;
  }
  let bodyContent = <usize>1 + varintSize(<u64>bodyLen) + <usize>bodyLen;
  let listBytes = mapChanged ? listSize(tag) : 0;
  if (!reserveArena((ce - cs) + listBytes + bodyContent + 12)) return 0;
  let bodyPtr = arena + bodyOff;
  let lastBody: usize = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    let t = <u32>readVarintTrusted(p);
    p = skipTrusted(next, t & 7);
    if (t == 0x2a) lastBody = at;
  }
  let start = arenaLen;
  let out = arena + arenaLen;
  let listDone = !mapChanged;
  let bodyDone = false;
  let run = cs;
  p = cs;
  while (p < ce) {
    let at = p;
    let t = <u32>readVarintTrusted(p);
    let after = skipTrusted(next, t & 7);
    if (t == tag && mapChanged) {
      copyBytes(out, run, at - run);
      out += at - run;
      run = after;
      if (!listDone) out = writeList(out, tag);
      listDone = true;
    } else if (t == 0x2a) {
      copyBytes(out, run, at - run);
      out += at - run;
      run = after;
      if (at == lastBody) {
        out = writeBody(out, bodyPtr, bodyLen, bodyContent);
        bodyDone = true;
      }
    }
    p = after;
  }
  copyBytes(out, run, ce - run);
  out += ce - run;
  if (!listDone) out = writeList(out, tag);
  if (!bodyDone) out = writeBody(out, bodyPtr, bodyLen, bodyContent);
  lastLen = (out - arena) - start;
  arenaLen = out - arena;
  return <u32>start + 1;
}

function writeBody(out: usize, p: usize, n: u32, content: usize): usize {
  out = writeVarint(writeVarint(out, 0x2a), <u64>content);
  out = writeVarint(writeVarint(out, 0x0a), <u64>n);
  copyBytes(out, p, n);
  return out + n;
}

export function editLastLen(): u32 {
  return <u32>lastLen;
}

/**
 * Runs the plan on the attributes (tag `attrTag`) of a span's `n` events or links and fills `tab`
 * with their replacements (arena offset + 1, length; 0 for the unchanged). From the index rows
 * starting at `rows` (content offsets at `startOff` / `endOff` of each `rowSize` row), or — for a
 * span whose content an earlier stage replaced (`over`) — from the children (field `fieldTag`)
 * found in its new content [cs, ce). Whether any child changed.
 */
function editChildren(
  plan: usize, tab: usize, n: u32, over: usize, cs: usize, ce: usize, fieldTag: u32, attrTag: u32,
  rows: usize, rowSize: usize, startOff: usize, endOff: usize,
): bool {
  let any = false;
  if (over) childRanges(cs, ce, fieldTag, n);
  for (let k: u32 = 0; k < n; k++) {
    store<u64>(tab + <usize>k * 8, 0);
    let ccs: usize;
    let cce: usize;
    if (over) {
      ccs = <usize>load<u32>(ranges + <usize>k * 8);
      cce = ccs + <usize>load<u32>(ranges + <usize>k * 8 + 4);
    } else {
      let row = rows + <usize>k * rowSize;
      ccs = IN + load<u32>(row + startOff);
      cce = IN + load<u32>(row + endOff);
    }
    if (!loadList(ccs, cce, attrTag, 0xffffffff)) break;
    applyPlan(plan);
    if (!changed || oomFlag) continue;
    let off = rewrite(ccs, cce, attrTag, true, 0, 0, 0, 0);
    store<u32>(tab + <usize>k * 8, <u32>off + 1);
    store<u32>(tab + <usize>k * 8 + 4, <u32>lastLen);
    any = true;
  }
  return any;
}

/**
 * Edits one batch (indexed, no truncated spans; attribute table built when the plan has
 * include/exclude) with `plan`. `keep` is a keep mask (one byte per span) from an earlier stage
 * that will go to the same splice, or 0: dropped spans are not edited. `spanIn` / `resIn` /
 * `scopeIn` are earlier stages' replacement tables (or 0): replaced messages are edited from their
 * replacement content, and passed on when this plan leaves them alone. `eligible` (or 0) marks the
 * spans an include/exclude evaluated outside the core selects. Fills editResult() with
 * replacement tables for the splice encoder; free them with editFreeResult(), or take them over.
 */
export function editAttributes(header: usize, plan: usize, keep: usize, spanIn: usize, resIn: usize, scopeIn: usize, eligible: usize): u32 {
  editBegin(header, plan);
  let nSpans = load<u32>(header + L.B_SPAN_COUNT);
  let targets = load<u32>(plan + A.EP_TARGETS);
  let spanRepl = allocZeroed(<usize>max<u32>(nSpans, 1) * 8);
  let maxChildren: u32 = 0;
  let spans = <usize>load<u32>(header + L.B_SPANS);
  for (let i: u32 = 0; i < nSpans; i++) {
    let s = spans + <usize>i * L.SP_ROW;
    maxChildren = max<u32>(maxChildren, max<u32>(load<u32>(s + L.SP_EVENT_COUNT), load<u32>(s + L.SP_LINK_COUNT)));
  }
  let evTab = allocZeroed(<usize>max<u32>(maxChildren, 1) * 8);
  let lkTab = allocZeroed(<usize>max<u32>(maxChildren, 1) * 8);
  ranges = allocZeroed(<usize>max<u32>(maxChildren, 1) * 8);
  if (!spanRepl || !evTab || !lkTab || !ranges) {
    free(evTab); free(lkTab); free(ranges);
    ranges = 0;
    oomFlag = true;
    return editEnd(spanRepl, nSpans, spanIn, keep, 0, resIn, scopeIn);
  }
  let spansEdited: u32 = 0;
  let include = <usize>load<u32>(plan + A.EP_INCLUDE);
  let exclude = <usize>load<u32>(plan + A.EP_EXCLUDE);
  let keyed = load<u32>(plan + A.EP_KIND) == A.EDIT_ATTRIBUTES && allActionsKeyed(plan);
  editEnvelope(plan, resIn, scopeIn);
  let events = <usize>load<u32>(header + L.B_EVENTS);
  let links = <usize>load<u32>(header + L.B_LINKS);
  for (let i: u32 = 0; i < nSpans && !oomFlag; i++) {
    let s = spans + <usize>i * L.SP_ROW;
    if (keep && !load<u8>(keep + i)) continue;
    // `eligible`: include/exclude the facade evaluated (regexp match_type), one byte per span.
    if (eligible && !load<u8>(eligible + i)) continue;
    if (include && !matchesSpan(header, include, s)) continue;
    if (exclude && matchesSpan(header, exclude, s)) continue;
    let anyChild = false;
    let ne = load<u32>(s + L.SP_EVENT_COUNT);
    let nl = load<u32>(s + L.SP_LINK_COUNT);
    let over = spanIn ? <usize>load<u32>(spanIn + <usize>i * 8) : 0;
    let cs = over ? over : IN + load<u32>(s + L.SP_CONTENT_START);
    let ce = over ? over + <usize>load<u32>(spanIn + <usize>i * 8 + 4) : IN + load<u32>(s + L.SP_CONTENT_END);
    if (targets & A.TARGET_EVENT) {
      if (editChildren(plan, evTab, ne, over, cs, ce, 0x5a, 0x1a, events + <usize>load<u32>(s + L.SP_EVENT_START) * L.E_ROW, L.E_ROW, L.E_CONTENT_START, L.E_CONTENT_END)) anyChild = true;
    }
    if (targets & A.TARGET_LINK) {
      if (editChildren(plan, lkTab, nl, over, cs, ce, 0x6a, 0x22, links + <usize>load<u32>(s + L.SP_LINK_START) * L.L_ROW, L.L_ROW, L.L_CONTENT_START, L.L_CONTENT_END)) anyChild = true;
    }
    let spanChanged = false;
    // Plans whose actions all need an existing key skip spans holding none of them.
    let attrCount = over ? 0xffffffff : load<u32>(s + L.SP_ATTR_COUNT);
    if (keyed && !anyChild && !holdsActionKey(plan, cs, ce, 0x4a, attrCount)) continue;
    if (targets & A.TARGET_SPAN) {
      if (!loadList(cs, ce, 0x4a, attrCount)) break;
      applyPlan(plan);
      spanChanged = changed;
    }
    if (oomFlag || (!spanChanged && !anyChild)) continue;
    let off = rewrite(cs, ce, 0x4a, spanChanged, 0x5a, (targets & A.TARGET_EVENT) && ne ? evTab : 0, 0x6a, (targets & A.TARGET_LINK) && nl ? lkTab : 0);
    if (oomFlag) break;
    store<u32>(spanRepl + <usize>i * 8, <u32>off + 1);
    store<u32>(spanRepl + <usize>i * 8 + 4, <u32>lastLen);
    spansEdited++;
  }
  free(evTab);
  free(lkTab);
  free(ranges);
  ranges = 0;
  return editEnd(spanRepl, nSpans, spanIn, keep, spansEdited, resIn, scopeIn);
}

/**
 * The index records where the Resource / InstrumentationScope *field* starts (its tag), although
 * the layout comment calls it the content start: step over the tag and length prefix.
 */
export function messageContent(fieldStart: usize): usize {
  readVarintTrusted(fieldStart);
  readVarintTrusted(next);
  return next;
}

/** Whether every action acts only on a key that already exists (no insert or upsert). */
export function allActionsKeyed(plan: usize): bool {
  let actions = <usize>load<u32>(plan + A.EP_ACTIONS);
  let n = load<u32>(plan + A.EP_ACTION_COUNT);
  for (let i: u32 = 0; i < n; i++) {
    let op = load<u32>(actions + <usize>i * A.AC_ROW + A.AC_OP);
    if (op == A.OP_INSERT || op == A.OP_UPSERT) return false;
    if (load<u32>(actions + <usize>i * A.AC_ROW + A.AC_PATTERN_BIT) != A.NO_PATTERN) return false;
  }
  return true;
}

/**
 * Whether one of the plan's action keys is among the first `count` attributes tagged `tag` in
 * [cs, ce) (keys compared only): plans whose actions all need an existing key skip the others.
 */
export function holdsActionKey(plan: usize, cs: usize, ce: usize, tag: u32, count: u32): bool {
  let actions = <usize>load<u32>(plan + A.EP_ACTIONS);
  let na = load<u32>(plan + A.EP_ACTION_COUNT);
  let n: u32 = 0;
  let p = cs;
  while (n < count) {
    let vs = nextField(p, ce, tag);
    if (!vs) break;
    p = fieldEnd;
    n++;
    // The key field normally leads the KeyValue; anything else takes the full path.
    if (load<u8>(vs) != 0x0a) return true;
    let kl = <u32>readVarintTrusted(vs + 1);
    let kp = next;
    for (let i: u32 = 0; i < na; i++) {
      let ac = actions + <usize>i * A.AC_ROW;
      if (load<u32>(ac + A.AC_KEY_LEN) == kl && bytesEqual(<usize>load<u32>(ac + A.AC_KEY), kp, kl)) return true;
    }
  }
  return false;
}

function fixup(tab: usize, n: u32, incoming: usize, keep: usize): void {
  for (let i: u32 = 0; i < n; i++) {
    let e = tab + <usize>i * 8;
    let off = load<u32>(e);
    if (off) store<u32>(e, <u32>(arena + <usize>off - 1));
    else if (incoming && (!keep || load<u8>(keep + i))) store<u64>(e, load<u64>(incoming + <usize>i * 8));
  }
}

let ranges: usize = 0;

/** (ptr, len) of the first `max` fields tagged `tag` in [cs, ce), into `ranges`. */
function childRanges(cs: usize, ce: usize, tag: u32, max: u32): void {
  let n: u32 = 0;
  let p = cs;
  while (p < ce && n < max) {
    let t = <u32>readVarintTrusted(p);
    if (t == tag) {
      let len = <usize>readVarintTrusted(next);
      store<u32>(ranges + <usize>n * 8, <u32>next);
      store<u32>(ranges + <usize>n * 8 + 4, <u32>len);
      n++;
      p = next + len;
    } else p = skipTrusted(next, t & 7);
  }
}

export function editFreeResult(): void {
  free(<usize>load<u32>(RESULT + A.ER_SPAN_REPL));
  free(<usize>load<u32>(RESULT + A.ER_RESOURCE_REPL));
  free(<usize>load<u32>(RESULT + A.ER_SCOPE_REPL));
  free(<usize>load<u32>(RESULT + A.ER_CONTENT));
  memory.fill(RESULT, 0, A.ER_SIZE);
}
