// Our RE2 engine against re2js (an independent RE2 implementation) on random patterns and
// subjects, anchored (TraceQL's =~) and unanchored (Go's MatchString, used by the processors),
// plus syntax that both must reject, and linear-time behaviour on hostile patterns.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Regex, RegexSyntaxError } from 'otel-sieve';
import { RE2JS } from 're2js';
import { rng } from '../helpers/rng.js';
import { genPattern, genSubject } from '../helpers/random-regex.js';

beforeAll(async () => {
  await init();
});

describe('regex engine vs re2js', () => {
  it('agrees on 2 500 random patterns × 12 subjects, anchored and unanchored', () => {
    const r = rng(42);
    let compared = 0;
    const mismatches: string[] = [];
    for (let k = 0; k < 2500; k++) {
      const p = genPattern(r);
      let oracle: RE2JS;
      try {
        oracle = RE2JS.compile(p);
      } catch {
        expect(() => Regex.compile(p), p).toThrow(RegexSyntaxError);
        continue;
      }
      const anchored = Regex.compile(p, { anchored: true });
      const free = Regex.compile(p, { anchored: false });
      for (let j = 0; j < 12; j++) {
        const s = genSubject(r);
        const want = oracle.matches(s);
        const wantFind = oracle.matcher(s).find();
        if (anchored.test(s) !== want) mismatches.push(`anchored ${JSON.stringify(p)} ${JSON.stringify(s)} want ${want}`);
        if (free.test(s) !== wantFind) mismatches.push(`unanchored ${JSON.stringify(p)} ${JSON.stringify(s)} want ${wantFind}`);
        compared += 2;
      }
      anchored.dispose();
      free.dispose();
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(40_000);
  });

  const SYNTAX = [
    'a', '(', ')', '[a', '[]a]', '[^]a]', 'a**', 'a*+', 'a{2}{3}', 'x{1001}', 'x{1000}', 'x{2,1}', '{', 'a{', 'a{1', 'a{,5}', '\\1', '\\8', '\\0', '\\012', '\\Q*+\\E',
    '(?i)A', '(?i', '(?z)', '(?-)', '(?i-s:a)', '(?P<n>a)', '(?<n>a)', '(?P<n!>a)', '(?P=n)', '\\pZ', '\\p{Greek}', '\\p{Nope}', '\\pN', '\\p{^L}', '\\P{^L}',
    '[[:word:]]', '[[:nope:]]', '[[:^digit:]]', '[a-\\d]', '[z-a]', '\\x{110000}', '\\x{41}', '\\xZZ', '\\C', '\\e', '\\y', 'a|*', '()', '(|)', '^*', '$+', '\\b+',
    '[\\x00-\\x{10FFFF}]', '[^\\x00-\\x{10FFFF}]', '.', '(?s).', '(?U)a*', 'a*?', 'a??', '\\Qab', '[\\Q]\\E]', '[a-]', '[-a]', '[]', '[^]', '\\pLu', '(?i)[k]', '(?i)ǅ',
  ];
  it('rejects exactly what re2js rejects and matches the rest the same way', () => {
    const subjects = ['', 'a', 'A', 'ab', 'aaa', ']', ']a', '-', '\n', 'k', 'K', 'K', 'ǆ', 'Ǆ', 'α', '*+', '0', '\u0000', 'x'.repeat(1000)];
    for (const p of SYNTAX) {
      let oracle: RE2JS | null = null;
      try {
        oracle = RE2JS.compile(p);
      } catch {
        oracle = null;
      }
      if (!oracle) {
        expect(() => Regex.compile(p), p).toThrow(RegexSyntaxError);
        continue;
      }
      const ours = Regex.compile(p);
      const free = Regex.compile(p, { anchored: false });
      for (const s of subjects) {
        expect([p, s, ours.test(s)]).toEqual([p, s, oracle.matches(s)]);
        expect([p, s, free.test(s)]).toEqual([p, s, oracle.matcher(s).find()]);
      }
    }
  });

  it('invalid UTF-8 in the subject reads as U+FFFD one byte at a time, as in Go', () => {
    const bytes = Uint8Array.from([0x61, 0xff, 0xe2, 0x82, 0x62]);
    expect(Regex.compile('a...b').test(bytes)).toBe(true);
    expect(Regex.compile('a\\x{FFFD}{3}b').test(bytes)).toBe(true);
    expect(Regex.compile('a.b').test(bytes)).toBe(false);
    expect(Regex.compile('a[^x]+b').test(bytes)).toBe(true);
  });

  it('hostile patterns stay linear on long subjects (DFA and Pike VM)', () => {
    const long = 'a'.repeat(20_000) + '!';
    const t0 = performance.now();
    expect(Regex.compile('(a+)+$').test(long)).toBe(false);
    expect(Regex.compile('(a|a)*\\b$').test(long)).toBe(false);
    expect(Regex.compile('(a*)*b', { anchored: false }).test(long)).toBe(false);
    expect(Regex.compile('(x+x+)+y').test('x'.repeat(20_000))).toBe(false);
    const nfa = Regex.compile('(a|b)*a(a|b){12}');
    expect(nfa.test('ab'.repeat(5000))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('literal alternations become a set lookup; other patterns use the DFA when it fits', () => {
    expect(Regex.compile('GET|POST').compiled.literals?.map((b) => new TextDecoder().decode(b))).toEqual(['GET', 'POST']);
    expect(Regex.compile('a.*').compiled.usesDfa).toBe(true);
    expect(Regex.compile('\\bfoo').compiled.usesDfa).toBe(false);
  });
});
