// include/exclude with match_type: regexp, evaluated per item through the registered regex engine
// when it is not otel-sieve's own (filterconfig semantics: properties AND-ed; services, names,
// bodies, severity texts, resources and libraries match any entry; attributes must all match;
// patterns are unanchored). Interim: it reads spans, log records or metrics through the lazy views
// (one small object per item) — the core runs regexp matching itself with otel-sieve's engine.
import type { MetricBatch } from '../../otlp/metric-batch.js';
import { isLogBatch, isTraceBatch } from '../../otlp/batch-signal.js';
import type { AnyValue } from '../../otlp/value-views.js';
import type { AnyBatch } from '../../pipeline/pending-edits.js';
import { regexEngine } from '../regex-matcher.js';
import type { CompiledRegex } from '../regex-matcher.js';
import type { MatchProperties } from './match-properties.js';

/** What the views of a span, a log record and a metric have in common for matching. */
interface Subject {
  readonly resource: { attribute(key: string): AnyValue | undefined };
  readonly scope: { readonly name: string; readonly version: string };
  attribute?(key: string): AnyValue | undefined;
  readonly name?: string;
  readonly kind?: number;
  readonly body?: AnyValue;
  readonly severityText?: string;
  readonly severityNumber?: number;
}

type SubjectTest = (item: Subject) => boolean;

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

/** The test of a regexp MatchProperties (valid for the signal: see MatchProperties.invalidFor). */
export function regexpTest(m: MatchProperties): SubjectTest {
  const tests: SubjectTest[] = [];
  if (m.services.length) {
    const match = anyOf(m.services);
    tests.push((item) => {
      const v = item.resource.attribute('service.name');
      return v?.type === 'string' && match(v.value);
    });
  }
  for (const names of [m.spanNames, m.metricNames]) {
    if (!names.length) continue;
    const match = anyOf(names);
    tests.push((item) => match(item.name ?? ''));
  }
  if (m.spanKinds.length) {
    const kinds = new Set(m.spanKinds);
    tests.push((item) => kinds.has(item.kind ?? -1));
  }
  if (m.logBodies.length) {
    const match = anyOf(m.logBodies);
    tests.push((item) => item.body?.type === 'string' && match(item.body.value));
  }
  if (m.logSeverityTexts.length) {
    const match = anyOf(m.logSeverityTexts);
    tests.push((item) => match(item.severityText ?? ''));
  }
  if (m.logSeverityNumber) {
    const { min, matchUndefined } = m.logSeverityNumber;
    tests.push((item) => (item.severityNumber === 0 ? matchUndefined : (item.severityNumber ?? 0) >= min));
  }
  if (m.attributes.length) {
    const attrs = m.attributes.map((t) => ({ key: t.key, match: t.value === undefined ? undefined : anyOf([t.value as string]) }));
    tests.push((item) => attrs.every((t) => {
      const v = item.attribute?.(t.key);
      return v !== undefined && (!t.match || (v.type === 'string' && t.match(v.value)));
    }));
  }
  if (m.resources.length) {
    const res = m.resources.map((t) => ({ key: t.key, match: t.value === undefined ? undefined : anyOf([t.value as string]) }));
    tests.push((item) => res.some((t) => {
      const v = item.resource.attribute(t.key);
      return v !== undefined && (!t.match || (v.type === 'string' && t.match(v.value)));
    }));
  }
  if (m.libraries.length) {
    const libs = m.libraries.map((l) => ({ name: anyOf([l.name]), version: l.version === undefined ? undefined : anyOf([l.version]) }));
    tests.push((item) => libs.some((l) => l.name(item.scope.name) && (!l.version || l.version(item.scope.version))));
  }
  return (item) => tests.every((t) => t(item));
}

/**
 * One byte per item the include/exclude decide — spans, log records, or metrics (a metric's data
 * points follow it): 1 when include (if any) matches and exclude (if any) does not.
 */
export function eligibleItems(batch: AnyBatch, include: SubjectTest | undefined, exclude: SubjectTest | undefined): Uint8Array {
  const n = isTraceBatch(batch) ? batch.spanCount : isLogBatch(batch) ? batch.logRecordCount : (batch as MetricBatch).metricCount;
  const at = (i: number): Subject => (isTraceBatch(batch) ? batch.span(i) : isLogBatch(batch) ? batch.logRecord(i) : (batch as MetricBatch).metric(i));
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const item = at(i);
    out[i] = (!include || include(item)) && !(exclude && exclude(item)) ? 1 : 0;
  }
  return out;
}
