// (d) Malformed input: every problem is an OtlpJsonError naming the line, column, path and rule.
import { describe, expect, test } from 'vitest';
import { otlpJsonToProtobuf } from '../../src/otlp/json/json-to-proto.js';
import type { JsonToProtoOptions } from '../../src/otlp/json/json-to-proto.js';
import { OtlpJsonError } from '../../src/otlp/json/otlp-json-error.js';
import { ExportMetricsServiceRequest } from '../../src/otlp/schema/metrics.js';
import { ExportTraceServiceRequest } from '../../src/otlp/schema/trace.js';

function errorOf(input: string | Uint8Array, options?: Partial<JsonToProtoOptions>, root = ExportTraceServiceRequest): OtlpJsonError {
  try {
    otlpJsonToProtobuf(input, root, options);
  } catch (e) {
    expect(e).toBeInstanceOf(OtlpJsonError);
    return e as OtlpJsonError;
  }
  throw new Error('expected an OtlpJsonError');
}

const spanDoc = (members: string) => `{"resourceSpans":[{"scopeSpans":[{"spans":[{${members}}]}]}]}`;
const SPAN_PATH = 'resourceSpans[0].scopeSpans[0].spans[0]';
const attrDoc = (anyValue: string) => spanDoc(`"attributes":[{"key":"k","value":${anyValue}}]`);
const VALUE_PATH = `${SPAN_PATH}.attributes[0].value`;
/** 1-based column of the first occurrence of `needle` in a one-line document. */
const col = (doc: string, needle: string, delta = 0) => doc.indexOf(needle) + 1 + delta;

describe('syntax', () => {
  test.each([
    ['', 'empty-input', 'line 1, column 1: empty input: expected a JSON object'],
    [' \n\t', 'empty-input', 'line 2, column 2: empty input: expected a JSON object'],
    ['{', 'unexpected-end', `line 1, column 2: unexpected end of input, expected a key (a string in double quotes) or '}'`],
    ['{"resourceSpans":[', 'unexpected-end', `line 1, column 19 (resourceSpans): unexpected end of input, expected a JSON value or ']'`],
    ['{"resourceSpans":[{}', 'unexpected-end', `line 1, column 21 (resourceSpans[0]): unexpected end of input, expected ',' or ']'`],
    ['{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8e', 'unexpected-end',
      `line 1, column 60 (resourceSpans[0].scopeSpans[0].spans[0].traceId): unexpected end of input inside a string`],
    ['{"a":1}x', 'trailing-characters', `line 1, column 8: unexpected 'x' after the end of the JSON value`],
    ['{"a":1} {}', 'trailing-characters', `line 1, column 9: unexpected '{' after the end of the JSON value`],
    ['{"a":1,}', 'unexpected-character', `line 1, column 8: unexpected '}', expected a key (a string in double quotes)`],
    ['{"a" 1}', 'unexpected-character', `line 1, column 6 (a): unexpected '1', expected ':' after the key`],
    ['{"a":[1 2]}', 'unexpected-character', `line 1, column 9 (a[0]): unexpected '2', expected ',' or ']'`],
    ['{"a":x}', 'unexpected-character', `line 1, column 6 (a): unexpected 'x', expected a JSON value`],
    ['{"a":é}', 'unexpected-character', `line 1, column 6 (a): unexpected 'é' (U+00E9), expected a JSON value`],
    ["{'a':1}", 'unexpected-character', `line 1, column 2: unexpected ''', expected a key (a string in double quotes) or '}'`],
    ['{"a":01}', 'invalid-number', 'line 1, column 6 (a): invalid number: leading zeros are not allowed'],
    ['{"a":1.}', 'invalid-number', `line 1, column 8 (a): invalid number: expected a digit after the decimal point, got '}'`],
    ['{"a":1e+}', 'invalid-number', `line 1, column 9 (a): invalid number: expected a digit in the exponent, got '}'`],
    ['{"a":-}', 'invalid-number', `line 1, column 7 (a): invalid number: expected a digit, got '}'`],
    ['{"a":+1}', 'unexpected-character', `line 1, column 6 (a): unexpected '+', expected a JSON value`],
    ['{"a":.5}', 'unexpected-character', `line 1, column 6 (a): unexpected '.', expected a JSON value`],
    ['{"a":NaN}', 'unexpected-character', `line 1, column 6 (a): unexpected 'N', expected a JSON value`],
    ['{"a":tru}', 'unexpected-character', `line 1, column 9 (a): unexpected '}', expected 'true'`],
    ['{"a":nul', 'unexpected-end', `line 1, column 9 (a): unexpected end of input inside 'null'`],
    ['{"a":"\\x"}', 'invalid-escape', `line 1, column 7 (a): invalid escape '\\x' in a string`],
    ['{"a":"\\u12G4"}', 'invalid-escape', 'line 1, column 7 (a): \\u must be followed by four hex digits'],
    ['{"a":"x\ty"}', 'control-character', 'line 1, column 8 (a): control character U+0009 in a string must be escaped'],
    ['{"a":"x\ny"}', 'control-character', 'line 1, column 8 (a): control character U+000A in a string must be escaped'],
    ['{\n  "a": 1,\r\n  "b": [true, fals]\n}', 'unexpected-character', `line 3, column 19 (b[1]): unexpected ']', expected 'false'`],
  ])('%j', (input, rule, message) => {
    const e = errorOf(input);
    expect(e.rule).toBe(rule);
    expect(e.message).toBe(message);
  });

  test('10 000 nested arrays in an unknown field stop at maxJsonDepth, without recursion', () => {
    const input = `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const e = errorOf(input);
    expect(e.rule).toBe('max-json-depth');
    // The root object is depth 1, so the 512th '[' would be depth 513.
    expect([e.line, e.column, e.offset]).toEqual([1, 517, 516]);
    expect(e.reason).toBe('JSON nesting deeper than 512 (maxJsonDepth)');
    expect(e.path).toBe(`x${'[0]'.repeat(511)}`);
    // Within the limit, the unknown field is skipped whole, in one jump.
    expect(otlpJsonToProtobuf(input, ExportTraceServiceRequest, { maxJsonDepth: 20_000 })).toEqual(new Uint8Array(0));
  });

  test('a truncated document fails at every cut, with the right rule', () => {
    const doc = attrDoc('{"kvlistValue":{"values":[{"key":"a","value":{"doubleValue":"NaN"}}]}}');
    for (let cut = 0; cut < doc.length; cut++) {
      const e = errorOf(doc.slice(0, cut));
      expect(e.rule).toBe(cut === 0 ? 'empty-input' : 'unexpected-end');
      expect(e.offset).toBe(cut);
    }
  });
});

describe('schema', () => {
  test('the example from the brief', () => {
    const input = [
      '{"resourceSpans":[{"scopeSpans":[{},{"spans":[{},{},{},',
      '  {',
      '     "traceId": "0123456789abcdef0123456789abcd"}]}]}]}',
    ].join('\n');
    const e = errorOf(input);
    expect(e.message).toBe(
      'line 3, column 17 (resourceSpans[0].scopeSpans[1].spans[3].traceId): trace id must be 32 hex digits, got 30',
    );
    expect([e.rule, e.line, e.column, e.path]).toEqual(['id-length', 3, 17, 'resourceSpans[0].scopeSpans[1].spans[3].traceId']);
  });

  const cases: [string, string, string, string, string][] = [
    // [what, document, rule, " (path): reason", where the error points (its first occurrence)]
    ['a root that is not an object', '[]', 'wrong-type', ': expected a JSON object (opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest), got an array', '['],
    ['null root', 'null', 'wrong-type', ': expected a JSON object (opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest), got null', 'null'],
    ['short span id', spanDoc('"spanId":"abc"'), 'id-length', ` (${SPAN_PATH}.spanId): span id must be 16 hex digits, got 3`, '"abc"'],
    ['non-hex digit', spanDoc('"spanId":"eee19b7ec3c1b17z"'), 'invalid-hex', ` (${SPAN_PATH}.spanId): invalid hex digit 'z' in span id`, 'z'],
    ['id given as a number', spanDoc('"traceId":12'), 'wrong-type', ` (${SPAN_PATH}.traceId): expected a hex string, got a number`, '12'],
    ['int64 overflow', attrDoc('{"intValue":9223372036854775808}'), 'out-of-range', ` (${VALUE_PATH}.intValue): 9223372036854775808 is out of range for int64`, '9223'],
    ['int64 underflow', attrDoc('{"intValue":"-9223372036854775809"}'), 'out-of-range', ` (${VALUE_PATH}.intValue): "-9223372036854775809" is out of range for int64`, '"-9223'],
    ['fixed64 overflow', spanDoc('"startTimeUnixNano":"18446744073709551616"'), 'out-of-range', ` (${SPAN_PATH}.startTimeUnixNano): "18446744073709551616" is out of range for fixed64`, '"1844'],
    ['negative fixed64', spanDoc('"startTimeUnixNano":-1'), 'out-of-range', ` (${SPAN_PATH}.startTimeUnixNano): -1 is out of range for fixed64`, '-1'],
    ['huge number', spanDoc(`"endTimeUnixNano":1${'0'.repeat(400)}`), 'out-of-range', ` (${SPAN_PATH}.endTimeUnixNano): 1${'0'.repeat(47)}… is out of range for fixed64`, '1000'],
    ['uint32 overflow', spanDoc('"droppedAttributesCount":4294967296'), 'out-of-range', ` (${SPAN_PATH}.droppedAttributesCount): 4294967296 is out of range for uint32`, '4294967296'],
    ['double overflow', attrDoc('{"doubleValue":1e400}'), 'out-of-range', ` (${VALUE_PATH}.doubleValue): 1e400 is out of range for double`, '1e400'],
    ['fraction in an integer', attrDoc('{"intValue":1.5}'), 'invalid-integer', ` (${VALUE_PATH}.intValue): 1.5 is not a whole number`, '1.5'],
    ['not a decimal integer', attrDoc('{"intValue":"12abc"}'), 'invalid-integer', ` (${VALUE_PATH}.intValue): "12abc" is not a decimal integer`, '"12abc"'],
    ['not a double', attrDoc('{"doubleValue":"abc"}'), 'invalid-double', ` (${VALUE_PATH}.doubleValue): "abc" is not a number`, '"abc"'],
    ['unknown enum name', spanDoc('"kind":"SPAN_KIND_BOGUS"'), 'unknown-enum-name', ` (${SPAN_PATH}.kind): unknown SpanKind name "SPAN_KIND_BOGUS"`, '"SPAN_KIND_BOGUS"'],
    ['enum number in a string', spanDoc('"kind":"2"'), 'unknown-enum-name', ` (${SPAN_PATH}.kind): unknown SpanKind name "2"`, '"2"'],
    ['enum out of int32', spanDoc('"kind":2147483648'), 'out-of-range', ` (${SPAN_PATH}.kind): 2147483648 is out of range for an enum (int32)`, '2147483648'],
    ['enum as bool', spanDoc('"kind":true'), 'wrong-type', ` (${SPAN_PATH}.kind): expected an enum number or name, got true`, 'true'],
    ['string as number', spanDoc('"name":5'), 'wrong-type', ` (${SPAN_PATH}.name): expected a string, got a number`, '5'],
    ['bool as string', attrDoc('{"boolValue":"true"}'), 'wrong-type', ` (${VALUE_PATH}.boolValue): expected true or false, got a string`, '"true"'],
    ['integer as object', spanDoc('"droppedLinksCount":{}'), 'wrong-type', ` (${SPAN_PATH}.droppedLinksCount): expected an integer (a number or a decimal string), got an object`, '{}'],
    ['repeated as object', spanDoc('"attributes":{}'), 'wrong-type', ` (${SPAN_PATH}.attributes): expected an array, got an object`, '{}'],
    ['message as array', spanDoc('"status":[]'), 'wrong-type', ` (${SPAN_PATH}.status): expected an object (opentelemetry.proto.trace.v1.Status), got an array`, '[]'],
    ['array element not an object', '{"resourceSpans":[{"scopeSpans":[{"spans":[1]}]}]}', 'wrong-type', ` (${SPAN_PATH}): expected an object (opentelemetry.proto.trace.v1.Span), got a number`, '1'],
    ['both spellings of a field', spanDoc(`"traceId":"${'a'.repeat(32)}","trace_id":"${'a'.repeat(32)}"`), 'duplicate-field', ` (${SPAN_PATH}.trace_id): opentelemetry.proto.trace.v1.Span.trace_id is given more than once`, '"trace_id"'],
    ['a key twice', spanDoc('"name":"a","name":null'), 'duplicate-field', ` (${SPAN_PATH}.name): opentelemetry.proto.trace.v1.Span.name is given more than once`, '"name":null'],
    ['two oneof members', attrDoc('{"stringValue":"a","intValue":1}'), 'oneof-conflict', ` (${VALUE_PATH}.intValue): only one member of opentelemetry.proto.common.v1.AnyValue.value may be set`, '"intValue"'],
    ['bad base64 character', attrDoc('{"bytesValue":"ab!d"}'), 'invalid-base64', ` (${VALUE_PATH}.bytesValue): invalid base64 character '!'`, '!'],
    ['impossible base64 length', attrDoc('{"bytesValue":"abcde"}'), 'invalid-base64', ` (${VALUE_PATH}.bytesValue): base64 text cannot be 5 characters long`, '"abcde"'],
  ];
  test.each(cases)('%s', (_, input, rule, rest, needle) => {
    const e = errorOf(input);
    expect(e.rule).toBe(rule);
    expect(e.message).toBe(`line 1, column ${col(input, needle)}${rest}`);
  });

  test('a null element of a packed field', () => {
    const input = '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"explicitBounds":[1,null]}]}}]}]}]}';
    const e = errorOf(input, undefined, ExportMetricsServiceRequest);
    expect(e.message).toBe(
      `line 1, column ${col(input, 'null')} (resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].explicitBounds[1]): expected a number, got null`,
    );
  });

  test('unknown fields, when asked to refuse them', () => {
    const input = spanDoc('"name":"a","nmae":"b"');
    const e = errorOf(input, { ignoreUnknownFields: false });
    expect(e.message).toBe(`line 1, column ${col(input, '"nmae"')} (${SPAN_PATH}.nmae): unknown field "nmae" in opentelemetry.proto.trace.v1.Span`);
    expect(e.rule).toBe('unknown-field');
  });
});

describe('AnyValue depth', () => {
  /** An attribute value nested `depth` AnyValues deep, through arrayValue or kvlistValue. */
  const nested = (depth: number, kv = false) => {
    let v = '{"intValue":1}';
    for (let d = 1; d < depth; d++) v = kv ? `{"kvlistValue":{"values":[{"key":"k","value":${v}}]}}` : `{"arrayValue":{"values":[${v}]}}`;
    return attrDoc(v);
  };

  // Depth as the SDKs' AttributeValueDepthLimit counts it (and the core): the value is depth 1, each
  // array element / kvlist value one deeper; an array or kvlist deeper than the limit is refused, a
  // scalar may sit at any depth. nested(n) puts n − 1 containers around a scalar at depth n.
  test('64 containers are accepted (their scalar at depth 65), 65 refused, through arrays or kvlists', () => {
    expect(() => otlpJsonToProtobuf(nested(65), ExportTraceServiceRequest)).not.toThrow();
    expect(() => otlpJsonToProtobuf(nested(65, true), ExportTraceServiceRequest)).not.toThrow();
    const doc = nested(66);
    const e = errorOf(doc);
    expect(e.rule).toBe('max-anyvalue-depth');
    expect(e.reason).toBe('AnyValue nesting deeper than 64 (maxAnyValueDepth)');
    expect(e.path).toBe(`${VALUE_PATH}${'.arrayValue.values[0]'.repeat(64)}.arrayValue`);
    // The refused container is the 65th `{"values":[` from the outside.
    let at = -1;
    for (let i = 0; i < 65; i++) at = doc.indexOf('{"values":[', at + 1);
    expect(e.column).toBe(at + 1);
    const k = errorOf(nested(66, true));
    expect(k.path).toBe(`${VALUE_PATH}${'.kvlistValue.values[0].value'.repeat(64)}.kvlistValue`);
    expect(errorOf(nested(5), { maxAnyValueDepth: 3 }).rule).toBe('max-anyvalue-depth');
    expect(() => otlpJsonToProtobuf(nested(4), ExportTraceServiceRequest, { maxAnyValueDepth: 3 })).not.toThrow();
  });

  test('10 000 levels: the JSON limit stops it first by default; with that raised, the AnyValue limit — no stack overflow', () => {
    const deep = nested(10_000);
    expect(errorOf(deep).rule).toBe('max-json-depth');
    const e = errorOf(deep, { maxJsonDepth: 100_000 });
    expect(e.rule).toBe('max-anyvalue-depth');
    expect(e.path.split('arrayValue').length - 1).toBe(65);
    expect(() => otlpJsonToProtobuf(deep, ExportTraceServiceRequest, { maxJsonDepth: 100_000, maxAnyValueDepth: 20_000 })).not.toThrow();
  });
});

describe('Unicode, sizes, positions', () => {
  test('refusing ill-formed Unicode', () => {
    const strict = { invalidUnicode: 'error' } as const;
    let e = errorOf(spanDoc('"name":"a\\ud800"'), strict);
    expect(e.message).toBe(`line 1, column 54 (${SPAN_PATH}.name): lone surrogate \\ud800 in a string`);
    e = errorOf(spanDoc('"name":"a\\udc00\\ud800"'), strict);
    expect(e.reason).toBe('lone surrogate \\udc00 in a string');
    const bytes = new TextEncoder().encode(spanDoc('"x_unknown":"ab"'));
    bytes[Buffer.from(bytes).indexOf('"ab"') + 1] = 0xff;
    e = errorOf(bytes, strict);
    expect([e.rule, e.reason, e.path]).toEqual(['invalid-unicode', 'ill-formed UTF-8 (byte 0xff) in a string', `${SPAN_PATH}.x_unknown`]);
    e = errorOf(`{"a":"😀","b":"\ud800"}`, strict);
    expect([e.rule, e.line, e.column, e.offset]).toEqual(['invalid-unicode', 1, 15, 15]);
    expect(e.reason).toBe('lone surrogate U+D800 in the input text');
    // The same inputs are accepted (with U+FFFD) by default.
    expect(() => otlpJsonToProtobuf(bytes, ExportTraceServiceRequest)).not.toThrow();
  });

  test('input size limit', () => {
    const input = '{"resourceSpans":[]}';
    expect(errorOf(input, { maxInputBytes: 10 }).message).toBe('line 1, column 1: input is more than 10 bytes, over the limit of 10 (maxInputBytes)');
    expect(errorOf(new TextEncoder().encode(input), { maxInputBytes: 10 }).message).toBe(
      'line 1, column 1: input is 20 bytes, over the limit of 10 (maxInputBytes)',
    );
    expect(errorOf('{"a":"ééééé"}', { maxInputBytes: 16 }).reason).toBe('input is 18 bytes, over the limit of 16 (maxInputBytes)');
    expect(otlpJsonToProtobuf(input, ExportTraceServiceRequest, { maxInputBytes: 20 })).toEqual(new Uint8Array(0));
  });

  test('offsets count UTF-16 units for strings and bytes for Uint8Arrays; columns count code points', () => {
    const input = '{"a":"😀é",\r\n "resourceSpans":5}';
    const fromString = errorOf(input);
    const fromBytes = errorOf(new TextEncoder().encode(input));
    expect([fromString.line, fromString.column, fromString.path]).toEqual([2, 18, 'resourceSpans']);
    expect([fromBytes.line, fromBytes.column]).toEqual([2, 18]);
    expect(fromString.offset).toBe(input.indexOf('5'));
    expect(fromBytes.offset).toBe(new TextEncoder().encode(input.slice(0, input.indexOf('5'))).length);
  });

  test('bad arguments are programming errors, not OtlpJsonErrors', () => {
    expect(() => otlpJsonToProtobuf(null as unknown as string, ExportTraceServiceRequest)).toThrow(TypeError);
    expect(() => otlpJsonToProtobuf('{}', ExportTraceServiceRequest, { maxJsonDepth: 0 })).toThrow(RangeError);
    expect(() => otlpJsonToProtobuf('{}', ExportTraceServiceRequest, { invalidUnicode: 'drop' as 'error' })).toThrow(RangeError);
  });
});
