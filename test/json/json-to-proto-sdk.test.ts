// (c) Real producer: the OTel JS SDK's JsonTraceSerializer output transcodes to what its
// ProtobufTraceSerializer writes for the same spans.
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, test } from 'vitest';
import { otlpJsonToProtobuf } from '../../src/otlp/json/json-to-proto.js';
import { ExportTraceServiceRequest } from '../../src/otlp/schema/trace.js';
import { oracle, oracleDecode, withoutZeros } from './helpers/otlp-oracle.js';
import { makeSdkSpans } from './helpers/sdk-spans.js';
import { fieldsAscending, TRACE_WIRE, traceFlags } from './helpers/wire-walk.js';

const spans = makeSdkSpans(120);
const json = JsonTraceSerializer.serializeRequest(spans) as Uint8Array;
const proto = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
const text = new TextDecoder().decode(json);

/** What the oracle reads, ignoring the zero values the SDK's protobuf writer spells out. */
const meaning = (bytes: Uint8Array) => withoutZeros(oracleDecode(oracle.ExportTraceServiceRequest, bytes), 'TraceRequest');

describe('OTel JS SDK payloads', () => {
  test('the JSON has the SDK quirks we must accept', () => {
    // (Checked with .test() so that a failure does not print the whole payload.)
    const has = (pattern: RegExp | string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
    expect(has(/"intValue":\d/)).toBe(true); // int64 as a JSON number
    expect(has(/"intValue":90071992547\d{5}[,}]/)).toBe(true); // … beyond 2^53
    expect(has(/"intValue":-\d/)).toBe(true);
    expect(has('"droppedAttributesCount":0')).toBe(true);
    expect(has('"status":{"code":0}')).toBe(true);
    expect(has('"flags":769')).toBe(true); // remote parent: HAS_IS_REMOTE | IS_REMOTE | sampled
    expect(has('"traceState":"congo=t61rcWkgMzE"')).toBe(true);
    expect(has(/"parentSpanId":"[0-9a-f]{16}"/)).toBe(true);
  });

  test('transcoded JSON decodes equal to the SDK protobuf, flags included', () => {
    const ours = otlpJsonToProtobuf(json, ExportTraceServiceRequest);
    const expected = meaning(proto);
    expect(meaning(ours)).toEqual(expected);
    expect(traceFlags(ours)).toEqual(traceFlags(proto));
    expect(traceFlags(ours).spans).toHaveLength(120);
    expect(traceFlags(ours).links.filter((f) => f !== undefined).length).toBe(80);
    expect(fieldsAscending(ours, 'Request', TRACE_WIRE)).toBe(true);
    // Canonical output is smaller: the SDK writes zero values out.
    expect(ours.length).toBeLessThan(proto.length);
  });

  test('the same from the string form, and span by span', () => {
    expect(otlpJsonToProtobuf(text, ExportTraceServiceRequest)).toEqual(otlpJsonToProtobuf(json, ExportTraceServiceRequest));
    for (let i = 0; i < 12; i++) {
      const one = [spans[i]];
      const ours = otlpJsonToProtobuf(JsonTraceSerializer.serializeRequest(one) as Uint8Array, ExportTraceServiceRequest);
      const theirs = ProtobufTraceSerializer.serializeRequest(one) as Uint8Array;
      expect(meaning(ours)).toEqual(meaning(theirs));
      expect(traceFlags(ours)).toEqual(traceFlags(theirs));
    }
  });

  test('transcoding is stable: the oracle re-encoding of our output, back through JSON, gives the same bytes', () => {
    const ours = otlpJsonToProtobuf(json, ExportTraceServiceRequest);
    // Our output → the oracle's JSON form (ids as hex, 64-bit as strings) → our transcoder again.
    const decoded = oracleDecode(oracle.ExportTraceServiceRequest, ours);
    const again = otlpJsonToProtobuf(JSON.stringify(decoded), ExportTraceServiceRequest);
    // The oracle drops the flags it does not know, so compare without them.
    const stripFlags = (b: Uint8Array) => oracle.ExportTraceServiceRequest.encode(oracle.ExportTraceServiceRequest.decode(b)).finish();
    expect(Buffer.from(again).equals(Buffer.from(stripFlags(ours)))).toBe(true);
  });
});
