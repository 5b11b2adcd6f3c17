// The debug exporter: the collector's, writing to the console (or any `write`). `verbosity`
// basic prints one summary line per batch; normal adds a line per span; detailed the full dump.
// `sampling_initial`/`sampling_thereafter` thin the output per second like the collector's logger.
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { emptyStats } from '../traces-exporter.js';
import type { ExportOutcome, ExporterStats, TracesExporter } from '../traces-exporter.js';
import { detailedText, normalText } from './otlp-text.js';

export interface DebugExporterConfig {
  /** `basic` (default), `normal` or `detailed`. */
  verbosity?: 'basic' | 'normal' | 'detailed';
  /** Batches printed per second before sampling starts. Default 2. */
  sampling_initial?: number;
  /** After that, every n-th batch in the same second is printed. Default 1 (all). */
  sampling_thereafter?: number;
  /** The collector's switch between its own logger and stdout; here both mean `write`. */
  use_internal_logger?: boolean;
}

export interface DebugExporterOptions {
  id?: string;
  /** Where text goes, one call per batch (lines joined by \n). Default console.log. */
  write?: (text: string) => void;
  /** Clock for sampling, Unix ms. Default Date.now. */
  now?: () => number;
}

export const DEFAULT_DEBUG_EXPORTER_CONFIG: Readonly<Required<DebugExporterConfig>> = Object.freeze({
  verbosity: 'basic',
  sampling_initial: 2,
  sampling_thereafter: 1,
  use_internal_logger: true,
});

const KEYS = ['verbosity', 'sampling_initial', 'sampling_thereafter', 'use_internal_logger'];

export class DebugExporter implements TracesExporter {
  readonly id: string;
  readonly accepting = true;
  private readonly verbosity: 'basic' | 'normal' | 'detailed';
  private readonly initial: number;
  private readonly thereafter: number;
  private readonly write: (text: string) => void;
  private readonly now: () => number;
  private second = -1;
  private inSecond = 0;
  private readonly counters = emptyStats();

  constructor(config: DebugExporterConfig = {}, options: DebugExporterOptions = {}) {
    this.id = options.id ?? 'debug';
    for (const key of Object.keys(config ?? {})) {
      if (!KEYS.includes(key)) throw new TypeError(`${this.id}: unknown key "${key}" (known: ${KEYS.join(', ')})`);
    }
    const d = DEFAULT_DEBUG_EXPORTER_CONFIG;
    const verbosity = config.verbosity ?? d.verbosity;
    if (!['basic', 'normal', 'detailed'].includes(verbosity)) throw new TypeError(`${this.id}.verbosity: expected basic, normal or detailed, got ${JSON.stringify(verbosity)}`);
    this.verbosity = verbosity;
    this.initial = config.sampling_initial ?? d.sampling_initial;
    this.thereafter = config.sampling_thereafter ?? d.sampling_thereafter;
    for (const [k, v] of [['sampling_initial', this.initial], ['sampling_thereafter', this.thereafter]] as const) {
      if (!Number.isSafeInteger(v) || v < (k === 'sampling_thereafter' ? 1 : 0)) throw new RangeError(`${this.id}.${k}: expected a ${k === 'sampling_thereafter' ? 'positive' : 'non-negative'} integer, got ${v}`);
    }
    this.write = options.write ?? ((text) => console.log(text));
    this.now = options.now ?? Date.now;
  }

  private sampled(): boolean {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.inSecond = 0;
    }
    this.inSecond++;
    return this.inSecond <= this.initial || (this.inSecond - this.initial) % this.thereafter === 0;
  }

  export(batch: TraceBatch): Promise<ExportOutcome> {
    const spans = batch.spanCount;
    this.counters.received += spans;
    if (spans === 0) return Promise.resolve({ delivered: 0, lost: 0 });
    // Sampling thins what is printed, not what is delivered: printing is this exporter's delivery.
    if (this.sampled()) {
      const lines = [`Traces {"resource spans": ${batch.resourceCount}, "spans": ${spans}}`];
      if (this.verbosity === 'normal') lines.push(...normalText(batch));
      else if (this.verbosity === 'detailed') lines.push(...detailedText(batch));
      this.write(lines.join('\n'));
    }
    this.counters.delivered += spans;
    return Promise.resolve({ delivered: spans, lost: 0 });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  stats(): ExporterStats {
    return { ...this.counters };
  }
}
