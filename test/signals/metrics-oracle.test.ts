// The metric decoder against the independent oracle: every metric, data point (all five types),
// exemplar, bucket list and quantile, through the lazy views and through toJSON(), on payloads from
// the real OTel JS SDK, hand-built edge cases and the bench corpus. Oneof and merge semantics the
// oracle does not share are checked by hand at the end.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, MetricBatch } from 'otel-sieve';
import type { DataPointView } from 'otel-sieve';
import { toHex } from '../helpers/oracle.js';
import { decodeMetrics, expectedMetricsJson, readMetadata, METRIC_TYPES, dbl } from '../helpers/oracle-signals.js';
import { expectedAnyValue, expectedKeyValue } from '../helpers/oracle-json.js';
import { metricEdgeCases, metricsOneofCases } from '../helpers/signal-edge-cases.js';
import { sdkMetrics } from '../helpers/sdk-signals.js';
import { generateMetricRequests } from '../../bench/corpus-metrics.js';
import { anyValueToJSON, keyValueToJSON } from '../../src/otlp/otlp-json-output.js';

beforeAll(async () => {
  await init();
});

const sdk = await sdkMetrics();
const inputs: [string, Uint8Array][] = [
  ...sdk.map((p): [string, Uint8Array] => [p.name, p.pb]),
  ...metricEdgeCases(),
  ...generateMetricRequests({ seed: 7, requests: 2, pointsPerRequest: 300 }).map((b, i): [string, Uint8Array] => [`corpus#${i}`, b]),
];

/* eslint-disable @typescript-eslint/no-explicit-any */
const str = (v: any) => String(v ?? 0);
const num = (v: any) => (v === undefined || v === null ? 0 : v);
/** Doubles compared through their JSON spelling, so NaN equals NaN and -0 differs from 0. */
const same = (a: number | undefined, b: number | undefined | null) => expect(a === undefined ? undefined : dbl(a)).toEqual(b === undefined || b === null ? undefined : dbl(b));

function checkExemplars(v: DataPointView, p: any): void {
  const xs = p.exemplars ?? [];
  expect(v.exemplars.length).toBe(xs.length);
  xs.forEach((x: any, k: number) => {
    const e = v.exemplars[k]!;
    expect(e.timeUnixNano).toBe(BigInt(str(x.timeUnixNano)));
    expect(e.valueType).toBe(x.asDouble !== undefined ? 'double' : x.asInt !== undefined ? 'int' : 'none');
    if (x.asDouble !== undefined) same(e.asDouble, x.asDouble);
    if (x.asInt !== undefined) expect(e.asInt).toBe(BigInt(x.asInt));
    expect(e.traceId).toBe(toHex(x.traceId));
    expect(e.spanId).toBe(toHex(x.spanId));
    expect(e.filteredAttributes.map(keyValueToJSON)).toEqual((x.filteredAttributes ?? []).map(expectedKeyValue));
  });
}

function checkPoint(type: string, v: DataPointView, p: any): void {
  expect(v.startTimeUnixNano).toBe(BigInt(str(p.startTimeUnixNano)));
  expect(v.timeUnixNano).toBe(BigInt(str(p.timeUnixNano)));
  expect(v.flags).toBe(num(p.flags));
  expect(v.attributes.map((a) => a.key)).toEqual((p.attributes ?? []).map((a: any) => a.key ?? ''));
  v.attributes.forEach((a, k) => expect(anyValueToJSON(a.value)).toEqual(expectedAnyValue(p.attributes[k].value)));
  checkExemplars(v, p);
  if (type === 'gauge' || type === 'sum') {
    expect(v.type).toBe('number');
    if (v.type !== 'number') return;
    expect(v.valueType).toBe(p.asDouble !== undefined ? 'double' : p.asInt !== undefined ? 'int' : 'none');
    if (p.asDouble !== undefined) same(v.asDouble, p.asDouble);
    if (p.asInt !== undefined) expect(v.asInt).toBe(BigInt(p.asInt));
  } else if (type === 'histogram') {
    expect(v.type).toBe('histogram');
    if (v.type !== 'histogram') return;
    expect(v.count).toBe(BigInt(str(p.count)));
    same(v.sum, p.sum);
    same(v.min, p.min);
    same(v.max, p.max);
    expect(v.bucketCounts).toEqual((p.bucketCounts ?? []).map((c: any) => BigInt(c)));
    expect(v.explicitBounds.map(dbl)).toEqual((p.explicitBounds ?? []).map(dbl));
  } else if (type === 'exponentialHistogram') {
    expect(v.type).toBe('exponentialHistogram');
    if (v.type !== 'exponentialHistogram') return;
    expect(v.count).toBe(BigInt(str(p.count)));
    same(v.sum, p.sum);
    same(v.min, p.min);
    same(v.max, p.max);
    expect(v.scale).toBe(num(p.scale));
    expect(v.zeroCount).toBe(BigInt(str(p.zeroCount)));
    same(v.zeroThreshold, num(p.zeroThreshold));
    for (const side of ['positive', 'negative'] as const) {
      expect(v[side].offset).toBe(num(p[side]?.offset));
      expect(v[side].bucketCounts).toEqual((p[side]?.bucketCounts ?? []).map((c: any) => BigInt(c)));
    }
  } else {
    expect(v.type).toBe('summary');
    if (v.type !== 'summary') return;
    expect(v.count).toBe(BigInt(str(p.count)));
    same(v.sum, num(p.sum));
    expect(v.quantileValues.map((q) => [dbl(q.quantile), dbl(q.value)])).toEqual((p.quantileValues ?? []).map((q: any) => [dbl(num(q.quantile)), dbl(num(q.value))]));
  }
}

describe('metric decoding matches the oracle', () => {
  for (const [name, bytes] of inputs) {
    it(`${name}: toJSON() equals the oracle's decode`, () => {
      const batch = MetricBatch.fromProtobuf(bytes, { allowEmpty: true });
      expect(batch.toJSON()).toEqual(expectedMetricsJson(bytes));
      batch.dispose();
    });

    it(`${name}: views expose every field`, () => {
      const batch = MetricBatch.fromProtobuf(bytes, { allowEmpty: true });
      const req = decodeMetrics(bytes);
      const metadata = readMetadata(bytes);
      let i = 0;
      let k = 0;
      let exemplars = 0;
      (req.resourceMetrics ?? []).forEach((rm: any, r: number) => {
        const rv = batch.resource(r);
        expect(rv.schemaUrl).toBe(rm.schemaUrl ?? '');
        expect(rv.metricCount).toBe((rm.scopeMetrics ?? []).reduce((n: number, sm: any) => n + (sm.metrics ?? []).length, 0));
        for (const sm of rm.scopeMetrics ?? []) {
          for (const m of sm.metrics ?? []) {
            const v = batch.metric(i);
            expect(v.resource.index).toBe(r);
            expect(v.scope.name).toBe(sm.scope?.name ?? '');
            expect(v.name).toBe(m.name ?? '');
            expect(v.description).toBe(m.description ?? '');
            expect(v.unit).toBe(m.unit ?? '');
            expect(v.metadata.map(keyValueToJSON)).toEqual(metadata[i]!.map(expectedKeyValue));
            const type = METRIC_TYPES.find((t) => m[t] !== undefined && m[t] !== null);
            expect(v.type).toBe(type ?? 'empty');
            const points = type ? (m[type].dataPoints ?? []) : [];
            expect(v.aggregationTemporality).toBe(type === 'gauge' || type === 'summary' || !type ? 0 : num(m[type].aggregationTemporality));
            expect(v.isMonotonic).toBe(type === 'sum' && m.sum.isMonotonic === true);
            expect(v.dataPointCount).toBe(points.length);
            expect(v.firstDataPoint).toBe(k);
            points.forEach((p: any, n: number) => {
              const pv = batch.dataPoint(k + n);
              expect(pv.metricIndex).toBe(i);
              checkPoint(type!, pv, p);
              checkPoint(type!, v.dataPoints[n]!, p);
              exemplars += (p.exemplars ?? []).length;
            });
            k += points.length;
            i++;
          }
        }
      });
      expect(batch.metricCount).toBe(i);
      expect(batch.dataPointCount).toBe(k);
      expect(batch.exemplarCount).toBe(exemplars);
      batch.dispose();
    });
  }
});

describe('metrics from the OpenTelemetry JS SDK', () => {
  it('hold every type the SDK makes, in both temporalities', () => {
    for (const [p, temporality] of [[sdk[0]!, 2], [sdk[1]!, 1]] as const) {
      const batch = MetricBatch.fromProtobuf(p.pb);
      const byName = new Map(batch.metrics().map((m) => [m.name, m]));
      expect(byName.get('http.requests')?.type).toBe('sum');
      expect(byName.get('http.requests')?.isMonotonic).toBe(true);
      expect(byName.get('http.requests')?.aggregationTemporality).toBe(temporality);
      expect(byName.get('http.inflight')?.isMonotonic).toBe(false);
      expect(byName.get('room.temperature')?.type).toBe('gauge');
      expect(byName.get('http.latency')?.type).toBe('histogram');
      expect(byName.get('rpc.latency')?.type).toBe('exponentialHistogram');
      expect(byName.get('queue.size')?.type).toBe('histogram');
      expect(byName.has('dropped')).toBe(false);
      const queue = byName.get('queue.size')!.dataPoints[0]!;
      expect(queue.type === 'histogram' && queue.explicitBounds).toEqual([1, 10, 100]);
      const rpc = byName.get('rpc.latency')!.dataPoints;
      expect(rpc.every((d) => d.type === 'exponentialHistogram' && d.positive.bucketCounts.length > 0)).toBe(true);
    }
  });
});

describe('protobuf semantics the oracle does not share', () => {
  const { overridden, merged, mergedBuckets } = metricsOneofCases();

  it('a data member overridden by another member of the oneof is forgotten', () => {
    const b = MetricBatch.fromProtobuf(overridden);
    const m = b.metric(0);
    expect(m.type).toBe('gauge');
    expect(m.isMonotonic).toBe(false);
    expect(m.aggregationTemporality).toBe(0);
    expect(m.dataPoints.map((p) => p.type === 'number' && p.asDouble)).toEqual([3, 4]);
    expect(b.dataPointCount).toBe(2);
    expect(b.toJSON().resourceMetrics![0]!.scopeMetrics![0]!.metrics![0]).toEqual({ name: 'switches', gauge: { dataPoints: [{ asDouble: 3 }, { asDouble: 4 }] } });
    // Kept whole, the bytes come back as they came; once a point is dropped, the dead members go.
    expect(Buffer.compare(b.select([1]).toProtobuf(), overridden)).toBe(0);
    expect(Buffer.compare(b.selectDataPoints([1, 1]).toProtobuf(), overridden)).toBe(0);
    const cut = MetricBatch.fromProtobuf(b.selectDataPoints([0, 1]).toProtobuf());
    expect(cut.dataPointCount).toBe(1);
    expect(cut.metric(0).dataPoints.map((p) => p.type === 'number' && p.asDouble)).toEqual([4]);
    expect(cut.byteLength).toBeLessThan(overridden.length / 2);
  });

  it('two occurrences of the same member merge: points concatenate, the last temporality wins', () => {
    const b = MetricBatch.fromProtobuf(merged);
    expect(b.metric(0).dataPoints.map((p) => p.type === 'number' && p.asDouble)).toEqual([1, 2]);
    expect(b.metric(0).aggregationTemporality).toBe(2);
    const kept = MetricBatch.fromProtobuf(b.selectDataPoints([1, 0]).toProtobuf());
    expect(kept.metric(0).dataPoints.map((p) => p.type === 'number' && p.asDouble)).toEqual([1]);
    expect(kept.metric(0).aggregationTemporality).toBe(2);
  });

  it('two positive Buckets messages merge: counts concatenate, the last offset wins', () => {
    const p = MetricBatch.fromProtobuf(mergedBuckets).dataPoint(0);
    expect(p.type === 'exponentialHistogram' && p.positive).toEqual({ offset: 2, bucketCounts: [1n, 2n, 9n] });
  });
});
