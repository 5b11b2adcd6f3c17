// Edits of consecutive processors on one batch, applied in a single splice. Processors that can
// express their work as keep masks and replacement content (the samplers, attributes, redaction,
// filters) add to a PendingEdits instead of producing a new batch: the next one reads replaced
// items from their new content, and the pipeline materialises the result once — one index and one
// splice for the run, instead of one per processor. All tables and content live in core memory and
// are freed together. The same object serves the three signals: for traces and logs the items are
// spans and log records; for metrics the keep mask is per metric, `pointKeep` per data point, and
// the replacement table holds data points (the parts the editors re-write).
import * as B from '../../assembly/abi/batch-layout.js';
import * as M from '../../assembly/abi/metrics-layout.js';
import type { MetricBatch } from '../otlp/metric-batch.js';
import type { TraceBatch } from '../otlp/trace-batch.js';
import { isMetricBatch } from '../otlp/batch-signal.js';
import type { LogBatch } from '../otlp/log-batch.js';

/** A batch of any signal. */
export type AnyBatch = TraceBatch | LogBatch | MetricBatch;

/** Item counts of a batch, known without indexing it. */
export interface KnownCounts {
  /** Spans, log records or data points. */
  readonly items: number;
  /** Metrics (metric batches only). */
  readonly metrics?: number;
}

// What materialize() knows about its output: the pipeline counts items out without indexing the
// spliced request only to count it (an index costs as much as a processor).
const knownCounts = new WeakMap<AnyBatch, KnownCounts>();

/** The counts of a batch materialize() produced, if they are known without indexing it. */
export function knownCountsOf(batch: AnyBatch): KnownCounts | undefined {
  return knownCounts.get(batch);
}

export class PendingEdits<Batch extends AnyBatch = TraceBatch> {
  /** Keep mask (one byte per span, log record or metric) or 0 (all kept). */
  keep = 0;
  /** Items kept when `keep` is set. */
  kept = -1;
  /** Metrics: keep mask per data point, or 0 (all kept). */
  pointKeep = 0;
  /** Metrics: data points kept when `pointKeep` is set. */
  pointsKept = -1;
  /**
   * Replacement content per edited item — spans, log records, or data points for metrics — as
   * (pointer, length) pairs, or 0. (Named for the first signal; see itemRepl.)
   */
  spanRepl = 0;
  resourceRepl = 0;
  scopeRepl = 0;
  private readonly content: number[] = [];

  private constructor(public batch: Batch) {}

  /** Starts editing `batch` (items the decode limits truncated are re-written first). */
  static begin<Batch extends AnyBatch>(batch: Batch): PendingEdits<Batch> {
    const core = batch.core;
    if (core.dv.getUint32(batch.headerPtr + B.B_FLAGS, true) & B.BATCH_NEEDS_REWRITE) {
      const clean = spliceAll(batch);
      batch.dispose();
      batch = clean;
    }
    return new PendingEdits(batch);
  }

  /** The replacement table of edited items (spans, log records, data points). */
  get itemRepl(): number {
    return this.spanRepl;
  }

  get hasReplacements(): boolean {
    return this.spanRepl !== 0 || this.resourceRepl !== 0 || this.scopeRepl !== 0;
  }

  /** Whether nothing is left: every item dropped by the keep mask. */
  get empty(): boolean {
    return this.keep !== 0 && this.kept === 0;
  }

  /** Installs a new keep mask (the old one is freed). */
  setKeep(ptr: number, kept: number): void {
    if (this.keep && this.keep !== ptr) this.batch.core.free(this.keep);
    this.keep = ptr;
    this.kept = kept;
  }

  /** Metrics: installs a new data point keep mask (the old one is freed). */
  setPointKeep(ptr: number, kept: number): void {
    if (!isMetricBatch(this.batch)) throw new TypeError('setPointKeep: only metric batches have data points');
    if (this.pointKeep && this.pointKeep !== ptr) this.batch.core.free(this.pointKeep);
    this.pointKeep = ptr;
    this.pointsKept = kept;
  }

  /** Installs new replacement tables (old tables are freed; the content they point at is kept). */
  setTables(item: number, resource: number, scope: number): void {
    const core = this.batch.core;
    if (this.spanRepl && this.spanRepl !== item) core.free(this.spanRepl);
    if (this.resourceRepl && this.resourceRepl !== resource) core.free(this.resourceRepl);
    if (this.scopeRepl && this.scopeRepl !== scope) core.free(this.scopeRepl);
    this.spanRepl = item;
    this.resourceRepl = resource;
    this.scopeRepl = scope;
  }

  /** Keeps a content block alive until the edits are materialised. */
  hold(ptr: number): void {
    if (ptr) this.content.push(ptr);
  }

  /** One splice for everything; undefined when no item is left. */
  materialize(): Batch | undefined {
    const batch = this.batch;
    try {
      if (this.empty) {
        batch.dispose();
        return undefined;
      }
      if (!this.keep && !this.pointKeep && !this.hasReplacements) return batch;
      const header = batch.headerPtr;
      const counts = this.outputCounts();
      const out = (isMetricBatch(batch)
        ? batch.splice(header, this.keep, this.pointKeep, 0, this.spanRepl, this.resourceRepl, this.scopeRepl)
        : (batch as TraceBatch).splice(header, this.keep, this.spanRepl, this.resourceRepl, this.scopeRepl)) as Batch;
      batch.dispose();
      if (counts) knownCounts.set(out, counts);
      return out;
    } finally {
      this.release();
    }
  }

  /**
   * The splice output's counts where the masks give them: every kept span or log record is
   * written; metrics only when nothing is dropped (a dropped point can empty its metric).
   */
  private outputCounts(): KnownCounts | undefined {
    const batch = this.batch;
    if (isMetricBatch(batch)) {
      if (this.keep || this.pointKeep) return undefined;
      return { items: batch.dataPointCount, metrics: batch.metricCount };
    }
    if (!this.keep) return { items: 'spanCount' in batch ? batch.spanCount : batch.logRecordCount };
    return this.kept >= 0 ? { items: this.kept } : undefined;
  }

  /**
   * Items (spans, log records, data points) the edits so far keep: what the next processor of the
   * run receives. Exact for metrics too (a dropped metric drops its points).
   */
  liveItems(): number {
    const batch = this.batch;
    if (!isMetricBatch(batch)) {
      if (this.kept >= 0) return this.kept;
      return 'spanCount' in batch ? batch.spanCount : batch.logRecordCount;
    }
    if (!this.keep) return this.pointKeep ? this.pointsKept : batch.dataPointCount;
    // Read from the metric table in core memory (no view object per metric).
    const { u8, dv } = batch.core;
    const rows = dv.getUint32(batch.headerPtr + M.B_METRICS, true);
    let n = 0;
    for (let m = 0; m < batch.metricCount; m++) {
      if (!u8[this.keep + m]) continue;
      const row = rows + m * M.M_ROW;
      const first = dv.getUint32(row + M.M_POINT_START, true);
      const count = dv.getUint32(row + M.M_POINT_COUNT, true);
      if (!this.pointKeep) n += count;
      else for (let k = 0; k < count; k++) n += u8[this.pointKeep + first + k]!;
    }
    return n;
  }

  /** Frees the tables and content without splicing (the batch is left to the caller). */
  release(): void {
    const core = this.batch.core;
    for (const p of [this.keep, this.pointKeep, this.spanRepl, this.resourceRepl, this.scopeRepl, ...this.content]) if (p) core.free(p);
    this.keep = this.pointKeep = this.spanRepl = this.resourceRepl = this.scopeRepl = 0;
    this.content.length = 0;
  }
}

/** A copy of `batch` with every item kept (re-writes what the decode limits truncated). */
function spliceAll<Batch extends AnyBatch>(batch: Batch): Batch {
  const header = batch.headerPtr;
  return (isMetricBatch(batch) ? batch.splice(header, 0, 0) : (batch as TraceBatch).splice(header, 0)) as Batch;
}
