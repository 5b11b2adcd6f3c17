// A protobuf writer for the core's cold-path encoders (derived metrics at collection time), with
// the facade's ProtoWriter semantics (src/wire/proto-writer.ts) so both write the same bytes:
// nested messages open with one reserved length byte and are shifted when the final length needs
// more. One writer at a time (module state); failure to grow sets `protoFailed` and later writes
// are skipped — the caller checks once at the end.
import { bufReserve, bufPtr, bufLen, bufSetLen } from './byte-buffer';
import { utf8Replace } from './utf8-replace';

export const WIRE_VARINT: u32 = 0;
export const WIRE_FIXED64: u32 = 1;
export const WIRE_LEN: u32 = 2;

let out: usize = 0;
/** Open length-delimited fields: a buffer of u32 positions of their reserved length byte. */
let open: usize = 0;
export let protoFailed = false;

/** Starts writing at the end of buffer `b`, with `stack` (another byte buffer) for open fields. */
export function protoBegin(b: usize, stack: usize): void {
  out = b;
  open = stack;
  bufSetLen(open, 0);
  protoFailed = false;
}

function room(n: usize): usize {
  if (protoFailed) return 0;
  if (!bufReserve(out, n)) {
    protoFailed = true;
    return 0;
  }
  return bufPtr(out) + bufLen(out);
}

export function protoVarint(v: u64): void {
  let p = room(10);
  if (!p) return;
  let start = p;
  while (v >= 0x80) {
    store<u8>(p++, <u8>(v | 0x80));
    v >>= 7;
  }
  store<u8>(p++, <u8>v);
  bufSetLen(out, bufLen(out) + (p - start));
}

export function protoTag(field: u32, wire: u32): void {
  protoVarint(<u64>((field << 3) | wire));
}

export function protoFixed64(v: u64): void {
  let p = room(8);
  if (!p) return;
  store<u64>(p, v);
  bufSetLen(out, bufLen(out) + 8);
}

export function protoDouble(v: f64): void {
  protoFixed64(reinterpret<u64>(v));
}

/** Raw bytes, no length prefix. */
export function protoRaw(src: usize, n: usize): void {
  let p = room(n);
  if (!p) return;
  memory.copy(p, src, n);
  bufSetLen(out, bufLen(out) + n);
}

/** A length-prefixed byte string. */
export function protoBytes(src: usize, n: usize): void {
  protoVarint(<u64>n);
  protoRaw(src, n);
}

/** A length-prefixed string taken from input bytes, ill-formed UTF-8 replaced like TextDecoder does. */
export function protoText(src: usize, n: usize): void {
  let len = utf8Replace(0, src, n);
  protoVarint(<u64>len);
  if (len == n) {
    protoRaw(src, n);
    return;
  }
  let p = room(len);
  if (!p) return;
  utf8Replace(p, src, n);
  bufSetLen(out, bufLen(out) + len);
}

/** A length-prefixed ASCII string literal (names the encoder knows: enum names, fixed keys). */
export function protoAscii(s: string): void {
  let n = <usize>s.length;
  protoVarint(<u64>n);
  let p = room(n);
  if (!p) return;
  for (let i: usize = 0; i < n; i++) store<u8>(p + i, <u8>s.charCodeAt(<i32>i));
  bufSetLen(out, bufLen(out) + n);
}

/** Opens a length-delimited field; close it with protoLdelim(). */
export function protoFork(field: u32): void {
  protoTag(field, WIRE_LEN);
  let p = room(1);
  if (!p) return;
  let at = <u32>bufLen(out);
  bufSetLen(out, at + 1);
  if (!bufReserve(open, 4)) {
    protoFailed = true;
    return;
  }
  store<u32>(bufPtr(open) + bufLen(open), at);
  bufSetLen(open, bufLen(open) + 4);
}

export function protoLdelim(): void {
  if (protoFailed) return;
  let depth = bufLen(open);
  let at = <usize>load<u32>(bufPtr(open) + depth - 4);
  bufSetLen(open, depth - 4);
  let len = bufLen(out) - at - 1;
  let extra: usize = 0;
  for (let v = len >> 7; v > 0; v >>= 7) extra++;
  if (extra > 0) {
    if (!room(extra)) return;
    let base = bufPtr(out);
    memory.copy(base + at + 1 + extra, base + at + 1, len);
    bufSetLen(out, bufLen(out) + extra);
  }
  let p = bufPtr(out) + at;
  let v = len;
  while (v > 0x7f) {
    store<u8>(p++, <u8>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  store<u8>(p, <u8>v);
}

/** Whether the writer finished with every field closed and nothing refused. */
export function protoOk(): bool {
  return !protoFailed && bufLen(open) == 0;
}

