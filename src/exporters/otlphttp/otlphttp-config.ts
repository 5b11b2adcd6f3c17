// The otlphttp exporter's config, with the collector's keys and defaults, so a block pasted from
// a collector config works: `endpoint`, `traces_endpoint`/`metrics_endpoint`, `encoding`,
// `compression`, `headers`, `timeout`, `sending_queue`, `retry_on_failure`. Unknown keys are an
// error naming the key and its path, as in the collector.
import { durationMs } from '../duration-ms.js';
import type { OtlpSignal } from '../../otlp-http/export-response.js';
import type { OtlpEncoding } from '../../otlp-http/otlp-encoding.js';

export interface OtlpHttpExporterConfig {
  /** Base URL; `/v1/traces`, `/v1/logs` or `/v1/metrics` is appended. One of this or the signal's endpoint is required. */
  endpoint?: string;
  /** Full URL for traces, used as is (overrides `endpoint`). */
  traces_endpoint?: string;
  /** Full URL for metrics, used as is (overrides `endpoint`). */
  metrics_endpoint?: string;
  /** Full URL for logs, used as is (overrides `endpoint`). */
  logs_endpoint?: string;
  /** `proto` (application/x-protobuf) or `json` (application/json). Default `proto`. */
  encoding?: 'proto' | 'json';
  /** `gzip` or `none` (`""` too). Default `gzip`, like the collector. */
  compression?: 'gzip' | 'none' | '';
  /** Extra request headers (authorization, tenant ids). */
  headers?: Record<string, string>;
  /** Per-attempt timeout: a Go duration string or milliseconds. Default `30s`. */
  timeout?: string | number;
  sending_queue?: {
    /** Queue requests and send them from `num_consumers` workers. Default true. */
    enabled?: boolean;
    /** Requests sent concurrently. Default 10. */
    num_consumers?: number;
    /** Requests waiting at most; more are dropped (counted) and receivers refuse new data. Default 1000. */
    queue_size?: number;
  };
  retry_on_failure?: {
    /** Retry 429/502/503/504 and network errors. Default true. */
    enabled?: boolean;
    /** First wait. Default `5s`. */
    initial_interval?: string | number;
    /** Longest wait between attempts. Default `30s`. */
    max_interval?: string | number;
    /** Give up when the next wait would end more than this after the first attempt; 0 = never. Default `300s`. */
    max_elapsed_time?: string | number;
    /** Growth of the wait per attempt. Default 1.5. */
    multiplier?: number;
    /** Jitter: each wait is drawn from interval × [1 − f, 1 + f]. Default 0.5. */
    randomization_factor?: number;
  };
}

export interface ResolvedOtlpHttpConfig {
  url: string;
  encoding: OtlpEncoding;
  gzip: boolean;
  headers: Record<string, string>;
  timeoutMs: number;
  queue: { enabled: boolean; numConsumers: number; queueSize: number };
  retry: { enabled: boolean; initialMs: number; maxIntervalMs: number; maxElapsedMs: number; multiplier: number; randomization: number };
}

/** The collector's defaults (otlphttpexporter createDefaultConfig, configretry, exporterhelper queue). */
export const DEFAULT_OTLP_HTTP_EXPORTER_CONFIG = Object.freeze({
  encoding: 'proto',
  compression: 'gzip',
  timeout: '30s',
  sending_queue: Object.freeze({ enabled: true, num_consumers: 10, queue_size: 1000 }),
  retry_on_failure: Object.freeze({
    enabled: true,
    initial_interval: '5s',
    max_interval: '30s',
    max_elapsed_time: '300s',
    multiplier: 1.5,
    randomization_factor: 0.5,
  }),
} as const);

const TOP_KEYS = ['endpoint', 'traces_endpoint', 'metrics_endpoint', 'logs_endpoint', 'encoding', 'compression', 'headers', 'timeout', 'sending_queue', 'retry_on_failure'];
const QUEUE_KEYS = ['enabled', 'num_consumers', 'queue_size'];
const RETRY_KEYS = ['enabled', 'initial_interval', 'max_interval', 'max_elapsed_time', 'multiplier', 'randomization_factor'];

function checkKeys(block: object, known: string[], path: string): void {
  for (const key of Object.keys(block)) {
    if (!known.includes(key)) throw new TypeError(`${path}: unknown key "${key}" (known: ${known.join(', ')})`);
  }
}

function mapOf(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`${path}: expected a map, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function bool(value: unknown, fallback: boolean, path: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${path}: expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

function int(value: unknown, fallback: number, min: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new RangeError(`${path}: expected an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return value;
}

function httpUrl(value: string, path: string): string {
  let ok = false;
  try {
    const u = new URL(value);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) throw new TypeError(`${path}: "${value}" is not an http(s) URL`);
  return value;
}

/** Checks a config and fills in defaults; `path` prefixes errors (e.g. `exporters.otlphttp`). */
export function resolveOtlpHttpConfig(config: OtlpHttpExporterConfig, signal: OtlpSignal, path = 'otlphttp'): ResolvedOtlpHttpConfig {
  const c = mapOf(config, path);
  checkKeys(c, TOP_KEYS, path);
  const d = DEFAULT_OTLP_HTTP_EXPORTER_CONFIG;
  const signalKey = `${signal}_endpoint`;
  const override = c[signalKey];
  let target: string;
  if (override !== undefined && typeof override !== 'string') throw new TypeError(`${path}.${signalKey}: expected a URL string`);
  if (c.endpoint !== undefined && typeof c.endpoint !== 'string') throw new TypeError(`${path}.endpoint: expected a URL string`);
  if (typeof override === 'string' && override !== '') target = httpUrl(override, `${path}.${signalKey}`);
  else if (typeof c.endpoint === 'string' && c.endpoint !== '') {
    const base = httpUrl(c.endpoint, `${path}.endpoint`);
    target = `${base}${base.endsWith('/') ? '' : '/'}v1/${signal}`;
  } else throw new TypeError(`${path}: either endpoint or ${signalKey} must be specified`);

  const encoding = c.encoding ?? d.encoding;
  if (encoding !== 'proto' && encoding !== 'json') throw new TypeError(`${path}.encoding: expected "proto" or "json", got ${JSON.stringify(encoding)}`);
  const compression = c.compression ?? d.compression;
  if (compression !== 'gzip' && compression !== 'none' && compression !== '') {
    throw new TypeError(`${path}.compression: expected "gzip" or "none" (no runtime compresses zstd/snappy natively), got ${JSON.stringify(compression)}`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(mapOf(c.headers, `${path}.headers`))) {
    if (typeof v !== 'string') throw new TypeError(`${path}.headers.${k}: expected a string, got ${JSON.stringify(v)}`);
    headers[k] = v;
  }
  const timeoutMs = durationMs(c.timeout ?? d.timeout, `${path}.timeout`);
  if (timeoutMs <= 0) throw new RangeError(`${path}.timeout: must be positive`);

  const q = mapOf(c.sending_queue, `${path}.sending_queue`);
  checkKeys(q, QUEUE_KEYS, `${path}.sending_queue`);
  const queue = {
    enabled: bool(q.enabled, d.sending_queue.enabled, `${path}.sending_queue.enabled`),
    numConsumers: int(q.num_consumers, d.sending_queue.num_consumers, 1, `${path}.sending_queue.num_consumers`),
    queueSize: int(q.queue_size, d.sending_queue.queue_size, 1, `${path}.sending_queue.queue_size`),
  };

  const r = mapOf(c.retry_on_failure, `${path}.retry_on_failure`);
  checkKeys(r, RETRY_KEYS, `${path}.retry_on_failure`);
  const dr = d.retry_on_failure;
  const multiplier = r.multiplier ?? dr.multiplier;
  if (typeof multiplier !== 'number' || !(multiplier >= 1)) throw new RangeError(`${path}.retry_on_failure.multiplier: expected a number ≥ 1, got ${JSON.stringify(multiplier)}`);
  const randomization = r.randomization_factor ?? dr.randomization_factor;
  if (typeof randomization !== 'number' || !(randomization >= 0 && randomization <= 1)) {
    throw new RangeError(`${path}.retry_on_failure.randomization_factor: expected a number in [0, 1], got ${JSON.stringify(randomization)}`);
  }
  const retry = {
    enabled: bool(r.enabled, dr.enabled, `${path}.retry_on_failure.enabled`),
    initialMs: durationMs(r.initial_interval ?? dr.initial_interval, `${path}.retry_on_failure.initial_interval`),
    maxIntervalMs: durationMs(r.max_interval ?? dr.max_interval, `${path}.retry_on_failure.max_interval`),
    maxElapsedMs: durationMs(r.max_elapsed_time ?? dr.max_elapsed_time, `${path}.retry_on_failure.max_elapsed_time`),
    multiplier,
    randomization,
  };
  // A zero wait would retry in a tight loop against a failing server.
  if (retry.enabled && retry.initialMs <= 0) throw new RangeError(`${path}.retry_on_failure.initial_interval: must be positive`);
  if (retry.enabled && retry.maxIntervalMs < retry.initialMs) throw new RangeError(`${path}.retry_on_failure.max_interval: must be at least initial_interval`);
  return { url: target, encoding: encoding === 'proto' ? 'protobuf' : 'json', gzip: compression === 'gzip', headers, timeoutMs, queue, retry };
}
