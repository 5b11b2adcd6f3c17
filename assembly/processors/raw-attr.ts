// Looking one attribute up straight from a message's bytes (validated by the index), for callers
// that need a key or two per span and should not pay for building the whole attribute table; and
// the field walks those lookups share with the editors that only peek at keys.
import * as L from '../abi/trace-layout';
import { readVarintTrusted, skipTrusted, next } from '../wire/reader';

/** The value found by the last rawAttr / readAnyValue call: type (V_*) and payload (string: absolute ptr | len << 32). */
export let rawType: u32 = 0;
export let rawValue: u64 = 0;

/** Where the field nextField found ends. */
export let fieldEnd: usize = 0;

/**
 * The content start of the first length-delimited field tagged `tag` in [p, ce), with its end in
 * fieldEnd; 0 when there is none (content never starts at address 0).
 */
export function nextField(p: usize, ce: usize, tag: u32): usize {
  while (p < ce) {
    let t = <u32>readVarintTrusted(p);
    if (t != tag) {
      p = skipTrusted(next, t & 7);
      continue;
    }
    let len = <usize>readVarintTrusted(next);
    let vs = next;
    fieldEnd = vs + len;
    return vs;
  }
  return 0;
}

/** The parts of the last KeyValue kvParts read: key bytes, AnyValue content range (0, 0 when absent). */
export let kvKey: usize = 0;
export let kvKeyLen: usize = 0;
export let kvValStart: usize = 0;
export let kvValEnd: usize = 0;

/** Reads the KeyValue content [vs, ve): the last key and value fields win, as in protobuf. */
export function kvParts(vs: usize, ve: usize): void {
  kvKey = vs;
  kvKeyLen = 0;
  kvValStart = 0;
  kvValEnd = 0;
  let q = vs;
  while (q < ve) {
    let ft = <u32>readVarintTrusted(q);
    if (ft == 0x0a) {
      kvKeyLen = <usize>readVarintTrusted(next);
      kvKey = next;
      q = kvKey + kvKeyLen;
    } else if (ft == 0x12) {
      let vl = <usize>readVarintTrusted(next);
      kvValStart = next;
      kvValEnd = next + vl;
      q = kvValEnd;
    } else q = skipTrusted(next, ft & 7);
  }
}

/** Whether the last kvParts key is [key, key+keyLen). */
export function kvKeyIs(key: usize, keyLen: usize): bool {
  return kvKeyLen == keyLen && memory.compare(kvKey, key, keyLen) == 0;
}

/** Decodes the AnyValue content [q, valEnd) into rawType / rawValue (the last value field wins). */
export function readAnyValue(q: usize, valEnd: usize): void {
  rawType = L.V_EMPTY;
  rawValue = 0;
  while (q < valEnd) {
    let vt = <u32>readVarintTrusted(q);
    let f = vt >>> 3;
    if (f == 1 || f == 7) {
      let sl = <usize>readVarintTrusted(next);
      rawType = f == 1 ? L.V_STRING : L.V_BYTES;
      rawValue = <u64>next | (<u64>sl << 32);
      q = next + sl;
    } else if (f == 2 || f == 3) {
      let v = readVarintTrusted(next);
      rawType = f == 2 ? L.V_BOOL : L.V_INT;
      rawValue = f == 2 ? <u64>(v != 0) : v;
      q = next;
    } else if (f == 4) {
      rawType = L.V_DOUBLE;
      rawValue = load<u64>(next);
      q = next + 8;
    } else {
      rawType = f == 5 ? L.V_ARRAY : f == 6 ? L.V_KVLIST : rawType;
      q = skipTrusted(next, vt & 7);
    }
  }
}

/**
 * Finds the first of the first `count` KeyValue fields tagged `tag` in [cs, ce) whose key is
 * [key, key+keyLen). Returns false when absent.
 */
export function rawAttr(cs: usize, ce: usize, tag: u32, count: u32, key: usize, keyLen: usize): bool {
  let n: u32 = 0;
  let p = cs;
  while (n < count) {
    let vs = nextField(p, ce, tag);
    if (!vs) break;
    p = fieldEnd;
    n++;
    kvParts(vs, p);
    if (!kvKeyIs(key, keyLen)) continue;
    readAnyValue(kvValStart, kvValEnd);
    return true;
  }
  return false;
}
