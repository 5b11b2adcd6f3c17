// OTTL semantics in the other contexts — spanevent, resource, scope, log, metric, datapoint — from
// the collector's context READMEs (ottlspanevent, ottlresource, ottlscope, ottllog, ottlmetric,
// ottldatapoint) and the filter processor's metric functions. Each row: a condition and its
// outcome per item of the fixture (1 true, 0 false, E failed); test/helpers/ottl-fixtures.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, ottl, LogBatch, MetricBatch, TraceBatch } from 'otel-sieve';
import type { OttlContextName } from 'otel-sieve';
import { logFixture, metricFixture, traceFixture } from '../helpers/ottl-fixtures.js';

let traces: TraceBatch;
let logs: LogBatch;
let metrics: MetricBatch;

beforeAll(async () => {
  await init();
  traces = TraceBatch.fromProtobuf(traceFixture());
  logs = LogBatch.fromProtobuf(logFixture());
  metrics = MetricBatch.fromProtobuf(metricFixture());
});

afterAll(() => {
  traces.dispose();
  logs.dispose();
  metrics.dispose();
});

function outcomes(condition: string, context: OttlContextName, batch: TraceBatch | LogBatch | MetricBatch): string {
  const r = ottl.evaluate(condition, batch, { context, errorMode: 'propagate', stopAtFirstError: false });
  return Array.from(r.results, (b) => (b === 2 ? 'E' : String(b))).join('');
}

function table(context: OttlContextName, batch: () => TraceBatch | LogBatch | MetricBatch, rows: [string, string][]): void {
  for (const [condition, expected] of rows) {
    it(`${condition} → ${expected}`, () => {
      expect(outcomes(condition, context, batch())).toBe(expected);
    });
  }
}

describe('spanevent (events 0 "exception", 1 "ok", both on span 0)', () => {
  table('spanevent', () => traces, [
    ['name == "exception"', '10'],
    ['attributes["exception.message"] != nil', '10'],
    ['time_unix_nano > span.start_time_unix_nano', '10'],
    ['time_unix_nano == 0', '01'],
    ['time > span.start_time and time < span.end_time', '10'],
    ['span.name == "GET /users" and span.kind == SPAN_KIND_SERVER', '11'],
    ['span.attributes["i"] == 200', '11'],
    ['resource.attributes["service.name"] == "shop" and instrumentation_scope.name == "lib"', '11'],
    ['dropped_attributes_count == 0', '11'],
    ['IsMatch(name, "^exc")', '10'],
  ]);
});

describe('resource (0 "shop", 1 "cart")', () => {
  table('resource', () => traces, [
    ['attributes["service.name"] == "shop"', '10'],
    ['attributes["rm"]["a"] == 1', '10'],
    ['Len(attributes) == 1', '01'],
    ['dropped_attributes_count == 0 and schema_url == ""', '11'],
  ]);
  it('reads log and metric resources too', () => {
    expect(outcomes('attributes["service.name"] == "api"', 'resource', logs)).toBe('1');
    expect(outcomes('attributes["service.name"] == "api"', 'resource', metrics)).toBe('1');
  });
});

describe('scope (0 "lib" 1.0, 1 "lib2")', () => {
  table('scope', () => traces, [
    ['name == "lib"', '10'],
    ['version == "1.0"', '10'],
    ['attributes["scope.attr"] == "x"', '10'],
    ['resource.attributes["service.name"] == "cart"', '01'],
    ['name != "lib" and version == ""', '01'],
  ]);
});

describe('log (0 ERROR string body, 1 INFO map body, 2 empty)', () => {
  table('log', () => logs, [
    ['severity_number >= SEVERITY_NUMBER_ERROR', '100'],
    ['severity_number < SEVERITY_NUMBER_WARN', '011'],
    ['severity_number == SEVERITY_NUMBER_UNSPECIFIED', '001'],
    ['severity_number == SEVERITY_NUMBER_INFO', '010'],
    ['severity_number == 17', '100'],
    ['severity_text == "INFO"', '010'],
    ['body == "disk full"', '100'],
    ['IsMatch(body, "disk")', '100'],
    ['body == nil', '001'],
    ['IsMap(body)', '010'],
    // a map body is indexed; other bodies cannot be
    ['body["msg"] == "hi"', 'E1E'],
    ['body["n"] + 1 == 4', 'E1E'],
    // body.string is the body's text form: maps as JSON, nothing as ""
    ['body.string == "disk full"', '100'],
    ['body.string == "{\\"msg\\":\\"hi\\",\\"n\\":3}"', '010'],
    ['body.string == ""', '001'],
    ['String(body) == "{\\"msg\\":\\"hi\\",\\"n\\":3}"', '010'],
    ['time_unix_nano == 10', '100'],
    ['time_unix_nano == 0', '011'],
    ['observed_time_unix_nano > time_unix_nano', '100'],
    ['observed_time > time', '100'],
    ['flags == 1', '100'],
    ['trace_id.string == "0102030405060708090a0b0c0d0e0f10"', '100'],
    ['trace_id == TraceID(0x00000000000000000000000000000000)', '011'],
    ['span_id == SpanID(0x0102030405060708)', '100'],
    ['attributes["k"] == "v"', '100'],
    ['resource.attributes["service.name"] == "api" and instrumentation_scope.name == "logger"', '111'],
    ['event_name == ""', '111'],
  ]);
  it('event_name', () => {
    const b = LogBatch.fromJSON({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ eventName: 'browser.click' }, { eventName: 'other' }, {}] }] }],
    });
    try {
      expect(outcomes('event_name == "browser.click"', 'log', b)).toBe('100');
      expect(outcomes('event_name == ""', 'log', b)).toBe('001');
    } finally {
      b.dispose();
    }
  });
});

describe('metric (0 gauge cpu, 1 sum requests, 2 histogram latency, 3 summary size, 4 exponential histogram exp)', () => {
  table('metric', () => metrics, [
    ['name == "cpu"', '10000'],
    ['unit == "1" and description == "CPU"', '10000'],
    ['type == METRIC_DATA_TYPE_GAUGE', '10000'],
    ['type == METRIC_DATA_TYPE_SUM', '01000'],
    ['type == METRIC_DATA_TYPE_HISTOGRAM', '00100'],
    ['type == METRIC_DATA_TYPE_SUMMARY', '00010'],
    ['type == METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM', '00001'],
    ['aggregation_temporality == AGGREGATION_TEMPORALITY_CUMULATIVE', '01000'],
    ['aggregation_temporality == AGGREGATION_TEMPORALITY_DELTA', '00101'],
    // gauges and summaries have no temporality; only sums are monotonic or not
    ['aggregation_temporality == nil', '10010'],
    ['is_monotonic == true', '01000'],
    ['is_monotonic == nil', '10111'],
    ['HasAttrKeyOnDatapoint("host")', '10000'],
    ['HasAttrKeyOnDatapoint("code")', '01100'],
    ['HasAttrOnDatapoint("code", "200")', '01100'],
    // the first point holding the key decides: requests' first point has code 200
    ['HasAttrOnDatapoint("code", "500")', '00000'],
    ['HasAttrOnDatapoint("host", "b")', '00000'],
    ['resource.attributes["service.name"] == "api"', '11111'],
  ]);
});

describe('datapoint (0 0.5, 1 int 3, 2 int 10, 3 int 5 flagged, 4 histogram, 5 summary, 6 exponential)', () => {
  table('datapoint', () => metrics, [
    ['value_double > 0.1', '1000000'],
    // a number point's other value reads as 0; other points have neither
    ['value_double == 0.0', '0111000'],
    ['value_double == nil', '0000111'],
    ['value_int == 3', '0100000'],
    ['value_int == 0', '1000000'],
    ['value_int > 4', '0011000'],
    ['count == 4', '0000100'],
    ['count == nil', '1111000'],
    ['sum == 10.5', '0000100'],
    ['sum == 3', '0000010'],
    ['scale == 2 and zero_count == 1', '0000001'],
    ['positive.offset == 1', '0000001'],
    ['metric.name == "requests" and attributes["code"] == "500"', '0001000'],
    ['metric.type == METRIC_DATA_TYPE_HISTOGRAM', '0000100'],
    ['attributes["host"] == "b"', '0100000'],
    ['flags == FLAG_NO_RECORDED_VALUE', '0001000'],
    ['time_unix_nano > start_time_unix_nano', '1111111'],
    ['time - start_time == Duration("100ns")', '1111111'],
    ['resource.attributes["service.name"] == "api" and instrumentation_scope.name == "meter"', '1111111'],
  ]);
});
