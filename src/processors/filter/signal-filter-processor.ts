// What the logs and metrics filter processors share: one FilterRun over the batch (one core call
// per condition group), then at most one splice that copies kept items byte for byte and drops the
// resources and scopes left empty. Subclasses say how items are counted and spliced, and what
// their counters are called.
import { getCore } from '../../core/init.js';
import type { Core } from '../../core/core.js';
import type { OtlpBatch } from '../../otlp/otlp-batch.js';
import type { ComponentContext, Millis } from '../../pipeline/types.js';
import type { ConditionGroup } from '../ottl-config.js';
import { FilterRun } from './filter-run.js';
import type { FilterOutcome } from './filter-run.js';
import { hasEmptyEnvelopes } from './core-masks.js';

export abstract class SignalFilterProcessor<Batch extends OtlpBatch> {
  readonly id: string;
  protected readonly core: Core;
  private readonly generation: number;
  private readonly run: FilterRun;

  constructor(groups: readonly ConditionGroup[], context: ComponentContext) {
    this.id = context.id;
    this.core = getCore();
    this.generation = this.core.generation;
    this.run = new FilterRun(groups, this.id);
  }

  /** Items (log records, metrics) in `batch`. */
  protected abstract itemCount(batch: Batch): number;
  /** A new batch holding what the masks keep (`outcome.childKeep` may be 0). */
  protected abstract splice(batch: Batch, outcome: FilterOutcome): Batch;
  /** Adds one batch's drops to the counters: `after` is what goes on (undefined: nothing). */
  protected abstract count(before: Batch, after: Batch | undefined, outcome: FilterOutcome): void;

  process(batch: Batch, _now: Millis): Batch[] {
    this.core.check(this.generation, `filter processor ${this.id}`);
    const n = this.itemCount(batch);
    if (this.run.empty || n === 0) return [batch];
    const core = this.core;
    let outcome: FilterOutcome;
    try {
      outcome = this.run.apply(core, batch, 0);
    } catch (err) {
      batch.dispose();
      throw err;
    }
    try {
      if (outcome.kept === 0) {
        this.count(batch, undefined, outcome);
        batch.dispose();
        return [];
      }
      if (!outcome.keep && !outcome.childKeep && !hasEmptyEnvelopes(core, batch.headerPtr)) {
        this.count(batch, batch, outcome);
        return [batch];
      }
      const out = this.splice(batch, outcome);
      this.count(batch, out, outcome);
      batch.dispose();
      // Child groups may have emptied every item (a metric without points is dropped).
      if (this.itemCount(out) === 0) {
        out.dispose();
        return [];
      }
      return [out];
    } finally {
      core.free(outcome.keep);
      core.free(outcome.childKeep);
    }
  }

  flush(): Batch[] {
    return [];
  }

  shutdown(): void {
    if (this.core.generation === this.generation) this.run.dispose(this.core);
  }
}
