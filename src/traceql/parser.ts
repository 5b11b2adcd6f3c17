// TraceQL parser: recursive descent with precedence climbing, accepting the language of Tempo's
// expr.y (see shared/reference/traceql.md §3). Tempo's grammar is one LALR grammar over several
// node kinds (spanset expressions, pipelines, aggregates, scalars, metrics); here each parse
// returns a node tagged with its kind and binary operators check that their operands' kinds
// combine, so `({…} | count() > 1) && {…}` or `{ } | 3 > 2` fail where Tempo's grammar fails.
import { TraceQLError } from './errors.js';
import { tokenize } from './lexer.js';
import type { Token } from './lexer.js';
import type {
  AggregateFn, AggregateNode, AttributeNode, BinaryOp, CompareOp, FieldExpr, Hint, Intrinsic, IntrinsicNode,
  MetricsFnName, MetricsFnNode, MetricsNode, Pipeline, PipelineElement, Pos, Query, ScalarExpr, SecondStage,
  SpansetNode, SpansetOp, StaticNode,
} from './ast.js';

/** Deepest nesting of parentheses/braces accepted (a guard against stack exhaustion). */
export const MAX_NESTING = 256;

const LEGACY_INTRINSICS: Record<string, Intrinsic> = {
  duration: 'span:duration',
  name: 'span:name',
  status: 'span:status',
  statusMessage: 'span:statusMessage',
  kind: 'span:kind',
  rootName: 'trace:rootName',
  rootServiceName: 'trace:rootService',
  traceDuration: 'trace:duration',
  nestedSetLeft: 'nestedSetLeft',
  nestedSetRight: 'nestedSetRight',
  nestedSetParent: 'nestedSetParent',
  parent: 'parent',
};

const SCOPED_INTRINSICS = new Set<string>([
  'span:name', 'span:status', 'span:statusMessage', 'span:duration', 'span:kind', 'span:id', 'span:parentID', 'span:childCount',
  'trace:id', 'trace:rootName', 'trace:rootService', 'trace:duration',
  'event:name', 'event:timeSinceStart', 'link:traceID', 'link:spanID',
  'instrumentation:name', 'instrumentation:version',
]);

const STATUS: Record<string, 0 | 1 | 2> = { unset: 0, ok: 1, error: 2 };
const KIND: Record<string, 0 | 1 | 2 | 3 | 4 | 5> = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const AGGREGATES = new Set(['count', 'avg', 'min', 'max', 'sum']);
const METRICS_FNS = new Set<string>([
  'rate', 'count_over_time', 'min_over_time', 'max_over_time', 'avg_over_time', 'sum_over_time',
  'quantile_over_time', 'histogram_over_time', 'compare',
]);

const SPANSET_OPS = new Set<string>(['&&', '||', '>', '<', '>>', '<<', '~', '!>', '!<', '!>>', '!<<', '!~', '&>', '&<', '&>>', '&<<', '&~']);
const COMPARE_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);

/** Binary operator precedence inside field expressions (higher binds tighter). */
const FIELD_PREC: Record<string, number> = {
  '&&': 2, '||': 2,
  '=': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, '=~': 3, '!~': 3,
  '+': 4, '-': 4,
  '*': 6, '/': 6, '%': 6,
  '^': 7,
};

/** Precedence at the query level: spanset operators, scalar-filter comparisons, arithmetic. */
function topPrec(op: string): number {
  if (op === '&&' || op === '||') return 2;
  if (SPANSET_OPS.has(op) || COMPARE_OPS.has(op)) return 3;
  if (op === '+' || op === '-') return 4;
  if (op === '*' || op === '/' || op === '%') return 6;
  if (op === '^') return 7;
  return -1;
}

/** What a query-level parse produced; binary operators decide by these kinds whether they apply. */
type TopNode =
  | { k: 'spanset'; node: SpansetNode; parens: boolean }
  | { k: 'pipelineExpr'; node: SpansetNode } // parenthesised pipelines combined by spanset operators
  | { k: 'scalar'; node: StaticNode }
  | { k: 'agg'; node: ScalarExpr } // an aggregate, or arithmetic over aggregates
  | { k: 'scalarFilter'; node: PipelineElement }
  | { k: 'pipeline'; node: Pipeline } // a parenthesised pipeline (only as an operand)
  | { k: 'scalarPipeline'; node: ScalarExpr }
  | { k: 'metrics'; node: MetricsNode; parens: boolean };

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of query';
    case 'string':
      return 'string literal';
    case 'int':
    case 'float':
    case 'duration':
      return `number ${t.text}`;
    case 'attr':
      return `attribute ${t.text}`;
    default:
      return JSON.stringify(t.text);
  }
}

function pos(t: Token): Pos {
  return { line: t.line, column: t.column };
}

class Parser {
  private readonly toks: Token[];
  private p = 0;
  private depth = 0;

  constructor(readonly text: string) {
    this.toks = tokenize(text);
  }

  private get t(): Token {
    return this.toks[this.p]!;
  }

  private peekTok(k = 1): Token {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)]!;
  }

  private isPunct(text: string, t = this.t): boolean {
    return t.kind === 'punct' && t.text === text;
  }

  private isIdent(text: string, t = this.t): boolean {
    return t.kind === 'ident' && t.text === text;
  }

  private take(): Token {
    const t = this.t;
    if (t.kind !== 'eof') this.p++;
    return t;
  }

  private unexpected(expecting: string, t = this.t): TraceQLError {
    if (t.kind === 'ident' && !this.knownWord(t.text)) return new TraceQLError(`unknown identifier: ${t.text}`, t.line, t.column, 'parse');
    return new TraceQLError(`syntax error: unexpected ${describe(t)}, expecting ${expecting}`, t.line, t.column, 'parse');
  }

  private knownWord(w: string): boolean {
    return w in LEGACY_INTRINSICS || w in STATUS || w in KIND || AGGREGATES.has(w) || METRICS_FNS.has(w)
      || ['true', 'false', 'nil', 'minInt', 'maxInt', 'by', 'coalesce', 'select', 'with', 'topk', 'bottomk'].includes(w);
  }

  private expectPunct(text: string, expecting = JSON.stringify(text)): Token {
    if (!this.isPunct(text)) throw this.unexpected(expecting);
    return this.take();
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_NESTING) throw new TraceQLError(`nesting deeper than ${MAX_NESTING} levels`, t.line, t.column, 'parse');
  }

  private leave(): void {
    this.depth--;
  }

  // -------------------------------------------------------------------------------------------
  // Query level

  parseQuery(): Query {
    if (this.t.kind === 'eof') throw new TraceQLError('syntax error: empty query, expecting a spanset filter such as { }', 1, 1, 'parse');
    const top = this.parseSequence(false);
    const hints = this.parseHints();
    if ((this.t as Token).kind !== 'eof') throw this.unexpected(top.k === 'metrics' ? '"|", "with" or end of query' : '"|", a spanset operator, "with" or end of query');
    switch (top.k) {
      case 'metrics':
        return { kind: 'metrics', root: top.node, hints, text: this.text };
      case 'spanset':
      case 'pipelineExpr':
        return { kind: 'search', root: { kind: 'pipeline', elements: [top.node], pos: top.node.pos }, hints, text: this.text };
      case 'scalarFilter':
        return { kind: 'search', root: { kind: 'pipeline', elements: [top.node], pos: top.node.pos }, hints, text: this.text };
      case 'pipeline':
        return { kind: 'search', root: top.node, hints, text: this.text };
      case 'scalarPipeline':
        throw new TraceQLError('syntax error: a pipeline ending in an aggregate must be compared with a number', top.node.pos.line, top.node.pos.column, 'parse');
      case 'agg':
      case 'scalar': {
        const at = 'pos' in top.node ? top.node.pos : { line: 1, column: 1 };
        throw new TraceQLError('syntax error: an aggregate or number alone is not a query; compare it (count() > 3) or start with a spanset filter { }', at.line, at.column, 'parse');
      }
    }
  }

  private parseHints(): Hint[] {
    if (!this.isIdent('with')) return [];
    this.take();
    this.expectPunct('(');
    const hints: Hint[] = [];
    for (;;) {
      const nameTok = this.t;
      if (nameTok.kind !== 'ident') throw this.unexpected('a hint name');
      this.take();
      this.expectPunct('=');
      const value = this.parseHintValue();
      hints.push({ name: nameTok.text, value, pos: pos(nameTok) });
      if (this.isPunct(',')) {
        this.take();
        continue;
      }
      this.expectPunct(')', '"," or ")"');
      return hints;
    }
  }

  private parseHintValue(): StaticNode {
    const t = this.t;
    if (this.isPunct('-')) {
      this.take();
      const v = this.parseHintValue();
      return negateStatic(v, pos(t));
    }
    const s = this.tryStatic();
    if (!s) throw this.unexpected('a literal value');
    return s;
  }

  /**
   * A pipeline (elements separated by `|`), possibly ending in a metrics function. Inside
   * parentheses a pipeline may end with a naked aggregate (for `({…} | count()) > 3`).
   */
  private parseSequence(inParens: boolean): TopNode {
    const first = this.parseTopBinary(2, true);
    if (!this.isPunct('|')) {
      if (first.k === 'metrics') return this.parseSecondStages(first);
      return first;
    }
    if (first.k === 'pipeline' || first.k === 'pipelineExpr' || first.k === 'scalarPipeline' || (first.k === 'spanset' && first.parens && containsPipelineGroup(first.node))) {
      throw this.unexpected('end of query or a spanset operator (a parenthesised pipeline cannot be continued with "|")');
    }
    if (first.k === 'metrics') return this.parseSecondStages(first);
    const elements: PipelineElement[] = [this.asElement(first)];
    const startPos = elements[0]!.pos;
    while (this.isPunct('|')) {
      const bar = this.take();
      const t = this.t;
      if (t.kind === 'ident' && METRICS_FNS.has(t.text)) {
        const fn = this.parseMetricsFn();
        const metrics: TopNode = { k: 'metrics', node: { kind: 'metricsQuery', pipeline: { kind: 'pipeline', elements, pos: startPos }, fn, pos: startPos }, parens: false };
        return this.parseSecondStages(metrics);
      }
      if (t.kind === 'ident' && (t.text === 'topk' || t.text === 'bottomk')) {
        throw new TraceQLError(`syntax error: ${t.text}() must follow a metrics function such as rate()`, t.line, t.column, 'parse');
      }
      const el = this.parseTopBinary(2, false);
      if (el.k === 'agg' && el.node.kind === 'aggregate' && inParens && this.isPunct(')')) {
        return { k: 'scalarPipeline', node: { kind: 'scalarPipeline', pipeline: { kind: 'pipeline', elements, pos: startPos }, aggregate: el.node, pos: startPos } };
      }
      if (el.k === 'pipeline' || el.k === 'pipelineExpr' || (el.k === 'spanset' && containsPipelineGroup(el.node))) {
        throw new TraceQLError('syntax error: a parenthesised pipeline can only be combined with other parenthesised pipelines, not used inside a pipeline', bar.line, bar.column, 'parse');
      }
      elements.push(this.asElement(el));
    }
    return { k: 'pipeline', node: { kind: 'pipeline', elements, pos: startPos } };
  }

  private asElement(n: TopNode): PipelineElement {
    switch (n.k) {
      case 'spanset':
      case 'pipelineExpr':
        return n.node;
      case 'scalarFilter':
        return n.node;
      default: {
        const at = nodePos(n);
        throw new TraceQLError(
          n.k === 'agg' ? 'syntax error: an aggregate must be compared with a number (e.g. count() > 3)' : 'syntax error: unexpected expression, expecting a spanset filter, a scalar filter, by(), select() or coalesce()',
          at.line, at.column, 'parse',
        );
      }
    }
  }

  private parseSecondStages(m: TopNode & { k: 'metrics' }): TopNode {
    let node = m.node;
    const stages: SecondStage[] = [];
    const startPos = node.pos;
    for (;;) {
      const t = this.t;
      if (t.kind === 'punct' && COMPARE_OPS.has(t.text)) {
        this.take();
        const v = this.parseNumberLiteral(false);
        stages.push({ kind: 'filter', op: t.text as CompareOp, value: v, pos: pos(t) });
        continue;
      }
      if (this.isPunct('|') && (this.isIdent('topk', this.peekTok()) || this.isIdent('bottomk', this.peekTok()))) {
        this.take();
        const fnTok = this.take();
        this.expectPunct('(');
        const nTok = this.t;
        if (nTok.kind !== 'int') throw this.unexpected('an integer');
        this.take();
        this.expectPunct(')');
        stages.push({ kind: fnTok.text as 'topk' | 'bottomk', n: Number(nTok.value as bigint), pos: pos(fnTok) });
        continue;
      }
      if (this.isPunct('|')) {
        const nt = this.peekTok();
        throw this.unexpected('topk() or bottomk() after a metrics function', nt);
      }
      break;
    }
    if (stages.length) node = { kind: 'metricsStaged', expr: node, stages, pos: startPos };
    return { k: 'metrics', node, parens: false };
  }

  /** Query-level precedence climbing over spanset operators, scalar-filter comparisons and arithmetic. */
  private parseTopBinary(minPrec: number, first: boolean): TopNode {
    let lhs = this.parseTopPrimary(first);
    for (;;) {
      const t = this.t;
      if (t.kind !== 'punct') return lhs;
      const prec = topPrec(t.text);
      if (prec < minPrec) return lhs;
      this.take();
      const nextMin = t.text === '^' ? prec : prec + 1;
      const rhs = this.parseTopBinary(nextMin, false);
      lhs = this.combine(t, lhs, rhs);
    }
  }

  private combine(opTok: Token, lhs: TopNode, rhs: TopNode): TopNode {
    const op = opTok.text;
    const at = pos(opTok);
    const fail = (msg: string) => new TraceQLError(`syntax error: ${msg}`, at.line, at.column, 'parse');
    const isPipelineOperand = (n: TopNode) => n.k === 'pipeline' || n.k === 'pipelineExpr' || (n.k === 'spanset' && n.parens);
    if (SPANSET_OPS.has(op) && (lhs.k === 'spanset' || lhs.k === 'pipeline' || lhs.k === 'pipelineExpr')) {
      const sop = op as SpansetOp;
      if (lhs.k === 'spanset' && rhs.k === 'spanset' && !containsPipelineGroup(lhs.node) && !containsPipelineGroup(rhs.node)) {
        return { k: 'spanset', node: { kind: 'spansetOp', op: sop, lhs: lhs.node, rhs: rhs.node, pos: lhs.node.pos }, parens: false };
      }
      if (isPipelineOperand(lhs) && isPipelineOperand(rhs)) {
        return { k: 'pipelineExpr', node: { kind: 'spansetOp', op: sop, lhs: asPipelineOperand(lhs), rhs: asPipelineOperand(rhs), pos: nodePos(lhs) } };
      }
      if (rhs.k === 'spanset' || rhs.k === 'pipeline' || rhs.k === 'pipelineExpr') {
        throw fail('a parenthesised pipeline can only be combined with another parenthesised pipeline: write (…) && ({ … })');
      }
      throw fail(`"${op}" needs a spanset on both sides`);
    }
    if (lhs.k === 'metrics' || rhs.k === 'metrics') {
      if (op === '+' || op === '-' || op === '*' || op === '/') {
        const side = (n: TopNode): MetricsNode | number => {
          if (n.k === 'metrics') {
            if (!n.parens) throw fail('both sides of metrics arithmetic must be parenthesised: ({ … } | rate()) / ({ … } | rate())');
            return n.node;
          }
          if (n.k === 'scalar') {
            if (n.node.type === 'duration') throw new TraceQLError('syntax error: durations are not allowed in metrics arithmetic', n.node.pos.line, n.node.pos.column, 'parse');
            return staticNumber(n.node);
          }
          throw fail(`"${op}" combines metrics queries and numbers only`);
        };
        return { k: 'metrics', node: { kind: 'metricsMath', op, lhs: side(lhs), rhs: side(rhs), pos: nodePos(lhs) }, parens: false };
      }
      if (COMPARE_OPS.has(op) && lhs.k === 'metrics' && rhs.k === 'scalar') {
        // A second-stage filter after metrics arithmetic: ({…} | rate()) / ({…} | rate()) > 10.
        const stage: SecondStage = { kind: 'filter', op: op as CompareOp, value: staticNumber(rhs.node), pos: at };
        const node: MetricsNode = lhs.node.kind === 'metricsStaged'
          ? { ...lhs.node, stages: [...lhs.node.stages, stage] }
          : { kind: 'metricsStaged', expr: lhs.node, stages: [stage], pos: lhs.node.pos };
        return { k: 'metrics', node, parens: false };
      }
      throw fail(`unexpected "${op}" after a metrics query`);
    }
    if (op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^') {
      if (lhs.k === 'scalar' && rhs.k === 'scalar') return { k: 'scalar', node: foldScalar(op, lhs.node, rhs.node, at) };
      if ((lhs.k === 'agg' || lhs.k === 'scalar') && (rhs.k === 'agg' || rhs.k === 'scalar')) {
        return { k: 'agg', node: { kind: 'scalarArith', op, lhs: lhs.node, rhs: rhs.node, pos: nodePos(lhs) } };
      }
      throw fail(`"${op}" is not defined between these operands (arithmetic belongs inside { } or between aggregates)`);
    }
    if (COMPARE_OPS.has(op)) {
      const cop = op as CompareOp;
      const scalarish = (n: TopNode) => n.k === 'agg' || n.k === 'scalar' || n.k === 'scalarPipeline';
      if (scalarish(lhs) && scalarish(rhs) && !(lhs.k === 'scalar' && rhs.k === 'scalar')) {
        return { k: 'scalarFilter', node: { kind: 'scalarFilter', op: cop, lhs: lhs.node as ScalarExpr, rhs: rhs.node as ScalarExpr, pos: nodePos(lhs) } };
      }
      if (lhs.k === 'scalar' && rhs.k === 'scalar') throw fail(`comparing two numbers is not a filter; compare an aggregate such as count() ${op} …`);
      if (lhs.k === 'pipelineExpr' || rhs.k === 'pipelineExpr' || lhs.k === 'pipeline' || rhs.k === 'pipeline') {
        throw fail(`"${op}" cannot compare pipelines; a scalar filter compares an aggregate with a number`);
      }
      throw fail(`"${op}" needs an aggregate and a number, e.g. count() ${op} 3`);
    }
    throw fail(`unexpected "${op}"`);
  }

  private parseTopPrimary(first: boolean): TopNode {
    const t = this.t;
    if (this.isPunct('{')) return { k: 'spanset', node: this.parseFilter(), parens: false };
    if (this.isPunct('(')) return this.parseTopParens();
    if (t.kind === 'ident') {
      if (AGGREGATES.has(t.text)) return { k: 'agg', node: this.parseAggregate() };
      if (t.text === 'by') return { k: 'scalarFilter', node: this.parseBy() };
      if (t.text === 'select') return { k: 'scalarFilter', node: this.parseSelect() };
      if (t.text === 'coalesce') {
        if (first) throw this.unexpected('a spanset filter, a scalar filter, by() or select() (coalesce() cannot start a pipeline)');
        this.take();
        this.expectPunct('(');
        this.expectPunct(')');
        return { k: 'scalarFilter', node: { kind: 'coalesce', pos: pos(t) } };
      }
      if (t.text === 'minInt' || t.text === 'maxInt') {
        this.take();
        return { k: 'scalar', node: { kind: 'static', type: 'int', value: t.text === 'minInt' ? -(1n << 63n) : (1n << 63n) - 1n, pos: pos(t) } };
      }
      if (METRICS_FNS.has(t.text)) throw this.unexpected('a spanset filter before the metrics function: { } | ' + t.text + '(…)');
    }
    if (t.kind === 'int' || t.kind === 'float' || t.kind === 'duration') {
      this.take();
      return { k: 'scalar', node: tokenStatic(t) };
    }
    if (this.isPunct('-')) {
      this.take();
      const inner = this.parseTopBinary(6, false);
      if (inner.k === 'scalar') return { k: 'scalar', node: negateStatic(inner.node, pos(t)) };
      if (inner.k === 'agg') {
        return { k: 'agg', node: { kind: 'scalarArith', op: '-', lhs: { kind: 'static', type: 'int', value: 0n, pos: pos(t) }, rhs: inner.node, pos: pos(t) } };
      }
      throw new TraceQLError('syntax error: unary "-" applies to numbers and aggregates here', t.line, t.column, 'parse');
    }
    throw this.unexpected(first ? 'a spanset filter such as { }, a scalar filter, by() or select()' : 'a spanset filter, a scalar filter, by(), select(), coalesce() or a metrics function');
  }

  private parseTopParens(): TopNode {
    const open = this.take();
    this.enter(open);
    const inner = this.parseSequence(true);
    this.expectPunct(')', '")" or "|"');
    this.leave();
    switch (inner.k) {
      case 'spanset':
        return { k: 'spanset', node: inner.node, parens: true };
      case 'metrics':
        return { k: 'metrics', node: inner.node, parens: true };
      case 'pipelineExpr':
        return inner;
      case 'scalarFilter':
        // `(count() > 3)` is a parenthesised one-element pipeline.
        return { k: 'pipeline', node: { kind: 'pipeline', elements: [inner.node], pos: pos(open) } };
      default:
        return inner;
    }
  }

  private parseNumberLiteral(allowDuration: boolean): number {
    let neg = false;
    if (this.isPunct('-')) {
      this.take();
      neg = true;
    }
    const n = this.t;
    if (n.kind !== 'int' && n.kind !== 'float' && !(allowDuration && n.kind === 'duration')) throw this.unexpected('a number');
    this.take();
    const v = n.kind === 'float' ? (n.value as number) : Number(n.value as bigint);
    return neg ? -v : v;
  }

  private parseAggregate(): AggregateNode {
    const t = this.take();
    const fn = t.text as AggregateFn;
    this.expectPunct('(');
    if (fn === 'count') {
      this.expectPunct(')', '")" (count() takes no argument)');
      return { kind: 'aggregate', fn, expr: null, pos: pos(t) };
    }
    if (this.isPunct(')')) throw this.unexpected(`a field expression (${fn}() needs one)`);
    const expr = this.parseFieldExpr(1);
    this.expectPunct(')');
    return { kind: 'aggregate', fn, expr, pos: pos(t) };
  }

  private parseBy(): PipelineElement {
    const t = this.take();
    this.expectPunct('(');
    if (this.isPunct(')')) throw this.unexpected('a field expression (by() needs exactly one)');
    const expr = this.parseFieldExpr(1);
    this.expectPunct(')', '")" (by() takes exactly one expression)');
    return { kind: 'by', expr, pos: pos(t) };
  }

  private parseAttrOrIntrinsic(expecting: string): AttributeNode | IntrinsicNode {
    const t = this.t;
    if (t.kind === 'attr') return this.parsePrimaryField() as AttributeNode;
    if (t.kind === 'scoped' || (t.kind === 'ident' && t.text in LEGACY_INTRINSICS)) return this.parsePrimaryField() as IntrinsicNode;
    throw this.unexpected(expecting);
  }

  private parseSelect(): PipelineElement {
    const t = this.take();
    this.expectPunct('(');
    const attrs: (AttributeNode | IntrinsicNode)[] = [this.parseAttrOrIntrinsic('an attribute or intrinsic (select() needs at least one)')];
    while (this.isPunct(',')) {
      this.take();
      attrs.push(this.parseAttrOrIntrinsic('an attribute or intrinsic'));
    }
    this.expectPunct(')', '"," or ")"');
    return { kind: 'select', attrs, pos: pos(t) };
  }

  private parseMetricsFn(): MetricsFnNode {
    const t = this.take();
    const fn = t.text as MetricsFnName;
    this.expectPunct('(');
    let attr: AttributeNode | IntrinsicNode | null = null;
    const quantiles: number[] = [];
    let compare: MetricsFnNode['compare'];
    switch (fn) {
      case 'rate':
      case 'count_over_time':
        this.expectPunct(')', `")" (${fn}() takes no argument)`);
        break;
      case 'quantile_over_time':
        attr = this.parseAttrOrIntrinsic('an attribute or intrinsic');
        if (!this.isPunct(',')) throw this.unexpected('"," and at least one quantile');
        while (this.isPunct(',')) {
          this.take();
          quantiles.push(this.parseNumberLiteral(false));
        }
        this.expectPunct(')', '"," or ")"');
        break;
      case 'compare': {
        if (!this.isPunct('{')) throw this.unexpected('a spanset filter { … }');
        let filter: SpansetNode = this.parseFilter();
        while (this.t.kind === 'punct' && SPANSET_OPS.has(this.t.text)) {
          const op = this.take();
          filter = { kind: 'spansetOp', op: op.text as SpansetOp, lhs: filter, rhs: this.parseFilter(), pos: filter.pos };
        }
        let topN = 10;
        let start: bigint | undefined;
        let end: bigint | undefined;
        if (this.isPunct(',')) {
          this.take();
          const n = this.t;
          if (n.kind !== 'int') throw this.unexpected('an integer topN');
          this.take();
          topN = Number(n.value as bigint);
          if (this.isPunct(',')) {
            this.take();
            const s = this.t;
            if (s.kind !== 'int') throw this.unexpected('a start time in nanoseconds');
            this.take();
            this.expectPunct(',', '"," and an end time');
            const e = this.t;
            if (e.kind !== 'int') throw this.unexpected('an end time in nanoseconds');
            this.take();
            start = s.value as bigint;
            end = e.value as bigint;
          }
        }
        this.expectPunct(')', '"," or ")"');
        compare = { filter, topN, start, end };
        break;
      }
      default:
        if (this.isPunct(')')) throw this.unexpected(`an attribute or intrinsic (${fn}() needs one)`);
        attr = this.parseAttrOrIntrinsic('an attribute or intrinsic');
        this.expectPunct(')', `")" (${fn}() takes one attribute)`);
    }
    const by: (AttributeNode | IntrinsicNode)[] = [];
    if (this.isIdent('by')) {
      this.take();
      this.expectPunct('(');
      by.push(this.parseAttrOrIntrinsic('an attribute or intrinsic'));
      while (this.isPunct(',')) {
        this.take();
        by.push(this.parseAttrOrIntrinsic('an attribute or intrinsic'));
      }
      this.expectPunct(')', '"," or ")"');
    }
    return { kind: 'metricsFn', fn, attr, quantiles, compare, by, pos: pos(t) };
  }

  // -------------------------------------------------------------------------------------------
  // Spanset filters and field expressions

  private parseFilter(): SpansetNode {
    const open = this.take();
    this.enter(open);
    if (this.isPunct('}')) {
      this.take();
      this.leave();
      return { kind: 'filter', expr: null, pos: pos(open) };
    }
    const expr = this.parseFieldExpr(1);
    if (!this.isPunct('}')) throw this.unexpected('"}" or an operator');
    this.take();
    this.leave();
    return { kind: 'filter', expr, pos: pos(open) };
  }

  private parseFieldExpr(minPrec: number): FieldExpr {
    let lhs = this.parseUnaryField();
    for (;;) {
      const t = this.t;
      if (t.kind !== 'punct') return lhs;
      const prec = FIELD_PREC[t.text];
      if (prec === undefined || prec < minPrec) {
        if (t.kind === 'punct' && SPANSET_OPS.has(t.text) && !(t.text in FIELD_PREC)) {
          throw this.unexpected('"}" or a field operator (structural operators go between spanset filters)');
        }
        return lhs;
      }
      this.take();
      const rhs = this.parseFieldExpr(t.text === '^' ? prec : prec + 1);
      lhs = { kind: 'binary', op: t.text as BinaryOp, lhs, rhs, pos: lhs.pos };
    }
  }

  private parseUnaryField(): FieldExpr {
    const t = this.t;
    if (this.isPunct('-') || this.isPunct('!')) {
      this.take();
      this.enter(t);
      const expr = this.parseFieldExpr(6);
      this.leave();
      if (t.text === '-' && expr.kind === 'static' && (expr.type === 'int' || expr.type === 'float' || expr.type === 'duration')) {
        return negateStatic(expr, pos(t));
      }
      return { kind: 'unary', op: t.text as '-' | '!', expr, pos: pos(t) };
    }
    return this.parsePrimaryField();
  }

  private tryStatic(): StaticNode | null {
    const t = this.t;
    if (t.kind === 'int' || t.kind === 'float' || t.kind === 'duration' || t.kind === 'string') {
      this.take();
      return tokenStatic(t);
    }
    if (t.kind !== 'ident') return null;
    const p = pos(t);
    let s: StaticNode | null = null;
    if (t.text === 'true' || t.text === 'false') s = { kind: 'static', type: 'bool', value: t.text === 'true', pos: p };
    else if (t.text === 'nil') s = { kind: 'static', type: 'nil', value: null, pos: p };
    else if (t.text in STATUS) s = { kind: 'static', type: 'status', value: STATUS[t.text]!, pos: p };
    else if (t.text in KIND) s = { kind: 'static', type: 'kind', value: KIND[t.text]!, pos: p };
    else if (t.text === 'minInt') s = { kind: 'static', type: 'int', value: -(1n << 63n), pos: p };
    else if (t.text === 'maxInt') s = { kind: 'static', type: 'int', value: (1n << 63n) - 1n, pos: p };
    if (s) this.take();
    return s;
  }

  private parsePrimaryField(): FieldExpr {
    const t = this.t;
    if (this.isPunct('(')) {
      this.take();
      this.enter(t);
      const e = this.parseFieldExpr(1);
      this.expectPunct(')', '")" or an operator');
      this.leave();
      return e;
    }
    if (t.kind === 'attr') {
      this.take();
      return { kind: 'attribute', scope: t.scope!, name: t.name!, parent: t.parent ?? false, text: t.text, pos: pos(t) };
    }
    if (t.kind === 'scoped') {
      if (!SCOPED_INTRINSICS.has(t.text)) throw new TraceQLError(`unknown intrinsic ${t.text}`, t.line, t.column, 'parse');
      this.take();
      return { kind: 'intrinsic', intrinsic: t.text as Intrinsic, text: t.text, pos: pos(t) };
    }
    const s = this.tryStatic();
    if (s) return s;
    if (t.kind === 'ident' && t.text in LEGACY_INTRINSICS) {
      this.take();
      return { kind: 'intrinsic', intrinsic: LEGACY_INTRINSICS[t.text]!, text: t.text, pos: pos(t) };
    }
    throw this.unexpected('an attribute, intrinsic or literal');
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function containsPipelineGroup(n: SpansetNode): boolean {
  if (n.kind === 'pipelineGroup') return true;
  if (n.kind === 'spansetOp') return containsPipelineGroup(n.lhs) || containsPipelineGroup(n.rhs);
  return false;
}

function asPipelineOperand(n: TopNode): SpansetNode {
  if (n.k === 'pipeline') return { kind: 'pipelineGroup', pipeline: n.node, pos: n.node.pos };
  if (n.k === 'spanset' || n.k === 'pipelineExpr') return n.node;
  throw new Error('unreachable: not a pipeline operand');
}

function nodePos(n: TopNode): Pos {
  return n.node.pos;
}

function tokenStatic(t: Token): StaticNode {
  const p = pos(t);
  switch (t.kind) {
    case 'int':
      return { kind: 'static', type: 'int', value: t.value as bigint, pos: p };
    case 'duration':
      return { kind: 'static', type: 'duration', value: t.value as bigint, pos: p };
    case 'float':
      return { kind: 'static', type: 'float', value: t.value as number, pos: p };
    case 'string':
      return { kind: 'static', type: 'string', value: t.value as Uint8Array, pos: p };
    default:
      throw new Error(`unreachable: token ${t.kind} is not a literal`);
  }
}

const I64_MIN = -(1n << 63n);

function wrap64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

function negateStatic(s: StaticNode, at: Pos): StaticNode {
  if (s.type === 'int' || s.type === 'duration') return { kind: 'static', type: s.type, value: wrap64(-s.value), pos: at };
  if (s.type === 'float') return { kind: 'static', type: 'float', value: -s.value, pos: at };
  throw new TraceQLError('unary "-" needs a number', at.line, at.column, 'validate');
}

export function staticNumber(s: StaticNode): number {
  if (s.type === 'int' || s.type === 'duration') return Number(s.value);
  if (s.type === 'float') return s.value;
  throw new TraceQLError('expected a number', s.pos.line, s.pos.column, 'validate');
}

/** Folds constant scalar arithmetic (scalar-filter right-hand sides) with TraceQL's rules. */
function foldScalar(op: string, a: StaticNode, b: StaticNode, at: Pos): StaticNode {
  if ((a.type === 'int' && b.type === 'int') && op !== '^') {
    const x = a.value;
    const y = b.value;
    if ((op === '/' || op === '%') && y === 0n) throw new TraceQLError('division by zero', at.line, at.column, 'validate');
    const v = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? (x === I64_MIN && y === -1n ? x : x / y) : x % y;
    return { kind: 'static', type: 'int', value: wrap64(v), pos: a.pos };
  }
  const x = staticNumber(a);
  const y = staticNumber(b);
  if (a.type === 'int' && b.type === 'int' && op === '^') {
    // Tempo computes int ^ int as rhs ^ lhs (spec §13.3).
    return { kind: 'static', type: 'int', value: wrap64(BigInt(Math.trunc(y ** x))), pos: a.pos };
  }
  const v = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : op === '%' ? x % y : x ** y;
  return { kind: 'static', type: 'float', value: v, pos: a.pos };
}

/** Parses TraceQL text into a syntax tree (no type checks; see validate.ts). */
export function parseSyntax(text: string): Query {
  return new Parser(text).parseQuery();
}
