// TraceBatch.fromJSON / toJSON: OTLP/JSON in (lenient), strict OTLP/JSON out, and the two agree with
// protobuf input for the same data.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { init, TraceBatch, OtlpJsonError } from 'otel-sieve';
import { validFixtures, FIXTURES } from '../helpers/fixtures.js';
import { edgeCaseRequests } from '../helpers/edge-cases.js';
import { expectedJson } from '../helpers/oracle-json.js';
import { generateTraceRequests } from '../../bench/corpus.js';

beforeAll(async () => {
  await init();
});

const inputs = (): [string, Uint8Array][] => [
  ...validFixtures().filter(([, b]) => b.length > 0),
  ...edgeCaseRequests().filter(([, b]) => b.length > 0),
  ...generateTraceRequests({ seed: 9, requests: 1, spansPerRequest: 300 }).map((b): [string, Uint8Array] => ['corpus', b]),
];

describe('JSON round trips', () => {
  for (const [name, bytes] of inputs()) {
    it(`${name}: protobuf → JSON → protobuf → JSON is stable, and the protobuf agrees with the oracle`, () => {
      const b1 = TraceBatch.fromProtobuf(bytes);
      const j1 = b1.toJSON();
      const b2 = TraceBatch.fromJSON(JSON.stringify(j1));
      expect(b2.toJSON()).toEqual(j1);
      // The protobuf made from our JSON decodes, in the oracle, to the JSON we started from.
      expect(expectedJson(b2.toProtobuf())).toEqual(j1);
      // Object input (with bigint values) and byte input give the same batch.
      const b3 = TraceBatch.fromJSON(j1);
      expect(Buffer.compare(Buffer.from(b3.toProtobuf()), Buffer.from(b2.toProtobuf()))).toBe(0);
      const b4 = TraceBatch.fromJSON(new TextEncoder().encode(JSON.stringify(j1)));
      expect(Buffer.compare(Buffer.from(b4.toProtobuf()), Buffer.from(b2.toProtobuf()))).toBe(0);
      for (const b of [b1, b2, b3, b4]) b.dispose();
    });
  }
});

describe('JSON produced by the OpenTelemetry JS SDK', () => {
  for (const name of ['minimal', 'shop', 'limits']) {
    it(`sdk/${name}.json reads the same as sdk/${name}.pb`, () => {
      const fromJson = TraceBatch.fromJSON(readFileSync(`${FIXTURES}sdk/${name}.json`, 'utf8'));
      const fromPb = TraceBatch.fromProtobuf(new Uint8Array(readFileSync(`${FIXTURES}sdk/${name}.pb`)));
      expect(fromJson.toJSON()).toEqual(fromPb.toJSON());
      expect(fromJson.spanCount).toBeGreaterThan(0);
    });
  }
});

describe('JSON input rules', () => {
  it('collector-style leniency: snake_case, enum names, int64 as numbers, upper-case hex', () => {
    const b = TraceBatch.fromJSON(`{"resource_spans":[{"scope_spans":[{"spans":[{
      "trace_id":"0102030405060708090A0B0C0D0E0F10","span_id":"0102030405060708","name":"x",
      "kind":"SPAN_KIND_SERVER","start_time_unix_nano":1700000000000000001,"end_time_unix_nano":"1700000000000000002",
      "status":{"code":"STATUS_CODE_ERROR"},
      "attributes":[{"key":"big","value":{"intValue":9007199254740993}},{"key":"d","value":{"doubleValue":"NaN"}}]}]}]}]}`);
    const s = b.span(0);
    expect(s.traceId).toBe('0102030405060708090a0b0c0d0e0f10');
    expect(s.kind).toBe(2);
    expect(s.status.code).toBe(2);
    expect(s.startTimeUnixNano).toBe(1700000000000000001n);
    expect(s.attribute('big')).toEqual({ type: 'int', value: 9007199254740993n });
    expect(Number.isNaN((s.attribute('d') as { value: number }).value)).toBe(true);
  });

  it('errors name the line, column, JSON path and source', () => {
    const text = '{"resourceSpans":[{"scopeSpans":[{"spans":[\n  {"traceId":"abc"}]}]}]}';
    let err: unknown;
    try {
      TraceBatch.fromJSON(text, { source: 'traces.json' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OtlpJsonError);
    expect((err as Error).message).toBe(
      'traces.json: line 2, column 14 (resourceSpans[0].scopeSpans[0].spans[0].traceId): trace id must be 32 hex digits, got 3',
    );
  });

  it('depth limits match the protobuf path: 64 nested arrays pass, 65 fail', () => {
    const nest = (n: number) => {
      let v = '{"stringValue":"x"}';
      for (let i = 0; i < n; i++) v = `{"arrayValue":{"values":[${v}]}}`;
      return `{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"d","attributes":[{"key":"deep","value":${v}}]}]}]}]}`;
    };
    expect(TraceBatch.fromJSON(nest(64)).spanCount).toBe(1);
    expect(() => TraceBatch.fromJSON(nest(65))).toThrow(OtlpJsonError);
    expect(() => TraceBatch.fromJSON(nest(65))).toThrow(/deeper than 64/);
    expect(() => TraceBatch.fromJSON(nest(10), { maxDepth: 9 })).toThrow(/deeper than 9/);
    expect(TraceBatch.fromJSON(nest(9), { maxDepth: 9 }).spanCount).toBe(1);
  });

  it('empty JSON input is an error unless allowed; {} is an empty request', () => {
    expect(() => TraceBatch.fromJSON('')).toThrow(OtlpJsonError);
    expect(TraceBatch.fromJSON('', { allowEmpty: true }).spanCount).toBe(0);
    expect(TraceBatch.fromJSON('{}').spanCount).toBe(0);
  });
});
