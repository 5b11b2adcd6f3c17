// Our ReadableSpan → OTLP encoder against the SDK's own (otlp-transformer's
// ProtobufTraceSerializer, what OTLPTraceExporter sends): the same bytes, for real SDK spans and
// for hand-made spans with every value the SDK's serializer knows. The independent oracle then
// reads our bytes back.
import { describe, expect, it, beforeAll } from 'vitest';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan as SdkReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import * as api from 'otel-sieve';
import { encodeReadableSpans } from 'otel-sieve/sdk';
import type { ReadableSpan } from 'otel-sieve/sdk';
import { sdkSpans } from './helpers/sdk-spans.js';
import { decodeTraces, toHex } from '../helpers/oracle.js';

let spans: SdkReadableSpan[];
beforeAll(async () => {
  await api.init();
  spans = await sdkSpans();
});

function sdkBytes(s: readonly unknown[]): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest(s as SdkReadableSpan[])!;
}

function handMade(overrides: Partial<ReadableSpan>, resource = resourceFromAttributes({ 'service.name': 'hand' })): ReadableSpan {
  const ctx = { traceId: '0102030405060708090a0b0c0d0e0f10', spanId: '1112131415161718', traceFlags: 1 };
  return {
    name: 'hand-made',
    kind: 1,
    spanContext: () => ctx,
    startTime: [1_700_000_000, 123_456_789],
    endTime: [1_700_000_001, 5],
    duration: [0, 881_543_216],
    status: { code: 0 },
    attributes: {},
    links: [],
    events: [],
    ended: true,
    resource: resource as unknown as ReadableSpan['resource'],
    instrumentationScope: { name: 'hand', version: '1' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...overrides,
  };
}

describe('encodeReadableSpans', () => {
  it('writes exactly the bytes the SDK exporter writes, for real SDK spans', () => {
    expect(spans.length).toBe(5);
    const ours = encodeReadableSpans(spans as unknown as ReadableSpan[]);
    expect(Buffer.from(ours.bytes).equals(Buffer.from(sdkBytes(spans)))).toBe(true);
    // Grouped like the SDK: one resource, scopes in order of first appearance (the db span ended first), spans in order within each.
    expect(ours.resources).toHaveLength(1);
    expect(ours.scopes.map((s) => s.name)).toEqual(['shop-db', 'shop-http']);
    expect(ours.spans.map((s) => s.name)).toEqual(['SELECT users', 'render', 'GET /users/:id', 'process', 'enqueue']);
  });

  it('matches the SDK byte for byte on values only a hand-made span can carry', () => {
    const nested = {
      'obj': { a: 1, b: { c: 'deep', d: [1, 'two', false] } },
      'bytes': new Uint8Array([0, 1, 255]),
      'nothing': undefined,
      'nul': null,
      'nan': NaN,
      'inf': -Infinity,
      'max.int64.ish': 2 ** 63 - 2 ** 10,
      'min.int64': -(2 ** 63),
      'too.big': 2 ** 63,
      'fraction': -0.5,
      'array.of.arrays': [[1, 2], ['x']],
    };
    const cases: ReadableSpan[] = [
      handMade({ attributes: nested }),
      handMade({ kind: 4, status: { code: 2, message: 'bad' }, droppedAttributesCount: 3, droppedEventsCount: 2, droppedLinksCount: 1 }),
      handMade({ events: [{ time: [1, 2], name: 'e', attributes: { k: 'v' }, droppedAttributesCount: 4 }, { time: [0, 0], name: '' }] }),
      handMade({ links: [{ context: { traceId: 'ffffffffffffffffffffffffffffffff', spanId: '0000000000000001', traceFlags: 0, isRemote: false }, droppedAttributesCount: 2 }] }),
      handMade({ parentSpanContext: { traceId: '0102030405060708090a0b0c0d0e0f10', spanId: 'aaaaaaaaaaaaaaaa', traceFlags: 1, isRemote: true } }),
      handMade({ instrumentationScope: { name: 's', version: '', schemaUrl: 'https://opentelemetry.io/schemas/1.24.0', attributes: { 'scope.attr': 1 }, droppedAttributesCount: 2 } }),
      handMade({ name: '' }, resourceFromAttributes({}, { schemaUrl: 'https://opentelemetry.io/schemas/1.25.0' })),
    ];
    for (const [i, s] of cases.entries()) {
      const ours = encodeReadableSpans([s]).bytes;
      expect(Buffer.from(ours).toString('hex'), `case ${i}`).toBe(Buffer.from(sdkBytes([s])).toString('hex'));
    }
  });

  it('is read back by the independent decoder as the spans we gave it', () => {
    const doc = decodeTraces(encodeReadableSpans(spans as unknown as ReadableSpan[]).bytes);
    const decoded = doc.resourceSpans[0].scopeSpans.flatMap((ss: { spans: unknown[] }) => ss.spans);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    expect(decoded).toHaveLength(spans.length);
    for (const d of decoded) {
      const s = byId.get(toHex(d.spanId))!;
      expect(d.name).toBe(s.name);
      expect(toHex(d.traceId)).toBe(s.spanContext().traceId);
      expect(d.kind).toBe(s.kind + 1);
      expect(d.parentSpanId ? toHex(d.parentSpanId) : undefined).toBe(s.parentSpanContext?.spanId);
      expect(BigInt(d.startTimeUnixNano)).toBe(BigInt(s.startTime[0]) * 1_000_000_000n + BigInt(s.startTime[1]));
      expect(d.traceState ?? '').toBe(s.spanContext().traceState?.serialize() ?? '');
    }
    // The remote parent's tracestate and the is-remote flag bits travel.
    const server = decoded.find((d: { name: string }) => d.name === 'GET /users/:id');
    expect(server.traceState).toBe('vendor=abc,ot=th:0');
  });

  it('names a malformed id', () => {
    expect(() => encodeReadableSpans([handMade({ spanContext: () => ({ traceId: 'xyz', spanId: '1112131415161718', traceFlags: 1 }) })])).toThrow(/^trace id "xyz" is not 32 hex digits$/);
  });
});
