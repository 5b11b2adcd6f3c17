// memory_limiter: refuses new data with a retryable error while memory is above the soft limit
// (hard limit − spike), and accepts again below it. It refuses, it never drops: the pipeline asks
// it through admit() before any processor sees a batch.
//
// What is measured: the bytes the WebAssembly core holds (accounted exactly by its allocator) —
// batches in flight, tail-sampling buffers, batch-processor buffers. That is where otel-sieve's
// telemetry lives, and it is readable on every runtime (browsers and workers have no heap reading).
// limit_percentage is a share of the core's memory cap (init({ memoryLimit })).
import { getCore } from '../../core/init.js';
import { DataRefusedError } from '../../pipeline/data-refused-error.js';
import type { Signal } from '../../config/collector-config.js';
import type { AnyBatch } from '../../pipeline/pending-edits.js';
import { batchItemCount } from '../../otlp/batch-concat.js';
import type { ComponentContext, Millis, SignalProcessor } from '../../pipeline/types.js';
import type { MemoryLimiterConfig } from './memory-limiter-config.js';

const MIB = 1024 * 1024;

/** Where the reading comes from; tests and embedders may substitute their own. */
export type MemoryReader = () => { used: number; cap: number };

export const coreMemoryReader: MemoryReader = () => {
  const core = getCore();
  return { used: core.memoryUsed(), cap: core.limit };
};

/** The collector's counter item names (otelcol_processor_refused_spans, _log_records, _metric_points). */
const ITEMS: Readonly<Record<Signal, string>> = { traces: 'spans', logs: 'log_records', metrics: 'metric_points' };

export class MemoryLimiterProcessor<Batch extends AnyBatch = AnyBatch> implements SignalProcessor<Batch> {
  readonly id: string;
  private readonly signal: Signal;
  private lastCheck: number | undefined;
  private refusing = false;
  private refused = 0;
  private accepted = 0;
  private lastUsed = 0;

  constructor(private readonly config: MemoryLimiterConfig, context: ComponentContext, private readonly read: MemoryReader = coreMemoryReader) {
    this.id = context.id;
    this.signal = context.signal ?? 'traces';
  }

  /** Hard and soft limits in bytes for a memory cap. */
  limits(cap: number): { hard: number; soft: number } {
    const c = this.config;
    if (c.limitMib > 0) {
      const hard = c.limitMib * MIB;
      const spike = c.spikeLimitMib > 0 ? c.spikeLimitMib * MIB : hard / 5;
      return { hard, soft: hard - spike };
    }
    const hard = (cap * c.limitPercentage) / 100;
    const spike = c.spikeLimitPercentage > 0 ? (cap * c.spikeLimitPercentage) / 100 : hard / 5;
    return { hard, soft: hard - spike };
  }

  private check(now: Millis): void {
    if (this.lastCheck !== undefined && now - this.lastCheck < this.config.checkIntervalMs) return;
    this.lastCheck = now;
    const { used, cap } = this.read();
    this.lastUsed = used;
    this.refusing = used >= this.limits(cap).soft;
  }

  admit(batch: Batch, now: Millis): void {
    this.check(now);
    if (this.refusing) {
      this.refused += batchItemCount(batch);
      const { soft } = this.limits(this.read().cap);
      throw new DataRefusedError(this.id, `${(this.lastUsed / MIB).toFixed(1)} MiB in use, soft limit ${(soft / MIB).toFixed(1)} MiB`, Math.max(1, Math.ceil(this.config.checkIntervalMs)));
    }
  }

  process(batch: Batch, _now: Millis): Batch[] {
    this.accepted += batchItemCount(batch);
    return [batch];
  }

  flush(): Batch[] {
    return [];
  }

  counters(): Readonly<Record<string, number>> {
    const item = ITEMS[this.signal];
    return { [`accepted_${item}`]: this.accepted, [`refused_${item}`]: this.refused };
  }
}
