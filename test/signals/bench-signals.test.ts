// The log and metric benchmarks are only meaningful if their inputs are valid, realistic and
// reproducible, and if every competitor keeps exactly what the shared rule keeps: checked here with
// the independent oracle.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, LogBatch, MetricBatch } from 'otel-sieve';
import { decodeLogs, decodeMetrics, METRIC_TYPES } from '../helpers/oracle-signals.js';
import { toHex } from '../helpers/oracle.js';
import { generateLogRequests, LogCorpusGenerator } from '../../bench/corpus-logs.js';
import { generateMetricRequests, MetricCorpusGenerator } from '../../bench/corpus-metrics.js';
import { logRules, metricRules } from '../../bench/baselines/signal-rules.js';
import { filterLogsWith, filterMetricsWith } from '../../bench/baselines/protobufjs-signals.js';
import { logKeepMask, metricKeepMasks, metricNeedles } from '../../dist/bench/suites/signals.js';
import { LogBatch as DistLogBatch } from '../../dist/src/otlp/log-batch.js';
import { MetricBatch as DistMetricBatch } from '../../dist/src/otlp/metric-batch.js';

beforeAll(async () => {
  await init();
});

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Identity of each record the oracle sees, in order. */
function recordKeys(bytes: Uint8Array): string[] {
  return (decodeLogs(bytes).resourceLogs ?? []).flatMap((rl: any) =>
    (rl.scopeLogs ?? []).flatMap((sl: any) => (sl.logRecords ?? []).map((r: any) => `${r.observedTimeUnixNano}/${toHex(r.spanId)}`)));
}

/** Each metric the oracle sees with its point count, in order. */
function metricKeys(bytes: Uint8Array): string[] {
  return (decodeMetrics(bytes).resourceMetrics ?? []).flatMap((rm: any) =>
    (rm.scopeMetrics ?? []).flatMap((sm: any) => (sm.metrics ?? []).map((m: any) => {
      const type = METRIC_TYPES.find((t) => m[t]);
      return `${m.name}:${type}:${type ? (m[type].dataPoints ?? []).length : 0}`;
    })));
}

describe('log corpus', () => {
  const requests = generateLogRequests({ seed: 1, requests: 4, recordsPerRequest: 512 });

  it('is reproducible, valid OTLP and realistic', () => {
    expect(generateLogRequests({ seed: 1, requests: 4, recordsPerRequest: 512 }).every((b, i) => same(b, requests[i]!))).toBe(true);
    expect(same(generateLogRequests({ seed: 2, requests: 1 })[0]!, requests[0]!)).toBe(false);
    const records = requests.flatMap((b) => decodeLogs(b).resourceLogs.flatMap((rl: any) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords)));
    expect(records.length).toBe(4 * 512);
    const share = (p: (r: any) => boolean) => records.filter(p).length / records.length;
    expect(share((r) => r.traceId?.length === 16)).toBeGreaterThan(0.55);
    expect(share((r) => (r.severityNumber ?? 0) >= 13)).toBeGreaterThan(0.1);
    expect(share((r) => (r.severityNumber ?? 0) >= 17)).toBeGreaterThan(0.02);
    expect(share((r) => r.body?.kvlistValue !== undefined && r.body?.kvlistValue !== null)).toBeGreaterThan(0.05);
    expect(share((r) => (r.attributes ?? []).some((a: any) => a.key === 'exception.stacktrace'))).toBeGreaterThan(0.02);
    expect(new Set(records.map((r: any) => r.severityText)).size).toBeGreaterThan(8);
    expect(() => new LogCorpusGenerator({ recordsPerRequest: 0 })).toThrow('log corpus option recordsPerRequest must be an integer >= 1, got 0');
  });

  it('otel-sieve and both protobufjs pipelines keep exactly the same records', () => {
    for (const rule of [logRules.warnAndAbove, logRules.halfByTraceId]) {
      for (const bytes of requests) {
        const b = DistLogBatch.fromProtobuf(bytes);
        const ours = b.select(logKeepMask(b, rule, new Uint8Array(b.logRecordCount))).toProtobuf();
        const expected = recordKeys(ours);
        expect(expected.length).toBeGreaterThan(50);
        expect(expected.length).toBeLessThan(512);
        expect(recordKeys(filterLogsWith('generated', bytes, rule))).toEqual(expected);
        expect(recordKeys(filterLogsWith('reflection', bytes, rule))).toEqual(expected);
        b.dispose();
      }
    }
    expect(LogBatch.fromProtobuf(requests[0]!).logRecordCount).toBe(512);
  });
});

describe('metric corpus', () => {
  const requests = generateMetricRequests({ seed: 1, requests: 4, pointsPerRequest: 512 });

  it('is reproducible, valid OTLP and realistic: all five types, exemplars, both temporalities', () => {
    expect(generateMetricRequests({ seed: 1, requests: 4, pointsPerRequest: 512 }).every((b, i) => same(b, requests[i]!))).toBe(true);
    const metrics = requests.flatMap((b) => decodeMetrics(b).resourceMetrics.flatMap((rm: any) => rm.scopeMetrics.flatMap((sm: any) => sm.metrics)));
    for (const t of METRIC_TYPES) expect(metrics.some((m: any) => m[t])).toBe(true);
    const points = metrics.flatMap((m: any) => METRIC_TYPES.filter((t) => m[t]).flatMap((t) => m[t].dataPoints));
    expect(points.length).toBe(4 * 512);
    expect(points.some((p: any) => (p.exemplars ?? []).some((x: any) => x.traceId?.length === 16))).toBe(true);
    expect(new Set(metrics.filter((m: any) => m.sum).map((m: any) => m.sum.aggregationTemporality))).toEqual(new Set([1, 2]));
    expect(metrics.some((m: any) => m.sum && m.sum.isMonotonic) && metrics.some((m: any) => m.sum && !m.sum.isMonotonic)).toBe(true);
    expect(() => new MetricCorpusGenerator({ pointsPerRequest: -1 })).toThrow('metric corpus option pointsPerRequest must be an integer >= 1, got -1');
  });

  it('otel-sieve and both protobufjs pipelines keep exactly the same metrics and points', () => {
    for (const rule of [metricRules.runtime, metricRules.runtimeAndHealthChecks]) {
      const needles = metricNeedles(rule);
      let droppedMetrics = 0;
      let droppedPoints = 0;
      for (const bytes of requests) {
        const b = DistMetricBatch.fromProtobuf(bytes);
        const mm = new Uint8Array(b.metricCount);
        const pm = new Uint8Array(b.dataPointCount);
        metricKeepMasks(b, needles, mm, pm);
        const ours = b.select(mm, pm).toProtobuf();
        const expected = metricKeys(ours);
        expect(expected.some((k) => k.startsWith('process.'))).toBe(false);
        droppedMetrics += mm.filter((k) => !k).length;
        droppedPoints += pm.filter((k) => !k).length;
        expect(metricKeys(filterMetricsWith('generated', bytes, rule))).toEqual(expected);
        expect(metricKeys(filterMetricsWith('reflection', bytes, rule))).toEqual(expected);
        b.dispose();
      }
      // The rule bites on this corpus: the name condition drops metrics, the attribute one points.
      expect(droppedMetrics).toBeGreaterThan(10);
      if (rule.dropKey) expect(droppedPoints).toBeGreaterThan(10);
      else expect(droppedPoints).toBe(0);
    }
    expect(MetricBatch.fromProtobuf(requests[0]!).dataPointCount).toBe(512);
  });
});
