// Looking one attribute up straight from a message's bytes (validated by the index), for callers
// that need a key or two per span and should not pay for building the whole attribute table.
import * as L from '../abi/trace-layout';
import { readVarintTrusted, skipTrusted, next } from '../wire/reader';

/** The value found by the last rawAttr call: type (V_*) and payload (string: absolute ptr | len << 32). */
export let rawType: u32 = 0;
export let rawValue: u64 = 0;

/**
 * Finds the first of the first `count` KeyValue fields tagged `tag` in [cs, ce) whose key is
 * [key, key+keyLen). Returns false when absent.
 */
export function rawAttr(cs: usize, ce: usize, tag: u32, count: u32, key: usize, keyLen: usize): bool {
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
    // The canonical shape `0A len key 12 len value` filling the message decides on the key's
    // length alone; anything else (repeated or reordered fields) takes the full walk below.
    if (load<u8>(vs) == 0x0a) {
      let kl0 = <usize>readVarintTrusted(vs + 1);
      let after = next + kl0;
      if (after < p && load<u8>(after) == 0x12) {
        let vl0 = <usize>readVarintTrusted(after + 1);
        if (next + vl0 == p && kl0 != keyLen) continue;
      }
    }
    let q = vs;
    let kp: usize = 0;
    let kl: usize = 0;
    let valStart: usize = 0;
    let valEnd: usize = 0;
    while (q < p) {
      let ft = <u32>readVarintTrusted(q);
      if (ft == 0x0a) {
        kl = <usize>readVarintTrusted(next);
        kp = next;
        q = kp + kl;
      } else if (ft == 0x12) {
        let vl = <usize>readVarintTrusted(next);
        valStart = next;
        valEnd = next + vl;
        q = valEnd;
      } else q = skipTrusted(next, ft & 7);
    }
    if (kl != keyLen || memory.compare(kp, key, kl) != 0) continue;
    rawType = L.V_EMPTY;
    rawValue = 0;
    q = valStart;
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
    return true;
  }
  return false;
}
