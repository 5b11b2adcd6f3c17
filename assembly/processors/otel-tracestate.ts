// The W3C tracestate with OpenTelemetry's `ot` entry (OTEP 235: `th` threshold, `rv` randomness),
// parsed into static scratch (no allocation per span) and re-serialised after a sampling decision:
// `ot=` first with rv, th, then the other ot fields; then the other vendors' entries unchanged.
import { validTraceState } from './w3c-tracestate';

export const MAX_MEMBERS = 32;
// Members other than `ot`: (keyPtr, keyLen, valPtr, valLen) each.
const MEMBERS = memory.data(MAX_MEMBERS * 16, 8);
// Extra `ot` fields (not rv/th): (ptr, len) of "k:v".
const OT_EXTRA = memory.data(64 * 8, 8);

export let memberCount: u32 = 0;
export let otExtraCount: u32 = 0;
export let hasRv = false;
export let rv: u64 = 0;
export let hasTh = false;
export let th: u64 = 0;
export let thPtr: usize = 0;
export let thLen: usize = 0;
export let hasOt = false;

export const MAX_ADJUSTED: u64 = (<u64>1) << 56;

export function hexVal(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x61 + 10);
  if (c >= 0x41 && c <= 0x46) return <i32>(c - 0x41 + 10);
  return -1;
}

export function parseHex(p: usize, n: usize): i64 {
  let v: u64 = 0;
  for (let i: usize = 0; i < n; i++) {
    let d = hexVal(<u32>load<u8>(p + i));
    if (d < 0) return -1;
    v = (v << 4) | <u64>d;
  }
  return <i64>v;
}

/** Parses the `ot` value's fields; false when it breaks OTel's grammar. */
function parseOt(p: usize, n: usize): bool {
  if (n > 256) return false;
  let end = p + n;
  let q = p;
  while (true) {
    let ks = q;
    if (q >= end || !(load<u8>(q) >= 0x61 && load<u8>(q) <= 0x7a)) return false;
    q++;
    while (q < end && ((load<u8>(q) >= 0x61 && load<u8>(q) <= 0x7a) || (load<u8>(q) >= 0x30 && load<u8>(q) <= 0x39))) q++;
    if (q >= end || load<u8>(q) != 0x3a) return false;
    let kl = q - ks;
    q++;
    let vs = q;
    while (q < end) {
      let c = <u32>load<u8>(q);
      let ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x2e || c == 0x5f || c == 0x2d;
      if (!ok) break;
      q++;
    }
    let vl = q - vs;
    if (kl == 2 && load<u8>(ks) == 0x72 && load<u8>(ks + 1) == 0x76) {
      if (vl != 14) return false;
      let v = parseHex(vs, vl);
      if (v < 0) return false;
      hasRv = true;
      rv = <u64>v;
    } else if (kl == 2 && load<u8>(ks) == 0x74 && load<u8>(ks + 1) == 0x68) {
      if (vl < 1 || vl > 14) return false;
      let v = parseHex(vs, vl);
      if (v < 0) return false;
      hasTh = true;
      th = <u64>v << (<u64>(14 - vl) * 4);
      thPtr = vs;
      thLen = vl;
    } else {
      if (otExtraCount >= 64) return false;
      store<u32>(OT_EXTRA + <usize>otExtraCount * 8, <u32>ks);
      store<u32>(OT_EXTRA + <usize>otExtraCount * 8 + 4, <u32>(q - ks));
      otExtraCount++;
    }
    if (q == end) return true;
    if (load<u8>(q) != 0x3b) return false;
    q++;
  }
  return true;
}

/** Parses a tracestate; false when it is invalid (then nothing may be rewritten). */
export function parseTraceState(p: usize, n: usize): bool {
  memberCount = 0;
  otExtraCount = 0;
  hasRv = hasTh = hasOt = false;
  rv = th = 0;
  if (n == 0) return true;
  if (!validTraceState(p, n)) return false;
  let end = p + n;
  let q = p;
  while (q <= end) {
    let m = q;
    while (m < end && load<u8>(m) != 0x2c) m++;
    let s = q;
    let e = m;
    while (s < e && (load<u8>(s) == 0x20 || load<u8>(s) == 0x09)) s++;
    while (e > s && (load<u8>(e - 1) == 0x20 || load<u8>(e - 1) == 0x09)) e--;
    if (e > s) {
      let eq = s;
      while (load<u8>(eq) != 0x3d) eq++;
      if (eq - s == 2 && load<u8>(s) == 0x6f && load<u8>(s + 1) == 0x74) {
        hasOt = true;
        if (!parseOt(eq + 1, e - eq - 1)) return false;
      } else {
        let row = MEMBERS + <usize>memberCount * 16;
        store<u32>(row, <u32>s);
        store<u32>(row + 4, <u32>(eq - s));
        store<u32>(row + 8, <u32>(eq + 1));
        store<u32>(row + 12, <u32>(e - eq - 1));
        memberCount++;
      }
    }
    if (m >= end) break;
    q = m + 1;
  }
  return true;
}

const HEX = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

/** 14 hex digits of a 56-bit value at out; returns the position after. */
export function hex14(out: usize, v: u64): usize {
  for (let i: i32 = 13; i >= 0; i--) {
    store<u8>(out + <usize>i, load<u8>(HEX + <usize>(v & 15)));
    v >>= 4;
  }
  return out + 14;
}

/** A threshold's th text (trailing zeros stripped; "0" for always): returns the length written. */
export function tvalue(out: usize, t: u64): usize {
  if (t == 0) {
    store<u8>(out, 0x30);
    return 1;
  }
  hex14(out, t);
  let n: usize = 14;
  while (n > 1 && load<u8>(out + n - 1) == 0x30) n--;
  return n;
}

function put(out: usize, src: usize, n: usize): usize {
  if (out) memory.copy(out, src, n);
  return n;
}

/**
 * Writes the tracestate (or sizes it, when out == 0) with rv/th as given: `newTh` is the threshold
 * to write, MAX_ADJUSTED for none; `keepThText` re-uses the arriving th text unchanged.
 */
export function writeTraceState(out: usize, writeRv: bool, rvValue: u64, newTh: u64, keepThText: bool): usize {
  let tmp = memory.data(32, 8);
  let n: usize = 0;
  let otFields: u32 = 0;
  let anyOt = writeRv || newTh < MAX_ADJUSTED || otExtraCount > 0;
  if (anyOt) {
    n += put(out ? out + n : 0, memory.data<u8>([0x6f, 0x74, 0x3d]), 3);
    if (writeRv) {
      n += put(out ? out + n : 0, memory.data<u8>([0x72, 0x76, 0x3a]), 3);
      hex14(tmp, rvValue);
      n += put(out ? out + n : 0, tmp, 14);
      otFields++;
    }
    if (newTh < MAX_ADJUSTED) {
      if (otFields) n += put(out ? out + n : 0, memory.data<u8>([0x3b]), 1);
      n += put(out ? out + n : 0, memory.data<u8>([0x74, 0x68, 0x3a]), 3);
      if (keepThText) n += put(out ? out + n : 0, thPtr, thLen);
      else {
        let len = tvalue(tmp, newTh);
        n += put(out ? out + n : 0, tmp, len);
      }
      otFields++;
    }
    for (let i: u32 = 0; i < otExtraCount; i++) {
      if (otFields) n += put(out ? out + n : 0, memory.data<u8>([0x3b]), 1);
      n += put(out ? out + n : 0, <usize>load<u32>(OT_EXTRA + <usize>i * 8), <usize>load<u32>(OT_EXTRA + <usize>i * 8 + 4));
      otFields++;
    }
  }
  for (let i: u32 = 0; i < memberCount; i++) {
    if (n) n += put(out ? out + n : 0, memory.data<u8>([0x2c]), 1);
    let row = MEMBERS + <usize>i * 16;
    n += put(out ? out + n : 0, <usize>load<u32>(row), <usize>load<u32>(row + 4));
    n += put(out ? out + n : 0, memory.data<u8>([0x3d]), 1);
    n += put(out ? out + n : 0, <usize>load<u32>(row + 8), <usize>load<u32>(row + 12));
  }
  return n;
}
