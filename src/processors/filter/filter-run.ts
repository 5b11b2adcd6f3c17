// Runs a filter's condition groups over one batch of any signal, in order, each in one core call:
// resource and scope groups drop every item of the resources / scopes they match, item groups
// (span, log, metric) drop items, child groups (spanevent, datapoint) drop children of the items
// still kept. The result is a keep mask per item and, when child groups ran, per child — in core
// memory, ready for the splice. A group only sees what earlier groups kept, as in the collector
// where each group removes items before the next one looks.
import * as B from '../../../assembly/abi/batch-layout.js';
import * as L from '../../../assembly/abi/trace-layout.js';
import * as Q from '../../../assembly/abi/query-layout.js';
import type { Core } from '../../core/core.js';
import { allocMask } from './core-masks.js';
import type { OtlpBatch } from '../../otlp/otlp-batch.js';
import { OttlConditionSet } from '../../ottl/condition-set.js';
import type { OttlRuntimeError } from '../../ottl/condition-set.js';
import type { ConditionGroup } from '../ottl-config.js';

export interface FilterOutcome {
  /** Keep mask per item in core memory (owned by the caller), or 0 when every item is kept. */
  keep: number;
  /** Items kept. */
  kept: number;
  /** Keep mask per child (span event, data point) in core memory, or 0 when none was dropped. */
  childKeep: number;
  childrenDropped: number;
  /** Condition evaluations that failed under ignore/silent, and the first of them. */
  errors: number;
  firstError?: OttlRuntimeError;
}

/** Counts kept by the signal's header (children: events or data points, both at the same slot). */
const B_CHILD_COUNT = L.B_EVENT_COUNT;

export class FilterRun {
  private readonly sets: OttlConditionSet[];
  readonly readsAttributes: boolean;

  constructor(private readonly groups: readonly ConditionGroup[], private readonly component: string) {
    this.sets = groups.map((g) => new OttlConditionSet(g.conditions, g.context));
    this.readsAttributes = this.sets.some((s) => s.readsAttributes);
  }

  get empty(): boolean {
    return this.groups.length === 0;
  }

  private alloc(core: Core, n: number, fill?: number): number {
    return allocMask(core, n, this.component, fill);
  }

  /**
   * Runs the groups over `batch` (its attribute table is built here when a condition reads
   * attributes). `startKeep` is a keep mask in core memory from earlier processors (0 = all kept);
   * it is not modified. Throws OttlRuntimeError when a group under `propagate` fails.
   */
  apply(core: Core, batch: OtlpBatch, startKeep: number): FilterOutcome {
    const header = batch.headerPtr;
    if (this.readsAttributes) batch.ensureAttributes();
    const dv = core.dv;
    const nItems = dv.getUint32(header + B.B_ITEM_COUNT, true);
    const nRes = dv.getUint32(header + B.B_RESOURCE_COUNT, true);
    const nScopes = dv.getUint32(header + B.B_SCOPE_COUNT, true);
    const nChildren = this.groups.some((g) => g.context === 'spanevent' || g.context === 'datapoint') ? dv.getUint32(header + B_CHILD_COUNT, true) : 0;
    const outcome: FilterOutcome = { keep: 0, kept: nItems, childKeep: 0, childrenDropped: 0, errors: 0 };
    const keep = this.alloc(core, nItems, 1);
    if (startKeep) core.u8.copyWithin(keep, startKeep, startKeep + nItems);
    const out = this.alloc(core, Math.max(nItems, nRes, nScopes, nChildren));
    const live = this.alloc(core, Math.max(nRes, nScopes));
    let childKeep = 0;
    try {
      this.groups.forEach((group, gi) => {
        const set = this.sets[gi]!;
        const run = (inMask: number, ownerMask: number) => {
          const r = set.run(core, header, out, group.errorMode, { inMask, ownerMask, abort: true, component: this.component });
          outcome.errors += r.errors;
          if (r.first && !outcome.firstError) outcome.firstError = r.first;
        };
        switch (group.context) {
          case 'resource':
          case 'scope': {
            const isResource = group.context === 'resource';
            const rows = dv.getUint32(header + (isResource ? B.B_RESOURCES : B.B_SCOPES), true);
            const size = isResource ? B.R_ROW : B.S_ROW;
            const n = isResource ? nRes : nScopes;
            const startAt = isResource ? B.R_ITEM_START : B.S_ITEM_START;
            // Only envelopes that still hold a kept item are looked at.
            const ranges: [number, number][] = [];
            const u8 = core.u8;
            for (let e = 0; e < n; e++) {
              const first = core.dv.getUint32(rows + e * size + startAt, true);
              const count = core.dv.getUint32(rows + e * size + startAt + 4, true);
              ranges.push([first, count]);
              let any = 0;
              for (let i = first; i < first + count && !any; i++) any = u8[keep + i]!;
              u8[live + e] = any;
            }
            run(live, 0);
            const after = core.u8;
            ranges.forEach(([first, count], e) => {
              if (after[out + e] === Q.OUT_TRUE) after.fill(0, keep + first, keep + first + count);
            });
            break;
          }
          case 'spanevent':
          case 'datapoint': {
            if (!childKeep) childKeep = this.alloc(core, nChildren, 1);
            run(childKeep, keep);
            const u8 = core.u8;
            for (let c = 0; c < nChildren; c++) if (u8[out + c] === Q.OUT_TRUE) u8[childKeep + c] = 0;
            break;
          }
          default: {
            run(keep, 0);
            const u8 = core.u8;
            for (let i = 0; i < nItems; i++) if (u8[out + i] === Q.OUT_TRUE) u8[keep + i] = 0;
          }
        }
      });
    } catch (err) {
      core.free(keep);
      core.free(childKeep);
      throw err;
    } finally {
      core.free(out);
      core.free(live);
    }
    const u8 = core.u8;
    let kept = 0;
    for (let i = 0; i < nItems; i++) kept += u8[keep + i]!;
    outcome.kept = kept;
    if (kept === nItems && !startKeep) core.free(keep);
    else outcome.keep = keep;
    if (childKeep) {
      // Children the conditions dropped (those of items dropped later go with their items anyway).
      let dropped = 0;
      for (let c = 0; c < nChildren; c++) if (!u8[childKeep + c]) dropped++;
      outcome.childrenDropped = dropped;
      if (dropped) outcome.childKeep = childKeep;
      else core.free(childKeep);
    }
    return outcome;
  }

  dispose(core: Core): void {
    for (const s of this.sets) s.dispose(core);
  }
}
