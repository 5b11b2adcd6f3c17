// Exponential backoff with jitter, as the collector's retry_on_failure computes it: each wait is
// drawn uniformly from interval × [1 − f, 1 + f], the interval grows by `multiplier` up to
// `maxInterval`, and no wait may end past `maxElapsed` after the first attempt (0 = no limit).

export interface BackoffSettings {
  initialMs: number;
  maxIntervalMs: number;
  maxElapsedMs: number;
  multiplier: number;
  randomization: number;
}

export class Backoff {
  private interval: number;
  constructor(private readonly s: BackoffSettings, private readonly random: () => number) {
    this.interval = s.initialMs;
  }

  /** The next wait in ms (before any Retry-After is applied). */
  next(): number {
    const delta = this.s.randomization * this.interval;
    const wait = this.interval - delta + this.random() * (2 * delta);
    this.interval = Math.min(this.interval * this.s.multiplier, this.s.maxIntervalMs);
    return wait;
  }

  /** Whether a wait of `waitMs` starting `elapsedMs` after the first attempt stays within max_elapsed_time. */
  fits(elapsedMs: number, waitMs: number): boolean {
    return this.s.maxElapsedMs === 0 || elapsedMs + waitMs <= this.s.maxElapsedMs;
  }
}
