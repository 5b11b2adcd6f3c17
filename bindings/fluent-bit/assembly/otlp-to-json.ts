// A log record (indexed, so its bytes are valid) back to a Fluent Bit record in JSON event format:
// one object whose keys are the record's attributes in order, with the body under the body key at
// the position it came from. Values: strings (escaped), int64 and doubles as JSON numbers (NaN and
// infinities, which JSON cannot hold, as null), booleans, empty values as null, bytes as base64,
// arrays and kvlists as arrays and objects. The text is NUL-terminated in a buffer the module owns
// and reuses: Fluent Bit copies the string and never frees it.
import { realloc } from '../../../assembly/mem/alloc';
import { readVarintTrusted, skipTrusted, next } from '../../../assembly/wire/reader';
import { formatInt, formatDouble } from '../../../assembly/processors/number-text';

let out: usize = 0;
let cap: usize = 0;
let len: usize = 0;
let failed = false;

function reserve(n: usize): bool {
  if (len + n <= cap) return true;
  let c = max<usize>(cap * 2, len + n + 1024);
  let q = realloc(out, c);
  if (!q) {
    failed = true;
    return false;
  }
  out = q;
  cap = c;
  return true;
}

function byte(b: u32): void {
  if (!reserve(1)) return;
  store<u8>(out + len, <u8>b);
  len++;
}

const HEX = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

function jsonString(s: usize, n: usize): void {
  if (!reserve(n * 6 + 2)) return;
  let w = out + len;
  store<u8>(w++, 0x22);
  for (let i: usize = 0; i < n; i++) {
    let c = <u32>load<u8>(s + i);
    if (c == 0x22 || c == 0x5c) {
      store<u8>(w++, 0x5c);
      store<u8>(w++, <u8>c);
    } else if (c < 0x20) {
      store<u8>(w++, 0x5c);
      if (c == 0x0a) store<u8>(w++, 0x6e);
      else if (c == 0x0d) store<u8>(w++, 0x72);
      else if (c == 0x09) store<u8>(w++, 0x74);
      else {
        store<u8>(w++, 0x75);
        store<u8>(w++, 0x30);
        store<u8>(w++, 0x30);
        store<u8>(w++, load<u8>(HEX + (c >> 4)));
        store<u8>(w++, load<u8>(HEX + (c & 15)));
      }
    } else store<u8>(w++, <u8>c);
  }
  store<u8>(w++, 0x22);
  len = w - out;
}

const B64 = memory.data<u8>([
  0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a,
  0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x2b, 0x2f,
]);

function base64(s: usize, n: usize): void {
  if (!reserve(((n + 2) / 3) * 4 + 2)) return;
  let w = out + len;
  store<u8>(w++, 0x22);
  let i: usize = 0;
  while (i + 3 <= n) {
    let v = (<u32>load<u8>(s + i) << 16) | (<u32>load<u8>(s + i + 1) << 8) | <u32>load<u8>(s + i + 2);
    store<u8>(w++, load<u8>(B64 + (v >> 18)));
    store<u8>(w++, load<u8>(B64 + ((v >> 12) & 63)));
    store<u8>(w++, load<u8>(B64 + ((v >> 6) & 63)));
    store<u8>(w++, load<u8>(B64 + (v & 63)));
    i += 3;
  }
  if (n - i == 1) {
    let v = <u32>load<u8>(s + i) << 16;
    store<u8>(w++, load<u8>(B64 + (v >> 18)));
    store<u8>(w++, load<u8>(B64 + ((v >> 12) & 63)));
    store<u8>(w++, 0x3d);
    store<u8>(w++, 0x3d);
  } else if (n - i == 2) {
    let v = (<u32>load<u8>(s + i) << 16) | (<u32>load<u8>(s + i + 1) << 8);
    store<u8>(w++, load<u8>(B64 + (v >> 18)));
    store<u8>(w++, load<u8>(B64 + ((v >> 12) & 63)));
    store<u8>(w++, load<u8>(B64 + ((v >> 6) & 63)));
    store<u8>(w++, 0x3d);
  }
  store<u8>(w++, 0x22);
  len = w - out;
}

function literal(s: usize, n: usize): void {
  if (!reserve(n)) return;
  memory.copy(out + len, s, n);
  len += n;
}

const NULL = memory.data<u8>([0x6e, 0x75, 0x6c, 0x6c]);
const TRUE = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);
const FALSE = memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]);

/** The JSON of an AnyValue's content [cs, ce): the last member of the value oneof wins. */
function anyValue(cs: usize, ce: usize): void {
  let kind: u32 = 0;
  let vs: usize = 0;
  let vl: usize = 0;
  let scalar: u64 = 0;
  let q = cs;
  while (q < ce) {
    let t = <u32>readVarintTrusted(q);
    let f = t >>> 3;
    let at = next;
    if (f == 1 || f == 5 || f == 6 || f == 7) {
      vl = <usize>readVarintTrusted(at);
      vs = next;
      q = vs + vl;
      kind = f;
    } else if (f == 2 || f == 3) {
      scalar = readVarintTrusted(at);
      q = next;
      kind = f;
    } else if (f == 4) {
      scalar = load<u64>(at);
      q = at + 8;
      kind = 4;
    } else q = skipTrusted(at, t & 7);
  }
  if (kind == 1) jsonString(vs, vl);
  else if (kind == 2) {
    if (scalar != 0) literal(TRUE, 4);
    else literal(FALSE, 5);
  } else if (kind == 3) {
    if (!reserve(24)) return;
    len += formatInt(out + len, <i64>scalar);
  } else if (kind == 4) {
    let d = reinterpret<f64>(scalar);
    if (d != d || d == Infinity || d == -Infinity) literal(NULL, 4);
    else {
      if (!reserve(40)) return;
      len += formatDouble(out + len, d);
    }
  } else if (kind == 7) base64(vs, vl);
  else if (kind == 5) {
    // ArrayValue: repeated AnyValue values = 1.
    byte(0x5b);
    let first = true;
    let r = vs;
    while (r < vs + vl) {
      let t = <u32>readVarintTrusted(r);
      let at = next;
      if (t == 0x0a) {
        let n = <usize>readVarintTrusted(at);
        let es = next;
        if (!first) byte(0x2c);
        first = false;
        anyValue(es, es + n);
        r = es + n;
      } else r = skipTrusted(at, t & 7);
    }
    byte(0x5d);
  } else if (kind == 6) {
    byte(0x7b);
    keyValues(vs, vs + vl, 0x0a, 0, 0, 0xffffffff);
    byte(0x7d);
  } else literal(NULL, 4);
}

/** Key and value range of the KeyValue content [cs, ce) (the last occurrence of each field wins). */
let kvKey: usize = 0;
let kvKeyLen: usize = 0;
let kvValue: usize = 0;
let kvValueLen: usize = 0;

function parseKeyValue(cs: usize, ce: usize): void {
  kvKey = cs;
  kvKeyLen = 0;
  kvValue = cs;
  kvValueLen = 0;
  let q = cs;
  while (q < ce) {
    let t = <u32>readVarintTrusted(q);
    let at = next;
    if (t == 0x0a || t == 0x12) {
      let n = <usize>readVarintTrusted(at);
      if (t == 0x0a) {
        kvKey = next;
        kvKeyLen = n;
      } else {
        kvValue = next;
        kvValueLen = n;
      }
      q = next + n;
    } else q = skipTrusted(at, t & 7);
  }
}

/**
 * Writes the KeyValue fields tagged `tag` in [cs, ce) as `"key":value` members; the member
 * `bodyKey: body` goes before the `bodyAt`-th one (0xFFFFFFFF: no body). Returns members written.
 */
function keyValues(cs: usize, ce: usize, tag: u32, bodyKey: usize, bodyKeyLen: usize, bodyAt: u32): u32 {
  let n: u32 = 0;
  let q = cs;
  while (q < ce) {
    let t = <u32>readVarintTrusted(q);
    let at = next;
    let after = skipTrusted(at, t & 7);
    if (t == tag) {
      if (n == bodyAt) writeBody(bodyKey, bodyKeyLen, n);
      let l = <usize>readVarintTrusted(at);
      parseKeyValue(next, next + l);
      let vs = kvValue;
      let vl = kvValueLen;
      if (n > 0 || (bodyAt == 0 && bodyLen != NO_BODY)) byte(0x2c);
      jsonString(kvKey, kvKeyLen);
      byte(0x3a);
      anyValue(vs, vs + vl);
      n++;
    }
    q = after;
  }
  return n;
}

const NO_BODY: usize = <usize>-1;
let bodyStart: usize = 0;
let bodyLen: usize = NO_BODY;
let bodyWritten = false;

function writeBody(bodyKey: usize, bodyKeyLen: usize, before: u32): void {
  if (bodyLen == NO_BODY || bodyWritten) return;
  if (before > 0) byte(0x2c);
  jsonString(bodyKey, bodyKeyLen);
  byte(0x3a);
  anyValue(bodyStart, bodyStart + bodyLen);
  bodyWritten = true;
}

/**
 * The JSON object for the LogRecord content [cs, ce): attributes (field 6) in order, the body
 * (field 5, the last one) under `bodyKey` before the `bodyIndex`-th attribute. Returns the
 * NUL-terminated text's address (valid until the next call), or 0 when memory ran out.
 */
export function recordToJson(cs: usize, ce: usize, bodyKey: usize, bodyKeyLen: usize, bodyIndex: u32): usize {
  len = 0;
  failed = false;
  bodyLen = NO_BODY;
  bodyWritten = false;
  let q = cs;
  while (q < ce) {
    let t = <u32>readVarintTrusted(q);
    let at = next;
    if (t == 0x2a) {
      bodyLen = <usize>readVarintTrusted(at);
      bodyStart = next;
      q = bodyStart + bodyLen;
    } else q = skipTrusted(at, t & 7);
  }
  byte(0x7b);
  let written = keyValues(cs, ce, 0x32, bodyKey, bodyKeyLen, bodyLen == NO_BODY || bodyKeyLen == 0 ? 0xffffffff : bodyIndex);
  // A body whose place is past the remaining attributes goes last.
  if (bodyKeyLen && !bodyWritten) writeBody(bodyKey, bodyKeyLen, written);
  byte(0x7d);
  byte(0);
  return failed ? 0 : out;
}
