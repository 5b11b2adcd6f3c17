// The ottl_condition policy's per-span test: its span conditions run over the batch's spans and
// its spanevent conditions over their events, each in one core call; a span matches when one of
// its conditions (or one of its events') is true. Under error_mode propagate, a failing condition
// marks the span in a second leaf whose bit makes the policy fail for the trace (it does not vote,
// like the collector's Error decision); under ignore/silent a failing condition is false.
// The collector walks a span's conditions, then its events in order, and stops at the first match
// or failure: each span sets one of the two bits at most, and the core lets the first span that
// sets one decide the trace.
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
    const errorBit = bitOf(test.id + ERROR_LEAF_SUFFIX);
    // Per span: the first decisive outcome (Q.OUT_TRUE or Q.OUT_ERROR), or Q.OUT_FALSE.
    const decision = new Uint8Array(n);
    const out = allocMask(core, Math.max(n, nEvents), component);
    try {
      if (spanSet) {
        errors += spanSet.run(core, header, out, test.errorMode, { component }).errors;
        decision.set(core.u8.subarray(out, out + n));
      }
      if (eventSet && nEvents) {
        errors += eventSet.run(core, header, out, test.errorMode, { component }).errors;
        const dv = core.dv;
        const u8 = core.u8;
        const spans = dv.getUint32(header + L.B_SPANS, true);
        for (let i = 0; i < n; i++) {
          if (decision[i] !== Q.OUT_FALSE) continue;
          const row = spans + i * L.SP_ROW;
          const first = dv.getUint32(row + L.SP_EVENT_START, true);
          const end = first + dv.getUint32(row + L.SP_EVENT_COUNT, true);
          for (let e = first; e < end; e++) {
            if (u8[out + e] !== Q.OUT_FALSE) {
              decision[i] = u8[out + e]!;
              break;
            }
          }
        }
      }
    } finally {
      core.free(out);
    }
    // Bits are set through 32-bit halves of the u64 words, so no BigInt is made per span (low half
    // first: the processor copies these words into wasm memory as they are, which relies on the
    // host being little-endian like wasm).
    const words = new Uint32Array(into.buffer, into.byteOffset, into.length * 2);
    const mWord = bit >>> 5;
    const mMask = (1 << (bit & 31)) >>> 0;
    const eWord = errorBit === undefined ? -1 : errorBit >>> 5;
    const eMask = errorBit === undefined ? 0 : (1 << (errorBit & 31)) >>> 0;
    for (let i = 0; i < n; i++) {
      const d = decision[i];
      if (d === Q.OUT_TRUE) words[i * 2 + mWord] = (words[i * 2 + mWord]! | mMask) >>> 0;
      else if (d === Q.OUT_ERROR && eWord >= 0) words[i * 2 + eWord] = (words[i * 2 + eWord]! | eMask) >>> 0;
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
