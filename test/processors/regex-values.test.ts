// Value patterns on otel-sieve's own engine in the core (no other engine registered): the
// attributes processor's extract (FindStringSubmatch; checklist 4 and 23) and the redaction
// processor's blocked_values / allowed_values (ReplaceAllStringFunc; checklist 25), with the
// collector's exact rules, plus random cases checked against re2js's Go-semantics API.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Regex, TraceBatch } from 'otel-sieve';
import { RE2JS } from 're2js';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import type { Attr, ResourceSpec } from '../helpers/build-request.js';
import { decodeTraces } from '../helpers/oracle.js';
import { plainAttrs } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { rng } from '../helpers/rng.js';
import { genPattern, genSubject } from '../helpers/random-regex.js';

beforeAll(async () => {
  await init();
});

interface GoRegexp {
  findUTF8SubmatchIndex(b: Uint8Array): number[] | null;
  replaceAllFunc(src: string, repl: (match: string) => string, max: number): string;
  matchUTF8(b: Uint8Array): boolean;
}
const go = (pattern: string) => RE2JS.compile(pattern).re2Input as unknown as GoRegexp;
const enc = new TextEncoder();
const dec = new TextDecoder();
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function spansAfter(processors: Record<string, unknown>, resources: ResourceSpec[]) {
  return decodedSpans(drain(pipelineWith(processors).process(TraceBatch.fromProtobuf(buildRequest(resources)), 0)));
}

describe('attributes extract', () => {
  const build = (action: Record<string, unknown>) => () => pipelineWith({ attributes: { actions: [{ key: 'k', ...action }] } });
  it('needs named groups and no unnamed ones; a bad pattern is reported like the collector (checklist 4)', () => {
    expect(build({ action: 'extract', pattern: '^/api/(.*)$' })).toThrow('error creating AttrProc. Field "pattern" contains at least one unnamed matcher group at the 0-th actions');
    expect(build({ action: 'extract', pattern: '^/api/x$' })).toThrow('error creating AttrProc. Field "pattern" contains no named matcher groups at the 0-th actions');
    expect(build({ action: 'extract', pattern: '(?P<a' })).toThrow('error creating AttrProc. Field "pattern" has invalid pattern: "(?P<a" to be set at the 0-th actions');
    expect(build({ action: 'extract', pattern: '(?P<a>x)(?:y)' })).not.toThrow();
  });

  it('upserts the named groups as strings and leaves the source (checklist 23)', () => {
    const out = spansAfter({ attributes: { actions: [
      { key: 'http.url', pattern: '^/api/v1/document/(?P<new_user_key>.*)/update/(?P<version>.*)$', action: 'extract' },
      { key: 'route', pattern: '(?P<first>[a-z]+)(?:-(?P<second>[a-z]+))?', action: 'extract' },
    ] } }, [{ spans: [
      { trace: 'a', attrs: { 'http.url': '/api/v1/document/12345678/update/v1', version: 'old', route: 'abc' } },
      { trace: 'b', attrs: { 'http.url': '/other', route: 7 } },
      { trace: 'c', attrs: { 'http.url': '/api/v1/document/12345678/update/v1', route: '42-xyz-q' } },
    ] }]);
    expect(out.map((s) => s.attrs)).toEqual([
      // An existing key is overwritten; a group that took no part gives "".
      { 'http.url': '/api/v1/document/12345678/update/v1', version: 'v1', route: 'abc', new_user_key: '12345678', first: 'abc', second: '' },
      // No match, or a value that is not a string: nothing happens.
      { 'http.url': '/other', route: 7n },
      // Unanchored: the leftmost match, wherever it is.
      { 'http.url': '/api/v1/document/12345678/update/v1', new_user_key: '12345678', version: 'v1', route: '42-xyz-q', first: 'xyz', second: 'q' },
    ]);
  });

  it('reads the value as earlier actions left it (a literal, a converted number)', () => {
    const [s] = spansAfter({ attributes: { actions: [
      { key: 'u', value: '/api/v2/orders', action: 'upsert' },
      { key: 'u', pattern: '/v(?P<api>\\d+)/(?P<resource>\\w+)', action: 'extract' },
      { key: 'code', action: 'convert', converted_type: 'string' },
      { key: 'code', pattern: '^(?P<class>\\d)(?P<detail>\\d+)$', action: 'extract' },
    ] } }, [{ spans: [{ trace: 'a', attrs: { code: 404 } }] }]);
    expect(s!.attrs).toEqual({ code: '404', u: '/api/v2/orders', api: '2', resource: 'orders', class: '4', detail: '04' });
  });

  it('a name used twice (Go allows it) is upserted twice, the later group last', () => {
    const out = spansAfter({ attributes: { actions: [{ key: 'k', pattern: '(?P<a>x)|(?P<a>y)', action: 'extract' }] } },
      [{ spans: [{ trace: 'a', attrs: { k: 'y' } }, { trace: 'b', attrs: { k: 'x' } }] }]);
    expect(out.map((s) => s.attrs.a)).toEqual(['y', '']);
  });

  it('repeated values and several patterns per value agree with re2js (FindStringSubmatch) on random named patterns', () => {
    const r = rng(23);
    let checked = 0;
    for (let k = 0; checked < 120 && k < 5000; k++) {
      const patterns: string[] = [];
      while (patterns.length < 2) {
        const p = genPattern(r, 0, { named: true });
        let names: readonly string[];
        try {
          go(p);
          names = Regex.compile(p).groupNames;
        } catch {
          continue;
        }
        if (names.length && names.every((n) => n !== '')) patterns.push(p.replace(/<g/g, `<p${patterns.length}g`));
      }
      const values = Array.from({ length: 6 }, () => genSubject(r, 8));
      const spans = Array.from({ length: 12 }, (_, i) => ({ trace: (i + 1).toString(16), attrs: { k: values[i % values.length]! } }));
      const out = spansAfter({ attributes: { actions: patterns.map((pattern) => ({ key: 'k', pattern, action: 'extract' })) } }, [{ spans }]);
      const expected = spans.map((s) => {
        const attrs: Record<string, unknown> = { k: s.attrs.k };
        for (const p of patterns) {
          const bytes = enc.encode(s.attrs.k);
          const m = go(p).findUTF8SubmatchIndex(bytes);
          if (!m) continue;
          Regex.compile(p).groupNames.forEach((name, g) => {
            const [a, b] = [m[2 + 2 * g]!, m[3 + 2 * g]!];
            attrs[name] = a < 0 ? '' : dec.decode(bytes.subarray(a, b));
          });
        }
        return attrs;
      });
      expect([patterns, out.map((s) => s.attrs)]).toEqual([patterns, expected]);
      checked++;
    }
    expect(checked).toBe(120);
  });
});

describe('redaction blocked_values and allowed_values (checklist 25)', () => {
  const run = (redaction: Record<string, unknown>, attrs: Record<string, Attr>) => spansAfter({ redaction }, [{ spans: [{ trace: 'a', attrs }] }])[0]!.attrs;

  it('masks the matching substrings: "5105 1051 0510 6789" becomes "**** 6789" (the collector README)', () => {
    expect(run({ allow_all_keys: true, blocked_values: ['5[1-5][0-9]{2}[ -]?[0-9]{4}[ -]?[0-9]{4}'] }, { card: '5105 1051 0510 6789', n: 1 }))
      .toEqual({ card: '**** 6789', n: 1n });
  });

  it('applies every blocked pattern in turn, each to the text the previous one left', () => {
    expect(run({ allow_all_keys: true, blocked_values: ['5[1-5][0-9]{2}', '[0-9]{4}$', '\\*{4} 1'], summary: 'debug' }, { card: '5105 1051 0510 6789' })).toEqual({
      card: '****051 0510 ****',
      'redaction.masked.keys': 'card',
      'redaction.masked.count': 1n,
    });
  });

  it('allowed_values win over blocked_values and blocked key patterns, and are what "allowed" counts', () => {
    expect(run({
      allowed_keys: ['a', 'b', 'secret', 'id'], blocked_values: ['[0-9]{4}'], blocked_key_patterns: ['secret'], allowed_values: ['^4111'], summary: 'debug',
    }, { a: '4111 1111', b: '5111 1111', secret: '4111-x', id: 5 })).toEqual({
      a: '4111 1111',
      b: '**** ****',
      secret: '4111-x',
      id: 5n,
      'redaction.masked.keys': 'b',
      'redaction.masked.count': 1n,
      'redaction.allowed.keys': 'a,secret',
      'redaction.allowed.count': 2n,
    });
  });

  it('hash_function replaces each match with the hex digest of the matched text', () => {
    expect(run({ allow_all_keys: true, blocked_values: ['[0-9]{4}'], hash_function: 'md5' }, { a: 'x 1234 y 5678' }))
      .toEqual({ a: `x ${md5('1234')} y ${md5('5678')}` });
  });

  it('a value whose text does not change is not counted as masked', () => {
    expect(run({ allow_all_keys: true, blocked_values: ['\\*+'], summary: 'info' }, { a: '****', b: 'x**' }))
      .toEqual({ a: '****', b: 'x****', 'redaction.masked.count': 1n });
  });

  it('empty matches are masked where Go puts them (ReplaceAllStringFunc)', () => {
    expect(run({ allow_all_keys: true, blocked_values: ['x*'] }, { a: 'abc', b: 'axxb', c: '' }))
      .toEqual({ a: '****a****b****c****', b: '****a****b****', c: '****' });
  });

  it('a non-string value reads as "" (pdata\'s Str()), for allowed_values and blocked_values alike', () => {
    expect(run({ allow_all_keys: true, blocked_values: ['^$'], summary: 'debug' }, { n: 7, s: 'text', f: { double: 1.5 } }))
      .toEqual({ n: '****', s: 'text', f: '****', 'redaction.masked.keys': 'f,n', 'redaction.masked.count': 2n });
    expect(run({ allow_all_keys: true, allowed_values: ['^$'], blocked_key_patterns: ['.'], summary: 'debug' }, { n: 7, s: 'text' }))
      .toEqual({ n: 7n, s: '****', 'redaction.masked.keys': 's', 'redaction.masked.count': 1n, 'redaction.allowed.keys': 'n', 'redaction.allowed.count': 1n });
  });

  it('a blocked key pattern masks the whole value as `.*` does: line by line', () => {
    expect(run({ allow_all_keys: true, blocked_key_patterns: ['pw'] }, { pw: 'a\nb\n', pw2: '' })).toEqual({ pw: '****\n****\n****', pw2: '****' });
    expect(run({ allow_all_keys: true, blocked_key_patterns: ['pw'], hash_function: 'md5' }, { pw: 'ab\ncd' })).toEqual({ pw: `${md5('ab')}\n${md5('cd')}` });
  });

  it('the whole-value mask equals `.*` replaced through the regex engine, on random lines (seeded)', () => {
    // The core scans for newlines instead of running `.*`; the engine's FindAllIndex is the reference.
    const dotStar = Regex.compile('.*', { anchored: false });
    const enc = new TextEncoder();
    const dec = new TextDecoder();
    const next = rng(0x5eed);
    const alphabet = ['a', 'é', '\n', '😀', ' ', '\n\n'];
    const values: Record<string, Attr> = {};
    const expected: Record<string, unknown> = {};
    // 120 values: under the default 128 attributes a span keeps.
    for (let i = 0; i < 120; i++) {
      let v = '';
      const n = Math.floor(next() * 8);
      for (let k = 0; k < n; k++) v += alphabet[Math.floor(next() * alphabet.length)];
      const bytes = enc.encode(v);
      let out = '';
      let last = 0;
      for (const [start, end] of dotStar.findAllIndex(bytes)) {
        out += dec.decode(bytes.subarray(last, start)) + '****';
        last = end;
      }
      out += dec.decode(bytes.subarray(last));
      values[`pw${i}`] = v;
      expected[`pw${i}`] = out;
    }
    expect(run({ allow_all_keys: true, blocked_key_patterns: ['^pw'] }, values)).toEqual(expected);
    dotStar.dispose();
  });

  it('only allowed keys are masked; ignored keys are left alone; resources, events and links too', () => {
    const resources: ResourceSpec[] = [{
      attrs: { host: 'secret-host', keep: 'secret' },
      spans: [{ trace: 'a', attrs: { a: 'my secret', b: 'secret too', c: 'secret' }, events: [{ name: 'e', attrs: { a: 'secret event' } }], links: [{ trace: 'b', span: '0102030405060708', attrs: { a: 'a secret link' } }] }],
    }];
    const out = drain(pipelineWith({ redaction: { allowed_keys: ['a', 'host'], ignored_keys: ['b', 'keep'], blocked_values: ['secret'] } }).process(TraceBatch.fromProtobuf(buildRequest(resources)), 0));
    const rs = decodeTraces(out).resourceSpans[0];
    const span = rs.scopeSpans[0].spans[0];
    expect(plainAttrs(rs.resource.attributes)).toEqual({ host: '****-host', keep: 'secret' });
    expect(plainAttrs(span.attributes)).toEqual({ a: 'my ****', b: 'secret too' });
    expect(plainAttrs(span.events[0].attributes)).toEqual({ a: '**** event' });
    expect(plainAttrs(span.links[0].attributes)).toEqual({ a: 'a **** link' });
  });

  it('agrees with re2js (MatchString, ReplaceAllStringFunc) on random patterns and values', () => {
    const r = rng(31);
    let checked = 0;
    for (let k = 0; checked < 150 && k < 5000; k++) {
      const blocked = [genPattern(r), genPattern(r)].slice(0, 1 + Math.floor(r() * 2));
      const allowed = r() < 0.3 ? [genPattern(r)] : [];
      let oracles: GoRegexp[];
      try {
        oracles = [...blocked, ...allowed].map(go);
      } catch {
        continue;
      }
      const hash = r() < 0.2 ? 'md5' : '';
      const values = Array.from({ length: 8 }, () => genSubject(r, 10));
      const attrs = Object.fromEntries(values.map((v, i) => [`k${i}`, v]));
      const got = run({ allow_all_keys: true, blocked_values: blocked, allowed_values: allowed, hash_function: hash, summary: 'info' }, attrs);
      const want: Record<string, unknown> = {};
      let masked = 0;
      let allowedCount = 0;
      values.forEach((v, i) => {
        if (oracles.slice(blocked.length).some((o) => o.matchUTF8(enc.encode(v)))) {
          allowedCount++;
          want[`k${i}`] = v;
          return;
        }
        let text = v;
        for (const o of oracles.slice(0, blocked.length)) if (o.matchUTF8(enc.encode(text))) text = o.replaceAllFunc(text, (m) => (hash ? md5(m) : '****'), Number.MAX_SAFE_INTEGER);
        if (text !== v) masked++;
        want[`k${i}`] = text;
      });
      if (masked) want['redaction.masked.count'] = BigInt(masked);
      if (allowedCount) want['redaction.allowed.count'] = BigInt(allowedCount);
      expect([blocked, allowed, got]).toEqual([blocked, allowed, want]);
      checked++;
    }
    expect(checked).toBe(150);
  });
});
