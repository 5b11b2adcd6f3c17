// The demo's live line in the terminal: spans received, kept and dropped, the rate, the metric
// series, and where the page is. On a terminal it rewrites one line in place; otherwise (a pipe,
// a log file) it prints a full line every few seconds.
import type { GatewaySummary } from './gateway.js';

export interface ProgressLineOptions {
  url: string;
  summary: () => GatewaySummary;
  /** Where text goes. Default process.stdout. */
  out?: NodeJS.WriteStream;
  /** Seconds between lines when `out` is not a terminal. Default 5. */
  plainEverySeconds?: number;
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');

export function formatProgress(s: GatewaySummary, spansPerSecond: number, url: string): string {
  const pct = s.received ? ` (${((s.kept / s.received) * 100).toFixed(1)}%)` : '';
  return `received ${n(s.received)} spans · kept ${n(s.kept)}${pct} · dropped ${n(s.dropped)} · ${n(spansPerSecond)} spans/s · ${n(s.series)} series · ${url}/`;
}

/** Starts the line; the returned function stops it (and ends the line). */
export function startProgressLine(options: ProgressLineOptions): () => void {
  const out = options.out ?? process.stdout;
  const tty = out.isTTY === true;
  const every = tty ? 1 : (options.plainEverySeconds ?? 5);
  let last = options.summary();
  let lastAt = Date.now();
  let ticks = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    const s = options.summary();
    const rate = ((s.received - last.received) * 1000) / Math.max(1, now - lastAt);
    last = s;
    lastAt = now;
    const line = formatProgress(s, rate, options.url);
    if (tty) out.write(`\r\x1b[2K${line.slice(0, Math.max(20, (out.columns ?? 200) - 1))}`);
    else if (++ticks % every === 0) out.write(`${line}\n`);
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (tty) out.write('\n');
  };
}
