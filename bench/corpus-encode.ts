// Encodings (protobuf and OTLP/JSON) of the bench corpus (bench/corpus.ts: the generator and its entry points).

import { ProtoWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../src/wire/proto-writer.js';
import type { CorpusAttribute, CorpusRequest, CorpusSpan, CorpusValue } from './corpus-model.js';
import { HEX } from './corpus-shop.js';

// ---------------------------------------------------------------------------------------------------
// Protobuf

/** An AnyValue's content (the log and metric corpora write their attributes and bodies with it too). */
export function writeValue(w: ProtoWriter, v: CorpusValue): void {
  switch (v.type) {
    case 'string':
      w.tag(1, WIRE_LEN).string(v.value);
      break;
    case 'bool':
      w.tag(2, WIRE_VARINT).bool(v.value);
      break;
    case 'int':
      w.tag(3, WIRE_VARINT);
      if (v.value >= 0 && v.value <= 0x7fffffff) w.uint32(v.value);
      else w.int64(BigInt(v.value));
      break;
    case 'double':
      w.tag(4, WIRE_FIXED64).double(v.value);
      break;
    case 'array':
      w.fork(5);
      for (const item of v.value) {
        w.fork(1);
        writeValue(w, item);
        w.ldelim();
      }
      w.ldelim();
      break;
  }
}

/** KeyValue attributes as repeated `field`. */
export function writeAttributes(w: ProtoWriter, field: number, attrs: readonly CorpusAttribute[]): void {
  for (const a of attrs) {
    w.fork(field);
    w.tag(1, WIRE_LEN).string(a.key);
    w.fork(2);
    writeValue(w, a.value);
    w.ldelim();
    w.ldelim();
  }
}

export function writeSpan(w: ProtoWriter, s: CorpusSpan): void {
  w.fork(2);
  w.tag(1, WIRE_LEN).bytes(s.traceId);
  w.tag(2, WIRE_LEN).bytes(s.spanId);
  if (s.traceState) w.tag(3, WIRE_LEN).string(s.traceState);
  if (s.parentSpanId.length) w.tag(4, WIRE_LEN).bytes(s.parentSpanId);
  w.tag(5, WIRE_LEN).string(s.name);
  if (s.kind) w.tag(6, WIRE_VARINT).uint32(s.kind);
  w.tag(7, WIRE_FIXED64).fixed64(s.startTimeUnixNano);
  w.tag(8, WIRE_FIXED64).fixed64(s.endTimeUnixNano);
  writeAttributes(w, 9, s.attributes);
  for (const e of s.events) {
    w.fork(11);
    w.tag(1, WIRE_FIXED64).fixed64(e.timeUnixNano);
    w.tag(2, WIRE_LEN).string(e.name);
    writeAttributes(w, 3, e.attributes);
    w.ldelim();
  }
  for (const l of s.links) {
    w.fork(13);
    w.tag(1, WIRE_LEN).bytes(l.traceId);
    w.tag(2, WIRE_LEN).bytes(l.spanId);
    if (l.traceState) w.tag(3, WIRE_LEN).string(l.traceState);
    writeAttributes(w, 4, l.attributes);
    if (l.flags) w.tag(6, WIRE_FIXED32).fixed32(l.flags);
    w.ldelim();
  }
  if (s.statusCode || s.statusMessage) {
    w.fork(15);
    if (s.statusMessage) w.tag(2, WIRE_LEN).string(s.statusMessage);
    if (s.statusCode) w.tag(3, WIRE_VARINT).uint32(s.statusCode);
    w.ldelim();
  }
  if (s.flags) w.tag(16, WIRE_FIXED32).fixed32(s.flags);
  w.ldelim();
}

/** Encodes a request model as `ExportTraceServiceRequest` protobuf bytes. */
export function encodeTraceRequest(request: CorpusRequest): Uint8Array {
  const w = new ProtoWriter(Math.max(1024, request.spanCount * 800));
  for (const rs of request.resourceSpans) {
    w.fork(1);
    w.fork(1);
    writeAttributes(w, 1, rs.resource.attributes);
    w.ldelim();
    for (const ss of rs.scopeSpans) {
      w.fork(2);
      w.fork(1);
      w.tag(1, WIRE_LEN).string(ss.scope.name);
      if (ss.scope.version) w.tag(2, WIRE_LEN).string(ss.scope.version);
      w.ldelim();
      for (const span of ss.spans) writeSpan(w, span);
      if (ss.scope.schemaUrl) w.tag(3, WIRE_LEN).string(ss.scope.schemaUrl);
      w.ldelim();
    }
    if (rs.resource.schemaUrl) w.tag(3, WIRE_LEN).string(rs.resource.schemaUrl);
    w.ldelim();
  }
  return w.finish();
}

// ---------------------------------------------------------------------------------------------------
// OTLP/JSON

/** An OTLP/JSON value: ids in hex, 64-bit integers as decimal strings, enums as numbers. */
export type OtlpJsonValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpJsonValue[] } };

export interface OtlpJsonKeyValue {
  key: string;
  value: OtlpJsonValue;
}

export const hex = (bytes: Uint8Array): string => {
  let out = '';
  for (const b of bytes) out += HEX[b >>> 4]! + HEX[b & 15]!;
  return out;
};

export function jsonValue(v: CorpusValue): OtlpJsonValue {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: String(v.value) };
    case 'double':
      return { doubleValue: v.value };
    case 'array':
      return { arrayValue: { values: v.value.map(jsonValue) } };
  }
}

export const jsonAttributes = (attrs: readonly CorpusAttribute[]): OtlpJsonKeyValue[] =>
  attrs.map((a) => ({ key: a.key, value: jsonValue(a.value) }));

/**
 * The request as an OTLP/JSON object (`JSON.stringify` it for the wire). Fields equal to their default
 * are left out, as protobuf leaves them out of the bytes.
 */
export function traceRequestToJson(request: CorpusRequest): { resourceSpans: unknown[] } {
  return {
    resourceSpans: request.resourceSpans.map((rs) => ({
      resource: { attributes: jsonAttributes(rs.resource.attributes) },
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: { name: ss.scope.name, ...(ss.scope.version ? { version: ss.scope.version } : {}) },
        spans: ss.spans.map((s) => ({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          ...(s.traceState ? { traceState: s.traceState } : {}),
          ...(s.parentSpanId.length ? { parentSpanId: hex(s.parentSpanId) } : {}),
          ...(s.flags ? { flags: s.flags } : {}),
          name: s.name,
          ...(s.kind ? { kind: s.kind } : {}),
          startTimeUnixNano: String(s.startTimeUnixNano),
          endTimeUnixNano: String(s.endTimeUnixNano),
          attributes: jsonAttributes(s.attributes),
          ...(s.events.length
            ? { events: s.events.map((e) => ({ timeUnixNano: String(e.timeUnixNano), name: e.name, ...(e.attributes.length ? { attributes: jsonAttributes(e.attributes) } : {}) })) }
            : {}),
          ...(s.links.length
            ? {
                links: s.links.map((l) => ({
                  traceId: hex(l.traceId),
                  spanId: hex(l.spanId),
                  ...(l.traceState ? { traceState: l.traceState } : {}),
                  ...(l.attributes.length ? { attributes: jsonAttributes(l.attributes) } : {}),
                  ...(l.flags ? { flags: l.flags } : {}),
                })),
              }
            : {}),
          status: { ...(s.statusMessage ? { message: s.statusMessage } : {}), ...(s.statusCode ? { code: s.statusCode } : {}) },
        })),
        ...(ss.scope.schemaUrl ? { schemaUrl: ss.scope.schemaUrl } : {}),
      })),
      ...(rs.resource.schemaUrl ? { schemaUrl: rs.resource.schemaUrl } : {}),
    })),
  };
}
