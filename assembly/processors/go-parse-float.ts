// The sign of a string as Go's strconv.ParseFloat(s, 64) reads it — only the sign matters to
// sampling.priority, so no digits are converted: 0 for zero, 1 positive, -1 negative, 3 when it
// does not parse, overflows (ParseFloat's range error) or is NaN (neither zero nor positive).
// Decimal forms, "inf"/"infinity"/"nan" in any case; Go's hexadecimal floats are not recognised.

function lower(c: u32): u32 {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

function matchWord(p: usize, n: usize, word: string): bool {
  if (n != <usize>word.length) return false;
  for (let i: usize = 0; i < n; i++) if (lower(<u32>load<u8>(p + i)) != <u32>word.charCodeAt(<i32>i)) return false;
  return true;
}

export function parseFloatSign(p: usize, n: usize): i32 {
  if (n == 0) return 3;
  let q = p;
  let end = p + n;
  let neg = false;
  let c = <u32>load<u8>(q);
  if (c == 0x2b || c == 0x2d) {
    neg = c == 0x2d;
    q++;
  }
  let rest = end - q;
  if (matchWord(q, rest, 'inf') || matchWord(q, rest, 'infinity')) return neg ? -1 : 1;
  if (matchWord(q, rest, 'nan')) return 3;
  let digits: i32 = 0;
  let intDigits: i32 = 0;
  let firstNonZero: i32 = -1;
  let seenPoint = false;
  while (q < end) {
    let d = <u32>load<u8>(q);
    if (d >= 0x30 && d <= 0x39) {
      if (d != 0x30 && firstNonZero < 0) firstNonZero = digits;
      digits++;
      if (!seenPoint) intDigits++;
    } else if (d == 0x2e && !seenPoint) {
      seenPoint = true;
    } else break;
    q++;
  }
  if (digits == 0) return 3;
  let exp: i64 = 0;
  if (q < end && lower(<u32>load<u8>(q)) == 0x65) {
    q++;
    let eneg = false;
    if (q < end && (load<u8>(q) == 0x2b || load<u8>(q) == 0x2d)) {
      eneg = load<u8>(q) == 0x2d;
      q++;
    }
    let ed = 0;
    while (q < end && load<u8>(q) >= 0x30 && load<u8>(q) <= 0x39) {
      if (exp < 1000000) exp = exp * 10 + <i64>(load<u8>(q) - 0x30);
      q++;
      ed++;
    }
    if (ed == 0) return 3;
    if (eneg) exp = -exp;
  }
  if (q != end) return 3;
  if (firstNonZero < 0) return 0;
  // Decimal exponent of the leading non-zero digit; ~1.8e308 is the float64 limit.
  let mag = <i64>(intDigits - 1 - firstNonZero) + exp;
  if (mag > 308) return 3;
  if (mag < -324) return 0;
  return neg ? -1 : 1;
}
