// The spans a query runs over, held by the core: the span-set context (trace grouping and trees
// over all given batches) plus the loaded predicate programs. One instance per search/metrics
// call; dispose() gives the core memory back (a single batch keeps its cached tree).
import * as Q from '../../assembly/abi/query-layout.js';
import * as L from '../../assembly/abi/trace-layout.js';
import * as ERR from '../../assembly/abi/errors.js';
import { OtlpDecodeError } from '../core/errors.js';
import type { Core } from '../core/core.js';
import type { TraceBatch } from '../otlp/trace-batch.js';
import { TraceQLError } from './errors.js';
import type { PredicateProgram } from './program.js';

export type TValue =
  | { t: 'nil' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'duration'; v: bigint }
  | { t: 'string'; v: string }
  | { t: 'status'; v: number }
  | { t: 'kind'; v: number }
  | { t: 'array'; v: TValue[] };

export const NIL: TValue = Object.freeze({ t: 'nil' });
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const RUNTIME_REASON: Record<number, string> = {
  [Q.RT_DIV_ZERO]: 'division by zero',
  [Q.RT_NOT_BOOL]: '"!" applied to a value that is not a boolean (use !(x = true) for possibly missing attributes)',
  [Q.RT_NEG_NUMBER]: 'unary "-" applied to a value that is not a number',
};

export class SpanContext {
  readonly core: Core;
  readonly ctx: number;
  readonly spanCount: number;
  readonly traceCount: number;
  /** Spans of each trace, in wire order: order[first[t] .. first[t]+size[t]). */
  readonly order: Uint32Array;
  readonly first: Uint32Array;
  readonly size: Uint32Array;
  private tree: { parent: Uint32Array; left: Int32Array } | null = null;
  private readonly programs = new Map<PredicateProgram, number>();
  private readonly generation: number;
  private attrsBuilt = false;

  constructor(readonly batches: readonly TraceBatch[], private readonly source: string) {
    if (batches.length === 0) throw new RangeError('query: at least one batch is needed');
    const core = batches[0]!.core;
    for (const b of batches) if (b.core !== core) throw new RangeError('query: batches come from different core instances');
    this.core = core;
    this.generation = core.generation;
    const headers = batches.map((b) => b.headerPtr);
    const arr = core.scratch(headers.length * 4);
    if (!arr) throw this.oom(headers.length * 4);
    headers.forEach((h, i) => core.dv.setUint32(arr + i * 4, h, true));
    const ctx = core.call('qsetBuild', (ex) => ex.qsetBuild(arr, headers.length) >>> 0);
    if (!ctx) throw new OtlpDecodeError(core.readError(), 0, source);
    this.ctx = ctx;
    const dv = core.dv;
    this.spanCount = dv.getUint32(ctx + Q.Q_SPAN_COUNT, true);
    this.traceCount = dv.getUint32(ctx + Q.Q_TRACE_COUNT, true);
    this.order = this.copyU32(Q.Q_ORDER, this.spanCount);
    this.first = this.copyU32(Q.Q_TRACE_FIRST, this.traceCount);
    this.size = this.copyU32(Q.Q_TRACE_SIZE, this.traceCount);
  }

  private copyU32(field: number, n: number): Uint32Array {
    const dv = this.core.dv;
    const ptr = dv.getUint32(this.ctx + field, true);
    return new Uint32Array(this.core.u8.buffer.slice(ptr, ptr + n * 4));
  }

  private oom(bytes: number): OtlpDecodeError {
    return new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(bytes) }, 0, this.source);
  }

  /** Parent index (Q_NONE for none) and nested-set left numbers, copied once when needed. */
  treeArrays(): { parent: Uint32Array; left: Int32Array } {
    this.tree ??= { parent: this.copyU32(Q.Q_PARENT, this.spanCount), left: new Int32Array(this.copyU32(Q.Q_LEFT, this.spanCount).buffer) };
    return this.tree;
  }

  private ensureAttributes(): void {
    if (this.attrsBuilt) return;
    for (const b of this.batches) b.ensureAttributes();
    this.attrsBuilt = true;
  }

  private load(p: PredicateProgram): number {
    const hit = this.programs.get(p);
    if (hit) return hit;
    if (p.readsAttributes) this.ensureAttributes();
    const core = this.core;
    const ptr = core.call('alloc', (ex) => ex.alloc(p.bytes.length) >>> 0);
    if (!ptr) throw this.oom(p.bytes.length);
    core.u8.set(p.bytes, ptr);
    const status = core.call('qprogLoad', (ex) => ex.qprogLoad(ptr, p.bytes.length));
    if (status !== 0) {
      core.free(ptr);
      throw new Error(`predicate program rejected by the core at byte ${core.readError().detail} (a compiler bug)`);
    }
    this.programs.set(p, ptr);
    return ptr;
  }

  private withMasks<T>(count: number, fn: (ptrs: number[]) => T): T {
    const n = Math.max(this.spanCount, 1);
    const ptrs: number[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const p = this.core.call('alloc', (ex) => ex.alloc(n) >>> 0);
        if (!p) throw this.oom(n);
        ptrs.push(p);
      }
      return fn(ptrs);
    } finally {
      for (const p of ptrs) this.core.free(p);
    }
  }

  private runtimeError(at: { line: number; column: number }): TraceQLError {
    const rec = this.core.readError();
    if (rec.code === ERR.ERR_QUERY_RUNTIME) {
      const kind = Number(rec.detail >> 32n);
      const { batch, index } = this.locate(Number(rec.detail & 0xffffffffn));
      const span = batch.span(index);
      return new TraceQLError(`runtime error: ${RUNTIME_REASON[kind] ?? `kind ${kind}`} (trace ${span.traceId}, span ${span.spanId})`, at.line, at.column, 'runtime');
    }
    return new OtlpDecodeError(rec, 0, this.source) as unknown as TraceQLError;
  }

  /** Evaluates a predicate for every span (only where `inMask` is set, if given); runtime errors name `at`. */
  run(p: PredicateProgram, inMask: Uint8Array | null, at = { line: 1, column: 1 }): Uint8Array {
    const prog = this.load(p);
    return this.withMasks(inMask ? 2 : 1, ([out, inp]) => {
      if (inMask) this.core.u8.set(inMask, inp!);
      const st = this.core.call('qRun', (ex) => ex.qRun(prog, this.ctx, inMask ? inp! : 0, out!));
      if (st !== 0) throw this.runtimeError(at);
      return this.core.u8.slice(out!, out! + this.spanCount);
    });
  }

  /** Evaluates an expression's value for every span where `inMask` is set (nil elsewhere). */
  values(p: PredicateProgram, inMask: Uint8Array | null, at = { line: 1, column: 1 }): TValue[] {
    const prog = this.load(p);
    const n = this.spanCount;
    const outBytes = Math.max(n, 1) * Q.C_SIZE;
    const out = this.core.call('alloc', (ex) => ex.alloc(outBytes) >>> 0);
    if (!out) throw this.oom(outBytes);
    try {
      return this.withMasks(inMask ? 1 : 0, ([inp]) => {
        if (inMask) this.core.u8.set(inMask, inp!);
        const st = this.core.call('qValues', (ex) => ex.qValues(prog, this.ctx, inMask ? inp! : 0, out));
        if (st !== 0) throw this.runtimeError(at);
        const res: TValue[] = new Array(n);
        for (let g = 0; g < n; g++) res[g] = inMask && !inMask[g] ? NIL : this.decode(out + g * Q.C_SIZE);
        return res;
      });
    } finally {
      this.core.free(out);
    }
  }

  private decode(at: number): TValue {
    const dv = this.core.dv;
    const type = dv.getUint32(at + Q.C_TYPE, true);
    const aux = dv.getUint32(at + Q.C_AUX, true);
    const pay = dv.getBigUint64(at + Q.C_PAYLOAD, true);
    switch (type) {
      case Q.VT_BOOL:
        return { t: 'bool', v: pay !== 0n };
      case Q.VT_INT:
        return { t: 'int', v: BigInt.asIntN(64, pay) };
      case Q.VT_DURATION:
        return { t: 'duration', v: BigInt.asIntN(64, pay) };
      case Q.VT_FLOAT:
        return { t: 'float', v: dv.getFloat64(at + Q.C_PAYLOAD, true) };
      case Q.VT_STRING: {
        const p = Number(pay);
        return { t: 'string', v: utf8.decode(this.core.u8.subarray(p, p + aux)) };
      }
      case Q.VT_ID: {
        const p = Number(pay);
        const n = aux & 0xff;
        let s = '';
        for (let i = 0; i < n; i++) s += HEX[this.core.u8[p + i]!];
        if (aux & Q.ID_STRIP) s = s.replace(/^0+/, '');
        return { t: 'string', v: s };
      }
      case Q.VT_STATUS:
        return { t: 'status', v: Number(pay) };
      case Q.VT_KIND:
        return { t: 'kind', v: Number(pay) };
      case Q.VT_ARRAY: {
        const first = Number(pay);
        const count = aux & 0xffffff;
        const out: TValue[] = [];
        for (let i = 0; i < count; i++) out.push(this.decodeRow(first + i * L.A_ROW));
        return { t: 'array', v: out };
      }
      default:
        return NIL;
    }
  }

  private decodeRow(row: number): TValue {
    const dv = this.core.dv;
    const type = dv.getUint32(row + L.A_TYPE, true);
    // Strings in nested rows are offsets into their batch's input; find it by address range.
    switch (type) {
      case L.V_STRING: {
        const off = dv.getUint32(row + L.A_VALUE, true);
        const len = dv.getUint32(row + L.A_VALUE + 4, true);
        const input = this.inputFor(row);
        return { t: 'string', v: utf8.decode(this.core.u8.subarray(input + off, input + off + len)) };
      }
      case L.V_INT:
        return { t: 'int', v: dv.getBigInt64(row + L.A_VALUE, true) };
      case L.V_DOUBLE:
        return { t: 'float', v: dv.getFloat64(row + L.A_VALUE, true) };
      case L.V_BOOL:
        return { t: 'bool', v: dv.getUint32(row + L.A_VALUE, true) !== 0 };
      default:
        return NIL;
    }
  }

  private inputFor(nestedRow: number): number {
    const dv = this.core.dv;
    for (const b of this.batches) {
      const h = b.headerPtr;
      const table = dv.getUint32(h + L.B_NESTED, true);
      const count = dv.getUint32(h + L.B_NESTED_COUNT, true);
      if (nestedRow >= table && nestedRow < table + count * L.A_ROW) return b.inputPtr;
    }
    return this.batches[0]!.inputPtr;
  }

  /** Spanset operator over one-spanset-per-trace masks (J_* op). */
  join(op: number, lhs: Uint8Array, rhs: Uint8Array): Uint8Array {
    return this.withMasks(3, ([l, r, out]) => {
      const u8 = this.core.u8;
      u8.set(lhs, l!);
      u8.set(rhs, r!);
      const st = this.core.call('qJoin', (ex) => ex.qJoin(this.ctx, op, l!, r!, out!));
      if (st !== 0) throw new OtlpDecodeError(this.core.readError(), 0, this.source);
      return this.core.u8.slice(out!, out! + this.spanCount);
    });
  }

  /** Where span g lives: its batch and index within the batch. */
  locate(g: number): { batch: TraceBatch; index: number } {
    let k = g;
    for (const b of this.batches) {
      if (k < b.spanCount) return { batch: b, index: k };
      k -= b.spanCount;
    }
    throw new RangeError(`span ${g} out of range`);
  }

  /** Trace-level facts: root span (or -1), earliest start and latest end. */
  traceInfo(t: number): { root: number; start: bigint; end: bigint } {
    const dv = this.core.dv;
    const rootPtr = dv.getUint32(this.ctx + Q.Q_TRACE_ROOT, true);
    const startPtr = dv.getUint32(this.ctx + Q.Q_TRACE_START, true);
    const endPtr = dv.getUint32(this.ctx + Q.Q_TRACE_END, true);
    const root = dv.getUint32(rootPtr + t * 4, true);
    return { root: root === Q.Q_NONE ? -1 : root, start: dv.getBigUint64(startPtr + t * 8, true), end: dv.getBigUint64(endPtr + t * 8, true) };
  }

  dispose(): void {
    if (this.core.generation !== this.generation) return;
    for (const p of this.programs.values()) this.core.free(p);
    this.programs.clear();
    this.core.exports.qsetFree(this.ctx);
  }
}
