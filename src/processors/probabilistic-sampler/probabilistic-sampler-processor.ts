// probabilistic_sampler for traces: one core call per batch decides every span and writes the new
// tracestate of sampled spans; one splice emits the kept spans (rewritten ones from the new
// content, the others byte for byte). A batch kept whole and unchanged is passed on as it is.
import * as P from '../../../assembly/abi/probabilistic-layout.js';
import { getCore } from '../../core/init.js';
import type { Core } from '../../core/core.js';
import { OtlpDecodeError } from '../../core/errors.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { ComponentContext, Millis, TracesProcessor } from '../../pipeline/types.js';
import { PendingEdits } from '../../pipeline/pending-edits.js';
import { planSampler } from './probabilistic-sampler-config.js';
import type { ProbabilisticSamplerConfig } from './probabilistic-sampler-config.js';

interface CoreSampler {
  psSample(header: number, opts: number, keepIn: number, replIn: number): number;
  psResult(): number;
  psFreeResult(): void;
}

const PRIORITY_KEY = new TextEncoder().encode('sampling.priority');

export class ProbabilisticSamplerProcessor implements TracesProcessor {
  readonly id: string;
  private readonly core: Core;
  private readonly options: Uint8Array;
  private readonly counts = { sampled: 0, notSampled: 0, priorityKept: 0, priorityDropped: 0, errors: 0, rewritten: 0 };

  constructor(config: ProbabilisticSamplerConfig, context: ComponentContext) {
    this.id = context.id;
    this.core = getCore();
    const plan = planSampler(config);
    // The options block is rebuilt in core scratch memory on each call (the key pointer with it).
    this.options = new Uint8Array(P.PO_SIZE + PRIORITY_KEY.length);
    const dv = new DataView(this.options.buffer);
    dv.setUint32(P.PO_MODE, plan.mode, true);
    dv.setUint32(P.PO_SEED, config.hashSeed, true);
    dv.setUint32(P.PO_FAIL_CLOSED, config.failClosed ? 1 : 0, true);
    dv.setUint32(P.PO_PRECISION, config.samplingPrecision, true);
    dv.setBigUint64(P.PO_THRESHOLD, plan.threshold, true);
    dv.setFloat64(P.PO_RATIO, plan.ratio, true);
    dv.setUint32(P.PO_PRIORITY_KEY_LEN, PRIORITY_KEY.length, true);
    this.options.set(PRIORITY_KEY, P.PO_SIZE);
  }

  process(batch: TraceBatch, now: Millis): TraceBatch[] {
    if (batch.spanCount === 0) return [batch];
    const pending = PendingEdits.begin(batch);
    try {
      this.edit(pending, now);
    } catch (err) {
      pending.release();
      throw err;
    }
    const out = pending.materialize();
    return out ? [out] : [];
  }

  /** Decides every span (and rewrites kept spans' tracestate) as part of the pending edits. */
  edit(pending: PendingEdits, _now: Millis): void {
    const batch = pending.batch;
    const n = batch.spanCount;
    if (n === 0) return;
    const header = batch.headerPtr;
    const core = this.core;
    const opts = core.scratch(this.options.length);
    core.u8.set(this.options, opts);
    const dv = core.dv;
    dv.setUint32(opts + P.PO_PRIORITY_KEY, opts + P.PO_SIZE, true);
    dv.setUint32(opts + P.PO_PRIORITY_KEY_HASH, core.exports.hash32(opts + P.PO_SIZE, PRIORITY_KEY.length) >>> 0, true);
    const ex = core.exports as unknown as CoreSampler;
    const status = core.call('psSample', () => ex.psSample(header, opts, pending.keep, pending.spanRepl));
    if (status !== 0) throw new OtlpDecodeError(core.readError(), batch.byteLength, this.id);
    const res = ex.psResult() >>> 0;
    const r = core.dv;
    const kept = r.getUint32(res + P.PR_KEPT, true);
    const before = pending.kept < 0 ? n : pending.kept;
    this.counts.sampled += kept;
    this.counts.notSampled += before - kept;
    this.counts.priorityKept += r.getUint32(res + P.PR_PRIORITY_KEPT, true);
    this.counts.priorityDropped += r.getUint32(res + P.PR_PRIORITY_DROPPED, true);
    this.counts.errors += r.getUint32(res + P.PR_ERRORS, true);
    this.counts.rewritten += r.getUint32(res + P.PR_REWRITTEN, true);
    // The mask, table and content now belong to the pending edits.
    const repl = r.getUint32(res + P.PR_REPL, true);
    pending.setKeep(r.getUint32(res + P.PR_KEEP, true), kept);
    pending.setTables(repl || pending.spanRepl, pending.resourceRepl, pending.scopeRepl);
    pending.hold(r.getUint32(res + P.PR_CONTENT, true));
    new Uint8Array(core.exports.memory.buffer, res, P.PR_SIZE).fill(0);
  }

  flush(): TraceBatch[] {
    return [];
  }

  counters(): Readonly<Record<string, number>> {
    return {
      count_traces_sampled_true: this.counts.sampled,
      count_traces_sampled_false: this.counts.notSampled,
      sampling_priority_kept: this.counts.priorityKept,
      sampling_priority_dropped: this.counts.priorityDropped,
      sampling_errors: this.counts.errors,
      tracestate_rewritten: this.counts.rewritten,
    };
  }
}
