// Unicode tables for RE2's \p{…} classes and (?i) case folding, derived from the JavaScript
// engine's own Unicode data (RegExp property escapes and case mapping) rather than shipped: the
// patterns probed here are fixed names we validated, never user text. Results are cached.
import type { RuneSet } from './syntax.js';

const CATEGORIES = new Set([
  'L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'S', 'Sm', 'Sc', 'Sk', 'So',
  'Z', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Co', 'Cs',
]);

const cache = new Map<string, RuneSet | null>();

function probe(re: RegExp): RuneSet {
  const out: number[] = [];
  let start = -1;
  for (let c = 0; c <= 0x110000; c++) {
    const hit = c <= 0x10ffff && re.test(String.fromCodePoint(c));
    if (hit && start < 0) start = c;
    else if (!hit && start >= 0) {
      out.push(start, c - 1);
      start = -1;
    }
  }
  return out;
}

function isScriptName(name: string): boolean {
  if (!/^[A-Za-z_]+$/.test(name)) return false;
  try {
    new RegExp(`\\p{Script=${name}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

/** The code points of a Go Unicode class name (`L`, `Lu`, `Greek`, `Any`, …), or null if unknown. */
export function unicodeClass(name: string): RuneSet | null {
  if (cache.has(name)) return cache.get(name)!;
  let set: RuneSet | null = null;
  if (name === 'Any') set = [0, 0x10ffff];
  // Go's C is Cc|Cf|Co|Cs (JavaScript's also counts unassigned code points).
  else if (name === 'C') set = probe(/^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u);
  else if (CATEGORIES.has(name)) set = probe(new RegExp(`^\\p{${name}}$`, 'u'));
  else if (isScriptName(name)) set = probe(new RegExp(`^\\p{Script=${name}}$`, 'u'));
  cache.set(name, set);
  return set;
}

let orbits: Map<number, number[]> | null = null;

/** Builds the simple case-folding equivalence classes once (the code points that fold together). */
function buildOrbits(): Map<number, number[]> {
  const uf = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (uf.has(r) && uf.get(r) !== r) r = uf.get(r)!;
    return r;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (!uf.has(ra)) uf.set(ra, ra);
    if (!uf.has(rb)) uf.set(rb, rb);
    if (ra !== rb) uf.set(ra, rb);
  };
  // JavaScript's case-insensitive Unicode matching uses simple case folding, as Go's
  // unicode.SimpleFold orbits do: two code points fold together iff /x/iu matches y.
  for (let c = 0; c <= 0x1e943; c++) {
    if (c >= 0xd800 && c < 0xe000) continue;
    const s = String.fromCodePoint(c);
    for (const m of [s.toLowerCase(), s.toUpperCase()]) {
      const cps = Array.from(m);
      if (cps.length !== 1) continue;
      const d = cps[0]!.codePointAt(0)!;
      if (d === c) continue;
      if (new RegExp(`^${escapeFor(c)}$`, 'iu').test(String.fromCodePoint(d))) union(c, d);
    }
  }
  const groups = new Map<number, number[]>();
  for (const k of uf.keys()) {
    const r = find(k);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(k);
  }
  const out = new Map<number, number[]>();
  for (const members of groups.values()) for (const m of members) out.set(m, members);
  return out;
}

function escapeFor(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

/** The other code points that fold together with c (empty if none). */
export function foldOrbit(c: number): number[] {
  if (c < 0x41) return [];
  if (c < 0x80) {
    // ASCII fast path (k and s have non-ASCII partners: K KELVIN SIGN, ſ LONG S).
    if (c >= 0x61 && c <= 0x7a) {
      const up = c - 32;
      if (c === 0x6b) return [up, 0x212a];
      if (c === 0x73) return [up, 0x17f];
      return [up];
    }
    if (c >= 0x41 && c <= 0x5a) {
      const lo = c + 32;
      if (c === 0x4b) return [lo, 0x212a];
      if (c === 0x53) return [lo, 0x17f];
      return [lo];
    }
    return [];
  }
  orbits ??= buildOrbits();
  const o = orbits.get(c);
  return o ? o.filter((x) => x !== c) : [];
}
