// Builds ExportTraceServiceRequest bytes from a compact description with the independent oracle
// encoder (protobufjs code generated upstream), so processor tests never depend on our encoder.
import { encodeTraces, decodeTraces, hex, toHex } from './oracle.js';

export type Attr = string | number | boolean | bigint | { double: number } | { bytes: string };

export interface SpanSpec {
  trace: string; // hex, 32 chars (or shorter: padded)
  span?: string; // hex 16
  parent?: string;
  name?: string;
  kind?: number;
  start?: bigint; // ns
  end?: bigint;
  status?: number;
  attrs?: Record<string, Attr>;
  traceState?: string;
  events?: { name: string; attrs?: Record<string, Attr> }[];
  links?: { trace: string; span: string; attrs?: Record<string, Attr> }[];
}

export interface ResourceSpec {
  attrs?: Record<string, Attr>;
  scope?: string;
  spans: SpanSpec[];
}

let spanCounter = 1;

export function anyValue(v: Attr): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
  if ('double' in v) return { doubleValue: v.double };
  return { bytesValue: hex(v.bytes) };
}

export function kvs(attrs: Record<string, Attr> | undefined): unknown[] {
  return Object.entries(attrs ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));
}

const pad = (h: string, n: number) => h.padStart(n, '0');

export function buildRequest(resources: ResourceSpec[]): Uint8Array {
  return encodeTraces({
    resourceSpans: resources.map((r) => ({
      resource: { attributes: kvs(r.attrs) },
      scopeSpans: [
        {
          scope: { name: r.scope ?? 'test' },
          spans: r.spans.map((s) => ({
            traceId: hex(pad(s.trace, 32)),
            spanId: hex(s.span ?? pad((spanCounter++).toString(16), 16)),
            parentSpanId: s.parent ? hex(s.parent) : undefined,
            name: s.name ?? 'op',
            kind: s.kind ?? 1,
            startTimeUnixNano: (s.start ?? 1_000_000_000n).toString(),
            endTimeUnixNano: (s.end ?? 1_001_000_000n).toString(),
            status: s.status !== undefined ? { code: s.status } : undefined,
            attributes: kvs(s.attrs),
            traceState: s.traceState,
            events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: '1', attributes: kvs(e.attrs) })),
            links: (s.links ?? []).map((l) => ({ traceId: hex(pad(l.trace, 32)), spanId: hex(l.span), attributes: kvs(l.attrs) })),
          })),
        },
      ],
    })),
  });
}

/** Decoded spans of a request (oracle), flattened in wire order with their resource attributes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function decodedSpans(bytes: Uint8Array): { trace: string; span: string; name: string; attrs: Record<string, unknown>; resource: Record<string, unknown>; raw: any }[] {
  const req = decodeTraces(bytes);
  const out = [];
  for (const rs of req.resourceSpans ?? []) {
    const resource = plainAttrs(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) out.push({ trace: toHex(s.traceId), span: toHex(s.spanId), name: s.name, attrs: plainAttrs(s.attributes), resource, raw: s });
    }
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function plainAttrs(list: any[] | undefined): Record<string, unknown> {
  const o: Record<string, unknown> = Object.create(null);
  for (const kv of list ?? []) {
    const v = kv.value ?? {};
    o[kv.key] = v.stringValue ?? v.boolValue ?? (v.intValue !== undefined ? BigInt(v.intValue) : undefined) ?? v.doubleValue ?? (v.bytesValue ? toHex(v.bytesValue) : undefined);
  }
  return o;
}
