// (b) Leniency: every spelling a lenient OTLP/JSON reader accepts gives the same protobuf as the
// canonical spelling, and the canonical output has exactly the expected bytes.
import { describe, expect, test } from 'vitest';
import { otlpJsonToProtobuf } from '../../src/otlp/json/json-to-proto.js';
import type { JsonToProtoOptions } from '../../src/otlp/json/json-to-proto.js';
import { ExportLogsServiceRequest } from '../../src/otlp/schema/logs.js';
import { ExportMetricsServiceRequest } from '../../src/otlp/schema/metrics.js';
import { ExportTraceServiceRequest } from '../../src/otlp/schema/trace.js';
import { oracle, oracleDecode } from './helpers/otlp-oracle.js';
import type { Plain } from './helpers/otlp-oracle.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

const traces = (text: string | Uint8Array, options?: Partial<JsonToProtoOptions>) =>
  otlpJsonToProtobuf(text, ExportTraceServiceRequest, options);
/** A request holding one span with the given JSON members. */
const spanDoc = (members: string) => `{"resourceSpans":[{"scopeSpans":[{"spans":[{${members}}]}]}]}`;
/** A request holding one span with one attribute whose AnyValue is given. */
const attrDoc = (anyValue: string) => spanDoc(`"attributes":[{"key":"k","value":${anyValue}}]`);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const firstSpan = (bytes: Uint8Array) =>
  ((((oracleDecode(oracle.ExportTraceServiceRequest, bytes).resourceSpans as Plain[])[0].scopeSpans as Plain[])[0].spans as Plain[])[0]);
const firstValue = (bytes: Uint8Array) => ((firstSpan(bytes).attributes as Plain[])[0].value as Plain);

describe('spellings that mean the same thing give the same bytes', () => {
  const canonicalSpan = `"traceId":"${TRACE}","spanId":"${SPAN}","parentSpanId":"${SPAN}","traceState":"a=b","name":"op","kind":2,
    "startTimeUnixNano":"1700000000000000001","endTimeUnixNano":"18446744073709551615","droppedAttributesCount":3,
    "status":{"code":2,"message":"m"},"flags":769`;
  const cases: [string, string, string][] = [
    ['snake_case keys', spanDoc(canonicalSpan),
      `{"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"${TRACE}","span_id":"${SPAN}","parent_span_id":"${SPAN}","trace_state":"a=b","name":"op","kind":2,
      "start_time_unix_nano":"1700000000000000001","end_time_unix_nano":"18446744073709551615","dropped_attributes_count":3,"status":{"code":2,"message":"m"},"flags":769}]}]}]}`],
    ['enum names', spanDoc(`"kind":2,"status":{"code":2}`), spanDoc(`"kind":"SPAN_KIND_SERVER","status":{"code":"STATUS_CODE_ERROR"}`)],
    ['fixed64 as numbers', spanDoc(canonicalSpan), spanDoc(canonicalSpan.replace('"1700000000000000001"', '1700000000000000001').replace('"18446744073709551615"', '18446744073709551615'))],
    ['upper-case hex', spanDoc(canonicalSpan), spanDoc(canonicalSpan.replaceAll(TRACE, TRACE.toUpperCase()).replaceAll(SPAN, SPAN.toUpperCase()))],
    ['any key order', spanDoc(canonicalSpan),
      spanDoc(`"flags":769,"status":{"message":"m","code":2},"droppedAttributesCount":3,"endTimeUnixNano":"18446744073709551615",
      "startTimeUnixNano":"1700000000000000001","kind":2,"name":"op","traceState":"a=b","parentSpanId":"${SPAN}","spanId":"${SPAN}","traceId":"${TRACE}"`)],
    ['zero values written out', spanDoc(`"name":"x"`), spanDoc(`"traceState":"","name":"x","kind":0,"startTimeUnixNano":"0","endTimeUnixNano":0,"droppedAttributesCount":0,"droppedEventsCount":"0","droppedLinksCount":0,"flags":0,"attributes":[],"events":[],"links":[],"traceId":"","spanId":"","parentSpanId":""`)],
    ['null means absent', spanDoc(`"name":"x"`), spanDoc(`"name":"x","traceId":null,"kind":null,"status":null,"attributes":null,"events":null,"flags":null`)],
    ['uint32 spellings', spanDoc(`"droppedAttributesCount":100`), spanDoc(`"droppedAttributesCount":"100"`)],
    ['whole numbers with a fraction or exponent', spanDoc(`"droppedAttributesCount":100,"kind":3`), spanDoc(`"droppedAttributesCount":1e2,"kind":3.0`)],
    ['decimal strings with + and leading zeros', spanDoc(`"droppedAttributesCount":100`), spanDoc(`"droppedAttributesCount":"+00100"`)],
    ['escaped and raw Unicode', spanDoc(`"name":"é😀\\n/"`), spanDoc(`"name":"\\u00e9\\ud83d\\ude00\\u000a\\/"`)],
    ['whitespace everywhere', spanDoc(`"name":"x","kind":1`), ` \r\n\t{ "resourceSpans" : [ { "scopeSpans" : [ { "spans" : [ { "name" : "x" , "kind" : 1 } ] } ] } ] } \n`],
    ['a byte order mark', spanDoc(`"name":"x"`), `\ufeff${spanDoc(`"name":"x"`)}`],
    ['int64 as numbers or strings', attrDoc(`{"intValue":"9223372036854775807"}`), attrDoc(`{"intValue":9223372036854775807}`)],
    ['int64 minimum', attrDoc(`{"intValue":"-9223372036854775808"}`), attrDoc(`{"intValue":-9223372036854775808}`)],
    ['int64 in exponent form', attrDoc(`{"intValue":"9223372036854775807"}`), attrDoc(`{"intValue":"9.223372036854775807e18"}`)],
    ['doubles as strings', attrDoc(`{"doubleValue":1.5}`), attrDoc(`{"doubleValue":"1.5"}`)],
    ['doubles in exponent form', attrDoc(`{"doubleValue":1500}`), attrDoc(`{"doubleValue":1.5E3}`)],
    ['base64 without padding', attrDoc(`{"bytesValue":"+/+/AA=="}`), attrDoc(`{"bytesValue":"+/+/AA"}`)],
    ['URL-safe base64', attrDoc(`{"bytesValue":"+/+/AA=="}`), attrDoc(`{"bytesValue":"-_-_AA"}`)],
    ['snake_case AnyValue members', attrDoc(`{"kvlistValue":{"values":[{"key":"a","value":{"arrayValue":{"values":[{"boolValue":true}]}}}]}}`),
      attrDoc(`{"kvlist_value":{"values":[{"key":"a","value":{"array_value":{"values":[{"bool_value":true}]}}}]}}`)],
    ['a null oneof member beside a set one', attrDoc(`{"intValue":5}`), attrDoc(`{"stringValue":null,"intValue":5,"boolValue":null}`)],
  ];
  test.each(cases)('%s', (_, canonical, variant) => {
    expect(hex(traces(variant))).toBe(hex(traces(canonical)));
  });

  test('unknown keys at every level are skipped, whatever their value', () => {
    const junk = `"x_future":{"deep":[[[{"a":null}]],"s",-1.5e300,true,{"traceId":"zz"}]}`;
    const plain = `{"resourceSpans":[{"resource":{"attributes":[{"key":"r","value":{"stringValue":"v"}}]},"scopeSpans":[{"scope":{"name":"s"},
      "spans":[{"name":"n","attributes":[{"key":"k","value":{"arrayValue":{"values":[{"intValue":1}]}}}],"events":[{"name":"e"}],
      "links":[{"traceId":"${TRACE}"}],"status":{"code":1}}]}]}]}`;
    const withJunk = plain.replace(/\{(?=")/g, `{${junk},`);
    expect(withJunk.split('x_future').length - 1).toBeGreaterThanOrEqual(14);
    expect(hex(traces(withJunk))).toBe(hex(traces(plain)));
  });

  test('a string and its UTF-8 bytes give the same output', () => {
    const text = spanDoc(`"name":"naïve 😀","attributes":[{"key":"ü","value":{"stringValue":"\\u00fc"}}]`);
    expect(traces(new TextEncoder().encode(text))).toEqual(traces(text));
  });
});

describe('canonical output, byte for byte', () => {
  test('fields in field-number order, zeros omitted, fixed64 little-endian, flags as fixed32', () => {
    const out = traces(spanDoc(`"flags":257,"kind":"SPAN_KIND_CLIENT","name":"n","traceId":"${TRACE.toUpperCase()}","startTimeUnixNano":"1","droppedAttributesCount":0`));
    // ExportTraceServiceRequest.resource_spans { ScopeSpans { Span { … } } }
    const span = `0a10${TRACE}` + '2a016e' + '3003' + '39' + '0100000000000000' + '85 01'.replace(' ', '') + '01010000';
    const scopeSpans = `12${(span.length / 2).toString(16).padStart(2, '0')}${span}`;
    const resourceSpans = `12${(scopeSpans.length / 2).toString(16).padStart(2, '0')}${scopeSpans}`;
    expect(hex(out)).toBe(`0a${(resourceSpans.length / 2).toString(16).padStart(2, '0')}${resourceSpans}`);
  });

  test.each([
    ['{"intValue":0}', '1800'],
    ['{"intValue":-1}', '18ffffffffffffffffff01'],
    ['{"stringValue":""}', '0a00'],
    ['{"boolValue":false}', '1000'],
    ['{"doubleValue":0}', '210000000000000000'],
    ['{"doubleValue":"-0"}', '210000000000000080'],
    ['{"bytesValue":""}', '3a00'],
    ['{"arrayValue":{}}', '2a00'],
    ['{"kvlistValue":{"values":[]}}', '3200'],
    ['{}', ''],
  ])('AnyValue %s writes its oneof member even when zero: %s', (anyValue, inner) => {
    const out = hex(traces(attrDoc(anyValue)));
    // …KeyValue { key "k", value { inner } }
    expect(out.endsWith(`0a016b12${(inner.length / 2).toString(16).padStart(2, '0')}${inner}`)).toBe(true);
  });

  test('a null element of a repeated message field is an empty message', () => {
    expect(hex(traces(spanDoc('"attributes":[null,{"key":"k"}]')))).toContain('4a004a030a016b');
  });

  test('NaN and infinities as strings', () => {
    expect(firstValue(traces(attrDoc('{"doubleValue":"NaN"}'))).doubleValue).toBeNaN();
    expect(firstValue(traces(attrDoc('{"doubleValue":"Infinity"}'))).doubleValue).toBe(Infinity);
    expect(firstValue(traces(attrDoc('{"doubleValue":"-Infinity"}'))).doubleValue).toBe(-Infinity);
  });

  test('64-bit extremes are exact', () => {
    expect(firstValue(traces(attrDoc('{"intValue":9223372036854775807}'))).intValue).toBe('9223372036854775807');
    expect(firstValue(traces(attrDoc('{"intValue":-9223372036854775808}'))).intValue).toBe('-9223372036854775808');
    expect(firstValue(traces(attrDoc('{"intValue":9007199254740993}'))).intValue).toBe('9007199254740993');
    const span = firstSpan(traces(spanDoc('"startTimeUnixNano":18446744073709551615,"endTimeUnixNano":"9007199254740993"')));
    expect([span.startTimeUnixNano, span.endTimeUnixNano]).toEqual(['18446744073709551615', '9007199254740993']);
  });

  test('unknown enum numbers are kept (proto3 enums are open)', () => {
    expect(firstSpan(traces(spanDoc('"kind":9'))).kind).toBe(9);
    expect(hex(traces(spanDoc('"kind":-1')))).toContain('30ffffffffffffffffff01');
  });

  test('ill-formed Unicode becomes U+FFFD by default', () => {
    expect(firstSpan(traces(spanDoc('"name":"a\\ud800b\\udc00"'))).name).toBe('a\ufffdb\ufffd');
    const bytes = new TextEncoder().encode(spanDoc('"name":"a__b"'));
    const at = bytes.indexOf(0x5f);
    bytes.set([0xc3, 0xff], at); // a truncated two-byte sequence, then a byte that is never UTF-8
    expect(firstSpan(traces(bytes)).name).toBe('a\ufffd\ufffdb');
    expect(firstSpan(traces(spanDoc('"name":"x\ud800y"'))).name).toBe('x\ufffdy');
  });

  test('logs: severity names, body of every kind', () => {
    const out = otlpJsonToProtobuf(
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"SEVERITY_NUMBER_FATAL4","body":{"stringValue":"b"},"event_name":"e"}]}]}]}',
      ExportLogsServiceRequest,
    );
    const same = otlpJsonToProtobuf(
      '{"resource_logs":[{"scope_logs":[{"log_records":[{"eventName":"e","body":{"string_value":"b"},"severity_number":24}]}]}]}',
      ExportLogsServiceRequest,
    );
    expect(hex(out)).toBe(hex(same));
    expect(hex(out)).toContain('1018'); // severity_number = 24
    expect(hex(out)).toContain('620165'); // event_name (field 12) = "e"
  });

  test('metrics: packed repeated fields, optional sum written when zero', () => {
    const out = otlpJsonToProtobuf(
      '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"sum":0,"bucketCounts":[1,"2"],"explicitBounds":[0.5]}]}}]}]}]}',
      ExportMetricsServiceRequest,
    );
    const point = '29' + '0000000000000000' + '3210' + '0100000000000000' + '0200000000000000' + '3a08' + '000000000000e03f';
    expect(hex(out)).toContain(point);
  });
});
