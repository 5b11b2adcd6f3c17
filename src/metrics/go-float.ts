// Float formatting as Go's strconv.FormatFloat(v, 'g', -1, 64) — what the Prometheus client
// library writes in the exposition formats — so our text matches the Go ecosystem byte for byte:
// the shortest digits that round-trip, in %e form with a two-digit signed exponent (`1e+06`,
// `1e-05`) when the decimal exponent is below -4 or at least 6.

/**
 * Go decides between %e and %f with precision 6 when formatting the shortest representation:
 * exponent < -4 or >= 6 gives %e. JavaScript's toExponential() with no argument gives the same
 * shortest round-trip digits, which this only re-arranges.
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const neg = v < 0;
  const [mantissa, expText] = Math.abs(v).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  let out: string;
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    out = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${out}` : out;
}

/** The Prometheus client's OpenMetrics float: Go's 'g' format, with `.0` added to integral values. */
export function formatOpenMetricsFloat(v: number): string {
  const s = formatGoFloat(v);
  return /[e.]|Inf|NaN/.test(s) ? s : `${s}.0`;
}
