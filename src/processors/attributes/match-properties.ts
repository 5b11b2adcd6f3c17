// The collector's filterconfig MatchProperties (include / exclude of the attributes processor) for
// spans, log records and metrics: services, span names and kinds, log bodies, severity texts and
// numbers, metric names, attributes (all must match), resources (any) and libraries (any); strict
// or regexp (RE2, unanchored). The block is read once with every field; which fields a signal may
// use is checked when a pipeline of that signal builds the processor (filterconfig's
// ValidateForSpans / ValidateForLogs / ValidateForMetrics, with their messages).
import type { ConfigReader } from '../../config/config-reader.js';
import type { ConfigNode } from '../../config/config-node.js';
import type { ConfigError } from '../../config/config-error.js';
import type { Signal } from '../../config/collector-config.js';
import { regexEngine } from '../regex-matcher.js';

/** Every pattern of a regexp MatchProperties must compile; attribute values must be strings. */
function validateRegexps(r: ConfigReader, m: MatchProperties): void {
  const engine = regexEngine()!;
  const check = (p: string, where: string) => {
    try {
      engine.compile(p);
    } catch (err) {
      throw r.fail(where, `error compiling regex "${p}": ${(err as Error).message}`);
    }
  };
  m.services.forEach((p) => check(p, 'services'));
  m.spanNames.forEach((p) => check(p, 'span_names'));
  m.logBodies.forEach((p) => check(p, 'log_bodies'));
  m.logSeverityTexts.forEach((p) => check(p, 'log_severity_texts'));
  m.metricNames.forEach((p) => check(p, 'metric_names'));
  for (const [list, key] of [[m.attributes, 'attributes'], [m.resources, 'resources']] as const) {
    for (const t of list) {
      if (t.value === undefined) continue;
      if (typeof t.value !== 'string') throw r.fail(key, `match_type "regexp" needs string values in ${key}, got ${String(t.value)} for "${t.key}"`);
      check(t.value, key);
    }
  }
  for (const lib of m.libraries) {
    check(lib.name, 'libraries');
    if (lib.version !== undefined) check(lib.version, 'libraries');
  }
}

export type MatchValue = string | bigint | number | boolean;

export interface AttributeTest {
  readonly key: string;
  /** Undefined: the key only has to be present. */
  readonly value?: MatchValue;
}

/** log_severity_number: `min` and whether records with an unspecified severity match. */
export interface SeverityNumberMatch {
  readonly min: number;
  readonly matchUndefined: boolean;
}

export interface MatchProperties {
  /** strict (evaluated in the core) or regexp (through the registered regex engine). */
  readonly matchType: 'strict' | 'regexp';
  readonly services: readonly string[];
  readonly spanNames: readonly string[];
  readonly spanKinds: readonly number[];
  readonly logBodies: readonly string[];
  readonly logSeverityTexts: readonly string[];
  readonly logSeverityNumber?: SeverityNumberMatch;
  readonly metricNames: readonly string[];
  readonly attributes: readonly AttributeTest[];
  readonly resources: readonly AttributeTest[];
  readonly libraries: readonly { name: string; version?: string }[];
  /** Why the block cannot be used for a signal (positioned at the block or the offending key). */
  readonly invalidFor: Readonly<Partial<Record<Signal, ConfigError>>>;
}

const SPAN_KINDS: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
};

/** SeverityNumber names as filterconfig accepts them (TRACE … FATAL4, case-insensitive), or 1–24. */
const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

function severityNumber(r: ConfigReader, key: string, node: ConfigNode | undefined): number {
  if (!node || node.kind !== 'scalar' || node.value === null) return 0;
  const v = node.value;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 24) return v;
  if (typeof v === 'string') {
    const m = /^([A-Za-z]+)([234]?)$/.exec(v.trim());
    const base = m ? SEVERITY_NAMES.indexOf(m[1]!.toUpperCase()) : -1;
    if (base >= 0) return base * 4 + 1 + (m![2] ? Number(m![2]) - 1 : 0);
    if (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 24) return Number(v);
  }
  throw r.fail(key, `not a valid severity: ${JSON.stringify(v)} (expected a SeverityNumber 1-24 or a name such as INFO, WARN2, ERROR)`);
}

/** A config scalar as pcommon.Value.FromRaw types it: int, double, string or bool. */
export function readMatchValue(r: ConfigReader, key: string): MatchValue | undefined {
  const n: ConfigNode | undefined = r.raw(key);
  if (!n || (n.kind === 'scalar' && n.value === null)) return undefined;
  if (n.kind !== 'scalar') throw r.fail(key, 'expected a string, number or boolean');
  const v = n.value;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  return v as MatchValue;
}

function readTests(r: ConfigReader, key: string): AttributeTest[] {
  return r.blocks(key).map((b) => {
    const k = b.string('key', '');
    if (!k) throw b.error('"key" must be set');
    const value = readMatchValue(b, 'value');
    b.done();
    return value === undefined ? { key: k } : { key: k, value };
  });
}

export function readMatchProperties(r: ConfigReader): MatchProperties {
  const matchType = r.string('match_type', '');
  if (matchType === 'regexp' && !regexEngine()) {
    throw r.fail('match_type', 'match_type "regexp" is not available in this build (it needs the RE2-compatible regex engine); use strict');
  }
  if (matchType !== 'strict' && matchType !== 'regexp') throw r.fail('match_type', `unrecognized match_type: "${matchType}", valid types are: [regexp strict]`);
  r.ignore('regexp');
  const services = r.stringList('services');
  const spanNames = r.stringList('span_names');
  const spanKinds = r.stringList('span_kinds').map((k) => {
    const code = SPAN_KINDS[k];
    if (code === undefined) throw r.fail('span_kinds', `unknown span kind "${k}" (expected one of ${Object.keys(SPAN_KINDS).join(', ')})`);
    return code;
  });
  const logBodies = r.stringList('log_bodies');
  const logSeverityTexts = r.stringList('log_severity_texts');
  let logSeverityNumber: SeverityNumberMatch | undefined;
  if (r.present('log_severity_number')) {
    const s = r.child('log_severity_number');
    logSeverityNumber = { min: severityNumber(s, 'min', s.raw('min')), matchUndefined: s.bool('match_undefined', false) };
    s.done();
  } else r.raw('log_severity_number');
  const metricNames = r.stringList('metric_names');
  const attributes = readTests(r, 'attributes');
  const resources = readTests(r, 'resources');
  const libraries = r.blocks('libraries').map((b) => {
    const name = b.string('name', '');
    const version = b.optionalString('version');
    // `version: ""` matches only an empty version; no version key matches any.
    const hasVersion = b.has('version');
    b.done();
    return hasVersion ? { name, version: version ?? '' } : { name };
  });

  const invalidFor: Partial<Record<Signal, ConfigError>> = {};
  // Spans (ValidateForSpans): the first log or metric field is named.
  for (const [k, given] of [['log_bodies', logBodies.length], ['log_severity_texts', logSeverityTexts.length], ['log_severity_number', logSeverityNumber ? 1 : 0], ['metric_names', metricNames.length]] as const) {
    if (given && !invalidFor.traces) invalidFor.traces = r.fail(k, `${k} should not be specified for trace spans`);
  }
  if (!invalidFor.traces && !services.length && !spanNames.length && !spanKinds.length && !attributes.length && !resources.length && !libraries.length) {
    invalidFor.traces = r.error('at least one of "services", "span_names", "span_kinds", "attributes", "libraries" or "resources" field must be specified');
  }
  // Log records (ValidateForLogs).
  const spanOrMetric = (['services', 'span_names', 'span_kinds', 'metric_names'] as const).find((k) => r.present(k));
  if (spanOrMetric) invalidFor.logs = r.fail(spanOrMetric, 'services, span_names, span_kinds and metric_names are not valid for log records');
  else if (!attributes.length && !libraries.length && !resources.length && !logBodies.length && !logSeverityTexts.length && !logSeverityNumber) {
    invalidFor.logs = r.error('at least one of "attributes", "libraries", "span_kinds", "resources", "log_bodies", "log_severity_texts" or "log_severity_number" field must be specified');
  }
  // Metrics (ValidateForMetrics): only metric names and resources.
  const notMetric = (['log_bodies', 'log_severity_texts', 'span_names', 'services', 'span_kinds', 'attributes', 'libraries', 'log_severity_number'] as const).find((k) => r.present(k));
  if (notMetric) invalidFor.metrics = r.fail(notMetric, '"span_names", "span_kinds", "log_bodies", "log_severity_texts", "log_severity_number", "services", "attributes" and "libraries" are not valid for metrics');
  else if (!metricNames.length && !resources.length) invalidFor.metrics = r.error('at least one of "metric_names" or "resources" field must be specified');

  const props: MatchProperties = {
    matchType, services, spanNames, spanKinds, logBodies, logSeverityTexts, ...(logSeverityNumber ? { logSeverityNumber } : {}), metricNames,
    attributes, resources, libraries, invalidFor,
  };
  if (matchType === 'regexp') validateRegexps(r, props);
  return props;
}
