// The servicegraph connector's configuration: the collector's keys and defaults (contrib
// connector/servicegraphconnector, as of v0.158), validated strictly, plus `profile: tempo` for Grafana
// Tempo's service-graphs processor defaults, pairing rules and metric names.
import { ConfigSection } from '../config/config-section.js';
import { ConnectorConfigError } from '../config/connector-config-error.js';

export type ServiceGraphProfile = 'otel' | 'tempo';

/** The resolved configuration (every default applied). Durations in milliseconds, buckets in seconds. */
export interface ServiceGraphConfig {
  readonly profile: ServiceGraphProfile;
  /** Explicit latency bucket bounds in seconds (when exponentialHistogramMaxSize is 0). */
  readonly latencyHistogramBuckets: readonly number[];
  readonly exponentialHistogramMaxSize: number;
  readonly dimensions: readonly string[];
  readonly store: { readonly ttlMs: number; readonly maxItems: number };
  readonly cacheLoopMs: number;
  readonly storeExpirationLoopMs: number;
  /** Empty: no virtual nodes. */
  readonly virtualNodePeerAttributes: readonly string[];
  readonly virtualNodeExtraLabel: boolean;
  /** 0: collect after every batch. */
  readonly metricsFlushIntervalMs: number;
  readonly databaseNameAttributes: readonly string[];
  readonly metricsTimestampOffsetMs: number;
  /** Tempo: `client_<d>`/`server_<d>` labels instead of one `<d>` label. Always true for the collector. */
  readonly enableClientServerPrefix: boolean;
}

const MS = 1e6;

/** The collector's default latency buckets, in seconds (2ms … 15s). */
export const DEFAULT_SERVICEGRAPH_BUCKETS_S: readonly number[] = Object.freeze([0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15]);

/** Tempo's service-graph buckets in seconds: ExponentialBuckets(0.1, 2, 8). */
export const TEMPO_SERVICEGRAPH_BUCKETS_S: readonly number[] = Object.freeze(Array.from({ length: 8 }, (_, i) => 0.1 * 2 ** i));

/** How long a series may go without updates before it is dropped (hard-coded in the collector). */
export const SERVICEGRAPH_STALE_SERIES_MS = 15 * 60_000;

const PROFILE_DEFAULTS = Object.freeze({
  otel: Object.freeze({
    ttlMs: 2000,
    maxItems: 1000,
    buckets: DEFAULT_SERVICEGRAPH_BUCKETS_S,
    peers: Object.freeze(['peer.service', 'db.name', 'db.system']),
    databases: Object.freeze(['db.name']),
  }),
  tempo: Object.freeze({
    ttlMs: 10_000,
    maxItems: 10_000,
    buckets: TEMPO_SERVICEGRAPH_BUCKETS_S,
    peers: Object.freeze(['peer.service', 'db.name', 'db.system', 'db.system.name']),
    databases: Object.freeze(['db.namespace', 'db.name', 'db.system', 'db.system.name']),
  }),
});

export const DEFAULT_SERVICEGRAPH_CONFIG: ServiceGraphConfig = Object.freeze({
  profile: 'otel',
  latencyHistogramBuckets: DEFAULT_SERVICEGRAPH_BUCKETS_S,
  exponentialHistogramMaxSize: 0,
  dimensions: [],
  store: Object.freeze({ ttlMs: 2000, maxItems: 1000 }),
  cacheLoopMs: 60_000,
  storeExpirationLoopMs: 2000,
  virtualNodePeerAttributes: PROFILE_DEFAULTS.otel.peers,
  virtualNodeExtraLabel: false,
  metricsFlushIntervalMs: 60_000,
  databaseNameAttributes: PROFILE_DEFAULTS.otel.databases,
  metricsTimestampOffsetMs: 0,
  enableClientServerPrefix: true,
}) as ServiceGraphConfig;

/** Validates a `servicegraph` block (parsed YAML) found at `path` and returns the resolved configuration. */
export function parseServiceGraphConfig(value: unknown, path: string): ServiceGraphConfig {
  const s = new ConfigSection(value, path);
  const profile = s.choice('profile', ['otel', 'tempo'] as const, 'otel');
  const defaults = PROFILE_DEFAULTS[profile];

  let latencyHistogramBuckets: readonly number[] = defaults.buckets;
  if (s.present('latency_histogram_buckets') && s.raw('latency_histogram_buckets') !== null) {
    latencyHistogramBuckets = s.durationList('latency_histogram_buckets').map((ns) => ns / 1e9);
    for (let i = 1; i < latencyHistogramBuckets.length; i++) {
      if (!(latencyHistogramBuckets[i]! > latencyHistogramBuckets[i - 1]!)) {
        throw new ConnectorConfigError(`${s.at('latency_histogram_buckets')}[${i}]`, 'buckets must be strictly increasing');
      }
    }
  }
  const exponentialHistogramMaxSize = s.int('exponential_histogram_max_size', 0, 0, 16384);
  if (exponentialHistogramMaxSize === 1) s.fail('exponential_histogram_max_size', 'must be 0 (explicit buckets) or at least 2');
  const dimensions = s.stringList('dimensions');

  const st = s.section('store');
  const ttlNs = st.duration('ttl', defaults.ttlMs * MS);
  if (ttlNs <= 0) st.fail('ttl', 'must be a positive duration');
  const maxItems = st.int('max_items', defaults.maxItems, 1, 10_000_000);
  st.finish();

  let cacheLoop = s.duration('cache_loop', 60_000 * MS);
  if (cacheLoop <= 0) cacheLoop = 60_000 * MS; // the collector resets non-positive loops to their defaults
  let expirationLoop = s.duration('store_expiration_loop', 2000 * MS);
  if (expirationLoop <= 0) expirationLoop = 2000 * MS;

  // An explicitly empty list disables virtual nodes; absent (or null) means the defaults.
  const peersRaw = s.raw('virtual_node_peer_attributes');
  const virtualNodePeerAttributes = peersRaw === undefined || peersRaw === null ? defaults.peers : s.stringList('virtual_node_peer_attributes');
  const virtualNodeExtraLabel = s.bool('virtual_node_extra_label', false);
  const flush = s.duration('metrics_flush_interval', 60_000 * MS);
  if (flush < 0) s.fail('metrics_flush_interval', 'the duration should not be negative (0 flushes on every batch)');

  let databaseNameAttributes: readonly string[] = s.stringList('database_name_attributes');
  const legacy = s.string('database_name_attribute', '');
  if (legacy && databaseNameAttributes.length) s.fail('database_name_attribute', 'use either database_name_attributes or the deprecated database_name_attribute');
  if (legacy) databaseNameAttributes = [legacy];
  if (databaseNameAttributes.length === 0) databaseNameAttributes = defaults.databases;

  const offset = s.duration('metrics_timestamp_offset', 0);
  // Deprecated and ignored by the collector; accepted so that pasted configs load.
  s.raw('metrics_exporter');
  let enableClientServerPrefix = true;
  if (s.has('enable_client_server_prefix')) {
    if (profile !== 'tempo') s.fail('enable_client_server_prefix', 'only with `profile: tempo` (the collector always prefixes dimensions)');
    enableClientServerPrefix = s.bool('enable_client_server_prefix', false);
  } else if (profile === 'tempo') {
    enableClientServerPrefix = false;
  }
  s.finish();

  return {
    profile,
    latencyHistogramBuckets,
    exponentialHistogramMaxSize,
    dimensions,
    store: { ttlMs: ttlNs / MS, maxItems },
    cacheLoopMs: cacheLoop / MS,
    storeExpirationLoopMs: expirationLoop / MS,
    virtualNodePeerAttributes,
    virtualNodeExtraLabel,
    metricsFlushIntervalMs: flush / MS,
    databaseNameAttributes,
    metricsTimestampOffsetMs: offset / MS,
    enableClientServerPrefix,
  };
}
