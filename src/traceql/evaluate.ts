// Runs a validated pipeline over a span context (spec §1, §7, §8). Spansets are lists of global
// span indices per trace. Field expressions run in the core (one call per filter over all spans);
// spanset operators run in the core over masks when the input has one spanset per trace, which is
// always true except after by(): then spansets are processed in rounds of at most one per trace.
// Aggregates, grouping and scalar filters work in TypeScript over the (small) selected sets.
import * as Q from '../../assembly/abi/query-layout.js';
import { TraceQLError } from './errors.js';
import { compileProgram } from './program.js';
import type { PredicateProgram } from './program.js';
import type { SpanContext, TValue } from './span-context.js';
import type {
  AggregateNode, CompareOp, FieldExpr, Pipeline, PipelineElement, ScalarFilterNode, SpansetNode, SpansetOp,
} from './ast.js';

export interface Spanset {
  trace: number;
  /** Global span indices, ascending (wire order across batches). */
  spans: number[];
}

const JOIN: Record<SpansetOp, number> = {
  '&&': Q.J_AND, '||': Q.J_OR,
  '>': Q.J_CHILD, '<': Q.J_PARENT, '>>': Q.J_DESC, '<<': Q.J_ANC, '~': Q.J_SIBLING,
  '!>': Q.J_NOT_CHILD, '!<': Q.J_NOT_PARENT, '!>>': Q.J_NOT_DESC, '!<<': Q.J_NOT_ANC, '!~': Q.J_NOT_SIBLING,
  '&>': Q.J_UNION_CHILD, '&<': Q.J_UNION_PARENT, '&>>': Q.J_UNION_DESC, '&<<': Q.J_UNION_ANC, '&~': Q.J_UNION_SIBLING,
};

/** Compiled programs are cached per expression node (one query compiles each node once). */
export class ProgramCache {
  private readonly map = new Map<FieldExpr, PredicateProgram>();
  get(e: FieldExpr): PredicateProgram {
    let p = this.map.get(e);
    if (!p) {
      p = compileProgram(e);
      this.map.set(e, p);
    }
    return p;
  }
}

function numeric(v: TValue): number | null {
  if (v.t === 'int' || v.t === 'duration') return Number(v.v);
  if (v.t === 'float') return v.v;
  return null;
}

function compareNumbers(op: CompareOp, a: TValue, b: TValue): boolean {
  let c: number;
  if ((a.t === 'int' && b.t === 'int')) {
    c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  } else {
    const x = numeric(a);
    const y = numeric(b);
    if (x === null || y === null) return false;
    if (Number.isNaN(x) || Number.isNaN(y)) return op === '!=';
    c = x < y ? -1 : x > y ? 1 : 0;
  }
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

/** Tempo's aggregates over one spanset's values (nil and non-numeric values skipped). */
export function aggregate(fn: AggregateNode['fn'], values: TValue[]): TValue | null {
  const nums = values.filter((v) => v.t === 'int' || v.t === 'float' || v.t === 'duration');
  if (nums.length === 0) return null;
  const firstType = nums[0]!.t as 'int' | 'float' | 'duration';
  if (fn === 'min' || fn === 'max') {
    let best = nums[0]!;
    for (const v of nums.slice(1)) {
      const c = compareNumbers('<', v, best);
      if (fn === 'min' ? c : compareNumbers('>', v, best)) best = v;
    }
    return best;
  }
  // sum/avg accumulate only values of the first value's type; avg still counts all (spec §8.1).
  const same = nums.filter((v) => v.t === firstType);
  if (firstType === 'float') {
    const s = same.reduce((acc, v) => acc + (v.v as number), 0);
    return fn === 'sum' ? { t: 'float', v: s } : { t: 'float', v: s / nums.length };
  }
  const s = same.reduce((acc, v) => BigInt.asIntN(64, acc + (v.v as bigint)), 0n);
  if (fn === 'sum') return { t: firstType, v: s };
  if (firstType === 'duration') return { t: 'duration', v: s / BigInt(nums.length) };
  return { t: 'float', v: Number(s) / nums.length };
}

function valueKey(v: TValue): string {
  switch (v.t) {
    case 'nil':
      return 'nil';
    case 'array':
      return `array:[${v.v.map(valueKey).join(',')}]`;
    case 'float':
      return `float:${Object.is(v.v, -0) ? '-0' : String(v.v)}`;
    default:
      return `${v.t}:${String(v.v)}`;
  }
}

export class Evaluator {
  constructor(
    private readonly ctx: SpanContext,
    private readonly programs: ProgramCache,
  ) {}

  /** One spanset per trace holding all of its spans: the input of a query. */
  allTraces(): Spanset[] {
    const out: Spanset[] = [];
    for (let t = 0; t < this.ctx.traceCount; t++) {
      const f = this.ctx.first[t]!;
      const spans = Array.from(this.ctx.order.subarray(f, f + this.ctx.size[t]!));
      spans.sort((a, b) => a - b);
      out.push({ trace: t, spans });
    }
    return out;
  }

  /**
   * Runs a pipeline. `input` null stands for every trace as one spanset of all its spans (a
   * query's input), which lets the first spanset expression run over all spans without a mask.
   */
  pipeline(p: Pipeline, input: Spanset[] | null): Spanset[] {
    let sets = input;
    for (const el of p.elements) {
      if (sets && !sets.length) break;
      sets = this.element(el, sets);
    }
    return (sets ?? this.allTraces()).filter((s) => s.spans.length > 0);
  }

  private element(el: PipelineElement, input: Spanset[] | null): Spanset[] {
    if (input === null && (el.kind === 'filter' || el.kind === 'spansetOp')) {
      return this.fromMask(this.mask(el, null, null), this.allTraceIndices());
    }
    if (input === null) input = this.allTraces();
    switch (el.kind) {
      case 'filter':
      case 'spansetOp':
      case 'pipelineGroup':
        return this.spansetNode(el, input);
      case 'scalarFilter':
        return this.scalarFilter(el, input);
      case 'by':
        return this.by(el.expr, input);
      case 'coalesce':
        return this.coalesce(input);
      case 'select':
        return input;
    }
  }

  private allTraceIndices(): number[] {
    return Array.from({ length: this.ctx.traceCount }, (_, t) => t);
  }

  private union(input: Spanset[]): Uint8Array {
    const m = new Uint8Array(this.ctx.spanCount);
    for (const s of input) for (const g of s.spans) m[g] = 1;
    return m;
  }

  private fromMask(mask: Uint8Array, traces: Iterable<number>): Spanset[] {
    const out: Spanset[] = [];
    const { first, size, order } = this.ctx;
    for (const t of traces) {
      const f = first[t]!;
      const end = f + size[t]!;
      let spans: number[] | null = null;
      for (let k = f; k < end; k++) {
        const g = order[k]!;
        if (mask[g]) (spans ??= []).push(g);
      }
      // ORDER lists a trace's spans in global (wire) order already.
      if (spans) out.push({ trace: t, spans });
    }
    return out;
  }

  /** Splits spansets into rounds holding at most one spanset per trace. */
  private rounds(input: Spanset[]): Spanset[][] {
    const rounds: Spanset[][] = [];
    const seen = new Map<number, number>();
    for (const s of input) {
      const r = seen.get(s.trace) ?? 0;
      seen.set(s.trace, r + 1);
      (rounds[r] ??= []).push(s);
    }
    return rounds;
  }

  private spansetNode(node: SpansetNode, input: Spanset[]): Spanset[] {
    if (node.kind === 'pipelineGroup') return this.pipeline(node.pipeline, input);
    const out: Spanset[] = [];
    for (const round of this.rounds(input)) {
      const mask = this.mask(node, this.union(round), round);
      out.push(...this.fromMask(mask, round.map((s) => s.trace)));
    }
    return out;
  }

  /**
   * Evaluates a spanset expression on one-spanset-per-trace input given as a mask (null with
   * input null: all spans of all traces).
   */
  private mask(node: SpansetNode, inMask: Uint8Array | null, input: Spanset[] | null): Uint8Array {
    switch (node.kind) {
      case 'filter':
        if (!node.expr) return inMask ?? new Uint8Array(this.ctx.spanCount).fill(1);
        return this.ctx.run(this.programs.get(node.expr), inMask, node.expr.pos);
      case 'pipelineGroup': {
        const sets = this.pipeline(node.pipeline, input);
        return this.union(sets);
      }
      case 'spansetOp': {
        const op = node.op;
        const operand = (n: SpansetNode): Uint8Array => {
          if (n.kind !== 'pipelineGroup') return this.mask(n, inMask, input);
          const sets = this.pipeline(n.pipeline, input);
          if (op !== '&&' && op !== '||') {
            const per = new Set<number>();
            for (const s of sets) {
              if (per.has(s.trace)) {
                throw new TraceQLError('runtime error: spanset operators are not supported for multiple spansets per trace. consider using coalesce()', node.pos.line, node.pos.column, 'runtime');
              }
              per.add(s.trace);
            }
          }
          return this.union(sets);
        };
        const l = operand(node.lhs);
        const r = operand(node.rhs);
        return this.ctx.join(JOIN[op], l, r);
      }
    }
  }

  private scalarFilter(el: ScalarFilterNode, input: Spanset[]): Spanset[] {
    if (el.lhs.kind !== 'aggregate' || el.rhs.kind !== 'static') throw new Error('unreachable: validation allows aggregate cmp number only');
    const agg = el.lhs;
    const rhs = el.rhs;
    const rhsValue: TValue = rhs.type === 'float' ? { t: 'float', v: rhs.value } : rhs.type === 'int' ? { t: 'int', v: rhs.value } : rhs.type === 'duration' ? { t: 'duration', v: rhs.value } : { t: 'nil' };
    let values: TValue[] | null = null;
    if (agg.expr) values = this.ctx.values(this.programs.get(agg.expr), this.union(input), agg.expr.pos);
    const out: Spanset[] = [];
    for (const s of input) {
      const v: TValue | null = agg.fn === 'count' ? { t: 'int', v: BigInt(s.spans.length) } : aggregate(agg.fn, s.spans.map((g) => values![g]!));
      if (v && compareNumbers(el.op, v, rhsValue)) out.push(s);
    }
    return out;
  }

  /** Per-span values of an expression over the spans of `input` (for by(), select(), metrics). */
  valuesOf(e: FieldExpr, input: Spanset[]): TValue[] {
    return this.ctx.values(this.programs.get(e), this.union(input), e.pos);
  }

  private by(e: FieldExpr, input: Spanset[]): Spanset[] {
    const values = this.valuesOf(e, input);
    const out: Spanset[] = [];
    for (const s of input) {
      const groups = new Map<string, number[]>();
      for (const g of s.spans) {
        const k = valueKey(values[g]!);
        let list = groups.get(k);
        if (!list) groups.set(k, (list = []));
        list.push(g);
      }
      for (const spans of groups.values()) out.push({ trace: s.trace, spans });
    }
    return out;
  }

  private coalesce(input: Spanset[]): Spanset[] {
    const per = new Map<number, Set<number>>();
    for (const s of input) {
      let set = per.get(s.trace);
      if (!set) per.set(s.trace, (set = new Set()));
      for (const g of s.spans) set.add(g);
    }
    return [...per].map(([trace, set]) => ({ trace, spans: [...set].sort((a, b) => a - b) }));
  }
}
