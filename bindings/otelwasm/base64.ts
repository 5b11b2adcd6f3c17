// Standard base64 (RFC 4648 §4, padding optional) into core memory: how plugin_config carries a
// pipeline program, since the collector's config is YAML turned into JSON.

function sextet(c: u32): i32 {
  if (c >= 65 && c <= 90) return <i32>(c - 65);
  if (c >= 97 && c <= 122) return <i32>(c - 71);
  if (c >= 48 && c <= 57) return <i32>(c + 4);
  if (c == 43) return 62;
  if (c == 47) return 63;
  return -1;
}

/** Decoded length of `n` base64 characters (padding included), or -1 if `n` cannot be base64. */
export function base64Length(p: usize, n: usize): isize {
  while (n > 0 && load<u8>(p + n - 1) == 61) n--;
  if (n % 4 == 1) return -1;
  return <isize>((n * 3) >> 2);
}

/** Decodes into `out`; returns the byte length or -1 at the first character outside the alphabet. */
export function base64Decode(out: usize, p: usize, n: usize): isize {
  while (n > 0 && load<u8>(p + n - 1) == 61) n--;
  let acc: u32 = 0;
  let bits: u32 = 0;
  let at: usize = 0;
  for (let i: usize = 0; i < n; i++) {
    let v = sextet(<u32>load<u8>(p + i));
    if (v < 0) return -1;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      store<u8>(out + at++, <u8>(acc >> bits));
    }
  }
  return <isize>at;
}
