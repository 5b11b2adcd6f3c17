// Copies for the re-encoders. memory.copy is a call out of compiled code in V8 (about 10 ns
// whatever the size); keys, short values and single fields are cheaper as word moves, and a
// record re-written field by field makes dozens of such copies.

/** Largest copy done as word moves; above it memory.copy's fixed cost no longer dominates. */
const SMALL: usize = 32;

/** Copies n bytes from src to dst; the ranges must not overlap with dst after src. */
// @ts-ignore: decorator
@inline export function copyBytes(dst: usize, src: usize, n: usize): void {
  if (n > SMALL) {
    memory.copy(dst, src, n);
    return;
  }
  while (n >= 8) {
    store<u64>(dst, load<u64>(src));
    dst += 8;
    src += 8;
    n -= 8;
  }
  while (n) {
    store<u8>(dst, load<u8>(src));
    dst++;
    src++;
    n--;
  }
}
