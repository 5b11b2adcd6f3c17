// The redaction processor for traces: allow-list, ignored keys and summary attributes on resource,
// scope, span, span event and link attributes, in one core call per batch.
import { getCore } from '../../core/init.js';
import type { Core } from '../../core/core.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { ComponentContext, Millis, TracesProcessor } from '../../pipeline/types.js';
import { editPending, runEditPlan } from '../attr-edit/attr-edit-runner.js';
import type { KeyPatterns } from '../attr-edit/attr-edit-runner.js';
import type { PendingEdits } from '../../pipeline/pending-edits.js';
import type { EditCounts } from '../attr-edit/attr-edit-runner.js';
import type { RedactionConfig } from './redaction-config.js';
import { writeRedactionPlan, redactionPatterns } from './redaction-plan.js';

export class RedactionProcessor implements TracesProcessor {
  readonly id: string;
  private readonly core: Core;
  private readonly generation: number;
  private block: number;
  private readonly plan: number;
  private readonly keys: KeyPatterns;
  private readonly counts: EditCounts = { spans: 0, resources: 0, scopes: 0, redacted: 0, ignored: 0, allowed: 0, masked: 0 };

  constructor(config: RedactionConfig, context: ComponentContext) {
    this.id = context.id;
    this.core = getCore();
    this.generation = this.core.generation;
    const { block, plan } = writeRedactionPlan(this.core, config);
    this.block = block;
    this.plan = plan;
    this.keys = { patterns: redactionPatterns(config), cache: new Map() };
  }

  process(batch: TraceBatch, _now: Millis): TraceBatch[] {
    this.core.check(this.generation, `redaction processor ${this.id}`);
    return runEditPlan(this.core, batch, this.plan, this.id, this.counts, false, undefined, this.keys);
  }

  edit(pending: PendingEdits, _now: Millis): void {
    this.core.check(this.generation, `redaction processor ${this.id}`);
    editPending(this.core, pending, this.plan, this.id, this.counts, false, this.keys);
  }

  flush(): TraceBatch[] {
    return [];
  }

  counters(): Readonly<Record<string, number>> {
    const c = this.counts;
    return { spans_edited: c.spans, resources_edited: c.resources, scopes_edited: c.scopes, redacted_keys: c.redacted, masked_keys: c.masked, allowed_keys: c.allowed, ignored_keys: c.ignored };
  }

  shutdown(): void {
    if (this.block && this.core.generation === this.generation) this.core.free(this.block);
    this.block = 0;
  }
}
