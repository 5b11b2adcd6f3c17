// Durations in exporter configs: Go duration strings as the collector writes them ("5s", "1m30s",
// "250ms", "1.5s"), read by the config's own Go parser so a pasted block means the same here as in
// the collector, or numbers of milliseconds for JavaScript callers. (Bare integers in collector YAML
// are nanoseconds to Go; the config reader refuses them, so they never reach this function.)
import { nanosToMillis, parseGoDuration } from '../config/duration.js';

/** Milliseconds for `value`; `key` names the setting in the error, e.g. `retry_on_failure.max_interval`. */
export function durationMs(value: unknown, key: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${key}: expected a non-negative duration, got ${value}`);
    return value;
  }
  if (typeof value !== 'string') throw new TypeError(`${key}: expected a duration like "5s" or a number of milliseconds, got ${JSON.stringify(value)}`);
  let nanos: bigint;
  try {
    nanos = parseGoDuration(value);
  } catch (err) {
    throw new RangeError(`${key}: invalid duration ${JSON.stringify(value)}: ${(err as Error).message} (use Go syntax like "500ms", "5s", "1m30s")`);
  }
  if (nanos < 0n) throw new RangeError(`${key}: expected a non-negative duration, got "${value}"`);
  return nanosToMillis(nanos);
}
