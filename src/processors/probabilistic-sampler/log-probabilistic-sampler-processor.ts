// probabilistic_sampler for logs: one core call per batch decides every log record — randomness
// from the trace id or the from_attribute value (hash_seed), or OTEP 235 randomness (proportional,
// equalizing), the sampling_priority percentage, the record's `sampling.threshold` /
// `sampling.randomness` attributes read and written as the collector's logs processor does — and
// joins the pending edits (keep mask plus re-written records) for the pipeline's single splice.
import * as P from '../../../assembly/abi/probabilistic-layout.js';
import { getCore } from '../../core/init.js';
import type { Core } from '../../core/core.js';
import { OtlpDecodeError } from '../../core/errors.js';
import type { LogBatch } from '../../otlp/log-batch.js';
import type { ComponentContext, LogsProcessor, Millis } from '../../pipeline/types.js';
import { PendingEdits } from '../../pipeline/pending-edits.js';
import { planSampler } from './probabilistic-sampler-config.js';
import type { ProbabilisticSamplerConfig } from './probabilistic-sampler-config.js';

interface CoreLogSampler {
  psSampleLogs(header: number, opts: number, keepIn: number, replIn: number): number;
  psResult(): number;
}

const utf8 = new TextEncoder();

export class LogProbabilisticSamplerProcessor implements LogsProcessor {
  readonly id: string;
  private readonly core: Core;
  private readonly options: Uint8Array;
  private readonly priorityLen: number;
  private readonly fromLen: number;
  private readonly counts = { sampled: 0, notSampled: 0, priority: 0, errors: 0, rewritten: 0 };

  constructor(config: ProbabilisticSamplerConfig, context: ComponentContext) {
    this.id = context.id;
    this.core = getCore();
    const plan = planSampler(config);
    const priority = utf8.encode(config.samplingPriority);
    const from = utf8.encode(config.fromAttribute);
    this.priorityLen = priority.length;
    this.fromLen = from.length;
    // The options block and the two keys after it; pointers are set per call (core scratch moves).
    this.options = new Uint8Array(P.PO_SIZE + priority.length + from.length);
    const dv = new DataView(this.options.buffer);
    dv.setUint32(P.PO_MODE, plan.mode, true);
    dv.setUint32(P.PO_SEED, config.hashSeed, true);
    dv.setUint32(P.PO_FAIL_CLOSED, config.failClosed ? 1 : 0, true);
    dv.setUint32(P.PO_PRECISION, config.samplingPrecision, true);
    dv.setBigUint64(P.PO_THRESHOLD, plan.threshold, true);
    dv.setFloat64(P.PO_RATIO, plan.ratio, true);
    dv.setUint32(P.PO_PRIORITY_KEY_LEN, priority.length, true);
    dv.setUint32(P.PO_FROM_KEY_LEN, from.length, true);
    dv.setUint32(P.PO_LOG_FLAGS, config.attributeSource === 'traceID' ? P.PLF_TRACE_ID : 0, true);
    this.options.set(priority, P.PO_SIZE);
    this.options.set(from, P.PO_SIZE + priority.length);
  }

  process(batch: LogBatch, now: Millis): LogBatch[] {
    if (batch.logRecordCount === 0) return [batch];
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

  /** Decides every record (and writes the sampling attributes of kept ones) as part of the pending edits. */
  edit(pending: PendingEdits<LogBatch>, _now: Millis): void {
    const batch = pending.batch;
    const n = batch.logRecordCount;
    if (n === 0) return;
    const header = batch.headerPtr;
    const core = this.core;
    const opts = core.scratch(this.options.length);
    if (!opts) throw new RangeError(`${this.id}: the sampler options do not fit the core memory budget`);
    core.u8.set(this.options, opts);
    core.dv.setUint32(opts + P.PO_PRIORITY_KEY, opts + P.PO_SIZE, true);
    core.dv.setUint32(opts + P.PO_FROM_KEY, opts + P.PO_SIZE + this.priorityLen, true);
    const ex = core.exports as unknown as CoreLogSampler;
    const status = core.call('psSampleLogs', () => ex.psSampleLogs(header, opts, pending.keep, pending.spanRepl));
    if (status !== 0) throw new OtlpDecodeError(core.readError(), batch.byteLength, this.id);
    const res = ex.psResult() >>> 0;
    const r = core.dv;
    const kept = r.getUint32(res + P.PR_KEPT, true);
    const before = pending.kept < 0 ? n : pending.kept;
    this.counts.sampled += kept;
    this.counts.notSampled += before - kept;
    this.counts.priority += r.getUint32(res + P.PR_PRIORITY_KEPT, true);
    this.counts.errors += r.getUint32(res + P.PR_ERRORS, true);
    this.counts.rewritten += r.getUint32(res + P.PR_REWRITTEN, true);
    // The mask, table and content now belong to the pending edits.
    const repl = r.getUint32(res + P.PR_REPL, true);
    pending.setKeep(r.getUint32(res + P.PR_KEEP, true), kept);
    pending.setTables(repl || pending.spanRepl, pending.resourceRepl, pending.scopeRepl);
    pending.hold(r.getUint32(res + P.PR_CONTENT, true));
    new Uint8Array(core.exports.memory.buffer, res, P.PR_SIZE).fill(0);
  }

  flush(): LogBatch[] {
    return [];
  }

  counters(): Readonly<Record<string, number>> {
    return {
      count_logs_sampled_true: this.counts.sampled,
      count_logs_sampled_false: this.counts.notSampled,
      sampling_priority_applied: this.counts.priority,
      sampling_errors: this.counts.errors,
      log_records_rewritten: this.counts.rewritten,
    };
  }
}
