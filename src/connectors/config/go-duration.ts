// The connectors' config readers take durations as nanoseconds in a number, or an error message to
// put behind their key path: Go's time.ParseDuration (src/config/duration.ts, the one parser every
// config reader uses) adapted to that shape. Numbers are exact up to 2^53 ns (~104 days), beyond
// any timer or bucket bound here.
import { parseGoDuration as parseDurationNanos } from '../../config/duration.js';

/** Parses a Go duration; returns nanoseconds, or an error message (the input is quoted in it). */
export function parseGoDuration(text: string): number | string {
  try {
    return Number(parseDurationNanos(text));
  } catch (err) {
    return (err as Error).message;
  }
}
