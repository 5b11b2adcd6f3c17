// logs_follow_traces: log records go where their trace went. Each batch's trace ids are resolved in
// one lookup (TraceLookup: the tail sampler's trace records and decision caches, or a trace store);
// records of kept traces pass, records of dropped traces are dropped, and records whose trace is
// still pending — or not known yet, since logs often arrive before the spans — wait, held as whole
// batches (no object per record), until a decision arrives, `wait` ends, or `max_pending_records`
// pushes the oldest out; then `undecided` settles them. Released records leave through the splice
// encoder, byte for byte.
import * as LG from '../../../assembly/abi/logs-layout.js';
import type { LogBatch } from '../../otlp/log-batch.js';
import type { ComponentContext, LogsProcessor, Millis } from '../../pipeline/types.js';
import { TRACE_DROPPED, TRACE_KEPT } from '../../correlation/trace-lookup.js';
import type { TraceLookup } from '../../correlation/trace-lookup.js';
import type { LogsFollowTracesConfig } from './logs-follow-traces-config.js';

/** A batch with records still waiting for their trace's decision. */
interface Held {
  batch: LogBatch;
  /** Trace ids of the batch's records, 16 bytes each. */
  ids: Uint8Array;
  /** 1 for each record still waiting. */
  waiting: Uint8Array;
  count: number;
  deadline: Millis;
}

const NO_TRACE = 0xff;

export class LogsFollowTracesProcessor implements LogsProcessor {
  readonly id: string;
  private lookup: TraceLookup | undefined;
  private readonly held: Held[] = [];
  private pending = 0;
  private readonly counts = { kept: 0, dropped: 0, withoutTraceId: 0, undecidedKept: 0, undecidedDropped: 0, overflow: 0 };

  constructor(readonly config: LogsFollowTracesConfig, context: ComponentContext) {
    this.id = context.id;
  }

  /** Called once by the pipeline with the decision source the config names. */
  connect(lookup: TraceLookup): void {
    this.lookup = lookup;
  }

  private get source(): TraceLookup {
    if (!this.lookup) throw new Error(`${this.id}: not connected to a trace decision source (decisions: ${this.config.decisions})`);
    return this.lookup;
  }

  process(batch: LogBatch, now: Millis): LogBatch[] {
    const out = this.release(now, false);
    const n = batch.logRecordCount;
    if (n === 0) {
      batch.dispose();
      return out;
    }
    const ids = new Uint8Array(n * 16);
    const decisions = new Uint8Array(n);
    const traced = traceIds(batch, ids, decisions);
    if (traced) this.resolve(ids, decisions, n);
    const keep = new Uint8Array(n);
    const waiting = new Uint8Array(n);
    let kept = 0;
    let waits = 0;
    for (let i = 0; i < n; i++) {
      const d = decisions[i]!;
      if (d === NO_TRACE) {
        this.counts.withoutTraceId++;
        if (this.config.withoutTraceId === 'keep') {
          keep[i] = 1;
          kept++;
        }
      } else if (d === TRACE_KEPT) {
        keep[i] = 1;
        kept++;
        this.counts.kept++;
      } else if (d === TRACE_DROPPED) {
        this.counts.dropped++;
      } else {
        waiting[i] = 1;
        waits++;
      }
    }
    if (kept) out.push(kept === n ? batch : batch.select(keep));
    if (waits) {
      this.held.push({ batch, ids, waiting, count: waits, deadline: now + this.config.waitMs });
      this.pending += waits;
      out.push(...this.overflow());
    } else if (kept !== n) {
      batch.dispose();
    }
    return out;
  }

  tick(now: Millis): LogBatch[] {
    return this.release(now, false);
  }

  /** Releases what was decided; everything still waiting is settled as undecided (end of input). */
  flush(now: Millis): LogBatch[] {
    return this.release(now, true);
  }

  /** Resolves the records whose decision is still open (no trace id marked NO_TRACE is left alone). */
  private resolve(ids: Uint8Array, decisions: Uint8Array, n: number): void {
    this.source.lookupTraces(ids, n, decisions);
    // The lookup wrote every slot; records without a trace id are marked again.
    for (let i = 0; i < n; i++) if (isEmptyId(ids, i)) decisions[i] = NO_TRACE;
  }

  /**
   * Looks every held batch up again; decided records leave (kept ones as a new batch), and records
   * past the deadline — all of them when `settleAll` — are settled as undecided.
   */
  private release(now: Millis, settleAll: boolean): LogBatch[] {
    const out: LogBatch[] = [];
    if (!this.held.length) return out;
    const remaining: Held[] = [];
    for (const h of this.held) {
      const n = h.waiting.length;
      const decisions = new Uint8Array(n);
      this.source.lookupTraces(h.ids, n, decisions);
      const expired = settleAll || h.deadline <= now;
      const keep = new Uint8Array(n);
      let kept = 0;
      for (let i = 0; i < n; i++) {
        if (!h.waiting[i]) continue;
        let d = decisions[i]!;
        if (d !== TRACE_KEPT && d !== TRACE_DROPPED) {
          if (!expired) continue;
          d = this.config.undecided === 'keep' ? TRACE_KEPT : TRACE_DROPPED;
          if (d === TRACE_KEPT) this.counts.undecidedKept++;
          else this.counts.undecidedDropped++;
        } else if (d === TRACE_KEPT) this.counts.kept++;
        else this.counts.dropped++;
        h.waiting[i] = 0;
        h.count--;
        this.pending--;
        if (d === TRACE_KEPT) {
          keep[i] = 1;
          kept++;
        }
      }
      if (kept) out.push(h.batch.select(keep));
      if (h.count > 0) remaining.push(h);
      else h.batch.dispose();
    }
    this.held.length = 0;
    this.held.push(...remaining);
    return out;
  }

  /** Settles the oldest waiting records as undecided while more than max_pending_records wait. */
  private overflow(): LogBatch[] {
    const out: LogBatch[] = [];
    while (this.pending > this.config.maxPendingRecords && this.held.length) {
      const h = this.held.shift()!;
      const keepAll = this.config.undecided === 'keep';
      this.counts.overflow += h.count;
      if (keepAll) this.counts.undecidedKept += h.count;
      else this.counts.undecidedDropped += h.count;
      this.pending -= h.count;
      if (keepAll) out.push(h.batch.select(h.waiting));
      h.batch.dispose();
    }
    return out;
  }

  counters(): Readonly<Record<string, number>> {
    const c = this.counts;
    return {
      log_records_kept_with_trace: c.kept,
      log_records_dropped_with_trace: c.dropped,
      log_records_without_trace_id: c.withoutTraceId,
      log_records_undecided_kept: c.undecidedKept,
      log_records_undecided_dropped: c.undecidedDropped,
      log_records_overflow: c.overflow,
      log_records_waiting: this.pending,
    };
  }

  shutdown(): void {
    for (const h of this.held) h.batch.dispose();
    this.held.length = 0;
    this.pending = 0;
  }
}

function isEmptyId(ids: Uint8Array, i: number): boolean {
  for (let k = i * 16; k < i * 16 + 16; k++) if (ids[k] !== 0) return false;
  return true;
}

/**
 * Copies each record's trace id into `ids` (zeros when it has none) and marks records without one
 * NO_TRACE in `decisions`; returns whether any record has a trace id. Reads the record table
 * directly: no object per record.
 */
function traceIds(batch: LogBatch, ids: Uint8Array, decisions: Uint8Array): boolean {
  const u8 = batch.core.u8;
  const dv = batch.core.dv;
  const n = batch.logRecordCount;
  let any = false;
  for (let i = 0; i < n; i++) {
    const row = batch.recordRow(i);
    if (!(dv.getUint32(row + LG.LR_PRESENCE, true) & LG.P_TRACE_ID)) {
      decisions[i] = NO_TRACE;
      continue;
    }
    const at = row + LG.LR_TRACE_ID;
    let zero = true;
    for (let k = 0; k < 16; k++) {
      const b = u8[at + k]!;
      ids[i * 16 + k] = b;
      if (b) zero = false;
    }
    if (zero) decisions[i] = NO_TRACE;
    else any = true;
  }
  return any;
}
