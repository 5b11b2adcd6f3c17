// The filter processor for traces: OTTL conditions (resource, scope, span and spanevent groups)
// and otel-sieve's TraceQL drop, as a keep mask and — when events are dropped — replacement
// content for the spans that lose them. It joins the pipeline's pending edits, so a filter
// followed by attributes/redaction is one splice: dropped spans are left out, untouched spans
// copied byte for byte. Scopes and resources left empty are dropped. Pipeline programs run the
// same steps in the core (assembly/pipeline/stage-filter.ts): keep the two in step.
import * as F from '../../../assembly/abi/filter-layout.js';
import { getCore } from '../../core/init.js';
import type { Core } from '../../core/core.js';
import { OtlpDecodeError } from '../../core/errors.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { ComponentContext, Millis, TracesProcessor } from '../../pipeline/types.js';
import { PendingEdits } from '../../pipeline/pending-edits.js';
import type { FilterConfig } from './filter-config.js';
import { FilterRun } from './filter-run.js';
import { allocMask, hasEmptyEnvelopes } from './core-masks.js';

export class TracesFilterProcessor implements TracesProcessor {
  readonly id: string;
  private readonly core: Core;
  private readonly generation: number;
  private readonly run: FilterRun;
  private readonly counts = { spans: 0, events: 0, errors: 0 };

  constructor(private readonly config: FilterConfig, context: ComponentContext) {
    this.id = context.id;
    this.core = getCore();
    this.generation = this.core.generation;
    this.run = new FilterRun(config.traces, this.id);
  }

  process(batch: TraceBatch, now: Millis): TraceBatch[] {
    const pending = PendingEdits.begin(batch);
    try {
      this.edit(pending, now);
    } catch (err) {
      pending.release();
      pending.batch.dispose();
      throw err;
    }
    const out = pending.materialize();
    return out ? [out] : [];
  }

  /** Conditions read the batch's own rows: edits pending from earlier processors are written out first. */
  canEdit(pending: PendingEdits): boolean {
    return !pending.hasReplacements;
  }

  edit(pending: PendingEdits, _now: Millis): void {
    this.core.check(this.generation, `filter processor ${this.id}`);
    const batch = pending.batch;
    const n = batch.spanCount;
    if (n === 0) return;
    const core = this.core;
    const header = batch.headerPtr;
    const before = pending.kept < 0 ? n : pending.kept;
    let keep = pending.keep;
    let kept = before;
    let childKeep = 0;
    if (!this.run.empty) {
      const outcome = this.run.apply(core, batch, keep);
      this.counts.errors += outcome.errors;
      if (outcome.keep) {
        pending.setKeep(outcome.keep, outcome.kept);
        keep = outcome.keep;
        kept = outcome.kept;
      }
      childKeep = outcome.childKeep;
      this.counts.events += outcome.childrenDropped;
    }
    if (this.config.traceql && kept > 0) {
      const { query, wholeTraces } = this.config.traceql;
      const selected = query.spanMask(batch, wholeTraces);
      if (!keep) {
        keep = allocMask(core, n, this.id, 1);
        pending.setKeep(keep, n);
      }
      const u8 = core.u8;
      kept = 0;
      for (let i = 0; i < n; i++) {
        if (selected[i]) u8[keep + i] = 0;
        kept += u8[keep + i]!;
      }
      pending.setKeep(keep, kept);
    }
    this.counts.spans += before - kept;
    try {
      if (childKeep && kept > 0) this.dropEvents(pending, childKeep);
    } finally {
      core.free(childKeep);
    }
    // The collector drops scopes and resources without spans whenever it filters; a splice does.
    if (!pending.keep && !this.run.empty && hasEmptyEnvelopes(core, header)) pending.setKeep(allocMask(core, n, this.id, 1), n);
  }

  /** Replacement content for the kept spans that lose events. */
  private dropEvents(pending: PendingEdits, eventKeep: number): void {
    const core = this.core;
    const batch = pending.batch;
    const status = core.call('traceDropEvents', (ex) => ex.traceDropEvents(batch.headerPtr, eventKeep, pending.keep));
    if (status !== 0) throw new OtlpDecodeError(core.readError(), batch.byteLength, this.id);
    const res = core.exports.eventDropResult() >>> 0;
    const table = core.dv.getUint32(res + F.ED_TABLE, true);
    const content = core.dv.getUint32(res + F.ED_CONTENT, true);
    if (!table) return;
    pending.setTables(table, pending.resourceRepl, pending.scopeRepl);
    pending.hold(content);
  }

  flush(): TraceBatch[] {
    return [];
  }

  counters(): Readonly<Record<string, number>> {
    return { 'spans.filtered': this.counts.spans, 'spanevents.filtered': this.counts.events, condition_errors: this.counts.errors };
  }

  shutdown(): void {
    if (this.core.generation === this.generation) this.run.dispose(this.core);
  }
}
