// Per-batch facts about each ResourceSpans that the connectors need once per resource rather than
// once per span: where its attributes are, its service.name, and the value ranges of configured
// dimensions found among its attributes. Resource attributes come from every Resource message of
// the ResourceSpans (repeated singular messages merge), read from the bytes.
import * as L from '../abi/trace-layout';
import { readVarintTrusted, skipTrusted, next, WT_LEN } from '../wire/reader';
import { findAttribute, kvValStart, kvValEnd, kvHasValue, parseKeyValue, kvKeyPtr, kvKeyLen } from './attribute-values';
import { alloc, free } from '../mem/alloc';

const TAG_RESOURCE: u32 = (1 << 3) | WT_LEN;
export const TAG_ATTRIBUTE_IN_RESOURCE: u32 = (1 << 3) | WT_LEN;
export const TAG_ATTRIBUTE_IN_SPAN: u32 = (9 << 3) | WT_LEN;
export const TAG_ATTRIBUTE_IN_EVENT: u32 = (3 << 3) | WT_LEN;

/** Value range of the attribute found by resourceFind (also left in attribute-values' kvVal*). */
export let foundStart: usize = 0;
export let foundEnd: usize = 0;
export let foundHasValue: bool = false;

/** Finds attribute (kp, kl) among a resource row's attributes. */
export function resourceFind(IN: usize, rrow: usize, kp: usize, kl: u32): bool {
  let p = IN + <usize>load<u32>(rrow + L.R_CONTENT_START);
  let e = IN + <usize>load<u32>(rrow + L.R_CONTENT_END);
  while (p < e) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == TAG_RESOURCE) {
      let len = <usize>readVarintTrusted(p);
      let ms = next;
      if (findAttribute(ms, ms + len, TAG_ATTRIBUTE_IN_RESOURCE, 0xffffffff, kp, kl)) {
        foundStart = kvValStart;
        foundEnd = kvValEnd;
        foundHasValue = kvHasValue;
        return true;
      }
      p = ms + len;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
  return false;
}

// A scratch list of a resource's attributes: (key ptr, key len, value start, value end, has value)
// as 5 u32 per entry, reused from batch to batch.
let list: usize = 0;
let listCap: u32 = 0;
export let listCount: u32 = 0;
export const LE_KEY = 0;
export const LE_KEY_LEN = 4;
export const LE_VAL = 8;
export const LE_VAL_END = 12;
export const LE_HAS_VALUE = 16;
export const LE_SIZE = 20;

// @ts-ignore: decorator
@inline export function listEntry(i: u32): usize {
  return list + <usize>i * LE_SIZE;
}

function listPush(): bool {
  if (listCount == listCap) {
    let cap = max<u32>(32, listCap * 2);
    let p = alloc(<usize>cap * LE_SIZE);
    if (!p) return false;
    if (list) {
      memory.copy(p, list, <usize>listCount * LE_SIZE);
      free(list);
    }
    list = p;
    listCap = cap;
  }
  let e = listEntry(listCount++);
  store<u32>(e + LE_KEY, <u32>kvKeyPtr);
  store<u32>(e + LE_KEY_LEN, kvKeyLen);
  store<u32>(e + LE_VAL, <u32>kvValStart);
  store<u32>(e + LE_VAL_END, <u32>kvValEnd);
  store<u32>(e + LE_HAS_VALUE, kvHasValue ? 1 : 0);
  return true;
}

/** Lists every attribute of a resource row in wire order; false when out of memory. */
export function listResourceAttributes(IN: usize, rrow: usize): bool {
  listCount = 0;
  let p = IN + <usize>load<u32>(rrow + L.R_CONTENT_START);
  let e = IN + <usize>load<u32>(rrow + L.R_CONTENT_END);
  while (p < e) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == TAG_RESOURCE) {
      let len = <usize>readVarintTrusted(p);
      let q = next;
      let me = q + len;
      while (q < me) {
        let t = <u32>readVarintTrusted(q);
        q = next;
        if (t == TAG_ATTRIBUTE_IN_RESOURCE) {
          let l = <usize>readVarintTrusted(q);
          let vs = next;
          parseKeyValue(vs, vs + l);
          if (!listPush()) return false;
          q = vs + l;
        } else {
          q = skipTrusted(q, t & 7);
        }
      }
      p = me;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
  return true;
}

/** Compares two byte strings: negative, zero or positive like memcmp, shorter first on a tie. */
export function compareBytes(a: usize, al: u32, b: usize, bl: u32): i32 {
  let n = min<u32>(al, bl);
  for (let i: u32 = 0; i < n; i++) {
    let x = <i32>load<u8>(a + i);
    let y = <i32>load<u8>(b + i);
    if (x != y) return x - y;
  }
  return <i32>al - <i32>bl;
}

/** Sorts the first n list entries by key bytes (insertion sort: resources have tens of attributes). */
export function sortListByKey(n: u32): void {
  let tmp = memory.data(LE_SIZE);
  for (let i: u32 = 1; i < n; i++) {
    memory.copy(tmp, listEntry(i), LE_SIZE);
    let kp = <usize>load<u32>(tmp + LE_KEY);
    let kl = load<u32>(tmp + LE_KEY_LEN);
    let j = i;
    while (j > 0) {
      let prev = listEntry(j - 1);
      if (compareBytes(<usize>load<u32>(prev + LE_KEY), load<u32>(prev + LE_KEY_LEN), kp, kl) <= 0) break;
      memory.copy(listEntry(j), prev, LE_SIZE);
      j--;
    }
    memory.copy(listEntry(j), tmp, LE_SIZE);
  }
}

/** Releases the scratch list (when the last connector state goes away). */
export function listRelease(): void {
  free(list);
  list = 0;
  listCap = 0;
  listCount = 0;
}
