// The collector's filterconfig MatchProperties for spans (include / exclude of the attributes
// processor): strict matching of services, span names, kinds, attributes (all), resources (any)
// and libraries (any). regexp matching needs the regex engine and is refused until it exists.
import type { ConfigReader } from '../../config/config-reader.js';
import type { ConfigNode } from '../../config/config-node.js';

export type MatchValue = string | bigint | number | boolean;

export interface AttributeTest {
  readonly key: string;
  /** Undefined: the key only has to be present. */
  readonly value?: MatchValue;
}

export interface MatchProperties {
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
  if (matchType === 'regexp') {
    throw r.fail('match_type', 'match_type "regexp" is not available in this build (it needs the RE2-compatible regex engine); use strict');
  }
  if (matchType !== 'strict') throw r.fail('match_type', `unrecognized match_type: "${matchType}", valid types are: [regexp strict]`);
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
  return { services, spanNames, spanKinds, attributes, resources, libraries };
}
