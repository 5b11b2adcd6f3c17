// RE2 / Go regexp syntax → a small tree. Patterns are user input: every construct Go rejects is
// rejected here with Go's wording (`missing closing ]`, `invalid escape sequence`, …), repetition
// counts are capped at 1000 and nesting at 1000 like Go, and nothing here backtracks. Capturing
// groups are numbered from 1 in the order of their opening parenthesis, as in Go; greediness is
// kept because it decides where a match ends (and (?U) swaps it, as in Go).
import { unicodeClass, foldOrbit } from './unicode.js';

export class RegexSyntaxError extends Error {
  override name = 'RegexSyntaxError';
}

/** A set of code points as sorted, non-overlapping, non-adjacent [lo, hi] ranges. */
export type RuneSet = number[]; // flat: lo0, hi0, lo1, hi1, …

export type Node =
  | { t: 'empty' }
  | { t: 'set'; set: RuneSet } // one code point from the set
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; min: number; max: number; greedy: boolean; item: Node } // max -1 = unbounded
  | { t: 'assert'; kind: AssertKind }
  | { t: 'capture'; index: number; name: string; item: Node }; // name '' when unnamed

export type AssertKind = 'beginText' | 'endText' | 'beginLine' | 'endLine' | 'wordBoundary' | 'notWordBoundary';

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const MAX_REPEAT = 1000;
const MAX_NESTING = 1000;
export const MAX_RUNE = 0x10ffff;

// ---------------------------------------------------------------------------------------------
// Rune sets

export function normalize(ranges: [number, number][]): RuneSet {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[] = [];
  for (const [lo, hi] of ranges) {
    if (out.length && lo <= out[out.length - 1]! + 1) {
      if (hi > out[out.length - 1]!) out[out.length - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

export function toPairs(s: RuneSet): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < s.length; i += 2) out.push([s[i]!, s[i + 1]!]);
  return out;
}

export function negate(s: RuneSet): RuneSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < s.length; i += 2) {
    if (s[i]! > next) out.push(next, s[i]! - 1);
    next = s[i + 1]! + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

function addFold(s: RuneSet): RuneSet {
  const ranges = toPairs(s);
  const extra: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    // Folding only matters for cased letters; cap the work on huge ranges by skipping runs
    // that contain no cased characters (foldOrbit returns [] fast for those).
    for (let c = lo; c <= hi; c++) {
      for (const f of foldOrbit(c)) extra.push([f, f]);
      if (c > 0x1e943) break; // no case folding beyond the last cased code point
    }
  }
  return normalize([...ranges, ...extra]);
}

const PERL: Record<string, [number, number][]> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

const POSIX: Record<string, [number, number][]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

// ---------------------------------------------------------------------------------------------
// Parser

class RegexParser {
  private readonly cps: number[];
  private i = 0;
  private depth = 0;
  /** Names of the capturing groups so far, in order ('' for an unnamed group). */
  readonly groupNames: string[] = [];

  constructor(private readonly src: string) {
    this.cps = Array.from(src, (c) => c.codePointAt(0)!);
  }

  private fail(msg: string, arg: string): never {
    throw new RegexSyntaxError(`${msg}: \`${arg}\``);
  }

  private peek(k = 0): number | undefined {
    return this.cps[this.i + k];
  }

  private rest(from: number): string {
    return String.fromCodePoint(...this.cps.slice(from));
  }

  parse(): Node {
    const flags: Flags = { i: false, m: false, s: false, U: false };
    const n = this.parseAlt(flags);
    if (this.i < this.cps.length) this.fail('unexpected )', this.src);
    return n;
  }

  private parseAlt(flags: Flags): Node {
    const items: Node[] = [this.parseCat(flags)];
    while (this.peek() === 0x7c /* | */) {
      this.i++;
      items.push(this.parseCat(flags));
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private parseCat(flags: Flags): Node {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === 0x7c || c === 0x29 /* ) */) break;
      const start = this.i;
      let atom = this.parseAtom(flags);
      if (atom === null) continue; // a flag group like (?i) changes flags, adds nothing
      atom = this.parseRepeat(atom, start, flags);
      items.push(atom);
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  private parseRepeat(atom: Node, start: number, flags: Flags): Node {
    let repeated = false;
    for (;;) {
      const c = this.peek();
      const opStart = this.i;
      let min: number;
      let max: number;
      if (c === 0x2a /* * */) {
        min = 0;
        max = -1;
        this.i++;
      } else if (c === 0x2b /* + */) {
        min = 1;
        max = -1;
        this.i++;
      } else if (c === 0x3f /* ? */) {
        min = 0;
        max = 1;
        this.i++;
      } else if (c === 0x7b /* { */) {
        const r = this.tryBraces();
        if (!r) return atom;
        [min, max] = r;
        if (min > MAX_REPEAT || max > MAX_REPEAT || (max !== -1 && max < min)) this.fail('invalid repeat count', this.rest(opStart).slice(0, this.i - opStart));
      } else {
        return atom;
      }
      let greedy = !flags.U;
      if (this.peek() === 0x3f) {
        this.i++;
        greedy = !greedy;
      }
      if (repeated) this.fail('invalid nested repetition operator', String.fromCodePoint(...this.cps.slice(start, this.i)).slice(-2 - (this.i - opStart - 1)));
      repeated = true;
      atom = { t: 'rep', min, max, greedy, item: atom };
    }
  }

  /** `{n}`, `{n,}`, `{n,m}` at the cursor, or null (then `{` is a literal). */
  private tryBraces(): [number, number] | null {
    const save = this.i;
    this.i++;
    const num = (): number | null => {
      const s = this.i;
      while (this.peek() !== undefined && this.peek()! >= 0x30 && this.peek()! <= 0x39) this.i++;
      if (this.i === s) return null;
      const text = String.fromCodePoint(...this.cps.slice(s, this.i));
      return text.length > 8 ? MAX_REPEAT + 1 : Number(text);
    };
    const min = num();
    if (min === null) {
      this.i = save;
      return null;
    }
    let max = min;
    if (this.peek() === 0x2c) {
      this.i++;
      if (this.peek() === 0x7d) {
        max = -1;
      } else {
        const m = num();
        if (m === null) {
          this.i = save;
          return null;
        }
        max = m;
      }
    }
    if (this.peek() !== 0x7d) {
      this.i = save;
      return null;
    }
    this.i++;
    return [min, max];
  }

  private literal(c: number, flags: Flags): Node {
    const set: RuneSet = [c, c];
    return { t: 'set', set: flags.i ? addFold(set) : set };
  }

  private parseAtom(flags: Flags): Node | null {
    const c = this.peek()!;
    const start = this.i;
    switch (c) {
      case 0x28 /* ( */:
        return this.parseGroup(flags);
      case 0x5b /* [ */:
        return this.parseClass(flags);
      case 0x2e /* . */:
        this.i++;
        return { t: 'set', set: flags.s ? [0, MAX_RUNE] : [0, 0x09, 0x0b, MAX_RUNE] };
      case 0x5e /* ^ */:
        this.i++;
        return { t: 'assert', kind: flags.m ? 'beginLine' : 'beginText' };
      case 0x24 /* $ */:
        this.i++;
        return { t: 'assert', kind: flags.m ? 'endLine' : 'endText' };
      case 0x2a:
      case 0x2b:
      case 0x3f:
        this.fail('missing argument to repetition operator', String.fromCodePoint(c));
        break;
      case 0x7b /* { */: {
        const save = this.i;
        if (this.tryBraces()) {
          this.fail('missing argument to repetition operator', String.fromCodePoint(...this.cps.slice(save, this.i)));
        }
        this.i = save + 1;
        return this.literal(c, flags);
      }
      case 0x5c /* \ */:
        return this.parseEscapeAtom(flags, start);
    }
    this.i++;
    return this.literal(c, flags);
  }

  private parseGroup(flags: Flags): Node | null {
    const start = this.i;
    this.i++;
    if (++this.depth > MAX_NESTING) this.fail('expression nests too deeply', this.src.slice(0, 20));
    let inner: Flags = { ...flags };
    // A plain group captures; so does a named one; (?flags:…) does not.
    let captureName: string | null = '';
    if (this.peek() === 0x3f /* ? */) {
      captureName = null;
      this.i++;
      const c = this.peek();
      if (c === 0x50 /* P */ || c === 0x3c /* < */) {
        if (c === 0x50) {
          this.i++;
          if (this.peek() !== 0x3c) this.fail('invalid or unsupported Perl syntax', this.rest(start).slice(0, 4));
        }
        this.i++;
        const nameStart = this.i;
        while (this.peek() !== undefined && this.peek() !== 0x3e) this.i++;
        if (this.peek() === undefined) this.fail('invalid named capture', this.rest(start));
        const name = String.fromCodePoint(...this.cps.slice(nameStart, this.i));
        if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail('invalid named capture', String.fromCodePoint(...this.cps.slice(start, this.i + 1)));
        this.i++;
        captureName = name; // Go allows a name twice (SubexpIndex then means the leftmost)
      } else {
        // Flags: (?flags) or (?flags:re)
        let neg = false;
        let sawFlag = false;
        for (;;) {
          const f = this.peek();
          if (f === undefined) this.fail('missing closing )', this.src);
          this.i++;
          if (f === 0x69 || f === 0x6d || f === 0x73 || f === 0x55) {
            const key = String.fromCodePoint(f) as keyof Flags;
            inner = { ...inner, [key]: !neg };
            sawFlag = true;
            continue;
          }
          if (f === 0x2d /* - */) {
            if (neg) this.fail('invalid or unsupported Perl syntax', String.fromCodePoint(...this.cps.slice(start, this.i)));
            neg = true;
            sawFlag = false;
            continue;
          }
          if (f === 0x29 /* ) */ || f === 0x3a /* : */) {
            if ((neg && !sawFlag) || (f === 0x29 && this.i - start === 3)) this.fail('invalid or unsupported Perl syntax', String.fromCodePoint(...this.cps.slice(start, this.i)));
            if (f === 0x29) {
              Object.assign(flags, inner);
              this.depth--;
              return null;
            }
            break;
          }
          this.fail('invalid or unsupported Perl syntax', String.fromCodePoint(...this.cps.slice(start, this.i)));
        }
      }
    }
    let index = 0;
    if (captureName !== null) {
      this.groupNames.push(captureName);
      index = this.groupNames.length;
    }
    const node = this.parseAlt(inner);
    if (this.peek() !== 0x29) this.fail('missing closing )', this.src);
    this.i++;
    this.depth--;
    return captureName === null ? node : { t: 'capture', index, name: captureName, item: node };
  }

  private parseEscapeAtom(flags: Flags, start: number): Node {
    const c = this.peek(1);
    if (c === undefined) this.fail('trailing backslash at end of expression', '');
    switch (c) {
      case 0x41 /* A */:
        this.i += 2;
        return { t: 'assert', kind: 'beginText' };
      case 0x7a /* z */:
        this.i += 2;
        return { t: 'assert', kind: 'endText' };
      case 0x62 /* b */:
        this.i += 2;
        return { t: 'assert', kind: 'wordBoundary' };
      case 0x42 /* B */:
        this.i += 2;
        return { t: 'assert', kind: 'notWordBoundary' };
      case 0x51 /* Q */: {
        this.i += 2;
        const items: Node[] = [];
        while (this.i < this.cps.length) {
          if (this.peek() === 0x5c && this.peek(1) === 0x45 /* \E */) {
            this.i += 2;
            break;
          }
          items.push(this.literal(this.cps[this.i++]!, flags));
        }
        return items.length === 1 ? items[0]! : items.length ? { t: 'cat', items } : { t: 'empty' };
      }
    }
    const set = this.parseEscapeSet(flags, start);
    return { t: 'set', set };
  }

  /** An escape that denotes a set of runes (a char, \d, \pL, …); the cursor is on the backslash. */
  private parseEscapeSet(flags: Flags, start: number): RuneSet {
    this.i++;
    const c = this.cps[this.i++]!;
    const lower = String.fromCodePoint(c).toLowerCase();
    if ((c === 0x64 || c === 0x73 || c === 0x77 || c === 0x44 || c === 0x53 || c === 0x57) /* dswDSW */) {
      const base = normalize(PERL[lower]!.map((r) => [...r] as [number, number]));
      const s = flags.i ? addFold(base) : base;
      return c >= 0x61 ? s : negate(s);
    }
    if (c === 0x70 || c === 0x50 /* p P */) {
      let name: string;
      if (this.peek() === 0x7b) {
        const s = this.i + 1;
        while (this.peek() !== undefined && this.peek() !== 0x7d) this.i++;
        if (this.peek() === undefined) this.fail('invalid character class range', this.rest(start));
        name = String.fromCodePoint(...this.cps.slice(s, this.i));
        this.i++;
      } else {
        if (this.peek() === undefined) this.fail('invalid character class range', this.rest(start));
        name = String.fromCodePoint(this.cps[this.i++]!);
      }
      let neg = c === 0x50;
      if (name.startsWith('^')) {
        neg = !neg;
        name = name.slice(1);
      }
      const base = unicodeClass(name);
      if (!base) this.fail('invalid character class range', String.fromCodePoint(...this.cps.slice(start, this.i)));
      const s = flags.i ? addFold(base) : base;
      return neg ? negate(s) : s;
    }
    const one = (v: number): RuneSet => (flags.i ? addFold([v, v]) : [v, v]);
    switch (c) {
      case 0x61:
        return one(7);
      case 0x66:
        return one(12);
      case 0x74:
        return one(9);
      case 0x6e:
        return one(10);
      case 0x72:
        return one(13);
      case 0x76:
        return one(11);
      case 0x78 /* x */: {
        if (this.peek() === 0x7b) {
          const s = this.i + 1;
          this.i++;
          while (this.peek() !== undefined && /[0-9a-fA-F]/.test(String.fromCodePoint(this.peek()!))) this.i++;
          if (this.peek() !== 0x7d || this.i === s) this.fail('invalid escape sequence', String.fromCodePoint(...this.cps.slice(start, this.i + 1)));
          const v = parseInt(String.fromCodePoint(...this.cps.slice(s, this.i)), 16);
          this.i++;
          if (v > MAX_RUNE) this.fail('invalid escape sequence', String.fromCodePoint(...this.cps.slice(start, this.i)));
          return one(v);
        }
        const h = String.fromCodePoint(...this.cps.slice(this.i, this.i + 2));
        if (!/^[0-9a-fA-F]{2}$/.test(h)) this.fail('invalid escape sequence', String.fromCodePoint(...this.cps.slice(start, this.i + 2)));
        this.i += 2;
        return one(parseInt(h, 16));
      }
    }
    if (c >= 0x31 && c <= 0x37 && !(this.peek() !== undefined && this.peek()! >= 0x30 && this.peek()! <= 0x37)) {
      this.fail('invalid escape sequence', String.fromCodePoint(...this.cps.slice(start, this.i)));
    }
    if (c >= 0x30 && c <= 0x37) {
      let v = c - 0x30;
      for (let k = 0; k < 2 && this.peek() !== undefined && this.peek()! >= 0x30 && this.peek()! <= 0x37; k++) v = v * 8 + (this.cps[this.i++]! - 0x30);
      return one(v);
    }
    if (c < 0x80 && !/[0-9A-Za-z]/.test(String.fromCodePoint(c))) return one(c);
    this.fail('invalid escape sequence', String.fromCodePoint(...this.cps.slice(start, this.i)));
  }

  private parseClass(flags: Flags): Node {
    const start = this.i;
    this.i++;
    let neg = false;
    if (this.peek() === 0x5e) {
      neg = true;
      this.i++;
    }
    const ranges: [number, number][] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('missing closing ]', this.rest(start));
      if (c === 0x5d && !first) {
        this.i++;
        break;
      }
      first = false;
      // [:alpha:]
      if (c === 0x5b && this.peek(1) === 0x3a) {
        const end = this.cps.indexOf(0x3a, this.i + 2);
        if (end > 0 && this.cps[end + 1] === 0x5d) {
          let name = String.fromCodePoint(...this.cps.slice(this.i + 2, end));
          let pneg = false;
          if (name.startsWith('^')) {
            pneg = true;
            name = name.slice(1);
          }
          const cls = POSIX[name];
          if (!cls) this.fail('invalid character class range', String.fromCodePoint(...this.cps.slice(this.i, end + 2)));
          let s = normalize(cls.map((r) => [...r] as [number, number]));
          if (flags.i) s = addFold(s);
          if (pneg) s = negate(s);
          ranges.push(...toPairs(s));
          this.i = end + 2;
          continue;
        }
      }
      const itemStart = this.i;
      let lo: number;
      if (c === 0x5c) {
        const p1 = this.peek(1);
        if (p1 !== undefined && 'dswDSWpP'.includes(String.fromCodePoint(p1))) {
          ranges.push(...toPairs(this.parseEscapeSet(flags, this.i)));
          continue;
        }
        const s = this.parseEscapeSet({ ...flags, i: false }, this.i);
        if (s.length !== 2 || s[0] !== s[1]) this.fail('invalid escape sequence', String.fromCodePoint(...this.cps.slice(itemStart, this.i)));
        lo = s[0]!;
      } else {
        lo = c;
        this.i++;
      }
      let hi = lo;
      if (this.peek() === 0x2d && this.peek(1) !== undefined && this.peek(1) !== 0x5d) {
        this.i++;
        const d = this.peek()!;
        if (d === 0x5c) {
          const s = this.parseEscapeSet({ ...flags, i: false }, this.i);
          if (s.length !== 2 || s[0] !== s[1]) this.fail('invalid character class range', String.fromCodePoint(...this.cps.slice(itemStart, this.i)));
          hi = s[0]!;
        } else {
          hi = d;
          this.i++;
        }
        if (hi < lo) this.fail('invalid character class range', String.fromCodePoint(...this.cps.slice(itemStart, this.i)));
      }
      let s = normalize([[lo, hi]]);
      if (flags.i) s = addFold(s);
      ranges.push(...toPairs(s));
    }
    let set = normalize(ranges);
    if (neg) set = negate(set);
    return { t: 'set', set };
  }
}

export function parseRegex(pattern: string): Node {
  return new RegexParser(pattern).parse();
}

/** The tree and the names of its capturing groups in order ('' for an unnamed group). */
export function parseRegexGroups(pattern: string): { tree: Node; groupNames: string[] } {
  const parser = new RegexParser(pattern);
  const tree = parser.parse();
  return { tree, groupNames: parser.groupNames };
}
