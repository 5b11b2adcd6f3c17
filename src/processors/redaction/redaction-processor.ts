// The redaction processor: allow-list, ignored keys, key patterns, blocked/allowed values and
// summary attributes on resource and scope attributes and on span, span event and link attributes
// (traces), log record attributes and string bodies (logs), or data point attributes (metrics) —
// in one core call per batch.
import { getCore } from '../../core/init.js';
import type { Core } from '../../core/core.js';
import type { Signal } from '../../config/collector-config.js';
import type { ComponentContext, Millis, SignalProcessor } from '../../pipeline/types.js';
import type { AnyBatch, PendingEdits } from '../../pipeline/pending-edits.js';
import { editPending, runEditPlan } from '../attr-edit/attr-edit-runner.js';
import type { KeyPatterns } from '../attr-edit/attr-edit-runner.js';
import type { EditCounts } from '../attr-edit/attr-edit-runner.js';
import type { RedactionConfig } from './redaction-config.js';
import { writeRedactionPlan, redactionPatterns } from './redaction-plan.js';

/** The counter name for the items this processor re-writes, per signal. */
const EDITED: Readonly<Record<Signal, string>> = { traces: 'spans_edited', logs: 'log_records_edited', metrics: 'data_points_edited' };

export class RedactionProcessor<Batch extends AnyBatch = AnyBatch> implements SignalProcessor<Batch> {
  readonly id: string;
  readonly signal: Signal;
  private readonly core: Core;
  private readonly generation: number;
  private block: number;
  private readonly plan: number;
  private readonly keys: KeyPatterns | undefined;
  private readonly counts: EditCounts = { spans: 0, resources: 0, scopes: 0, redacted: 0, ignored: 0, allowed: 0, masked: 0, bodies: 0 };

  constructor(config: RedactionConfig, context: ComponentContext) {
    this.id = context.id;
    this.signal = context.signal ?? 'traces';
    this.core = getCore();
    this.generation = this.core.generation;
    const { block, plan, keysInCore } = writeRedactionPlan(this.core, config, this.signal);
    this.block = block;
    this.plan = plan;
    // Key patterns the core cannot match itself (another regex engine) get their verdicts here.
    this.keys = keysInCore ? undefined : { patterns: redactionPatterns(config), cache: new Map() };
  }

  process(batch: Batch, _now: Millis): Batch[] {
    this.core.check(this.generation, `redaction processor ${this.id}`);
    return runEditPlan(this.core, batch, this.plan, this.id, this.counts, false, undefined, this.keys);
  }

  edit(pending: PendingEdits<Batch>, _now: Millis): void {
    this.core.check(this.generation, `redaction processor ${this.id}`);
    editPending(this.core, pending, this.plan, this.id, this.counts, false, this.keys);
  }

  flush(): Batch[] {
    return [];
  }

  counters(): Readonly<Record<string, number>> {
    const c = this.counts;
    const out: Record<string, number> = {
      [EDITED[this.signal]]: c.spans, resources_edited: c.resources, scopes_edited: c.scopes, redacted_keys: c.redacted, masked_keys: c.masked,
      allowed_keys: c.allowed, ignored_keys: c.ignored,
    };
    if (this.signal === 'logs') out.masked_bodies = c.bodies ?? 0;
    return out;
  }

  shutdown(): void {
    if (this.block && this.core.generation === this.generation) {
      this.core.exports.editPlanRelease(this.plan);
      this.core.free(this.block);
    }
    this.block = 0;
  }
}
