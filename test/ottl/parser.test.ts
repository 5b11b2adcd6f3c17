// The OTTL condition grammar and resolution: tables of conditions each context accepts (paths,
// enums, literals, converters, named arguments, nesting) and of conditions it rejects, with the
// exact message, line and column (1-based, in code points) and the stage that refused them.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, ottl, OttlError } from 'otel-sieve';
import type { OttlContextName } from 'otel-sieve';

beforeAll(async () => {
  await init();
});

const accepted: [OttlContextName, string][] = [
  // span paths, enums and the grammar's value forms
  ['span', 'name == "GET /"'],
  ['span', 'attributes["http.method"] == "GET"'],
  ['span', 'attributes["a"]["b"][0] == 1'],
  ['span', 'attributes["a"][0]["b"] != nil'],
  ['span', 'resource.attributes["service.name"] != nil'],
  ['span', 'instrumentation_scope.name == "lib" and instrumentation_scope.version == "1.0"'],
  ['span', 'instrumentation_scope.attributes["x"] == true'],
  ['span', 'kind == SPAN_KIND_SERVER'],
  ['span', 'kind.string == "Server"'],
  ['span', 'kind.deprecated_string == "SPAN_KIND_SERVER"'],
  ['span', 'status.code == STATUS_CODE_ERROR'],
  ['span', 'status.message == ""'],
  ['span', 'trace_id.string == "0102030405060708090a0b0c0d0e0f10"'],
  ['span', 'span_id.string != "" and parent_span_id.string == ""'],
  ['span', 'trace_id == TraceID(0x0102030405060708090a0b0c0d0e0f10)'],
  ['span', 'span_id == SpanID("0102030405060708")'],
  ['span', 'end_time_unix_nano - start_time_unix_nano > 1000000000'],
  ['span', 'end_time - start_time > Duration("1.5s")'],
  ['span', 'trace_state["vendor"] == "x"'],
  ['span', 'trace_state == ""'],
  ['span', 'dropped_attributes_count > 0 or dropped_events_count > 0 or dropped_links_count > 0'],
  ['span', 'true'],
  ['span', 'false'],
  ['span', 'not true'],
  ['span', 'not (name == "a" or name == "b")'],
  ['span', '((((name == "a"))))'],
  ['span', 'name == "a" and\n  kind == 2\n  or kind == 3'],
  ['span', 'attributes["x"] == 0xdeadBEEF'],
  ['span', 'attributes["x"] == -1.5'],
  ['span', 'attributes["x"] == .5'],
  ['span', 'attributes["x"] == +3'],
  ['span', 'attributes["x"] == 2.5e-3'],
  ['span', 'attributes["x"] == [1, "a", true, nil, 1.5]'],
  ['span', 'attributes["x"] == []'],
  ['span', 'attributes["x"] == "tab\\there \\"quoted\\" \\u00e9 \\x41 \\101"'],
  ['span', '2 * (3 + attributes["n"]) / 4 - 1 > -attributes["m"]'],
  ['span', 'IsMatch(name, "^GET")'],
  ['span', 'IsMatch(target = name, pattern = "a")'],
  ['span', 'IsMatch(pattern = "a", target = name)'],
  ['span', 'IsRootSpan()'],
  ['span', 'Len(attributes["l"]) >= 2'],
  ['span', 'Concat([name, kind.string], "-") == "a-Server"'],
  ['span', 'Substring(name, 0, 3, utf8_safe = true) == "GET"'],
  ['span', 'ContainsValue(attributes["tags"], "x")'],
  ['span', 'ContainsValue(["a", "b"], name)'],
  ['span', 'String(attributes["m"])["k"] == nil'],
  ['span', 'not IsString(attributes["x"]) and IsInt(attributes["y"]) or IsDouble(1.0) or IsBool(true) or IsMap(attributes) or IsList([])'],
  ['span', 'ToLowerCase(name) == ToUpperCase(name)'],
  ['span', 'Int("12") == Double(12) and String(1) == "1"'],
  ['span', 'HasPrefix(name, "GET") or HasSuffix(name, "/")'],
  ['span', 'attributes == nil'],
  // qualified-looking paths are context reads in legacy conditions
  ['spanevent', 'name == "exception" and span.name == "GET" and span.attributes["k"] == 1'],
  ['spanevent', 'time_unix_nano > 0 and time > span.start_time'],
  // log
  ['log', 'body == "x" or body["k"] == 1 or body.string == "x"'],
  ['log', 'severity_number >= SEVERITY_NUMBER_WARN and severity_number < SEVERITY_NUMBER_FATAL4'],
  ['log', 'severity_text == "ERROR"'],
  ['log', 'time_unix_nano > 0 and observed_time_unix_nano > 0 and observed_time >= time'],
  ['log', 'flags == 1 and event_name == "e"'],
  ['log', 'trace_id.string == "" and span_id == SpanID(0x0000000000000000)'],
  ['log', 'resource.attributes["service.name"] == "a" and instrumentation_scope.name == "x"'],
  // metric
  ['metric', 'name == "m" and description == "" and unit == "ms"'],
  ['metric', 'type == METRIC_DATA_TYPE_SUM and aggregation_temporality == AGGREGATION_TEMPORALITY_DELTA'],
  ['metric', 'is_monotonic == true'],
  ['metric', 'HasAttrOnDatapoint("k", "v") or HasAttrKeyOnDatapoint("k")'],
  ['metric', 'metadata["k"] == "v"'],
  // datapoint
  ['datapoint', 'attributes["k"] == "v" and metric.name == "m"'],
  ['datapoint', 'value_double > 1.0 or value_int == 3'],
  ['datapoint', 'count > 0 and sum > 0 and scale == 0 and zero_count == 0'],
  ['datapoint', 'positive.offset == 0 and negative.offset == 0'],
  ['datapoint', 'metric.type == METRIC_DATA_TYPE_HISTOGRAM and flags == FLAG_NO_RECORDED_VALUE'],
  ['datapoint', 'start_time_unix_nano < time_unix_nano'],
  // resource / scope
  ['resource', 'attributes["service.name"] == "a" and dropped_attributes_count == 0 and schema_url == ""'],
  ['scope', 'name == "lib" and version == "1" and attributes["x"] == nil and resource.attributes["a"] == 1'],
];

describe('accepted conditions', () => {
  for (const [context, text] of accepted) {
    it(`${context}: ${JSON.stringify(text)}`, () => {
      const c = ottl.compile(text, { context });
      expect(c.context).toBe(context);
      expect(c.text).toBe(text);
    });
  }
});

const supported =
  'Concat, ContainsValue, Double, Duration, HasPrefix, HasSuffix, Int, IsBool, IsDouble, IsInt, IsList, IsMap, IsMatch, IsRootSpan, IsString, Len, SpanID, String, Substring, ToLowerCase, ToUpperCase, TraceID';
const spanPaths =
  'attributes, dropped_attributes_count, dropped_events_count, dropped_links_count, end_time, end_time_unix_nano, kind, name, parent_span_id, span_id, start_time, start_time_unix_nano, status, trace_id, trace_state';
const valueExpected = 'expected a value (a path, literal, enum, list or converter call)';
const conditionExpected = 'expected a condition (a comparison, true, false, a converter call or "(")';

/** [context, text, stage, line, column, reason] */
const rejected: [OttlContextName, string, 'parse' | 'check', number, number, string][] = [
  // grammar
  ['span', '', 'parse', 1, 1, `${conditionExpected}, got the end of the condition`],
  ['span', 'name ==', 'parse', 1, 8, `${valueExpected}, got the end of the condition`],
  ['span', 'name = "a"', 'parse', 1, 6, 'expected a comparison operator (==, !=, <, <=, >, >=), got "="'],
  ['span', 'name <> 1', 'parse', 1, 7, `${valueExpected}, got ">"`],
  ['span', 'name', 'parse', 1, 5, 'expected a comparison operator (==, !=, <, <=, >, >=), got the end of the condition'],
  ['span', '(name == "a"', 'parse', 1, 13, 'expected ")", got the end of the condition'],
  ['span', 'name == "a")', 'parse', 1, 12, 'expected `and`, `or` or the end of the condition, got ")"'],
  ['span', 'name == "a" and', 'parse', 1, 16, `${conditionExpected}, got the end of the condition`],
  ['span', 'not', 'parse', 1, 4, `${conditionExpected}, got the end of the condition`],
  // the grammar allows one `not` per boolean value
  ['span', 'not not true', 'parse', 1, 5, `${conditionExpected}, got "not"`],
  ['span', 'name == 1 2', 'parse', 1, 11, 'expected `and`, `or` or the end of the condition, got "2"'],
  ['span', 'name == 1.', 'parse', 1, 10, 'expected `and`, `or` or the end of the condition, got "."'],
  ['span', 'name == 1e5', 'parse', 1, 10, 'expected `and`, `or` or the end of the condition, got "e5"'],
  ['span', 'name == "a" && true', 'parse', 1, 13, 'unexpected character "&"'],
  ['span', '1 + "a" > 0', 'parse', 1, 5, `${valueExpected}, got string "a"`],
  ['span', 'attributes["a"', 'parse', 1, 15, 'expected "]", got the end of the condition'],
  ['span', 'attributes[', 'parse', 1, 12, 'expected a string or integer key, got the end of the condition'],
  ['span', 'name == "a"\n and kind ==', 'parse', 2, 13, `${valueExpected}, got the end of the condition`],
  ['span', '((name == "a") or', 'parse', 1, 18, `${conditionExpected}, got the end of the condition`],
  // literals
  ['span', 'name == "a', 'parse', 1, 9, 'unterminated string (missing closing ")'],
  ['span', 'name == "\\q"', 'parse', 1, 10, 'invalid escape \\q'],
  ['span', 'name == 0x1', 'parse', 1, 9, 'invalid byte slice 0x1: an odd number of hex digits'],
  // bytes need at least one hex digit (0x[a-fA-F0-9]+): `0x` is the int 0, then a stray x
  ['span', 'attributes["x"] == 0x', 'parse', 1, 21, 'expected `and`, `or` or the end of the condition, got "x"'],
  // converters
  ['span', 'Foo(name)', 'check', 1, 1, `unsupported converter Foo; otel-sieve supports: ${supported}`],
  [
    'span',
    'Contains(name, "x")',
    'check',
    1,
    1,
    `unsupported converter Contains (OTTL has no Contains: use IsMatch(target, "text") for a substring, or ContainsValue(list, item) for a list); otel-sieve supports: ${supported}`,
  ],
  ['span', 'isMatch(name, "a")', 'parse', 1, 1, "converter names must start with an upper-case letter but got 'isMatch' (editors cannot be used in conditions)"],
  ['span', 'IsMatch(name)', 'check', 1, 1, 'IsMatch takes 2 arguments, got 1 (missing pattern)'],
  ['span', 'IsMatch(name, "a", "b")', 'check', 1, 20, 'IsMatch takes 2 arguments, got 3'],
  ['span', 'IsMatch(name, "(")', 'check', 1, 15, 'IsMatch: invalid regex "(": missing closing ): `(`'],
  ['span', 'IsMatch(name, attributes["p"])', 'check', 1, 15, 'IsMatch: pattern must be a literal string'],
  ['span', 'Concat(name, "-") == "x"', 'check', 1, 8, 'Concat: vals must be a list literal ([a, b, …])'],
  ['span', 'Concat([name], name) == "x"', 'check', 1, 16, 'Concat: delimiter must be a literal string'],
  ['span', 'HasAttrKeyOnDatapoint("k")', 'check', 1, 1, 'converter HasAttrKeyOnDatapoint is not available in the span context (only in: metric)'],
  ['log', 'IsRootSpan()', 'check', 1, 1, 'converter IsRootSpan is not available in the log context (only in: span)'],
  // paths and enums
  ['span', 'foo == 1', 'check', 1, 1, `unknown path "foo" in the span context (its paths: ${spanPaths})`],
  ['span', 'body == "x"', 'check', 1, 1, `unknown path "body" in the span context (its paths: ${spanPaths})`],
  ['span', 'resource.name == "x"', 'check', 1, 10, 'unknown path "resource.name" in the resource context (its paths: attributes, dropped_attributes_count, schema_url)'],
  ['span', 'status.foo == 1', 'check', 1, 1, 'path "status.foo" is not supported in otel-sieve conditions: compare status.code or status.message'],
  ['span', 'status == nil', 'check', 1, 1, 'path "status" is not supported in otel-sieve conditions: compare status.code or status.message'],
  ['span', 'events == nil', 'check', 1, 1, 'path "events" is not supported in otel-sieve conditions: span events are filtered with spanevent conditions'],
  ['span', 'attributes.foo == 1', 'check', 1, 12, '"attributes.foo": attributes are indexed with ["key"], not with "."'],
  ['span', 'name["x"] == 1', 'check', 1, 6, '"name["x"]" cannot be indexed'],
  ['span', 'trace_state[1] == "x"', 'check', 1, 13, 'must provide exactly 1 string key when accessing trace_state'],
  ['span', 'cache["k"] == 1', 'check', 1, 1, '"cache["k"]": cache is always empty in conditions (filters cannot set it), so it is not supported'],
  [
    'span',
    'kind == SPAN_KIND_FOO',
    'check',
    1,
    9,
    'enum symbol SPAN_KIND_FOO is not known in the span context (known: SPAN_KIND_UNSPECIFIED, SPAN_KIND_INTERNAL, SPAN_KIND_SERVER, SPAN_KIND_CLIENT, SPAN_KIND_PRODUCER, SPAN_KIND_CONSUMER, STATUS_CODE_UNSET, STATUS_CODE_OK, STATUS_CODE_ERROR)',
  ],
  ['resource', 'x == SPAN_KIND_SERVER', 'check', 1, 1, 'unknown path "x" in the resource context (its paths: attributes, dropped_attributes_count, schema_url)'],
  ['resource', 'attributes["a"] == SPAN_KIND_SERVER', 'check', 1, 20, 'enum symbol SPAN_KIND_SERVER is not known in the resource context (it has no enums)'],
  ['log', 'body.foo == 1', 'check', 1, 6, 'unknown path "body.foo" (the log body is read as body, body["key"] or body.string)'],
  ['datapoint', 'exemplars == nil', 'check', 1, 1, 'path "exemplars" is not supported in otel-sieve conditions: exemplars are not readable in conditions'],
  ['metric', 'data_points == nil', 'check', 1, 1, 'path "data_points" is not supported in otel-sieve conditions: data points are filtered with datapoint conditions'],
  ['span', 'map == {"a": 1}', 'check', 1, 1, `unknown path "map" in the span context (its paths: ${spanPaths})`],
  ['span', 'attributes["a"] == {"a": 1}', 'check', 1, 20, 'map literals are not supported in otel-sieve conditions (compare map values with another path, or test keys one by one)'],
  ['span', 'TraceID("0102") == trace_id', 'check', 1, 9, 'TraceID: expected 32 hex characters, got "0102"'],
  ['span', 'end_time - start_time > Duration("1 s")', 'check', 1, 34, 'Duration: unknown unit " s" in duration "1 s" (use ns, us, ms, s, m or h)'],
];

describe('rejected conditions', () => {
  for (const [context, text, stage, line, column, reason] of rejected) {
    it(`${context}: ${JSON.stringify(text)}`, () => {
      let error: unknown;
      try {
        ottl.compile(text, { context });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(OttlError);
      const e = error as OttlError;
      expect({ stage: e.stage, line: e.line, column: e.column, reason: e.reason }).toEqual({ stage, line, column, reason });
      expect(e.message).toBe(`line ${line}, column ${column}: ${reason}`);
    });
  }
});

describe('path styles', () => {
  it('qualified conditions need a context name on every path', () => {
    expect(() => ottl.compile('name == "a"', { context: 'span', paths: 'qualified' })).toThrow(
      'line 1, column 1: missing context name for path "name", possibly valid options are: "span.name", "resource.name", "scope.name"',
    );
    expect(ottl.compile('span.name == "a" and resource.attributes["k"] == 1 and scope.name == "x"', { context: 'span', paths: 'qualified' }).context).toBe('span');
  });
  it('a qualified path into a context out of reach is refused', () => {
    expect(() => ottl.compile('spanevent.name == "a"', { context: 'span', paths: 'qualified' })).toThrow(
      'line 1, column 1: path "spanevent.name" reads the spanevent context, which a span condition cannot reach (reachable: span, resource, scope)',
    );
  });
  it('optional style accepts both forms', () => {
    expect(ottl.compile('span.name == name', { context: 'span', paths: 'optional' }).context).toBe('span');
  });
  it('positions count code points, not UTF-16 units', () => {
    expect(() => ottl.compile('name == "😀" and', { context: 'span' })).toThrow(/^line 1, column 16: /);
  });
  it('deeply nested parentheses are refused with the limit', () => {
    const deep = `${'('.repeat(150)}true${')'.repeat(150)}`;
    expect(() => ottl.compile(deep, { context: 'span' })).toThrow('nesting deeper than 100 levels');
    const ok = `${'('.repeat(50)}true${')'.repeat(50)}`;
    expect(ottl.compile(ok, { context: 'span' }).context).toBe('span');
  });
});

describe('ottl.parse', () => {
  it('returns the syntax tree with positions', () => {
    const node = ottl.parse('not name == "a"');
    expect(node.kind).toBe('not');
    expect(node.pos).toEqual({ line: 1, column: 1 });
  });
  it('lists the converters', () => {
    expect(ottl.converters().join(', ')).toBe(
      'Concat, ContainsValue, Double, Duration, HasAttrKeyOnDatapoint, HasAttrOnDatapoint, HasPrefix, HasSuffix, Int, IsBool, IsDouble, IsInt, IsList, IsMap, IsMatch, IsRootSpan, IsString, Len, SpanID, String, Substring, ToLowerCase, ToUpperCase, TraceID',
    );
  });
});
