// Requests with known spans, encoded by the independent oracle (protobuf) or written as OTLP/JSON
// text by hand, so that what the handler and exporters read is never only what we wrote.
import { encodeTraces } from '../../helpers/oracle.js';

export interface SampleSpan {
  /** Trace number (ids are derived from it). */
  trace: number;
  span: number;
  parent?: number;
  name: string;
  error?: boolean;
  attributes?: Record<string, string | number | boolean>;
}

const h2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');
export const traceIdHex = (t: number): string => `5eed${h2(t)}00${'0'.repeat(20)}${h2(t >> 8)}${h2(t)}`;
export const spanIdHex = (t: number, s: number): string => `${h2(t)}${h2(s)}${h2(s >> 8)}00cafe0001`;
export const spanKey = (t: number, s: number): string => `${traceIdHex(t)}/${spanIdHex(t, s)}`;

const T0 = 1_700_000_000_000_000_000n;

function attributeList(attrs: Record<string, string | number | boolean> = {}) {
  return Object.entries(attrs).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: v } : { doubleValue: v },
  }));
}

/** The request in the oracle's object form (ids as bytes). */
export function requestObject(spans: SampleSpan[], service = 'checkout') {
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{
        scope: { name: 'samples', version: '1.0.0' },
        spans: spans.map((s) => ({
          traceId: Buffer.from(traceIdHex(s.trace), 'hex'),
          spanId: Buffer.from(spanIdHex(s.trace, s.span), 'hex'),
          parentSpanId: s.parent === undefined ? undefined : Buffer.from(spanIdHex(s.trace, s.parent), 'hex'),
          name: s.name,
          kind: s.parent === undefined ? 2 : 3,
          startTimeUnixNano: String(T0 + BigInt(s.span) * 1_000_000n),
          endTimeUnixNano: String(T0 + BigInt(s.span) * 1_000_000n + 5_000_000n),
          attributes: attributeList(s.attributes),
          status: s.error ? { code: 2, message: 'boom' } : {},
        })),
      }],
    }],
  };
}

export function protobufRequest(spans: SampleSpan[], service?: string): Uint8Array {
  return encodeTraces(requestObject(spans, service));
}

/** OTLP/JSON text as an SDK writes it (hex ids, string timestamps, numeric intValue). */
export function jsonRequest(spans: SampleSpan[], service = 'checkout'): string {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{
        scope: { name: 'samples', version: '1.0.0' },
        spans: spans.map((s) => ({
          traceId: traceIdHex(s.trace),
          spanId: spanIdHex(s.trace, s.span),
          ...(s.parent === undefined ? {} : { parentSpanId: spanIdHex(s.trace, s.parent) }),
          name: s.name,
          kind: s.parent === undefined ? 2 : 3,
          startTimeUnixNano: String(T0 + BigInt(s.span) * 1_000_000n),
          endTimeUnixNano: String(T0 + BigInt(s.span) * 1_000_000n + 5_000_000n),
          attributes: attributeList(s.attributes),
          droppedAttributesCount: 0,
          status: s.error ? { code: 2, message: 'boom' } : { code: 0 },
        })),
      }],
    }],
  });
}

/** Two traces: a health check (root + child) and a checkout whose child failed. */
export const SAMPLE_SPANS: SampleSpan[] = [
  { trace: 1, span: 1, name: 'GET /health' },
  { trace: 1, span: 2, parent: 1, name: 'db ping' },
  { trace: 2, span: 1, name: 'POST /checkout', attributes: { 'user.email': 'a@example.com', 'http.status_code': 500 } },
  { trace: 2, span: 2, parent: 1, name: 'charge card', error: true },
  { trace: 2, span: 3, parent: 1, name: 'GET /healthz-cache' },
  { trace: 3, span: 1, name: 'GET /users', attributes: { 'http.status_code': 200 } },
];
