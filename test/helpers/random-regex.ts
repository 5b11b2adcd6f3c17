// Random RE2 patterns and subjects for differential tests against re2js: a seeded generator, so
// a failure names a reproducible case. Capturing groups may be named (names are unique: re2js
// rejects a repeated name, which Go accepts) or unnamed; lazy repetition and (?U) appear so that
// positions, not only match / no match, are exercised.

const ATOMS = ['a', 'b', 'c', '.', '\\d', '\\w', '\\s', '[ab]', '[^a]', '[a-c]', 'é', '\\.', '[[:alpha:]]', '\\pL', '\\PL', '[\\d_]', '\\x41', '(?i:a)', '\\n'];
const ASSERTS = ['^', '$', '\\b', '\\B', '\\A', '\\z'];

export interface PatternOptions {
  /** Groups are named (?P<gN>…) / (?<gN>…) some of the time. */
  named?: boolean;
}

/** A random pattern; `options.named` also names some groups (the sequence without it is unchanged). */
export function genPattern(r: () => number, depth = 0, options: PatternOptions = {}, names = { n: 0 }): string {
  const n = 1 + Math.floor(r() * 4);
  let out = '';
  for (let i = 0; i < n; i++) {
    const x = r();
    let atom: string;
    if (x < 0.15 && depth < 3) {
      let open = '(';
      if (options.named && r() < 0.5) open = r() < 0.5 ? `(?P<g${names.n++}>` : `(?<g${names.n++}>`;
      atom = `${open}${genPattern(r, depth + 1, options, names)}${r() < 0.5 ? '|' + genPattern(r, depth + 1, options, names) : ''})`;
    } else if (x < 0.2 && depth < 3) atom = `(?:${genPattern(r, depth + 1, options, names)})`;
    else if (x < 0.27) atom = ASSERTS[Math.floor(r() * ASSERTS.length)]!;
    else atom = ATOMS[Math.floor(r() * ATOMS.length)]!;
    const q = r();
    if (!ASSERTS.includes(atom)) {
      if (q < 0.12) atom += '*';
      else if (q < 0.2) atom += '+';
      else if (q < 0.26) atom += '?';
      else if (q < 0.3) atom += `{${Math.floor(r() * 3)},${2 + Math.floor(r() * 2)}}`;
      else if (q < 0.32) atom += '*?';
      else if (options.named && q < 0.36) atom += ['+?', '??', '{1,3}?', '{2,}?'][Math.floor(r() * 4)]!;
    }
    out += atom;
  }
  if (r() < 0.1) out = (r() < 0.5 ? '(?i)' : r() < 0.5 ? '(?s)' : '(?m)') + out;
  else if (options.named && r() < 0.05) out = '(?U)' + out;
  return out;
}

const CHARS = ['a', 'b', 'c', 'A', '1', '_', ' ', '\n', '.', 'é', 'ß', 'Ω', '😀'];

export function genSubject(r: () => number, maxLen = 8): string {
  const n = Math.floor(r() * maxLen);
  let s = '';
  for (let i = 0; i < n; i++) s += CHARS[Math.floor(r() * CHARS.length)];
  return s;
}

const enc = new TextEncoder();

/** A subject as UTF-8, sometimes with a stray byte that is not UTF-8 (Go reads it as U+FFFD). */
export function genSubjectBytes(r: () => number, maxLen = 10): Uint8Array {
  const bytes = enc.encode(genSubject(r, maxLen));
  if (r() >= 0.15) return bytes;
  const at = Math.floor(r() * (bytes.length + 1));
  const bad = [0xff, 0x80, 0xc3, 0xe2, 0xf0][Math.floor(r() * 5)]!;
  return Uint8Array.from([...bytes.subarray(0, at), bad, ...bytes.subarray(at)]);
}
