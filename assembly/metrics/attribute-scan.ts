// Looking up several attribute keys in one pass over an owner's KeyValues. Each wanted key is a
// "slot" (key ptr, key len as two u32 in `keys`); a lookup result per slot is (value start u32,
// value end u32, flags u32) with F_FOUND and F_VALUE. The first matching attribute wins, like
// pdata's Map.Get.
import * as M from '../abi/derived-metrics-layout';
import { readVarintTrusted, skipTrusted, next } from '../wire/reader';
import { bytesEqual } from '../hash';
import { parseKeyValue, kvKeyPtr, kvKeyLen, kvValStart, kvValEnd, kvHasValue, appendAnyValue } from './attribute-values';
import { kbU8, kbU32 } from './key-buffer';

export const F_FOUND: u32 = 1;
export const F_VALUE: u32 = 2;
export const FOUND_SIZE: usize = 12;

/**
 * One pass over the first `limit` KeyValues tagged `tag` in [cs, ce), recording for slots
 * [from, to) the first attribute whose key matches, into `found` (indexed by slot).
 */
export function scanAttributes(cs: usize, ce: usize, tag: u32, limit: u32, keys: usize, found: usize, from: u32, to: u32): void {
  memory.fill(found + <usize>from * FOUND_SIZE, 0, <usize>(to - from) * FOUND_SIZE);
  let remaining = to - from;
  if (remaining == 0) return;
  let seen: u32 = 0;
  let p = cs;
  while (p < ce && seen < limit) {
    let t = <u32>readVarintTrusted(p);
    p = next;
    if (t != tag) {
      p = skipTrusted(p, t & 7);
      continue;
    }
    let len = <usize>readVarintTrusted(p);
    let vs = next;
    p = vs + len;
    seen++;
    // The usual shape, `0a klen key 12 vlen value` filling the KeyValue exactly, is read in place;
    // a key no slot wants is then skipped without touching the value.
    let kl = <u32>load<u8>(vs + 1);
    if (load<u8>(vs) == 0x0a && kl < 0x80) {
      let kp = vs + 2;
      let q = kp + kl;
      if (q + 2 <= p && load<u8>(q) == 0x12 && load<u8>(q + 1) < 0x80 && q + 2 + <usize>load<u8>(q + 1) == p) {
        kvKeyPtr = kp;
        kvKeyLen = kl;
        kvValStart = q + 2;
        kvValEnd = p;
        kvHasValue = true;
      } else {
        parseKeyValue(vs, p);
      }
    } else {
      parseKeyValue(vs, p);
    }
    for (let s = from; s < to; s++) {
      let at = found + <usize>s * FOUND_SIZE;
      if (load<u32>(at + 8)) continue;
      if (load<u32>(keys + <usize>s * 8 + 4) != kvKeyLen) continue;
      if (!bytesEqual(<usize>load<u32>(keys + <usize>s * 8), kvKeyPtr, kvKeyLen)) continue;
      store<u32>(at, <u32>kvValStart);
      store<u32>(at + 4, <u32>kvValEnd);
      store<u32>(at + 8, F_FOUND | (kvHasValue ? F_VALUE : 0));
      if (--remaining == 0) return;
    }
  }
}

/** Appends a lookup result's canonical value if it was found; returns whether it was. */
export function appendLookup(at: usize, asString: bool): bool {
  let flags = load<u32>(at + 8);
  if (!flags) return false;
  if (flags & F_VALUE) appendAnyValue(<usize>load<u32>(at), <usize>load<u32>(at + 4), asString);
  else if (asString) {
    // An attribute without a value reads as "" through AsString().
    kbU8(M.VK_STRING);
    kbU32(0);
  } else kbU8(M.VK_EMPTY);
  return true;
}

// @ts-ignore: decorator
@inline export function isFound(at: usize): bool {
  return load<u32>(at + 8) != 0;
}
