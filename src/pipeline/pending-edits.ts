// Edits of consecutive processors on one batch, applied in a single splice. Processors that can
// express their work as a keep mask and replacement content (the samplers, attributes, redaction)
// add to a PendingEdits instead of producing a new batch: the next one reads replaced spans from
// their new content, and the pipeline materialises the result once — one index and one splice for
// the run, instead of one per processor. All tables and content live in core memory and are freed
// together.
import * as L from '../../assembly/abi/trace-layout.js';
import type { TraceBatch } from '../otlp/trace-batch.js';

export class PendingEdits {
  /** Keep mask (one byte per span) or 0 (all kept). */
  keep = 0;
  /** Spans kept when `keep` is set. */
  kept = -1;
  spanRepl = 0;
  resourceRepl = 0;
  scopeRepl = 0;
  private readonly content: number[] = [];

  private constructor(public batch: TraceBatch) {}

  /** Starts editing `batch` (spans the decode limits truncated are re-written first). */
  static begin(batch: TraceBatch): PendingEdits {
    const core = batch.core;
    if (core.dv.getUint32(batch.headerPtr + L.B_FLAGS, true) & L.BATCH_NEEDS_REWRITE) {
      const clean = batch.splice(batch.headerPtr, 0);
      batch.dispose();
      batch = clean;
    }
    return new PendingEdits(batch);
  }

  get hasReplacements(): boolean {
    return this.spanRepl !== 0 || this.resourceRepl !== 0 || this.scopeRepl !== 0;
  }

  /** Installs a new keep mask (the old one is freed). */
  setKeep(ptr: number, kept: number): void {
    if (this.keep && this.keep !== ptr) this.batch.core.free(this.keep);
    this.keep = ptr;
    this.kept = kept;
  }

  /** Installs new replacement tables (old tables are freed; the content they point at is kept). */
  setTables(span: number, resource: number, scope: number): void {
    const core = this.batch.core;
    if (this.spanRepl && this.spanRepl !== span) core.free(this.spanRepl);
    if (this.resourceRepl && this.resourceRepl !== resource) core.free(this.resourceRepl);
    if (this.scopeRepl && this.scopeRepl !== scope) core.free(this.scopeRepl);
    this.spanRepl = span;
    this.resourceRepl = resource;
    this.scopeRepl = scope;
  }

  /** Keeps a content block alive until the edits are materialised. */
  hold(ptr: number): void {
    if (ptr) this.content.push(ptr);
  }

  /** One splice for everything; undefined when no span is left. */
  materialize(): TraceBatch | undefined {
    const batch = this.batch;
    try {
      if (this.keep && this.kept === 0) {
        batch.dispose();
        return undefined;
      }
      if (!this.keep && !this.hasReplacements) return batch;
      const out = batch.splice(batch.headerPtr, this.keep, this.spanRepl, this.resourceRepl, this.scopeRepl);
      batch.dispose();
      return out;
    } finally {
      this.release();
    }
  }

  /** Frees the tables and content without splicing (the batch is left to the caller). */
  release(): void {
    const core = this.batch.core;
    for (const p of [this.keep, this.spanRepl, this.resourceRepl, this.scopeRepl, ...this.content]) if (p) core.free(p);
    this.keep = this.spanRepl = this.resourceRepl = this.scopeRepl = 0;
    this.content.length = 0;
  }
}
