// The attributes processor: its actions, in order, on the attributes of every span, log record or
// metric data point that passes include/exclude — one core call per batch, edited items
// re-written, the rest copied. For metrics, include/exclude select whole metrics (metric names,
// resources) and the actions edit each data point's attributes, as the collector does.
import { getCore } from '../../core/init.js';
import type { Core } from '../../core/core.js';
import type { Signal } from '../../config/collector-config.js';
import type { ComponentContext, Millis, SignalProcessor } from '../../pipeline/types.js';
import type { AnyBatch, PendingEdits } from '../../pipeline/pending-edits.js';
import { editPending, runEditPlan } from '../attr-edit/attr-edit-runner.js';
import type { KeyPatterns } from '../attr-edit/attr-edit-runner.js';
import type { EditCounts } from '../attr-edit/attr-edit-runner.js';
import type { AttributesConfig } from './attributes-config.js';
import { writeAttributesPlan, actionPatterns } from './attributes-plan.js';
import { regexpTest, eligibleItems } from './regexp-match.js';
import { regexEngine, coreRegexEngine } from '../regex-matcher.js';

/** The collector's counter name for what this processor edits, per signal. */
const EDITED: Readonly<Record<Signal, string>> = { traces: 'spans_edited', logs: 'log_records_edited', metrics: 'data_points_edited' };

export class AttributesProcessor<Batch extends AnyBatch = AnyBatch> implements SignalProcessor<Batch> {
  readonly id: string;
  readonly signal: Signal;
  private readonly core: Core;
  private readonly generation: number;
  private block: number;
  private readonly plan: number;
  private readonly needsTable: boolean;
  private readonly keys: KeyPatterns | undefined;
  /** include/exclude with match_type regexp: evaluated per batch outside the core. */
  private readonly eligibleFor: ((batch: Batch) => Uint8Array) | undefined;
  private readonly counts: EditCounts = { spans: 0, resources: 0, scopes: 0, redacted: 0, ignored: 0, allowed: 0, masked: 0 };

  constructor(config: AttributesConfig, context: ComponentContext) {
    this.id = context.id;
    this.signal = context.signal ?? 'traces';
    // include/exclude fields another signal owns are a config error here, as in the collector.
    for (const m of [config.include, config.exclude]) {
      const invalid = m?.invalidFor[this.signal];
      if (invalid) throw invalid;
    }
    this.core = getCore();
    this.generation = this.core.generation;
    const { block, plan, keysInCore } = writeAttributesPlan(this.core, config, this.signal);
    this.block = block;
    this.plan = plan;
    this.needsTable = config.include !== undefined || config.exclude !== undefined;
    // Key patterns the core cannot match itself (another regex engine) get their verdicts here.
    this.keys = keysInCore ? undefined : { patterns: actionPatterns(config), cache: new Map() };
    // regexp matching runs in the core with otel-sieve's engine; another engine goes through views.
    const outside = regexEngine() !== coreRegexEngine;
    const include = outside && config.include?.matchType === 'regexp' ? regexpTest(config.include) : undefined;
    const exclude = outside && config.exclude?.matchType === 'regexp' ? regexpTest(config.exclude) : undefined;
    this.eligibleFor = include || exclude ? (batch) => eligibleItems(batch, include, exclude) : undefined;
  }

  process(batch: Batch, _now: Millis): Batch[] {
    this.core.check(this.generation, `attributes processor ${this.id}`);
    return runEditPlan(this.core, batch, this.plan, this.id, this.counts, this.needsTable, undefined, this.keys, this.eligibleFor);
  }

  /**
   * Edits the items a preceding filter kept and drops the others in the same splice: what a
   * filter → attributes pipeline costs once filters produce keep masks (one index, one splice).
   * The mask has one entry per span, log record or metric.
   */
  processKept(batch: Batch, keep: Uint8Array): Batch[] {
    this.core.check(this.generation, `attributes processor ${this.id}`);
    return runEditPlan(this.core, batch, this.plan, this.id, this.counts, this.needsTable, keep, this.keys, this.eligibleFor);
  }

  edit(pending: PendingEdits<Batch>, _now: Millis): void {
    this.core.check(this.generation, `attributes processor ${this.id}`);
    editPending(this.core, pending, this.plan, this.id, this.counts, this.needsTable, this.keys, this.eligibleFor);
  }

  /** include/exclude read the original bytes (table or views): they need a batch without replacements. */
  canEdit(pending: PendingEdits<Batch>): boolean {
    return (!this.needsTable && !this.eligibleFor) || !pending.hasReplacements;
  }

  flush(): Batch[] {
    return [];
  }

  counters(): Readonly<Record<string, number>> {
    return { [EDITED[this.signal]]: this.counts.spans };
  }

  shutdown(): void {
    if (this.block && this.core.generation === this.generation) {
      this.core.exports.editPlanRelease(this.plan);
      this.core.free(this.block);
    }
    this.block = 0;
  }
}
