// Strict OTLP/JSON output, in the form the collector writes: camelCase keys in proto declaration
// order, lowercase hex ids, 64-bit integers as decimal strings, enums as numbers, bytes as base64,
// non-finite doubles as "NaN"/"Infinity"/"-Infinity", proto3 zero values omitted. `resource`,
// `scope` and `status` are always present (as `{}` when empty), like the collector's output,
// because they are non-optional messages in its data model. A double -0 is written "-0".
import type { TraceBatch } from './trace-batch.js';
import type { AnyValue, KeyValue, SpanView, EventView, LinkView, ResourceView, ScopeView } from './trace-views.js';

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
export interface OtlpJsonEvent {
  timeUnixNano?: string;
  name?: string;
  attributes?: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
}
export interface OtlpJsonLink {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}
export interface OtlpJsonSpan {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  parentSpanId?: string;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
  events?: OtlpJsonEvent[];
  droppedEventsCount?: number;
  links?: OtlpJsonLink[];
  droppedLinksCount?: number;
  status: { message?: string; code?: number };
}
export interface OtlpJsonScopeSpans {
  scope: OtlpJsonScope;
  spans?: OtlpJsonSpan[];
  schemaUrl?: string;
}
export interface OtlpJsonResourceSpans {
  resource: OtlpJsonResource;
  scopeSpans?: OtlpJsonScopeSpans[];
  schemaUrl?: string;
}
export interface OtlpJsonTraces {
  resourceSpans?: OtlpJsonResourceSpans[];
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

function attributes(list: KeyValue[]): OtlpJsonKeyValue[] | undefined {
  return list.length ? list.map(keyValueToJSON) : undefined;
}

/** Drops undefined members so the object serialises exactly like the collector's output. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

const nonZero = (n: number): number | undefined => (n ? n : undefined);
const nonEmpty = (s: string): string | undefined => (s ? s : undefined);
const nanos = (n: bigint): string | undefined => (n ? n.toString() : undefined);

function resourceToJSON(r: ResourceView): OtlpJsonResource {
  return compact({ attributes: attributes(r.attributes), droppedAttributesCount: nonZero(r.droppedAttributesCount) });
}

function scopeToJSON(s: ScopeView): OtlpJsonScope {
  return compact({
    name: nonEmpty(s.name),
    version: nonEmpty(s.version),
    attributes: attributes(s.attributes),
    droppedAttributesCount: nonZero(s.droppedAttributesCount),
  });
}

function eventToJSON(e: EventView): OtlpJsonEvent {
  return compact({
    timeUnixNano: nanos(e.timeUnixNano),
    name: nonEmpty(e.name),
    attributes: attributes(e.attributes),
    droppedAttributesCount: nonZero(e.droppedAttributesCount),
  });
}

function linkToJSON(l: LinkView): OtlpJsonLink {
  return compact({
    traceId: nonEmpty(l.traceId),
    spanId: nonEmpty(l.spanId),
    traceState: nonEmpty(l.traceState),
    attributes: attributes(l.attributes),
    droppedAttributesCount: nonZero(l.droppedAttributesCount),
    flags: nonZero(l.flags),
  });
}

export function spanToJSON(s: SpanView): OtlpJsonSpan {
  const status = s.status;
  const events = s.events;
  const links = s.links;
  return compact({
    traceId: nonEmpty(s.traceId),
    spanId: nonEmpty(s.spanId),
    traceState: nonEmpty(s.traceState),
    parentSpanId: nonEmpty(s.parentSpanId),
    flags: nonZero(s.flags),
    name: nonEmpty(s.name),
    kind: nonZero(s.kind),
    startTimeUnixNano: nanos(s.startTimeUnixNano),
    endTimeUnixNano: nanos(s.endTimeUnixNano),
    attributes: attributes(s.attributes),
    droppedAttributesCount: nonZero(s.droppedAttributesCount),
    events: events.length ? events.map(eventToJSON) : undefined,
    droppedEventsCount: nonZero(s.droppedEventsCount),
    links: links.length ? links.map(linkToJSON) : undefined,
    droppedLinksCount: nonZero(s.droppedLinksCount),
    status: compact({ message: nonEmpty(status.message), code: nonZero(status.code) }),
  });
}

export function traceBatchToJSON(batch: TraceBatch): OtlpJsonTraces {
  const resourceSpans: OtlpJsonResourceSpans[] = [];
  for (let r = 0; r < batch.resourceCount; r++) {
    const resource = batch.resource(r);
    const scopeSpans: OtlpJsonScopeSpans[] = [];
    const firstScope = resource.firstScope;
    for (let s = firstScope; s < firstScope + resource.scopeCount; s++) {
      const scope = batch.scope(s);
      const spans: OtlpJsonSpan[] = [];
      const firstSpan = scope.firstSpan;
      for (let i = firstSpan; i < firstSpan + scope.spanCount; i++) spans.push(spanToJSON(batch.span(i)));
      scopeSpans.push(compact({ scope: scopeToJSON(scope), spans: spans.length ? spans : undefined, schemaUrl: nonEmpty(scope.schemaUrl) }));
    }
    resourceSpans.push(
      compact({ resource: resourceToJSON(resource), scopeSpans: scopeSpans.length ? scopeSpans : undefined, schemaUrl: nonEmpty(resource.schemaUrl) }),
    );
  }
  return resourceSpans.length ? { resourceSpans } : {};
}
