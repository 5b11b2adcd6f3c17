// The redaction processor's regex work on one value's bytes, as the collector does it: a value is
// allowed when an allowed_values pattern matches it anywhere (MatchString); otherwise every
// blocked_values pattern in turn rewrites the text so far as ReplaceAllStringFunc does — each
// successive leftmost-first match replaced by "****" or by the lower-case hex hash_function digest
// of the matched bytes. Blocked key patterns mask a whole value the same way with `.*`, which
// stops at newlines: each line is masked and the newlines stay. Texts are built in two scratch
// buffers used in turn (one pattern's output is the next one's input); the caller copies the
// result out before the next call.
import * as A from '../abi/attr-edit-layout';
import { realloc } from '../mem/alloc';
import { bytesEqual } from '../hash';
import { regexRun } from '../regex/match';
import { beginMatches, nextMatch, matchStart, matchEnd } from '../regex/find';
import { digest } from './digests';

const bufs = memory.data(16, 8); // (ptr, cap) × 2
let outLen: usize = 0;
export let maskedText: usize = 0;
export let maskedLen: usize = 0;

const MASK = memory.data<u8>([0x2a, 0x2a, 0x2a, 0x2a]); // ****
const HEX = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);
const raw = memory.data(64, 8);

/** Appends [p, p+n) to buffer `b`; false when memory could not be had. */
function append(b: usize, p: usize, n: usize): bool {
  let at = bufs + b * 8;
  let buf = <usize>load<u32>(at);
  let cap = <usize>load<u32>(at + 4);
  if (outLen + n > cap) {
    let grown = max<usize>(cap * 2, outLen + n + 256);
    let q = realloc(buf, grown);
    if (!q) return false;
    buf = q;
    store<u32>(at, <u32>buf);
    store<u32>(at + 4, <u32>grown);
  }
  memory.copy(buf + outLen, p, n);
  outLen += n;
  return true;
}

/** The replacement of the matched bytes [p, p+n): "****", or the hex digest under the plan's hash_function. */
function appendReplacement(plan: usize, b: usize, p: usize, n: usize): bool {
  let fn = load<u32>(plan + A.EP_HASH_FN);
  if (!fn) return append(b, MASK, 4);
  let len = digest(fn, p, n, <usize>load<u32>(plan + A.EP_HMAC_KEY), <usize>load<u32>(plan + A.EP_HMAC_KEY_LEN), raw);
  let hex = memory.data(128, 8);
  for (let i: usize = 0; i < len; i++) {
    let v = <usize>load<u8>(raw + i);
    store<u8>(hex + i * 2, load<u8>(HEX + (v >> 4)));
    store<u8>(hex + i * 2 + 1, load<u8>(HEX + (v & 15)));
  }
  return append(b, hex, len * 2);
}

/**
 * ReplaceAllStringFunc of `prog` over [p, p+len) into buffer `b`. Returns 1 when there was a
 * match (the text is in `b`, outLen bytes), 0 when there was none, -1 out of memory.
 */
function replaceAll(plan: usize, prog: usize, p: usize, len: usize, b: usize): i32 {
  beginMatches(prog, p, len);
  let r = nextMatch();
  if (r <= 0) return r;
  outLen = 0;
  let last: usize = 0;
  while (r == 1) {
    let s = <usize>matchStart;
    let e = <usize>matchEnd;
    if (!append(b, p + last, s - last) || !appendReplacement(plan, b, p + s, e - s)) return -1;
    last = e;
    r = nextMatch();
  }
  if (r < 0 || !append(b, p + last, len - last)) return -1;
  return 1;
}

/** 1 when an allowed_values pattern matches [p, p+len), 0 when none does, -1 out of memory. */
export function valueAllowed(plan: usize, p: usize, len: usize): i32 {
  let list = <usize>load<u32>(plan + A.EP_ALLOWED_VALUES);
  let n = <usize>load<u32>(plan + A.EP_ALLOWED_VALUES_COUNT);
  for (let i: usize = 0; i < n; i++) {
    let r = regexRun(<usize>load<u32>(list + i * 4), p, len);
    if (r != 0) return r;
  }
  return 0;
}

/**
 * blocked_values over [p, p+len): 1 when the text changed (the new text at maskedText /
 * maskedLen), 0 when it did not (the collector then counts nothing), -1 out of memory.
 */
export function maskBlocked(plan: usize, p: usize, len: usize): i32 {
  let list = <usize>load<u32>(plan + A.EP_BLOCKED_VALUES);
  let n = <usize>load<u32>(plan + A.EP_BLOCKED_VALUES_COUNT);
  let src = p;
  let srcLen = len;
  let b: usize = 0;
  for (let i: usize = 0; i < n; i++) {
    let r = replaceAll(plan, <usize>load<u32>(list + i * 4), src, srcLen, b);
    if (r < 0) return -1;
    if (r == 0) continue;
    src = <usize>load<u32>(bufs + b * 8);
    srcLen = outLen;
    b ^= 1;
  }
  if (src == p || (srcLen == len && bytesEqual(src, p, len))) return 0;
  maskedText = src;
  maskedLen = srcLen;
  return 1;
}

/**
 * A blocked key pattern's mask of the whole value — ReplaceAllStringFunc of `.*` — with the text at
 * maskedText: 1, or -1 out of memory. `.*` matches every run of bytes up to a newline (`.` takes
 * any rune but \n, an invalid byte included), so its matches are found by a scan rather than the
 * regex engine, with Go's rule for empty matches: one at a newline or at the end is delivered
 * unless it abuts the previous match. (The plan's compiled `.*`, EP_MASK_ALL, gives the same
 * matches; tests compare the two.)
 */
export function maskWhole(plan: usize, p: usize, len: usize): i32 {
  outLen = 0;
  let pos: usize = 0;
  let last: usize = 0;
  let prevEnd: isize = -1;
  while (pos <= len) {
    let e = pos;
    while (e < len && load<u8>(p + e) != 0x0a) e++;
    let accept = true;
    let nextPos: usize;
    if (e == pos) {
      if (<isize>pos == prevEnd) accept = false;
      nextPos = pos + 1;
    } else nextPos = e;
    prevEnd = <isize>e;
    if (accept) {
      if (!append(0, p + last, pos - last) || !appendReplacement(plan, 0, p + pos, e - pos)) return -1;
      last = e;
    }
    pos = nextPos;
  }
  if (!append(0, p + last, len - last)) return -1;
  maskedText = <usize>load<u32>(bufs);
  maskedLen = outLen;
  return 1;
}

/** maskWhole through the regex engine and the plan's compiled `.*` (the reference the scan is tested against). */
export function maskWholeByRegex(plan: usize, p: usize, len: usize): i32 {
  let r = replaceAll(plan, <usize>load<u32>(plan + A.EP_MASK_ALL), p, len, 0);
  if (r < 0) return -1;
  maskedText = <usize>load<u32>(bufs);
  maskedLen = outLen;
  return 1;
}
