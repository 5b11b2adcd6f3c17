// include/exclude with match_type: regexp, evaluated per span through the registered regex engine
// (filterspan semantics: properties AND-ed; services, span names, resources and libraries match
// any entry; attributes must all match; patterns are unanchored). Interim: it reads spans through
// the lazy views (one small object per span) until the regex engine runs inside the core, where
// strict matching already is.
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { SpanView } from '../../otlp/trace-views.js';
import { regexEngine } from '../regex-matcher.js';
import type { CompiledRegex } from '../regex-matcher.js';
import type { MatchProperties } from './match-properties.js';

type SpanTest = (span: SpanView) => boolean;

function compile(p: string): CompiledRegex {
  return regexEngine()!.compile(p);
}

function anyOf(patterns: readonly string[]): (s: string) => boolean {
  const res = patterns.map(compile);
  const cache = new Map<string, boolean>();
  return (s) => {
    let hit = cache.get(s);
    if (hit === undefined) {
      hit = res.some((re) => re.test(s));
      if (cache.size > 10_000) cache.clear();
      cache.set(s, hit);
    }
    return hit;
  };
}

export function regexpSpanTest(m: MatchProperties): SpanTest {
  const tests: SpanTest[] = [];
  if (m.services.length) {
    const match = anyOf(m.services);
    tests.push((span) => {
      const v = span.resource.attribute('service.name');
      return v?.type === 'string' && match(v.value);
    });
  }
  if (m.spanNames.length) {
    const match = anyOf(m.spanNames);
    tests.push((span) => match(span.name));
  }
  if (m.spanKinds.length) {
    const kinds = new Set(m.spanKinds);
    tests.push((span) => kinds.has(span.kind));
  }
  if (m.attributes.length) {
    const attrs = m.attributes.map((t) => ({ key: t.key, match: t.value === undefined ? undefined : anyOf([t.value as string]) }));
    tests.push((span) => attrs.every((t) => {
      const v = span.attribute(t.key);
      return v !== undefined && (!t.match || (v.type === 'string' && t.match(v.value)));
    }));
  }
  if (m.resources.length) {
    const res = m.resources.map((t) => ({ key: t.key, match: t.value === undefined ? undefined : anyOf([t.value as string]) }));
    tests.push((span) => res.some((t) => {
      const v = span.resource.attribute(t.key);
      return v !== undefined && (!t.match || (v.type === 'string' && t.match(v.value)));
    }));
  }
  if (m.libraries.length) {
    const libs = m.libraries.map((l) => ({ name: anyOf([l.name]), version: l.version === undefined ? undefined : anyOf([l.version]) }));
    tests.push((span) => {
      const scope = span.scope;
      return libs.some((l) => l.name(scope.name) && (!l.version || l.version(scope.version)));
    });
  }
  return (span) => tests.every((t) => t(span));
}

/** One byte per span: 1 when include (if any) matches and exclude (if any) does not. */
export function eligibleSpans(batch: TraceBatch, include: SpanTest | undefined, exclude: SpanTest | undefined): Uint8Array {
  const n = batch.spanCount;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const span = batch.span(i);
    out[i] = (!include || include(span)) && !(exclude && exclude(span)) ? 1 : 0;
  }
  return out;
}
