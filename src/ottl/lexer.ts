// OTTL lexer: the collector's token rules (pkg/ottl's grammar: bytes 0x…, floats, ints, Go-quoted
// strings, `not`/`and`/`or` and true/false as whole words, comparison and math operators,
// upper-case words for enums and converter names, lower-case words for paths). Two deliberate
// differences: an identifier is one token whatever its case mix (the collector glues
// upper/lower-case runs together; the parser checks the shape it needs), and a sign directly
// before a digit belongs to the number only where an operand is expected, so `x -1` is
// subtraction (the collector lexes `-1` as a number there and fails to parse). Positions are
// 1-based line and column in code points.
import { OttlError } from './errors.js';
import type { Pos } from './errors.js';

export type TokenKind =
  | 'punct' // operators and punctuation; `text` holds them
  | 'ident' // a word: keyword, path segment, enum or converter name (the parser decides)
  | 'int'
  | 'float'
  | 'string'
  | 'bytes'
  | 'eof';

export interface Token extends Pos {
  readonly kind: TokenKind;
  readonly text: string;
  /** int: bigint; float: number; string and bytes: the bytes. */
  readonly value?: bigint | number | Uint8Array;
}

const PUNCT2 = new Set(['==', '!=', '>=', '<=']);
const PUNCT1 = new Set(['<', '>', '+', '-', '*', '/', '(', ')', '[', ']', '{', '}', ',', '.', ':', '=']);
/** Longest condition accepted (code points). */
export const MAX_CONDITION_LENGTH = 64 * 1024;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isWordStart = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z_]$/.test(c);
const isWord = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_]$/.test(c);
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

const enc = new TextEncoder();

/** Tokens after which a value has ended: a sign that follows is an operator. */
function endsOperand(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'int' || t.kind === 'float' || t.kind === 'string' || t.kind === 'bytes' || t.kind === 'ident') return !['and', 'or', 'not'].includes(t.text);
  return t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}');
}

export function tokenize(text: string): Token[] {
  const chars = Array.from(text);
  if (chars.length > MAX_CONDITION_LENGTH) throw new OttlError(`condition too long: ${chars.length} characters, at most ${MAX_CONDITION_LENGTH}`, 1, 1, 'parse');
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const advance = (n = 1): void => {
    for (let k = 0; k < n; k++) {
      if (chars[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  const err = (reason: string, l = line, c = col): OttlError => new OttlError(reason, l, c, 'parse');
  while (i < chars.length) {
    const c = chars[i]!;
    if (isSpace(c)) {
      advance();
      continue;
    }
    const start = { line, column: col };
    const begin = i;
    // Bytes: 0x followed by hex digits (an even number of them).
    if (c === '0' && (chars[i + 1] === 'x' || chars[i + 1] === 'X') && isHex(chars[i + 2])) {
      if (chars[i + 1] === 'X') throw err('byte slices are written 0x… (lower-case x)');
      let j = i + 2;
      while (isHex(chars[j])) j++;
      const hex = chars.slice(i + 2, j).join('');
      if (hex.length % 2) throw err(`invalid byte slice 0x${hex}: an odd number of hex digits`);
      const bytes = new Uint8Array(hex.length / 2);
      for (let k = 0; k < bytes.length; k++) bytes[k] = parseInt(hex.slice(k * 2, k * 2 + 2), 16);
      advance(j - i);
      out.push({ kind: 'bytes', text: chars.slice(begin, i).join(''), value: bytes, ...start });
      continue;
    }
    // Numbers, with a sign only where an operand is expected.
    const signed = (c === '-' || c === '+') && !endsOperand(out[out.length - 1]);
    const n0 = signed ? i + 1 : i;
    if (isDigit(chars[n0]) || (chars[n0] === '.' && isDigit(chars[n0 + 1]))) {
      let j = n0;
      while (isDigit(chars[j])) j++;
      let isFloat = false;
      if (chars[j] === '.' && isDigit(chars[j + 1])) {
        isFloat = true;
        j++;
        while (isDigit(chars[j])) j++;
        if ((chars[j] === 'e' || chars[j] === 'E') && (isDigit(chars[j + 1]) || ((chars[j + 1] === '+' || chars[j + 1] === '-') && isDigit(chars[j + 2])))) {
          j += 2;
          while (isDigit(chars[j])) j++;
        }
      }
      const literal = chars.slice(i, j).join('');
      advance(j - i);
      if (isFloat) {
        out.push({ kind: 'float', text: literal, value: Number(literal), ...start });
      } else {
        const v = BigInt(literal);
        if (v < I64_MIN || v > I64_MAX) throw err(`integer ${literal} is out of the int64 range`, start.line, start.column);
        out.push({ kind: 'int', text: literal, value: v, ...start });
      }
      continue;
    }
    if (c === '"') {
      const [bytes, end] = unquote(chars, i, start);
      advance(end - i);
      out.push({ kind: 'string', text: chars.slice(begin, i).join(''), value: bytes, ...start });
      continue;
    }
    if (isWordStart(c)) {
      let j = i;
      while (isWord(chars[j])) j++;
      const word = chars.slice(i, j).join('');
      advance(j - i);
      out.push({ kind: 'ident', text: word, ...start });
      continue;
    }
    const two = c + (chars[i + 1] ?? '');
    if (PUNCT2.has(two)) {
      advance(2);
      out.push({ kind: 'punct', text: two, ...start });
      continue;
    }
    if (PUNCT1.has(c)) {
      advance();
      out.push({ kind: 'punct', text: c, ...start });
      continue;
    }
    if (c === '!') throw err('unexpected "!" (negate with `not`; "not equal" is `!=`)');
    if (c === "'") throw err('strings are written in double quotes');
    throw err(`unexpected character ${JSON.stringify(c)}`);
  }
  out.push({ kind: 'eof', text: '', line, column: col });
  return out;
}

/**
 * A double-quoted string with Go's escapes (strconv.Unquote): \a \b \f \n \r \t \v \\ \" \xHH,
 * \ooo (octal, at most 255), \uHHHH and \UHHHHHHHH (valid Unicode scalar values). A raw newline
 * is not allowed. Returns the UTF-8 bytes and the index after the closing quote.
 */
function unquote(chars: string[], at: number, start: Pos): [Uint8Array, number] {
  const bytes: number[] = [];
  let i = at + 1;
  let line = start.line;
  let col = start.column + 1;
  const err = (reason: string): OttlError => new OttlError(reason, line, col, 'parse');
  const put = (s: string): void => {
    for (const b of enc.encode(s)) bytes.push(b);
  };
  while (true) {
    const c = chars[i];
    if (c === undefined) throw new OttlError('unterminated string (missing closing ")', start.line, start.column, 'parse');
    if (c === '"') return [Uint8Array.from(bytes), i + 1];
    if (c === '\n') throw err('newline in string (write \\n)');
    if (c !== '\\') {
      put(c);
      i++;
      col++;
      continue;
    }
    const e = chars[i + 1];
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
    if (e !== undefined && e in simple) {
      bytes.push(simple[e]!);
      i += 2;
      col += 2;
      continue;
    }
    if (e === 'x') {
      const h = chars.slice(i + 2, i + 4).join('');
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw err('invalid escape \\x: two hex digits must follow');
      bytes.push(parseInt(h, 16));
      i += 4;
      col += 4;
      continue;
    }
    if (e !== undefined && e >= '0' && e <= '7') {
      const o = chars.slice(i + 1, i + 4).join('');
      if (!/^[0-7]{3}$/.test(o)) throw err('invalid octal escape: three octal digits must follow \\');
      const v = parseInt(o, 8);
      if (v > 255) throw err(`invalid octal escape \\${o}: above \\377`);
      bytes.push(v);
      i += 4;
      col += 4;
      continue;
    }
    if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const h = chars.slice(i + 2, i + 2 + n).join('');
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw err(`invalid escape \\${e}: ${n} hex digits must follow`);
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw err(`invalid escape \\${e}${h}: not a Unicode scalar value`);
      put(String.fromCodePoint(cp));
      i += 2 + n;
      col += 2 + n;
      continue;
    }
    throw err(e === "'" ? "invalid escape \\' in a double-quoted string" : `invalid escape \\${e ?? ''}`);
  }
}
