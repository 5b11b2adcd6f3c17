// Reading attribute values straight from the (already validated) protobuf bytes, and writing them
// into a series key in the canonical form (VK_* in abi/derived-metrics-layout.ts). The connectors read a
// handful of attributes per span; walking the span's bytes for them is cheaper than building the
// batch's whole attribute table, and works whether or not another component built it.
//
// Protobuf semantics follow the indexer's: within a KeyValue the last key and the last value win;
// within an AnyValue the last of its fields wins; only the first `limit` attributes of an owner are
// visible (the decode limits drop the rest).
import * as M from '../abi/derived-metrics-layout';
import { readVarintTrusted, skipTrusted, next, WT_LEN, WT_VARINT, WT_FIXED64 } from '../wire/reader';
import { bytesEqual } from '../hash';
import { kbU8, kbU32, kbU64, kbBytes, kbString, kbReserve, kb, kbLen } from './key-buffer';

/** Key range of the last parsed KeyValue. */
export let kvKeyPtr: usize = 0;
export let kvKeyLen: u32 = 0;
/** Value range (AnyValue content) of the last parsed KeyValue; kvHasValue false when absent. */
export let kvValStart: usize = 0;
export let kvValEnd: usize = 0;
export let kvHasValue: bool = false;

/** Parses the KeyValue content [cs, ce) into kvKey* / kvVal*. */
export function parseKeyValue(cs: usize, ce: usize): void {
  kvKeyPtr = cs;
  kvKeyLen = 0;
  kvHasValue = false;
  let p = cs;
  while (p < ce) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    let f = tag >>> 3;
    if ((f == 1 || f == 2) && (tag & 7) == WT_LEN) {
      let len = <u32>readVarintTrusted(p);
      let vs = next;
      if (f == 1) {
        kvKeyPtr = vs;
        kvKeyLen = len;
      } else {
        kvValStart = vs;
        kvValEnd = vs + len;
        kvHasValue = true;
      }
      p = vs + len;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
}

/**
 * Finds the first of the first `limit` KeyValues tagged `tag` in [cs, ce) whose key is (kp, kl).
 * Returns true and leaves the match in kvVal*; false when absent.
 */
export function findAttribute(cs: usize, ce: usize, tag: u32, limit: u32, kp: usize, kl: u32): bool {
  let n: u32 = 0;
  let p = cs;
  while (p < ce && n < limit) {
    let t = <u32>readVarintTrusted(p);
    p = next;
    if (t == tag) {
      let len = <usize>readVarintTrusted(p);
      let vs = next;
      parseKeyValue(vs, vs + len);
      if (kvKeyLen == kl && bytesEqual(kvKeyPtr, kp, kl)) return true;
      n++;
      p = vs + len;
    } else {
      p = skipTrusted(p, t & 7);
    }
  }
  return false;
}

// AnyValue field numbers.
const AV_STRING: u32 = 1;
const AV_BOOL: u32 = 2;
const AV_INT: u32 = 3;
const AV_DOUBLE: u32 = 4;
const AV_ARRAY: u32 = 5;
const AV_KVLIST: u32 = 6;
const AV_BYTES: u32 = 7;

let avField: u32 = 0;
let avStart: usize = 0;
let avEnd: usize = 0;
let avScalar: u64 = 0;

/** Finds the AnyValue's effective field (the last one present) in [cs, ce). */
function scanAnyValue(cs: usize, ce: usize): void {
  avField = 0;
  let p = cs;
  while (p < ce) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    let f = tag >>> 3;
    let wt = tag & 7;
    if (f >= 1 && f <= 7) {
      avField = f;
      if (wt == WT_LEN) {
        let len = <usize>readVarintTrusted(p);
        avStart = next;
        avEnd = next + len;
        p = avEnd;
      } else if (wt == WT_VARINT) {
        avScalar = readVarintTrusted(p);
        p = next;
      } else if (wt == WT_FIXED64) {
        avScalar = load<u64>(p);
        p += 8;
      } else {
        // The indexer rejects other wire types for these fields; unreachable for validated input.
        p = skipTrusted(p, wt);
      }
    } else {
      p = skipTrusted(p, wt);
    }
  }
}

/** Counts the `values` (field 1, LEN) entries of an ArrayValue / KeyValueList. */
function countValues(cs: usize, ce: usize): u32 {
  let n: u32 = 0;
  let p = cs;
  while (p < ce) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == ((1 << 3) | WT_LEN)) n++;
    p = skipTrusted(p, tag & 7);
  }
  return n;
}

/** The string in AnyValue content [cs, ce) as (strPtr, strLen); empty for any other type (pdata's Str()). */
export let strPtr: usize = 0;
export let strLen: u32 = 0;
export function anyValueString(cs: usize, ce: usize): void {
  scanAnyValue(cs, ce);
  if (avField == AV_STRING) {
    strPtr = avStart;
    strLen = <u32>(avEnd - avStart);
  } else {
    strPtr = cs;
    strLen = 0;
  }
}

/**
 * Appends the canonical form of the AnyValue content [cs, ce) to the key buffer. With `asString`,
 * strings, booleans and integers are written as strings (the collector's AsString(), used by the
 * servicegraph connector, whose attributes are all strings); other types keep their form and the
 * facade renders them.
 */
export function appendAnyValue(cs: usize, ce: usize, asString: bool): void {
  scanAnyValue(cs, ce);
  let f = avField;
  if (f == 0) {
    if (asString) {
      kbU8(M.VK_STRING);
      kbU32(0);
    } else kbU8(M.VK_EMPTY);
  } else if (f == AV_STRING || f == AV_BYTES) {
    kbString(f == AV_STRING ? M.VK_STRING : M.VK_BYTES, avStart, <u32>(avEnd - avStart));
  } else if (f == AV_BOOL) {
    if (asString) {
      appendAscii(avScalar != 0 ? 'true' : 'false');
    } else {
      kbU8(M.VK_BOOL);
      kbU8(avScalar != 0 ? 1 : 0);
    }
  } else if (f == AV_INT) {
    if (asString) appendDecimal(<i64>avScalar);
    else {
      kbU8(M.VK_INT);
      kbU64(avScalar);
    }
  } else if (f == AV_DOUBLE) {
    kbU8(M.VK_DOUBLE);
    kbU64(avScalar);
  } else if (f == AV_ARRAY) {
    let s = avStart;
    let e = avEnd;
    kbU8(M.VK_ARRAY);
    kbU32(countValues(s, e));
    let p = s;
    while (p < e) {
      let tag = <u32>readVarintTrusted(p);
      p = next;
      if (tag == ((1 << 3) | WT_LEN)) {
        let len = <usize>readVarintTrusted(p);
        let vs = next;
        appendAnyValue(vs, vs + len, false);
        p = vs + len;
      } else {
        p = skipTrusted(p, tag & 7);
      }
    }
  } else {
    let s = avStart;
    let e = avEnd;
    kbU8(M.VK_KVLIST);
    kbU32(countValues(s, e));
    let p = s;
    while (p < e) {
      let tag = <u32>readVarintTrusted(p);
      p = next;
      if (tag == ((1 << 3) | WT_LEN)) {
        let len = <usize>readVarintTrusted(p);
        let vs = next;
        parseKeyValue(vs, vs + len);
        kbU32(kvKeyLen);
        kbBytes(kvKeyPtr, kvKeyLen);
        if (kvHasValue) appendAnyValue(kvValStart, kvValEnd, false);
        else kbU8(M.VK_EMPTY);
        p = vs + len;
      } else {
        p = skipTrusted(p, tag & 7);
      }
    }
  }
}

/**
 * Appends the value of the most recently found attribute (kvVal*), which appendAnyValue may
 * overwrite while recursing: callers take its range first.
 */
export function appendFound(asString: bool): void {
  if (kvHasValue) appendAnyValue(kvValStart, kvValEnd, asString);
  else kbU8(M.VK_EMPTY);
}

/** An ASCII literal (AssemblyScript strings are UTF-16 in memory) as a VK_STRING. */
function appendAscii(s: string): void {
  let n = <u32>s.length;
  if (!kbReserve(5 + n)) return;
  store<u8>(kb + kbLen, M.VK_STRING);
  store<u32>(kb + kbLen + 1, n);
  for (let i: i32 = 0; i < s.length; i++) store<u8>(kb + kbLen + 5 + <usize>i, <u8>s.charCodeAt(i));
  kbLen += 5 + n;
}

/** An i64 as a decimal VK_STRING. */
function appendDecimal(v: i64): void {
  let neg = v < 0;
  // Magnitude as u64 so that i64.MIN_VALUE works.
  let m: u64 = neg ? <u64>(0 - v) : <u64>v;
  let digits: u32 = 1;
  for (let t = m; t >= 10; t /= 10) digits++;
  let n = digits + (neg ? 1 : 0);
  if (!kbReserve(5 + n)) return;
  store<u8>(kb + kbLen, M.VK_STRING);
  store<u32>(kb + kbLen + 1, n);
  let end = kb + kbLen + 5 + n;
  let p = end;
  do {
    p--;
    store<u8>(p, <u8>(48 + <u32>(m % 10)));
    m /= 10;
  } while (m != 0);
  if (neg) store<u8>(p - 1, 45);
  kbLen += 5 + n;
}
