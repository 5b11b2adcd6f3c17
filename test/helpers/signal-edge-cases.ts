// Hand-built log and metric requests for the corners real producers rarely reach: every field and
// value kind, unknown fields of every wire type at every level, odd field order and non-canonical
// encodings (padded varints, unpacked and split repeated numbers), NaN/±Inf/−0, empty messages,
// huge bucket arrays. All valid OTLP; the oracle decodes them (except where a case says otherwise).
import { ProtoWriter, WIRE_VARINT, WIRE_FIXED64, WIRE_FIXED32, WIRE_LEN } from '../../src/wire/proto-writer.js';
import { hex } from './oracle.js';
import { encodeLogs, encodeMetrics } from './oracle-signals.js';

/** One unknown field of each wire type, with numbers OTLP does not use. */
export function unknowns(w: ProtoWriter): void {
  w.tag(900, WIRE_VARINT).uint64(0xffffffffffffffffn);
  w.tag(901, WIRE_FIXED64).fixed64(0x0123456789abcdefn);
  w.fork(902).string('unknown').ldelim();
  w.tag(903, WIRE_FIXED32).fixed32(0xdeadbeef);
}

function kv(w: ProtoWriter, field: number, key: string, value: (w: ProtoWriter) => void): void {
  w.fork(field).tag(1, WIRE_LEN).string(key).fork(2);
  value(w);
  w.ldelim().ldelim();
}

/** A varint padded to `bytes` bytes (valid protobuf, never written by canonical encoders). */
function padded(w: ProtoWriter, v: number, bytes: number): void {
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) {
    out.push((v & 0x7f) | (i < bytes - 1 ? 0x80 : 0));
    v >>>= 7;
  }
  w.raw(Uint8Array.from(out));
}

const text = (s: string) => ({ stringValue: s });
const TRACE = hex('0102030405060708090a0b0c0d0e0f10');
const SPAN = hex('1112131415161718');

// ---------------------------------------------------------------------------------------------
// Logs

function logsEveryBodyKind(): Uint8Array {
  const bodies = [
    text('plain'), text(''), text('multi\nline ünïcode 🎉 \u0000'), { boolValue: false }, { boolValue: true }, { intValue: 0 },
    { intValue: '-9223372036854775808' }, { doubleValue: 0.5 }, { doubleValue: NaN }, { doubleValue: Infinity }, { doubleValue: -Infinity },
    { doubleValue: -0 }, { bytesValue: Uint8Array.from([0, 1, 255]) }, { arrayValue: { values: [text('a'), { intValue: 1 }, { arrayValue: {} }, {}] } },
    { kvlistValue: { values: [{ key: 'k', value: { kvlistValue: { values: [{ key: 'n', value: { doubleValue: 1 } }] } } }, { key: '' }] } },
    {},
  ];
  return encodeLogs({
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: text('bodies') }], droppedAttributesCount: 3 },
      schemaUrl: 'https://example.com/r',
      scopeLogs: [{
        scope: { name: 'scope', version: '9', attributes: [{ key: 's', value: { boolValue: true } }], droppedAttributesCount: 1 },
        schemaUrl: 'https://example.com/s',
        logRecords: bodies.map((body, i) => ({
          timeUnixNano: String(1_717_200_000_000_000_000n + BigInt(i)),
          observedTimeUnixNano: i % 2 ? '18446744073709551615' : '0',
          severityNumber: [0, 1, 9, 13, 17, 24, 99, -1][i % 8],
          severityText: ['', 'TRACE', 'INFO', 'WARN', 'ERROR', 'FATAL4', '?', 'neg'][i % 8],
          body,
          attributes: i % 3 ? [{ key: `a${i}`, value: { intValue: i } }, { key: 'dup', value: text('x') }, { key: 'dup', value: text('y') }] : [],
          droppedAttributesCount: i % 4 === 1 ? 4294967295 : i % 4,
          flags: i % 5 === 0 ? 0 : [1, 0x101, 0xffffffff, 2][i % 4],
          traceId: i % 3 === 2 ? new Uint8Array(0) : TRACE,
          spanId: i % 3 === 1 ? new Uint8Array(0) : SPAN,
        })),
      }, {}, { scope: {} }],
    }, {}, { resource: {}, scopeLogs: [{ logRecords: [{}] }] }],
  });
}

/** Every field the oracle cannot write (event_name) and unknown fields at every level. */
function logsUnknownEverywhere(): Uint8Array {
  const w = new ProtoWriter();
  unknowns(w);
  w.fork(1); // ResourceLogs
  unknowns(w);
  w.fork(1); // Resource
  kv(w, 1, 'service.name', (v) => {
    v.tag(1, WIRE_LEN).string('svc');
    unknowns(v);
  });
  unknowns(w);
  w.ldelim();
  w.fork(2); // ScopeLogs
  w.fork(1).tag(1, WIRE_LEN).string('scope');
  unknowns(w);
  w.ldelim();
  w.fork(2); // LogRecord
  unknowns(w);
  w.tag(1, WIRE_FIXED64).fixed64(5n);
  w.tag(12, WIRE_LEN).string('first.event');
  w.fork(5).tag(1, WIRE_LEN).string('body');
  unknowns(w);
  w.ldelim();
  kv(w, 6, 'k', (v) => v.tag(3, WIRE_VARINT).int64(-1n));
  w.tag(8, WIRE_FIXED32).fixed32(1);
  w.tag(9, WIRE_LEN).bytes(TRACE);
  w.tag(10, WIRE_LEN).bytes(SPAN);
  w.tag(11, WIRE_FIXED64).fixed64(6n);
  w.tag(12, WIRE_LEN).string('event.name');
  unknowns(w);
  w.ldelim();
  w.fork(2); // a second record: only an event name
  w.tag(12, WIRE_LEN).string('only.event');
  w.ldelim();
  unknowns(w);
  w.tag(3, WIRE_LEN).string('https://opentelemetry.io/schemas/1.26.0');
  w.ldelim();
  unknowns(w);
  w.tag(3, WIRE_LEN).string('https://opentelemetry.io/schemas/1.25.0');
  w.ldelim();
  unknowns(w);
  return w.finish();
}

/** Fields in reverse order, padded varints in every length prefix and the severity. */
function logsNonCanonical(): Uint8Array {
  const record = new ProtoWriter();
  record.tag(12, WIRE_LEN).string('evt');
  record.tag(11, WIRE_FIXED64).fixed64(2n);
  record.tag(10, WIRE_LEN).bytes(SPAN);
  record.tag(9, WIRE_LEN).bytes(TRACE);
  record.tag(8, WIRE_FIXED32).fixed32(1);
  record.tag(7, WIRE_VARINT);
  padded(record, 2, 3);
  kv(record, 6, 'later', (v) => v.tag(1, WIRE_LEN).string('attr'));
  record.tag(5, WIRE_LEN);
  const body = new ProtoWriter().tag(1, WIRE_LEN).string('body').finish();
  padded(record, body.length, 4);
  record.raw(body);
  record.tag(3, WIRE_LEN).string('WARN');
  record.tag(2, WIRE_VARINT);
  padded(record, 13, 5);
  record.tag(1, WIRE_FIXED64).fixed64(1n);
  record.tag(3, WIRE_LEN).string('WARN2'); // a repeated scalar: the last wins
  const r = record.finish();
  const scope = new ProtoWriter();
  scope.tag(2, WIRE_LEN);
  padded(scope, r.length, 3);
  scope.raw(r);
  const s = scope.finish();
  const res = new ProtoWriter();
  res.tag(2, WIRE_LEN);
  padded(res, s.length, 2);
  res.raw(s);
  const rs = res.finish();
  const req = new ProtoWriter();
  req.tag(1, WIRE_LEN);
  padded(req, rs.length, 5);
  req.raw(rs);
  return req.finish();
}

/** A body nested 64 arrays deep: exactly at the default depth limit. */
export function logsNestedBody(arrays: number): Uint8Array {
  const w = new ProtoWriter();
  w.fork(1).fork(2).fork(2).fork(5);
  for (let i = 1; i <= arrays; i++) w.fork(5).fork(1);
  w.tag(1, WIRE_LEN).string('bottom');
  for (let i = 1; i <= arrays; i++) w.ldelim().ldelim();
  w.ldelim().ldelim().ldelim().ldelim();
  return w.finish();
}

/** Named valid log requests. */
export function logEdgeCases(): [string, Uint8Array][] {
  return [
    ['logs:every-body-kind', logsEveryBodyKind()],
    ['logs:unknown-fields-everywhere', logsUnknownEverywhere()],
    ['logs:non-canonical', logsNonCanonical()],
    ['logs:nesting-64', logsNestedBody(64)],
    ['logs:empty-request', new Uint8Array(0)],
  ];
}

// ---------------------------------------------------------------------------------------------
// Metrics

const attr = (key: string, value: unknown) => ({ key, value });

function metricsEveryType(): Uint8Array {
  const exemplars = [
    { timeUnixNano: '5', asDouble: 1.5, spanId: SPAN, traceId: TRACE, filteredAttributes: [attr('user', text('u1'))] },
    { asInt: '-3' },
    {},
  ];
  return encodeMetrics({
    resourceMetrics: [{
      resource: { attributes: [attr('service.name', text('meters'))], droppedAttributesCount: 1 },
      schemaUrl: 'https://example.com/r',
      scopeMetrics: [{
        scope: { name: 'm', version: '1', attributes: [attr('s', { intValue: 2 })] },
        schemaUrl: 'https://example.com/s',
        metrics: [
          { name: 'gauge', description: 'a gauge', unit: '1', gauge: { dataPoints: [
            { asDouble: 1.25, attributes: [attr('a', text('b'))], startTimeUnixNano: '1', timeUnixNano: '2', flags: 1, exemplars },
            { asInt: '-9223372036854775808' }, { asInt: 0 }, { asDouble: 0 }, {},
          ] } },
          { name: 'sum.delta', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ asInt: 7, timeUnixNano: '3' }] } },
          { name: 'sum.cumulative', sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ asDouble: -2.5 }] } },
          { name: 'sum.unspecified', sum: { dataPoints: [{ asDouble: 3 }] } },
          { name: 'histogram', unit: 'ms', histogram: { aggregationTemporality: 2, dataPoints: [
            { count: 6, sum: 10.5, bucketCounts: [1, 2, 3], explicitBounds: [1, 5], min: 0.5, max: 9, flags: 1, exemplars, attributes: [attr('route', text('/x'))], startTimeUnixNano: '10', timeUnixNano: '20' },
            { count: 0, sum: 0, min: 0, max: 0 },
            { count: '18446744073709551615', bucketCounts: ['18446744073709551615'] },
            {},
          ] } },
          { name: 'exponential', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [
            { count: 9, sum: 3.5, scale: -4, zeroCount: 2, zeroThreshold: 1e-9, positive: { offset: -7, bucketCounts: [1, 0, 300] }, negative: { offset: 5, bucketCounts: [2] }, min: -1, max: 8, flags: 1, exemplars, attributes: [attr('op', text('GET'))] },
            { scale: 20, positive: {}, negative: { offset: -2147483648 } },
            { positive: { bucketCounts: ['18446744073709551615', 0] } },
            {},
          ] } },
          { name: 'summary', summary: { dataPoints: [
            { count: 3, sum: 4.5, quantileValues: [{ quantile: 0.5, value: 1 }, { quantile: 0.99, value: 4 }, {}], attributes: [attr('q', { boolValue: true })], flags: 1 },
            { sum: 0 },
          ] } },
          { name: 'empty.gauge', gauge: {} },
          { name: 'empty.sum', sum: { aggregationTemporality: 2 } },
          { name: 'no data at all', description: 'metadata only' },
          {},
        ],
      }, {}, { scope: {}, metrics: [] }],
    }, {}],
  });
}

function metricsSpecialDoubles(): Uint8Array {
  const values = [NaN, Infinity, -Infinity, -0, 5e-324, Number.MAX_VALUE];
  return encodeMetrics({
    resourceMetrics: [{ scopeMetrics: [{ metrics: [
      { name: 'g', gauge: { dataPoints: values.map((v) => ({ asDouble: v })) } },
      { name: 'h', histogram: { dataPoints: values.map((v) => ({ sum: v, min: v, max: v, explicitBounds: [-Infinity, v, Infinity], bucketCounts: [0, 1, 2, 3] })) } },
      { name: 'e', exponentialHistogram: { dataPoints: values.map((v) => ({ sum: v, zeroThreshold: v, min: v, max: v })) } },
      { name: 's', summary: { dataPoints: values.map((v) => ({ sum: v, quantileValues: [{ quantile: v, value: v }] })) } },
      { name: 'x', gauge: { dataPoints: [{ asDouble: 1, exemplars: values.map((v) => ({ asDouble: v })) }] } },
    ] }] }],
  });
}

function metricsHugeBuckets(): Uint8Array {
  const n = 10_000;
  return encodeMetrics({
    resourceMetrics: [{ scopeMetrics: [{ metrics: [
      { name: 'wide', histogram: { dataPoints: [{ count: n, bucketCounts: Array.from({ length: n + 1 }, (_, i) => i % 7), explicitBounds: Array.from({ length: n }, (_, i) => i * 0.5) }] } },
      { name: 'wide.exp', exponentialHistogram: { dataPoints: [{ scale: 8, positive: { offset: -5000, bucketCounts: Array.from({ length: 5000 }, (_, i) => i * 1000) }, negative: { bucketCounts: Array.from({ length: 300 }, (_, i) => 2 ** 40 + i) } }] } },
    ] }] }],
  });
}

/**
 * Metric.metadata (unknown to the oracle's schema), unknown fields at every level of the metric
 * tree, repeated numbers unpacked and split into several packed runs, padded varints.
 */
function metricsUnknownAndNonCanonical(): Uint8Array {
  const w = new ProtoWriter();
  unknowns(w);
  w.fork(1); // ResourceMetrics
  unknowns(w);
  w.fork(2); // ScopeMetrics
  unknowns(w);
  w.fork(2); // Metric: histogram
  unknowns(w);
  w.tag(1, WIRE_LEN).string('h');
  kv(w, 12, 'meta', (v) => v.tag(1, WIRE_LEN).string('data'));
  w.fork(9); // Histogram
  unknowns(w);
  w.fork(1); // HistogramDataPoint
  unknowns(w);
  w.tag(4, WIRE_FIXED64).fixed64(6n);
  // bucket_counts: one unpacked, then a packed run of two, then another unpacked
  w.tag(6, WIRE_FIXED64).fixed64(1n);
  w.tag(6, WIRE_LEN).uint32(16).fixed64(2n).fixed64(3n);
  w.tag(6, WIRE_FIXED64).fixed64(0n);
  // explicit_bounds unpacked, a packed run in between
  w.tag(7, WIRE_FIXED64).double(1);
  w.tag(7, WIRE_LEN).uint32(8).double(2);
  w.tag(7, WIRE_FIXED64).double(3);
  w.fork(8); // Exemplar
  unknowns(w);
  w.tag(3, WIRE_FIXED64).double(2.5);
  kv(w, 7, 'fa', (v) => {
    v.tag(2, WIRE_VARINT).bool(true);
    unknowns(v);
  });
  w.ldelim();
  kv(w, 9, 'p', (v) => v.tag(1, WIRE_LEN).string('q'));
  w.ldelim(); // point
  w.tag(2, WIRE_VARINT);
  padded(w, 2, 4);
  w.ldelim(); // Histogram
  kv(w, 12, 'meta2', (v) => v.tag(3, WIRE_VARINT).int64(5n));
  w.ldelim(); // Metric
  w.fork(2); // Metric: exponential histogram with unpacked and split counts
  w.tag(1, WIRE_LEN).string('e');
  w.fork(10);
  w.fork(1);
  w.fork(8); // positive
  unknowns(w);
  w.tag(1, WIRE_VARINT).uint32(5); // offset -3 (zigzag)
  w.tag(2, WIRE_VARINT).uint32(7);
  w.tag(2, WIRE_LEN).uint32(3).uint32(1).uint32(300);
  w.ldelim();
  w.tag(6, WIRE_VARINT).uint64(0xffffffff00000003n); // scale: a 10-byte varint, truncated to 32 bits (zigzag 3 = -2)
  unknowns(w);
  w.ldelim();
  unknowns(w);
  w.ldelim();
  w.ldelim(); // Metric
  w.fork(2); // Metric: summary with unknown fields in a quantile
  w.tag(1, WIRE_LEN).string('s');
  w.fork(11).fork(1);
  w.fork(6).tag(1, WIRE_FIXED64).double(0.5);
  unknowns(w);
  w.tag(2, WIRE_FIXED64).double(7).ldelim();
  w.tag(5, WIRE_FIXED64).double(1);
  w.tag(5, WIRE_FIXED64).double(2); // a repeated scalar: the last wins
  w.ldelim().ldelim();
  w.ldelim(); // Metric
  w.ldelim(); // ScopeMetrics
  w.ldelim(); // ResourceMetrics
  return w.finish();
}

/** Named valid metric requests the oracle decodes as we do. */
export function metricEdgeCases(): [string, Uint8Array][] {
  return [
    ['metrics:every-type', metricsEveryType()],
    ['metrics:special-doubles', metricsSpecialDoubles()],
    ['metrics:huge-buckets', metricsHugeBuckets()],
    ['metrics:unknown-and-non-canonical', metricsUnknownAndNonCanonical()],
    ['metrics:empty-request', new Uint8Array(0)],
  ];
}

/**
 * Oneof semantics the oracle (protobufjs) does not share, checked by hand: a data member
 * overridden by a different member, and two occurrences of the same member, which merge.
 */
export function metricsOneofCases(): { overridden: Uint8Array; merged: Uint8Array; mergedBuckets: Uint8Array } {
  const gauge = (w: ProtoWriter, v: number) => w.fork(5).fork(1).tag(4, WIRE_FIXED64).double(v).ldelim().ldelim();
  const o = new ProtoWriter();
  o.fork(1).fork(2).fork(2);
  o.tag(1, WIRE_LEN).string('switches');
  gauge(o, 1); // overridden by the sum below
  o.fork(7).fork(1).tag(6, WIRE_FIXED64).fixed64(2n).ldelim().tag(2, WIRE_VARINT).uint32(1).tag(3, WIRE_VARINT).bool(true).ldelim(); // overridden too
  gauge(o, 3);
  gauge(o, 4);
  o.ldelim().ldelim().ldelim();
  const m = new ProtoWriter();
  m.fork(1).fork(2).fork(2);
  m.tag(1, WIRE_LEN).string('merges');
  m.fork(7).fork(1).tag(4, WIRE_FIXED64).double(1).ldelim().tag(2, WIRE_VARINT).uint32(1).ldelim();
  m.fork(7).fork(1).tag(4, WIRE_FIXED64).double(2).ldelim().tag(2, WIRE_VARINT).uint32(2).ldelim();
  m.ldelim().ldelim().ldelim();
  const b = new ProtoWriter();
  b.fork(1).fork(2).fork(2);
  b.tag(1, WIRE_LEN).string('buckets');
  b.fork(10).fork(1);
  b.fork(8).tag(1, WIRE_VARINT).uint32(5).tag(2, WIRE_LEN).uint32(2).uint32(1).uint32(2).ldelim(); // offset -3
  b.fork(8).tag(1, WIRE_VARINT).uint32(4).tag(2, WIRE_VARINT).uint32(9).ldelim(); // merges: offset 2, one more count
  b.ldelim().ldelim();
  b.ldelim().ldelim().ldelim();
  return { overridden: o.finish(), merged: m.finish(), mergedBuckets: b.finish() };
}
