// The usual JavaScript way to process OTLP: decode the request into objects with protobufjs, work on
// the objects, encode the survivors. This is the baseline otel-sieve's headline ratios are against.
//
// The message classes are the upstream-generated static code shipped by
// @opentelemetry/otlp-transformer@0.52.1 (our `otlp-oracle` alias) — the same code generator and runtime
// most JS OTLP tooling has used, not something tuned by us. Its schema predates Span.flags (16) and
// Link.flags (6): protobufjs skips them as unknown fields, so this pipeline's output lacks them. That is
// a few bytes less work than a faithful pipeline, so if anything it flatters the baseline.

import oracleRoot from 'otlp-oracle/build/esm/generated/root.js';
import { keepRuleAccepts } from './keep-rule.js';
import type { KeepRule } from './keep-rule.js';

/** protobufjs's 64-bit integer object (the `long` package), as decoded for fixed64/int64 fields. */
export interface PbLong {
  low: number;
  high: number;
  unsigned: boolean;
}

// The generated code was built with null defaults: a field absent from the bytes reads as null (or as
// a shared empty array for repeated fields), hence the `| null` throughout.
export interface PbAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: PbLong | number | null;
  doubleValue?: number | null;
  arrayValue?: { values: PbAnyValue[] } | null;
  kvlistValue?: { values: PbKeyValue[] } | null;
  bytesValue?: Uint8Array | null;
}

export interface PbKeyValue {
  key: string | null;
  value?: PbAnyValue | null;
}

export interface PbSpan {
  traceId: Uint8Array | null;
  spanId: Uint8Array | null;
  traceState: string | null;
  parentSpanId: Uint8Array | null;
  name: string | null;
  kind: number | null;
  startTimeUnixNano: PbLong | number | null;
  endTimeUnixNano: PbLong | number | null;
  attributes: PbKeyValue[];
  droppedAttributesCount: number | null;
  events: { timeUnixNano: PbLong | number | null; name: string | null; attributes: PbKeyValue[] }[];
  links: { traceId: Uint8Array | null; spanId: Uint8Array | null; traceState: string | null; attributes: PbKeyValue[] }[];
  status: { message: string | null; code: number | null } | null;
}

export interface PbScopeSpans {
  scope: { name: string | null; version: string | null; attributes: PbKeyValue[] } | null;
  spans: PbSpan[];
  schemaUrl: string | null;
}

export interface PbResourceSpans {
  resource: { attributes: PbKeyValue[]; droppedAttributesCount: number | null } | null;
  scopeSpans: PbScopeSpans[];
  schemaUrl: string | null;
}

export interface PbExportTraceServiceRequest {
  resourceSpans: PbResourceSpans[];
}

interface MessageClass<T> {
  decode(bytes: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}

// root.d.ts types the module as a reflection Root, but the generated code exports plain namespaces.
interface OracleRoot {
  opentelemetry: {
    proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageClass<PbExportTraceServiceRequest> } } } };
  };
}

const ExportTraceServiceRequest = (oracleRoot as unknown as OracleRoot).opentelemetry.proto.collector.trace.v1
  .ExportTraceServiceRequest;

/** A predicate over a decoded span and its enclosing messages. */
export type SpanPredicate = (span: PbSpan, scopeSpans: PbScopeSpans, resourceSpans: PbResourceSpans) => boolean;

/** Decodes a request into protobufjs message objects. */
export function decodeWithProtobufjs(bytes: Uint8Array): PbExportTraceServiceRequest {
  return ExportTraceServiceRequest.decode(bytes);
}

/** Encodes message objects back into a request. */
export function encodeWithProtobufjs(request: PbExportTraceServiceRequest): Uint8Array {
  return ExportTraceServiceRequest.encode(request).finish();
}

/** Nanoseconds as a double (rounded beyond 2^53); absent is 0. */
export function pbTimeToNumber(value: PbLong | number | null): number {
  if (value === null) return 0;
  return typeof value === 'number' ? value : (value.high >>> 0) * 4294967296 + (value.low >>> 0);
}

/** The span's duration in nanoseconds, exact for any realistic duration, computed without allocating. */
export function pbSpanDurationNanos(span: PbSpan): number {
  const s = span.startTimeUnixNano;
  const e = span.endTimeUnixNano;
  if (s === null || e === null || typeof s === 'number' || typeof e === 'number') return pbTimeToNumber(e) - pbTimeToNumber(s);
  // Subtracting the halves separately keeps the difference exact where whole values would round.
  return ((e.high >>> 0) - (s.high >>> 0)) * 4294967296 + ((e.low >>> 0) - (s.low >>> 0));
}

/** The predicate applying `rule` to decoded spans, with the same semantics as every implementation. */
export function predicateFromRule(rule: KeepRule): SpanPredicate {
  const index = rule.traceIdByteIndex;
  return (span) => {
    const id = span.traceId;
    const byte = id && index < id.length ? (id[index] as number) : -1;
    return keepRuleAccepts(rule, span.status?.code ?? 0, pbSpanDurationNanos(span), byte);
  };
}

/** Keeps matching spans of decoded objects in place; drops scopes and resources left empty. */
export function filterDecoded(request: PbExportTraceServiceRequest, keep: SpanPredicate): PbExportTraceServiceRequest {
  const resources: PbResourceSpans[] = [];
  for (const rs of request.resourceSpans) {
    const scopes: PbScopeSpans[] = [];
    for (const ss of rs.scopeSpans) {
      const spans = ss.spans.filter((span) => keep(span, ss, rs));
      if (spans.length > 0) {
        ss.spans = spans;
        scopes.push(ss);
      }
    }
    if (scopes.length > 0) {
      rs.scopeSpans = scopes;
      resources.push(rs);
    }
  }
  request.resourceSpans = resources;
  return request;
}

/** decode → filter → encode: the whole protobufjs pipeline. */
export function filterWithProtobufjs(bytes: Uint8Array, keep: SpanPredicate): Uint8Array {
  return encodeWithProtobufjs(filterDecoded(decodeWithProtobufjs(bytes), keep));
}

/** One RED-style series: spans per service, name, kind and status, with their summed durations. */
export interface SpanAggregate {
  readonly service: string;
  readonly name: string;
  readonly kind: number;
  readonly statusCode: number;
  count: number;
  durationSumNanos: number;
}

function serviceName(rs: PbResourceSpans): string {
  const attrs = rs.resource ? rs.resource.attributes : [];
  for (const kv of attrs) {
    if (kv.key === 'service.name' && kv.value && typeof kv.value.stringValue === 'string') return kv.value.stringValue;
  }
  return 'unknown_service';
}

/**
 * decode → aggregate: adds every span of the request to `into` (keyed by service, name, kind, status)
 * and returns it. The shape of the work span metrics do, for the metric benchmarks.
 */
export function aggregateWithProtobufjs(
  bytes: Uint8Array,
  into: Map<string, SpanAggregate> = new Map(),
): Map<string, SpanAggregate> {
  const request = decodeWithProtobufjs(bytes);
  for (const rs of request.resourceSpans) {
    const service = serviceName(rs);
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const statusCode = span.status?.code ?? 0;
        const name = span.name ?? '';
        const kind = span.kind ?? 0;
        const key = `${service}\u0000${name}\u0000${kind}\u0000${statusCode}`;
        let agg = into.get(key);
        if (!agg) {
          agg = { service, name, kind, statusCode, count: 0, durationSumNanos: 0 };
          into.set(key, agg);
        }
        agg.count++;
        agg.durationSumNanos += pbSpanDurationNanos(span);
      }
    }
  }
  return into;
}
