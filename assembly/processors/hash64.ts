// A 64-bit hash for fixed-length keys (trace ids) in hash tables and bloom filters. Trace ids come
// from untrusted clients, so the table hash is seeded and mixed rather than taking id bytes as-is.

// @ts-ignore: decorator
@inline export function mix64(x: u64): u64 {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccd;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53;
  x ^= x >> 33;
  return x;
}

/** Hash of the 16 bytes at p. */
// @ts-ignore: decorator
@inline export function hashId16(p: usize, seed: u64): u64 {
  return mix64(load<u64>(p) ^ seed) ^ mix64(load<u64>(p + 8) + 0x9e3779b97f4a7c15 + seed);
}

/** Hash of n bytes at p (any length). */
export function hashBytes64(p: usize, n: usize, seed: u64): u64 {
  let h: u64 = seed ^ (<u64>n * 0x9e3779b97f4a7c15);
  while (n >= 8) {
    h = mix64(h ^ load<u64>(p));
    p += 8;
    n -= 8;
  }
  let tail: u64 = 0;
  let shift: u64 = 0;
  while (n > 0) {
    tail |= <u64>load<u8>(p) << shift;
    shift += 8;
    p++;
    n--;
  }
  return mix64(h ^ tail ^ 0x6a09e667f3bcc908);
}
