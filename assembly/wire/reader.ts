// Protobuf wire primitives over linear memory. Every read is checked against the end of the
// enclosing message; on a violation the reader records the error (see errors.ts), sets `next` to
// `end` so the caller's field loop terminates, and returns 0.
//
// Inputs are allocated with 16 zero bytes of slack after their end, so peeking one byte at `end`
// (the fast path below) never leaves the allocation.
import {
  ERR_TRUNCATED_VARINT, ERR_VARINT_OVERFLOW, ERR_LENGTH_PAST_END, ERR_INVALID_WIRE_TYPE, ERR_FIELD_ZERO,
  ERR_TRUNCATED_FIXED, ERR_UNEXPECTED_END_GROUP, ERR_UNTERMINATED_GROUP, ERR_TAG_OVERFLOW, ERR_DEPTH_LIMIT,
} from '../abi/errors';
import { fail, failed } from '../errors';

export const WT_VARINT: u32 = 0;
export const WT_FIXED64: u32 = 1;
export const WT_LEN: u32 = 2;
export const WT_START_GROUP: u32 = 3;
export const WT_END_GROUP: u32 = 4;
export const WT_FIXED32: u32 = 5;

/** Position after the last successful read. */
export let next: usize = 0;

/** Nesting allowed for unknown groups (they are skipped, never interpreted). */
const MAX_GROUP_DEPTH: i32 = 64;

// @ts-ignore: decorator
@inline export function readVarint(p: usize, end: usize): u64 {
  if (p < end) {
    let b = load<u8>(p);
    if (b < 0x80) {
      next = p + 1;
      return <u64>b;
    }
  }
  return readVarintSlow(p, end);
}

function readVarintSlow(p: usize, end: usize): u64 {
  let start = p;
  let result: u64 = 0;
  let shift: u64 = 0;
  while (true) {
    if (p >= end) {
      fail(ERR_TRUNCATED_VARINT, start);
      next = end;
      return 0;
    }
    let b = <u64>load<u8>(p++);
    if (shift == 63 && b > 1) {
      fail(ERR_VARINT_OVERFLOW, start);
      next = end;
      return 0;
    }
    result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      next = p;
      return result;
    }
    shift += 7;
  }
}

/** Reads a tag; returns 0 (with the error recorded) for field number 0 or an oversized tag. */
// @ts-ignore: decorator
@inline export function readTag(p: usize, end: usize): u32 {
  let t: u64;
  let b = load<u8>(p);
  if (b < 0x80 && p < end) {
    next = p + 1;
    t = <u64>b;
  } else {
    t = readVarintSlow(p, end);
    if (failed) return 0;
    if (t > 0xffffffff) {
      fail(ERR_TAG_OVERFLOW, p, t);
      next = end;
      return 0;
    }
  }
  if (t < 8) {
    fail(ERR_FIELD_ZERO, p, t);
    next = end;
    return 0;
  }
  return <u32>t;
}

/** Reads a length prefix and checks the content fits before `end`; `next` = content start. */
// @ts-ignore: decorator
@inline export function readLen(p: usize, end: usize): u32 {
  let len = readVarint(p, end);
  if (len > <u64>(end - next)) {
    if (!failed) fail(ERR_LENGTH_PAST_END, p, len);
    next = end;
    return 0;
  }
  return <u32>len;
}

// @ts-ignore: decorator
@inline export function readFixed64(p: usize, end: usize): u64 {
  if (p + 8 > end) {
    fail(ERR_TRUNCATED_FIXED, p, 8);
    next = end;
    return 0;
  }
  next = p + 8;
  return load<u64>(p);
}

// @ts-ignore: decorator
@inline export function readFixed32(p: usize, end: usize): u32 {
  if (p + 4 > end) {
    fail(ERR_TRUNCATED_FIXED, p, 4);
    next = end;
    return 0;
  }
  next = p + 4;
  return load<u32>(p);
}

/**
 * Skips the value of a field whose tag was read at `tagAt` (value starts at `p`). Returns the
 * position after it (== end on error). Unknown groups are skipped to their matching end tag.
 */
export function skipValue(p: usize, end: usize, tag: u32, tagAt: usize): usize {
  let wt = tag & 7;
  if (wt == WT_VARINT) {
    readVarint(p, end);
    return next;
  }
  if (wt == WT_LEN) {
    let len = readLen(p, end);
    if (failed) return end;
    return next + len;
  }
  if (wt == WT_FIXED64) {
    if (p + 8 > end) {
      fail(ERR_TRUNCATED_FIXED, p, 8);
      return end;
    }
    return p + 8;
  }
  if (wt == WT_FIXED32) {
    if (p + 4 > end) {
      fail(ERR_TRUNCATED_FIXED, p, 4);
      return end;
    }
    return p + 4;
  }
  if (wt == WT_START_GROUP) return skipGroup(p, end, tag >>> 3, tagAt, 1);
  if (wt == WT_END_GROUP) {
    fail(ERR_UNEXPECTED_END_GROUP, tagAt, tag >>> 3);
    return end;
  }
  fail(ERR_INVALID_WIRE_TYPE, tagAt, wt);
  return end;
}

function skipGroup(p: usize, end: usize, field: u32, groupAt: usize, depth: i32): usize {
  if (depth > MAX_GROUP_DEPTH) {
    fail(ERR_DEPTH_LIMIT, groupAt, MAX_GROUP_DEPTH);
    return end;
  }
  while (p < end) {
    let at = p;
    let tag = readTag(p, end);
    if (failed) return end;
    p = next;
    let wt = tag & 7;
    if (wt == WT_END_GROUP) {
      if (tag >>> 3 == field) return p;
      fail(ERR_UNEXPECTED_END_GROUP, at, tag >>> 3);
      return end;
    }
    if (wt == WT_START_GROUP) p = skipGroup(p, end, tag >>> 3, at, depth + 1);
    else p = skipValue(p, end, tag, at);
    if (failed) return end;
  }
  fail(ERR_UNTERMINATED_GROUP, groupAt, field);
  return end;
}

/**
 * Fast skip for ranges that were already validated by an earlier walk: no checks.
 */
// @ts-ignore: decorator
@inline export function skipTrusted(p: usize, wt: u32): usize {
  if (wt == WT_LEN) {
    let len = readVarintTrusted(p);
    return next + <usize>len;
  }
  if (wt == WT_VARINT) {
    while (load<u8>(p) >= 0x80) p++;
    return p + 1;
  }
  if (wt == WT_FIXED64) return p + 8;
  if (wt == WT_FIXED32) return p + 4;
  return skipGroupTrusted(p);
}

function skipGroupTrusted(p: usize): usize {
  let depth = 1;
  while (true) {
    let tag = <u32>readVarintTrusted(p);
    p = next;
    let wt = tag & 7;
    if (wt == WT_END_GROUP) {
      if (--depth == 0) return p;
    } else if (wt == WT_START_GROUP) {
      depth++;
    } else if (wt == WT_LEN) {
      let len = <usize>readVarintTrusted(p);
      p = next + len;
    } else if (wt == WT_VARINT) {
      while (load<u8>(p) >= 0x80) p++;
      p++;
    } else {
      p += wt == WT_FIXED64 ? 8 : 4;
    }
  }
  return p;
}

// @ts-ignore: decorator
@inline export function readVarintTrusted(p: usize): u64 {
  let b = load<u8>(p);
  if (b < 0x80) {
    next = p + 1;
    return <u64>b;
  }
  let result: u64 = <u64>(b & 0x7f);
  let shift: u64 = 7;
  p++;
  while (true) {
    let c = <u64>load<u8>(p++);
    result |= (c & 0x7f) << shift;
    if (c < 0x80) break;
    shift += 7;
  }
  next = p;
  return result;
}
