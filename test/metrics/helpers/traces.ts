// Builds ExportTraceServiceRequest bytes for the metrics tests with the independent oracle encoder
// (upstream protobufjs code), from a compact description: resources with attributes, spans with
// kind, status, times, attributes and events.
import { encodeTraces, hex } from '../../helpers/oracle.js';

export type AttrValue = string | number | boolean | { int: number | bigint } | { double: number } | AttrValue[] | { kv: Record<string, AttrValue> };

export interface SpanSpec {
  name: string;
  /** 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind?: number;
  /** 0 unset, 1 ok, 2 error. */
  status?: number;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  /** Start, Unix ns. Default: BASE_NS. */
  start?: bigint;
  /** Duration in ns (end = start + duration); may be negative. */
  durationNs?: bigint;
  attributes?: Record<string, AttrValue>;
  events?: { name: string; attributes?: Record<string, AttrValue> }[];
  scope?: { name: string; version?: string };
}

export interface ResourceSpec {
  attributes: Record<string, AttrValue>;
  spans: SpanSpec[];
}

/** 2024-06-01T00:00:00Z in ns. */
export const BASE_NS = 1_717_200_000_000_000_000n;

export const MS = 1_000_000n;

function anyValue(v: AttrValue): object {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if ('int' in v) return { intValue: String(v.int) };
  if ('double' in v) return { doubleValue: v.double };
  return { kvlistValue: { values: attributes(v.kv) } };
}

function attributes(a: Record<string, AttrValue> | undefined): object[] {
  return Object.entries(a ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));
}

let counter = 0;
/** A fresh non-zero span id (hex). */
export function nextSpanId(): string {
  counter++;
  return counter.toString(16).padStart(16, '0');
}

export function traceRequest(resources: ResourceSpec[]): Uint8Array {
  return encodeTraces({
    resourceSpans: resources.map((r) => {
      // Group spans by scope (in order of first appearance).
      const scopes = new Map<string, { scope?: { name: string; version?: string }; spans: object[] }>();
      for (const s of r.spans) {
        const key = s.scope ? `${s.scope.name}\u0000${s.scope.version ?? ''}` : '';
        let group = scopes.get(key);
        if (!group) scopes.set(key, (group = { scope: s.scope, spans: [] }));
        const start = s.start ?? BASE_NS;
        const end = start + (s.durationNs ?? 1n * MS);
        group.spans.push({
          traceId: hex(s.traceId ?? '0102030405060708090a0b0c0d0e0f10'),
          spanId: hex(s.spanId ?? nextSpanId()),
          ...(s.parentSpanId ? { parentSpanId: hex(s.parentSpanId) } : {}),
          name: s.name,
          kind: s.kind ?? 1,
          startTimeUnixNano: start.toString(),
          endTimeUnixNano: end.toString(),
          attributes: attributes(s.attributes),
          events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: start.toString(), attributes: attributes(e.attributes) })),
          status: s.status ? { code: s.status } : {},
        });
      }
      return {
        resource: { attributes: attributes(r.attributes) },
        scopeSpans: [...scopes.values()].map((g) => ({ ...(g.scope ? { scope: g.scope } : {}), spans: g.spans })),
      };
    }),
  });
}
