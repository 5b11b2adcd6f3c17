// Match positions and submatches of our engine against re2js's Go-semantics API (FindIndex,
// FindAllIndex, FindSubmatchIndex over UTF-8 bytes) on random patterns and subjects, edge tables
// (empty matches and how the search moves on after one, UTF-8 and invalid bytes, anchors and
// assertions, alternation priority, lazy and greedy repetition, nested, optional and
// non-participating groups), Go's documented examples, and linear time with captures.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Regex } from 'otel-sieve';
import { RE2JS } from 're2js';
import { rng } from '../helpers/rng.js';
import { genPattern, genSubjectBytes } from '../helpers/random-regex.js';

beforeAll(async () => {
  await init();
});

interface GoRegexp {
  findUTF8Index(b: Uint8Array): number[] | null;
  findUTF8SubmatchIndex(b: Uint8Array): number[] | null;
  findAllUTF8Index(b: Uint8Array, n: number): number[][] | null;
}

function oracle(pattern: string): GoRegexp | null {
  try {
    return RE2JS.compile(pattern).re2Input as unknown as GoRegexp;
  } catch {
    return null;
  }
}

const enc = new TextEncoder();
const show = (b: Uint8Array) => JSON.stringify(Buffer.from(b).toString('latin1'));

/** Every difference between our three answers and re2js's for one pattern and subject. */
function differences(pattern: string, go: GoRegexp, ours: Regex, subject: Uint8Array): string[] {
  const out: string[] = [];
  const where = `${JSON.stringify(pattern)} on ${show(subject)}`;
  const sub = ours.findSubmatchIndex(subject);
  const wantSub = go.findUTF8SubmatchIndex(subject);
  if (JSON.stringify(sub) !== JSON.stringify(wantSub ?? null)) out.push(`submatch ${where}: ${JSON.stringify(sub)} want ${JSON.stringify(wantSub)}`);
  const idx = ours.findIndex(subject);
  const wantIdx = go.findUTF8Index(subject);
  if (JSON.stringify(idx) !== JSON.stringify(wantIdx ?? null)) out.push(`index ${where}: ${JSON.stringify(idx)} want ${JSON.stringify(wantIdx)}`);
  const all = ours.findAllIndex(subject);
  const wantAll = go.findAllUTF8Index(subject, -1) ?? [];
  if (JSON.stringify(all) !== JSON.stringify(wantAll)) out.push(`all ${where}: ${JSON.stringify(all)} want ${JSON.stringify(wantAll)}`);
  return out;
}

describe('positions and submatches vs re2js', () => {
  it('agree on 2 500 random patterns with groups × 10 subjects (index, all matches, submatches)', () => {
    const r = rng(7);
    const mismatches: string[] = [];
    let compared = 0;
    for (let k = 0; k < 2500; k++) {
      const p = genPattern(r, 0, { named: true });
      const go = oracle(p);
      if (!go) continue;
      const ours = Regex.compile(p, { anchored: false, captures: true });
      for (let j = 0; j < 10; j++) {
        mismatches.push(...differences(p, go, ours, genSubjectBytes(r)));
        compared++;
      }
      ours.dispose();
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(20_000);
  });

  it('positions are the same whether the groups are compiled or not', () => {
    const r = rng(11);
    for (let k = 0; k < 300; k++) {
      const p = genPattern(r, 0, { named: true });
      if (!oracle(p)) continue;
      const withGroups = Regex.compile(p, { anchored: false, captures: true });
      const without = Regex.compile(p, { anchored: false });
      for (let j = 0; j < 6; j++) {
        const s = genSubjectBytes(r);
        expect([p, s, without.findAllIndex(s)]).toEqual([p, s, withGroups.findAllIndex(s)]);
      }
    }
  });

  const EDGES: [string, string[]][] = [
    // Empty matches and how the search moves on after one.
    ['', ['', 'ab', 'é']],
    ['a*', ['', 'baaac', 'aaa', 'bab']],
    ['a*?', ['aaa', 'baaab']],
    ['a|', ['baaac', 'aa']],
    ['|a', ['baaac']],
    ['x*', ['😀a', 'é', 'xé']],
    ['(a*)*', ['b', 'aab', '']],
    ['(a*)+', ['b', 'aab']],
    ['(a*|b)*', ['ab', 'bba']],
    ['(a|b)*?c', ['abc', 'c']],
    ['(|a)*', ['aa']],
    ['(|a)+', ['aa']],
    ['(a?)*?b', ['aab']],
    // Alternation priority is leftmost-first, not longest.
    ['a|ab', ['ab']],
    ['ab|a', ['ab']],
    ['(a|ab)(c|bcd)(d*)', ['abcd']],
    ['(a+)(b+)?', ['aab', 'aa']],
    ['(a+?)(a*)', ['aaa']],
    ['(?U)(a+)(a*)', ['aaa']],
    ['(?U)(a+?)(a*)', ['aaa']],
    ['x{2,4}?', ['xxxxx']],
    ['(x{2,4})(x*)', ['xxxxx']],
    // Nested, optional and non-participating groups (-1).
    ['(a)|b', ['b', 'a']],
    ['((a)|b)+', ['ab', 'ba']],
    ['(a(b)?)+', ['aba', 'aab']],
    ['(?P<first>[a-z]+)(?:-(?P<second>[a-z]+))?', ['abc', 'abc-def', '-x']],
    ['(a)?(b)?(c)?', ['c', 'bc', 'x']],
    ['(a){0}b', ['ab']],
    ['((((((((((a))))))))))', ['a']],
    // Anchors and assertions, also where a later search starts mid-subject.
    ['^a', ['aaa', 'ba']],
    ['a$', ['aaa', 'a\na']],
    ['(?m)^a', ['a\na\nba']],
    ['(?m)$', ['a\nb\n']],
    ['\\b', ['ab cd', 'é']],
    ['\\B', ['ab cd']],
    ['\\Aa|b\\z', ['aab', 'bab']],
    ['^', ['', 'x']],
    ['$', ['', 'x']],
    ['^$', ['', '\n']],
    // UTF-8: offsets are bytes; invalid bytes are U+FFFD one at a time.
    ['é+', ['xééy']],
    ['.', ['a😀é']],
    ['[^a]', ['a\u00ffa']],
    ['\\x{FFFD}', ['\ufffd']],
  ];
  it('edge cases agree', () => {
    for (const [p, subjects] of EDGES) {
      const go = oracle(p)!;
      expect(go, p).not.toBeNull();
      const ours = Regex.compile(p, { anchored: false, captures: true });
      for (const s of subjects) expect(differences(p, go, ours, enc.encode(s))).toEqual([]);
      ours.dispose();
    }
  });

  it('invalid UTF-8 bytes: each is one position, as in Go', () => {
    const bytes = Uint8Array.from([0x61, 0xff, 0xe2, 0x82, 0x62, 0xf0]);
    for (const p of ['', '.', '[^b]', 'a.', '\\x{FFFD}+', '(.)(.)', '\\b']) {
      const ours = Regex.compile(p, { anchored: false, captures: true });
      expect(differences(p, oracle(p)!, ours, bytes)).toEqual([]);
    }
  });

  it("Go's documented examples (regexp package docs)", () => {
    const re = Regex.compile('a(x*)b', { anchored: false, captures: true });
    expect(re.findSubmatchIndex('-ab-')).toEqual([1, 3, 2, 2]);
    expect(re.findSubmatchIndex('-axxb-')).toEqual([1, 5, 2, 4]);
    expect(re.findSubmatchIndex('-foo-')).toBeNull();
    expect(re.findAllIndex('-ab-axb-')).toEqual([[1, 3], [4, 7]]);
    expect(Regex.compile('a.', { anchored: false }).findAllIndex('paranormal')).toEqual([[1, 3], [3, 5], [8, 10]]);
    expect(Regex.compile('a.', { anchored: false }).findAllIndex('paranormal', 2)).toEqual([[1, 3], [3, 5]]);
    expect(Regex.compile('(?P<first>[a-zA-Z]+) (?P<last>[a-zA-Z]+)', { captures: true }).groupNames).toEqual(['first', 'last']);
  });

  it('Go accepts a group name twice (re2js does not); both groups capture', () => {
    const re = Regex.compile('(?P<foo>.*)(?P<bar>(a)b)(?P<foo>.*)a', { anchored: false, captures: true });
    expect(re.groupNames).toEqual(['foo', 'bar', '', 'foo']);
    expect(re.findSubmatchIndex('xabya')).toEqual([0, 5, 0, 1, 1, 3, 1, 2, 3, 4]);
  });

  it('anchored programs match the whole subject only', () => {
    const re = Regex.compile('(a|ab)(b*)', { anchored: true, captures: true });
    expect(re.findSubmatchIndex('abbb')).toEqual([0, 4, 0, 1, 1, 4]);
    expect(re.findSubmatchIndex('abbbc')).toBeNull();
    expect(re.findAllIndex('abb')).toEqual([[0, 3]]);
  });

  it('submatches need a program compiled with captures', () => {
    expect(() => Regex.compile('(a)', { anchored: false }).findSubmatchIndex('a')).toThrow('regex "(a)" was compiled without captures: pass { captures: true }');
  });

  it('stays linear with captures on hostile patterns and long subjects', () => {
    const long = 'a'.repeat(20_000);
    const t0 = performance.now();
    expect(Regex.compile('(a+)+$', { anchored: false, captures: true }).findSubmatchIndex(long + '!')).toBeNull();
    expect(Regex.compile('(a*)*b', { anchored: false, captures: true }).findSubmatchIndex(long + 'b')).toEqual([0, 20_001, 0, 20_000]);
    expect(Regex.compile('(x+x+)+y', { anchored: false, captures: true }).findSubmatchIndex('x'.repeat(5_000))).toBeNull();
    expect(Regex.compile('\\b(a|b)', { anchored: false }).findAllIndex('ab '.repeat(5_000)).length).toBe(5_000);
    expect(Regex.compile('', { anchored: false }).findAllIndex(long).length).toBe(20_001);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
