// The attribute table: KeyValue rows for resources, scopes and every signal's items (spans, events,
// links, log records and their bodies, metrics, data points, exemplars), and the nested table for
// array elements and kvlist entries at any depth (layouts in abi/batch-layout.ts).
//
// It is built on demand, after the index pass validated every attribute (attr-check.ts): many
// pipelines decide on ids, status and times alone and never pay for it. Array and kvlist elements
// go to the nested table: a container first counts its elements, reserves that many rows, then fills
// them, so its direct children are contiguous and deeper levels append after them.
import * as L from '../abi/batch-layout';
import * as E from '../abi/errors';
import { alloc, realloc, free } from '../mem/alloc';
import { fail, failPlain, failed, setContext } from '../errors';
import {
  readVarint, readTag, readLen, readFixed64, skipValue, skipTrusted, readVarintTrusted, next,
  WT_VARINT, WT_FIXED64, WT_LEN,
} from '../wire/reader';
import { hash32 } from '../hash';

const TBL_ATTRS: i32 = 0;
const TBL_NESTED: i32 = 1;
const TAG_VALUES: u32 = (1 << 3) | 2;

let IN: usize = 0;
let attrs: usize = 0;
let nested: usize = 0;
let attrCount: u32 = 0;
let nestedCount: u32 = 0;
let attrCap: u32 = 0;
let nestedCap: u32 = 0;
let maxDepth: u32 = 64;

// @ts-ignore: decorator
@inline function rel(p: usize): u32 {
  return <u32>(p - IN);
}

// @ts-ignore: decorator
@inline function rowAddr(tbl: i32, idx: u32): usize {
  return tbl == TBL_ATTRS ? attrs + <usize>idx * L.A_ROW : nested + <usize>idx * L.A_ROW;
}

function wrongWireType(tag: u32, at: usize): void {
  fail(E.ERR_WRONG_WIRE_TYPE, at, tag & 7);
}

function grow(ptr: usize, cap: u32, need: u32, row: usize): usize {
  let newCap = max<u32>(need, cap + (cap >> 1) + 16);
  let p = realloc(ptr, <usize>newCap * row);
  if (!p) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>newCap * row);
    return 0;
  }
  return p;
}

function reserveAttrRows(tbl: i32, n: u32): bool {
  if (tbl == TBL_ATTRS) {
    if (attrCount + n > attrCap) {
      let need = attrCount + n;
      let newCap = max<u32>(need, attrCap + (attrCap >> 1) + 16);
      let p = grow(attrs, attrCap, newCap, L.A_ROW);
      if (!p) return false;
      attrs = p;
      attrCap = newCap;
    }
  } else {
    if (nestedCount + n > nestedCap) {
      let need = nestedCount + n;
      let newCap = max<u32>(need, nestedCap + (nestedCap >> 1) + 16);
      let p = grow(nested, nestedCap, newCap, L.A_ROW);
      if (!p) return false;
      nested = p;
      nestedCap = newCap;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// AnyValue, KeyValue, ArrayValue, KeyValueList

/**
 * Depth follows the OTel SDKs' AttributeValueDepthLimit: an attribute's value is at depth 1 and
 * array elements / kvlist values one deeper than their container. A scalar may sit at any depth;
 * an array or kvlist deeper than the limit is an error. Recursion is thereby bounded by the limit.
 */
function parseAnyValue(tbl: i32, idx: u32, cs: usize, ce: usize, depth: u32): void {
  let type: u32 = L.V_EMPTY;
  let value: u64 = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_ANY_VALUE, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_ANY_VALUE, f);
    if (f >= 1 && f <= 7) {
      let wt = tag & 7;
      if (f == 1 || f == 7) {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let len = readLen(p, ce);
        if (failed) return;
        type = f == 1 ? L.V_STRING : L.V_BYTES;
        value = <u64>rel(next) | (<u64>len << 32);
        p = next + len;
      } else if (f == 2 || f == 3) {
        if (wt != WT_VARINT) return wrongWireType(tag, at);
        let v = readVarint(p, ce);
        if (failed) return;
        if (f == 2) {
          type = L.V_BOOL;
          value = v != 0 ? 1 : 0;
        } else {
          type = L.V_INT;
          value = v;
        }
        p = next;
      } else if (f == 4) {
        if (wt != WT_FIXED64) return wrongWireType(tag, at);
        value = readFixed64(p, ce);
        if (failed) return;
        type = L.V_DOUBLE;
        p = next;
      } else {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        if (depth > maxDepth) return fail(E.ERR_DEPTH_LIMIT, at, maxDepth);
        let len = readLen(p, ce);
        if (failed) return;
        let vs = next;
        value = parseValues(vs, vs + len, depth, f == 6);
        if (failed) return;
        type = f == 5 ? L.V_ARRAY : L.V_KVLIST;
        p = vs + len;
      }
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
  let row = rowAddr(tbl, idx);
  store<u32>(row + L.A_TYPE, type);
  store<u64>(row + L.A_VALUE, value);
}

/** Counts the `values` fields of an ArrayValue/KeyValueList, validating every field. */
function countValues(cs: usize, ce: usize, message: u32): u32 {
  let n: u32 = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(message, 0);
    let tag = readTag(p, ce);
    if (failed) return 0;
    setContext(message, tag >>> 3);
    if (tag >>> 3 == 1 && (tag & 7) != WT_LEN) {
      wrongWireType(tag, at);
      return 0;
    }
    if (tag == TAG_VALUES) n++;
    p = skipValue(next, ce, tag, at);
    if (failed) return 0;
  }
  return n;
}

/**
 * An ArrayValue (elements are AnyValues) or a KeyValueList (elements are KeyValues): count, reserve
 * contiguous nested rows, then fill them one level deeper. Returns first row | count << 32.
 */
function parseValues(cs: usize, ce: usize, depth: u32, keyValues: bool): u64 {
  let n = countValues(cs, ce, keyValues ? E.MSG_KEY_VALUE_LIST : E.MSG_ARRAY_VALUE);
  if (failed || !reserveAttrRows(TBL_NESTED, n)) return 0;
  let start = nestedCount;
  nestedCount += n;
  memory.fill(nested + <usize>start * L.A_ROW, 0, <usize>n * L.A_ROW);
  let k: u32 = 0;
  let p = cs;
  while (p < ce) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == TAG_VALUES) {
      let len = <usize>readVarintTrusted(p);
      let vs = next;
      if (keyValues) parseKeyValue(TBL_NESTED, start + k, vs, vs + len, depth + 1);
      else parseAnyValue(TBL_NESTED, start + k, vs, vs + len, depth + 1);
      if (failed) return 0;
      k++;
      p = vs + len;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
  return <u64>start | (<u64>n << 32);
}

/** Parses a KeyValue into row `idx` of `tbl` (the row must be reserved and zeroed). */
function parseKeyValue(tbl: i32, idx: u32, cs: usize, ce: usize, depth: u32): void {
  let keyOff: u32 = rel(cs);
  let keyLen: u32 = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_KEY_VALUE, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_KEY_VALUE, f);
    if (f == 1) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      keyLen = readLen(p, ce);
      if (failed) return;
      keyOff = rel(next);
      p = next + keyLen;
    } else if (f == 2) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      parseAnyValue(tbl, idx, vs, vs + len, depth);
      if (failed) return;
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
  let row = rowAddr(tbl, idx);
  store<u32>(row + L.A_KEY_HASH, hash32(IN + keyOff, keyLen));
  store<u32>(row + L.A_KEY_OFF, keyOff);
  store<u32>(row + L.A_KEY_LEN, keyLen);
}

/** A length prefix of one or two bytes at p, or -1 (longer ones take the general path). */
// @ts-ignore: decorator
@inline function shortLen(p: usize): i32 {
  let b0 = <i32>load<u8>(p);
  if (b0 < 0x80) return b0;
  let b1 = <i32>load<u8>(p + 1);
  if (b1 < 0x80) return (b0 & 0x7f) | (b1 << 7);
  return -1;
}

// @ts-ignore: decorator
@inline function shortLenSize(n: i32): usize {
  return n < 0x80 ? 1 : 2;
}

/**
 * The common shape of a KeyValue, `0A len key 12 len <one AnyValue scalar field>`, with every
 * byte of [cs, ce) accounted for, is decoded without the general field loop. Anything else —
 * unknown fields, repeated fields, containers, long lengths, malformed bytes — returns false and
 * takes the general path, which also does all error reporting. With row == 0 it only validates.
 */
// @ts-ignore: decorator
@inline export function fastKeyValue(row: usize, cs: usize, ce: usize): bool {
  if (cs + 4 > ce || load<u8>(cs) != 0x0a) return false;
  let klen = shortLen(cs + 1);
  if (klen < 0) return false;
  let ks = cs + 1 + shortLenSize(klen);
  let p = ks + <usize>klen;
  if (p + 2 > ce || load<u8>(p) != 0x12) return false;
  let vlen = shortLen(p + 1);
  if (vlen < 0) return false;
  let vs = p + 1 + shortLenSize(vlen);
  if (vs + <usize>vlen != ce) return false;
  let type: u32;
  let value: u64;
  if (vlen == 0) {
    type = L.V_EMPTY;
    value = 0;
  } else {
    let t = load<u8>(vs);
    if (t == 0x0a || t == 0x3a) {
      let slen = shortLen(vs + 1);
      if (slen < 0) return false;
      let ss = vs + 1 + shortLenSize(slen);
      if (ss + <usize>slen != ce) return false;
      type = t == 0x0a ? L.V_STRING : L.V_BYTES;
      value = <u64>rel(ss) | (<u64>slen << 32);
    } else if (t == 0x18 || t == 0x10) {
      // varint: must end exactly at ce, at most 10 bytes, 10th byte ≤ 1
      let q = vs + 1;
      let v: u64 = 0;
      let shift: u64 = 0;
      while (true) {
        if (q >= ce) return false;
        let b = <u64>load<u8>(q++);
        if (shift == 63 && b > 1) return false;
        v |= (b & 0x7f) << shift;
        if (b < 0x80) break;
        shift += 7;
      }
      if (q != ce) return false;
      type = t == 0x18 ? L.V_INT : L.V_BOOL;
      value = t == 0x18 ? v : <u64>(v != 0);
    } else if (t == 0x21) {
      if (vs + 9 != ce) return false;
      type = L.V_DOUBLE;
      value = load<u64>(vs + 1);
    } else {
      return false;
    }
  }
  if (row) {
    store<u32>(row + L.A_KEY_HASH, hash32(ks, <usize>klen));
    store<u32>(row + L.A_KEY_OFF, rel(ks));
    store<u32>(row + L.A_KEY_LEN, <u32>klen);
    store<u32>(row + L.A_TYPE, type);
    store<u64>(row + L.A_VALUE, value);
  }
  return true;
}


/** Starts a table for `attributes` top-level rows (known exactly from the index pass). */
export function attrBuildBegin(input: usize, attributes: u32, nestedGuess: u32, depthLimit: u32): bool {
  IN = input;
  maxDepth = depthLimit;
  attrCount = 0;
  nestedCount = 0;
  attrCap = attributes > 0 ? attributes : 1;
  nestedCap = nestedGuess > 0 ? nestedGuess : 16;
  attrs = alloc(<usize>attrCap * L.A_ROW);
  nested = alloc(<usize>nestedCap * L.A_ROW);
  if (!attrs || !nested) {
    free(attrs);
    free(nested);
    attrs = nested = 0;
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>attrCap * L.A_ROW);
    return false;
  }
  return true;
}

/** Appends the KeyValue at [cs, ce) as the next top-level row; false on error. */
export function attrAppend(cs: usize, ce: usize): bool {
  if (attrCount >= attrCap && !reserveAttrRows(TBL_ATTRS, 1)) return false;
  let idx = attrCount++;
  let row = rowAddr(TBL_ATTRS, idx);
  if (fastKeyValue(row, cs, ce)) return true;
  memory.fill(row, 0, L.A_ROW);
  parseKeyValue(TBL_ATTRS, idx, cs, ce, 1);
  return !failed;
}

/**
 * Appends an AnyValue at [cs, ce) (a log record's body) as the next top-level row, with an empty
 * key. It sits at depth 1, like an attribute's value.
 */
export function attrAppendValue(cs: usize, ce: usize): bool {
  if (attrCount >= attrCap && !reserveAttrRows(TBL_ATTRS, 1)) return false;
  let idx = attrCount++;
  let row = rowAddr(TBL_ATTRS, idx);
  memory.fill(row, 0, L.A_ROW);
  store<u32>(row + L.A_KEY_HASH, hash32(cs, 0));
  store<u32>(row + L.A_KEY_OFF, rel(cs));
  parseAnyValue(TBL_ATTRS, idx, cs, ce, 1);
  return !failed;
}

export function attrCountSoFar(): u32 {
  return attrCount;
}

export function attrTable(): usize {
  return attrs;
}

export function nestedTable(): usize {
  return nested;
}

export function nestedRows(): u32 {
  return nestedCount;
}

/** Releases the tables of a build that failed. */
export function attrBuildAbort(): void {
  free(attrs);
  free(nested);
  attrs = nested = 0;
}
