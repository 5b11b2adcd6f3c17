// Evaluates OTTL conditions over a batch without a pipeline: which items (spans, span events,
// resources, scopes, log records, metrics, data points) match. One core call; the answer is a
// byte per item. For tests, tools and embedders who filter by hand.
import * as Q from '../../assembly/abi/query-layout.js';
import * as B from '../../assembly/abi/batch-layout.js';
import * as L from '../../assembly/abi/trace-layout.js';
import * as M from '../../assembly/abi/metrics-layout.js';
import type { OtlpBatch } from '../otlp/otlp-batch.js';
import { OtlpDecodeError } from '../core/errors.js';
import * as ERR from '../../assembly/abi/errors.js';
import { compileOttlCondition } from './condition.js';
import type { PathStyle } from './check.js';
import type { ContextName } from './contexts.js';
import { OttlConditionSet } from './condition-set.js';
import type { ErrorMode, OttlRuntimeError } from './condition-set.js';

export interface EvaluateOptions {
  readonly context: ContextName;
  /** How paths name their context (default 'legacy': unqualified). */
  readonly paths?: PathStyle;
  /** Default 'propagate': a failing condition throws OttlRuntimeError. */
  readonly errorMode?: ErrorMode;
  /**
   * Under 'propagate', whether the first failure throws (default true). With false every item is
   * evaluated and a failed one gets 2 in `results`, which shows where conditions fail.
   */
  readonly stopAtFirstError?: boolean;
}

export interface Evaluation {
  /** Per item: 1 if a condition was true, 0 if not, 2 if (propagate) a condition failed first. */
  readonly results: Uint8Array;
  readonly errors: number;
  readonly firstError?: OttlRuntimeError;
}

/** Items of `context` in the batch: the length of the result. */
function itemCount(batch: OtlpBatch, context: ContextName): number {
  const header = batch.headerPtr;
  const dv = batch.core.dv;
  switch (context) {
    case 'resource':
      return dv.getUint32(header + B.B_RESOURCE_COUNT, true);
    case 'scope':
      return dv.getUint32(header + B.B_SCOPE_COUNT, true);
    case 'spanevent':
      return dv.getUint32(header + L.B_EVENT_COUNT, true);
    case 'datapoint':
      return dv.getUint32(header + M.B_POINT_COUNT, true);
    default:
      return dv.getUint32(header + B.B_ITEM_COUNT, true);
  }
}

/**
 * Evaluates `conditions` (ORed, in order) over the items of `options.context` in `batch` (a
 * TraceBatch for span/spanevent, a LogBatch for log, a MetricBatch for metric/datapoint; any for
 * resource and scope).
 */
export function evaluateConditions(conditions: string | readonly string[], batch: OtlpBatch, options: EvaluateOptions): Evaluation {
  const list = typeof conditions === 'string' ? [conditions] : conditions;
  const set = new OttlConditionSet(list.map((c) => compileOttlCondition(c, { context: options.context, paths: options.paths })), options.context);
  const core = batch.core;
  const header = batch.headerPtr;
  if (set.readsAttributes) batch.ensureAttributes();
  const n = itemCount(batch, options.context);
  const out = core.call('alloc', (ex) => ex.alloc(Math.max(1, n)) >>> 0);
  if (!out) throw new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(n) }, 0, 'ottl.evaluate');
  try {
    const mode = options.errorMode ?? 'propagate';
    const outcome = set.run(core, header, out, mode, { abort: mode === 'propagate' && options.stopAtFirstError !== false });
    return { results: core.u8.slice(out, out + n), errors: outcome.errors, firstError: outcome.first };
  } finally {
    core.free(out);
    set.dispose(core);
  }
}

export const OUT = Object.freeze({ FALSE: Q.OUT_FALSE, TRUE: Q.OUT_TRUE, ERROR: Q.OUT_ERROR });
