// A fast 32-bit hash for attribute keys and names, 8 bytes at a time. It may read up to 7 bytes
// past the end of the data (masked out): callers guarantee that slack (inputs carry 16 bytes).

export function hash32(p: usize, n: usize): u32 {
  let h: u64 = 0x9e3779b97f4a7c15 ^ (<u64>n * 0xc2b2ae3d27d4eb4f);
  let e = p + n;
  while (p + 8 <= e) {
    h = (h ^ load<u64>(p)) * 0xbf58476d1ce4e5b9;
    h ^= h >> 31;
    p += 8;
  }
  if (p < e) {
    let k = load<u64>(p) & ((<u64>1 << (<u64>(e - p) << 3)) - 1);
    h = (h ^ k) * 0x94d049bb133111eb;
    h ^= h >> 29;
  }
  h *= 0xff51afd7ed558ccd;
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
