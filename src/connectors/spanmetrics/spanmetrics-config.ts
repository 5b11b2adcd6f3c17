// The spanmetrics connector's configuration: the collector's keys and defaults (contrib
// connector/spanmetricsconnector, as of v0.158), validated strictly, plus `profile: tempo`, which
// emits Grafana Tempo metrics-generator names, labels and buckets instead.
import { ConfigSection } from '../config/config-section.js';
import { ConnectorConfigError } from '../config/connector-config-error.js';

export interface SpanMetricsDimension {
  readonly name: string;
  /** Used when neither the span nor the resource has the attribute; absent: the dimension is omitted. */
  readonly default?: string;
}

export type SpanMetricsProfile = 'otel' | 'tempo';

/** The resolved configuration (every default applied). Durations in milliseconds. */
export interface SpanMetricsConfig {
  readonly profile: SpanMetricsProfile;
  readonly dimensions: readonly SpanMetricsDimension[];
  readonly callsDimensions: readonly SpanMetricsDimension[];
  readonly excludeDimensions: readonly string[];
  readonly histogram: {
    readonly disable: boolean;
    readonly unit: 'ms' | 's';
    readonly type: 'explicit' | 'exponential';
    /** Bucket bounds in `unit` (explicit). */
    readonly bounds: readonly number[];
    /** Buckets per range (exponential). */
    readonly maxSize: number;
    readonly dimensions: readonly SpanMetricsDimension[];
  };
  readonly dimensionsCacheSize: number;
  readonly aggregationCardinalityLimit: number;
  readonly resourceMetricsCacheSize: number;
  readonly resourceMetricsKeyAttributes: readonly string[];
  readonly aggregationTemporality: 'cumulative' | 'delta';
  readonly metricsFlushIntervalMs: number;
  readonly metricsExpirationMs: number;
  readonly seriesExpirationMs: number;
  readonly metricTimestampCacheSize: number;
  readonly namespace: string;
  readonly exemplars: { readonly enabled: boolean; readonly maxPerDataPoint: number };
  readonly events: { readonly enabled: boolean; readonly dimensions: readonly SpanMetricsDimension[] };
  readonly includeInstrumentationScope: readonly string[];
}

const MS = 1e6;

/** The collector's default explicit buckets, in milliseconds (2ms … 15s). */
export const DEFAULT_SPANMETRICS_BUCKETS_MS: readonly number[] = Object.freeze([2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000]);

/** Tempo's span-metrics latency buckets in seconds: ExponentialBuckets(0.002, 2, 14). */
export const TEMPO_SPANMETRICS_BUCKETS_S: readonly number[] = Object.freeze(
  Array.from({ length: 14 }, (_, i) => 0.002 * 2 ** i),
);

export const DEFAULT_SPANMETRICS_CONFIG: SpanMetricsConfig = Object.freeze({
  profile: 'otel',
  dimensions: [],
  callsDimensions: [],
  excludeDimensions: [],
  histogram: Object.freeze({ disable: false, unit: 'ms', type: 'explicit', bounds: DEFAULT_SPANMETRICS_BUCKETS_MS, maxSize: 160, dimensions: [] }),
  dimensionsCacheSize: 0,
  aggregationCardinalityLimit: 0,
  resourceMetricsCacheSize: 1000,
  resourceMetricsKeyAttributes: [],
  aggregationTemporality: 'cumulative',
  metricsFlushIntervalMs: 60_000,
  metricsExpirationMs: 0,
  seriesExpirationMs: 0,
  metricTimestampCacheSize: 1000,
  namespace: 'traces.span.metrics',
  exemplars: Object.freeze({ enabled: false, maxPerDataPoint: 5 }),
  events: Object.freeze({ enabled: false, dimensions: [] }),
  includeInstrumentationScope: [],
}) as SpanMetricsConfig;

/** The four dimensions every series has (unless excluded), by their collector names. */
export const SPANMETRICS_DEFAULT_DIMENSIONS: readonly string[] = Object.freeze(['service.name', 'span.name', 'span.kind', 'status.code']);

const TEMPORALITIES: Readonly<Record<string, 'cumulative' | 'delta'>> = Object.freeze({
  AGGREGATION_TEMPORALITY_CUMULATIVE: 'cumulative',
  AGGREGATION_TEMPORALITY_DELTA: 'delta',
  // Alloy's spelling.
  CUMULATIVE: 'cumulative',
  DELTA: 'delta',
});

const UNSUPPORTED: Readonly<Record<string, string>> = Object.freeze({
  add_resource_attributes: 'not supported by otel-sieve yet: resource attributes are always copied to the output resource (the collector\'s long-standing default)',
  metrics_exporter: 'deprecated in the collector and ignored there; remove it',
});

function dimensionList(s: ConfigSection, key: string): SpanMetricsDimension[] {
  return s.list(key).map(({ value, path }) => {
    const d = new ConfigSection(value, path);
    if (d.present('glob')) d.fail('glob', 'glob dimensions are not supported; list the attribute names');
    const name = d.string('name', '');
    if (!name) throw new ConnectorConfigError(`${path}.name`, 'a dimension needs a non-empty name');
    const hasDefault = d.has('default') && d.raw('default') !== null;
    const def = d.string('default', '');
    d.finish();
    return hasDefault ? { name, default: def } : { name };
  });
}

/** The collector's validateDimensions: no duplicates among themselves or with the four defaults. */
function checkDuplicates(s: ConfigSection, key: string, dims: readonly SpanMetricsDimension[], reserved: readonly string[]): void {
  const seen = new Set(reserved);
  dims.forEach((d, i) => {
    if (seen.has(d.name)) throw new ConnectorConfigError(`${s.at(key)}[${i}].name`, `duplicate dimension name ${JSON.stringify(d.name)}`);
    seen.add(d.name);
  });
}

/**
 * Validates a `spanmetrics` block (the parsed YAML value) found at `path` (for messages, e.g.
 * `connectors.spanmetrics/red`) and returns the resolved configuration.
 */
export function parseSpanMetricsConfig(value: unknown, path: string): SpanMetricsConfig {
  const s = new ConfigSection(value, path);
  const profile = s.choice('profile', ['otel', 'tempo'] as const, 'otel');
  const tempo = profile === 'tempo';

  const dimensions = dimensionList(s, 'dimensions');
  checkDuplicates(s, 'dimensions', dimensions, SPANMETRICS_DEFAULT_DIMENSIONS);
  const callsDimensions = dimensionList(s, 'calls_dimensions');
  checkDuplicates(s, 'calls_dimensions', callsDimensions, [...SPANMETRICS_DEFAULT_DIMENSIONS, ...dimensions.map((d) => d.name)]);
  const excludeDimensions = s.stringList('exclude_dimensions');

  const h = s.section('histogram');
  const disable = h.bool('disable', false);
  const unit = h.choice('unit', ['ms', 's'] as const, tempo ? 's' : 'ms');
  if (tempo && unit !== 's') h.fail('unit', 'the tempo profile records latency in seconds (traces_spanmetrics_latency); use `s` or leave it out');
  const hasExplicit = h.present('explicit');
  const hasExponential = h.present('exponential');
  if (hasExplicit && hasExponential) h.fail('exponential', 'use either `explicit` or `exponential` buckets histogram, not both');
  let bounds: readonly number[] = tempo ? TEMPO_SPANMETRICS_BUCKETS_S : unit === 's' ? DEFAULT_SPANMETRICS_BUCKETS_MS.map((b) => b / 1000) : DEFAULT_SPANMETRICS_BUCKETS_MS;
  let maxSize = 160;
  if (hasExplicit) {
    const e = h.section('explicit');
    if (e.present('buckets') && e.raw('buckets') !== null) {
      const ns = e.durationList('buckets');
      // The collector converts each bucket as float64(nanoseconds) / float64(nanoseconds per unit).
      bounds = ns.map((b) => b / (unit === 's' ? 1e9 : MS));
      for (let i = 1; i < bounds.length; i++) {
        if (!(bounds[i]! > bounds[i - 1]!)) throw new ConnectorConfigError(`${e.at('buckets')}[${i}]`, 'buckets must be strictly increasing');
      }
    }
    e.finish();
  }
  if (hasExponential) {
    const x = h.section('exponential');
    maxSize = x.int('max_size', 160, 0, 16384);
    // 0 means the default, like the collector (structure.DefaultMaxSize).
    if (maxSize === 0) maxSize = 160;
    if (maxSize < 2) x.fail('max_size', 'must be at least 2 (a histogram needs two buckets to downscale into)');
    x.finish();
  }
  const histDimensions = dimensionList(h, 'dimensions');
  checkDuplicates(h, 'dimensions', histDimensions, [...SPANMETRICS_DEFAULT_DIMENSIONS, ...dimensions.map((d) => d.name)]);
  h.finish();

  const dimensionsCacheSize = s.int('dimensions_cache_size', 0, 0);
  const aggregationCardinalityLimit = s.int('aggregation_cardinality_limit', 0, 0, 0xfffffffe);
  const resourceMetricsCacheSize = s.int('resource_metrics_cache_size', 1000, 1, 0xfffffffe);
  const resourceMetricsKeyAttributes = s.stringList('resource_metrics_key_attributes');

  const temporalityText = s.string('aggregation_temporality', 'AGGREGATION_TEMPORALITY_CUMULATIVE');
  const aggregationTemporality = TEMPORALITIES[temporalityText];
  if (!aggregationTemporality) {
    s.fail('aggregation_temporality', `must be AGGREGATION_TEMPORALITY_CUMULATIVE or AGGREGATION_TEMPORALITY_DELTA, got ${JSON.stringify(temporalityText)}`);
  }
  if (tempo && aggregationTemporality === 'delta') s.fail('aggregation_temporality', 'the tempo profile is cumulative (Prometheus counters)');

  const flush = s.duration('metrics_flush_interval', 60_000 * MS);
  if (flush < 0) s.fail('metrics_flush_interval', 'the duration should be positive');
  const expiration = s.duration('metrics_expiration', 0);
  if (expiration < 0) s.fail('metrics_expiration', 'the duration should be positive');
  const seriesExpiration = s.duration('series_expiration', 0);
  if (seriesExpiration < 0) s.fail('series_expiration', 'the duration should be positive');
  const metricTimestampCacheSize = s.int('metric_timestamp_cache_size', 1000, 1, 0xfffffffe);
  const namespace = s.string('namespace', 'traces.span.metrics');
  if (tempo && s.has('namespace')) s.fail('namespace', 'the tempo profile has fixed metric names (traces_spanmetrics_*)');

  const ex = s.section('exemplars');
  const exemplars = { enabled: ex.bool('enabled', false), maxPerDataPoint: ex.int('max_per_data_point', 5, 1, 1000) };
  ex.finish();

  const ev = s.section('events');
  const eventsEnabled = ev.bool('enabled', false);
  const eventDimensions = dimensionList(ev, 'dimensions');
  if (eventsEnabled) {
    if (tempo) ev.fail('enabled', 'the tempo profile has no events metric');
    if (eventDimensions.length === 0) ev.fail('dimensions', 'no dimensions configured for events (required when events are enabled)');
    checkDuplicates(ev, 'dimensions', eventDimensions, SPANMETRICS_DEFAULT_DIMENSIONS);
  }
  ev.finish();
  const includeInstrumentationScope = s.stringList('include_instrumentation_scope');
  s.finish(UNSUPPORTED);

  return {
    profile,
    dimensions,
    callsDimensions,
    excludeDimensions,
    histogram: { disable, unit, type: hasExponential ? 'exponential' : 'explicit', bounds, maxSize, dimensions: histDimensions },
    dimensionsCacheSize,
    aggregationCardinalityLimit,
    resourceMetricsCacheSize,
    resourceMetricsKeyAttributes,
    aggregationTemporality: aggregationTemporality!,
    metricsFlushIntervalMs: flush / MS,
    metricsExpirationMs: expiration / MS,
    seriesExpirationMs: seriesExpiration / MS,
    metricTimestampCacheSize,
    namespace,
    exemplars,
    events: { enabled: eventsEnabled, dimensions: eventDimensions },
    includeInstrumentationScope,
  };
}
