// Strict OTLP/JSON output shared by every signal, in the form the collector writes: camelCase keys
// in proto declaration order, lowercase hex ids, 64-bit integers as decimal strings, enums as
// numbers, bytes as base64, non-finite doubles as "NaN"/"Infinity"/"-Infinity", proto3 zero values
// omitted. Messages the collector's data model holds by value (`resource`, `scope`, a span's
// `status`, a log record's `body`, an exponential histogram's `positive`/`negative`) are always
// present, as `{}` when empty. A double -0 is written "-0".
import * as B from '../../assembly/abi/batch-layout.js';
import type { AnyValue, BatchRows, KeyValue } from './value-views.js';
import { readAttributesAt, readStringAt } from './value-views.js';

export interface OtlpJsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpJsonAnyValue[] };
  kvlistValue?: { values?: OtlpJsonKeyValue[] };
  bytesValue?: string;
}
export interface OtlpJsonKeyValue {
  key: string;
  value: OtlpJsonAnyValue;
}
export interface OtlpJsonResource {
  attributes?: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
}
export interface OtlpJsonScope {
  name?: string;
  version?: string;
  attributes?: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
}

/** Standard base64 with padding (what the collector writes for bytes). */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  }
  return btoa(bin);
}

/**
 * A double as OTLP/JSON: a number, or a string where JSON has no number for it — "NaN",
 * "Infinity", "-Infinity", and "-0" (JSON.stringify would turn -0 into 0; proto3 JSON readers accept
 * numeric strings, so the sign survives a round trip through text).
 */
export function jsonDouble(d: number): number | string {
  if (Number.isFinite(d)) return Object.is(d, -0) ? '-0' : d;
  return Number.isNaN(d) ? 'NaN' : d > 0 ? 'Infinity' : '-Infinity';
}

export function anyValueToJSON(v: AnyValue): OtlpJsonAnyValue {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: v.value.toString() };
    case 'double':
      return { doubleValue: jsonDouble(v.value) };
    case 'bytes':
      return { bytesValue: toBase64(v.value) };
    case 'array':
      return { arrayValue: v.value.length ? { values: v.value.map(anyValueToJSON) } : {} };
    case 'kvlist':
      return { kvlistValue: v.value.length ? { values: v.value.map(keyValueToJSON) } : {} };
    default:
      return {};
  }
}

export function keyValueToJSON(kv: KeyValue): OtlpJsonKeyValue {
  return { key: kv.key, value: anyValueToJSON(kv.value) };
}

/** An attribute list, or undefined when empty (repeated fields are omitted when empty). */
export function attributesToJSON(list: KeyValue[]): OtlpJsonKeyValue[] | undefined {
  return list.length ? list.map(keyValueToJSON) : undefined;
}

/** Drops undefined members so the object serialises exactly like the collector's output. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export const nonZero = (n: number): number | undefined => (n ? n : undefined);
export const nonEmpty = (s: string): string | undefined => (s ? s : undefined);
/** A u64 (times, counts) as a decimal string, omitted when zero. */
export const nanos = (n: bigint): string | undefined => (n ? n.toString() : undefined);
/** A list omitted when empty. */
export const nonEmptyList = <T>(list: T[]): T[] | undefined => (list.length ? list : undefined);

function resourceToJSON(b: BatchRows, r: number): OtlpJsonResource {
  const row = b.resourceRow(r);
  return compact({
    attributes: attributesToJSON(readAttributesAt(b, row, B.R_ATTR_START)),
    droppedAttributesCount: nonZero(b.core.dv.getUint32(row + B.R_DROPPED_ATTRS, true)),
  });
}

function scopeToJSON(b: BatchRows, s: number): OtlpJsonScope {
  const row = b.scopeRow(s);
  return compact({
    name: nonEmpty(readStringAt(b, row, B.S_NAME_OFF)),
    version: nonEmpty(readStringAt(b, row, B.S_VERSION_OFF)),
    attributes: attributesToJSON(readAttributesAt(b, row, B.S_ATTR_START)),
    droppedAttributesCount: nonZero(b.core.dv.getUint32(row + B.S_DROPPED_ATTRS, true)),
  });
}

/** The keys a signal's envelope uses, e.g. resourceLogs / scopeLogs / logRecords. */
export interface EnvelopeKeys {
  readonly resources: string;
  readonly scopes: string;
  readonly items: string;
}

/**
 * The request as OTLP/JSON: per resource `{resource, <scopes>, schemaUrl}`, per scope
 * `{scope, <items>, schemaUrl}`, each item rendered by `item(i)` (i counts items in wire order).
 */
export function envelopesToJSON<T>(b: BatchRows & { readonly resourceCount: number }, keys: EnvelopeKeys, item: (i: number) => T): Record<string, unknown> {
  // Rendering items may build tables and grow memory, which detaches views: read rows afresh.
  const u32 = (at: number) => b.core.dv.getUint32(at, true);
  const resources: Record<string, unknown>[] = [];
  for (let r = 0; r < b.resourceCount; r++) {
    const rrow = b.resourceRow(r);
    const firstScope = u32(rrow + B.R_SCOPE_START);
    const nScopes = u32(rrow + B.R_SCOPE_COUNT);
    const scopes: Record<string, unknown>[] = [];
    for (let s = firstScope; s < firstScope + nScopes; s++) {
      const srow = b.scopeRow(s);
      const first = u32(srow + B.S_ITEM_START);
      const n = u32(srow + B.S_ITEM_COUNT);
      const items: T[] = [];
      for (let i = first; i < first + n; i++) items.push(item(i));
      scopes.push(compact({ scope: scopeToJSON(b, s), [keys.items]: nonEmptyList(items), schemaUrl: nonEmpty(readStringAt(b, srow, B.S_SCHEMA_URL_OFF)) }));
    }
    resources.push(compact({ resource: resourceToJSON(b, r), [keys.scopes]: nonEmptyList(scopes), schemaUrl: nonEmpty(readStringAt(b, rrow, B.R_SCHEMA_URL_OFF)) }));
  }
  return resources.length ? { [keys.resources]: resources } : {};
}
