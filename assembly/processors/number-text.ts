// Numbers to and from text the way Go's strconv and pdata do it, for the attributes processor's
// convert action: ParseInt(s, 10, 64), ParseFloat(s, 64), and Value.AsString() of a double (the
// ES6 Number-to-String format: exponent form below 1e-6 and from 1e21 on, "1e-7", "1e+21").
import { dtoa_buffered } from 'util/number';

export let parsedInt: i64 = 0;
export let parsedDouble: f64 = 0;

/** strconv.ParseInt(s, 10, 64): sign, decimal digits, no overflow. */
export function parseInt64(p: usize, n: usize): bool {
  if (n == 0) return false;
  let q = p;
  let end = p + n;
  let neg = false;
  let c = load<u8>(q);
  if (c == 0x2b || c == 0x2d) {
    neg = c == 0x2d;
    q++;
    if (q == end) return false;
  }
  let v: u64 = 0;
  let limit: u64 = neg ? 9223372036854775808 : 9223372036854775807;
  while (q < end) {
    let d = <u64>load<u8>(q) - 0x30;
    if (d > 9) return false;
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
    q++;
  }
  parsedInt = neg ? -<i64>v : <i64>v;
  return true;
}

const POW10 = memory.data<f64>([1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]);

function lower(c: u32): u32 {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

function word(p: usize, n: usize, w: string): bool {
  if (n != <usize>w.length) return false;
  for (let i: usize = 0; i < n; i++) if (lower(<u32>load<u8>(p + i)) != <u32>w.charCodeAt(<i32>i)) return false;
  return true;
}

/**
 * strconv.ParseFloat(s, 64) for decimal input and inf/infinity/nan. Up to 15 significant digits
 * with a decimal exponent within ±22 the result is exact (Clinger's fast path); beyond that it is
 * computed in float64 steps and may differ from Go by an ulp. Hexadecimal floats are not accepted.
 */
export function parseDouble(p: usize, n: usize): bool {
  if (n == 0) return false;
  let q = p;
  let end = p + n;
  let neg = false;
  let c = load<u8>(q);
  if (c == 0x2b || c == 0x2d) {
    neg = c == 0x2d;
    q++;
  }
  let rest = end - q;
  if (word(q, rest, 'inf') || word(q, rest, 'infinity')) {
    parsedDouble = neg ? -Infinity : Infinity;
    return true;
  }
  if (word(q, rest, 'nan')) {
    parsedDouble = NaN;
    return true;
  }
  let mant: u64 = 0;
  let sig = 0;
  let exp10: i32 = 0;
  let digits = 0;
  let point = false;
  while (q < end) {
    let d = <u32>load<u8>(q);
    if (d >= 0x30 && d <= 0x39) {
      digits++;
      if (mant == 0 && d == 0x30) {
        if (point) exp10--;
      } else if (sig < 19) {
        mant = mant * 10 + <u64>(d - 0x30);
        sig++;
        if (point) exp10--;
      } else if (!point) exp10++;
    } else if (d == 0x2e && !point) point = true;
    else break;
    q++;
  }
  if (digits == 0) return false;
  if (q < end && lower(<u32>load<u8>(q)) == 0x65) {
    q++;
    let eneg = false;
    if (q < end && (load<u8>(q) == 0x2b || load<u8>(q) == 0x2d)) {
      eneg = load<u8>(q) == 0x2d;
      q++;
    }
    let e: i32 = 0;
    let ed = 0;
    while (q < end && load<u8>(q) >= 0x30 && load<u8>(q) <= 0x39) {
      if (e < 100000) e = e * 10 + <i32>(load<u8>(q) - 0x30);
      q++;
      ed++;
    }
    if (ed == 0) return false;
    exp10 += eneg ? -e : e;
  }
  if (q != end) return false;
  let v: f64;
  if (mant == 0) v = 0;
  else if (sig <= 15 && exp10 >= -22 && exp10 <= 22) {
    v = <f64>mant;
    v = exp10 >= 0 ? v * load<f64>(POW10 + <usize>exp10 * 8) : v / load<f64>(POW10 + <usize>(-exp10) * 8);
  } else {
    v = <f64>mant;
    let e = exp10;
    while (e > 22) {
      v *= 1e22;
      e -= 22;
    }
    while (e < -22) {
      v /= 1e22;
      e += 22;
    }
    v = e >= 0 ? v * load<f64>(POW10 + <usize>e * 8) : v / load<f64>(POW10 + <usize>(-e) * 8);
  }
  // Go reports overflow to ±Inf as an error (the value is then left unchanged).
  if (v == Infinity) return false;
  parsedDouble = neg ? -v : v;
  return true;
}

/** Decimal text of an int64; returns the length. */
export function formatInt(out: usize, v: i64): usize {
  let tmp = memory.data(24);
  let u: u64 = v < 0 ? <u64>(-v) : <u64>v;
  let n: usize = 0;
  do {
    store<u8>(tmp + n++, <u8>(0x30 + u % 10));
    u /= 10;
  } while (u);
  let len: usize = 0;
  if (v < 0) store<u8>(out + len++, 0x2d);
  while (n) store<u8>(out + len++, load<u8>(tmp + --n));
  return len;
}

/** pdata's AsString() of a double (ES6 Number-to-String rules); returns the length (< 32). */
export function formatDouble(out: usize, v: f64): usize {
  if (v != v || v == Infinity || v == -Infinity) {
    // pdata formats these through encoding/json's error text; "NaN"/"+Inf"/"-Inf" is what the
    // collector's debug output shows for them in practice.
    let s = v != v ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
    for (let i = 0; i < s.length; i++) store<u8>(out + <usize>i, <u8>s.charCodeAt(i));
    return <usize>s.length;
  }
  let buf = memory.data(64 * 2, 2);
  let n = <usize>dtoa_buffered(buf, v);
  // AssemblyScript writes UTF-16 and "1.0" for integral values: narrow to ASCII, drop the ".0".
  let len: usize = 0;
  for (let i: usize = 0; i < n; i++) {
    let c = load<u16>(buf + i * 2);
    if (c == 0x2e && i + 1 < n && load<u16>(buf + (i + 1) * 2) == 0x30 && (i + 2 == n || load<u16>(buf + (i + 2) * 2) == 0x65)) {
      i++;
      continue;
    }
    store<u8>(out + len++, <u8>c);
  }
  return len;
}
