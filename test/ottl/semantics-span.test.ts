// OTTL semantics in the span context, from the collector's pkg/ottl README and compare.go / math.go
// rules: each row is a condition and its outcome per span of the fixture (1 true, 0 false, E the
// evaluation failed). Spans: 0 "GET /users" (SERVER, ERROR, root, every attribute type), 1 "db"
// (CLIENT, child, look-alike attributes of other types), 2 "ÉTÉ" (INTERNAL, OK, no attributes,
// another resource) — see test/helpers/ottl-fixtures.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, ottl, TraceBatch, OttlRuntimeError } from 'otel-sieve';
import { traceFixture } from '../helpers/ottl-fixtures.js';

let batch: TraceBatch;

beforeAll(async () => {
  await init();
  batch = TraceBatch.fromProtobuf(traceFixture());
});

afterAll(() => batch.dispose());

/** Outcome per span: 1, 0 or E, evaluating every span (propagate, not stopping). */
function outcomes(condition: string): string {
  const r = ottl.evaluate(condition, batch, { context: 'span', errorMode: 'propagate', stopAtFirstError: false });
  return Array.from(r.results, (b) => (b === 2 ? 'E' : String(b))).join('');
}

function table(rows: [string, string][]): void {
  for (const [condition, expected] of rows) {
    it(`${condition} → ${expected}`, () => {
      expect(outcomes(condition)).toBe(expected);
    });
  }
}

describe('strings compare bytewise', () => {
  table([
    ['name == "db"', '010'],
    ['name != "db"', '101'],
    // "G" (0x47) < "d" (0x64) < "É" (0xC3 0x89)
    ['name < "db"', '100'],
    ['name > "GET"', '111'],
    ['name >= "db"', '011'],
    ['attributes["s"] < attributes["num"]', '000'],
    ['attributes["s"] > "abc"', '010'],
  ]);
});

describe('numbers: int and float compare numerically', () => {
  table([
    // span 0: int 200, span 1: double 200.0
    ['attributes["i"] == 200', '110'],
    ['attributes["i"] == 200.0', '110'],
    ['attributes["i"] != 200', '001'],
    ['attributes["d"] > 1', '100'],
    ['attributes["d"] >= 1', '110'],
    ['attributes["d"] <= 1.5', '110'],
    // 2^53 + 1 as int64 is exact; against a float both sides become float64 (as in Go)
    ['attributes["ibig"] == 9007199254740993', '100'],
    ['attributes["ibig"] == 9007199254740992', '000'],
    ['attributes["ibig"] == 9007199254740992.0', '100'],
    ['-1 < 0 and 0.5 > 0 and -0.0 == 0', '111'],
  ]);
});

describe('mismatched types: only != is true', () => {
  table([
    ['attributes["s"] == 200', '000'],
    ['attributes["s"] != 200', '111'],
    ['attributes["s"] < 5', '000'],
    ['attributes["s"] >= 5', '000'],
    ['attributes["num"] == 10', '000'],
    ['attributes["b"] == 1', '000'],
    ['attributes["by"] == "0a0b"', '000'],
    ['name == nil', '000'],
    ['kind == "Server"', '000'],
    ['trace_id == 0x0102030405060708090a0b0c0d0e0f10', '000'],
    ['trace_id != 0x0102030405060708090a0b0c0d0e0f10', '111'],
  ]);
});

describe('nil', () => {
  table([
    ['attributes["missing"] == nil', '111'],
    ['attributes["missing"] != nil', '000'],
    // nil equals nil, so <= and >= hold; < and > do not
    ['attributes["missing"] <= nil', '111'],
    ['attributes["missing"] >= nil', '111'],
    ['attributes["missing"] < nil', '000'],
    ['nil == nil', '111'],
    ['attributes["s"] == nil', '001'],
    // an AnyValue holding nothing reads as nil
    ['attributes["empty"] == nil', '111'],
    ['attributes["missing"] < 1', '000'],
    ['attributes["missing"] != 1', '111'],
    // a missing key ends the chain: further keys are not applied
    ['attributes["missing"]["x"][0] == nil', '111'],
    ['attributes["m"]["zz"] == nil', '111'],
  ]);
});

describe('booleans: false < true', () => {
  table([
    ['attributes["b"] == true', '100'],
    ['attributes["b"] < true', '010'],
    ['attributes["b"] > false', '100'],
    ['attributes["b"] != false', '101'],
  ]);
});

describe('bytes compare bytewise', () => {
  table([
    ['attributes["by"] == 0x0a0b', '100'],
    ['attributes["by"] < 0x0a0c', '100'],
    ['attributes["by"] > 0x0a', '100'],
  ]);
});

describe('maps and lists: equality only, by content', () => {
  table([
    ['attributes["arr"] == [1, "x"]', '100'],
    ['attributes["arr"] == [1.0, "x"]', '000'],
    ['attributes["arr"] == []', '010'],
    ['attributes["arr"] != [1, "x"]', '011'],
    ['attributes["arr"] < [2]', '000'],
    // key order does not matter; span 2 has neither map: nil == nil
    ['attributes["m"] == resource.attributes["rm"]', '111'],
    ['attributes["m"] != resource.attributes["rm"]', '000'],
    ['attributes["m"] > resource.attributes["rm"]', '000'],
    ['attributes["m"]["b"] == "B"', '110'],
    ['attributes["arr"][1] == "x"', '1E0'],
    ['attributes["arr"][0] == 1', '1E0'],
    ['attributes["arr"]["k"] == 1', 'EE0'],
    ['attributes["m"][0] == 1', 'EE0'],
    ['attributes["s"]["k"] == 1', 'EE0'],
    ['attributes["arr"][-1] == 1', 'EE0'],
  ]);
});

describe('math', () => {
  table([
    ['end_time_unix_nano - start_time_unix_nano > 1000000000', '100'],
    ['end_time_unix_nano - start_time_unix_nano < 0', '001'],
    ['attributes["i"] + 1 == 201', '11E'],
    ['attributes["i"] / 0 > 0', 'EEE'],
    ['7 / 2 == 3', '111'],
    ['-7 / 2 == -3', '111'],
    ['7.0 / 2 == 3.5', '111'],
    ['1 + 2 * 3 == 7', '111'],
    ['(1 + 2) * 3 == 9', '111'],
    ['10 - 2 - 3 == 5', '111'],
    // unary minus on int and float; nil cannot be negated
    ['-attributes["d"] == -1.5', '10E'],
    ['-attributes["d"] == -1', '01E'],
    // math on strings fails (string literals are not even operands in the grammar)
    ['name + attributes["s"] == "x"', 'EEE'],
    ['end_time - start_time > Duration("2s")', '100'],
    ['end_time - start_time == Duration("100ns")', '010'],
    ['start_time + Duration("2.5s") == end_time', '100'],
    ['end_time - Duration("100ns") == start_time', '010'],
    ['start_time < end_time', '110'],
    ['end_time - start_time < Duration("0s")', '001'],
    ['start_time - 1 > 0', 'EEE'],
    // otel-sieve lexes a sign after an operand as the operator (the collector fails to parse this)
    ['attributes["i"] -1 == 199', '11E'],
  ]);
});

describe('enums, ids and fields', () => {
  table([
    ['kind == SPAN_KIND_SERVER', '100'],
    ['kind == 3', '010'],
    ['SPAN_KIND_SERVER == 2', '111'],
    ['kind.string == "Client"', '010'],
    ['kind.deprecated_string == "SPAN_KIND_INTERNAL"', '001'],
    ['status.code == STATUS_CODE_ERROR', '100'],
    ['status.code == STATUS_CODE_OK', '001'],
    ['status.code == STATUS_CODE_UNSET', '010'],
    ['status.message == "boom"', '100'],
    ['trace_id.string == "0102030405060708090a0b0c0d0e0f10"', '110'],
    ['trace_id == TraceID(0x0102030405060708090a0b0c0d0e0f10)', '110'],
    ['span_id.string == "0102030405060708"', '100'],
    // an absent id is all zeros, in every form (the README's advice for "nil" ids)
    ['parent_span_id.string == "0000000000000000"', '101'],
    ['parent_span_id == SpanID(0x0000000000000000)', '101'],
    ['parent_span_id == nil', '000'],
    ['parent_span_id == SpanID(0x0102030405060708)', '010'],
    ['parent_span_id == span_id', '000'],
    ['IsRootSpan()', '101'],
    ['dropped_attributes_count == 3', '100'],
    ['dropped_events_count == 0 and dropped_links_count == 0', '111'],
    ['trace_state == "vendor=a,other=b"', '100'],
    ['trace_state["other"] == "b"', '100'],
    // a missing trace-state key reads as "" (the W3C trace state's Get), not nil
    ['trace_state["nope"] == ""', '111'],
    ['trace_state["nope"] == nil', '000'],
    ['resource.attributes["service.name"] == "shop"', '110'],
    ['instrumentation_scope.name == "lib"', '110'],
    ['instrumentation_scope.version == ""', '001'],
    ['instrumentation_scope.attributes["scope.attr"] == "x"', '110'],
    ['start_time_unix_nano == 1000000000', '110'],
  ]);
});

describe('and, or, not (left to right, short-circuit)', () => {
  table([
    ['name == "db" or kind == SPAN_KIND_SERVER', '110'],
    ['not (name == "db") and kind != SPAN_KIND_INTERNAL', '100'],
    ['not name == "db"', '101'],
    ['true and not false', '111'],
    ['false', '000'],
    ['name == "a" or name == "db" and kind == 3', '010'],
    // a true left side settles `or`, a false one settles `and`: the failing right side never runs
    ['name == "db" or 1 / 0 > 0', 'E1E'],
    ['name != "db" and 1 / 0 > 0', 'E0E'],
    ['1 / 0 > 0 or name == "db"', 'EEE'],
  ]);
});

describe('converters', () => {
  table([
    ['IsMatch(name, "^d")', '010'],
    // unanchored: a match anywhere
    ['IsMatch(name, "users")', '100'],
    // StringLikeGetter: ints and floats match as their JSON text; nil never matches
    ['IsMatch(attributes["i"], "^200$")', '110'],
    ['IsMatch(attributes["missing"], ".*")', '000'],
    ['IsMatch(name, "(?i)^été$")', '001'],
    ['IsString(attributes["s"])', '110'],
    ['IsString(name)', '111'],
    ['IsInt(attributes["i"])', '100'],
    ['IsDouble(attributes["i"])', '010'],
    ['IsBool(attributes["b"])', '110'],
    ['IsMap(attributes["m"])', '110'],
    ['IsMap(attributes)', '111'],
    ['IsList(attributes["arr"])', '110'],
    ['IsString(attributes["missing"])', '000'],
    // Len: bytes of a string, entries of a map or list; anything else (nil too) fails
    ['Len(name) == 10', '100'],
    ['Len(name) == 5', '001'],
    ['Len(attributes["arr"]) == 2', '10E'],
    ['Len(attributes["m"]) == 2', '11E'],
    ['Len(attributes["i"]) > 0', 'EEE'],
    ['Concat([name, "x", attributes["i"]], "|") == "db|x|200"', '010'],
    ['Concat([name, attributes["none"]], "-") == "ÉTÉ-<nil>"', '001'],
    ['Concat([], "-") == ""', '111'],
    ['ToUpperCase(name) == "DB"', '010'],
    ['ToLowerCase(name) == "été"', '001'],
    ['ToUpperCase(attributes["i"]) == "200"', 'EEE'],
    ['Substring(name, 0, 2) == "db"', '010'],
    ['Substring(name, 4, 6) == "/users"', '1EE'],
    ['Substring(name, -1, 1) == "x"', 'EEE'],
    ['Substring(name, 0, 0) == ""', 'EEE'],
    ['Int(attributes["d"]) == 1', '110'],
    ['Int(attributes["s"]) == nil', '111'],
    ['Int(attributes["num"]) == 10', '100'],
    ['Int(attributes["b"]) == 1', '100'],
    ['Int("-12") == -12', '111'],
    ['Double(attributes["i"]) == 200.0', '110'],
    ['Double("1.5e3") == 1500', '111'],
    ['Double(attributes["s"]) == nil', '111'],
    // maps, lists and bytes do not convert: nil (the README's rule)
    ['Int(attributes["m"]) == nil and Double(attributes["by"]) == nil', '111'],
    // a time has no string form here (documented deviation): an error, not a formatted time
    ['String(start_time) == "x"', 'EEE'],
    ['String(attributes["m"]) == "{\\"a\\":1,\\"b\\":\\"B\\"}"', '110'],
    ['String(attributes["arr"]) == "[1,\\"x\\"]"', '100'],
    ['String(attributes["by"]) == "0a0b"', '100'],
    ['String(attributes["d"]) == "1.5"', '100'],
    ['String(attributes["b"]) == "true"', '100'],
    ['String(attributes["none"]) == nil', '111'],
    // floats format as Go's encoding/json does (ES6 style)
    ['String(1.0e21) == "1e+21"', '111'],
    ['String(0.000001) == "0.000001"', '111'],
    ['String(0.0000001) == "1e-7"', '111'],
    ['String(-2.50) == "-2.5"', '111'],
    ['HasPrefix(name, "GET")', '100'],
    ['HasSuffix(name, "users")', '100'],
    ['HasPrefix(attributes["i"], "2")', 'EEE'],
    ['ContainsValue(attributes["arr"], 1)', '10E'],
    ['ContainsValue(["db", "x"], name)', '010'],
    ['ContainsValue(attributes["missing"], 1)', 'EEE'],
  ]);
});

describe('error modes', () => {
  it('propagate stops at the first failure and names the condition, item and position', () => {
    let error: unknown;
    try {
      ottl.evaluate(['name == "zz"', 'attributes["arr"][1] == "x"'], batch, { context: 'span' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OttlRuntimeError);
    const e = error as OttlRuntimeError;
    expect({ item: e.item, line: e.line, column: e.column, condition: e.condition, context: e.context }).toEqual({
      item: 1,
      line: 1,
      column: 19,
      condition: 'attributes["arr"][1] == "x"',
      context: 'span',
    });
    expect(e.message).toBe(`failed to eval condition "attributes[\\"arr\\"][1] == \\"x\\"" on span 1: line 1, column 19: ${e.reason}`);
  });
  it('ignore and silent count failures, which are false, and go on with the next condition', () => {
    for (const errorMode of ['ignore', 'silent'] as const) {
      const r = ottl.evaluate(['attributes["arr"][1] == "x"', 'name == "db"'], batch, { context: 'span', errorMode });
      expect(Array.from(r.results)).toEqual([1, 1, 0]);
      expect(r.errors).toBe(1);
      expect(r.firstError?.item).toBe(1);
    }
  });
  it('conditions are ORed in order: a true one settles the item before a failing one runs', () => {
    const r = ottl.evaluate(['name == "db"', 'attributes["arr"][1] == "x"'], batch, { context: 'span', errorMode: 'propagate', stopAtFirstError: false });
    expect(Array.from(r.results)).toEqual([1, 1, 0]);
    expect(r.errors).toBe(0);
  });
});
