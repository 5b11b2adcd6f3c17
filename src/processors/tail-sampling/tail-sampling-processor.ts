// The tail_sampling processor: a thin owner of the core's sampler state. Each incoming batch is
// ingested in one core call (spans grouped by trace, leaf tests OR-ed into the trace); a tick per
// second decides the traces whose wait ended in one call; the core reports which held batches have
// spans to release, and each such batch is spliced once with its keep mask — untouched span bytes
// are forwarded as they came.
import * as T from '../../../assembly/abi/tail-sampling-layout.js';
import { getCore } from '../../core/init.js';
import type { Core } from '../../core/core.js';
import { OtlpDecodeError } from '../../core/errors.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { DataRefusedError } from '../../pipeline/data-refused-error.js';
import type { ComponentContext, Millis, TracesProcessor } from '../../pipeline/types.js';
import type { TailSamplingConfig } from './tail-sampling-config.js';
import { compilePolicies, writeProgram, writeSamplerOptions } from './tail-sampling-program.js';
import type { CompiledProgram } from './tail-sampling-program.js';
import type { TraceLookup } from '../../correlation/trace-lookup.js';

/**
 * Per-span bits for `external` leaves (regex, OTTL): given the batch, ORs its leaf bit into one u64
 * per span. `bitOf` finds the bit of another external leaf (an OTTL test's error leaf).
 */
export type ExternalLeafEvaluator = ((batch: TraceBatch, leafBit: number, into: BigUint64Array, bitOf: (id: string) => number | undefined) => void) & {
  /** Counters of the test (OTTL condition errors), merged into the processor's. */
  counters?: () => Record<string, number>;
  /** Frees what the test holds in the core. */
  dispose?: () => void;
};

const TICK_MS = 1000;
/** Id suffix of an external test's error leaf (its bit set: the policy fails on that trace). */
export const ERROR_LEAF_SUFFIX = '#error';

interface CoreSampler {
  readonly tsCreate: (opts: number) => number;
  readonly tsFree: (st: number) => void;
  readonly tsIngest: (st: number, header: number, slot: number, ext: number) => number;
  readonly tsTick: (st: number, nowMs: number) => number;
  readonly tsDecideAll: (st: number, nowMs: number, drop: number) => number;
  readonly tsCounters: (st: number) => number;
  readonly tsReport: (st: number) => number;
  readonly tsReportCount: (st: number) => number;
  readonly tsSlotDone: (st: number, slot: number) => void;
  readonly tsNewTraceCount: (st: number, header: number) => number;
  readonly tsFreeRecords: (st: number) => number;
  readonly tsLookup: (st: number, ids: number, n: number, out: number) => void;
}

export class TailSamplingProcessor implements TracesProcessor, TraceLookup {
  readonly id: string;
  private readonly core: Core;
  private readonly generation: number;
  private state: number;
  private readonly program: CompiledProgram;
  private readonly nodes: number;
  private readonly slots: (TraceBatch | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private startMs: number | undefined;
  private ticks = 0;
  private readonly externals: { bit: number; evaluate: ExternalLeafEvaluator }[] = [];
  private readonly externalBits = new Map<string, number>();

  constructor(private readonly config: TailSamplingConfig, context: ComponentContext, externals: ReadonlyMap<string, ExternalLeafEvaluator> = new Map()) {
    this.id = context.id;
    this.core = getCore();
    this.generation = this.core.generation;
    this.program = compilePolicies(config.policies);
    this.program.leaves.forEach((l, bit) => {
      if (l.type !== 'external') return;
      this.externalBits.set(l.id, bit);
      // Error leaves are set by the evaluator of the test they belong to.
      if (l.id.endsWith(ERROR_LEAF_SUFFIX)) return;
      const evaluate = externals.get(l.id);
      if (!evaluate) throw new Error(`${this.id}: no evaluator for external policy test "${l.id}"`);
      this.externals.push({ bit, evaluate });
    });
    const [leaves, nodes] = writeProgram(this.core, this.program);
    this.nodes = nodes;
    const opts = this.core.scratch(T.TO_SIZE);
    writeSamplerOptions(this.core.dv, opts, config, this.program, leaves, nodes);
    this.state = this.core.call('tsCreate', (ex) => this.ex(ex).tsCreate(opts) >>> 0);
    if (!this.state) {
      this.core.free(leaves);
      this.core.free(nodes);
      throw new OtlpDecodeError(this.core.readError(), 0, this.id);
    }
  }

  private ex(ex: unknown): CoreSampler {
    return ex as CoreSampler;
  }

  private get sampler(): CoreSampler {
    this.core.check(this.generation, `tail sampler ${this.id}`);
    return this.core.exports as unknown as CoreSampler;
  }

  /** block_on_overflow: refuse a batch whose new traces do not fit, instead of evicting. */
  admit(batch: TraceBatch, now: Millis): void {
    if (!this.config.blockOnOverflow) return;
    this.release(now);
    const s = this.sampler;
    const needed = s.tsNewTraceCount(this.state, batch.headerPtr) >>> 0;
    const free = s.tsFreeRecords(this.state) >>> 0;
    if (needed > free) throw new DataRefusedError(this.id, `${needed} new traces do not fit: ${free} of num_traces ${this.config.numTraces} free (block_on_overflow)`, TICK_MS);
  }

  process(batch: TraceBatch, now: Millis): TraceBatch[] {
    const out = this.tick(now);
    const header = batch.headerPtr;
    if (batch.spanCount === 0) {
      batch.dispose();
      return out;
    }
    if (this.program.needsAttributes) batch.ensureAttributes();
    let ext = 0;
    if (this.externals.length) {
      const bits = new BigUint64Array(batch.spanCount);
      const bitOf = (id: string) => this.externalBits.get(id);
      for (const e of this.externals) e.evaluate(batch, e.bit, bits, bitOf);
      ext = this.core.scratch(bits.byteLength);
      this.core.u8.set(new Uint8Array(bits.buffer), ext);
    }
    const slot = this.freeSlots.pop() ?? this.slots.length;
    this.slots[slot] = batch;
    const status = this.core.call('tsIngest', (ex) => this.ex(ex).tsIngest(this.state, header, slot, ext));
    if (status !== 0) {
      // The batch was not taken (the core is over its memory budget): give the slot back.
      this.slots[slot] = undefined;
      this.freeSlots.push(slot);
      throw new OtlpDecodeError(this.core.readError(), batch.byteLength, this.id);
    }
    out.push(...this.collect());
    return out;
  }

  /** Runs the one-second ticks due at `now`. */
  private release(now: Millis): TraceBatch[] {
    if (this.startMs === undefined) this.startMs = now;
    const out: TraceBatch[] = [];
    while (this.startMs + (this.ticks + 1) * TICK_MS <= now) {
      this.ticks++;
      const at = this.startMs + this.ticks * TICK_MS;
      this.core.call('tsTick', (ex) => this.ex(ex).tsTick(this.state, at));
      out.push(...this.collect());
    }
    return out;
  }

  tick(now: Millis): TraceBatch[] {
    return this.release(now);
  }

  /** Decides every pending trace now (or drops them with drop_pending_traces_on_shutdown). */
  flush(now: Millis): TraceBatch[] {
    const out = this.release(now);
    this.core.call('tsDecideAll', (ex) => this.ex(ex).tsDecideAll(this.state, now, this.config.dropPendingTracesOnShutdown ? 1 : 0));
    out.push(...this.collect());
    return out;
  }

  /** Splices the batches the last core call released spans from; frees batches with nothing pending. */
  private collect(): TraceBatch[] {
    const s = this.sampler;
    const n = s.tsReportCount(this.state) >>> 0;
    if (!n) return [];
    const at = s.tsReport(this.state) >>> 0;
    const dv = this.core.dv;
    const rows: [number, number, number, number][] = [];
    for (let i = 0; i < n; i++) {
      const r = at + i * T.TR_ROW;
      rows.push([dv.getUint32(r + T.TR_SLOT, true), dv.getUint32(r + T.TR_FORWARD, true), dv.getUint32(r + T.TR_PENDING, true), dv.getUint32(r + T.TR_MASK, true)]);
    }
    const out: TraceBatch[] = [];
    for (const [slot, forward, pending, mask] of rows) {
      const batch = this.slots[slot]!;
      if (forward > 0) out.push(batch.splice(batch.headerPtr, mask));
      s.tsSlotDone(this.state, slot);
      if (pending === 0) {
        batch.dispose();
        this.slots[slot] = undefined;
        this.freeSlots.push(slot);
      }
    }
    return out;
  }

  /**
   * TraceLookup: what became of each trace (kept, dropped, pending, unknown), read in one core call
   * from the trace records in memory and the decision caches — what logs_follow_traces asks.
   */
  lookupTraces(ids: Uint8Array, count: number, out: Uint8Array): void {
    if (count === 0) return;
    const s = this.sampler;
    const at = this.core.scratch(count * 17);
    if (!at) throw new RangeError(`${this.id}: ${count} trace ids do not fit the core memory budget`);
    this.core.u8.set(ids.subarray(0, count * 16), at);
    this.core.call('tsLookup', () => s.tsLookup(this.state, at, count, at + count * 16));
    out.set(this.core.u8.subarray(at + count * 16, at + count * 17));
  }

  counters(): Readonly<Record<string, number>> {
    const at = this.sampler.tsCounters(this.state) >>> 0;
    const dv = this.core.dv;
    const c = (off: number) => Number(dv.getBigUint64(at + off, true));
    const out: Record<string, number> = {
      new_trace_id_received: c(T.TC_NEW_TRACES),
      sampling_trace_dropped_too_early: c(T.TC_DROPPED_TOO_EARLY),
      late_spans_forwarded: c(T.TC_LATE_FORWARDED),
      late_spans_dropped: c(T.TC_LATE_DROPPED),
      early_releases_from_cache_decision_sampled: c(T.TC_CACHE_SAMPLED),
      early_releases_from_cache_decision_not_sampled: c(T.TC_CACHE_NOT_SAMPLED),
      global_count_traces_sampled: c(T.TC_SAMPLED),
      global_count_traces_not_sampled: c(T.TC_NOT_SAMPLED),
      global_count_traces_dropped: c(T.TC_DROPPED),
      traces_dropped_too_large: c(T.TC_TOO_LARGE),
      sampling_traces_on_memory: c(T.TC_ON_MEMORY),
      spans_forwarded: c(T.TC_SPANS_FORWARDED),
      spans_dropped: c(T.TC_SPANS_DROPPED),
    };
    const policies = this.policyCounts();
    out.sampling_policy_evaluation_error = policies.reduce((n, p) => n + p.errors, 0);
    for (const [k, v] of Object.entries(this.externalCounters())) out[k] = v;
    // Per top-level policy, like count_traces_sampled{policy, sampled}.
    for (const p of policies) {
      out[`count_traces_sampled{policy=${p.name},sampled=true}`] = p.sampled;
      out[`count_traces_sampled{policy=${p.name},sampled=false}`] = p.notSampled;
    }
    return out;
  }

  /** Per top-level policy: traces it voted to sample (for drop policies: to drop) and not (count_traces_sampled). */
  policyCounts(): { name: string; sampled: number; notSampled: number; errors: number }[] {
    this.sampler;
    const dv = this.core.dv;
    return this.config.policies.map((p, i) => {
      const row = this.nodes + i * T.PN_ROW;
      return { name: p.name, sampled: dv.getUint32(row + T.PN_SAMPLED, true), notSampled: dv.getUint32(row + T.PN_NOT_SAMPLED, true), errors: dv.getUint32(row + T.PN_ERRORS, true) };
    });
  }

  /** Counters the external tests keep (OTTL condition errors under ignore/silent). */
  private externalCounters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.externals) {
      const c = e.evaluate.counters?.();
      if (c) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
    }
    return out;
  }

  shutdown(): void {
    for (const e of this.externals) e.evaluate.dispose?.();
    for (const b of this.slots) b?.dispose();
    this.slots.length = 0;
    if (this.state && this.core.generation === this.generation) this.sampler.tsFree(this.state);
    this.state = 0;
  }
}

