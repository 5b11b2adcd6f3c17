// A Fluent Bit record in JSON event format → an ExportLogsServiceRequest with one log record, so the
// logs processors of the core run on it unchanged: the tag becomes a resource attribute, the time
// the record's time, the body key (if configured and present) the log body, and every other
// top-level key an attribute (objects as kvlists, arrays as arrays, integers as int64, other
// numbers as doubles, null as an empty value). Strict RFC 8259 parsing with a depth limit: anything
// else is an error, never a trap. Nested lengths are written as 5-byte varints and patched when the
// message closes (valid protobuf; the record is re-indexed, never shipped as protobuf).
import { alloc, free, realloc } from '../../../assembly/mem/alloc';
import { parseDouble, parsedDouble } from '../../../assembly/processors/number-text';

const MAX_DEPTH: u32 = 64;

let out: usize = 0;
let cap: usize = 0;
let len: usize = 0;
let failed = false;
// Open length-delimited fields: where each one's 5-byte length goes.
const STACK = memory.data(<i32>(MAX_DEPTH + 8) * 4 * 4, 8);
let depth: u32 = 0;

/** Where the body value sits among the top-level keys: attributes written before it. */
export let bodyIndex: u32 = 0xffffffff;

function reserve(n: usize): bool {
  if (len + n <= cap) return true;
  let c = max<usize>(cap * 2, len + n + 256);
  let p = realloc(out, c);
  if (!p) {
    failed = true;
    return false;
  }
  out = p;
  cap = c;
  return true;
}

function byte(b: u32): void {
  if (!reserve(1)) return;
  store<u8>(out + len, <u8>b);
  len++;
}

function varint(v: u64): void {
  if (!reserve(10)) return;
  while (v >= 0x80) {
    store<u8>(out + len, <u8>(v | 0x80));
    len++;
    v >>= 7;
  }
  store<u8>(out + len, <u8>v);
  len++;
}

function bytes(p: usize, n: usize): void {
  if (!reserve(n)) return;
  memory.copy(out + len, p, n);
  len += n;
}

function open(field: u32): void {
  varint(<u64>((field << 3) | 2));
  if (!reserve(5) || depth >= MAX_DEPTH + 8) {
    failed = true;
    return;
  }
  store<u32>(STACK + <usize>depth * 4, <u32>len);
  depth++;
  len += 5;
}

function close(): void {
  if (failed) return;
  depth--;
  let at = <usize>load<u32>(STACK + <usize>depth * 4);
  let n = len - at - 5;
  for (let i: usize = 0; i < 5; i++) {
    store<u8>(out + at + i, <u8>((n & 0x7f) | (i < 4 ? 0x80 : 0)));
    n >>= 7;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON

let p: usize = 0;
let end: usize = 0;

function ws(): void {
  while (p < end) {
    let c = load<u8>(p);
    if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return;
    p++;
  }
}

function hex4(at: usize): i32 {
  if (at + 4 > end) return -1;
  let v: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    let c = <i32>load<u8>(at + i);
    let d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

function utf8(cp: u32): void {
  if (cp < 0x80) byte(cp);
  else if (cp < 0x800) {
    byte(0xc0 | (cp >> 6));
    byte(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    byte(0xe0 | (cp >> 12));
    byte(0x80 | ((cp >> 6) & 0x3f));
    byte(0x80 | (cp & 0x3f));
  } else {
    byte(0xf0 | (cp >> 18));
    byte(0x80 | ((cp >> 12) & 0x3f));
    byte(0x80 | ((cp >> 6) & 0x3f));
    byte(0x80 | (cp & 0x3f));
  }
}

/** A JSON string at p (after the opening quote) decoded into the output as the content of field `field`. */
function string(field: u32): bool {
  open(field);
  while (true) {
    if (p >= end) return false;
    let c = <u32>load<u8>(p);
    if (c == 0x22) {
      p++;
      break;
    }
    if (c < 0x20) return false;
    if (c != 0x5c) {
      // Copy the run up to the next quote, backslash or control character at once.
      let s = p;
      while (p < end) {
        let d = load<u8>(p);
        if (d == 0x22 || d == 0x5c || d < 0x20) break;
        p++;
      }
      bytes(s, p - s);
      continue;
    }
    p++;
    if (p >= end) return false;
    let e = <u32>load<u8>(p);
    p++;
    if (e == 0x22 || e == 0x5c || e == 0x2f) byte(e);
    else if (e == 0x62) byte(0x08);
    else if (e == 0x66) byte(0x0c);
    else if (e == 0x6e) byte(0x0a);
    else if (e == 0x72) byte(0x0d);
    else if (e == 0x74) byte(0x09);
    else if (e == 0x75) {
      let u = hex4(p);
      if (u < 0) return false;
      p += 4;
      let cp = <u32>u;
      if (cp >= 0xd800 && cp < 0xdc00 && p + 6 <= end && load<u8>(p) == 0x5c && load<u8>(p + 1) == 0x75) {
        let lo = hex4(p + 2);
        if (lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (<u32>lo - 0xdc00);
          p += 6;
        }
      }
      // A lone surrogate is not a character: U+FFFD, as Go's encoding/json decodes it.
      if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd;
      utf8(cp);
    } else return false;
  }
  close();
  return !failed;
}

function digits(): usize {
  let s = p;
  while (p < end && load<u8>(p) >= 0x30 && load<u8>(p) <= 0x39) p++;
  return p - s;
}

/** A JSON number: int_value when it is an integer that fits int64, else double_value. */
function number(): bool {
  let s = p;
  let neg = load<u8>(p) == 0x2d;
  if (neg) p++;
  if (p >= end) return false;
  if (load<u8>(p) == 0x30) p++;
  else if (!digits()) return false;
  let integral = true;
  if (p < end && load<u8>(p) == 0x2e) {
    p++;
    integral = false;
    if (!digits()) return false;
  }
  if (p < end && (load<u8>(p) == 0x65 || load<u8>(p) == 0x45)) {
    p++;
    integral = false;
    if (p < end && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) p++;
    if (!digits()) return false;
  }
  if (integral) {
    // Magnitude as u64 with an overflow check; int64's range allows one more negative value.
    let v: u64 = 0;
    let fits = true;
    for (let q = s + (neg ? 1 : 0); q < p; q++) {
      let d = <u64>(load<u8>(q) - 0x30);
      if (v > (0xffffffffffffffff - d) / 10) {
        fits = false;
        break;
      }
      v = v * 10 + d;
    }
    let limit: u64 = neg ? 0x8000000000000000 : 0x7fffffffffffffff;
    if (fits && v <= limit) {
      varint(0x18);
      varint(neg ? <u64>(-<i64>v) : v);
      return !failed;
    }
  }
  if (!parseDouble(s, p - s)) return false;
  byte(0x21);
  if (!reserve(8)) return false;
  store<f64>(out + len, parsedDouble);
  len += 8;
  return !failed;
}

function literal(word: usize, n: usize): bool {
  if (p + n > end || memory.compare(p, word, n) != 0) return false;
  p += n;
  return true;
}

/** A JSON value at p as the fields of an AnyValue (the caller opened the AnyValue). */
function value(level: u32): bool {
  if (level > MAX_DEPTH) return false;
  ws();
  if (p >= end) return false;
  let c = load<u8>(p);
  if (c == 0x22) {
    p++;
    return string(1);
  }
  if (c == 0x7b) {
    p++;
    open(6); // KeyValueList
    ws();
    if (p < end && load<u8>(p) == 0x7d) {
      p++;
      close();
      return !failed;
    }
    while (true) {
      ws();
      if (p >= end || load<u8>(p) != 0x22) return false;
      p++;
      open(1); // KeyValue
      if (!string(1)) return false;
      ws();
      if (p >= end || load<u8>(p) != 0x3a) return false;
      p++;
      open(2);
      if (!value(level + 1)) return false;
      close();
      close();
      ws();
      if (p >= end) return false;
      let d = load<u8>(p);
      p++;
      if (d == 0x7d) break;
      if (d != 0x2c) return false;
    }
    close();
    return !failed;
  }
  if (c == 0x5b) {
    p++;
    open(5); // ArrayValue
    ws();
    if (p < end && load<u8>(p) == 0x5d) {
      p++;
      close();
      return !failed;
    }
    while (true) {
      open(1);
      if (!value(level + 1)) return false;
      close();
      ws();
      if (p >= end) return false;
      let d = load<u8>(p);
      p++;
      if (d == 0x5d) break;
      if (d != 0x2c) return false;
    }
    close();
    return !failed;
  }
  if (c == 0x74) {
    if (!literal(memory.data<u8>([0x74, 0x72, 0x75, 0x65]), 4)) return false;
    varint(0x10);
    byte(1);
    return !failed;
  }
  if (c == 0x66) {
    if (!literal(memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]), 5)) return false;
    varint(0x10);
    byte(0);
    return !failed;
  }
  if (c == 0x6e) return literal(memory.data<u8>([0x6e, 0x75, 0x6c, 0x6c]), 4);
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return number();
  return false;
}

/** Whether the key just decoded at [out + keyAt, out + len) equals [key, +keyLen). */
function lastKeyIs(keyAt: usize, key: usize, keyLen: usize): bool {
  return keyLen != 0 && len - keyAt == keyLen && memory.compare(out + keyAt, key, keyLen) == 0;
}

/**
 * Converts the JSON object [record, +recordLen) into an ExportLogsServiceRequest. Returns the
 * request (allocated with the 16 bytes of slack the indexer wants; the caller frees it) and its
 * length in requestLength(), or 0 when the record is not a JSON object or memory ran out.
 */
export function recordToRequest(
  record: usize, recordLen: usize, tag: usize, tagLen: usize, tagKey: usize, tagKeyLen: usize,
  timeNanos: u64, bodyKey: usize, bodyKeyLen: usize,
): usize {
  out = 0;
  cap = 0;
  len = 0;
  failed = false;
  depth = 0;
  bodyIndex = 0xffffffff;
  p = record;
  end = record + recordLen;
  if (!reserve(recordLen + tagLen + 128)) return 0;
  open(1); // ResourceLogs
  open(1); // Resource
  open(1); // KeyValue: the tag
  varint(0x0a);
  varint(<u64>tagKeyLen);
  bytes(tagKey, tagKeyLen);
  open(2);
  varint(0x0a);
  varint(<u64>tagLen);
  bytes(tag, tagLen);
  close();
  close();
  close();
  open(2); // ScopeLogs
  open(2); // LogRecord
  byte(0x09); // time_unix_nano, fixed64
  if (reserve(8)) {
    store<u64>(out + len, timeNanos);
    len += 8;
  }
  let ok = parseObject(bodyKey, bodyKeyLen);
  if (ok) {
    ws();
    ok = p == end;
  }
  if (ok) {
    close();
    close();
    close();
  }
  if (!ok || failed || !reserve(16)) {
    free(out);
    out = 0;
    return 0;
  }
  memory.fill(out + len, 0, 16);
  let result = out;
  out = 0;
  return result;
}

/** The top-level object: the body key's value as LogRecord.body, every other key an attribute. */
function parseObject(bodyKey: usize, bodyKeyLen: usize): bool {
  ws();
  if (p >= end || load<u8>(p) != 0x7b) return false;
  p++;
  ws();
  if (p < end && load<u8>(p) == 0x7d) {
    p++;
    return true;
  }
  let attrs: u32 = 0;
  while (true) {
    ws();
    if (p >= end || load<u8>(p) != 0x22) return false;
    p++;
    // Written as an attribute first; turned into the body when the key is the body key.
    let fieldAt = len;
    open(6);
    let keyTagAt = len;
    if (!string(1)) return false;
    let keyAt = keyTagAt + 1 + 5;
    let isBody = bodyIndex == 0xffffffff && lastKeyIs(keyAt, bodyKey, bodyKeyLen);
    if (isBody) {
      // Drop what was written for this key and write the value as the body instead.
      depth--;
      len = fieldAt;
      open(5);
    } else {
      open(2);
    }
    ws();
    if (p >= end || load<u8>(p) != 0x3a) return false;
    p++;
    if (!value(1)) return false;
    close();
    if (isBody) bodyIndex = attrs;
    else {
      close();
      attrs++;
    }
    ws();
    if (p >= end) return false;
    let d = load<u8>(p);
    p++;
    if (d == 0x7d) return !failed;
    if (d != 0x2c) return false;
  }
  return false;
}

export function requestLength(): usize {
  return len;
}
