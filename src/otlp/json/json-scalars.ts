// Decoders for the scalar spellings of OTLP/JSON, working on UTF-8 bytes in place so that no JS
// string is made per value. Integers are parsed exactly as two 32-bit halves: a double cannot hold
// every 64-bit value, and BigInt costs an allocation per timestamp, two per span.

const TWO_32 = 4294967296;

/** The result of {@link parseInteger}: a 64-bit two's complement value as two unsigned 32-bit halves. */
export class IntegerParts {
  lo = 0;
  hi = 0;
  negative = false;
}

export const PARSE_OK = 0;
/** Not a decimal number at all. */
export const PARSE_SYNTAX = 1;
/** A number, but not a whole one (integers only). */
export const PARSE_FRACTION = 2;
/** Too large (or too small) for any 64-bit integer, or a finite double spelling that overflows. */
export const PARSE_RANGE = 3;

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/**
 * Parses `s[start, end)` as a whole decimal number into `out` as sign and 64-bit magnitude.
 * JSON number syntax; a fraction or exponent is fine when the value is whole (`1.0`, `1e3`).
 * `inString` (the text was a JSON string) also accepts a leading `+` and leading zeros, as the
 * collector's `strconv.ParseInt` does.
 */
export function parseInteger(s: Uint8Array, start: number, end: number, inString: boolean, out: IntegerParts): number {
  let i = start;
  let negative = false;
  if (i < end && s[i] === 0x2d) {
    negative = true;
    i++;
  } else if (inString && i < end && s[i] === 0x2b) {
    i++;
  }
  const intStart = i;
  while (i < end && isDigit(s[i])) i++;
  const intEnd = i;
  if (intEnd === intStart) return PARSE_SYNTAX;
  if (!inString && s[intStart] === 0x30 && intEnd - intStart > 1) return PARSE_SYNTAX;
  out.negative = negative;
  if (i === end) return accumulate(s, intStart, intEnd, 0, out);

  let fracStart = i;
  let fracEnd = i;
  if (s[i] === 0x2e) {
    fracStart = ++i;
    while (i < end && isDigit(s[i])) i++;
    fracEnd = i;
    if (fracEnd === fracStart) return PARSE_SYNTAX;
  }
  let exp = 0;
  if (i < end && (s[i] | 0x20) === 0x65) {
    i++;
    let expNegative = false;
    if (i < end && (s[i] === 0x2b || s[i] === 0x2d)) expNegative = s[i++] === 0x2d;
    const expStart = i;
    // Clamped: any exponent this large already decides range or fraction.
    while (i < end && isDigit(s[i])) exp = Math.min(exp * 10 + (s[i++] - 0x30), 1e6);
    if (i === expStart) return PARSE_SYNTAX;
    if (expNegative) exp = -exp;
  }
  if (i !== end) return PARSE_SYNTAX;

  // Trailing zeros of the fraction do not make the value fractional; strip them, then any
  // remaining fraction digit must be absorbed by the exponent.
  while (fracEnd > fracStart && s[fracEnd - 1] === 0x30) fracEnd--;
  const scale = exp - (fracEnd - fracStart);
  if (fracEnd === fracStart) return accumulate(s, intStart, intEnd, scale, out);
  if (scale < 0) return allZero(s, intStart, intEnd) && allZero(s, fracStart, fracEnd) ? zero(out) : PARSE_FRACTION;
  // Whole value = int digits ++ fraction digits, times 10^scale: join them in a small buffer.
  const joined = new Uint8Array(intEnd - intStart + fracEnd - fracStart);
  joined.set(s.subarray(intStart, intEnd));
  joined.set(s.subarray(fracStart, fracEnd), intEnd - intStart);
  return accumulate(joined, 0, joined.length, scale, out);
}

function allZero(s: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (s[i] !== 0x30) return false;
  return true;
}

function zero(out: IntegerParts): number {
  out.lo = 0;
  out.hi = 0;
  return PARSE_OK;
}

/** Digits `s[start, end)` followed by `zeros` zeros, as a 64-bit magnitude; scale < 0 means trailing digits must be zero. */
function accumulate(s: Uint8Array, start: number, end: number, scale: number, out: IntegerParts): number {
  while (start < end && s[start] === 0x30) start++;
  if (start === end) return zero(out);
  while (scale < 0) {
    if (s[end - 1] !== 0x30) return PARSE_FRACTION;
    end--;
    scale++;
  }
  const digits = end - start + scale;
  if (digits > 20) return PARSE_RANGE;
  // The first up-to-15 digits form an exact double v; the other r ≤ 5 digits (with the zeros of
  // `scale`) form t, and the value is v · 10^r + t, multiplied out in 32-bit halves so every
  // intermediate stays below 2^53.
  const head = Math.min(digits, 15);
  let v = 0;
  let t = 0;
  for (let k = 0; k < digits; k++) {
    const digit = start + k < end ? s[start + k] - 0x30 : 0;
    if (k < head) v = v * 10 + digit;
    else t = t * 10 + digit;
  }
  let lo = v % TWO_32;
  let hi = (v - lo) / TWO_32;
  if (digits > head) {
    const p = POW10[digits - head];
    const low = lo * p + t; // < 2^32 · 10^5 + 10^5 < 2^49
    const carry = Math.floor(low / TWO_32);
    lo = low - carry * TWO_32;
    hi = hi * p + carry; // ≤ 2^18 · 10^5 + carry < 2^35
    if (hi >= TWO_32) return PARSE_RANGE;
  }
  out.lo = lo;
  out.hi = hi;
  return PARSE_OK;
}

/**
 * Checks that the parsed magnitude fits the integer type and replaces it with the two's complement
 * value; a 32-bit value is then `out.lo | 0` (signed) or `out.lo` (unsigned).
 */
export function fitInteger(out: IntegerParts, signed: boolean, bits: 32 | 64): boolean {
  const { lo, hi, negative } = out;
  if (bits === 32 && hi !== 0) return false;
  if (!negative) {
    if (signed && (bits === 32 ? lo > 0x7fffffff : hi > 0x7fffffff)) return false;
    return true;
  }
  if (lo === 0 && hi === 0) return true;
  if (!signed) return false;
  if (bits === 32 ? lo > 0x80000000 : hi > 0x80000000 || (hi === 0x80000000 && lo !== 0)) return false;
  out.lo = (TWO_32 - lo) % TWO_32;
  out.hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  return true;
}

/** Exact powers of ten: a double holds 10^0 … 10^22 exactly. */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** The result of {@link parseDouble}. */
export class DoubleResult {
  value = 0;
}

/**
 * Parses `s[start, end)` as a double. `inString` also accepts "NaN", "Infinity", "-Infinity", a
 * leading `+` and leading zeros. A finite spelling that overflows is PARSE_RANGE, as protobuf's JSON
 * mapping requires.
 */
export function parseDouble(s: Uint8Array, start: number, end: number, inString: boolean, out: DoubleResult): number {
  if (inString) {
    const special = specialDouble(s, start, end);
    if (special !== undefined) {
      out.value = special;
      return PARSE_OK;
    }
  }
  let i = start;
  let negative = false;
  if (i < end && s[i] === 0x2d) {
    negative = true;
    i++;
  } else if (inString && i < end && s[i] === 0x2b) {
    i++;
  }
  const intStart = i;
  // Clinger's fast path: with at most 15 significant digits the digits form an exact double m,
  // and m / 10^k or m * 10^k (k ≤ 22) is one correctly rounded operation.
  let m = 0;
  let significant = 0;
  while (i < end && isDigit(s[i])) {
    const d = s[i++] - 0x30;
    if (significant > 0 || d !== 0) significant++;
    m = m * 10 + d;
  }
  if (i === intStart) return PARSE_SYNTAX;
  if (!inString && s[intStart] === 0x30 && i - intStart > 1) return PARSE_SYNTAX;
  let fraction = 0;
  if (i < end && s[i] === 0x2e) {
    const fracStart = ++i;
    while (i < end && isDigit(s[i])) {
      const d = s[i++] - 0x30;
      if (significant > 0 || d !== 0) significant++;
      m = m * 10 + d;
    }
    fraction = i - fracStart;
    if (fraction === 0) return PARSE_SYNTAX;
  }
  let exp = 0;
  if (i < end && (s[i] | 0x20) === 0x65) {
    i++;
    let expNegative = false;
    if (i < end && (s[i] === 0x2b || s[i] === 0x2d)) expNegative = s[i++] === 0x2d;
    const expStart = i;
    while (i < end && isDigit(s[i])) exp = Math.min(exp * 10 + (s[i++] - 0x30), 1e6);
    if (i === expStart) return PARSE_SYNTAX;
    if (expNegative) exp = -exp;
  }
  if (i !== end) return PARSE_SYNTAX;
  const k = exp - fraction;
  let value: number;
  if (significant <= 15 && k >= -22 && k <= 22) {
    value = k === 0 ? m : k < 0 ? m / POW10[-k] : m * POW10[k];
  } else {
    let text = '';
    for (let j = start; j < end; j++) text += String.fromCharCode(s[j]);
    value = Math.abs(Number(text));
    if (value === Infinity) return PARSE_RANGE;
  }
  out.value = negative ? -value : value;
  return PARSE_OK;
}

function specialDouble(s: Uint8Array, start: number, end: number): number | undefined {
  const n = end - start;
  if (n === 3 && s[start] === 0x4e && s[start + 1] === 0x61 && s[start + 2] === 0x4e) return NaN;
  const negative = n === 9 && s[start] === 0x2d;
  if (n !== 8 && !negative) return undefined;
  const word = 'Infinity';
  for (let j = 0; j < 8; j++) if (s[start + (negative ? 1 : 0) + j] !== word.charCodeAt(j)) return undefined;
  return negative ? -Infinity : Infinity;
}

const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

/** Decodes hex `s[start, end)` (an even count) into `out`; returns -1, or the offset of the first bad digit. */
export function decodeHex(s: Uint8Array, start: number, end: number, out: Uint8Array): number {
  for (let i = start, o = 0; i < end; i += 2, o++) {
    const h = HEX[s[i]];
    const l = HEX[s[i + 1]];
    if ((h | l) < 0) return h < 0 ? i : i + 1;
    out[o] = (h << 4) | l;
  }
  return -1;
}

const BASE64 = new Int8Array(256).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
for (let k = 0; k < ALPHABET.length; k++) BASE64[ALPHABET.charCodeAt(k)] = k;
// Both alphabets at once: the standard one and the URL-safe one.
BASE64[0x2b] = BASE64[0x2d] = 62;
BASE64[0x2f] = BASE64[0x5f] = 63;

/** Largest decoded length of `n` base64 characters. */
export function base64Capacity(n: number): number {
  return Math.ceil((n * 3) / 4);
}

/**
 * Decodes base64 in the standard or URL-safe alphabet, padded or not, into `out` (at least
 * {@link base64Capacity} long). Returns the decoded length, or `-1 - offset` of the first byte that
 * cannot be there (`end` itself when the length is impossible).
 */
export function decodeBase64(s: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let dataEnd = end;
  if (dataEnd > start && s[dataEnd - 1] === 0x3d) dataEnd--;
  if (dataEnd > start && s[dataEnd - 1] === 0x3d) dataEnd--;
  const padded = dataEnd !== end;
  const n = dataEnd - start;
  if (n % 4 === 1 || (padded && (end - start) % 4 !== 0)) {
    // A stray character explains more than the length does.
    const bad = firstBad(s, start, dataEnd);
    return -1 - (bad < dataEnd ? bad : end);
  }
  let o = 0;
  let i = start;
  for (const full = start + n - (n % 4); i < full; i += 4) {
    const a = BASE64[s[i]];
    const b = BASE64[s[i + 1]];
    const c = BASE64[s[i + 2]];
    const d = BASE64[s[i + 3]];
    if ((a | b | c | d) < 0) return -1 - firstBad(s, i, i + 4);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  const rest = n % 4;
  if (rest > 0) {
    const a = BASE64[s[i]];
    const b = BASE64[s[i + 1]];
    const c = rest === 3 ? BASE64[s[i + 2]] : 0;
    if ((a | b | c) < 0) return -1 - firstBad(s, i, i + rest);
    out[o++] = (a << 2) | (b >>> 4);
    if (rest === 3) out[o++] = ((b & 0x0f) << 4) | (c >>> 2);
  }
  return o;
}

function firstBad(s: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (BASE64[s[i]] < 0) return i;
  return end;
}

/**
 * Length of the well-formed UTF-8 sequence starting with the non-ASCII byte `s[i]`, or minus the
 * length of its maximal ill-formed prefix (Unicode's "maximal subpart", which becomes one U+FFFD).
 */
export function utf8SequenceLength(s: Uint8Array, i: number, end: number): number {
  const b0 = s[i];
  if (b0 < 0xc2 || b0 > 0xf4) return -1;
  if (i + 1 >= end) return -1;
  const b1 = s[i + 1];
  if (b0 < 0xe0) return (b1 & 0xc0) === 0x80 ? 2 : -1;
  const lo = b0 === 0xe0 ? 0xa0 : b0 === 0xf0 ? 0x90 : 0x80;
  const hi = b0 === 0xed ? 0x9f : b0 === 0xf4 ? 0x8f : 0xbf;
  if (b1 < lo || b1 > hi) return -1;
  if (i + 2 >= end || (s[i + 2] & 0xc0) !== 0x80) return -2;
  if (b0 < 0xf0) return 3;
  if (i + 3 >= end || (s[i + 3] & 0xc0) !== 0x80) return -3;
  return 4;
}

function hexValue(s: Uint8Array, i: number): number {
  return (HEX[s[i]] << 12) | (HEX[s[i + 1]] << 8) | (HEX[s[i + 2]] << 4) | HEX[s[i + 3]];
}

/**
 * Decodes the content of a JSON string (between its quotes, already checked by the tokenizer) into
 * UTF-8 in `out`, which must hold 3 × (end - start) bytes. Lone surrogates and ill-formed UTF-8
 * become U+FFFD. Returns the decoded length.
 */
export function decodeJsonString(s: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let o = 0;
  let i = start;
  while (i < end) {
    const b = s[i];
    if (b === 0x5c) {
      const e = s[i + 1];
      i += 2;
      let cp: number;
      switch (e) {
        case 0x62: cp = 0x08; break;
        case 0x66: cp = 0x0c; break;
        case 0x6e: cp = 0x0a; break;
        case 0x72: cp = 0x0d; break;
        case 0x74: cp = 0x09; break;
        case 0x75: {
          cp = hexValue(s, i);
          i += 4;
          if (cp >= 0xd800 && cp <= 0xdbff && s[i] === 0x5c && s[i + 1] === 0x75) {
            const low = hexValue(s, i + 2);
            if (low >= 0xdc00 && low <= 0xdfff) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
              i += 6;
            }
          }
          if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
          break;
        }
        default: cp = e; // \" \\ \/
      }
      o = writeCodePoint(out, o, cp);
    } else if (b < 0x80) {
      out[o++] = b;
      i++;
    } else {
      const len = utf8SequenceLength(s, i, end);
      if (len > 0) {
        for (let k = 0; k < len; k++) out[o++] = s[i + k];
        i += len;
      } else {
        o = writeCodePoint(out, o, 0xfffd);
        i -= len;
      }
    }
  }
  return o;
}

function writeCodePoint(out: Uint8Array, o: number, cp: number): number {
  if (cp < 0x80) {
    out[o++] = cp;
  } else if (cp < 0x800) {
    out[o++] = 0xc0 | (cp >> 6);
    out[o++] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    out[o++] = 0xe0 | (cp >> 12);
    out[o++] = 0x80 | ((cp >> 6) & 0x3f);
    out[o++] = 0x80 | (cp & 0x3f);
  } else {
    out[o++] = 0xf0 | (cp >> 18);
    out[o++] = 0x80 | ((cp >> 12) & 0x3f);
    out[o++] = 0x80 | ((cp >> 6) & 0x3f);
    out[o++] = 0x80 | (cp & 0x3f);
  }
  return o;
}
