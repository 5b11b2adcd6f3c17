// Walking canonical values (VK_* in abi/derived-metrics-layout.ts) already written into keys and blobs.
import * as M from '../abi/derived-metrics-layout';

/** The address just past the canonical value at p. */
export function canonSkip(p: usize): usize {
  let tag = <u32>load<u8>(p);
  if (tag == M.VK_STRING || tag == M.VK_BYTES) return p + 5 + <usize>load<u32>(p + 1);
  if (tag == M.VK_BOOL) return p + 2;
  if (tag == M.VK_INT || tag == M.VK_DOUBLE) return p + 9;
  if (tag == M.VK_ENUM) return p + 5;
  if (tag == M.VK_ARRAY) {
    let n = load<u32>(p + 1);
    let q = p + 5;
    for (let i: u32 = 0; i < n; i++) q = canonSkip(q);
    return q;
  }
  if (tag == M.VK_KVLIST) {
    let n = load<u32>(p + 1);
    let q = p + 5;
    for (let i: u32 = 0; i < n; i++) {
      q += 4 + <usize>load<u32>(q);
      q = canonSkip(q);
    }
    return q;
  }
  return p + 1; // VK_ABSENT, VK_EMPTY, VK_OVERFLOW
}

/** Whether the canonical value at p reads as a non-empty string (the collector's `len(s) != 0`). */
export function canonNonEmpty(p: usize): bool {
  let tag = <u32>load<u8>(p);
  if (tag == M.VK_ABSENT) return false;
  if (tag == M.VK_STRING) return load<u32>(p + 1) != 0;
  return true;
}

/** Whether the canonical value at p is present (not VK_ABSENT). */
// @ts-ignore: decorator
@inline export function canonPresent(p: usize): bool {
  return load<u8>(p) != M.VK_ABSENT;
}
