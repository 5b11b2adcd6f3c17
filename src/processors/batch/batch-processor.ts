// The batch processor, on an injectable clock. It follows the collector's shard loop: after each
// batch, while the buffer holds at least send_batch_size spans (or always, when timeout is 0) it
// sends a chunk of at most send_batch_max_size spans; a timer that starts with the processor and
// is reset after every send flushes one chunk when it fires; flush() (shutdown) drains everything.
// Buffered requests are joined by concatenation and chunks cut by the splice encoder, so resources
// and scopes are kept and span bytes are never re-encoded.
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { concatTraceBatches } from '../../otlp/trace-concat.js';
import type { ComponentContext, Millis, TracesProcessor } from '../../pipeline/types.js';
import type { BatchConfig } from './batch-config.js';

export class BatchProcessor implements TracesProcessor {
  readonly id: string;
  private buffer: TraceBatch[] = [];
  private buffered = 0;
  private deadline: number | undefined;
  private sent = { batches: 0, spans: 0, bySize: 0, byTimeout: 0 };

  constructor(private readonly config: BatchConfig, context: ComponentContext) {
    this.id = context.id;
  }

  private get hasTimer(): boolean {
    return this.config.timeoutMs > 0;
  }

  private startTimer(now: Millis): void {
    if (this.deadline === undefined) this.deadline = now + this.config.timeoutMs;
  }

  process(batch: TraceBatch, now: Millis): TraceBatch[] {
    const out = this.tick(now);
    this.startTimer(now);
    const n = batch.spanCount;
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

  tick(now: Millis): TraceBatch[] {
    const out: TraceBatch[] = [];
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

  flush(now: Millis): TraceBatch[] {
    const out = this.tick(now);
    while (this.buffered > 0) out.push(this.sendChunk());
    return out;
  }

  /** Takes up to send_batch_max_size spans (all when unlimited) off the front of the buffer. */
  private sendChunk(): TraceBatch {
    const max = this.config.sendBatchMaxSize;
    let joined: TraceBatch;
    if (this.buffer.length === 1) joined = this.buffer[0]!;
    else {
      joined = concatTraceBatches(this.buffer);
      for (const b of this.buffer) b.dispose();
    }
    this.buffer = [];
    let chunk = joined;
    if (max > 0 && joined.spanCount > max) {
      const n = joined.spanCount;
      const head = new Uint8Array(n);
      head.fill(1, 0, max);
      const rest = new Uint8Array(n);
      rest.fill(1, max);
      chunk = joined.select(head);
      this.buffer = [joined.select(rest)];
      joined.dispose();
    }
    const spans = chunk.spanCount;
    this.buffered -= spans;
    this.sent.batches++;
    this.sent.spans += spans;
    return chunk;
  }

  counters(): Readonly<Record<string, number>> {
    return {
      batch_send_size_count: this.sent.batches,
      batch_send_size_sum: this.sent.spans,
      batch_size_trigger_send: this.sent.bySize,
      timeout_trigger_send: this.sent.byTimeout,
      buffered_spans: this.buffered,
    };
  }

  shutdown(): void {
    for (const b of this.buffer) b.dispose();
    this.buffer = [];
    this.buffered = 0;
  }
}
