// OTLP metrics output: the protobuf encoding decodes with the independent oracle (upstream protobufjs
// code for the OTLP schema) into exactly what our strict OTLP/JSON says, and both carry the data
// model's values — for every metric type, exemplars, negative offsets, and real connector output.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, encodeMetricsProtobuf, metricsToOtlpJson, TraceBatch, mergeMetricsData, serializeMetrics, metricsFormatForPath, renderPrometheusText, renderOpenMetricsText } from 'otel-sieve';
import type { MetricsData } from 'otel-sieve';
import { MetricsRequest } from '../helpers/oracle.js';
import { generateTraceRequests } from '../../bench/corpus.js';
import { MS } from './helpers/traces.js';
import { connector, feed } from './helpers/metrics.js';

beforeAll(async () => {
  await init();
});

const b64hex = (s: string) => Buffer.from(s, 'base64').toString('hex');

/** The oracle's decode, in OTLP/JSON's conventions (hex ids) so it can be compared with ours. */
function oracleJson(bytes: Uint8Array): unknown {
  const msg = MetricsRequest.decode(bytes);
  const obj = MetricsRequest.toObject(msg, { longs: String, enums: Number, bytes: String, defaults: false, json: true });
  return JSON.parse(JSON.stringify(obj), function (key, value) {
    if ((key === 'spanId' || key === 'traceId') && typeof value === 'string') return b64hex(value);
    return value;
  });
}

/** Every kind of point the data model has, with awkward values. */
function everything(): MetricsData {
  const kv = (key: string, value: string) => ({ key, value: { type: 'string' as const, value } });
  return {
    resourceMetrics: [{
      resource: { attributes: [kv('service.name', 'svc'), { key: 'n', value: { type: 'int', value: -9007199254740993n } }], droppedAttributesCount: 2 },
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeMetrics: [{
        scope: { name: 'lib', version: '1.0', attributes: [kv('a', 'b')] },
        schemaUrl: 'https://example.com/s',
        metrics: [
          {
            name: 'c', description: 'counter', unit: '1',
            data: {
              type: 'sum', aggregationTemporality: 1, isMonotonic: true,
              dataPoints: [{
                attributes: [{ key: 'list', value: { type: 'array', value: [{ type: 'bool', value: true }, { type: 'double', value: 1.5 }, { type: 'bytes', value: new Uint8Array([1, 2, 255]) }] } }, { key: 'kv', value: { type: 'kvlist', value: [kv('x', 'y')] } }],
                startTimeUnixNano: 1n, timeUnixNano: 18446744073709551615n, value: 0n, flags: 1,
                exemplars: [{ filteredAttributes: [kv('f', 'g')], timeUnixNano: 3n, value: -4n, traceId: '0102030405060708090a0b0c0d0e0f10', spanId: '1112131415161718' }],
              }],
            },
          },
          {
            name: 'u', description: '', unit: '',
            data: { type: 'sum', aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ attributes: [], startTimeUnixNano: 0n, timeUnixNano: 5n, exemplars: [], value: -0.5 }] },
          },
          {
            name: 'g', description: 'gauge', unit: 'By',
            data: { type: 'gauge', dataPoints: [{ attributes: [], startTimeUnixNano: 0n, timeUnixNano: 5n, exemplars: [{ filteredAttributes: [], timeUnixNano: 5n, value: NaN, traceId: '', spanId: '' }], value: Infinity }] },
          },
          {
            name: 'h', description: 'histogram', unit: 's',
            data: {
              type: 'histogram', aggregationTemporality: 2,
              dataPoints: [{ attributes: [kv('k', 'v')], startTimeUnixNano: 10n, timeUnixNano: 20n, exemplars: [], count: 6, sum: 0, bucketCounts: [1, 0, 5], explicitBounds: [0.5, 1], min: 0, max: 3 }],
            },
          },
          {
            name: 'e', description: 'exponential', unit: 'ms',
            data: {
              type: 'exponentialHistogram', aggregationTemporality: 1,
              dataPoints: [
                { attributes: [], startTimeUnixNano: 10n, timeUnixNano: 20n, exemplars: [], count: 7, sum: -12.25, scale: -3, zeroCount: 1, positive: { offset: -5, bucketCounts: [1, 0, 2] }, negative: { offset: 3, bucketCounts: [3] }, min: -20, max: 8, zeroThreshold: 1e-9 },
                { attributes: [], startTimeUnixNano: 10n, timeUnixNano: 20n, exemplars: [], count: 0, scale: 0, zeroCount: 0, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [] } },
              ],
            },
          },
        ],
      }],
    }],
  };
}

describe('OTLP metrics output', () => {
  it('protobuf decodes with the oracle to exactly our OTLP/JSON, for every point type', () => {
    const data = everything();
    const bytes = encodeMetricsProtobuf(data);
    const json = JSON.parse(JSON.stringify(metricsToOtlpJson(data)));
    expect(oracleJson(bytes)).toEqual(json);
  });

  it('writes the collector\'s strict OTLP/JSON', () => {
    const json = metricsToOtlpJson(everything());
    const [c, u, g, h, e] = json.resourceMetrics![0]!.scopeMetrics![0]!.metrics!;
    expect(json.resourceMetrics![0]!.resource).toEqual({
      attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }, { key: 'n', value: { intValue: '-9007199254740993' } }],
      droppedAttributesCount: 2,
    });
    expect(c).toEqual({
      name: 'c', description: 'counter', unit: '1',
      sum: {
        dataPoints: [{
          attributes: [
            { key: 'list', value: { arrayValue: { values: [{ boolValue: true }, { doubleValue: 1.5 }, { bytesValue: 'AQL/' }] } } },
            { key: 'kv', value: { kvlistValue: { values: [{ key: 'x', value: { stringValue: 'y' } }] } } },
          ],
          startTimeUnixNano: '1', timeUnixNano: '18446744073709551615', asInt: '0', flags: 1,
          exemplars: [{ filteredAttributes: [{ key: 'f', value: { stringValue: 'g' } }], timeUnixNano: '3', asInt: '-4', spanId: '1112131415161718', traceId: '0102030405060708090a0b0c0d0e0f10' }],
        }],
        aggregationTemporality: 1,
        isMonotonic: true,
      },
    });
    expect(u).toEqual({ name: 'u', sum: { dataPoints: [{ timeUnixNano: '5', asDouble: -0.5 }], aggregationTemporality: 2 } });
    expect(g).toEqual({ name: 'g', description: 'gauge', unit: 'By', gauge: { dataPoints: [{ timeUnixNano: '5', asDouble: 'Infinity', exemplars: [{ timeUnixNano: '5', asDouble: 'NaN' }] }] } });
    expect(h).toEqual({
      name: 'h', description: 'histogram', unit: 's',
      histogram: { dataPoints: [{ attributes: [{ key: 'k', value: { stringValue: 'v' } }], startTimeUnixNano: '10', timeUnixNano: '20', count: '6', sum: 0, bucketCounts: ['1', '0', '5'], explicitBounds: [0.5, 1], min: 0, max: 3 }], aggregationTemporality: 2 },
    });
    expect(e!.exponentialHistogram!.dataPoints![0]).toEqual({
      startTimeUnixNano: '10', timeUnixNano: '20', count: '7', sum: -12.25, scale: -3, zeroCount: '1',
      positive: { offset: -5, bucketCounts: ['1', '0', '2'] }, negative: { offset: 3, bucketCounts: ['3'] }, min: -20, max: 8, zeroThreshold: 1e-9,
    });
    expect(e!.exponentialHistogram!.dataPoints![1]).toEqual({ startTimeUnixNano: '10', timeUnixNano: '20', positive: {}, negative: {} });
  });

  it('connector output (every connector and mode, over a corpus) survives the oracle with the data model\'s values', () => {
    const cs = [
      connector('spanmetrics', { exemplars: { enabled: true }, dimensions: [{ name: 'http.request.method' }], events: { enabled: true, dimensions: [{ name: 'exception.type' }] } }),
      connector('spanmetrics', { histogram: { exponential: {} }, aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA' }, 'spanmetrics/expo'),
      connector('spanmetrics', { profile: 'tempo' }, 'spanmetrics/tempo'),
      connector('servicegraph', { dimensions: ['deployment.environment'] }),
      connector('servicegraph', { profile: 'tempo', exponential_histogram_max_size: 20 }, 'servicegraph/tempo'),
    ];
    for (const bytes of generateTraceRequests({ seed: 11, requests: 3, spansPerRequest: 400 })) {
      const batch = TraceBatch.fromProtobuf(bytes);
      for (const c of cs) c.consume(batch, 1000);
      batch.dispose();
    }
    const data = mergeMetricsData(...cs.map((c) => c.collect(2000) as MetricsData));
    for (const c of cs) c.shutdown!();
    const bytes = encodeMetricsProtobuf(data);
    expect(oracleJson(bytes)).toEqual(JSON.parse(JSON.stringify(metricsToOtlpJson(data))));

    // Independently of our JSON: the oracle's view of counts and histograms matches the data model.
    const decoded = MetricsRequest.toObject(MetricsRequest.decode(bytes), { longs: Number, enums: Number, defaults: true });
    let points = 0;
    decoded.resourceMetrics.forEach((rm: any, r: number) => rm.scopeMetrics.forEach((sm: any, s: number) => sm.metrics.forEach((m: any, i: number) => {
      const ours = data.resourceMetrics[r]!.scopeMetrics[s]!.metrics[i]!;
      expect(m.name).toBe(ours.name);
      const d = ours.data;
      if (d.type === 'sum') m.sum.dataPoints.forEach((p: any, k: number) => expect(p.asInt).toBe(Number(d.dataPoints[k]!.value)));
      if (d.type === 'histogram') m.histogram.dataPoints.forEach((p: any, k: number) => expect([p.count, p.bucketCounts]).toEqual([d.dataPoints[k]!.count, d.dataPoints[k]!.bucketCounts]));
      if (d.type === 'exponentialHistogram') {
        m.exponentialHistogram.dataPoints.forEach((p: any, k: number) => {
          const q = d.dataPoints[k]!;
          expect([p.count, p.scale, p.zeroCount, p.positive.offset, p.positive.bucketCounts]).toEqual([q.count, q.scale, q.zeroCount, q.positive.offset, q.positive.bucketCounts]);
        });
      }
      points += d.dataPoints.length;
    })));
    expect(points).toBeGreaterThan(100);
  });

  it('exemplar ids reach the wire as bytes', () => {
    const c = connector('spanmetrics', { exemplars: { enabled: true } });
    feed(c, [{ attributes: { 'service.name': 'a' }, spans: [{ name: 'x', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', durationNs: 2n * MS }] }], 0);
    const bytes = encodeMetricsProtobuf(c.collect(1) as MetricsData);
    c.shutdown!();
    const msg = MetricsRequest.toObject(MetricsRequest.decode(bytes), { longs: String, bytes: Array });
    const ex = msg.resourceMetrics[0].scopeMetrics[0].metrics[1].histogram.dataPoints[0].exemplars[0];
    expect(Buffer.from(ex.traceId).toString('hex')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(Buffer.from(ex.spanId).toString('hex')).toBe('00f067aa0ba902b7');
    expect(ex.asDouble).toBe(2);
  });

  it('serializes by format name or output file extension', () => {
    const data = everything();
    expect(['m.prom', 'm.txt', 'm.om', 'M.JSON', 'out/m.pb'].map(metricsFormatForPath)).toEqual(['prometheus', 'prometheus', 'openmetrics', 'otlp-json', 'otlp-protobuf']);
    expect(() => metricsFormatForPath('metrics.csv')).toThrow('metrics.csv: cannot tell the metrics format from the extension ".csv"; use one of .prom, .txt, .om, .openmetrics, .json, .pb');
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    expect(serializeMetrics(data, 'otlp-protobuf')).toEqual(encodeMetricsProtobuf(data));
    expect(JSON.parse(text(serializeMetrics(data, 'otlp-json')))).toEqual(JSON.parse(JSON.stringify(metricsToOtlpJson(data))));
    expect(text(serializeMetrics(data, 'prometheus'))).toBe(renderPrometheusText(data));
    expect(text(serializeMetrics(data, 'openmetrics'))).toBe(renderOpenMetricsText(data));
  });
});
