// UTF-8 with ill-formed sequences replaced by U+FFFD the way the WHATWG decoder does it (one
// replacement per maximal subpart, the offending byte read again). The facade decodes strings from
// span bytes with TextDecoder and encodes them back when it writes metrics or runs a regex over a
// key; bytes written by the core must come out the same, so text taken from the input goes through
// here. Valid UTF-8 (the usual case) is copied as it is.

const REPLACEMENT_0: u8 = 0xef;
const REPLACEMENT_1: u8 = 0xbf;
const REPLACEMENT_2: u8 = 0xbd;

function replacement(out: usize, at: usize): usize {
  if (out) {
    store<u8>(out + at, REPLACEMENT_0);
    store<u8>(out + at + 1, REPLACEMENT_1);
    store<u8>(out + at + 2, REPLACEMENT_2);
  }
  return at + 3;
}

/**
 * Writes [p, p+n) with replacements at `out` and returns the length written; with out == 0 it only
 * measures.
 */
export function utf8Replace(out: usize, p: usize, n: usize): usize {
  let at: usize = 0;
  let i: usize = 0;
  while (i < n) {
    let b = <u32>load<u8>(p + i);
    if (b < 0x80) {
      if (out) store<u8>(out + at, <u8>b);
      at++;
      i++;
      continue;
    }
    let need: u32 = 0;
    let lower: u32 = 0x80;
    let upper: u32 = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b == 0xe0) lower = 0xa0;
      if (b == 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b == 0xf0) lower = 0x90;
      if (b == 0xf4) upper = 0x8f;
    } else {
      at = replacement(out, at);
      i++;
      continue;
    }
    let j = i + 1;
    let seen: u32 = 0;
    while (seen < need) {
      if (j >= n) break;
      let c = <u32>load<u8>(p + j);
      if (c < lower || c > upper) break;
      lower = 0x80;
      upper = 0xbf;
      j++;
      seen++;
    }
    if (seen == need) {
      let len = j - i;
      if (out) memory.copy(out + at, p + i, len);
      at += len;
    } else {
      // A truncated or broken sequence: one replacement, then the byte that broke it is read again
      // (at the end of the input the whole rest is one subpart).
      at = replacement(out, at);
    }
    i = j;
  }
  return at;
}

/** Whether [p, p+n) is well-formed UTF-8 (then utf8Replace would copy it unchanged). */
export function utf8Valid(p: usize, n: usize): bool {
  // Fast path over ASCII, 8 bytes at a time.
  let i: usize = 0;
  while (i + 8 <= n && (load<u64>(p + i) & 0x8080808080808080) == 0) i += 8;
  if (i == n) return true;
  return validFrom(p + i, n - i);
}

function validFrom(p: usize, n: usize): bool {
  let i: usize = 0;
  while (i < n) {
    let b = <u32>load<u8>(p + i);
    if (b < 0x80) { i++; continue; }
    let need: u32 = 0;
    let lower: u32 = 0x80;
    let upper: u32 = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b == 0xe0) lower = 0xa0; if (b == 0xed) upper = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b == 0xf0) lower = 0x90; if (b == 0xf4) upper = 0x8f; }
    else return false;
    for (let k: u32 = 1; k <= need; k++) {
      if (i + k >= n) return false;
      let c = <u32>load<u8>(p + i + k);
      if (c < lower || c > upper) return false;
      lower = 0x80;
      upper = 0xbf;
    }
    i += need + 1;
  }
  return true;
}
