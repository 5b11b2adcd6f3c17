// Bad log and metric input: every error names the byte offset, the message and field being read and
// the rule broken — the same messages as for traces — and the next valid request decodes as if
// nothing happened.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, LogBatch, MetricBatch, OtlpDecodeError, InputTooLargeError, OtlpJsonError } from 'otel-sieve';
import { ProtoWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../../src/wire/proto-writer.js';
import { logEdgeCases, logsNestedBody, metricEdgeCases } from '../helpers/signal-edge-cases.js';
import { expectedLogsJson, expectedMetricsJson } from '../helpers/oracle-signals.js';

beforeAll(async () => {
  await init();
});

const u8 = (...b: number[]) => Uint8Array.from(b);

/** A request with one log record whose content `build` writes. */
function record(build: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  w.fork(1).fork(2).fork(2);
  build(w);
  w.ldelim().ldelim().ldelim();
  return w.finish();
}

/** A request with one metric whose content `build` writes. */
function metric(build: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  w.fork(1).fork(2).fork(2);
  build(w);
  w.ldelim().ldelim().ldelim();
  return w.finish();
}

/** A metric of `type` (its Metric field number) with one data point whose content `build` writes. */
function point(type: number, build: (w: ProtoWriter) => void): Uint8Array {
  return metric((w) => {
    w.tag(1, WIRE_LEN).string('m').fork(type).fork(1);
    build(w);
    w.ldelim().ldelim();
  });
}

interface Case {
  name: string;
  input: Uint8Array;
  message: string;
  options?: object;
}

const logCases: Case[] = [
  { name: 'truncated varint', input: u8(0x0a, 0xff), message: 'byte 1 (ExportLogsServiceRequest field 1): truncated varint' },
  { name: 'wrong wire type for resource_logs', input: u8(0x08, 0x01), message: 'byte 0 (ExportLogsServiceRequest field 1): wrong wire type — field 1 cannot be varint' },
  { name: 'wrong wire type for scope_logs', input: u8(0x0a, 0x02, 0x10, 0x01), message: 'byte 2 (ResourceLogs field 2): wrong wire type — field 2 cannot be varint' },
  { name: 'wrong wire type for log_records', input: u8(0x0a, 0x04, 0x12, 0x02, 0x10, 0x01), message: 'byte 4 (ScopeLogs field 2): wrong wire type — field 2 cannot be varint' },
  { name: 'length past end', input: u8(0x0a, 0x05, 0x00), message: 'byte 1 (ExportLogsServiceRequest field 1): length past end — length prefix says 5 bytes but the enclosing message ends sooner (input is 3 bytes)' },
  { name: 'time as a varint', input: record((w) => w.tag(1, WIRE_VARINT).uint32(1)), message: 'byte 6 (LogRecord field 1): wrong wire type — field 1 cannot be varint' },
  { name: 'severity as a string', input: record((w) => w.tag(2, WIRE_LEN).string('INFO')), message: 'byte 6 (LogRecord field 2): wrong wire type — field 2 cannot be length-delimited' },
  { name: 'flags as a varint', input: record((w) => w.tag(8, WIRE_VARINT).uint32(1)), message: 'byte 6 (LogRecord field 8): wrong wire type — field 8 cannot be varint' },
  { name: 'event_name as fixed32', input: record((w) => w.tag(12, WIRE_FIXED32).fixed32(1)), message: 'byte 6 (LogRecord field 12): wrong wire type — field 12 cannot be fixed32' },
  {
    name: 'trace id of 15 bytes',
    input: record((w) => w.tag(9, WIRE_LEN).bytes(new Uint8Array(15))),
    message: 'byte 6 (LogRecord field 9): invalid id length — id is 15 bytes; trace ids must be 16 bytes and span ids 8 (or empty)',
  },
  {
    name: 'span id of 16 bytes',
    input: record((w) => w.tag(10, WIRE_LEN).bytes(new Uint8Array(16))),
    message: 'byte 6 (LogRecord field 10): invalid id length — id is 16 bytes; trace ids must be 16 bytes and span ids 8 (or empty)',
  },
  {
    name: 'truncated observed time',
    input: record((w) => w.tag(11, WIRE_FIXED64).raw(u8(1, 2, 3))),
    message: 'byte 7 (LogRecord field 11): truncated fixed-width value — needs 8 bytes, the message ends first',
  },
  {
    name: 'severity longer than 64 bits',
    input: record((w) => w.tag(2, WIRE_VARINT).raw(u8(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02))),
    message: 'byte 7 (LogRecord field 2): varint overflows 64 bits',
  },
  { name: 'field number 0 in a record', input: record((w) => w.raw(u8(0x00))), message: 'byte 6 (LogRecord): field number 0 — protobuf field numbers start at 1' },
  { name: 'unterminated group in a record', input: record((w) => w.raw(u8(0xa3, 0x06, 0x08, 0x01))), message: 'byte 6 (LogRecord field 100): unterminated group — group field 100' },
  {
    name: 'a body AnyValue with a wrong wire type',
    input: record((w) => w.fork(5).tag(4, WIRE_VARINT).uint32(1).ldelim()),
    message: 'byte 8 (AnyValue field 4): wrong wire type — field 4 cannot be varint',
  },
  {
    name: 'an attribute value cut short',
    input: record((w) => w.fork(6).tag(1, WIRE_LEN).string('k').tag(2, WIRE_LEN).raw(u8(0x05, 0x0a)).ldelim()),
    message: 'byte 12 (KeyValue field 2): length past end — length prefix says 5 bytes but the enclosing message ends sooner (input is 14 bytes)',
  },
  { name: 'a body 65 arrays deep', input: logsNestedBody(65), message: 'depth limit — AnyValue nesting deeper than the limit of 64' },
  {
    name: 'log record count limit',
    input: record(() => {}),
    options: { maxLogRecords: 0 },
    message: 'input: count limit — more than the limit of 0 log records per request (DecodeOptions.maxLogRecords)',
  },
  { name: 'empty input', input: new Uint8Array(0), message: 'byte 0 (ExportLogsServiceRequest): empty input' },
];

const metricCases: Case[] = [
  { name: 'wrong wire type for resource_metrics', input: u8(0x08, 0x01), message: 'byte 0 (ExportMetricsServiceRequest field 1): wrong wire type — field 1 cannot be varint' },
  { name: 'wrong wire type for scope_metrics', input: u8(0x0a, 0x02, 0x10, 0x01), message: 'byte 2 (ResourceMetrics field 2): wrong wire type — field 2 cannot be varint' },
  { name: 'metric name as a varint', input: metric((w) => w.tag(1, WIRE_VARINT).uint32(1)), message: 'byte 6 (Metric field 1): wrong wire type — field 1 cannot be varint' },
  { name: 'gauge as a varint', input: metric((w) => w.tag(5, WIRE_VARINT).uint32(1)), message: 'byte 6 (Metric field 5): wrong wire type — field 5 cannot be varint' },
  { name: 'metadata as fixed64', input: metric((w) => w.tag(12, WIRE_FIXED64).fixed64(1n)), message: 'byte 6 (Metric field 12): wrong wire type — field 12 cannot be fixed64' },
  { name: 'data points as fixed64', input: metric((w) => w.fork(5).tag(1, WIRE_FIXED64).fixed64(1n).ldelim()), message: 'byte 8 (Gauge field 1): wrong wire type — field 1 cannot be fixed64' },
  { name: 'temporality as a string', input: metric((w) => w.fork(7).tag(2, WIRE_LEN).string('x').ldelim()), message: 'byte 8 (Sum field 2): wrong wire type — field 2 cannot be length-delimited' },
  { name: 'is_monotonic as fixed32', input: metric((w) => w.fork(7).tag(3, WIRE_FIXED32).fixed32(1).ldelim()), message: 'byte 8 (Sum field 3): wrong wire type — field 3 cannot be fixed32' },
  { name: 'histogram temporality as fixed64', input: metric((w) => w.fork(9).tag(2, WIRE_FIXED64).fixed64(1n).ldelim()), message: 'byte 8 (Histogram field 2): wrong wire type — field 2 cannot be fixed64' },
  { name: 'as_double as a varint', input: point(5, (w) => w.tag(4, WIRE_VARINT).uint32(1)), message: 'byte 13 (NumberDataPoint field 4): wrong wire type — field 4 cannot be varint' },
  { name: 'as_int as a varint', input: point(7, (w) => w.tag(6, WIRE_VARINT).uint32(1)), message: 'byte 13 (NumberDataPoint field 6): wrong wire type — field 6 cannot be varint' },
  { name: 'point flags as fixed32', input: point(5, (w) => w.tag(8, WIRE_FIXED32).fixed32(1)), message: 'byte 13 (NumberDataPoint field 8): wrong wire type — field 8 cannot be fixed32' },
  {
    name: 'bucket counts of 13 bytes',
    input: point(9, (w) => w.tag(6, WIRE_LEN).bytes(new Uint8Array(13))),
    message: "byte 13 (HistogramDataPoint field 6): packed length — packed 8-byte values, but the field's length is not a multiple of 8",
  },
  { name: 'explicit bounds as varints', input: point(9, (w) => w.tag(7, WIRE_VARINT).uint32(1)), message: 'byte 13 (HistogramDataPoint field 7): wrong wire type — field 7 cannot be varint' },
  {
    name: 'histogram min cut short',
    input: point(9, (w) => w.tag(11, WIRE_FIXED64).raw(u8(1, 2))),
    message: 'byte 14 (HistogramDataPoint field 11): truncated fixed-width value — needs 8 bytes, the message ends first',
  },
  { name: 'scale as fixed64', input: point(10, (w) => w.tag(6, WIRE_FIXED64).fixed64(1n)), message: 'byte 13 (ExponentialHistogramDataPoint field 6): wrong wire type — field 6 cannot be fixed64' },
  { name: 'positive buckets as a varint', input: point(10, (w) => w.tag(8, WIRE_VARINT).uint32(1)), message: 'byte 13 (ExponentialHistogramDataPoint field 8): wrong wire type — field 8 cannot be varint' },
  {
    name: 'bucket counts as fixed32',
    input: point(10, (w) => w.fork(8).tag(2, WIRE_FIXED32).fixed32(1).ldelim()),
    message: 'byte 15 (ExponentialHistogramDataPoint.Buckets field 2): wrong wire type — field 2 cannot be fixed32',
  },
  {
    name: 'a packed bucket count cut short',
    input: point(10, (w) => w.fork(9).tag(2, WIRE_LEN).bytes(u8(0x01, 0xff)).ldelim()),
    message: 'byte 18 (ExponentialHistogramDataPoint.Buckets field 2): truncated varint',
  },
  { name: 'offset as fixed64', input: point(10, (w) => w.fork(9).tag(1, WIRE_FIXED64).fixed64(1n).ldelim()), message: 'byte 15 (ExponentialHistogramDataPoint.Buckets field 1): wrong wire type — field 1 cannot be fixed64' },
  {
    name: 'a quantile value as a varint',
    input: point(11, (w) => w.fork(6).tag(2, WIRE_VARINT).uint32(1).ldelim()),
    message: 'byte 15 (SummaryDataPoint.ValueAtQuantile field 2): wrong wire type — field 2 cannot be varint',
  },
  { name: 'summary sum as a varint', input: point(11, (w) => w.tag(5, WIRE_VARINT).uint32(1)), message: 'byte 13 (SummaryDataPoint field 5): wrong wire type — field 5 cannot be varint' },
  {
    name: 'an exemplar trace id of 8 bytes',
    input: point(9, (w) => w.fork(8).tag(5, WIRE_LEN).bytes(new Uint8Array(8)).ldelim()),
    message: 'byte 15 (Exemplar field 5): invalid id length — id is 8 bytes; trace ids must be 16 bytes and span ids 8 (or empty)',
  },
  { name: 'an exemplar value as a varint', input: point(5, (w) => w.fork(5).tag(3, WIRE_VARINT).uint32(1).ldelim()), message: 'byte 15 (Exemplar field 3): wrong wire type — field 3 cannot be varint' },
  {
    name: 'a point attribute key as a varint',
    input: point(10, (w) => w.fork(1).tag(1, WIRE_VARINT).uint32(1).ldelim()),
    message: 'byte 15 (KeyValue field 1): wrong wire type — field 1 cannot be varint',
  },
  { name: 'field number 0 in a point', input: point(9, (w) => w.raw(u8(0x00))), message: 'byte 13 (HistogramDataPoint): field number 0 — protobuf field numbers start at 1' },
  {
    name: 'data point count limit (across metrics and kinds)',
    input: metric((w) => w.tag(1, WIRE_LEN).string('m').fork(9).fork(1).ldelim().fork(1).ldelim().fork(1).ldelim().ldelim()),
    options: { maxDataPoints: 2 },
    message: 'input: count limit — more than the limit of 2 data points per request (DecodeOptions.maxDataPoints)',
  },
  { name: 'empty input', input: new Uint8Array(0), message: 'byte 0 (ExportMetricsServiceRequest): empty input' },
];

function check(decode: (b: Uint8Array, o: object) => { dispose(): void }, c: Case, valid: () => void): void {
  let error: unknown;
  try {
    decode(c.input, { source: 'bad.pb', ...c.options }).dispose();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(OtlpDecodeError);
  expect((error as Error).message).toContain(c.message);
  expect((error as Error).message.startsWith('bad.pb: ')).toBe(true);
  valid();
}

const validLogs = logEdgeCases()[0]![1];
const validMetrics = metricEdgeCases()[0]![1];

describe('malformed logs', () => {
  for (const c of logCases) {
    it(`${c.name}: clear error, then a valid request still decodes`, () => {
      check((b, o) => LogBatch.fromProtobuf(b, o), c, () => {
        const ok = LogBatch.fromProtobuf(validLogs);
        expect(ok.toJSON()).toEqual(expectedLogsJson(validLogs));
        ok.dispose();
      });
    });
  }

  it('a body of 64 arrays is within the limit; the limit is configurable', () => {
    expect(LogBatch.fromProtobuf(logsNestedBody(64)).logRecordCount).toBe(1);
    expect(LogBatch.fromProtobuf(logsNestedBody(9), { maxDepth: 9 }).logRecordCount).toBe(1);
    expect(() => LogBatch.fromProtobuf(logsNestedBody(10), { maxDepth: 9 })).toThrow(/deeper than the limit of 9/);
  });

  it('inputs over maxBytes, bad options, empty requests when allowed, bad JSON', () => {
    expect(() => LogBatch.fromProtobuf(new Uint8Array(101), { maxBytes: 100, source: 'big.pb' })).toThrow(InputTooLargeError);
    expect(() => LogBatch.fromProtobuf(validLogs, { maxAttributesPerLogRecord: -1 })).toThrow('DecodeOptions.maxAttributesPerLogRecord must be a non-negative integer or Infinity, got -1');
    expect(LogBatch.fromProtobuf(new Uint8Array(0), { allowEmpty: true }).toJSON()).toEqual({});
    expect(() => LogBatch.fromJSON('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"spanId":"abc"}]}]}]}', { source: 'logs.json' })).toThrow(OtlpJsonError);
    expect(() => LogBatch.fromJSON('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"spanId":"abc"}]}]}]}', { source: 'logs.json' })).toThrow(
      'logs.json: line 1, column 57 (resourceLogs[0].scopeLogs[0].logRecords[0].spanId): span id must be 16 hex digits, got 3',
    );
  });
});

describe('malformed metrics', () => {
  for (const c of metricCases) {
    it(`${c.name}: clear error, then a valid request still decodes`, () => {
      check((b, o) => MetricBatch.fromProtobuf(b, o), c, () => {
        const ok = MetricBatch.fromProtobuf(validMetrics);
        expect(ok.toJSON()).toEqual(expectedMetricsJson(validMetrics));
        ok.dispose();
      });
    });
  }

  it('fields a kind does not have are unknown fields, skipped and kept', () => {
    // Gauge has no temporality (field 2) and Summary points no exemplars (field 5 is their sum).
    const gauge = metric((w) => w.fork(5).tag(2, WIRE_LEN).string('not a temporality').ldelim());
    const b = MetricBatch.fromProtobuf(gauge);
    expect(b.metric(0).aggregationTemporality).toBe(0);
    expect(Buffer.compare(b.toProtobuf(), gauge)).toBe(0);
  });

  it('bad options and bad JSON', () => {
    expect(() => MetricBatch.fromProtobuf(validMetrics, { maxDataPoints: 1.5 })).toThrow('DecodeOptions.maxDataPoints must be a non-negative integer or Infinity, got 1.5');
    expect(() => MetricBatch.fromJSON('{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"sum":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_SOMETIMES"}}]}]}]}')).toThrow(OtlpJsonError);
  });
});
