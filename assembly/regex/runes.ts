// What both regex matchers read from the subject: UTF-8 decoding as Go does it (an invalid byte is
// U+FFFD of width 1), the equivalence class of a code point in a compiled program, and the
// empty-width assertions, which look at the code points either side of a position.
import * as R from '../abi/regex-layout';

export let decodedWidth: u32 = 0;

/** Decodes the code point at p (end exclusive at e) like Go: invalid bytes are U+FFFD, width 1. */
// @ts-ignore: decorator
@inline export function decode(p: usize, e: usize): i32 {
  let b0 = <u32>load<u8>(p);
  if (b0 < 0x80) {
    decodedWidth = 1;
    return <i32>b0;
  }
  decodedWidth = 1;
  let n = e - p;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    if (n < 2) return 0xfffd;
    let b1 = <u32>load<u8>(p + 1);
    if ((b1 & 0xc0) != 0x80) return 0xfffd;
    decodedWidth = 2;
    return <i32>(((b0 & 0x1f) << 6) | (b1 & 0x3f));
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (n < 3) return 0xfffd;
    let b1 = <u32>load<u8>(p + 1);
    let b2 = <u32>load<u8>(p + 2);
    let lo: u32 = b0 == 0xe0 ? 0xa0 : 0x80;
    let hi: u32 = b0 == 0xed ? 0x9f : 0xbf;
    if (b1 < lo || b1 > hi || (b2 & 0xc0) != 0x80) return 0xfffd;
    decodedWidth = 3;
    return <i32>(((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f));
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (n < 4) return 0xfffd;
    let b1 = <u32>load<u8>(p + 1);
    let b2 = <u32>load<u8>(p + 2);
    let b3 = <u32>load<u8>(p + 3);
    let lo: u32 = b0 == 0xf0 ? 0x90 : 0x80;
    let hi: u32 = b0 == 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi || (b2 & 0xc0) != 0x80 || (b3 & 0xc0) != 0x80) return 0xfffd;
    decodedWidth = 4;
    return <i32>(((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f));
  }
  return 0xfffd;
}

// @ts-ignore: decorator
@inline export function classOf(prog: usize, r: i32): u32 {
  if (r < 128) return <u32>load<u16>(prog + <usize>load<u32>(prog + R.RX_ASCII) + (<usize>r << 1));
  let ranges = prog + <usize>load<u32>(prog + R.RX_RANGES);
  let lo: i32 = 0;
  let hi: i32 = <i32>load<u32>(prog + R.RX_RANGE_COUNT) - 1;
  // Largest run whose first code point is <= r (run 0 starts at 128).
  while (lo < hi) {
    let mid = (lo + hi + 1) >> 1;
    if (<i32>load<u32>(ranges + (<usize>mid << 3)) <= r) lo = mid;
    else hi = mid - 1;
  }
  return load<u32>(ranges + (<usize>lo << 3) + 4);
}

// @ts-ignore: decorator
@inline export function isWord(r: i32): bool {
  return (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || r == 0x5f;
}

export function assertHolds(kind: u32, prev: i32, next: i32): bool {
  switch (kind) {
    case R.AS_BEGIN_TEXT:
      return prev < 0;
    case R.AS_END_TEXT:
      return next < 0;
    case R.AS_BEGIN_LINE:
      return prev < 0 || prev == 0x0a;
    case R.AS_END_LINE:
      return next < 0 || next == 0x0a;
    case R.AS_WORD_BOUNDARY:
      return isWord(prev) != isWord(next);
    default:
      return isWord(prev) == isWord(next);
  }
}

/**
 * The code point before `pos` as far as assertions care (Go decodes the last rune of s[:pos]):
 * -1 at the start; an ASCII byte is itself; anything else is a non-ASCII rune or U+FFFD, which
 * are neither word characters nor newlines either way.
 */
export function runeBefore(s: usize, pos: usize): i32 {
  if (pos == 0) return -1;
  let b = <i32>load<u8>(s + pos - 1);
  return b < 0x80 ? b : 0xfffd;
}
