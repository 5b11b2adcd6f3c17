// Emitters the splice encoders share. Each returns the number of bytes it accounts for and writes
// them only when `out` is non-zero, so one function serves both the sizing pass and the writing
// pass (outputs are sized exactly, then written front to back).
import { readVarintTrusted, skipTrusted, next, WT_LEN, WT_VARINT } from '../wire/reader';
import { varintSize, writeVarint } from '../wire/writer';

/** Size of a length-delimited field with a one-byte tag and `contentLen` bytes of content. */
// @ts-ignore: decorator
@inline export function fieldSize(contentLen: usize): usize {
  return 1 + varintSize(<u64>contentLen) + contentLen;
}

/** Copies a field's raw bytes [from, to) unless sizing. */
// @ts-ignore: decorator
@inline export function emitRaw(out: usize, from: usize, to: usize): usize {
  if (out) memory.copy(out, from, to - from);
  return to - from;
}

/** A varint field; proto3 leaves zero out. */
export function emitVarintField(out: usize, field: u32, v: u32): usize {
  if (!v) return 0;
  let tag = <u64>((field << 3) | WT_VARINT);
  let n = varintSize(tag) + varintSize(<u64>v);
  if (out) writeVarint(writeVarint(out, tag), <u64>v);
  return n;
}

/** A message field whose content is (content, len): a replacement or a re-rendered message. */
export function emitReplaced(out: usize, tag: u32, content: usize, len: usize): usize {
  if (out) {
    let q = writeVarint(out, <u64>tag);
    q = writeVarint(q, <u64>len);
    memory.copy(q, content, len);
  }
  return varintSize(<u64>tag) + varintSize(<u64>len) + len;
}

/** Writes a length-delimited field's tag and length prefix; returns where its content starts. */
export function emitHeader(out: usize, tag: u32, len: usize): usize {
  return writeVarint(writeVarint(out, <u64>tag), <u64>len);
}

/**
 * Re-emits a message's fields [cs, ce): the first `keepAttrs` occurrences of `attrField` survive, the
 * dropped-count field `droppedField` is written once with `dropped` (at the position of its first
 * occurrence, or at the end), everything else — unknown fields included — is copied.
 */
export function emitTruncated(out: usize, cs: usize, ce: usize, attrField: u32, keepAttrs: u32, droppedField: u32, dropped: u32): usize {
  let size: usize = 0;
  let seen: u32 = 0;
  let droppedDone = false;
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let f = tag >>> 3;
    let after = skipTrusted(next, tag & 7);
    if (f == attrField && (tag & 7) == WT_LEN) {
      if (seen++ < keepAttrs) size += emitRaw(out ? out + size : 0, at, after);
    } else if (f == droppedField && (tag & 7) == WT_VARINT) {
      if (!droppedDone) {
        size += emitVarintField(out ? out + size : 0, droppedField, dropped);
        droppedDone = true;
      }
    } else {
      size += emitRaw(out ? out + size : 0, at, after);
    }
    p = after;
  }
  if (!droppedDone) size += emitVarintField(out ? out + size : 0, droppedField, dropped);
  return size;
}
