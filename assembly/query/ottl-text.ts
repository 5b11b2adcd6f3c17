// Text forms of OTTL values, computed in the core into the VM's scratch arena: the collector's
// StringLikeGetter (strings as they are, bytes as hex, numbers and bools as encoding/json writes
// them, maps and lists as JSON with sorted keys, ids as JSON arrays of bytes), pdata's AsString of
// a log body, and Go's strings.ToLower / ToUpper. Every writer runs twice: sizing (out == 0), then
// writing.
import * as L from '../abi/trace-layout';
import * as Q from '../abi/query-layout';
import { formatInt, formatDouble } from '../processors/number-text';
import { arenaAlloc } from './vm-arena';
import { input } from './vm-state';
import { vType, vAux, vPay, setV, valueFromRow, listElement } from './ottl-values';
import { LOWER, LOWER_RUNS, UPPER, UPPER_RUNS } from './unicode-case';

const HEX = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const B64 = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
  97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47,
]);
const NUM = memory.data(40, 8);
/** Why the last writer failed (RT_NOT_JSON, RT_TIME_TEXT), or 0. */
export let textError: u32 = 0;
const FAILED: isize = -1;

// @ts-ignore: decorator
@inline function put(out: usize, at: isize, c: u32): void {
  if (out) store<u8>(out + <usize>at, <u8>c);
}

function putBytes(out: usize, at: isize, p: usize, n: usize): void {
  if (out) memory.copy(out + <usize>at, p, n);
}

/** Lower-case hex of [p, p+n). */
export function hexText(out: usize, p: usize, n: u32): isize {
  if (out) {
    for (let i: u32 = 0; i < n; i++) {
      let b = <u32>load<u8>(p + i);
      store<u8>(out + (<usize>i << 1), load<u8>(HEX + (b >> 4)));
      store<u8>(out + (<usize>i << 1) + 1, load<u8>(HEX + (b & 15)));
    }
  }
  return <isize>n << 1;
}

/** Standard base64 with padding (encoding/json's []byte, pdata's AsString of bytes). */
function base64Text(out: usize, p: usize, n: u32): isize {
  let len = <isize>(((n + 2) / 3) * 4);
  if (!out) return len;
  let o: usize = 0;
  let i: u32 = 0;
  while (i + 3 <= n) {
    let v = (<u32>load<u8>(p + i) << 16) | (<u32>load<u8>(p + i + 1) << 8) | <u32>load<u8>(p + i + 2);
    store<u8>(out + o, load<u8>(B64 + (v >> 18)));
    store<u8>(out + o + 1, load<u8>(B64 + ((v >> 12) & 63)));
    store<u8>(out + o + 2, load<u8>(B64 + ((v >> 6) & 63)));
    store<u8>(out + o + 3, load<u8>(B64 + (v & 63)));
    o += 4;
    i += 3;
  }
  let rest = n - i;
  if (rest) {
    let v = <u32>load<u8>(p + i) << 16;
    if (rest == 2) v |= <u32>load<u8>(p + i + 1) << 8;
    store<u8>(out + o, load<u8>(B64 + (v >> 18)));
    store<u8>(out + o + 1, load<u8>(B64 + ((v >> 12) & 63)));
    store<u8>(out + o + 2, rest == 2 ? load<u8>(B64 + ((v >> 6) & 63)) : 61);
    store<u8>(out + o + 3, 61);
  }
  return len;
}

// ---------------------------------------------------------------------------------------------
// UTF-8, the way Go's utf8.DecodeRune reads it: invalid sequences are U+FFFD, one byte at a time.

export let runeWidth: u32 = 0;

export function decodeRune(p: usize, n: usize): u32 {
  let c0 = <u32>load<u8>(p);
  runeWidth = 1;
  if (c0 < 0x80) return c0;
  let need: u32 = 0;
  let min: u32 = 0;
  let cp: u32 = 0;
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    need = 1;
    cp = c0 & 0x1f;
    min = 0x80;
  } else if (c0 >= 0xe0 && c0 <= 0xef) {
    need = 2;
    cp = c0 & 0x0f;
    min = 0x800;
  } else if (c0 >= 0xf0 && c0 <= 0xf4) {
    need = 3;
    cp = c0 & 0x07;
    min = 0x10000;
  } else return 0xfffd;
  if (<usize>need >= n) return 0xfffd;
  for (let i: u32 = 1; i <= need; i++) {
    let c = <u32>load<u8>(p + i);
    if ((c & 0xc0) != 0x80) return 0xfffd;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0xfffd;
  runeWidth = need + 1;
  return cp;
}

export function encodeRune(out: usize, at: isize, cp: u32): isize {
  if (cp < 0x80) {
    put(out, at, cp);
    return 1;
  }
  if (cp < 0x800) {
    put(out, at, 0xc0 | (cp >> 6));
    put(out, at + 1, 0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    put(out, at, 0xe0 | (cp >> 12));
    put(out, at + 1, 0x80 | ((cp >> 6) & 0x3f));
    put(out, at + 2, 0x80 | (cp & 0x3f));
    return 3;
  }
  put(out, at, 0xf0 | (cp >> 18));
  put(out, at + 1, 0x80 | ((cp >> 12) & 0x3f));
  put(out, at + 2, 0x80 | ((cp >> 6) & 0x3f));
  put(out, at + 3, 0x80 | (cp & 0x3f));
  return 4;
}

// ---------------------------------------------------------------------------------------------
// JSON (encoding/json of the value's AsRaw form)

/** A JSON string as encoding/json writes it (HTML-safe escapes, invalid UTF-8 as \ufffd). */
function jsonString(out: usize, p: usize, n: usize): isize {
  let at: isize = 0;
  put(out, at++, 0x22);
  let i: usize = 0;
  while (i < n) {
    let c = <u32>load<u8>(p + i);
    if (c < 0x80) {
      if (c >= 0x20 && c != 0x22 && c != 0x5c && c != 0x3c && c != 0x3e && c != 0x26) {
        put(out, at++, c);
      } else if (c == 0x22 || c == 0x5c) {
        put(out, at++, 0x5c);
        put(out, at++, c);
      } else if (c == 0x0a || c == 0x0d || c == 0x09 || c == 0x08 || c == 0x0c) {
        put(out, at++, 0x5c);
        put(out, at++, c == 0x0a ? 0x6e : c == 0x0d ? 0x72 : c == 0x09 ? 0x74 : c == 0x08 ? 0x62 : 0x66);
      } else {
        put(out, at++, 0x5c);
        put(out, at++, 0x75);
        put(out, at++, 0x30);
        put(out, at++, 0x30);
        put(out, at++, load<u8>(HEX + (c >> 4)));
        put(out, at++, load<u8>(HEX + (c & 15)));
      }
      i++;
      continue;
    }
    let cp = decodeRune(p + i, n - i);
    if ((cp == 0xfffd && runeWidth == 1) || cp == 0x2028 || cp == 0x2029) {
      let code = cp == 0xfffd ? 0xfffd : cp;
      put(out, at++, 0x5c);
      put(out, at++, 0x75);
      put(out, at++, load<u8>(HEX + (code >> 12)));
      put(out, at++, load<u8>(HEX + ((code >> 8) & 15)));
      put(out, at++, load<u8>(HEX + ((code >> 4) & 15)));
      put(out, at++, load<u8>(HEX + (code & 15)));
    } else {
      putBytes(out, at, p + i, runeWidth);
      at += runeWidth;
    }
    i += runeWidth;
  }
  put(out, at++, 0x22);
  return at;
}

function numberText(out: usize, v: usize): isize {
  let t = vType(v);
  let n: usize;
  if (t == Q.VT_FLOAT) {
    let f = reinterpret<f64>(vPay(v));
    if (f != f || f == Infinity || f == -Infinity) {
      textError = Q.RT_NOT_JSON;
      return FAILED;
    }
    n = formatDouble(NUM, f);
  } else {
    n = formatInt(NUM, <i64>vPay(v));
  }
  putBytes(out, 0, NUM, n);
  return <isize>n;
}

// Scratch slots for nested values, one per level (depth is bounded by the decoder's limit).
const MAX_DEPTH: u32 = 600;
const ELEM = memory.data(<i32>(MAX_DEPTH * Q.C_SIZE), 8);

function keyLess(a: usize, b: usize): bool {
  let ka = input + <usize>load<u32>(a + L.A_KEY_OFF);
  let kb = input + <usize>load<u32>(b + L.A_KEY_OFF);
  let la = load<u32>(a + L.A_KEY_LEN);
  let lb = load<u32>(b + L.A_KEY_LEN);
  let n = min<u32>(la, lb);
  for (let i: u32 = 0; i < n; i++) {
    let x = load<u8>(ka + i);
    let y = load<u8>(kb + i);
    if (x != y) return x < y;
  }
  return la < lb;
}

function sameKey(a: usize, b: usize): bool {
  let la = load<u32>(a + L.A_KEY_LEN);
  if (la != load<u32>(b + L.A_KEY_LEN)) return false;
  return memory.compare(input + <usize>load<u32>(a + L.A_KEY_OFF), input + <usize>load<u32>(b + L.A_KEY_OFF), la) == 0;
}

/** A map as encoding/json writes map[string]any: keys sorted by bytes, a repeated key's last value. */
function jsonMap(out: usize, rows: usize, n: u32, depth: u32): isize {
  // Each map's key order lives on the arena (nested maps sort their own).
  let mine = arenaAlloc(max<usize>(<usize>n << 2, 4));
  if (!mine) {
    textError = Q.RT_OUT_OF_MEMORY;
    return FAILED;
  }
  // Insertion sort, stable: equal keys keep wire order, so the last of them is written.
  let m: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let row = rows + <usize>i * L.A_ROW;
    let j = m;
    while (j > 0 && keyLess(row, <usize>load<u32>(mine + (<usize>(j - 1) << 2)))) {
      store<u32>(mine + (<usize>j << 2), load<u32>(mine + (<usize>(j - 1) << 2)));
      j--;
    }
    store<u32>(mine + (<usize>j << 2), <u32>row);
    m++;
  }
  let at: isize = 0;
  put(out, at++, 0x7b);
  let first = true;
  let slot = ELEM + <usize>depth * Q.C_SIZE;
  for (let i: u32 = 0; i < m; i++) {
    let row = <usize>load<u32>(mine + (<usize>i << 2));
    if (i + 1 < m && sameKey(row, <usize>load<u32>(mine + (<usize>(i + 1) << 2)))) continue;
    if (!first) put(out, at++, 0x2c);
    first = false;
    let kn = jsonString(out ? out + <usize>at : 0, input + <usize>load<u32>(row + L.A_KEY_OFF), load<u32>(row + L.A_KEY_LEN));
    at += kn;
    put(out, at++, 0x3a);
    valueFromRow(row, slot);
    let vn = jsonValue(out ? out + <usize>at : 0, slot, depth + 1);
    if (vn < 0) return FAILED;
    at += vn;
  }
  put(out, at++, 0x7d);
  return at;
}

/** The JSON text of a value (nil and empty values are null). */
export function jsonValue(out: usize, v: usize, depth: u32): isize {
  if (depth >= MAX_DEPTH) {
    textError = Q.RT_OUT_OF_MEMORY;
    return FAILED;
  }
  switch (vType(v)) {
    case Q.VT_NIL: {
      if (out) {
        store<u8>(out, 0x6e);
        store<u8>(out + 1, 0x75);
        store<u8>(out + 2, 0x6c);
        store<u8>(out + 3, 0x6c);
      }
      return 4;
    }
    case Q.VT_BOOL:
      return boolText(out, vPay(v) != 0);
    case Q.VT_INT:
    case Q.VT_FLOAT:
    case Q.VT_DURATION:
      return numberText(out, v);
    case Q.VT_STRING:
      return jsonString(out, <usize>vPay(v), vAux(v));
    case Q.VT_BYTES: {
      let n = base64Text(0, <usize>vPay(v), vAux(v));
      if (out) {
        store<u8>(out, 0x22);
        base64Text(out + 1, <usize>vPay(v), vAux(v));
        store<u8>(out + 1 + <usize>n, 0x22);
      }
      return n + 2;
    }
    case Q.VT_ID:
      return idArrayText(out, v);
    case Q.VT_MAP:
      return jsonMap(out, <usize>vPay(v), vAux(v), depth);
    case Q.VT_LIST:
    case Q.VT_VLIST: {
      let at: isize = 0;
      put(out, at++, 0x5b);
      let slot = ELEM + <usize>depth * Q.C_SIZE;
      let n = vAux(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i) put(out, at++, 0x2c);
        listElement(v, i, slot);
        let en = jsonValue(out ? out + <usize>at : 0, slot, depth + 1);
        if (en < 0) return FAILED;
        at += en;
      }
      put(out, at++, 0x5d);
      return at;
    }
  }
  textError = Q.RT_TIME_TEXT;
  return FAILED;
}

function boolText(out: usize, b: bool): isize {
  let s = b ? 'true' : 'false';
  if (out) for (let i = 0; i < s.length; i++) store<u8>(out + <usize>i, <u8>s.charCodeAt(i));
  return <isize>s.length;
}

/** A [16]byte / [8]byte id as encoding/json writes a Go array: [1,2,…]. */
function idArrayText(out: usize, v: usize): isize {
  let p = <usize>vPay(v);
  let n = vAux(v) & 0xff;
  let at: isize = 0;
  put(out, at++, 0x5b);
  for (let i: u32 = 0; i < n; i++) {
    if (i) put(out, at++, 0x2c);
    let k = formatInt(NUM, <i64>load<u8>(p + i));
    putBytes(out, at, NUM, k);
    at += <isize>k;
  }
  put(out, at++, 0x5d);
  return at;
}

// ---------------------------------------------------------------------------------------------
// Entry points: write into the arena and leave a VT_STRING in `dst`

/** Runs a writer twice (size, then write into the arena). 0 or an RT_* code. */
function intoArena(kind: u32, v: usize, dst: usize): u32 {
  textError = 0;
  let n = write(kind, 0, v);
  if (n < 0) return textError;
  let p = arenaAlloc(max<usize>(<usize>n, 1));
  if (!p) return Q.RT_OUT_OF_MEMORY;
  write(kind, p, v);
  setV(dst, Q.VT_STRING, <u32>n, <u64>p);
  return 0;
}

const W_LIKE: u32 = 0;
const W_AS_STRING: u32 = 1;

function write(kind: u32, out: usize, v: usize): isize {
  let t = vType(v);
  if (t == Q.VT_BYTES) return kind == W_LIKE ? hexText(out, <usize>vPay(v), vAux(v)) : base64Text(out, <usize>vPay(v), vAux(v));
  if (t == Q.VT_MAP || t == Q.VT_LIST || t == Q.VT_VLIST) {
    let n = jsonValue(out, v, 0);
    // pdata's AsString ignores the marshalling error and gives "".
    if (n < 0 && kind == W_AS_STRING) return 0;
    return n;
  }
  if (t == Q.VT_NIL) return 0; // AsString of an empty value
  if (t == Q.VT_FLOAT && kind == W_AS_STRING) {
    let n = formatDouble(NUM, reinterpret<f64>(vPay(v)));
    putBytes(out, 0, NUM, n);
    return <isize>n;
  }
  return jsonValue(out, v, 0);
}

/**
 * The collector's StringLikeGetter: `dst` becomes the string form of `v` (which must not be nil;
 * strings are left as they are). 0 or an RT_* code.
 */
export function stringLike(v: usize, dst: usize): u32 {
  if (vType(v) == Q.VT_STRING) {
    if (v != dst) {
      store<u64>(dst, load<u64>(v));
      store<u64>(dst + 8, load<u64>(v + 8));
    }
    return 0;
  }
  return intoArena(W_LIKE, v, dst);
}

/** pdata's Value.AsString of an attribute-like value (a log body): `dst` becomes a string. */
export function asString(v: usize, dst: usize): u32 {
  if (vType(v) == Q.VT_STRING) {
    if (v != dst) {
      store<u64>(dst, load<u64>(v));
      store<u64>(dst + 8, load<u64>(v + 8));
    }
    return 0;
  }
  return intoArena(W_AS_STRING, v, dst);
}

/** A row's value as AsString, for body.string. */
export function rowAsString(row: usize, dst: usize): u32 {
  valueFromRow(row, dst);
  return asString(dst, dst);
}

/** Lower-case hex of `n` id bytes at `p` into `dst` (trace_id.string and friends). */
export function hexString(p: usize, n: u32, dst: usize): u32 {
  let out = arenaAlloc(<usize>n << 1);
  if (!out) return Q.RT_OUT_OF_MEMORY;
  hexText(out, p, n);
  setV(dst, Q.VT_STRING, n << 1, <u64>out);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Case mapping (Go's strings.ToLower / strings.ToUpper)

function mapRune(cp: u32, table: usize, runs: u32): u32 {
  let lo: u32 = 0;
  let hi = runs;
  while (lo < hi) {
    let mid = (lo + hi) >> 1;
    let e = table + <usize>mid * 12;
    let first = load<u32>(e);
    let last = load<u32>(e + 4) & 0x7fffffff;
    if (cp < first) hi = mid;
    else if (cp > last) lo = mid + 1;
    else {
      let stride2 = (load<u32>(e + 4) >> 31) != 0;
      if (stride2 && ((cp - first) & 1)) return cp;
      return <u32>(<i32>cp + load<i32>(e + 8));
    }
  }
  return cp;
}

/**
 * strings.ToLower (upper = false) or strings.ToUpper of the string in `v`, into `dst`. Invalid
 * UTF-8 comes out as U+FFFD, as strings.Map writes it.
 */
export function changeCase(v: usize, dst: usize, upper: bool): u32 {
  let p = <usize>vPay(v);
  let n = <usize>vAux(v);
  let ascii = true;
  for (let i: usize = 0; i < n; i++) {
    if (load<u8>(p + i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  let cap = ascii ? n : n * 3;
  let out = arenaAlloc(max<usize>(cap, 1));
  if (!out) return Q.RT_OUT_OF_MEMORY;
  let at: isize = 0;
  if (ascii) {
    for (let i: usize = 0; i < n; i++) {
      let c = <u32>load<u8>(p + i);
      if (upper && c >= 0x61 && c <= 0x7a) c -= 32;
      else if (!upper && c >= 0x41 && c <= 0x5a) c += 32;
      store<u8>(out + i, <u8>c);
    }
    at = <isize>n;
  } else {
    let i: usize = 0;
    while (i < n) {
      let cp = decodeRune(p + i, n - i);
      i += runeWidth;
      at += encodeRune(out, at, upper ? mapRune(cp, UPPER, UPPER_RUNS) : mapRune(cp, LOWER, LOWER_RUNS));
    }
  }
  setV(dst, Q.VT_STRING, <u32>at, <u64>out);
  return 0;
}
