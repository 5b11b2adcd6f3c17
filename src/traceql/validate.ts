// Static checks Tempo applies after parsing (spec §6.1, §8, §9, §10): operand types and operators,
// regex literals, filter roots that must be boolean, aggregates and by() that must read the span,
// the forms that parse but are "not yet supported", and the metrics functions' arguments. Field
// expressions come back with literal sub-expressions folded.
import { TraceQLError } from './errors.js';
import type { TraceQLErrorStage } from './errors.js';
import { foldConstants } from './fold.js';
import { compileRegex, RegexSyntaxError } from '../regex/compile.js';
import type {
  AttributeNode, BinaryNode, FieldExpr, Intrinsic, IntrinsicNode, MetricsNode, Pipeline, PipelineElement, Pos, Query,
  ScalarExpr, SpansetNode, StaticType,
} from './ast.js';
import { formatExpr } from './format.js';

const NUMERIC = new Set<StaticType>(['int', 'float', 'duration']);

export const INTRINSIC_TYPES: Record<Intrinsic, StaticType> = {
  'span:name': 'string',
  'span:status': 'status',
  'span:statusMessage': 'string',
  'span:duration': 'duration',
  'span:kind': 'kind',
  'span:id': 'string',
  'span:parentID': 'string',
  'span:childCount': 'int',
  'trace:id': 'string',
  'trace:rootName': 'string',
  'trace:rootService': 'string',
  'trace:duration': 'duration',
  'event:name': 'string',
  'event:timeSinceStart': 'duration',
  'link:traceID': 'string',
  'link:spanID': 'string',
  'instrumentation:name': 'string',
  'instrumentation:version': 'string',
  nestedSetLeft: 'int',
  nestedSetRight: 'int',
  nestedSetParent: 'int',
  parent: 'attribute',
};

function err(msg: string, at: Pos, stage: TraceQLErrorStage = 'validate'): TraceQLError {
  return new TraceQLError(msg, at.line, at.column, stage);
}

function allowed(t: StaticType, op: string): boolean {
  switch (t) {
    case 'attribute':
      return true;
    case 'bool':
      return op === '&&' || op === '||' || op === '=' || op === '!=';
    case 'int':
    case 'float':
    case 'duration':
      return ['+', '-', '*', '/', '%', '^', '=', '!=', '<', '<=', '>', '>='].includes(op);
    case 'string':
      return ['=', '!=', '=~', '!~', '<', '<=', '>', '>='].includes(op);
    default:
      return op === '=' || op === '!=';
  }
}

function typesMatch(a: StaticType, b: StaticType): boolean {
  return a === b || (NUMERIC.has(a) && NUMERIC.has(b)) || a === 'nil' || b === 'nil' || a === 'attribute' || b === 'attribute';
}

const ARITH = new Set(['+', '-', '*', '/', '%', '^']);

/** The type an expression is known to have before any span is seen. */
export function impliedType(e: FieldExpr): StaticType {
  switch (e.kind) {
    case 'static':
      return e.type;
    case 'attribute':
      return 'attribute';
    case 'intrinsic':
      return INTRINSIC_TYPES[e.intrinsic];
    case 'unary':
      return e.op === '!' ? 'bool' : impliedType(e.expr);
    case 'binary': {
      if (!ARITH.has(e.op)) return 'bool';
      const l = impliedType(e.lhs);
      return l === 'attribute' ? impliedType(e.rhs) : l;
    }
  }
}

/** True if the expression reads the span (an attribute or intrinsic somewhere in it). */
export function readsSpan(e: FieldExpr): boolean {
  switch (e.kind) {
    case 'static':
      return false;
    case 'attribute':
    case 'intrinsic':
      return true;
    case 'unary':
      return readsSpan(e.expr);
    case 'binary':
      return readsSpan(e.lhs) || readsSpan(e.rhs);
  }
}

function checkParent(e: AttributeNode | IntrinsicNode): void {
  if (e.kind === 'attribute' && e.parent) throw err('parent not yet supported', e.pos, 'unsupported');
  if (e.kind === 'intrinsic' && e.intrinsic === 'parent') throw err('parent not yet supported', e.pos, 'unsupported');
}

function isNil(e: FieldExpr): boolean {
  return e.kind === 'static' && e.type === 'nil';
}

function checkBinary(e: BinaryNode): void {
  checkField(e.lhs);
  checkField(e.rhs);
  const lt = impliedType(e.lhs);
  const rt = impliedType(e.rhs);
  if ((e.op === '=' || e.op === '!=') && (isNil(e.lhs) || isNil(e.rhs))) {
    const other = isNil(e.lhs) ? e.rhs : e.lhs;
    if (e.op === '=' && other.kind === 'intrinsic') throw err(`intrinsics cannot be compared with nil (${formatExpr(e)}): they always exist; use != nil or drop the condition`, e.pos);
    if (e.op === '=' && other.kind === 'attribute' && other.scope === 'resource' && other.name === 'service.name') {
      throw err(`resource.service.name cannot be compared with nil (${formatExpr(e)})`, e.pos);
    }
    return;
  }
  if (e.op === '=~' || e.op === '!~') {
    if (e.rhs.kind !== 'static' || e.rhs.type !== 'string') {
      throw err(`regex operators need a string literal on the right: ${formatExpr(e)}`, e.rhs.pos);
    }
    try {
      compileRegex(e.rhs.value, { anchored: true, dotAll: true });
    } catch (x) {
      if (x instanceof RegexSyntaxError) throw err(`invalid regex: ${x.message}`, e.rhs.pos);
      throw x;
    }
  }
  if (!typesMatch(lt, rt)) throw err(`binary operations must operate on the same type: ${formatExpr(e)}`, e.pos);
  if (!allowed(lt, e.op) || !allowed(rt, e.op)) throw err(`illegal operation for the given types: ${formatExpr(e)}`, e.pos);
}

function checkField(e: FieldExpr): void {
  switch (e.kind) {
    case 'static':
      return;
    case 'attribute':
    case 'intrinsic':
      checkParent(e);
      return;
    case 'unary': {
      checkField(e.expr);
      const t = impliedType(e.expr);
      if (e.op === '-' && !(NUMERIC.has(t) || t === 'attribute')) throw err(`illegal operation for the given type: unary "-" needs a number: ${formatExpr(e)}`, e.pos);
      if (e.op === '!' && !(t === 'bool' || t === 'attribute')) throw err(`illegal operation for the given type: "!" needs a boolean: ${formatExpr(e)}`, e.pos);
      return;
    }
    case 'binary':
      checkBinary(e);
  }
}

/** Checks and folds a `{ … }` expression. */
export function validateFilterExpr(e: FieldExpr): FieldExpr {
  checkField(e);
  const t = impliedType(e);
  if (t !== 'bool' && t !== 'attribute') throw err(`span filter field expressions must resolve to a boolean: ${formatExpr(e)}`, e.pos);
  return foldConstants(e);
}

function checkSpanset(n: SpansetNode): SpansetNode {
  switch (n.kind) {
    case 'filter':
      return n.expr ? { ...n, expr: validateFilterExpr(n.expr) } : n;
    case 'spansetOp':
      return { ...n, lhs: checkSpanset(n.lhs), rhs: checkSpanset(n.rhs) };
    case 'pipelineGroup':
      return { ...n, pipeline: checkPipeline(n.pipeline) };
  }
}

function checkAggregateOperand(s: ScalarExpr, filterPos: Pos): void {
  if (s.kind !== 'aggregate') throw err('scalar filters other than "aggregate comparison number" not yet supported', filterPos, 'unsupported');
  if (s.expr) {
    checkField(s.expr);
    const t = impliedType(s.expr);
    if (!readsSpan(s.expr)) throw err(`${s.fn}() must read the span (an attribute or intrinsic): ${formatExpr(s.expr)}`, s.expr.pos);
    if (!(NUMERIC.has(t) || t === 'attribute')) throw err(`${s.fn}() needs a numeric expression: ${formatExpr(s.expr)}`, s.expr.pos);
  }
}

function checkElement(el: PipelineElement): PipelineElement {
  switch (el.kind) {
    case 'filter':
    case 'spansetOp':
    case 'pipelineGroup':
      return checkSpanset(el);
    case 'scalarFilter': {
      if (el.lhs.kind === 'scalarPipeline' || el.rhs.kind === 'scalarPipeline') {
        throw err('scalar filters over pipelines not yet supported', el.pos, 'unsupported');
      }
      if (el.rhs.kind !== 'static') throw err('scalar filters other than "aggregate comparison number" not yet supported', el.pos, 'unsupported');
      checkAggregateOperand(el.lhs, el.pos);
      if (el.lhs.kind === 'aggregate' && el.lhs.expr) return { ...el, lhs: { ...el.lhs, expr: foldConstants(el.lhs.expr) } };
      return el;
    }
    case 'by': {
      checkField(el.expr);
      if (!readsSpan(el.expr)) throw err(`by() must read the span (an attribute or intrinsic): ${formatExpr(el.expr)}`, el.expr.pos);
      return { ...el, expr: foldConstants(el.expr) };
    }
    case 'select':
      for (const a of el.attrs) checkParent(a);
      return el;
    case 'coalesce':
      return el;
  }
}

function checkPipeline(p: Pipeline): Pipeline {
  return { ...p, elements: p.elements.map(checkElement) };
}

const NUMERIC_ARG_FNS = new Set(['min_over_time', 'max_over_time', 'avg_over_time', 'sum_over_time', 'quantile_over_time', 'histogram_over_time']);

function checkMetrics(m: MetricsNode, nested: boolean): MetricsNode {
  switch (m.kind) {
    case 'metricsQuery': {
      const fn = m.fn;
      if (fn.attr) checkParent(fn.attr);
      for (const b of fn.by) checkParent(b);
      if (fn.attr && NUMERIC_ARG_FNS.has(fn.fn) && fn.attr.kind === 'intrinsic') {
        const t = INTRINSIC_TYPES[fn.attr.intrinsic];
        if (!NUMERIC.has(t)) throw err(`${fn.fn}() needs a numeric attribute or intrinsic, not ${fn.attr.text}`, fn.attr.pos);
      }
      if (fn.fn === 'quantile_over_time') {
        for (const q of fn.quantiles) if (!(q >= 0 && q <= 1)) throw err(`quantile_over_time: quantile ${q} is not between 0 and 1`, fn.pos);
      }
      if ((fn.fn === 'quantile_over_time' || fn.fn === 'histogram_over_time') && fn.by.length > 4) {
        throw err(`${fn.fn}() allows at most 4 by() attributes, got ${fn.by.length}`, fn.pos);
      }
      let compare = fn.compare;
      if (compare) {
        if (nested) throw err('compare() cannot be combined with arithmetic or second-stage functions', fn.pos);
        if (!(compare.topN >= 1 && compare.topN <= 1000)) throw err(`compare(): topN must be between 1 and 1000, got ${compare.topN}`, fn.pos);
        compare = { ...compare, filter: checkSpanset(compare.filter) };
      }
      return { ...m, pipeline: checkPipeline(m.pipeline), fn: { ...fn, compare } };
    }
    case 'metricsMath':
      return {
        ...m,
        lhs: typeof m.lhs === 'number' ? m.lhs : checkMetrics(m.lhs, true),
        rhs: typeof m.rhs === 'number' ? m.rhs : checkMetrics(m.rhs, true),
      };
    case 'metricsStaged':
      for (const s of m.stages) {
        if ((s.kind === 'topk' || s.kind === 'bottomk') && !(s.n > 0)) throw err(`${s.kind}(): n must be greater than 0, got ${s.n}`, s.pos);
      }
      return { ...m, expr: checkMetrics(m.expr, true) };
  }
}

/** Validates a parsed query and folds its constants; throws TraceQLError. */
export function validateQuery(q: Query): Query {
  if (q.kind === 'search') return { ...q, root: checkPipeline(q.root) };
  return { ...q, root: checkMetrics(q.root, false) };
}
