// Go's time.ParseDuration, exactly: the collector reads every duration key with it ("30s",
// "1400ms", "1h2m", "1.5s", "100us"/"100µs", "0"). Results are whole nanoseconds as a bigint
// (Go's time.Duration is an int64 of nanoseconds; fractions are truncated like Go does).

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n], // U+00B5 micro sign
  ['μs', 1_000n], // U+03BC Greek mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const MAX_INT64 = (1n << 63n) - 1n;

/** Parses a Go duration; throws an Error whose message says what is wrong (no path). */
export function parseGoDuration(text: string): bigint {
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new Error(`invalid duration "${text}"`);
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const whole = m[1] ?? '';
    const frac = m[2];
    if (whole === '' && (frac === undefined || frac === '')) throw new Error(`invalid duration "${text}"`);
    s = s.slice(m[0].length);
    const u = /^[^0-9.]+/.exec(s);
    if (!u) throw new Error(`missing unit in duration "${text}" (use ns, us, ms, s, m or h)`);
    const unit = UNITS.get(u[0]);
    if (unit === undefined) throw new Error(`unknown unit "${u[0]}" in duration "${text}" (use ns, us, ms, s, m or h)`);
    s = s.slice(u[0].length);
    let v = BigInt(whole || '0') * unit;
    if (frac) {
      // Go scales the fraction by the unit in floating point and truncates; for the digits it keeps
      // (at most what fits an int64) that equals exact truncation of frac × unit.
      const digits = frac.slice(0, 18);
      v += (BigInt(digits) * unit) / 10n ** BigInt(digits.length);
    }
    total += v;
    if (total > MAX_INT64 + (neg ? 1n : 0n)) throw new Error(`invalid duration "${text}" (overflows int64 nanoseconds)`);
  }
  return neg ? -total : total;
}

/** Nanoseconds (bigint) to milliseconds as a number (fractional when not whole). */
export function nanosToMillis(ns: bigint): number {
  return Number(ns) / 1e6;
}
