// Compiles an RE2 pattern into the program the core's matcher runs (assembly/regex/, layout in
// assembly/abi/regex-layout.ts). Code points are first split into equivalence classes (runs of
// code points every character set of the pattern treats alike), then a Thompson NFA over those
// classes is built, and, when the pattern has no line or word assertions and the subset
// construction stays small, a DFA. Both run in time linear in the subject. The NFA has the shape
// Go's compiler gives it (after Go's simplification of repetitions), so that the Pike VM's thread
// priorities — and with them where a match starts and ends and what each group captured — are
// Go's leftmost-first answers.
import { parseRegex, parseRegexGroups, RegexSyntaxError, MAX_RUNE } from './syntax.js';
import type { Node, RuneSet, AssertKind } from './syntax.js';
import * as R from '../../assembly/abi/regex-layout.js';

export { RegexSyntaxError };

export interface RegexOptions {
  /** Match the whole subject (TraceQL's `=~`), or find a match anywhere in it (Go's MatchString). Default true. */
  anchored?: boolean;
  /** `.` matches `\n` too (TraceQL compiles patterns as `(?s:…)`). Default false. */
  dotAll?: boolean;
  /**
   * Compile the capturing groups, for submatch positions (Go's FindSubmatchIndex). Default false:
   * the program still finds where whole matches start and end, with fewer instructions.
   */
  captures?: boolean;
}

/** Largest NFA accepted (instructions); Go rejects similar sizes as "expression too large". */
export const MAX_PROGRAM = 50_000;
/** Largest DFA built ahead of time (states × classes); beyond it the core runs the NFA. */
export const MAX_DFA_CELLS = 1 << 18;

export interface CompiledRegex {
  pattern: string;
  anchored: boolean;
  /** The program bytes for the core. */
  program: Uint8Array;
  /** When the pattern is a finite set of literal strings (anchored only), those strings: a set lookup replaces the automaton. */
  literals: Uint8Array[] | null;
  usesDfa: boolean;
  /** Names of the capturing groups in order ('' for an unnamed group), compiled or not. */
  groupNames: readonly string[];
  /** Whether the program records the groups (RegexOptions.captures). */
  captures: boolean;
}

type Inst =
  | { op: 'consume'; set: RuneSet; next: number }
  | { op: 'split'; a: number; b: number }
  | { op: 'jmp'; a: number }
  | { op: 'assert'; kind: AssertKind; next: number }
  | { op: 'save'; slot: number; next: number }
  | { op: 'match' };

const ASSERT_CODE: Record<AssertKind, number> = {
  beginText: R.AS_BEGIN_TEXT,
  endText: R.AS_END_TEXT,
  beginLine: R.AS_BEGIN_LINE,
  endLine: R.AS_END_LINE,
  wordBoundary: R.AS_WORD_BOUNDARY,
  notWordBoundary: R.AS_NOT_WORD_BOUNDARY,
};

/** Whether `n` can match the empty string, as Go's compiler marks its fragments. */
function nullable(n: Node): boolean {
  switch (n.t) {
    case 'empty':
    case 'assert':
      return true;
    case 'set':
      return false;
    case 'cat':
      return n.items.every(nullable);
    case 'alt':
      return n.items.some(nullable);
    case 'capture':
      return nullable(n.item);
    case 'rep':
      return n.min === 0 || nullable(n.item);
  }
}

type RepOp = 'star' | 'plus' | 'quest';

function repOp(n: Node): RepOp | null {
  if (n.t !== 'rep') return null;
  if (n.max === -1) return n.min === 0 ? 'star' : n.min === 1 ? 'plus' : null;
  return n.min === 0 && n.max === 1 ? 'quest' : null;
}

class NfaBuilder {
  readonly insts: Inst[] = [];

  constructor(private readonly captures: boolean) {}

  private add(i: Inst): number {
    if (this.insts.length >= MAX_PROGRAM) throw new RegexSyntaxError('expression too large');
    this.insts.push(i);
    return this.insts.length - 1;
  }

  /** A split preferring `first`. */
  private split(first: number, second: number): number {
    return this.add({ op: 'split', a: first, b: second });
  }

  /** Emits `n` so that it continues at `next`; returns its entry point. Built back to front. */
  emit(n: Node, next: number): number {
    switch (n.t) {
      case 'empty':
        return next;
      case 'set':
        return this.add({ op: 'consume', set: n.set, next });
      case 'assert':
        return this.add({ op: 'assert', kind: n.kind, next });
      case 'capture': {
        if (!this.captures) return this.emit(n.item, next);
        const close = this.add({ op: 'save', slot: 2 * n.index + 1, next });
        return this.add({ op: 'save', slot: 2 * n.index, next: this.emit(n.item, close) });
      }
      case 'cat': {
        let entry = next;
        for (let k = n.items.length - 1; k >= 0; k--) entry = this.emit(n.items[k]!, entry);
        return entry;
      }
      case 'alt': {
        let entry = this.emit(n.items[n.items.length - 1]!, next);
        for (let k = n.items.length - 2; k >= 0; k--) {
          const a = this.emit(n.items[k]!, next);
          entry = this.split(a, entry);
        }
        return entry;
      }
      case 'rep':
        return this.emitRep(n, next);
    }
  }

  /** Repetitions as Go's simplifier rewrites them: x{n,} = x…x+, x{n,m} = x…x(x(x)?)?. */
  private emitRep(n: Extract<Node, { t: 'rep' }>, next: number): number {
    const { min, max, greedy, item } = n;
    if (max === 0) return next;
    const op = repOp(n);
    if (op === 'star') return this.star(item, greedy, next);
    if (op === 'plus') return this.plus(item, greedy, next);
    if (op === 'quest') return this.quest(item, greedy, next);
    let entry: number;
    if (max === -1) {
      entry = this.plus(item, greedy, next);
      for (let k = 1; k < min; k++) entry = this.emit(item, entry);
      return entry;
    }
    // The optional copies, innermost first: only that one is a bare x? (Go's simplify1 applies).
    entry = next;
    for (let k = min; k < max; k++) entry = k === min ? this.quest(item, greedy, next) : this.splitOptional(this.emit(item, entry), greedy, next);
    for (let k = 0; k < min; k++) entry = this.emit(item, entry);
    return entry;
  }

  /** Go's simplify1: x** = x*, x++ = x+, x?? = x? at the same greediness; the empty string repeated is itself. */
  private same(item: Node, op: RepOp, greedy: boolean): boolean {
    return item.t === 'rep' && item.greedy === greedy && repOp(item) === op;
  }

  private splitOptional(body: number, greedy: boolean, next: number): number {
    return greedy ? this.split(body, next) : this.split(next, body);
  }

  private quest(item: Node, greedy: boolean, next: number): number {
    if (item.t === 'empty' || this.same(item, 'quest', greedy)) return this.emit(item, next);
    return this.splitOptional(this.emit(item, next), greedy, next);
  }

  /** x followed by a split back into x (preferred when greedy) or on: Go's loop. */
  private loop(item: Node, greedy: boolean, next: number): { split: number; body: number } {
    const split = this.add({ op: 'split', a: next, b: next });
    const body = this.emit(item, split);
    const ins = this.insts[split] as { a: number; b: number };
    if (greedy) ins.a = body;
    else ins.b = body;
    return { split, body };
  }

  /** x+: enters at x. */
  private plus(item: Node, greedy: boolean, next: number): number {
    if (item.t === 'empty' || this.same(item, 'plus', greedy)) return this.emit(item, next);
    return this.loop(item, greedy, next).body;
  }

  /**
   * x*: enters at the split. When x can match empty, Go compiles (x+)? instead, so that an empty
   * iteration does not win over a longer one (golang.org/issue/46123).
   */
  private star(item: Node, greedy: boolean, next: number): number {
    if (item.t === 'empty' || this.same(item, 'star', greedy)) return this.emit(item, next);
    if (nullable(item)) return this.splitOptional(this.plus(item, greedy, next), greedy, next);
    return this.loop(item, greedy, next).split;
  }
}

/** Splits the code point space into classes; returns boundaries (class of [b_i, b_{i+1})) and per-set class lists. */
function classify(sets: RuneSet[]): { starts: number[]; classOf: number[]; k: number; members: number[][] } {
  const cuts = new Set<number>([0]);
  for (const s of sets) {
    for (let i = 0; i < s.length; i += 2) {
      cuts.add(s[i]!);
      if (s[i + 1]! + 1 <= MAX_RUNE) cuts.add(s[i + 1]! + 1);
    }
  }
  const starts = [...cuts].sort((a, b) => a - b);
  // Signature of each elementary interval: which sets contain it.
  const sigOf = starts.map(() => [] as number[]);
  sets.forEach((s, si) => {
    let j = 0;
    for (let i = 0; i < s.length; i += 2) {
      const lo = s[i]!;
      const hi = s[i + 1]!;
      while (j < starts.length && starts[j]! < lo) j++;
      let q = j;
      while (q < starts.length && starts[q]! <= hi) sigOf[q++]!.push(si);
    }
  });
  const ids = new Map<string, number>();
  const classOf = sigOf.map((sig) => {
    const key = sig.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  });
  const members: number[][] = sets.map(() => []);
  const seen = sets.map(() => new Set<number>());
  sigOf.forEach((sig, i) => {
    for (const si of sig) {
      const c = classOf[i]!;
      if (!seen[si]!.has(c)) {
        seen[si]!.add(c);
        members[si]!.push(c);
      }
    }
  });
  // Merge adjacent intervals of one class.
  const mStarts: number[] = [];
  const mClass: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    if (mClass.length && mClass[mClass.length - 1] === classOf[i]) continue;
    mStarts.push(starts[i]!);
    mClass.push(classOf[i]!);
  }
  return { starts: mStarts, classOf: mClass, k: ids.size, members };
}

/** The finite set of strings `n` matches, if it is small and assertion-free. */
function literalSet(n: Node, limit = 64): string[] | null {
  switch (n.t) {
    case 'empty':
      return [''];
    case 'set': {
      const out: string[] = [];
      for (let i = 0; i < n.set.length; i += 2) {
        for (let c = n.set[i]!; c <= n.set[i + 1]!; c++) {
          if (out.length >= 4) return null;
          out.push(String.fromCodePoint(c));
        }
      }
      return out;
    }
    case 'cat': {
      let acc = [''];
      for (const it of n.items) {
        const s = literalSet(it, limit);
        if (!s || acc.length * s.length > limit) return null;
        acc = acc.flatMap((a) => s.map((b) => a + b));
      }
      return acc;
    }
    case 'alt': {
      const out = new Set<string>();
      for (const it of n.items) {
        const s = literalSet(it, limit);
        if (!s) return null;
        for (const x of s) out.add(x);
        if (out.size > limit) return null;
      }
      return [...out];
    }
    case 'capture':
      return literalSet(n.item, limit);
    case 'rep':
      if (n.max === 1 && n.min <= 1) {
        const s = literalSet(n.item, limit);
        if (!s) return null;
        return n.min === 0 ? ['', ...s] : s;
      }
      return null;
    default:
      return null;
  }
}

/** ASCII bytes (1–127) that every match of `n` contains. */
function requiredAscii(n: Node): Set<number> {
  switch (n.t) {
    case 'set':
      return n.set.length === 2 && n.set[0] === n.set[1] && n.set[0]! > 0 && n.set[0]! < 128 ? new Set([n.set[0]!]) : new Set();
    case 'cat':
      return new Set(n.items.flatMap((it) => [...requiredAscii(it)]));
    case 'alt': {
      const [first, ...rest] = n.items.map(requiredAscii);
      return new Set([...first!].filter((b) => rest.every((r) => r.has(b))));
    }
    case 'capture':
      return requiredAscii(n.item);
    case 'rep':
      return n.min >= 1 ? requiredAscii(n.item) : new Set();
    default:
      return new Set();
  }
}

/** ASCII bytes roughly from most to least common in telemetry text (a guess; unlisted bytes are rarer still). */
const COMMON_BYTES = ' eatonisrlhdcupmgfybw.-/_:0123456789EATONISRLHDCUPMGFYBWvkxjqzVKXJQZ,=?&';

/**
 * Up to two required bytes, the likeliest to be missing first, packed low byte first: a subject
 * lacking one cannot match, which a byte scan finds out faster than any automaton.
 */
function requiredBytes(tree: Node): number {
  const rarity = (b: number) => {
    const at = COMMON_BYTES.indexOf(String.fromCharCode(b));
    return at < 0 ? COMMON_BYTES.length : at;
  };
  const bytes = [...requiredAscii(tree)].sort((a, b) => rarity(b) - rarity(a) || a - b).slice(0, 2);
  return bytes.reduce((packed, b, i) => packed | (b << (8 * i)), 0);
}

interface Dfa {
  trans: Uint32Array; // state * k + class → state
  flags: Uint8Array;
  start: number;
}

/**
 * Subset construction; null if the pattern needs context assertions or the DFA grows too big.
 * States are sorted sets of instructions (consume, match, and endText assertions resolved at the
 * end); the closure of a set is the union of its members' closures, so those are computed once
 * per instruction, and states are interned by a hash of their members.
 */
function buildDfa(insts: Inst[], start: number, k: number, members: Map<number, Set<number>>, anchored: boolean): Dfa | null {
  if (insts.some((i) => i.op === 'assert' && i.kind !== 'beginText' && i.kind !== 'endText')) return null;
  const n = insts.length;
  const seen = new Int32Array(n);
  let stamp = 0;
  // closure(seeds, atBegin): consume/match pcs reachable, plus endText asserts kept as members.
  const closure = (seeds: ArrayLike<number>, atBegin: boolean): Int32Array => {
    stamp++;
    const out: number[] = [];
    const stack: number[] = [];
    for (let i = seeds.length - 1; i >= 0; i--) stack.push(seeds[i]!);
    while (stack.length) {
      const pc = stack.pop()!;
      if (seen[pc] === stamp) continue;
      seen[pc] = stamp;
      const ins = insts[pc]!;
      switch (ins.op) {
        case 'consume':
        case 'match':
          out.push(pc);
          break;
        case 'jmp':
          stack.push(ins.a);
          break;
        case 'save':
          stack.push(ins.next);
          break;
        case 'split':
          stack.push(ins.b, ins.a);
          break;
        case 'assert':
          if (ins.kind === 'beginText') {
            if (atBegin) stack.push(ins.next);
          } else {
            out.push(pc); // endText: resolved at the end of the subject
          }
      }
    }
    return Int32Array.from(out).sort();
  };
  // At the end of the subject: follow endText assertions (and beginText ones too when nothing
  // was consumed, e.g. `$^` on an empty subject).
  const acceptsAtEnd = (pcs: Int32Array, atBegin: boolean): boolean => {
    stamp++;
    const stack = Array.from(pcs);
    while (stack.length) {
      const pc = stack.pop()!;
      if (seen[pc] === stamp) continue;
      seen[pc] = stamp;
      const ins = insts[pc]!;
      if (ins.op === 'match') return true;
      if (ins.op === 'assert' && (ins.kind === 'endText' || (atBegin && ins.kind === 'beginText'))) stack.push(ins.next);
      else if (ins.op === 'jmp') stack.push(ins.a);
      else if (ins.op === 'save') stack.push(ins.next);
      else if (ins.op === 'split') stack.push(ins.a, ins.b);
    }
    return false;
  };
  // Per consume instruction: its classes as a bitmap, and the closure of where it continues.
  const memberBits: (Uint8Array | undefined)[] = new Array(n);
  const after: Int32Array[] = new Array(n);
  for (const [pc, cls] of members) {
    const bits = new Uint8Array(k);
    for (const c of cls) bits[c] = 1;
    memberBits[pc] = bits;
    after[pc] = closure([(insts[pc] as { next: number }).next], false);
  }
  const loop = anchored ? new Int32Array(0) : closure([start], false);
  const ids = new Map<number, number[]>();
  const states: Int32Array[] = [];
  const initial: boolean[] = [];
  const same = (a: Int32Array, b: Int32Array) => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  const intern = (pcs: Int32Array, isInitial = false): number => {
    // The initial state is never shared: only there do beginText assertions hold.
    let h = isInitial ? 0x9e3779b9 : 0;
    for (let i = 0; i < pcs.length; i++) h = Math.imul(h ^ pcs[i]!, 0x01000193);
    const bucket = ids.get(h);
    if (bucket) for (const id of bucket) if (initial[id] === isInitial && same(states[id]!, pcs)) return id;
    const id = states.length;
    states.push(pcs);
    initial.push(isInitial);
    if (bucket) bucket.push(id);
    else ids.set(h, [id]);
    return id;
  };
  intern(new Int32Array(0)); // state 0: dead (anchored) — for unanchored it is "nothing pending" and still loops
  const s0 = intern(closure([start], true), true);
  const trans: number[] = [];
  const gather: number[] = [];
  for (let s = 0; s < states.length; s++) {
    if ((s + 1) * k > MAX_DFA_CELLS) return null;
    const pcs = states[s]!;
    for (let c = 0; c < k; c++) {
      stamp++;
      gather.length = 0;
      for (let i = 0; i < pcs.length; i++) {
        const bits = memberBits[pcs[i]!];
        if (!bits || !bits[c]) continue;
        const next = after[pcs[i]!]!;
        for (let j = 0; j < next.length; j++) {
          const pc = next[j]!;
          if (seen[pc] !== stamp) {
            seen[pc] = stamp;
            gather.push(pc);
          }
        }
      }
      for (let j = 0; j < loop.length; j++) {
        const pc = loop[j]!;
        if (seen[pc] !== stamp) {
          seen[pc] = stamp;
          gather.push(pc);
        }
      }
      trans.push(intern(Int32Array.from(gather).sort()));
    }
  }
  const flags = new Uint8Array(states.length);
  states.forEach((pcs, s) => {
    if (acceptsAtEnd(pcs, s === s0)) flags[s]! |= R.DFA_ACCEPT_AT_END;
    if (pcs.some((pc) => insts[pc]!.op === 'match')) flags[s]! |= R.DFA_MATCHING;
  });
  return { trans: Uint32Array.from(trans), flags, start: s0 };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const enc = new TextEncoder();

/** Compiles a pattern (UTF-8 bytes or text); throws RegexSyntaxError with Go's wording. */
export function compileRegex(pattern: Uint8Array | string, options: RegexOptions = {}): CompiledRegex {
  const anchored = options.anchored ?? true;
  let text: string;
  if (typeof pattern === 'string') {
    text = pattern;
  } else {
    try {
      text = utf8.decode(pattern);
    } catch {
      throw new RegexSyntaxError('invalid UTF-8');
    }
  }
  // The pattern alone first: errors must be about what the user wrote, and `(?s:` + text + `)`
  // must not let `text` close the group early.
  const captures = options.captures ?? false;
  const parsed = parseRegexGroups(text);
  const groupNames = parsed.groupNames;
  let tree = parsed.tree;
  if (options.dotAll) tree = parseRegex(`(?s:${text})`);
  const literals = anchored && !hasFold(text) ? literalSet(tree) : null;
  const b = new NfaBuilder(captures);
  const match = b.insts.length;
  b.insts.push({ op: 'match' });
  const start = b.emit(tree, match);
  const insts = b.insts;
  const consumeSets: RuneSet[] = [];
  const setIndex = new Map<number, number>();
  insts.forEach((ins, pc) => {
    if (ins.op === 'consume') {
      setIndex.set(pc, consumeSets.length);
      consumeSets.push(ins.set);
    }
  });
  const cls = classify(consumeSets);
  const members = new Map<number, Set<number>>();
  for (const [pc, si] of setIndex) members.set(pc, new Set(cls.members[si]!));
  const dfa = buildDfa(insts, start, cls.k, members, anchored);
  const capSlots = 2 * (1 + (captures ? groupNames.length : 0));
  const program = encodeProgram(insts, start, cls, members, dfa, anchored, capSlots, requiredBytes(tree));
  return {
    pattern: text,
    anchored,
    program,
    literals: literals ? literals.map((s) => enc.encode(s)) : null,
    usesDfa: dfa !== null,
    groupNames,
    captures,
  };
}

function hasFold(text: string): boolean {
  return text.includes('(?') && /\(\?[a-zA-Z-]*i/.test(text);
}

function encodeProgram(
  insts: Inst[], start: number, cls: ReturnType<typeof classify>, members: Map<number, Set<number>>, dfa: Dfa | null, anchored: boolean, capSlots: number, required: number,
): Uint8Array {
  const k = cls.k;
  const words = Math.ceil(k / 32);
  const nonAscii: [number, number][] = [];
  const ascii = new Uint16Array(128);
  for (let i = 0; i < cls.starts.length; i++) {
    const lo = cls.starts[i]!;
    const hi = i + 1 < cls.starts.length ? cls.starts[i + 1]! - 1 : MAX_RUNE;
    for (let c = lo; c <= Math.min(hi, 127); c++) ascii[c] = cls.classOf[i]!;
    if (hi >= 128) nonAscii.push([Math.max(lo, 128), cls.classOf[i]!]);
  }
  const consumeIdx = new Map<number, number>();
  let nSets = 0;
  insts.forEach((ins, pc) => {
    if (ins.op === 'consume') consumeIdx.set(pc, nSets++);
  });
  // Layout (byte offsets, 4-aligned).
  let off = R.RX_HEADER_SIZE;
  const asciiOff = off;
  off += 128 * 2;
  const rangesOff = off;
  off += nonAscii.length * 8;
  const instOff = off;
  off += insts.length * 12;
  const setsOff = off;
  off += nSets * words * 4;
  const dfaTransOff = off;
  if (dfa) off += dfa.trans.length * 4;
  const dfaFlagsOff = off;
  if (dfa) off += (dfa.flags.length + 3) & ~3;
  const buf = new Uint8Array(off);
  const dv = new DataView(buf.buffer);
  const u32 = (at: number, v: number) => dv.setUint32(at, v, true);
  u32(R.RX_MAGIC, R.RX_MAGIC_VALUE);
  const beginText = insts.some((i) => i.op === 'assert' && i.kind === 'beginText');
  u32(R.RX_FLAGS, (anchored ? R.RXF_ANCHORED : 0) | (dfa ? R.RXF_DFA : 0) | (beginText ? R.RXF_BEGIN_TEXT : 0));
  u32(R.RX_CLASSES, k);
  u32(R.RX_RANGE_COUNT, nonAscii.length);
  u32(R.RX_ASCII, asciiOff);
  u32(R.RX_RANGES, rangesOff);
  u32(R.RX_INST_COUNT, insts.length);
  u32(R.RX_INSTS, instOff);
  u32(R.RX_START, start);
  u32(R.RX_SETS, setsOff);
  u32(R.RX_SET_WORDS, words);
  u32(R.RX_DFA_STATES, dfa ? dfa.flags.length : 0);
  u32(R.RX_DFA_START, dfa ? dfa.start : 0);
  u32(R.RX_DFA_TRANS, dfaTransOff);
  u32(R.RX_DFA_FLAGS, dfaFlagsOff);
  u32(R.RX_SIZE, off);
  u32(R.RX_CAP_SLOTS, capSlots);
  u32(R.RX_REQUIRED, required);
  u32(R.RX_THREADS, insts.filter((i) => i.op === 'consume' || i.op === 'match').length);
  for (let c = 0; c < 128; c++) dv.setUint16(asciiOff + c * 2, ascii[c]!, true);
  nonAscii.forEach(([lo, c], i) => {
    u32(rangesOff + i * 8, lo);
    u32(rangesOff + i * 8 + 4, c);
  });
  insts.forEach((ins, pc) => {
    const at = instOff + pc * 12;
    switch (ins.op) {
      case 'consume': {
        const si = consumeIdx.get(pc)!;
        u32(at, R.OP_CONSUME);
        u32(at + 4, setsOff + si * words * 4);
        u32(at + 8, ins.next);
        for (const c of members.get(pc)!) {
          const w = setsOff + si * words * 4 + (c >>> 5) * 4;
          dv.setUint32(w, dv.getUint32(w, true) | (1 << (c & 31)), true);
        }
        break;
      }
      case 'split':
        u32(at, R.OP_SPLIT);
        u32(at + 4, ins.a);
        u32(at + 8, ins.b);
        break;
      case 'jmp':
        u32(at, R.OP_JMP);
        u32(at + 4, ins.a);
        break;
      case 'assert':
        u32(at, R.OP_ASSERT);
        u32(at + 4, ASSERT_CODE[ins.kind]);
        u32(at + 8, ins.next);
        break;
      case 'save':
        u32(at, R.OP_SAVE);
        u32(at + 4, ins.slot);
        u32(at + 8, ins.next);
        break;
      case 'match':
        u32(at, R.OP_MATCH);
    }
  });
  if (dfa) {
    dfa.trans.forEach((s, i) => u32(dfaTransOff + i * 4, s));
    buf.set(dfa.flags, dfaFlagsOff);
  }
  return buf;
}
