// The batch processor, on an injectable clock. It follows the collector's shard loop: after each
// batch, while the buffer holds at least send_batch_size items (or always, when timeout is 0) it
// sends a chunk of at most send_batch_max_size items; a timer that starts with the processor and
// is reset after every send flushes one chunk when it fires; flush() (shutdown) drains everything.
// Items are what the collector counts: spans, log records, or metric data points. Buffered
// requests are joined by concatenation and chunks cut by the splice encoder, so resources and
// scopes are kept and item bytes are never re-encoded.
import { batchItemCount, concatBatches, sliceBatch } from '../../otlp/batch-concat.js';
import type { Signal } from '../../config/collector-config.js';
import type { ComponentContext, Millis, SignalProcessor } from '../../pipeline/types.js';
import type { AnyBatch } from '../../pipeline/pending-edits.js';
import type { BatchConfig } from './batch-config.js';

const ITEMS: Readonly<Record<Signal, string>> = { traces: 'spans', logs: 'log_records', metrics: 'data_points' };

export class BatchProcessor<Batch extends AnyBatch = AnyBatch> implements SignalProcessor<Batch> {
  readonly id: string;
  private readonly signal: Signal;
  private buffer: Batch[] = [];
  private buffered = 0;
  private deadline: number | undefined;
  private sent = { batches: 0, spans: 0, bySize: 0, byTimeout: 0 };

  constructor(private readonly config: BatchConfig, context: ComponentContext) {
    this.id = context.id;
    this.signal = context.signal ?? 'traces';
  }

  private get hasTimer(): boolean {
    return this.config.timeoutMs > 0;
  }

  private startTimer(now: Millis): void {
    if (this.deadline === undefined) this.deadline = now + this.config.timeoutMs;
  }

  process(batch: Batch, now: Millis): Batch[] {
    const out = this.tick(now);
    this.startTimer(now);
    const n = batchItemCount(batch);
    // Like the collector, a request without items (metrics: without data points) is not buffered.
    if (n === 0) {
      batch.dispose();
      return out;
    }
    this.buffer.push(batch);
    this.buffered += n;
    let sent = false;
    while (this.buffered > 0 && (!this.hasTimer || this.buffered >= this.config.sendBatchSize)) {
      out.push(this.sendChunk());
      this.sent.bySize++;
      sent = true;
    }
    if (sent && this.hasTimer) this.deadline = now + this.config.timeoutMs;
    return out;
  }

  tick(now: Millis): Batch[] {
    const out: Batch[] = [];
    if (!this.hasTimer || this.deadline === undefined) return out;
    // Each timer expiry sends one chunk; when ticks are sparse, the expiries that were missed are
    // replayed so the result does not depend on how often the caller ticks.
    while (this.deadline <= now) {
      if (this.buffered > 0) {
        out.push(this.sendChunk());
        this.sent.byTimeout++;
      }
      this.deadline = this.buffered > 0 ? this.deadline + this.config.timeoutMs : now + this.config.timeoutMs;
    }
    return out;
  }

  flush(now: Millis): Batch[] {
    const out = this.tick(now);
    while (this.buffered > 0) out.push(this.sendChunk());
    return out;
  }

  /** Takes up to send_batch_max_size items (all when unlimited) off the front of the buffer. */
  private sendChunk(): Batch {
    const max = this.config.sendBatchMaxSize;
    let joined: Batch;
    if (this.buffer.length === 1) joined = this.buffer[0]!;
    else {
      joined = concatBatches(this.buffer);
      for (const b of this.buffer) b.dispose();
    }
    this.buffer = [];
    let chunk = joined;
    const n = batchItemCount(joined);
    if (max > 0 && n > max) {
      chunk = sliceBatch(joined, 0, max);
      this.buffer = [sliceBatch(joined, max, n)];
      joined.dispose();
    }
    const items = max > 0 && n > max ? max : n;
    this.buffered -= items;
    this.sent.batches++;
    this.sent.spans += items;
    return chunk;
  }

  counters(): Readonly<Record<string, number>> {
    return {
      batch_send_size_count: this.sent.batches,
      batch_send_size_sum: this.sent.spans,
      batch_size_trigger_send: this.sent.bySize,
      timeout_trigger_send: this.sent.byTimeout,
      [`buffered_${ITEMS[this.signal]}`]: this.buffered,
    };
  }

  shutdown(): void {
    for (const b of this.buffer) b.dispose();
    this.buffer = [];
    this.buffered = 0;
  }
}
