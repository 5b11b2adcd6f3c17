// The debug exporter: the collector's, writing to the console (or any `write`). `verbosity`
// basic prints one summary line per batch; normal adds a line per span; detailed the full dump.
// `sampling_initial`/`sampling_thereafter` thin the output per second like the collector's logger.
// It takes traces unless told other signals (`signals`): in a logs or metrics pipeline it prints
// those batches' summary line and, from `normal` on, a line per log record or data point.
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { LogBatch } from '../../otlp/log-batch.js';
import type { MetricBatch } from '../../otlp/metric-batch.js';
import { isLogBatch, isTraceBatch } from '../../otlp/batch-signal.js';
import { batchItemCount } from '../../otlp/batch-concat.js';
import type { Signal } from '../../config/collector-config.js';
import { emptyStats } from '../traces-exporter.js';
import type { ExportOutcome, ExporterStats, TracesExporter } from '../traces-exporter.js';
import { detailedText, normalText } from './otlp-text.js';
import { logsSummary, metricsSummary, normalLogText, normalMetricText } from './signal-text.js';

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
  /**
   * The signals it takes (a receiver hands it only those). Default `['traces']`. Log and metric
   * batches print the summary line, and with `normal` or `detailed` one line per record or point.
   */
  signals?: readonly Signal[];
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
  readonly signals: readonly Signal[];
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
    this.signals = options.signals ?? ['traces'];
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

  export(batch: TraceBatch | LogBatch | MetricBatch): Promise<ExportOutcome> {
    const items = batchItemCount(batch);
    this.counters.received += items;
    if (items === 0) return Promise.resolve({ delivered: 0, lost: 0 });
    // Sampling thins what is printed, not what is delivered: printing is this exporter's delivery.
    if (this.sampled()) this.write(this.text(batch).join('\n'));
    this.counters.delivered += items;
    return Promise.resolve({ delivered: items, lost: 0 });
  }

  private text(batch: TraceBatch | LogBatch | MetricBatch): string[] {
    const more = this.verbosity !== 'basic';
    if (isTraceBatch(batch)) {
      const lines = [`Traces {"resource spans": ${batch.resourceCount}, "spans": ${batch.spanCount}}`];
      if (this.verbosity === 'normal') lines.push(...normalText(batch));
      else if (this.verbosity === 'detailed') lines.push(...detailedText(batch));
      return lines;
    }
    // Logs and metrics have no detailed dump here: `detailed` prints the normal lines.
    if (isLogBatch(batch)) return [logsSummary(batch), ...(more ? normalLogText(batch) : [])];
    return [metricsSummary(batch), ...(more ? normalMetricText(batch) : [])];
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
