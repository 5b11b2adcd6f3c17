// Durations in exporter configs: Go duration strings as the collector writes them ("5s", "1m30s",
// "250ms", "1.5s"), or numbers of milliseconds for JavaScript callers. (Bare integers in collector
// YAML are nanoseconds to Go; write durations as strings there.)

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds for `value`; `key` names the setting in the error, e.g. `retry_on_failure.max_interval`. */
export function durationMs(value: unknown, key: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${key}: expected a non-negative duration, got ${value}`);
    return value;
  }
  if (typeof value !== 'string') throw new TypeError(`${key}: expected a duration like "5s" or a number of milliseconds, got ${JSON.stringify(value)}`);
  const text = value.trim();
  if (text === '0') return 0;
  const part = /([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = part.exec(text); m; m = part.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = part.lastIndex;
  }
  if (at === 0 || at !== text.length) throw new RangeError(`${key}: invalid duration "${value}" (use Go syntax like "500ms", "5s", "1m30s")`);
  return total;
}
