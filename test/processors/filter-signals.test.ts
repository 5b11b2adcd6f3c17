// The filter processor's log and metric components (registered with the Pipeline once it runs
// those signals): logs.log_record / log_conditions and metrics.metric / metrics.datapoint /
// metric_conditions, with the resource and scope groups. Any true condition drops the item; a
// metric left without data points is dropped; empty scopes and resources go. Outputs decoded with
// the independent oracle; untouched records and metrics come out byte for byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, ConfigReader, LogBatch, MetricBatch, OttlRuntimeError, logsFilterProcessorFactory, metricsFilterProcessorFactory, memoryStats } from 'otel-sieve';
import type { LogsProcessor, MetricsProcessor } from 'otel-sieve';
import { objectToConfigNode } from '../../dist/src/config/config-node.js';
import { decodeLogs, decodeMetrics, wireFields } from '../helpers/oracle-signals.js';
import { plainAttrs } from '../helpers/build-request.js';
import { logFixture, metricFixture } from '../helpers/ottl-fixtures.js';
import { generateLogRequests } from '../../bench/corpus-logs.js';
import { generateMetricRequests } from '../../bench/corpus-metrics.js';

beforeAll(async () => {
  await init();
});

function reader(config: Record<string, unknown>): ConfigReader {
  return new ConfigReader(objectToConfigNode(config), 'processors.filter');
}

function logsFilter(config: Record<string, unknown>): LogsProcessor {
  const r = reader(config);
  const c = logsFilterProcessorFactory.readConfig(r);
  r.done();
  return logsFilterProcessorFactory.create(c, { id: 'filter', path: 'processors.filter' });
}

function metricsFilter(config: Record<string, unknown>): MetricsProcessor {
  const r = reader(config);
  const c = metricsFilterProcessorFactory.readConfig(r);
  r.done();
  return metricsFilterProcessorFactory.create(c, { id: 'filter', path: 'processors.filter' });
}

function protobuf<B extends LogBatch | MetricBatch>(out: B[]): Uint8Array {
  expect(out.length).toBeLessThanOrEqual(1);
  if (!out.length) return new Uint8Array(0);
  const bytes = out[0]!.toProtobuf();
  out[0]!.dispose();
  return bytes;
}

/** The raw bytes of every item (log record / metric) in wire order. */
function itemBytes(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (const [f1, w1, s1, e1] of wireFields(bytes, 0, bytes.length)) {
    if (f1 !== 1 || w1 !== 2) continue;
    for (const [f2, w2, s2, e2] of wireFields(bytes, s1, e1)) {
      if (f2 !== 2 || w2 !== 2) continue;
      for (const [f3, w3, s3, e3] of wireFields(bytes, s2, e2)) if (f3 === 2 && w3 === 2) out.push(Buffer.from(bytes.subarray(s3, e3)).toString('hex'));
    }
  }
  return out;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const severities = (bytes: Uint8Array): number[] =>
  (decodeLogs(bytes).resourceLogs ?? []).flatMap((rl: any) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords.map((r: any) => r.severityNumber ?? 0)));
const metricPoints = (bytes: Uint8Array): string[] =>
  (decodeMetrics(bytes).resourceMetrics ?? []).flatMap((rm: any) =>
    rm.scopeMetrics.flatMap((sm: any) =>
      sm.metrics.map((m: any) => {
        const data = m.gauge ?? m.sum ?? m.histogram ?? m.summary ?? m.exponentialHistogram;
        return `${m.name}:${data.dataPoints.length}`;
      }),
    ),
  );
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('logs', () => {
  it('log_record conditions drop records; the others are byte-identical', () => {
    const bytes = logFixture();
    const p = logsFilter({ logs: { log_record: ['severity_number < SEVERITY_NUMBER_WARN and severity_number != SEVERITY_NUMBER_UNSPECIFIED'] } });
    const out = protobuf(p.process(LogBatch.fromProtobuf(bytes), 0));
    expect(severities(out)).toEqual([17, 0]);
    const inItems = itemBytes(bytes);
    expect(itemBytes(out)).toEqual([inItems[0], inItems[2]]);
    expect(p.counters?.()).toEqual({ 'logs.filtered': 1, condition_errors: 0 });
  });
  it('log_conditions infer the log context; a resource condition drops the resource', () => {
    expect(protobuf(logsFilter({ log_conditions: ['log.body == nil'] }).process(LogBatch.fromProtobuf(logFixture()), 0)).length).toBeGreaterThan(0);
    expect(logsFilter({ log_conditions: ['resource.attributes["service.name"] == "api"'] }).process(LogBatch.fromProtobuf(logFixture()), 0)).toEqual([]);
  });
  it('empty scopes and resources are dropped', () => {
    const batch = LogBatch.fromJSON({
      resourceLogs: [
        { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] }, scopeLogs: [{ scope: { name: 's1' }, logRecords: [{ severityText: 'drop' }] }, { scope: { name: 's2' }, logRecords: [{ severityText: 'keep' }] }] },
        { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'b' } }] }, scopeLogs: [{ logRecords: [{ severityText: 'drop' }] }] },
      ],
    });
    const out = decodeLogs(protobuf(logsFilter({ logs: { log_record: ['severity_text == "drop"'] } }).process(batch, 0)));
    expect(out.resourceLogs.length).toBe(1);
    expect(plainAttrs(out.resourceLogs[0].resource.attributes)).toEqual({ 'service.name': 'a' });
    expect(out.resourceLogs[0].scopeLogs.map((s: { scope: { name: string } }) => s.scope.name)).toEqual(['s2']);
  });
  it('error_mode propagate fails the batch; ignore counts the failures', () => {
    const failing = ['body["msg"] == "x"'];
    expect(() => logsFilter({ error_mode: 'propagate', logs: { log_record: failing } }).process(LogBatch.fromProtobuf(logFixture()), 0)).toThrow(
      'filter: failed to eval condition "body[\\"msg\\"] == \\"x\\"" on log 0: line 1, column 6: type string does not support indexing',
    );
    const p = logsFilter({ logs: { log_record: failing } });
    expect(severities(protobuf(p.process(LogBatch.fromProtobuf(logFixture()), 0)))).toEqual([17, 9, 0]);
    expect(p.counters?.()).toEqual({ 'logs.filtered': 0, condition_errors: 2 });
  });
  it('on generated logs, keeps exactly the records a reference over the oracle decode keeps', () => {
    for (const bytes of generateLogRequests({ seed: 9, requests: 2, recordsPerRequest: 300 })) {
      const decoded = decodeLogs(bytes);
      const inItems = itemBytes(bytes);
      const expected: string[] = [];
      let i = 0;
      for (const rl of decoded.resourceLogs) {
        for (const sl of rl.scopeLogs) {
          for (const r of sl.logRecords) {
            const body = r.body?.stringValue;
            const drop = (r.severityNumber ?? 0) <= 8 || (typeof body === 'string' && /timeout/i.test(body));
            if (!drop) expected.push(inItems[i]!);
            i++;
          }
        }
      }
      const p = logsFilter({ log_conditions: ['log.severity_number <= SEVERITY_NUMBER_DEBUG4', 'IsMatch(log.body, "(?i)timeout")'] });
      const out = protobuf(p.process(LogBatch.fromProtobuf(bytes), 0));
      expect(itemBytes(out)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(inItems.length);
    }
  });
});

describe('metrics', () => {
  it('metric conditions drop metrics; untouched ones are byte-identical', () => {
    const bytes = metricFixture();
    const p = metricsFilter({ metrics: { metric: ['type == METRIC_DATA_TYPE_HISTOGRAM', 'name == "size"'] } });
    const out = protobuf(p.process(MetricBatch.fromProtobuf(bytes), 0));
    expect(metricPoints(out)).toEqual(['cpu:2', 'requests:2', 'exp:1']);
    const inItems = itemBytes(bytes);
    expect(itemBytes(out)).toEqual([inItems[0], inItems[1], inItems[4]]);
    // datapoints.filtered counts the points of dropped metrics too (latency 1, size 1)
    expect(p.counters?.()).toEqual({ 'metrics.filtered': 2, 'datapoints.filtered': 2, condition_errors: 0 });
  });
  it('datapoint conditions drop points; a metric left without points is dropped', () => {
    const bytes = metricFixture();
    const p = metricsFilter({ metrics: { datapoint: ['attributes["host"] == "a"', 'metric.name == "requests"', 'count == 2'] } });
    const out = protobuf(p.process(MetricBatch.fromProtobuf(bytes), 0));
    expect(metricPoints(out)).toEqual(['cpu:1', 'latency:1', 'exp:1']);
    const inItems = itemBytes(bytes);
    // cpu lost a point and is re-encoded; latency and exp are untouched
    expect(itemBytes(out).slice(1)).toEqual([inItems[2], inItems[4]]);
    const cpu = decodeMetrics(out).resourceMetrics[0].scopeMetrics[0].metrics[0];
    expect(cpu.gauge.dataPoints[0].asInt).toBe('3');
    expect(plainAttrs(cpu.gauge.dataPoints[0].attributes)).toEqual({ host: 'b' });
    expect(cpu.unit).toBe('1');
    expect(p.counters?.()).toEqual({ 'metrics.filtered': 2, 'datapoints.filtered': 4, condition_errors: 0 });
  });
  it('a dropped metric is not checked by datapoint conditions', () => {
    // The point condition fails on every point it sees (value_int of histograms is nil).
    const p = metricsFilter({ metrics: { metric: ['type != METRIC_DATA_TYPE_HISTOGRAM'], datapoint: ['value_int + 1 > 0'] } });
    expect(metricPoints(protobuf(p.process(MetricBatch.fromProtobuf(metricFixture()), 0)))).toEqual(['latency:1']);
    expect(p.counters?.()).toEqual({ 'metrics.filtered': 4, 'datapoints.filtered': 6, condition_errors: 1 });
  });
  it('HasAttrOnDatapoint / HasAttrKeyOnDatapoint in metric conditions', () => {
    const p = metricsFilter({ metrics: { metric: ['HasAttrKeyOnDatapoint("host")', 'HasAttrOnDatapoint("code", "200")'] } });
    expect(metricPoints(protobuf(p.process(MetricBatch.fromProtobuf(metricFixture()), 0)))).toEqual(['size:1', 'exp:1']);
  });
  it('metric_conditions infer datapoint over metric', () => {
    const p = metricsFilter({ metric_conditions: ['metric.name == "cpu" and datapoint.value_double > 0.1'] });
    expect(metricPoints(protobuf(p.process(MetricBatch.fromProtobuf(metricFixture()), 0)))).toEqual(['cpu:1', 'requests:2', 'latency:1', 'size:1', 'exp:1']);
  });
  it('dropping every point of every metric returns nothing', () => {
    expect(metricsFilter({ metrics: { datapoint: ['true'] } }).process(MetricBatch.fromProtobuf(metricFixture()), 0)).toEqual([]);
  });
  it('error_mode propagate fails the batch', () => {
    const p = metricsFilter({ error_mode: 'propagate', metric_conditions: ['datapoint.value_int + 1 > 0'] });
    expect(() => p.process(MetricBatch.fromProtobuf(metricFixture()), 0)).toThrow(OttlRuntimeError);
  });
  it('on generated metrics, keeps exactly the points a reference over the oracle decode keeps', () => {
    for (const bytes of generateMetricRequests({ seed: 4, requests: 2, pointsPerRequest: 400 })) {
      /* eslint-disable @typescript-eslint/no-explicit-any */
      const expected: string[] = [];
      for (const rm of decodeMetrics(bytes).resourceMetrics) {
        for (const sm of rm.scopeMetrics) {
          for (const m of sm.metrics) {
            const data = m.gauge ?? m.sum ?? m.histogram ?? m.summary ?? m.exponentialHistogram;
            const kept = data.dataPoints.filter((dp: any) => !(m.sum && dp.asInt !== undefined && BigInt(dp.asInt) > 100n) && Object.keys(plainAttrs(dp.attributes)).length !== 1);
            if (kept.length) expected.push(`${m.name}:${kept.length}`);
          }
        }
      }
      /* eslint-enable @typescript-eslint/no-explicit-any */
      const p = metricsFilter({ metrics: { datapoint: ['metric.type == METRIC_DATA_TYPE_SUM and value_int > 100', 'Len(attributes) == 1'] } });
      const out = protobuf(p.process(MetricBatch.fromProtobuf(bytes), 0));
      expect(metricPoints(out)).toEqual(expected);
    }
  });
  it('leaves no core memory behind', () => {
    const p = metricsFilter({ metrics: { metric: ['name == "size"'], datapoint: ['attributes["host"] == "a"'] } });
    const l = logsFilter({ logs: { log_record: ['severity_number == SEVERITY_NUMBER_INFO'] } });
    protobuf(p.process(MetricBatch.fromProtobuf(metricFixture()), 0));
    protobuf(l.process(LogBatch.fromProtobuf(logFixture()), 0));
    const used = memoryStats().used;
    for (let i = 0; i < 5; i++) {
      protobuf(p.process(MetricBatch.fromProtobuf(metricFixture()), 0));
      protobuf(l.process(LogBatch.fromProtobuf(logFixture()), 0));
    }
    expect(memoryStats().used).toBe(used);
    p.shutdown?.();
    l.shutdown?.();
  });
});
