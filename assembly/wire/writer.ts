// Writing protobuf framing into linear memory. Callers size their output exactly beforehand, so
// these never check bounds.

// @ts-ignore: decorator
@inline export function varintSize(v: u64): usize {
  // 1 byte per 7 bits; clz of 0 is 64 → 1 byte.
  let bits = 64 - <i32>clz<u64>(v | 1);
  return <usize>((bits + 6) / 7);
}

export function writeVarint(p: usize, v: u64): usize {
  while (v >= 0x80) {
    store<u8>(p++, <u8>(v | 0x80));
    v >>= 7;
  }
  store<u8>(p++, <u8>v);
  return p;
}

/** Copies `len` bytes and returns the position after them. */
// @ts-ignore: decorator
@inline export function writeBytes(p: usize, src: usize, len: usize): usize {
  memory.copy(p, src, len);
  return p + len;
}
