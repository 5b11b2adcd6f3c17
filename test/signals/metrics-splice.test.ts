// The metric splice encoder: identity, idempotence, whole-metric filters, data point filters (kept
// points byte-identical, metrics left without points dropped, metrics that never had any kept,
// unknown fields around points preserved), both masks at once, and replacement content for points
// and metrics.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, MetricBatch } from 'otel-sieve';
import { getCore } from '../../dist/src/core/init.js';
import { decodeMetrics, encodeMetrics, expectedMetricsJson, wireFields } from '../helpers/oracle-signals.js';
import { metricEdgeCases } from '../helpers/signal-edge-cases.js';
import { sdkMetrics } from '../helpers/sdk-signals.js';
import { generateMetricRequests } from '../../bench/corpus-metrics.js';
import { pruneEmpty, replacements } from '../helpers/splice-helpers.js';
import { unknowns } from '../helpers/signal-edge-cases.js';
import { ProtoWriter, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../../src/wire/proto-writer.js';

beforeAll(async () => {
  await init();
});

const inputs: [string, Uint8Array][] = [
  ...(await sdkMetrics()).map((p): [string, Uint8Array] => [p.name, p.pb]),
  ...metricEdgeCases().filter(([, b]) => b.length > 0),
  ...generateMetricRequests({ seed: 3, requests: 2, pointsPerRequest: 300 }).map((b, i): [string, Uint8Array] => [`corpus#${i}`, b]),
];

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Points per metric as the oracle sees them, in wire order: [metric name, point count][]. */
function oraclePoints(bytes: Uint8Array): [string, number][] {
  const out: [string, number][] = [];
  for (const rm of decodeMetrics(bytes).resourceMetrics ?? []) {
    expect((rm.scopeMetrics ?? []).length).toBeGreaterThan(0);
    for (const sm of rm.scopeMetrics ?? []) {
      expect((sm.metrics ?? []).length).toBeGreaterThan(0);
      for (const m of sm.metrics ?? []) {
        const type = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'].find((t) => m[t]);
        out.push([m.name ?? '', type ? (m[type].dataPoints ?? []).length : 0]);
      }
    }
  }
  return out;
}

describe('metric round trips', () => {
  for (const [name, bytes] of inputs) {
    it(`${name}: toProtobuf() returns the input byte for byte`, () => {
      const b = MetricBatch.fromProtobuf(bytes);
      expect(same(b.toProtobuf(), bytes)).toBe(true);
      expect(same(b.protobufView(), bytes)).toBe(true);
      b.dispose();
    });

    it(`${name}: decode → encode → decode → encode is byte-identical`, () => {
      const b1 = MetricBatch.fromProtobuf(bytes);
      const e1 = b1.select(new Uint8Array(b1.metricCount).fill(1), new Uint8Array(b1.dataPointCount).fill(1)).toProtobuf();
      const b2 = MetricBatch.fromProtobuf(e1, { allowEmpty: true });
      const e2 = b2.select(new Uint8Array(b2.metricCount).fill(1)).toProtobuf();
      expect(same(e1, e2)).toBe(true);
      expect(b2.toJSON()).toEqual(pruneEmpty(b1.toJSON(), 'resourceMetrics', 'scopeMetrics', 'metrics'));
      b1.dispose();
      b2.dispose();
    });

    it(`${name}: a metric filter keeps exactly the chosen metrics, with their original bytes`, () => {
      const b = MetricBatch.fromProtobuf(bytes);
      const keep = Array.from({ length: b.metricCount }, (_, i) => i % 3 !== 1);
      const kept = b.metrics().filter((_, i) => keep[i]);
      const out = b.select(keep).toProtobuf();
      expect(oraclePoints(out)).toEqual(kept.map((m) => [m.name, m.dataPointCount]));
      const b2 = MetricBatch.fromProtobuf(out, { allowEmpty: true });
      b2.metrics().forEach((m, i) => expect(same(out.subarray(...m.byteRange), bytes.subarray(...kept[i]!.byteRange))).toBe(true));
      b.dispose();
      b2.dispose();
    });

    it(`${name}: a data point filter keeps the chosen points and drops metrics it empties`, () => {
      const b = MetricBatch.fromProtobuf(bytes);
      const keep = Array.from({ length: b.dataPointCount }, (_, k) => k % 2 === 0);
      const points = b.dataPoints();
      const keptPoints = points.filter((_, k) => keep[k]);
      const survivors = b.metrics().filter((m) => m.dataPointCount === 0 || keep.slice(m.firstDataPoint, m.firstDataPoint + m.dataPointCount).some(Boolean));
      const expected = survivors.map((m): [string, number] => [m.name, keep.slice(m.firstDataPoint, m.firstDataPoint + m.dataPointCount).filter(Boolean).length]);
      const out = b.selectDataPoints(keep).toProtobuf();
      expect(oraclePoints(out)).toEqual(expected);
      const b2 = MetricBatch.fromProtobuf(out, { allowEmpty: true });
      expect(b2.dataPointCount).toBe(keptPoints.length);
      // Each kept point is its original bytes, copied; the rest of each metric is kept too.
      b2.dataPoints().forEach((p, k) => expect(same(out.subarray(...p.byteRange), bytes.subarray(...keptPoints[k]!.byteRange))).toBe(true));
      b2.metrics().forEach((m, i) => {
        const original = survivors[i]!;
        expect(m.name).toBe(original.name);
        expect(m.type).toBe(original.type);
        expect(m.aggregationTemporality).toBe(original.aggregationTemporality);
        expect(m.isMonotonic).toBe(original.isMonotonic);
        expect(m.metadata).toEqual(original.metadata);
      });
      expect(b2.toJSON()).toEqual(expectedMetricsJson(out));
      b.dispose();
      b2.dispose();
    });
  }
});

describe('metric filters', () => {
  it('keep a metric that never had points, drop one that lost them all, and apply both masks at once', () => {
    const bytes = encodeMetrics({
      resourceMetrics: [{ scopeMetrics: [{ metrics: [
        { name: 'a', gauge: { dataPoints: [{ asInt: 1 }, { asInt: 2 }] } },
        { name: 'empty', gauge: {} },
        { name: 'b', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ asInt: 3 }] } },
        { name: 'c', summary: { dataPoints: [{ count: 1 }, { count: 2 }] } },
      ] }] }],
    });
    const b = MetricBatch.fromProtobuf(bytes);
    const names = (x: MetricBatch) => x.metrics().map((m) => `${m.name}:${m.dataPointCount}`);
    expect(names(b.selectDataPoints([1, 0, 0, 1, 0]))).toEqual(['a:1', 'empty:0', 'c:1']);
    expect(names(b.selectDataPoints([0, 0, 0, 0, 0]))).toEqual(['empty:0']);
    expect(names(b.select([1, 0, 1, 1], [0, 1, 1, 0, 1]))).toEqual(['a:1', 'b:1', 'c:1']);
    expect(names(b.select([0, 0, 0, 0]))).toEqual([]);
    expect(b.select([0, 0, 0, 0]).byteLength).toBe(0);
    expect(names(b.filter((m) => m.type === 'summary'))).toEqual(['c:2']);
    expect(names(b.filterDataPoints((p) => p.type === 'number' && p.asInt > 1n))).toEqual(['a:1', 'empty:0', 'b:1']);
  });

  it('keep unknown fields of the metric, its data message and its kept points when points are dropped', () => {
    const w = new ProtoWriter();
    w.fork(1).fork(2);
    unknowns(w); // ScopeMetrics
    w.fork(2); // Metric
    unknowns(w);
    w.tag(1, WIRE_LEN).string('m');
    w.fork(7); // Sum
    unknowns(w);
    w.fork(1).tag(6, WIRE_FIXED64).fixed64(1n);
    unknowns(w);
    w.ldelim();
    w.fork(1).tag(6, WIRE_FIXED64).fixed64(2n).ldelim();
    w.tag(2, WIRE_VARINT).uint32(2);
    unknowns(w);
    w.ldelim();
    unknowns(w);
    w.ldelim().ldelim().ldelim();
    const bytes = w.finish();
    const unknownFields = (x: Uint8Array): number => {
      let n = 0;
      const walk = (s0: number, e0: number, depth: number) => {
        for (const [f, wt, vs, ve] of wireFields(x, s0, e0)) {
          if (f >= 900) n++;
          else if (wt === 2 && depth < 6) walk(vs, ve, depth + 1);
        }
      };
      walk(0, x.length, 0);
      return n;
    };
    expect(unknownFields(bytes)).toBe(6 * 4);
    const b = MetricBatch.fromProtobuf(bytes);
    const first = b.selectDataPoints([1, 0]).toProtobuf();
    expect(unknownFields(first)).toBe(6 * 4);
    const second = b.selectDataPoints([0, 1]).toProtobuf();
    expect(unknownFields(second)).toBe(5 * 4);
    const kept = MetricBatch.fromProtobuf(second);
    expect(kept.metric(0).aggregationTemporality).toBe(2);
    expect(kept.dataPoint(0).type === 'number' && kept.dataPoint(0)).toBeTruthy();
    expect(same(second.subarray(...kept.dataPoint(0).byteRange), bytes.subarray(...b.dataPoint(1).byteRange))).toBe(true);
  });

  it('select() checks both masks', () => {
    const b = MetricBatch.fromProtobuf(inputs[0]![1]);
    expect(() => b.select([1])).toThrow(`select(metricMask): mask has 1 entries, the batch has ${b.metricCount} metrics`);
    expect(() => b.selectDataPoints([1])).toThrow(`select(metricMask, dataPointMask): mask has 1 entries, the batch has ${b.dataPointCount} data points`);
  });
});

describe('replacement content', () => {
  it('replaces a data point (the rest of its metric re-emitted) and a whole metric', () => {
    const bytes = encodeMetrics({
      resourceMetrics: [{ scopeMetrics: [{ metrics: [
        { name: 'g', unit: 'By', gauge: { dataPoints: [{ asInt: 1 }, { asInt: 2 }] } },
        { name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [{ count: 1 }] } },
      ] }] }],
    });
    const b = MetricBatch.fromProtobuf(bytes);
    const core = getCore();
    const point = Uint8Array.from([0x31, 42, 0, 0, 0, 0, 0, 0, 0]); // as_int = 42
    const metric = encodeMetrics({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'renamed', sum: { dataPoints: [{ asDouble: 0.5 }] } }] }] }] });
    const m = MetricBatch.fromProtobuf(metric).metric(0);
    const [start, end] = m.byteRange;
    const metricContent = metric.subarray(start + 2, end);
    const points = replacements(core, [null, point, null]);
    const metrics = replacements(core, [null, metricContent]);
    const out = b.splice(b.headerPtr, 0, 0, metrics.table, points.table).toProtobuf();
    points.free();
    metrics.free();
    const o = decodeMetrics(out).resourceMetrics[0].scopeMetrics[0].metrics;
    expect(o[0].name).toBe('g');
    expect(o[0].unit).toBe('By');
    expect(o[0].gauge.dataPoints.map((p: any) => p.asInt)).toEqual(['1', '42']);
    expect(o[1].name).toBe('renamed');
    expect(o[1].sum.dataPoints[0].asDouble).toBe(0.5);
    expect(o[1].histogram).toBeUndefined();
  });
});
