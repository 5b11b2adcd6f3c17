// Bad input: every error class gets a clear message naming the byte offset, the message and field
// being read, and the rule broken — and the next valid request decodes as if nothing happened.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, TraceBatch, OtlpDecodeError, InputTooLargeError } from 'otel-sieve';
import { ProtoWriter, WIRE_FIXED64, WIRE_LEN } from '../../src/wire/proto-writer.js';
import { edgeCaseRequests, nestedRequest } from '../helpers/edge-cases.js';
import { expectedJson } from '../helpers/oracle-json.js';

beforeAll(async () => {
  await init();
});

const valid = edgeCaseRequests()[0]![1];
const validJson = expectedJson(valid);

function spanWith(build: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  w.fork(1).fork(2).fork(2);
  build(w);
  w.ldelim().ldelim().ldelim();
  return w.finish();
}

function deepNesting(depth: number): Uint8Array {
  // Built back to front so 10 000 levels need no recursion: each level wraps the previous bytes
  // in ArrayValue.values (field 1) inside AnyValue.array_value (field 5).
  let inner: Uint8Array = new ProtoWriter().tag(1, WIRE_LEN).string('x').finish();
  for (let i = 1; i < depth; i++) {
    const arr = new ProtoWriter().tag(1, WIRE_LEN).bytes(inner).finish();
    inner = new ProtoWriter().tag(5, WIRE_LEN).bytes(arr).finish();
  }
  return spanWith((w) => w.fork(9).tag(1, WIRE_LEN).string('deep').tag(2, WIRE_LEN).bytes(inner).ldelim());
}

const u8 = (...b: number[]) => Uint8Array.from(b);

const cases: { name: string; input: Uint8Array; message: string; options?: object }[] = [
  { name: 'truncated varint', input: u8(0x0a, 0xff), message: 'byte 1 (ExportTraceServiceRequest field 1): truncated varint' },
  {
    name: 'varint longer than 64 bits',
    input: u8(0xa8, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02),
    message: 'byte 2 (ExportTraceServiceRequest field 101): varint overflows 64 bits',
  },
  {
    name: 'length past end',
    input: u8(0x0a, 0x05, 0x00),
    message: 'byte 1 (ExportTraceServiceRequest field 1): length past end — length prefix says 5 bytes but the enclosing message ends sooner (input is 3 bytes)',
  },
  {
    name: 'length of 2^31',
    input: u8(0x0a, 0x80, 0x80, 0x80, 0x80, 0x08),
    message: 'byte 1 (ExportTraceServiceRequest field 1): length past end — length prefix says 2147483648 bytes but the enclosing message ends sooner (input is 6 bytes)',
  },
  {
    name: 'wrong wire type for a known field',
    input: u8(0x08, 0x01),
    message: 'byte 0 (ExportTraceServiceRequest field 1): wrong wire type — field 1 cannot be varint',
  },
  {
    name: 'wrong wire type deep inside a span',
    input: spanWith((w) => w.tag(5, 0).uint32(1)),
    message: 'byte 6 (Span field 5): wrong wire type — field 5 cannot be varint',
  },
  { name: 'invalid wire type', input: u8(0xa7, 0x06), message: 'byte 0 (ExportTraceServiceRequest field 100): invalid wire type — wire type 7 does not exist' },
  { name: 'field number 0', input: u8(0x00), message: 'byte 0 (ExportTraceServiceRequest): field number 0 — protobuf field numbers start at 1' },
  { name: 'tag above 32 bits', input: u8(0x80, 0x80, 0x80, 0x80, 0x10), message: 'byte 0 (ExportTraceServiceRequest): tag overflows 32 bits — tag value 4294967296' },
  { name: 'unexpected end group', input: u8(0xa4, 0x06), message: 'byte 0 (ExportTraceServiceRequest field 100): unexpected end group — group field 100' },
  { name: 'unterminated group', input: u8(0xa3, 0x06, 0x08, 0x01), message: 'byte 0 (ExportTraceServiceRequest field 100): unterminated group — group field 100' },
  {
    name: 'trace id of 15 bytes',
    input: spanWith((w) => w.tag(1, WIRE_LEN).bytes(new Uint8Array(15))),
    message: 'byte 6 (Span field 1): invalid id length — id is 15 bytes; trace ids must be 16 bytes and span ids 8 (or empty)',
  },
  {
    name: 'truncated fixed64',
    input: spanWith((w) => w.tag(7, WIRE_FIXED64).raw(u8(1, 2, 3))),
    message: 'byte 7 (Span field 7): truncated fixed-width value — needs 8 bytes, the message ends first',
  },
  { name: '65 nested arrays', input: nestedRequest(65), message: 'depth limit — AnyValue nesting deeper than the limit of 64' },
  { name: '10 000-deep nesting', input: deepNesting(10_000), message: 'depth limit — AnyValue nesting deeper than the limit of 64' },
  {
    name: 'span count limit',
    input: spanWith((w) => w.tag(5, WIRE_LEN).string('a')),
    options: { maxSpans: 0 },
    message: 'input: count limit — more than the limit of 0',
  },
  { name: 'empty input', input: new Uint8Array(0), message: 'byte 0 (ExportTraceServiceRequest): empty input' },
];

describe('malformed protobuf', () => {
  for (const c of cases) {
    it(`${c.name}: clear error, then a valid request still decodes`, () => {
      let error: unknown;
      try {
        TraceBatch.fromProtobuf(c.input, { source: 'bad.pb', ...c.options }).dispose();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(OtlpDecodeError);
      expect((error as Error).message).toContain(c.message);
      expect((error as Error).message.startsWith('bad.pb: ')).toBe(true);
      const ok = TraceBatch.fromProtobuf(valid);
      expect(ok.toJSON()).toEqual(validJson);
      ok.dispose();
    });
  }

  it('depth errors point at the value that is one level too deep', () => {
    try {
      TraceBatch.fromProtobuf(nestedRequest(65));
      expect.unreachable();
    } catch (err) {
      const e = err as OtlpDecodeError;
      expect(e.rule).toBe('depth limit');
      expect(e.messageType).toBe('AnyValue');
      expect(e.offset).toBeGreaterThan(0);
    }
    // 64 arrays (the innermost at depth 64, its string at 65) are within the limit; scalars may
    // sit at any depth. The limit is configurable.
    expect(TraceBatch.fromProtobuf(nestedRequest(64)).spanCount).toBe(1);
    expect(TraceBatch.fromProtobuf(nestedRequest(9), { maxDepth: 9 }).spanCount).toBe(1);
    expect(() => TraceBatch.fromProtobuf(nestedRequest(10), { maxDepth: 9 })).toThrow(/deeper than the limit of 9/);
  });

  it('rejects inputs over maxBytes before copying them', () => {
    expect(() => TraceBatch.fromProtobuf(new Uint8Array(101), { maxBytes: 100, source: 'big.pb' })).toThrow(InputTooLargeError);
    expect(() => TraceBatch.fromProtobuf(new Uint8Array(101), { maxBytes: 100, source: 'big.pb' })).toThrow(
      'big.pb: input is 101 bytes, over the limit of 100 bytes (maxBytes)',
    );
  });

  it('accepts an empty request when asked to (OTLP/HTTP)', () => {
    const b = TraceBatch.fromProtobuf(new Uint8Array(0), { allowEmpty: true });
    expect(b.spanCount).toBe(0);
    expect(b.toJSON()).toEqual({});
    expect(b.toProtobuf().length).toBe(0);
  });

  it('bad options are rejected with the option name', () => {
    expect(() => TraceBatch.fromProtobuf(valid, { maxDepth: -1 })).toThrow('DecodeOptions.maxDepth must be a non-negative integer or Infinity, got -1');
    expect(() => TraceBatch.fromProtobuf(valid, { maxDepth: 10_000 })).toThrow('DecodeOptions.maxDepth is capped at 512, got 10000');
  });
});
