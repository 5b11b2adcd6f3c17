// TraceQL lexer: Tempo's token rules (Go text/scanner plus its hand-written attribute layer).
// Attribute names run to whitespace or a delimiter and may contain quoted segments; numbers
// followed by unit letters become durations only if they parse as Prometheus or Go durations;
// `//` and `/* */` comments are skipped. Positions are 1-based line and column (code points).
import { TraceQLError } from './errors.js';
import { parseDurationText } from './duration.js';

export type TokenKind =
  | 'punct' // operators and punctuation, `text` holds the operator
  | 'ident' // a bare word (keyword or not; the parser decides)
  | 'attr' // an attribute reference: scope + name
  | 'scoped' // a scoped intrinsic `scope:word`
  | 'int'
  | 'float'
  | 'duration'
  | 'string'
  | 'eof';

export type AttrScope = 'span' | 'resource' | 'event' | 'link' | 'instrumentation' | 'none';

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  column: number;
  /** int: bigint; float: number; duration: bigint nanoseconds; string: UTF-8 bytes. */
  value?: bigint | number | Uint8Array;
  /** For 'attr': the scope, whether `parent.` preceded it, and the name. */
  scope?: AttrScope;
  parent?: boolean;
  name?: string;
}

const PUNCT = new Set([
  '{', '}', '(', ')', ',', '|',
  '=', '!=', '>', '>=', '<', '<=', '=~', '!~',
  '+', '-', '*', '/', '%', '^',
  '&&', '||', '!',
  '>>', '<<', '~', '!>', '!<', '!>>', '!<<', '&>', '&<', '&>>', '&<<', '&~',
]);
// Prefixes that are not tokens themselves but lead to one (`&` alone is not a token).
const PUNCT_PREFIX = new Set(['&']);

const ATTR_END = new Set(['{', '}', '(', ')', '=', '~', '!', '<', '>', '&', '|', '^', ',']);
const UNIT_CHARS = /[0-9.nsuµμmhdwy]/;
const SCOPES: Record<string, AttrScope> = { span: 'span', resource: 'resource', event: 'event', link: 'link', instrumentation: 'instrumentation' };
const INTRINSIC_SCOPES = new Set(['span', 'trace', 'event', 'link', 'instrumentation']);
/** Longest query accepted (characters); Tempo's own limits are in the same range. */
export const MAX_QUERY_LENGTH = 128 * 1024;

const enc = new TextEncoder();

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /\p{L}/u.test(c));
}
function isIdentPart(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /[\p{L}\p{Nd}]/u.test(c));
}

export class Lexer {
  private readonly chars: string[];
  private i = 0;
  private line = 1;
  private col = 1;

  constructor(text: string) {
    this.chars = Array.from(text);
  }

  private peek(k = 0): string | undefined {
    return this.chars[this.i + k];
  }

  private advance(): string {
    const c = this.chars[this.i++]!;
    if (c === '\n') {
      this.line++;
      this.col = 1;
    } else {
      this.col++;
    }
    return c;
  }

  private error(msg: string, line = this.line, column = this.col): TraceQLError {
    return new TraceQLError(msg, line, column, 'parse');
  }

  /** Every token of the text, ending with one 'eof'. */
  tokenize(): Token[] {
    const out: Token[] = [];
    for (;;) {
      const t = this.next();
      out.push(t);
      if (t.kind === 'eof') return out;
    }
  }

  private skipSpaceAndComments(): void {
    for (;;) {
      const c = this.peek();
      if (c !== undefined && isSpace(c)) {
        this.advance();
      } else if (c === '/' && this.peek(1) === '/') {
        while (this.peek() !== undefined && this.peek() !== '\n') this.advance();
      } else if (c === '/' && this.peek(1) === '*') {
        const line = this.line;
        const column = this.col;
        this.advance();
        this.advance();
        for (;;) {
          if (this.peek() === undefined) throw this.error('comment not terminated', line, column);
          if (this.peek() === '*' && this.peek(1) === '/') {
            this.advance();
            this.advance();
            break;
          }
          this.advance();
        }
      } else {
        return;
      }
    }
  }

  next(): Token {
    this.skipSpaceAndComments();
    const line = this.line;
    const column = this.col;
    const c = this.peek();
    const tok = (kind: TokenKind, text: string, extra: Partial<Token> = {}): Token => ({ kind, text, line, column, ...extra });
    if (c === undefined) return tok('eof', '');
    if (c === '"' || c === '`') return tok('string', c, { value: this.readString() });
    if (c === "'") throw this.error("single quotes are not string delimiters; use \"…\" or `…`");
    if (isDigit(c) || (c === '.' && isDigit(this.peek(1)))) return this.readNumber(line, column);
    if (c === '.') {
      this.advance();
      return this.readAttribute('none', false, line, column);
    }
    if (isIdentStart(c)) {
      let word = '';
      while (isIdentPart(this.peek())) word += this.advance();
      const nextC = this.peek();
      if (nextC === '.' && (word in SCOPES || word === 'parent' || word === 'trace')) {
        if (word === 'trace') throw this.error('"trace." is not an attribute scope (trace has only intrinsics: trace:id, trace:duration, trace:rootName, trace:rootService)', line, column);
        this.advance();
        if (word === 'parent') {
          // parent.span.x, parent.resource.x and parent.x all parse; validation rejects them.
          const save = { i: this.i, line: this.line, col: this.col };
          let scopeWord = '';
          while (isIdentPart(this.peek())) scopeWord += this.advance();
          if ((scopeWord === 'span' || scopeWord === 'resource') && this.peek() === '.') {
            this.advance();
            return this.readAttribute(SCOPES[scopeWord]!, true, line, column);
          }
          this.i = save.i;
          this.line = save.line;
          this.col = save.col;
          return this.readAttribute('none', true, line, column);
        }
        return this.readAttribute(SCOPES[word]!, false, line, column);
      }
      if (nextC === ':' && INTRINSIC_SCOPES.has(word)) {
        this.advance();
        let name = '';
        while (isIdentPart(this.peek())) name += this.advance();
        if (!name) throw this.error(`expected an intrinsic name after "${word}:"`);
        return tok('scoped', `${word}:${name}`);
      }
      return tok('ident', word);
    }
    // Operators: extend while the longer text is still a token (or a prefix of one).
    let text = this.advance();
    while (this.peek() !== undefined && (PUNCT.has(text + this.peek()) || PUNCT_PREFIX.has(text + this.peek()))) text += this.advance();
    if (!PUNCT.has(text)) throw this.error(`unexpected character ${JSON.stringify(text)}`, line, column);
    return tok('punct', text);
  }

  private readAttribute(scope: AttrScope, parent: boolean, line: number, column: number): Token {
    let name = '';
    let raw = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined || isSpace(c) || ATTR_END.has(c)) break;
      if (c === '"') {
        const qLine = this.line;
        const qCol = this.col;
        this.advance();
        raw += '"';
        for (;;) {
          const d = this.peek();
          if (d === undefined || d === '\n') throw this.error('unterminated quoted attribute name', qLine, qCol);
          this.advance();
          raw += d;
          if (d === '"') break;
          if (d === '\\') {
            const e = this.peek();
            if (e !== '"' && e !== '\\') throw this.error('invalid escape sequence in quoted attribute name (only \\" and \\\\ are allowed)');
            this.advance();
            raw += e;
            name += e;
            continue;
          }
          name += d;
        }
        continue;
      }
      name += this.advance();
      raw += c;
    }
    if (!raw) throw this.error('expected an attribute name after "."', this.line, this.col);
    const prefix = (parent ? 'parent.' : '') + (scope === 'none' ? '.' : scope + '.');
    return { kind: 'attr', text: prefix + raw, line, column, scope, parent, name };
  }

  private readNumber(line: number, column: number): Token {
    const start = this.i;
    const startLine = this.line;
    const startCol = this.col;
    let text = '';
    let isFloat = false;
    while (isDigit(this.peek()) || this.peek() === '_') text += this.advance();
    // Go's scanner reads 0x10 and 1_000 as single (then unparseable) numbers.
    if (text === '0' && (this.peek() === 'x' || this.peek() === 'X' || this.peek() === 'b' || this.peek() === 'B' || this.peek() === 'o' || this.peek() === 'O')) {
      text += this.advance();
      while (this.peek() !== undefined && /[0-9a-fA-F_]/.test(this.peek()!)) text += this.advance();
      throw this.error(`invalid number ${JSON.stringify(text)}: only decimal integers and floats are allowed`, line, column);
    }
    if (this.peek() === '.') {
      isFloat = true;
      text += this.advance();
      while (isDigit(this.peek()) || this.peek() === '_') text += this.advance();
    }
    if ((this.peek() === 'e' || this.peek() === 'E') && (isDigit(this.peek(1)) || ((this.peek(1) === '+' || this.peek(1) === '-') && isDigit(this.peek(2))))) {
      isFloat = true;
      text += this.advance();
      if (this.peek() === '+' || this.peek() === '-') text += this.advance();
      while (isDigit(this.peek())) text += this.advance();
    }
    if (text.includes('_')) throw this.error(`invalid number ${JSON.stringify(text)}: digit separators are not allowed`, line, column);
    // A duration: the number run on with unit letters, as long as the whole run parses.
    if (this.peek() !== undefined && /[nsuµμmhdwy]/.test(this.peek()!)) {
      let j = start;
      let run = '';
      while (j < this.chars.length && UNIT_CHARS.test(this.chars[j]!)) run += this.chars[j++];
      const ns = parseDurationText(run);
      if (ns !== undefined) {
        this.i = start;
        this.line = startLine;
        this.col = startCol;
        for (let k = 0; k < Array.from(run).length; k++) this.advance();
        return { kind: 'duration', text: run, line, column, value: ns };
      }
    }
    if (isFloat) return { kind: 'float', text, line, column, value: Number(text) };
    const v = BigInt(text);
    if (v > 0x7fffffffffffffffn) throw this.error(`integer ${text} out of range (use maxInt for 2^63-1, minInt for -2^63)`, line, column);
    return { kind: 'int', text, line, column, value: v };
  }

  /** A "…" (Go escapes) or `…` (raw) string, as UTF-8 bytes (escapes may make invalid UTF-8). */
  private readString(): Uint8Array {
    const line = this.line;
    const column = this.col;
    const quote = this.advance();
    const bytes: number[] = [];
    const pushText = (s: string) => {
      for (const b of enc.encode(s)) bytes.push(b);
    };
    if (quote === '`') {
      for (;;) {
        const c = this.peek();
        if (c === undefined) throw this.error('raw string literal not terminated', line, column);
        this.advance();
        if (c === '`') return Uint8Array.from(bytes);
        if (c !== '\r') pushText(c);
      }
    }
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '\n') throw this.error('string literal not terminated', line, column);
      this.advance();
      if (c === '"') return Uint8Array.from(bytes);
      if (c !== '\\') {
        pushText(c);
        continue;
      }
      const escLine = this.line;
      const escCol = this.col - 1;
      const e = this.peek();
      if (e === undefined) throw this.error('string literal not terminated', line, column);
      this.advance();
      const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
      if (e in simple) {
        bytes.push(simple[e]!);
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        let hex = '';
        for (let k = 0; k < n; k++) {
          const h = this.peek();
          if (h === undefined || !/[0-9a-fA-F]/.test(h)) throw this.error(`invalid escape sequence \\${e}${hex}: expected ${n} hex digits`, escLine, escCol);
          hex += this.advance();
        }
        const v = parseInt(hex, 16);
        if (e === 'x') {
          bytes.push(v);
        } else {
          if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw this.error(`invalid escape sequence \\${e}${hex}: not a Unicode code point`, escLine, escCol);
          pushText(String.fromCodePoint(v));
        }
      } else if (e >= '0' && e <= '7') {
        let oct = e;
        for (let k = 0; k < 2; k++) {
          const o = this.peek();
          if (o === undefined || o < '0' || o > '7') throw this.error(`invalid escape sequence \\${oct}: expected 3 octal digits`, escLine, escCol);
          oct += this.advance();
        }
        const v = parseInt(oct, 8);
        if (v > 255) throw this.error(`invalid escape sequence \\${oct}: octal value over 255`, escLine, escCol);
        bytes.push(v);
      } else {
        throw this.error(`invalid escape sequence \\${e}`, escLine, escCol);
      }
    }
  }
}

export function tokenize(text: string): Token[] {
  if (text.length > MAX_QUERY_LENGTH) throw new TraceQLError(`query too long: ${text.length} characters (limit ${MAX_QUERY_LENGTH})`, 1, 1, 'parse');
  return new Lexer(text).tokenize();
}
