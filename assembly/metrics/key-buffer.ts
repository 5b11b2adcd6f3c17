// The scratch buffer series keys are assembled in: one per instance, grown on demand, reset for
// every key. Writes past the budget set `kbFailed` instead of trapping; the caller drops the
// measurement and counts it.
import { alloc, free } from '../mem/alloc';

export let kb: usize = 0;
export let kbLen: u32 = 0;
let kbCap: u32 = 0;
export let kbFailed: bool = false;

// @ts-ignore: decorator
@inline export function kbReset(): void {
  kbLen = 0;
  kbFailed = false;
}

/** Makes room for n more bytes; false (and kbFailed) when the budget refuses. */
export function kbReserve(n: u32): bool {
  let need = kbLen + n;
  if (need <= kbCap) return true;
  let cap = max<u32>(need + 256, kbCap * 2);
  // +16: the hash reads up to 7 bytes past the key.
  let p = alloc(<usize>cap + 16);
  if (!p) {
    kbFailed = true;
    return false;
  }
  if (kb) {
    memory.copy(p, kb, kbLen);
    free(kb);
  }
  kb = p;
  kbCap = cap;
  return true;
}

// @ts-ignore: decorator
@inline export function kbU8(v: u32): void {
  if (kbLen + 1 > kbCap && !kbReserve(1)) return;
  store<u8>(kb + kbLen, <u8>v);
  kbLen += 1;
}

// @ts-ignore: decorator
@inline export function kbU32(v: u32): void {
  if (kbLen + 4 > kbCap && !kbReserve(4)) return;
  store<u32>(kb + kbLen, v);
  kbLen += 4;
}

// @ts-ignore: decorator
@inline export function kbU64(v: u64): void {
  if (kbLen + 8 > kbCap && !kbReserve(8)) return;
  store<u64>(kb + kbLen, v);
  kbLen += 8;
}

export function kbBytes(p: usize, n: u32): void {
  if (kbLen + n > kbCap && !kbReserve(n)) return;
  memory.copy(kb + kbLen, p, n);
  kbLen += n;
}

/** A length-prefixed byte string: u32 length, then the bytes. */
export function kbString(tag: u32, p: usize, n: u32): void {
  if (kbLen + 5 + n > kbCap && !kbReserve(5 + n)) return;
  store<u8>(kb + kbLen, <u8>tag);
  store<u32>(kb + kbLen + 1, n);
  memory.copy(kb + kbLen + 5, p, n);
  kbLen += 5 + n;
}

/** Releases the buffer (instance teardown in tests; the next key re-allocates). */
export function kbRelease(): void {
  free(kb);
  kb = 0;
  kbCap = 0;
  kbLen = 0;
}
