// Go's time.ParseDuration, exactly: a sequence of decimal numbers with optional fraction and a
// unit each (`1h30m`, `1.5s`, `100us`, `-2ms`), units ns, us (µs/μs), ms, s, m, h; "0" alone needs
// no unit. The collector parses every duration in its config this way, so configs pasted from it
// must mean the same here. Results are nanoseconds as a number (exact up to 2^53 ns, ~104 days;
// beyond that the nearest double, which no timer or bucket bound here needs).

const UNITS: Readonly<Record<string, bigint>> = Object.freeze({
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
});

const MAX = (1n << 63n) - 1n;

/** Parses a Go duration; returns nanoseconds, or an error message (the input is quoted in it). */
export function parseGoDuration(text: string): number | string {
  const orig = JSON.stringify(text);
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return `invalid duration ${orig}`;
  let total = 0n;
  while (s !== '') {
    // Integer part, then an optional fraction; at least one digit somewhere.
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const intPart = m[1]!;
    const fracPart = m[2];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) return `invalid duration ${orig}`;
    s = s.slice(m[0].length);
    const u = /^[^0-9.]+/.exec(s);
    if (!u) return `missing unit in duration ${orig}`;
    const unit = UNITS[u[0]];
    if (unit === undefined) return `unknown unit ${JSON.stringify(u[0])} in duration ${orig}`;
    s = s.slice(u[0].length);
    let v = (intPart === '' ? 0n : BigInt(intPart)) * unit;
    if (fracPart) {
      // Go keeps the fraction's precision by scaling it to the unit and truncating.
      const scale = 10n ** BigInt(fracPart.length);
      v += (BigInt(fracPart) * unit) / scale;
    }
    total += v;
    if (total > MAX) return `invalid duration ${orig}`;
  }
  return Number(neg ? -total : total);
}
