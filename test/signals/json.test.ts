// LogBatch/MetricBatch fromJSON and toJSON: OTLP/JSON in (lenient, like the collector), strict
// OTLP/JSON out, and both agree with protobuf input for the same data — including the JSON the real
// OTel JS SDK serializers write.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, LogBatch, MetricBatch } from 'otel-sieve';
import { logEdgeCases, metricEdgeCases } from '../helpers/signal-edge-cases.js';
import { expectedLogsJson, expectedMetricsJson } from '../helpers/oracle-signals.js';
import { sdkLogs, sdkMetrics } from '../helpers/sdk-signals.js';
import { generateLogRequests } from '../../bench/corpus-logs.js';
import { generateMetricRequests } from '../../bench/corpus-metrics.js';

beforeAll(async () => {
  await init();
});

const sdkL = await sdkLogs();
const sdkM = await sdkMetrics();
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

const signals = [
  {
    name: 'logs',
    Batch: LogBatch as { fromProtobuf(b: Uint8Array): LogBatch | MetricBatch; fromJSON(i: string | Uint8Array | object): LogBatch | MetricBatch },
    expected: expectedLogsJson,
    inputs: [
      ...sdkL.map((p): [string, Uint8Array] => [p.name, p.pb]),
      ...logEdgeCases().filter(([, b]) => b.length > 0),
      ...generateLogRequests({ seed: 9, requests: 1, recordsPerRequest: 300 }).map((b): [string, Uint8Array] => ['corpus', b]),
    ],
  },
  {
    name: 'metrics',
    Batch: MetricBatch as { fromProtobuf(b: Uint8Array): LogBatch | MetricBatch; fromJSON(i: string | Uint8Array | object): LogBatch | MetricBatch },
    expected: expectedMetricsJson,
    inputs: [
      ...sdkM.map((p): [string, Uint8Array] => [p.name, p.pb]),
      ...metricEdgeCases().filter(([, b]) => b.length > 0),
      ...generateMetricRequests({ seed: 9, requests: 1, pointsPerRequest: 300 }).map((b): [string, Uint8Array] => ['corpus', b]),
    ],
  },
];

describe('JSON round trips', () => {
  for (const { name: signal, Batch, expected, inputs } of signals) {
    for (const [name, bytes] of inputs) {
      it(`${signal} ${name}: protobuf → JSON → protobuf → JSON is stable, and the protobuf agrees with the oracle`, () => {
        const b1 = Batch.fromProtobuf(bytes);
        const j1 = b1.toJSON();
        const b2 = Batch.fromJSON(JSON.stringify(j1));
        expect(b2.toJSON()).toEqual(j1);
        expect(expected(b2.toProtobuf())).toEqual(j1);
        // Object input (with bigint values) and byte input give the same bytes.
        const b3 = Batch.fromJSON(j1);
        expect(same(b3.toProtobuf(), b2.toProtobuf())).toBe(true);
        const b4 = Batch.fromJSON(new TextEncoder().encode(JSON.stringify(j1)));
        expect(same(b4.toProtobuf(), b2.toProtobuf())).toBe(true);
        for (const b of [b1, b2, b3, b4]) b.dispose();
      });
    }
  }
});

describe('JSON written by the OpenTelemetry JS SDK serializers', () => {
  for (const p of sdkL) {
    it(`${p.name}: JsonLogsSerializer output reads the same as ProtobufLogsSerializer output`, () => {
      const fromJson = LogBatch.fromJSON(p.json);
      const fromPb = LogBatch.fromProtobuf(p.pb);
      expect(fromJson.toJSON()).toEqual(fromPb.toJSON());
      expect(fromJson.logRecordCount).toBeGreaterThan(0);
    });
  }
  for (const p of sdkM) {
    it(`${p.name}: JsonMetricsSerializer output reads the same as ProtobufMetricsSerializer output`, () => {
      const fromJson = MetricBatch.fromJSON(p.json);
      const fromPb = MetricBatch.fromProtobuf(p.pb);
      // The SDK's JSON serializer writes a NaN gauge value as null (JSON.stringify has no NaN): the
      // value is lost in its JSON, null reads as absent, and the point has no value.
      expect(new TextDecoder().decode(p.json)).toContain('"asDouble":null');
      const withoutNaN = JSON.parse(JSON.stringify(fromPb.toJSON()).replaceAll(',"asDouble":"NaN"', ''));
      expect(fromJson.toJSON()).toEqual(withoutNaN);
      expect(fromJson.dataPointCount).toBeGreaterThan(0);
    });
  }
});

describe('JSON input rules', () => {
  it('logs: snake_case keys, severity names, int64 as numbers, upper-case hex, a kvlist body', () => {
    const b = LogBatch.fromJSON(`{"resource_logs":[{"scope_logs":[{"log_records":[{
      "time_unix_nano":1700000000000000001,"observed_time_unix_nano":"1700000000000000002",
      "severity_number":"SEVERITY_NUMBER_WARN2","severity_text":"warn","event_name":"e",
      "trace_id":"0102030405060708090A0B0C0D0E0F10","span_id":"0102030405060708","flags":1,
      "body":{"kvlistValue":{"values":[{"key":"n","value":{"intValue":9007199254740993}}]}},
      "attributes":[{"key":"d","value":{"doubleValue":"-Infinity"}}],"dropped_attributes_count":2}]}]}]}`);
    const r = b.logRecord(0);
    expect(r.timeUnixNano).toBe(1700000000000000001n);
    expect(r.observedTimeUnixNano).toBe(1700000000000000002n);
    expect(r.severityNumber).toBe(14);
    expect(r.eventName).toBe('e');
    expect(r.traceId).toBe('0102030405060708090a0b0c0d0e0f10');
    expect(r.body).toEqual({ type: 'kvlist', value: [{ key: 'n', value: { type: 'int', value: 9007199254740993n } }] });
    expect(r.attribute('d')).toEqual({ type: 'double', value: -Infinity });
    expect(r.droppedAttributesCount).toBe(2);
  });

  it('metrics: temporality names, packed lists from arrays, optional doubles, exemplars', () => {
    const b = MetricBatch.fromJSON({
      resourceMetrics: [{ scopeMetrics: [{ metrics: [
        { name: 'h', histogram: { aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA', dataPoints: [
          { count: '3', sum: 0, bucketCounts: [1, '2'], explicitBounds: [0.5], min: '-0', exemplars: [{ asInt: 7n, traceId: 'ff'.repeat(16) }] },
        ] } },
        { name: 'e', exponentialHistogram: { dataPoints: [{ scale: -3, positive: { offset: -2, bucket_counts: ['18446744073709551615'] } }] } },
        { name: 's', summary: { dataPoints: [{ quantileValues: [{ quantile: 'NaN', value: 1 }] }] } },
      ] }] }],
    });
    const h = b.dataPoint(0);
    expect(b.metric(0).aggregationTemporality).toBe(1);
    expect(h.type === 'histogram' && [h.count, h.sum, h.bucketCounts, h.explicitBounds, Object.is(h.min, -0), h.max]).toEqual([3n, 0, [1n, 2n], [0.5], true, undefined]);
    expect(h.exemplars[0]!.asInt).toBe(7n);
    const e = b.dataPoint(1);
    expect(e.type === 'exponentialHistogram' && [e.scale, e.positive]).toEqual([-3, { offset: -2, bucketCounts: [18446744073709551615n] }]);
    const s = b.dataPoint(2);
    expect(s.type === 'summary' && Number.isNaN(s.quantileValues[0]!.quantile)).toBe(true);
    // The strict output keeps the optional sum of 0 and min of -0, omits the unset max.
    expect(JSON.stringify(b.toJSON())).toContain('"count":"3","sum":0,"bucketCounts":["1","2"],"explicitBounds":[0.5],"exemplars":[{"asInt":"7","traceId":"ffffffffffffffffffffffffffffffff"}],"min":"-0"}');
  });

  it('empty JSON input is an error unless allowed; {} is an empty request', () => {
    expect(() => LogBatch.fromJSON('')).toThrow();
    expect(LogBatch.fromJSON('', { allowEmpty: true }).logRecordCount).toBe(0);
    expect(MetricBatch.fromJSON('{}').metricCount).toBe(0);
  });
});
