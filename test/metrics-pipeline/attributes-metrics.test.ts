// The attributes processor in a metrics pipeline: actions on the attributes of every data point of
// every kind; include/exclude select whole metrics by metric name and resource (strict and
// regexp), as filtermetric does; span and log fields refused with the collector's message; metrics
// and points nothing changed copied as they came. Outputs decoded by the independent oracle.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, MetricBatch } from 'otel-sieve';
import { metricsRequest, decodedPoints, signalPipeline, drainAll } from '../helpers/signal-requests.js';
import type { MetricResourceSpec } from '../helpers/signal-requests.js';

beforeAll(async () => {
  await init();
});

const input: MetricResourceSpec[] = [
  {
    attrs: { 'service.name': 'api', env: 'prod' },
    metrics: [
      { name: 'http.server.duration', type: 'histogram', points: [{ attrs: { route: '/a', 'user.id': 'u1' } }, { attrs: { route: '/b' } }] },
      { name: 'http.server.requests', type: 'sum', points: [{ attrs: { route: '/a', 'user.id': 'u2' } }] },
      { name: 'process.cpu', type: 'gauge', points: [{ attrs: { cpu: 0 } }] },
      { name: 'latency', type: 'exponentialHistogram', points: [{ attrs: { 'user.id': 'u3' } }] },
      { name: 'rpc.summary', type: 'summary', points: [{ attrs: { 'user.id': 'u4' } }] },
    ],
  },
  { attrs: { 'service.name': 'db', env: 'dev' }, metrics: [{ name: 'http.server.requests', type: 'sum', points: [{ attrs: { 'user.id': 'u5' } }] }] },
];

function run(cfg: Record<string, unknown>) {
  const bytes = metricsRequest(input);
  const p = signalPipeline('metrics', { attributes: cfg });
  const out = drainAll(p.processMetrics(MetricBatch.fromProtobuf(bytes), 0));
  return { bytes, out, points: decodedPoints(out), counters: p.counters()['metrics/attributes']! };
}

const mark = [{ key: 'hit', value: true, action: 'insert' }];

describe('actions on data point attributes', () => {
  it('edit every data point kind; resource attributes untouched', () => {
    const { points, counters } = run({ actions: [{ key: 'user.id', action: 'delete' }, { key: 'tier', value: 'gold', action: 'upsert' }] });
    expect(points.map((p) => p.attrs)).toEqual([
      { route: '/a', tier: 'gold' }, { route: '/b', tier: 'gold' }, { route: '/a', tier: 'gold' }, { cpu: 0n, tier: 'gold' },
      { tier: 'gold' }, { tier: 'gold' }, { tier: 'gold' },
    ]);
    expect(points.map((p) => p.resource.env)).toEqual(['prod', 'prod', 'prod', 'prod', 'prod', 'prod', 'dev']);
    expect(counters).toEqual({ data_points_edited: 7 });
  });
  it('a batch nothing changes in comes back byte for byte', () => {
    const { bytes, out } = run({ actions: [{ key: 'absent', action: 'delete' }] });
    expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('include / exclude select metrics', () => {
  const hits = (cfg: Record<string, unknown>) => run({ actions: mark, ...cfg }).points.map((p) => p.attrs.hit === true);
  it('metric_names (strict, regexp unanchored) and resources', () => {
    expect(hits({ include: { match_type: 'strict', metric_names: ['http.server.requests'] } })).toEqual([false, false, true, false, false, false, true]);
    expect(hits({ include: { match_type: 'regexp', metric_names: ['^http\\.'] }, exclude: { match_type: 'strict', resources: [{ key: 'env', value: 'dev' }] } }))
      .toEqual([true, true, true, false, false, false, false]);
    expect(hits({ exclude: { match_type: 'regexp', metric_names: ['summary$', 'cpu'] } })).toEqual([true, true, true, false, true, false, true]);
  });
  it('fields of spans and logs are refused', () => {
    expect(() => run({ actions: mark, include: { match_type: 'strict', attributes: [{ key: 'route' }] } }))
      .toThrow('processors.attributes.include.attributes: "span_names", "span_kinds", "log_bodies", "log_severity_texts", "log_severity_number", "services", "attributes" and "libraries" are not valid for metrics');
    expect(() => run({ actions: mark, include: { match_type: 'strict', resources: [] } })).toThrow('at least one of "metric_names" or "resources" field must be specified');
  });
});
