// A fast 32-bit hash for attribute keys and names, 8 bytes at a time. It may read up to 7 bytes
// past the end of the data (masked out): callers guarantee that slack (inputs carry 16 bytes).

// @ts-ignore: decorator
@inline function lowBytes(v: u64, n: usize): u64 {
  // Keeps the low n (1..8) bytes of a little-endian load.
  return v & (<u64>-1 >> (<u64>(8 - n) << 3));
}

export function hash32(p: usize, n: usize): u32 {
  let h: u64;
  if (n <= 16) {
    // Most keys and names are short: two independent multiplies, no loop.
    let a: u64 = 0;
    let b: u64 = 0;
    if (n > 8) {
      a = load<u64>(p);
      b = lowBytes(load<u64>(p + 8), n - 8);
    } else if (n > 0) {
      a = lowBytes(load<u64>(p), n);
    }
    h = ((a ^ 0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9) ^ ((b + <u64>n) * 0x94d049bb133111eb);
  } else {
    h = 0x9e3779b97f4a7c15 ^ (<u64>n * 0xc2b2ae3d27d4eb4f);
    let e = p + n;
    while (p + 8 <= e) {
      h = (h ^ load<u64>(p)) * 0xbf58476d1ce4e5b9;
      h ^= h >> 31;
      p += 8;
    }
    if (p < e) h = (h ^ lowBytes(load<u64>(p), e - p)) * 0x94d049bb133111eb;
  }
  h = (h ^ (h >> 29)) * 0xff51afd7ed558ccd;
  return <u32>(h ^ (h >> 32));
}

/** Compares two byte ranges of equal length. */
export function bytesEqual(a: usize, b: usize, n: usize): bool {
  while (n >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  while (n > 0) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++;
    b++;
    n--;
  }
  return true;
}
