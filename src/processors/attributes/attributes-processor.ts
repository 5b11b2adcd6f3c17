// The attributes processor for traces: its actions, in order, on the attributes of every span that
// passes include/exclude — one core call per batch, edited spans re-written, the rest copied.
import { getCore } from '../../core/init.js';
import type { Core } from '../../core/core.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { ComponentContext, Millis, TracesProcessor } from '../../pipeline/types.js';
import { editPending, runEditPlan } from '../attr-edit/attr-edit-runner.js';
import type { KeyPatterns } from '../attr-edit/attr-edit-runner.js';
import type { PendingEdits } from '../../pipeline/pending-edits.js';
import type { EditCounts } from '../attr-edit/attr-edit-runner.js';
import type { AttributesConfig } from './attributes-config.js';
import { writeAttributesPlan, actionPatterns } from './attributes-plan.js';
import { regexpSpanTest, eligibleSpans } from './regexp-match.js';
import { regexEngine, coreRegexEngine } from '../regex-matcher.js';

export class AttributesProcessor implements TracesProcessor {
  readonly id: string;
  private readonly core: Core;
  private readonly generation: number;
  private block: number;
  private readonly plan: number;
  private readonly needsTable: boolean;
  private readonly keys: KeyPatterns;
  /** include/exclude with match_type regexp: evaluated per batch outside the core. */
  private readonly eligibleFor: ((batch: TraceBatch) => Uint8Array) | undefined;
  private readonly counts: EditCounts = { spans: 0, resources: 0, scopes: 0, redacted: 0, ignored: 0, allowed: 0, masked: 0 };

  constructor(config: AttributesConfig, context: ComponentContext) {
    this.id = context.id;
    this.core = getCore();
    this.generation = this.core.generation;
    const { block, plan } = writeAttributesPlan(this.core, config);
    this.block = block;
    this.plan = plan;
    this.needsTable = config.include !== undefined || config.exclude !== undefined;
    this.keys = { patterns: actionPatterns(config), cache: new Map() };
    // regexp matching runs in the core with otel-sieve's engine; another engine goes through views.
    const outside = regexEngine() !== coreRegexEngine;
    const include = outside && config.include?.matchType === 'regexp' ? regexpSpanTest(config.include) : undefined;
    const exclude = outside && config.exclude?.matchType === 'regexp' ? regexpSpanTest(config.exclude) : undefined;
    this.eligibleFor = include || exclude ? (batch) => eligibleSpans(batch, include, exclude) : undefined;
  }

  process(batch: TraceBatch, _now: Millis): TraceBatch[] {
    this.core.check(this.generation, `attributes processor ${this.id}`);
    return runEditPlan(this.core, batch, this.plan, this.id, this.counts, this.needsTable, undefined, this.keys, this.eligibleFor);
  }

  /**
   * Edits the spans a preceding filter kept and drops the others in the same splice: what a
   * filter → attributes pipeline costs once filters produce keep masks (one index, one splice).
   */
  processKept(batch: TraceBatch, keep: Uint8Array): TraceBatch[] {
    this.core.check(this.generation, `attributes processor ${this.id}`);
    return runEditPlan(this.core, batch, this.plan, this.id, this.counts, this.needsTable, keep, this.keys, this.eligibleFor);
  }

  edit(pending: PendingEdits, _now: Millis): void {
    this.core.check(this.generation, `attributes processor ${this.id}`);
    editPending(this.core, pending, this.plan, this.id, this.counts, this.needsTable, this.keys, this.eligibleFor);
  }

  /** include/exclude read the original bytes (table or views): they need a batch without replacements. */
  canEdit(pending: PendingEdits): boolean {
    return (!this.needsTable && !this.eligibleFor) || !pending.hasReplacements;
  }

  flush(): TraceBatch[] {
    return [];
  }

  counters(): Readonly<Record<string, number>> {
    return { spans_edited: this.counts.spans };
  }

  shutdown(): void {
    if (this.block && this.core.generation === this.generation) this.core.free(this.block);
    this.block = 0;
  }
}
