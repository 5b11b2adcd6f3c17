// OTTL condition parser: recursive descent over the collector's grammar for boolean expressions
// (`or` over `and` over an optionally negated comparison, constant or parenthesised expression;
// values that are literals, paths, enums, lists, maps, converter calls or math with * / over + -).
// Where the grammar offers alternatives they are tried in its order with backtracking, and a
// failure is reported where parsing got furthest, naming what would have been accepted there.
import { OttlError } from './errors.js';
import type { Pos } from './errors.js';
import { tokenize } from './lexer.js';
import type { Token } from './lexer.js';
import type { Argument, BoolNode, CompareOp, MathOp, PathField, PathKey, ValueNode } from './ast.js';

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'nil']);
/** Nesting of parentheses, lists and calls accepted (the core's value depth bounds it too). */
export const MAX_NESTING = 100;

class Backtrack extends Error {}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the condition';
  if (t.kind === 'string') return `string ${t.text}`;
  return `"${t.text}"`;
}

const isUpperWord = (s: string): boolean => /^[A-Z]/.test(s);
const isPathWord = (s: string): boolean => /^[a-z][a-z0-9_]*$/.test(s);

class Parser {
  private i = 0;
  private depth = 0;
  // The furthest point any alternative reached, and what it would have accepted there.
  private far = -1;
  private farExpected = new Set<string>();
  private farReason: string | undefined;

  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.i]!;
  }

  private pos(t: Token = this.tok): Pos {
    return { line: t.line, column: t.column };
  }

  /** Records that `what` was expected here and abandons this alternative. */
  private expected(what: string): never {
    if (this.i > this.far) {
      this.far = this.i;
      this.farExpected = new Set([what]);
      this.farReason = undefined;
    } else if (this.i === this.far && this.farReason === undefined) this.farExpected.add(what);
    throw new Backtrack();
  }

  /** An error that no alternative can get past (a malformed construct, not a missing one). */
  private fatal(reason: string, t: Token = this.tok): never {
    throw new OttlError(reason, t.line, t.column, 'parse');
  }

  private isPunct(text: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === text;
  }

  private isWord(text: string): boolean {
    return this.tok.kind === 'ident' && this.tok.text === text;
  }

  private punct(text: string): Token {
    if (!this.isPunct(text)) this.expected(`"${text}"`);
    return this.tokens[this.i++]!;
  }

  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_NESTING) this.fatal(`nesting deeper than ${MAX_NESTING} levels`);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /** Tries alternatives in order; the first that parses wins. */
  private alt<T>(...options: (() => T)[]): T {
    const start = this.i;
    for (const option of options) {
      try {
        return option();
      } catch (err) {
        if (!(err instanceof Backtrack)) throw err;
        this.i = start;
      }
    }
    throw new Backtrack();
  }

  parse(): BoolNode {
    try {
      const e = this.orExpr();
      if (this.tok.kind !== 'eof') this.expected('`and`, `or` or the end of the condition');
      return e;
    } catch (err) {
      if (!(err instanceof Backtrack)) throw err;
      const t = this.tokens[Math.max(this.far, 0)]!;
      const list = [...this.farExpected];
      const what = list.length <= 1 ? list[0] ?? 'a condition' : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
      throw new OttlError(this.farReason ?? `expected ${what}, got ${describe(t)}`, t.line, t.column, 'parse');
    }
  }

  private orExpr(): BoolNode {
    const pos = this.pos();
    const items = [this.andExpr()];
    while (this.isWord('or')) {
      this.i++;
      items.push(this.andExpr());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items, pos };
  }

  private andExpr(): BoolNode {
    const pos = this.pos();
    const items = [this.boolValue()];
    while (this.isWord('and')) {
      this.i++;
      items.push(this.boolValue());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items, pos };
  }

  private boolValue(): BoolNode {
    const pos = this.pos();
    const negated = this.isWord('not');
    if (negated) this.i++;
    const start = this.i;
    try {
      const node = this.alt<BoolNode>(
        () => this.comparison(),
        () => this.constExpr(),
        () => {
          this.punct('(');
          const e = this.nest(() => this.orExpr());
          this.punct(')');
          return e;
        },
      );
      return negated ? { kind: 'not', expr: node, pos } : node;
    } catch (err) {
      // Nothing got past the first token: one description of a condition reads better than the
      // three alternatives' expectations joined.
      if (err instanceof Backtrack && this.far === start && this.farReason === undefined) {
        this.farExpected = new Set(['a condition (a comparison, true, false, a converter call or "(")']);
      }
      throw err;
    }
  }

  private comparison(): BoolNode {
    const pos = this.pos();
    const lhs = this.value();
    if (!(this.tok.kind === 'punct' && COMPARE.has(this.tok.text))) this.expected('a comparison operator (==, !=, <, <=, >, >=)');
    const op = this.tokens[this.i++]!.text as CompareOp;
    const rhs = this.value();
    return { kind: 'compare', op, lhs, rhs, pos };
  }

  private constExpr(): BoolNode {
    const pos = this.pos();
    if (this.isWord('true') || this.isWord('false')) {
      const value = this.tok.text === 'true';
      this.i++;
      return { kind: 'const', value, pos };
    }
    if (this.tok.kind === 'ident' && isUpperWord(this.tok.text) && this.tokens[this.i + 1]?.text === '(') {
      return { kind: 'converter', call: this.call(), pos };
    }
    this.expected('true, false or a converter call');
  }

  private value(): ValueNode {
    const t = this.tok;
    const pos = this.pos();
    if (t.kind === 'ident' && t.text === 'nil') {
      this.i++;
      return { kind: 'nil', pos };
    }
    if (t.kind === 'bytes') {
      this.i++;
      return { kind: 'bytes', value: t.value as Uint8Array, pos };
    }
    if (t.kind === 'string') {
      this.i++;
      return { kind: 'string', value: t.value as Uint8Array, pos };
    }
    if (t.kind === 'ident' && (t.text === 'true' || t.text === 'false')) {
      this.i++;
      return { kind: 'bool', value: t.text === 'true', pos };
    }
    if (this.isPunct('[')) return this.nest(() => this.list());
    if (this.isPunct('{')) return this.nest(() => this.map());
    if (t.kind === 'ident' && isUpperWord(t.text) && this.tokens[this.i + 1]?.text !== '(') {
      if (!/^[A-Z][A-Z0-9_]*$/.test(t.text)) this.fatal(`"${t.text}" is neither an enum (upper-case words such as SPAN_KIND_SERVER) nor a converter call (missing "(")`);
      this.i++;
      return { kind: 'enum', name: t.text, pos };
    }
    return this.mathExpr();
  }

  private list(): ValueNode {
    const pos = this.pos();
    this.punct('[');
    const items: ValueNode[] = [];
    if (!this.isPunct(']')) {
      items.push(this.value());
      while (this.isPunct(',')) {
        this.i++;
        items.push(this.value());
      }
    }
    this.punct(']');
    return { kind: 'list', items, pos };
  }

  private map(): ValueNode {
    const pos = this.pos();
    this.punct('{');
    const entries: { key: Uint8Array; value: ValueNode }[] = [];
    while (!this.isPunct('}')) {
      if (this.tok.kind !== 'string') this.expected('a string key or "}"');
      const key = this.tokens[this.i++]!.value as Uint8Array;
      this.punct(':');
      entries.push({ key, value: this.value() });
      if (this.isPunct(',')) this.i++;
      else break;
    }
    this.punct('}');
    return { kind: 'map', entries, pos };
  }

  private mathExpr(): ValueNode {
    let lhs = this.mathTerm();
    while (this.isPunct('+') || this.isPunct('-')) {
      const t = this.tokens[this.i++]!;
      const rhs = this.mathTerm();
      lhs = { kind: 'math', op: t.text as MathOp, lhs, rhs, pos: this.pos(t) };
    }
    return lhs;
  }

  private mathTerm(): ValueNode {
    let lhs = this.mathValue();
    while (this.isPunct('*') || this.isPunct('/')) {
      const t = this.tokens[this.i++]!;
      const rhs = this.mathValue();
      lhs = { kind: 'math', op: t.text as MathOp, lhs, rhs, pos: this.pos(t) };
    }
    return lhs;
  }

  private mathValue(): ValueNode {
    const pos = this.pos();
    if (this.isPunct('-') || this.isPunct('+')) {
      const minus = this.tok.text === '-';
      this.i++;
      const inner = this.nest(() => this.mathValue());
      return minus ? { kind: 'neg', expr: inner, pos } : inner;
    }
    if (this.isPunct('(')) {
      this.i++;
      const e = this.nest(() => this.mathExpr());
      this.punct(')');
      return e;
    }
    const t = this.tok;
    if (t.kind === 'int') {
      this.i++;
      return { kind: 'int', value: t.value as bigint, pos };
    }
    if (t.kind === 'float') {
      this.i++;
      return { kind: 'float', value: t.value as number, pos };
    }
    if (t.kind === 'ident' && !KEYWORDS.has(t.text)) {
      if (this.tokens[this.i + 1]?.text === '(') {
        if (!isUpperWord(t.text)) this.fatal(`converter names must start with an upper-case letter but got '${t.text}' (editors cannot be used in conditions)`);
        return this.call();
      }
      return this.path();
    }
    this.expected('a value (a path, literal, enum, list or converter call)');
  }

  private keys(): PathKey[] {
    const keys: PathKey[] = [];
    while (this.isPunct('[')) {
      this.i++;
      const t = this.tok;
      const pos = this.pos();
      if (t.kind === 'string') keys.push({ kind: 'string', value: t.value as Uint8Array, text: new TextDecoder().decode(t.value as Uint8Array), pos });
      else if (t.kind === 'int') keys.push({ kind: 'int', value: t.value as bigint, pos });
      else if (t.kind === 'ident' || (t.kind === 'punct' && t.text !== ']')) this.fatal('only string and integer literals can be keys here (expressions as keys are not supported)');
      else this.expected('a string or integer key');
      this.i++;
      this.punct(']');
    }
    return keys;
  }

  private path(): ValueNode {
    const pos = this.pos();
    const fields: PathField[] = [];
    while (true) {
      const t = this.tok;
      if (t.kind !== 'ident' || KEYWORDS.has(t.text)) this.expected('a path segment');
      if (!isPathWord(t.text)) this.fatal(`path segments are lower-case words ([a-z][a-z0-9_]*), got "${t.text}"`);
      this.i++;
      fields.push({ name: t.text, keys: this.keys(), pos: this.pos(t) });
      if (!this.isPunct('.')) break;
      this.i++;
    }
    return { kind: 'path', fields, pos };
  }

  private call(): Extract<ValueNode, { kind: 'call' }> {
    const pos = this.pos();
    const name = this.tokens[this.i++]!.text;
    this.punct('(');
    const args: Argument[] = [];
    this.nest(() => {
      if (this.isPunct(')')) return;
      while (true) {
        const apos = this.pos();
        let argName: string | undefined;
        if (this.tok.kind === 'ident' && this.tokens[this.i + 1]?.text === '=' && /^[a-z]/.test(this.tok.text)) {
          argName = this.tok.text;
          this.i += 2;
        } else if (args.some((a) => a.name !== undefined)) {
          this.fatal('positional arguments cannot follow named ones');
        }
        args.push({ name: argName, value: this.value(), pos: apos });
        if (!this.isPunct(',')) break;
        this.i++;
      }
    });
    this.punct(')');
    return { kind: 'call', name, args, keys: this.keys(), pos };
  }
}

/** Parses one condition; throws OttlError (stage 'parse') with the line and column. */
export function parseCondition(text: string): BoolNode {
  return new Parser(tokenize(text)).parse();
}
