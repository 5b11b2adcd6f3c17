// Connector configuration: Go duration parsing, the collector's defaults, and errors that name the
// key path and the problem (unknown keys, wrong types, bad durations, the collector's own rules).
import { describe, it, expect } from 'vitest';
import {
  parseSpanMetricsConfig, parseServiceGraphConfig, ConnectorConfigError, DEFAULT_SPANMETRICS_CONFIG, DEFAULT_SERVICEGRAPH_CONFIG,
} from 'otel-sieve';
// A pure function: tested from the source (the pipeline's config layer has its own public one).
import { parseGoDuration } from '../../src/connectors/config/go-duration.js';

describe('Go durations', () => {
  it('parse exactly like time.ParseDuration', () => {
    const cases: [string, number][] = [
      ['0', 0], ['1400ms', 1.4e9], ['100us', 100_000], ['100µs', 100_000], ['100μs', 100_000], ['1.5s', 1.5e9], ['1h2m', 3_720_000_000_000],
      ['15s', 15e9], ['2ms', 2e6], ['-2ms', -2e6], ['+3ns', 3], ['.5s', 5e8], ['1.s', 1e9], ['1m30.5s', 90.5e9], ['1.0000000001s', 1_000_000_000],
    ];
    for (const [text, ns] of cases) expect([text, parseGoDuration(text)]).toEqual([text, ns]);
  });

  it('reject what Go rejects, saying why', () => {
    expect(parseGoDuration('15')).toBe('missing unit in duration "15" (use ns, us, ms, s, m or h)');
    expect(parseGoDuration('1d')).toBe('unknown unit "d" in duration "1d" (use ns, us, ms, s, m or h)');
    expect(parseGoDuration('')).toBe('invalid duration ""');
    expect(parseGoDuration('.s')).toBe('invalid duration ".s"');
    expect(parseGoDuration('ms')).toBe('invalid duration "ms"');
    expect(parseGoDuration('9999999999h')).toBe('invalid duration "9999999999h" (overflows int64 nanoseconds)');
  });
});

function configError(fn: () => unknown): ConnectorConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectorConfigError);
    return err as ConnectorConfigError;
  }
  throw new Error('expected a ConnectorConfigError');
}

describe('spanmetrics config', () => {
  const P = 'connectors.spanmetrics/red';

  it('has the collector defaults (null and {} alike)', () => {
    for (const empty of [null, undefined, {}]) expect(parseSpanMetricsConfig(empty, P)).toEqual(DEFAULT_SPANMETRICS_CONFIG);
    const d = DEFAULT_SPANMETRICS_CONFIG;
    expect(d.namespace).toBe('traces.span.metrics');
    expect(d.metricsFlushIntervalMs).toBe(60_000);
    expect(d.histogram).toMatchObject({ unit: 'ms', type: 'explicit', maxSize: 160, bounds: [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000] });
    expect(d.exemplars).toEqual({ enabled: false, maxPerDataPoint: 5 });
    expect(d.aggregationTemporality).toBe('cumulative');
    expect(d.aggregationCardinalityLimit).toBe(0);
    expect(d.resourceMetricsCacheSize).toBe(1000);
  });

  it('reads every supported key', () => {
    const c = parseSpanMetricsConfig({
      histogram: { unit: 's', exponential: { max_size: 80 } },
      dimensions: [{ name: 'http.method', default: 'GET' }, { name: 'region' }],
      exclude_dimensions: ['status.code'],
      dimensions_cache_size: 500,
      aggregation_cardinality_limit: 1500,
      resource_metrics_key_attributes: ['service.name'],
      aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA',
      metrics_flush_interval: '15s',
      metrics_expiration: '5m',
      metric_timestamp_cache_size: 123,
      namespace: 'span.metrics',
      exemplars: { enabled: true, max_per_data_point: 3 },
      events: { enabled: true, dimensions: [{ name: 'exception.type' }] },
      include_instrumentation_scope: ['lib'],
    }, P);
    expect(c).toMatchObject({
      histogram: { unit: 's', type: 'exponential', maxSize: 80 },
      dimensions: [{ name: 'http.method', default: 'GET' }, { name: 'region' }],
      aggregationTemporality: 'delta', metricsFlushIntervalMs: 15_000, metricsExpirationMs: 300_000, metricTimestampCacheSize: 123,
      namespace: 'span.metrics', exemplars: { enabled: true, maxPerDataPoint: 3 }, aggregationCardinalityLimit: 1500,
    });
  });

  it('names the key path of unknown keys, wrong types and bad durations', () => {
    const cases: [unknown, string][] = [
      [{ histogram: { explict: {} } }, `${P}.histogram.explict: unknown key`],
      [{ dimension: [] }, `${P}.dimension: unknown key`],
      [{ dimensions: [{ name: 'a', defualt: 'x' }] }, `${P}.dimensions[0].defualt: unknown key`],
      [{ dimensions: 'http.method' }, `${P}.dimensions: expected a list, got string "http.method"`],
      [{ dimensions: [{ name: 'a', default: 5 }] }, `${P}.dimensions[0].default: expected a string, got number 5`],
      [{ metrics_flush_interval: '15 seconds' }, `${P}.metrics_flush_interval: unknown unit " seconds" in duration "15 seconds" (use ns, us, ms, s, m or h)`],
      [{ metrics_flush_interval: 15 }, `${P}.metrics_flush_interval: expected a duration such as "15s" or "1400ms", got number 15`],
      [{ metrics_flush_interval: '-1s' }, `${P}.metrics_flush_interval: the duration should be positive`],
      [{ histogram: { explicit: { buckets: ['2ms', 'fast'] } } }, `${P}.histogram.explicit.buckets[1]: invalid duration "fast"`],
      [{ histogram: { explicit: { buckets: ['4ms', '2ms'] } } }, `${P}.histogram.explicit.buckets[1]: buckets must be strictly increasing`],
      [{ histogram: { unit: 'us' } }, `${P}.histogram.unit: must be one of "ms", "s", got "us"`],
      [{ histogram: { explicit: null, exponential: null } }, `${P}.histogram.exponential: use either \`explicit\` or \`exponential\` buckets histogram, not both`],
      [{ histogram: { exponential: { max_size: 1 } } }, `${P}.histogram.exponential.max_size: must be at least 2 (a histogram needs two buckets to downscale into)`],
      [{ exemplars: { enabled: 'yes' } }, `${P}.exemplars.enabled: expected true or false, got string "yes"`],
      [{ aggregation_cardinality_limit: -1 }, `${P}.aggregation_cardinality_limit: must be at least 0, got -1`],
      [{ aggregation_temporality: 'SOMETIMES' }, `${P}.aggregation_temporality: must be AGGREGATION_TEMPORALITY_CUMULATIVE or AGGREGATION_TEMPORALITY_DELTA, got "SOMETIMES"`],
      [{ dimensions: [{ name: 'span.kind' }] }, `${P}.dimensions[0].name: duplicate dimension name "span.kind"`],
      [{ dimensions: [{ name: 'a' }, { name: 'a' }] }, `${P}.dimensions[1].name: duplicate dimension name "a"`],
      [{ events: { enabled: true } }, `${P}.events.dimensions: no dimensions configured for events (required when events are enabled)`],
      [{ add_resource_attributes: true }, `${P}.add_resource_attributes: not supported by otel-sieve yet: resource attributes are always copied to the output resource (the collector's long-standing default)`],
      [{ dimensions: [{ glob: 'http.*' }] }, `${P}.dimensions[0].glob: glob dimensions are not supported; list the attribute names`],
      [{ profile: 'tempo', histogram: { unit: 'ms' } }, `${P}.histogram.unit: the tempo profile records latency in seconds (traces_spanmetrics_latency); use \`s\` or leave it out`],
      [{ profile: 'jaeger' }, `${P}.profile: must be one of "otel", "tempo", got "jaeger"`],
      ['spanmetrics', `${P}: expected a mapping, got string "spanmetrics"`],
    ];
    for (const [config, message] of cases) {
      const err = configError(() => parseSpanMetricsConfig(config, P));
      expect(err.message).toBe(message);
      expect(err.message.startsWith(err.path)).toBe(true);
    }
  });
});

describe('servicegraph config', () => {
  const P = 'connectors.servicegraph';

  it('has the collector defaults, and Tempo\'s with profile: tempo', () => {
    expect(parseServiceGraphConfig(null, P)).toEqual(DEFAULT_SERVICEGRAPH_CONFIG);
    expect(DEFAULT_SERVICEGRAPH_CONFIG).toMatchObject({
      store: { ttlMs: 2000, maxItems: 1000 }, metricsFlushIntervalMs: 60_000, cacheLoopMs: 60_000, storeExpirationLoopMs: 2000,
      virtualNodePeerAttributes: ['peer.service', 'db.name', 'db.system'], databaseNameAttributes: ['db.name'],
      latencyHistogramBuckets: [0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15],
    });
    expect(parseServiceGraphConfig({ profile: 'tempo' }, P)).toMatchObject({
      store: { ttlMs: 10_000, maxItems: 10_000 },
      latencyHistogramBuckets: [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8],
      virtualNodePeerAttributes: ['peer.service', 'db.name', 'db.system', 'db.system.name'],
      databaseNameAttributes: ['db.namespace', 'db.name', 'db.system', 'db.system.name'],
      enableClientServerPrefix: false,
    });
  });

  it('reads its keys (latency buckets as durations, in seconds)', () => {
    expect(parseServiceGraphConfig({
      latency_histogram_buckets: ['100ms', '250ms', '1s'],
      dimensions: ['k8s.cluster.name'],
      store: { ttl: '5s', max_items: 50 },
      virtual_node_peer_attributes: ['peer.service'],
      virtual_node_extra_label: true,
      metrics_flush_interval: '0s',
      database_name_attribute: 'db.namespace',
      metrics_exporter: 'prometheus',
    }, P)).toMatchObject({
      latencyHistogramBuckets: [0.1, 0.25, 1], dimensions: ['k8s.cluster.name'], store: { ttlMs: 5000, maxItems: 50 },
      virtualNodePeerAttributes: ['peer.service'], virtualNodeExtraLabel: true, metricsFlushIntervalMs: 0, databaseNameAttributes: ['db.namespace'],
    });
  });

  it('names the key path of what is wrong', () => {
    const cases: [unknown, string][] = [
      [{ store: { ttl: '2s', maxItems: 5 } }, `${P}.store.maxItems: unknown key`],
      [{ store: { ttl: '0s' } }, `${P}.store.ttl: must be a positive duration`],
      [{ store: { max_items: 0 } }, `${P}.store.max_items: must be at least 1, got 0`],
      [{ store: { max_items: 1.5 } }, `${P}.store.max_items: expected an integer, got number 1.5`],
      [{ latency_histogram_buckets: [0.1] }, `${P}.latency_histogram_buckets[0]: expected a duration such as "15s" or "1400ms", got number 0.1`],
      [{ dimensions: [{ name: 'x' }] }, `${P}.dimensions[0]: expected a string, got a mapping`],
      [{ enable_client_server_prefix: true }, `${P}.enable_client_server_prefix: only with \`profile: tempo\` (the collector always prefixes dimensions)`],
      [{ exponential_histogram_max_size: 1 }, `${P}.exponential_histogram_max_size: must be 0 (explicit buckets) or at least 2`],
    ];
    for (const [config, message] of cases) expect(configError(() => parseServiceGraphConfig(config, P)).message).toBe(message);
  });
});
