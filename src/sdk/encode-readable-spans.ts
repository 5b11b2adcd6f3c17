// ReadableSpan[] → ExportTraceServiceRequest protobuf, written as the SDK's own OTLP exporters
// write it (spans grouped by Resource object, then by InstrumentationScope object; kind offset by
// one; flags carrying the trace flags and the parent's is-remote bits; the same fields present or
// omitted), so the pipeline sees exactly what the wrapped exporter would have sent.
import { ProtoWriter } from '../wire/proto-writer.js';
import type { Attributes, HrTime, InstrumentationScope, Link, ReadableSpan, Resource, SpanStatus, TimedEvent } from './sdk-types.js';

const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;
const INT64_MIN = -(2 ** 63);
const INT64_LIMIT = 2 ** 63;

export interface EncodedSpans {
  bytes: Uint8Array;
  /** The input spans in the order they appear in `bytes`. */
  spans: ReadableSpan[];
  /** The Resource object of each ResourceSpans, in order. */
  resources: Resource[];
  /** The InstrumentationScope object of each ScopeSpans, in order (across resources). */
  scopes: InstrumentationScope[];
}

/** Hex ids as the SDK gives them → bytes (zeros when absent); a TypeError names a malformed one. */
export function hexBytes(hex: string | undefined, size: number, what: string): Uint8Array {
  const out = new Uint8Array(size);
  if (!hex) return out;
  if (hex.length !== size * 2 || !/^[0-9a-fA-F]+$/.test(hex)) throw new TypeError(`${what} "${hex}" is not ${size * 2} hex digits`);
  for (let i = 0; i < size; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

function hrNanos(t: HrTime): bigint {
  return BigInt(Math.trunc(t[0])) * 1_000_000_000n + BigInt(Math.trunc(t[1]));
}

function flags(traceFlags: number, parentIsRemote: boolean | undefined): number {
  return ((traceFlags & 0xff) | FLAGS_HAS_IS_REMOTE | (parentIsRemote ? FLAGS_IS_REMOTE : 0)) >>> 0;
}

/** The fields of an AnyValue for a JS value, as the SDK's serializer maps it. */
export function anyValueField(w: ProtoWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.tag(1, 2).string(value);
      return;
    case 'boolean':
      w.tag(2, 0).bool(value);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= INT64_MIN && value < INT64_LIMIT) w.tag(3, 0).int64(BigInt(value));
      else w.tag(4, 1).double(value);
      return;
    case 'bigint':
      w.tag(3, 0).int64(value);
      return;
  }
  if (value instanceof Uint8Array) {
    w.tag(7, 2).bytes(value);
  } else if (Array.isArray(value)) {
    w.fork(5);
    for (const item of value) {
      w.fork(1);
      anyValueField(w, item);
      w.ldelim();
    }
    w.ldelim();
  } else if (value !== null && typeof value === 'object') {
    w.fork(6);
    for (const key in value as Record<string, unknown>) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      w.fork(1).tag(1, 2).string(key);
      w.fork(2);
      anyValueField(w, (value as Record<string, unknown>)[key]);
      w.ldelim().ldelim();
    }
    w.ldelim();
  }
  // undefined, null, functions, symbols: an empty AnyValue, as the SDK writes them.
}

/** Attributes as repeated KeyValue fields numbered `field` (the SDK's serializer's value mapping). */
export function attributeFields(w: ProtoWriter, attrs: Attributes | undefined, field: number): void {
  if (!attrs) return;
  for (const key in attrs) {
    if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
    w.fork(field).tag(1, 2).string(key);
    w.fork(2);
    anyValueField(w, attrs[key]);
    w.ldelim().ldelim();
  }
}

function status(w: ProtoWriter, s: SpanStatus): void {
  w.fork(15);
  if (s.message) w.tag(2, 2).string(s.message);
  w.tag(3, 0).int32(s.code);
  w.ldelim();
}

function event(w: ProtoWriter, e: TimedEvent): void {
  w.fork(11);
  w.tag(1, 1).fixed64(hrNanos(e.time));
  w.tag(2, 2).string(e.name);
  attributeFields(w, e.attributes, 3);
  w.tag(4, 0).uint32(e.droppedAttributesCount || 0);
  w.ldelim();
}

function link(w: ProtoWriter, l: Link): void {
  const c = l.context;
  w.fork(13);
  w.tag(1, 2).bytes(hexBytes(c.traceId, 16, 'link trace id'));
  w.tag(2, 2).bytes(hexBytes(c.spanId, 8, 'link span id'));
  const ts = c.traceState?.serialize();
  if (ts) w.tag(3, 2).string(ts);
  attributeFields(w, l.attributes, 4);
  w.tag(5, 0).uint32(l.droppedAttributesCount || 0);
  w.tag(6, 5).fixed32(flags(c.traceFlags, c.isRemote));
  w.ldelim();
}

function span(w: ProtoWriter, s: ReadableSpan): void {
  const ctx = s.spanContext();
  w.fork(2);
  w.tag(1, 2).bytes(hexBytes(ctx.traceId, 16, 'trace id'));
  w.tag(2, 2).bytes(hexBytes(ctx.spanId, 8, 'span id'));
  const ts = ctx.traceState?.serialize();
  if (ts) w.tag(3, 2).string(ts);
  const parent = s.parentSpanContext;
  if (parent?.spanId) w.tag(4, 2).bytes(hexBytes(parent.spanId, 8, 'parent span id'));
  w.tag(5, 2).string(s.name);
  const kind = s.kind == null ? 0 : s.kind + 1;
  if (kind !== 0) w.tag(6, 0).uint32(kind);
  w.tag(7, 1).fixed64(hrNanos(s.startTime));
  w.tag(8, 1).fixed64(hrNanos(s.endTime));
  attributeFields(w, s.attributes, 9);
  w.tag(10, 0).uint32(s.droppedAttributesCount || 0);
  for (const e of s.events) event(w, e);
  w.tag(12, 0).uint32(s.droppedEventsCount || 0);
  for (const l of s.links) link(w, l);
  w.tag(14, 0).uint32(s.droppedLinksCount || 0);
  status(w, s.status);
  w.tag(16, 5).fixed32(flags(ctx.traceFlags, parent?.isRemote));
  w.ldelim();
}

function scope(w: ProtoWriter, sc: InstrumentationScope): void {
  w.fork(1);
  w.tag(1, 2).string(sc.name);
  if (sc.version) w.tag(2, 2).string(sc.version);
  attributeFields(w, sc.attributes, 3);
  if (sc.droppedAttributesCount) w.tag(4, 0).uint32(sc.droppedAttributesCount);
  w.ldelim();
}

function resource(w: ProtoWriter, r: Resource): void {
  w.fork(1);
  attributeFields(w, r.attributes, 1);
  // The SDK does not track dropped resource attributes and always writes 0.
  w.tag(2, 0).uint32(0);
  w.ldelim();
}

/** Encodes spans into one request; throws a TypeError naming a malformed id. */
export function encodeReadableSpans(input: readonly ReadableSpan[]): EncodedSpans {
  const byResource = new Map<Resource, Map<InstrumentationScope, ReadableSpan[]>>();
  for (const s of input) {
    let scopes = byResource.get(s.resource);
    if (!scopes) byResource.set(s.resource, (scopes = new Map()));
    let list = scopes.get(s.instrumentationScope);
    if (!list) scopes.set(s.instrumentationScope, (list = []));
    list.push(s);
  }
  const w = new ProtoWriter(1024 + input.length * 256);
  const out: EncodedSpans = { bytes: new Uint8Array(0), spans: [], resources: [], scopes: [] };
  for (const [res, scopes] of byResource) {
    out.resources.push(res);
    w.fork(1);
    resource(w, res);
    for (const [sc, spans] of scopes) {
      out.scopes.push(sc);
      w.fork(2);
      scope(w, sc);
      for (const s of spans) {
        span(w, s);
        out.spans.push(s);
      }
      if (sc.schemaUrl) w.tag(3, 2).string(sc.schemaUrl);
      w.ldelim();
    }
    if (res.schemaUrl) w.tag(3, 2).string(res.schemaUrl);
    w.ldelim();
  }
  out.bytes = w.finish();
  return out;
}
