// The collector's filterconfig MatchProperties for spans (include / exclude of the attributes
// processor): strict matching of services, span names, kinds, attributes (all), resources (any)
// and libraries (any). regexp matching needs the regex engine and is refused until it exists.
import type { ConfigReader } from '../../config/config-reader.js';
import type { ConfigNode } from '../../config/config-node.js';
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

export interface MatchProperties {
  /** strict (evaluated in the core) or regexp (through the registered regex engine). */
  readonly matchType: 'strict' | 'regexp';
  readonly services: readonly string[];
  readonly spanNames: readonly string[];
  readonly spanKinds: readonly number[];
  readonly attributes: readonly AttributeTest[];
  readonly resources: readonly AttributeTest[];
  readonly libraries: readonly { name: string; version?: string }[];
}

const SPAN_KINDS: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
};

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
  for (const k of ['metric_names', 'log_bodies', 'log_severity_texts', 'log_severity_number'] as const) {
    if (r.present(k)) throw r.fail(k, `${k} should not be specified for trace spans`);
  }
  const services = r.stringList('services');
  const spanNames = r.stringList('span_names');
  const spanKinds = r.stringList('span_kinds').map((k) => {
    const code = SPAN_KINDS[k];
    if (code === undefined) throw r.fail('span_kinds', `unknown span kind "${k}" (expected one of ${Object.keys(SPAN_KINDS).join(', ')})`);
    return code;
  });
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
  if (!services.length && !spanNames.length && !spanKinds.length && !attributes.length && !resources.length && !libraries.length) {
    throw r.error('at least one of "services", "span_names", "span_kinds", "attributes", "libraries" or "resources" field must be specified');
  }
  const props: MatchProperties = { matchType, services, spanNames, spanKinds, attributes, resources, libraries };
  if (matchType === 'regexp') validateRegexps(r, props);
  return props;
}
