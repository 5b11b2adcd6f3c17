// The ottl_condition policy's per-span test: its span conditions run over the batch's spans and
// its spanevent conditions over their events, each in one core call; a span matches when one of
// its conditions (or one of its events') is true. Under error_mode propagate, a failing condition
// marks the span in a second leaf whose bit makes the policy fail for the trace (it does not vote,
// like the collector's Error decision); under ignore/silent a failing condition is false.
import * as L from '../../../assembly/abi/trace-layout.js';
import * as Q from '../../../assembly/abi/query-layout.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { OttlConditionSet } from '../../ottl/condition-set.js';
import type { ErrorMode } from '../../ottl/condition-set.js';
import type { ConditionGroup } from '../ottl-config.js';
import { allocMask } from '../filter/core-masks.js';
import { ERROR_LEAF_SUFFIX } from './tail-sampling-processor.js';
import type { ExternalLeafEvaluator } from './tail-sampling-processor.js';

/** An ottl_condition policy as read from the config. */
export interface OttlTest {
  readonly id: string;
  readonly span?: ConditionGroup;
  readonly spanevent?: ConditionGroup;
  readonly errorMode: ErrorMode;
}

export function ottlLeafEvaluator(test: OttlTest, component: string): ExternalLeafEvaluator {
  const spanSet = test.span && new OttlConditionSet(test.span.conditions, 'span');
  const eventSet = test.spanevent && new OttlConditionSet(test.spanevent.conditions, 'spanevent');
  const readsAttributes = (spanSet?.readsAttributes ?? false) || (eventSet?.readsAttributes ?? false);
  let errors = 0;
  let core: TraceBatch['core'] | undefined;
  const evaluate: ExternalLeafEvaluator = (batch, bit, into, bitOf) => {
    core = batch.core;
    const header = batch.headerPtr;
    if (readsAttributes) batch.ensureAttributes();
    const n = batch.spanCount;
    const nEvents = eventSet ? core.dv.getUint32(header + L.B_EVENT_COUNT, true) : 0;
    const match = 1n << BigInt(bit);
    const errorBit = bitOf(test.id + ERROR_LEAF_SUFFIX);
    const error = errorBit === undefined ? 0n : 1n << BigInt(errorBit);
    const out = allocMask(core, Math.max(n, nEvents), component);
    try {
      if (spanSet) {
        errors += spanSet.run(core, header, out, test.errorMode, { component }).errors;
        const u8 = core.u8;
        for (let i = 0; i < n; i++) {
          const r = u8[out + i];
          if (r === Q.OUT_TRUE) into[i]! |= match;
          else if (r === Q.OUT_ERROR) into[i]! |= error;
        }
      }
      if (eventSet && nEvents) {
        errors += eventSet.run(core, header, out, test.errorMode, { component }).errors;
        const dv = core.dv;
        const u8 = core.u8;
        const spans = dv.getUint32(header + L.B_SPANS, true);
        for (let i = 0; i < n; i++) {
          const row = spans + i * L.SP_ROW;
          const first = dv.getUint32(row + L.SP_EVENT_START, true);
          const count = dv.getUint32(row + L.SP_EVENT_COUNT, true);
          for (let e = first; e < first + count; e++) {
            const r = u8[out + e];
            if (r === Q.OUT_TRUE) into[i]! |= match;
            else if (r === Q.OUT_ERROR) into[i]! |= error;
          }
        }
      }
    } finally {
      core.free(out);
    }
  };
  evaluate.counters = () => ({ ottl_condition_errors: errors });
  evaluate.dispose = () => {
    if (!core) return;
    spanSet?.dispose(core);
    eventSet?.dispose(core);
  };
  return evaluate;
}
