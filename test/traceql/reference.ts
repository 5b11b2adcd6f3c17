// A deliberately plain TraceQL evaluator over decoded views (SpanView & co.), written from the
// spec without sharing code with the engine, for property tests: field expressions per span and
// binding, spanset operators from parent ids. Regexes go through re2js (the test oracle).
import { RE2JS } from 're2js';
import type { SpanView, AnyValue, TraceBatch } from 'otel-sieve';

export type RV =
  | { t: 'nil' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'duration'; v: bigint }
  | { t: 'string'; v: string }
  | { t: 'status'; v: number }
  | { t: 'kind'; v: number }
  | { t: 'array'; v: RV[] };

export class RuntimeError extends Error {}

const NIL: RV = { t: 'nil' };
const dec = new TextDecoder();

// Minimal AST shape (what traceql.parse returns).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type E = any;

export interface RSpan {
  view: SpanView;
  traceId: string;
  spanId: string;
  parentId: string;
  key: string; // trace/span
}

function scalar(a: AnyValue): RV {
  switch (a.type) {
    case 'string':
      return { t: 'string', v: a.value };
    case 'int':
      return { t: 'int', v: a.value };
    case 'double':
      return { t: 'float', v: a.value };
    case 'bool':
      return { t: 'bool', v: a.value };
    default:
      return NIL;
  }
}

function fromAny(a: AnyValue | undefined): RV {
  if (!a) return NIL;
  if (a.type === 'array') {
    const els = a.value;
    if (els.length === 0) return NIL;
    const t = els[0]!.type;
    if (!['string', 'int', 'double', 'bool'].includes(t) || els.some((e) => e.type !== t)) return NIL;
    if (els.length === 1) return scalar(els[0]!);
    return { t: 'array', v: els.map(scalar) };
  }
  return scalar(a);
}

function find(attrs: { key: string; value: AnyValue }[], key: string): AnyValue | undefined {
  return attrs.find((kv) => kv.key === key)?.value;
}

const NUM = ['int', 'float', 'duration'];
const num = (v: RV) => (v.t === 'float' ? v.v : Number((v as { v: bigint }).v));

function cmpNum(op: string, c: number): boolean {
  return op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

function scalarCmp(op: string, a: RV, b: RV): boolean {
  if (NUM.includes(a.t) && NUM.includes(b.t)) {
    if (a.t === 'int' && b.t === 'int') return cmpNum(op, a.v < b.v ? -1 : a.v > b.v ? 1 : 0);
    const x = num(a);
    const y = num(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return op === '!=';
    return cmpNum(op, x < y ? -1 : x > y ? 1 : 0);
  }
  if (a.t === 'string' && b.t === 'string') {
    const x = Buffer.from(a.v);
    const y = Buffer.from(b.v);
    return cmpNum(op, Buffer.compare(x, y));
  }
  if (a.t !== b.t) return false;
  if (a.t === 'bool' || a.t === 'status' || a.t === 'kind') {
    if (op === '=') return a.v === (b as { v: unknown }).v;
    if (op === '!=') return a.v !== (b as { v: unknown }).v;
  }
  return false;
}

const MIRROR: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' };

function compare(op: string, a: RV, b: RV): boolean {
  if (a.t === 'nil' || b.t === 'nil') return false;
  if (a.t === 'array' && b.t === 'array') return false;
  if (a.t === 'array' || b.t === 'array') {
    const [arr, other, eop] = a.t === 'array' ? [a, b, op] : [b as RV & { t: 'array' }, a, MIRROR[op]!];
    const els = (arr as { v: RV[] }).v;
    if (op === '!=') return els.every((e) => scalarCmp('!=', e, other));
    return els.some((e) => scalarCmp(eop, e, other));
  }
  return scalarCmp(op, a, b);
}

function regexMatch(pattern: string, v: RV, negate: boolean): boolean {
  const re = RE2JS.compile(`(?s:${pattern})`);
  if (v.t === 'string') return re.matches(v.v) !== negate;
  if (v.t === 'array' && v.v.every((e) => e.t === 'string')) {
    const any = v.v.some((e) => re.matches((e as { v: string }).v));
    return negate ? !any : any;
  }
  return false;
}

function intPow(base: bigint, exp: bigint): bigint {
  if (exp === 0n) return 1n;
  if (exp < 0n) return base;
  let r = base;
  for (let i = 2n; i <= exp; i++) r = BigInt.asIntN(64, r * base);
  return r;
}

function arith(op: string, a: RV, b: RV): RV {
  if (!NUM.includes(a.t) || !NUM.includes(b.t)) return NIL;
  if (a.t === 'int' && b.t === 'int') {
    const x = a.v;
    const y = b.v;
    if ((op === '/' || op === '%') && y === 0n) throw new RuntimeError('division by zero');
    const r = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : op === '%' ? x % y : intPow(y, x);
    return { t: 'int', v: BigInt.asIntN(64, r) };
  }
  const x = num(a);
  const y = num(b);
  const r = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : op === '%' ? x % y : Math.pow(x, y);
  return { t: 'float', v: r };
}

interface Binding {
  span: SpanView;
  event: ReturnType<SpanView['events']['at']> | undefined;
  link: ReturnType<SpanView['links']['at']> | undefined;
}

function intrinsic(name: string, b: Binding): RV {
  const s = b.span;
  switch (name) {
    case 'span:name':
      return { t: 'string', v: s.name };
    case 'span:status':
      return { t: 'status', v: s.status.code };
    case 'span:statusMessage':
      return { t: 'string', v: s.status.message };
    case 'span:duration':
      return { t: 'duration', v: s.durationNanos };
    case 'span:kind':
      return { t: 'kind', v: s.kind };
    case 'span:id':
      return { t: 'string', v: s.spanId };
    case 'event:name':
      return b.event ? { t: 'string', v: b.event.name } : NIL;
    case 'event:timeSinceStart':
      return b.event ? { t: 'duration', v: BigInt.asIntN(64, b.event.timeUnixNano - s.startTimeUnixNano) } : NIL;
    case 'link:spanID':
      return b.link ? { t: 'string', v: b.link.spanId } : NIL;
    case 'instrumentation:name':
      return { t: 'string', v: s.scope.name };
    default:
      throw new Error(`reference: intrinsic ${name} not covered`);
  }
}

function attribute(e: E, b: Binding): RV {
  const s = b.span;
  switch (e.scope) {
    case 'span':
      return fromAny(find(s.attributes, e.name));
    case 'resource':
      return fromAny(find(s.resource.attributes, e.name));
    case 'instrumentation':
      return fromAny(find(s.scope.attributes, e.name));
    case 'event':
      return b.event ? fromAny(find(b.event.attributes, e.name)) : NIL;
    case 'link':
      return b.link ? fromAny(find(b.link.attributes, e.name)) : NIL;
    default: {
      const own = find(s.attributes, e.name);
      return fromAny(own ?? find(s.resource.attributes, e.name));
    }
  }
}

export function evalExpr(e: E, b: Binding): RV {
  switch (e.kind) {
    case 'static':
      if (e.type === 'string') return { t: 'string', v: dec.decode(e.value) };
      if (e.type === 'nil') return NIL;
      return { t: e.type, v: e.value } as RV;
    case 'attribute':
      return attribute(e, b);
    case 'intrinsic':
      return intrinsic(e.intrinsic, b);
    case 'unary': {
      const v = evalExpr(e.expr, b);
      if (e.op === '!') {
        if (v.t !== 'bool') throw new RuntimeError('not a boolean');
        return { t: 'bool', v: !v.v };
      }
      if (v.t === 'int' || v.t === 'duration') return { t: v.t, v: BigInt.asIntN(64, -v.v) };
      if (v.t === 'float') return { t: 'float', v: -v.v };
      throw new RuntimeError('not a number');
    }
    case 'binary': {
      const { op, lhs, rhs } = e;
      const isNil = (x: E) => x.kind === 'static' && x.type === 'nil';
      if ((op === '=' || op === '!=') && (isNil(lhs) || isNil(rhs))) {
        if (isNil(lhs) && isNil(rhs)) return { t: 'bool', v: false };
        const v = evalExpr(isNil(lhs) ? rhs : lhs, b);
        return { t: 'bool', v: op === '=' ? v.t === 'nil' : v.t !== 'nil' };
      }
      const l = evalExpr(lhs, b);
      const r = evalExpr(rhs, b);
      if (op === '=~' || op === '!~') return { t: 'bool', v: regexMatch(dec.decode(rhs.value), l, op === '!~') };
      if (op === '&&' || op === '||') {
        if (l.t !== 'bool' || r.t !== 'bool') return { t: 'bool', v: false };
        return { t: 'bool', v: op === '&&' ? l.v && r.v : l.v || r.v };
      }
      if (['+', '-', '*', '/', '%', '^'].includes(op)) return arith(op, l, r);
      return { t: 'bool', v: compare(op, l, r) };
    }
  }
  throw new Error(`reference: node ${e.kind}`);
}

function readsScope(e: E, scope: 'event' | 'link'): boolean {
  if (!e) return false;
  if (e.kind === 'attribute') return e.scope === scope;
  if (e.kind === 'intrinsic') return e.intrinsic.startsWith(scope + ':');
  if (e.kind === 'binary') return readsScope(e.lhs, scope) || readsScope(e.rhs, scope);
  if (e.kind === 'unary') return readsScope(e.expr, scope);
  return false;
}

/** Whether a span matches `{ expr }`: some (event × link) binding gives true. */
export function spanMatches(expr: E, span: SpanView): boolean {
  if (!expr) return true;
  const events = readsScope(expr, 'event') && span.events.length ? span.events : [undefined];
  const links = readsScope(expr, 'link') && span.links.length ? span.links : [undefined];
  for (const event of events) {
    for (const link of links) {
      const v = evalExpr(expr, { span, event, link });
      if (v.t === 'bool' && v.v) return true;
    }
  }
  return false;
}

/** All spans of the batches with their trace and parent ids. */
export function referenceSpans(batches: TraceBatch[]): RSpan[] {
  const out: RSpan[] = [];
  for (const b of batches) {
    for (const view of b.spans()) out.push({ view, traceId: view.traceId, spanId: view.spanId, parentId: view.parentSpanId, key: `${view.traceId}/${view.spanId}` });
  }
  return out;
}

/** Tempo's tree per trace: roots have no parent id; spans not reachable from a root are out of the tree. */
function tree(spans: RSpan[]): { parent: Map<RSpan, RSpan | null>; inTree: Set<RSpan> } {
  const byId = new Map<string, RSpan>();
  for (const s of spans) if (!byId.has(`${s.traceId}/${s.spanId}`)) byId.set(`${s.traceId}/${s.spanId}`, s);
  const parent = new Map<RSpan, RSpan | null>();
  for (const s of spans) {
    const p = s.parentId ? byId.get(`${s.traceId}/${s.parentId}`) : undefined;
    parent.set(s, p && p !== s ? p : null);
  }
  const inTree = new Set<RSpan>();
  for (const s of spans) {
    const chain: RSpan[] = [];
    let cur: RSpan | null = s;
    const seen = new Set<RSpan>();
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      chain.push(cur);
      if (!cur.parentId) {
        for (const c of chain) inTree.add(c);
        break;
      }
      cur = parent.get(cur) ?? null;
    }
  }
  return { parent, inTree };
}

/** A structural operator applied per trace (spec §7), with L and R as span sets. */
export function structural(op: string, spans: RSpan[], L: Set<RSpan>, R: Set<RSpan>): Set<RSpan> {
  const { parent, inTree } = tree(spans);
  const ancestors = (s: RSpan): RSpan[] => {
    const out: RSpan[] = [];
    let p = parent.get(s) ?? null;
    while (p) {
      out.push(p);
      p = parent.get(p) ?? null;
    }
    return out;
  };
  const siblings = (a: RSpan, b: RSpan) => a !== b && a.traceId === b.traceId && inTree.has(a) && inTree.has(b) && parent.get(a) === parent.get(b);
  const isParent = (p: RSpan, c: RSpan) => inTree.has(c) && parent.get(c) === p;
  const isAncestor = (a: RSpan, d: RSpan) => inTree.has(d) && ancestors(d).includes(a);
  const out = new Set<RSpan>();
  const base = op.replace(/^[!&]/, '');
  const rel = (l: RSpan, r: RSpan): boolean =>
    base === '>' ? isParent(l, r) : base === '<' ? isParent(r, l) : base === '>>' ? isAncestor(l, r) : base === '<<' ? isAncestor(r, l) : siblings(l, r);
  for (const r of R) {
    const hit = [...L].some((l) => rel(l, r));
    if (op.startsWith('!') ? !hit : hit) out.add(r);
  }
  if (op.startsWith('&')) {
    const rPart = [...out];
    for (const l of L) if (rPart.some((r) => rel(l, r))) out.add(l);
  }
  return out;
}
