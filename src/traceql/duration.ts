// Duration literals: Tempo accepts Prometheus durations (integer groups y w d h m s ms in
// decreasing order) and Go's time.ParseDuration (decimal groups ns us µs μs ms s m h); the
// lexer tries the first, then the second. Results are int64 nanoseconds.

const NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  y: 31_536_000_000_000_000n,
};
const MAX = 0x7fffffffffffffffn;
const PROM_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

function prometheus(text: string): bigint | undefined {
  const re = /^(\d+)(ms|y|w|d|h|m|s)/;
  let rest = text;
  let last = -1;
  let total = 0n;
  if (!rest) return undefined;
  while (rest) {
    const m = re.exec(rest);
    if (!m) return undefined;
    const idx = PROM_ORDER.indexOf(m[2]!);
    if (idx <= last) return undefined;
    last = idx;
    total += BigInt(m[1]!) * NS[m[2]!]!;
    if (total > MAX) return undefined;
    rest = rest.slice(m[0].length);
  }
  return total;
}

function goDuration(text: string): bigint | undefined {
  const re = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  let rest = text;
  let total = 0n;
  if (!rest) return undefined;
  while (rest) {
    const m = re.exec(rest);
    if (!m || (!m[1] && !m[2])) return undefined;
    const unit = NS[m[3]!]!;
    const whole = BigInt(m[1] || '0');
    const frac = m[2] ?? '';
    let v = whole * unit;
    if (frac) {
      // Go keeps the fraction exact to the nanosecond (rounding down).
      v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    }
    total += v;
    if (total > MAX) return undefined;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** Nanoseconds for a duration literal, or undefined if neither syntax accepts it. */
export function parseDurationText(text: string): bigint | undefined {
  return prometheus(text) ?? goDuration(text);
}
