// Resolves a parsed condition in a context: paths to fields and attribute lookups (qualified
// `span.name`, or unqualified `name` / `resource.attributes[…]` as the legacy per-context
// settings write them), enums to int64, converters to their specs with arguments matched by
// position or name and literal arguments checked (regexes compiled). What the collector refuses
// when it loads a config is refused here with the position; what it can only find out per item
// (a string in a math expression, a converter given the wrong type) stays a runtime error.
import * as Q from '../../assembly/abi/query-layout.js';
import { OttlError } from './errors.js';
import type { Pos } from './errors.js';
import type { BoolNode, CompareOp, MathOp, PathField, PathKey, ValueNode } from './ast.js';
import { CONTEXT_PREFIXES, ENUMS, FIELDS, LEGACY_SEGMENT, REACHABLE, UNSUPPORTED_FIELDS } from './contexts.js';
import type { ContextName, FieldSpec, OttlType } from './contexts.js';
import { CONVERTER_HINTS, converter, convertersOf, knownConverter } from './functions.js';
import type { ConverterSpec } from './functions.js';
import { compileRegex } from '../regex/compile.js';
import { parseGoDuration } from '../config/duration.js';

/**
 * How paths name their context: `legacy` — unqualified, as the per-context settings
 * (`traces.span`, tail sampling's ottl_condition) write them; `qualified` — every path starts with
 * its context (`span.name`), as inferred conditions must; `optional` — either (a condition group
 * with an explicit `context`).
 */
export type PathStyle = 'legacy' | 'qualified' | 'optional';

export interface CheckOptions {
  readonly context: ContextName;
  readonly paths: PathStyle;
}

export type Key = { readonly kind: 'string'; readonly value: string; readonly pos: Pos } | { readonly kind: 'int'; readonly value: bigint; readonly pos: Pos };

export type Const =
  | { readonly t: 'nil' }
  | { readonly t: 'string' | 'bytes'; readonly v: Uint8Array }
  | { readonly t: 'int' | 'duration'; readonly v: bigint }
  | { readonly t: 'float'; readonly v: number }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'traceid' | 'spanid'; readonly v: Uint8Array };

/** A resolved value. */
export type IR =
  | { readonly k: 'const'; readonly c: Const; readonly pos: Pos }
  | { readonly k: 'field'; readonly id: number; readonly t: OttlType; readonly pos: Pos }
  | { readonly k: 'attr'; readonly scope: number; readonly key: string; readonly keys: readonly Key[]; readonly pos: Pos }
  | { readonly k: 'attrs'; readonly scope: number; readonly keys: readonly Key[]; readonly pos: Pos }
  | { readonly k: 'body'; readonly keys: readonly Key[]; readonly pos: Pos }
  | { readonly k: 'call'; readonly fn: number; readonly name: string; readonly args: readonly IR[]; readonly keys: readonly Key[]; readonly t: OttlType; readonly pos: Pos }
  | { readonly k: 'regex'; readonly target: IR; readonly pattern: string; readonly keys: readonly Key[]; readonly pos: Pos }
  | { readonly k: 'list'; readonly items: readonly IR[]; readonly pos: Pos }
  | { readonly k: 'math'; readonly op: MathOp; readonly lhs: IR; readonly rhs: IR; readonly pos: Pos }
  | { readonly k: 'neg'; readonly expr: IR; readonly pos: Pos };

/** A resolved boolean expression. */
export type BoolIR =
  | { readonly k: 'cmp'; readonly op: CompareOp; readonly lhs: IR; readonly rhs: IR; readonly pos: Pos }
  | { readonly k: 'bool'; readonly value: boolean; readonly pos: Pos }
  /** A converter as a boolean; `checked` when its result type is not known to be bool. */
  | { readonly k: 'value'; readonly value: IR; readonly checked: boolean; readonly pos: Pos }
  | { readonly k: 'not'; readonly expr: BoolIR; readonly pos: Pos }
  | { readonly k: 'and' | 'or'; readonly items: readonly BoolIR[]; readonly pos: Pos };

const dec = new TextDecoder('utf-8', { fatal: false });

function fail(reason: string, pos: Pos): never {
  throw new OttlError(reason, pos.line, pos.column, 'check');
}

function keyText(k: PathKey): string {
  return k.kind === 'string' ? `[${JSON.stringify(k.text)}]` : `[${k.value}]`;
}

/** A path as written, for messages. */
export function pathText(fields: readonly PathField[]): string {
  return fields.map((f) => f.name + f.keys.map(keyText).join('')).join('.');
}

function toKeys(keys: readonly PathKey[]): Key[] {
  return keys.map((k) => (k.kind === 'string' ? { kind: 'string', value: k.text, pos: k.pos } : { kind: 'int', value: k.value, pos: k.pos }));
}

/** Static type of a resolved value (what the collector's getter returns; 'any' when it depends). */
export function typeOf(ir: IR): OttlType {
  switch (ir.k) {
    case 'const':
      return ir.c.t;
    case 'field':
      return ir.t;
    case 'attrs':
      return ir.keys.length ? 'any' : 'map';
    case 'call':
      return ir.keys.length ? 'any' : ir.t;
    case 'regex':
      return 'bool';
    case 'list':
      return 'list';
    default:
      return 'any';
  }
}

class Checker {
  /** Contexts the condition's paths name (for inference and for the caller's checks). */
  readonly contexts = new Set<ContextName>();
  readonly functions = new Set<string>();
  readonly enums = new Set<string>();

  constructor(private readonly opts: CheckOptions) {}

  bool(n: BoolNode): BoolIR {
    switch (n.kind) {
      case 'compare':
        return { k: 'cmp', op: n.op, lhs: this.value(n.lhs), rhs: this.value(n.rhs), pos: n.pos };
      case 'const':
        return { k: 'bool', value: n.value, pos: n.pos };
      case 'converter': {
        const v = this.value(n.call);
        return { k: 'value', value: v, checked: typeOf(v) !== 'bool', pos: n.pos };
      }
      case 'not':
        return { k: 'not', expr: this.bool(n.expr), pos: n.pos };
      default:
        return { k: n.kind, items: n.items.map((i) => this.bool(i)), pos: n.pos };
    }
  }

  value(n: ValueNode): IR {
    switch (n.kind) {
      case 'nil':
        return { k: 'const', c: { t: 'nil' }, pos: n.pos };
      case 'string':
      case 'bytes':
        return { k: 'const', c: { t: n.kind, v: n.value }, pos: n.pos };
      case 'int':
        return { k: 'const', c: { t: 'int', v: n.value }, pos: n.pos };
      case 'float':
        return { k: 'const', c: { t: 'float', v: n.value }, pos: n.pos };
      case 'bool':
        return { k: 'const', c: { t: 'bool', v: n.value }, pos: n.pos };
      case 'enum':
        return this.enumValue(n.name, n.pos);
      case 'path':
        return this.path(n.fields, n.pos);
      case 'list':
        return { k: 'list', items: n.items.map((i) => this.value(i)), pos: n.pos };
      case 'map':
        fail('map literals are not supported in otel-sieve conditions (compare map values with another path, or test keys one by one)', n.pos);
      case 'math':
        return { k: 'math', op: n.op, lhs: this.value(n.lhs), rhs: this.value(n.rhs), pos: n.pos };
      case 'neg': {
        // A negated number literal is a literal (the collector folds it the same way).
        if (n.expr.kind === 'int') return { k: 'const', c: { t: 'int', v: BigInt.asIntN(64, -n.expr.value) }, pos: n.pos };
        if (n.expr.kind === 'float') return { k: 'const', c: { t: 'float', v: -n.expr.value }, pos: n.pos };
        return { k: 'neg', expr: this.value(n.expr), pos: n.pos };
      }
      case 'call':
        return this.call(n);
    }
  }

  private enumValue(name: string, pos: Pos): IR {
    this.enums.add(name);
    const v = ENUMS[this.opts.context][name];
    if (v === undefined) {
      const known = Object.keys(ENUMS[this.opts.context]);
      fail(`enum symbol ${name} is not known in the ${this.opts.context} context${known.length ? ` (known: ${known.join(', ')})` : ' (it has no enums)'}`, pos);
    }
    return { k: 'const', c: { t: 'int', v }, pos };
  }

  /** Splits a path into the context it reads and the fields within that context. */
  private pathContext(fields: readonly PathField[], pos: Pos): [ContextName, readonly PathField[]] {
    const own = this.opts.context;
    const first = fields[0]!;
    const text = pathText(fields);
    const reachable = (c: ContextName): boolean => c === own || REACHABLE[own].includes(c);
    const named = CONTEXT_PREFIXES[first.name];
    if (this.opts.paths === 'qualified') {
      if (!named || first.keys.length) {
        const options = [own, ...REACHABLE[own]].map((c) => `"${c}.${text}"`).join(', ');
        fail(`missing context name for path "${text}", possibly valid options are: ${options}`, pos);
      }
      if (!reachable(named)) fail(`path "${text}" reads the ${named} context, which a ${own} condition cannot reach (reachable: ${[own, ...REACHABLE[own]].join(', ')})`, pos);
      if (fields.length < 2) fail(`path "${text}" names only a context`, pos);
      return [named, fields.slice(1)];
    }
    if (this.opts.paths === 'optional' && named && !first.keys.length && fields.length > 1) {
      if (!reachable(named)) fail(`path "${text}" reads the ${named} context, which a ${own} condition cannot reach (reachable: ${[own, ...REACHABLE[own]].join(', ')})`, pos);
      return [named, fields.slice(1)];
    }
    if (this.opts.paths === 'legacy' && !first.keys.length && fields.length > 1) {
      for (const c of REACHABLE[own]) if (LEGACY_SEGMENT[c] === first.name) return [c, fields.slice(1)];
    }
    return [own, fields];
  }

  private path(fields: readonly PathField[], pos: Pos): IR {
    const [ctx, rest] = this.pathContext(fields, pos);
    this.contexts.add(ctx);
    const [head, ...tail] = rest;
    const text = pathText(fields);
    const specs = FIELDS[ctx];
    const spec: FieldSpec | undefined = Object.prototype.hasOwnProperty.call(specs, head!.name) ? specs[head!.name] : undefined;
    const unsupported = UNSUPPORTED_FIELDS[ctx]?.[head!.name];
    if (head!.name === 'cache') fail(`"${text}": cache is always empty in conditions (filters cannot set it), so it is not supported`, pos);
    if (!spec || (unsupported && !(spec.kind === 'field' && tail.length && spec.sub?.[tail[0]!.name]))) {
      if (unsupported) fail(`path "${text}" is not supported in otel-sieve conditions: ${unsupported}`, head!.pos);
      fail(`unknown path "${text}" in the ${ctx} context (its paths: ${Object.keys(specs).sort().join(', ')})`, head!.pos);
    }
    switch (spec.kind) {
      case 'attributes': {
        if (tail.length) fail(`"${text}": attributes are indexed with ["key"], not with "."`, tail[0]!.pos);
        const keys = toKeys(head!.keys);
        const [k0, ...more] = keys;
        if (k0?.kind === 'string') return { k: 'attr', scope: spec.scope, key: k0.value, keys: more, pos };
        return { k: 'attrs', scope: spec.scope, keys, pos };
      }
      case 'body': {
        if (tail.length) {
          if (tail[0]!.name !== 'string' || tail.length > 1 || tail[0]!.keys.length || head!.keys.length) fail(`unknown path "${text}" (the log body is read as body, body["key"] or body.string)`, tail[0]!.pos);
          return { k: 'field', id: Q.IN_LOG_BODY_STRING, t: 'string', pos };
        }
        return { k: 'body', keys: toKeys(head!.keys), pos };
      }
      case 'trace_state': {
        if (tail.length) fail(`unknown path "${text}" (trace_state is read whole or as trace_state["key"])`, tail[0]!.pos);
        if (!head!.keys.length) return { k: 'field', id: Q.IN_SPAN_TRACE_STATE, t: 'string', pos };
        const k = head!.keys[0]!;
        if (head!.keys.length !== 1 || k.kind !== 'string') fail('must provide exactly 1 string key when accessing trace_state', k.pos);
        const key: IR = { k: 'const', c: { t: 'string', v: k.value }, pos: k.pos };
        return { k: 'call', fn: Q.FN_TRACE_STATE_KEY, name: 'trace_state', args: [key], keys: [], t: 'any', pos };
      }
      case 'field': {
        if (head!.keys.length) fail(`"${pathText([head!])}" cannot be indexed`, head!.keys[0]!.pos);
        if (tail.length) {
          const sub = spec.sub?.[tail[0]!.name];
          if (!sub || tail.length > 1) fail(`unknown path "${text}"${spec.sub ? ` (${head!.name} has: ${Object.keys(spec.sub).map((s) => `${head!.name}.${s}`).join(', ')})` : ''}`, tail[0]!.pos);
          if (tail[0]!.keys.length) fail(`"${pathText(tail)}" cannot be indexed`, tail[0]!.keys[0]!.pos);
          return { k: 'field', id: sub.id, t: sub.type, pos };
        }
        if (spec.id < 0) fail(`path "${text}" is not supported in otel-sieve conditions (read ${Object.keys(spec.sub ?? {}).map((s) => `${head!.name}.${s}`).join(' or ')})`, head!.pos);
        return { k: 'field', id: spec.id, t: spec.type, pos };
      }
    }
  }

  private call(n: Extract<ValueNode, { kind: 'call' }>): IR {
    const ctx = this.opts.context;
    this.functions.add(n.name);
    const spec = converter(n.name, ctx);
    if (!spec) {
      const other = knownConverter(n.name);
      const hint = CONVERTER_HINTS[n.name];
      if (other) fail(`converter ${n.name} is not available in the ${ctx} context (only in: ${other.contexts!.join(', ')})`, n.pos);
      fail(`unsupported converter ${n.name}${hint ? ` (${hint})` : ''}; otel-sieve supports: ${convertersOf(ctx).join(', ')}`, n.pos);
    }
    const args = this.matchArgs(spec, n);
    const keys = toKeys(n.keys);
    const pos = n.pos;
    switch (spec.name) {
      case 'IsMatch': {
        const pattern = this.literalString(args[1]!, spec, 'pattern');
        try {
          compileRegex(pattern, { anchored: false });
        } catch (err) {
          fail(`IsMatch: invalid regex ${JSON.stringify(pattern)}: ${(err as Error).message}`, args[1]!.pos);
        }
        return { k: 'regex', target: this.value(args[0]!), pattern, keys, pos };
      }
      case 'IsRootSpan':
        return { k: 'field', id: Q.IN_SPAN_IS_ROOT, t: 'bool', pos };
      case 'TraceID':
      case 'SpanID':
        return this.idLiteral(spec.name, args[0]!, pos);
      case 'Duration': {
        const a = args[0]!;
        if (a.kind !== 'string') fail('Duration: otel-sieve needs a literal duration string here, such as Duration("1s")', a.pos);
        try {
          return { k: 'const', c: { t: 'duration', v: parseGoDuration(dec.decode(a.value)) }, pos };
        } catch (err) {
          fail(`Duration: ${(err as Error).message}`, a.pos);
        }
      }
    }
    const irArgs: IR[] = [];
    spec.params.forEach((p, i) => {
      const a = args[i];
      if (!a) return;
      if (p.kind === 'literalString') irArgs.push({ k: 'const', c: { t: 'string', v: new TextEncoder().encode(this.literalString(a, spec, p.name)) }, pos: a.pos });
      else if (p.kind === 'literalBool') {
        if (a.kind !== 'bool') fail(`${spec.name}: ${p.name} must be a literal true or false`, a.pos);
        irArgs.push({ k: 'const', c: { t: 'bool', v: a.value }, pos: a.pos });
      } else {
        if (p.kind === 'literalList' && a.kind !== 'list') fail(`${spec.name}: ${p.name} must be a list literal ([a, b, …])`, a.pos);
        irArgs.push(this.value(a));
      }
    });
    return { k: 'call', fn: spec.fn!, name: spec.name, args: irArgs, keys, t: spec.returns, pos };
  }

  /** Arguments in parameter order (positional first, then named), checked for count and names. */
  private matchArgs(spec: ConverterSpec, n: Extract<ValueNode, { kind: 'call' }>): (ValueNode | undefined)[] {
    const out: (ValueNode | undefined)[] = new Array(spec.params.length).fill(undefined);
    const names = spec.params.map((p) => p.name);
    n.args.forEach((a, i) => {
      let at = i;
      if (a.name !== undefined) {
        at = names.indexOf(a.name);
        if (at < 0) fail(`${spec.name} has no parameter named ${a.name} (parameters: ${names.join(', ') || 'none'})`, a.pos);
        if (out[at]) fail(`${spec.name}: ${a.name} is given twice`, a.pos);
      } else if (i >= spec.params.length) {
        fail(`${spec.name} takes ${describeArity(spec)}, got ${n.args.length}`, a.pos);
      }
      out[at] = a.value;
    });
    spec.params.forEach((p, i) => {
      if (!out[i] && !p.optional) fail(`${spec.name} takes ${describeArity(spec)}, got ${n.args.length} (missing ${p.name})`, n.pos);
    });
    return out;
  }

  private literalString(a: ValueNode, spec: ConverterSpec, name: string): string {
    if (a.kind !== 'string') fail(`${spec.name}: ${name} must be a literal string`, a.pos);
    return dec.decode(a.value);
  }

  /** TraceID(…) / SpanID(…) of literal bytes or a hex string (the only forms folded here). */
  private idLiteral(name: 'TraceID' | 'SpanID', a: ValueNode, pos: Pos): IR {
    const size = name === 'TraceID' ? 16 : 8;
    let bytes: Uint8Array;
    if (a.kind === 'bytes') bytes = a.value;
    else if (a.kind === 'string') {
      const hex = dec.decode(a.value);
      if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length !== size * 2) fail(`${name}: expected ${size * 2} hex characters, got ${JSON.stringify(hex)}`, a.pos);
      bytes = Uint8Array.from({ length: size }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
    } else fail(`${name}: otel-sieve needs literal bytes (0x…) or a literal hex string here`, a.pos);
    if (bytes.length !== size) fail(`${name}: expected ${size} bytes, got ${bytes.length}`, a.pos);
    return { k: 'const', c: { t: name === 'TraceID' ? 'traceid' : 'spanid', v: bytes }, pos };
  }
}

function describeArity(spec: ConverterSpec): string {
  const required = spec.params.filter((p) => !p.optional).length;
  const all = spec.params.length;
  const n = (k: number) => `${k} argument${k === 1 ? '' : 's'}`;
  return required === all ? n(all) : `${required} to ${all} arguments`;
}

export interface Checked {
  readonly ir: BoolIR;
  /** Contexts the condition's paths read. */
  readonly contexts: ReadonlySet<ContextName>;
}

/** Resolves a parsed condition in a context; throws OttlError (stage 'check'). */
export function checkCondition(node: BoolNode, options: CheckOptions): Checked {
  const c = new Checker(options);
  return { ir: c.bool(node), contexts: c.contexts };
}

/** Paths' context names, converter names and enum symbols a condition uses (context inference). */
export interface Hints {
  readonly contexts: ReadonlySet<string>;
  readonly functions: ReadonlySet<string>;
  readonly enums: ReadonlySet<string>;
}

export function conditionHints(node: BoolNode): Hints {
  const contexts = new Set<string>();
  const functions = new Set<string>();
  const enums = new Set<string>();
  const value = (v: ValueNode): void => {
    switch (v.kind) {
      case 'path':
        if (CONTEXT_PREFIXES[v.fields[0]!.name] && !v.fields[0]!.keys.length) contexts.add(CONTEXT_PREFIXES[v.fields[0]!.name]!);
        return;
      case 'enum':
        enums.add(v.name);
        return;
      case 'call':
        functions.add(v.name);
        v.args.forEach((a) => value(a.value));
        return;
      case 'list':
        v.items.forEach(value);
        return;
      case 'map':
        v.entries.forEach((e) => value(e.value));
        return;
      case 'math':
        value(v.lhs);
        value(v.rhs);
        return;
      case 'neg':
        value(v.expr);
        return;
    }
  };
  const bool = (b: BoolNode): void => {
    switch (b.kind) {
      case 'compare':
        value(b.lhs);
        value(b.rhs);
        return;
      case 'converter':
        value(b.call);
        return;
      case 'not':
        bool(b.expr);
        return;
      case 'and':
      case 'or':
        b.items.forEach(bool);
        return;
    }
  };
  bool(node);
  return { contexts, functions, enums };
}
