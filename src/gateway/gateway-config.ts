// What `otel-sieve serve` reads from a collector config besides the pipelines: where to listen and
// what the OTLP receiver allows (receivers.otlp.protocols.http — endpoint, the signal paths,
// max_request_body_size, cors), the trace store (extensions.trace_store), the gateway's own limits
// (extensions.gateway) and the log level (service.telemetry.logs.level). Keys the gateway cannot
// honour on a receiver (tls, auth) are config errors naming the key; ones that change nothing
// about what is accepted are accepted and listed as warnings.
import type { CollectorConfig } from '../config/collector-config.js';
import { ConfigReader } from '../config/config-reader.js';
import { ConfigError } from '../config/config-error.js';
import type { CorsOptions } from '../handler/cors.js';
import { DEFAULT_TRACE_STORE_CONFIG, readTraceStoreConfig } from './trace-store/trace-store-config.js';
import type { TraceStoreConfig } from './trace-store/trace-store-config.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface GatewayLimits {
  /** OTLP requests handled at once; more are answered 503 with Retry-After before their body is read. */
  maxConcurrentRequests: number;
  /**
   * Request bytes (by Content-Length; max_request_body_size when a request does not say) being
   * read at once; a request that would go over is answered 503 before its body is read. Bodies are
   * read into JavaScript memory, outside the core's budget, so this is what bounds them.
   */
  maxBytesInFlight: number;
  /** How long shutdown may take to drain everything before giving up (exit 1). */
  shutdownTimeoutMs: number;
  /** The WebAssembly core's memory budget (init's memoryLimit); memory_limiter percentages are shares of it. */
  coreMemoryLimitBytes: number;
}

export interface GatewaySettings {
  listen: ListenAddress;
  /** URL paths of the OTLP signals (traces_url_path, …). */
  paths: { traces: string; metrics: string; logs: string };
  maxRequestBodySize: number;
  cors: CorsOptions | null;
  store: TraceStoreConfig;
  limits: GatewayLimits;
  logLevel: LogLevel;
  /** Settings accepted that have no effect here, one message each. */
  warnings: string[];
}

export const DEFAULT_LISTEN: ListenAddress = Object.freeze({ host: '127.0.0.1', port: 4318 });

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = Object.freeze({
  maxConcurrentRequests: 64,
  maxBytesInFlight: 256 * 1024 * 1024,
  shutdownTimeoutMs: 30_000,
  coreMemoryLimitBytes: 1024 * 1024 * 1024,
});

/** `host:port`, `:port` (all interfaces), `[v6]:port`; port 0 picks a free one. */
export function parseListenAddress(text: string): ListenAddress | string {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return `"${text}" is not host:port (e.g. 127.0.0.1:4318, :4318, [::1]:4318)`;
  const port = Number(m[3]);
  if (port > 65535) return `port ${port} is out of range (0-65535)`;
  const host = m[1] ?? (m[2] || '0.0.0.0');
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}

const MIB = 1024 * 1024;

function readHttpReceiver(config: CollectorConfig, source: string | undefined, warnings: string[]) {
  const used = new Set(config.pipelines.flatMap((p) => p.receivers));
  const otlp = [...config.receivers.values()].filter((r) => used.has(r.id.id));
  let listen: ListenAddress | undefined;
  let paths = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };
  let maxBody = 20 * MIB;
  let cors: CorsOptions | null = null;
  otlp.forEach((receiver, i) => {
    const r = new ConfigReader(receiver.node, receiver.path, source);
    const protocols = r.child('protocols');
    if (protocols.present('grpc')) {
      protocols.child('grpc').ignore(...protocols.child('grpc').keys());
      warnings.push(`${receiver.path}.protocols.grpc: not served (otel-sieve serve speaks OTLP/HTTP on one port); senders must use http/protobuf or http/json`);
    }
    const http = protocols.child('http');
    for (const key of ['tls', 'auth']) {
      if (http.has(key)) throw http.error(`"${key}" is not supported by otel-sieve serve (plain HTTP on one port; put a TLS-terminating proxy in front); remove it`, http.keyPosition(key), `${http.path}.${key}`);
    }
    const endpoint = http.optionalString('endpoint');
    const here = {
      traces: http.string('traces_url_path', '/v1/traces'),
      metrics: http.string('metrics_url_path', '/v1/metrics'),
      logs: http.string('logs_url_path', '/v1/logs'),
    };
    for (const [k, v] of Object.entries(here)) if (!v.startsWith('/')) throw http.fail(`${k}_url_path`, `must start with "/", got ${JSON.stringify(v)}`);
    const body = http.int('max_request_body_size', 20 * MIB, { min: 1 });
    let here_cors: CorsOptions | null = null;
    if (http.present('cors')) {
      const c = http.child('cors');
      const origins = c.stringList('allowed_origins');
      const headers = c.stringList('allowed_headers');
      const maxAge = c.int('max_age', 0, { min: 0 });
      c.done();
      if (origins.length) here_cors = { allowedOrigins: origins, allowedHeaders: headers, ...(maxAge ? { maxAge } : {}) };
    }
    for (const key of ['include_metadata', 'response_headers', 'compression_algorithms', 'read_timeout', 'read_header_timeout', 'write_timeout', 'idle_timeout']) {
      if (http.has(key)) {
        http.ignore(key);
        warnings.push(`${http.path}.${key}: accepted and has no effect in otel-sieve serve`);
      }
    }
    http.done();
    protocols.done();
    r.done();
    let address: ListenAddress | undefined;
    if (endpoint) {
      const parsed = parseListenAddress(endpoint);
      if (typeof parsed === 'string') throw new ConfigError(`${receiver.path}.protocols.http.endpoint`, parsed, undefined, source);
      address = parsed;
    }
    if (i === 0) {
      listen = address;
      paths = here;
      maxBody = body;
      cors = here_cors;
    } else if ((address && listen && (address.host !== listen.host || address.port !== listen.port)) || JSON.stringify(here) !== JSON.stringify(paths)) {
      throw new ConfigError(receiver.path, `otel-sieve serve runs one OTLP/HTTP receiver on one port; ${receiver.path} differs from ${otlp[0]!.path} (endpoint or paths)`, undefined, source);
    }
  });
  return { listen, paths, maxBody, cors };
}

function readLimits(config: CollectorConfig, source: string | undefined): GatewayLimits {
  const ext = config.extensions.get('gateway');
  if (!ext) return DEFAULT_GATEWAY_LIMITS;
  const r = new ConfigReader(ext.node, ext.path, source);
  const d = DEFAULT_GATEWAY_LIMITS;
  const limits = {
    maxConcurrentRequests: r.int('max_concurrent_requests', d.maxConcurrentRequests, { min: 1, max: 100_000 }),
    maxBytesInFlight: r.int('max_bytes_in_flight_mib', d.maxBytesInFlight / MIB, { min: 1, max: 65_536 }) * MIB,
    shutdownTimeoutMs: Number(r.duration('shutdown_timeout', BigInt(d.shutdownTimeoutMs) * 1_000_000n) / 1_000_000n),
    coreMemoryLimitBytes: r.int('core_memory_limit_mib', d.coreMemoryLimitBytes / MIB, { min: 16, max: 4095 }) * MIB,
  };
  if (limits.shutdownTimeoutMs <= 0) throw r.fail('shutdown_timeout', 'must be positive');
  r.done();
  return limits;
}

function readLogLevel(config: CollectorConfig, source: string | undefined): LogLevel {
  if (!config.telemetry) return 'info';
  const t = new ConfigReader(config.telemetry, 'service.telemetry', source);
  const logs = t.child('logs');
  const level = logs.oneOf('level', ['debug', 'info', 'warn', 'error'] as const, 'info', true);
  logs.ignore(...logs.keys());
  t.ignore(...t.keys());
  return level.toLowerCase() as LogLevel;
}

/**
 * The gateway's settings from a config; `listen` (the --listen flag) wins over the receiver's
 * endpoint, which wins over 127.0.0.1:4318.
 */
export function readGatewaySettings(config: CollectorConfig, options: { listen?: ListenAddress; source?: string } = {}): GatewaySettings {
  const warnings: string[] = [];
  const http = readHttpReceiver(config, options.source, warnings);
  const ext = config.extensions.get('trace_store');
  const store = ext ? readTraceStoreConfig(new ConfigReader(ext.node, ext.path, options.source)) : DEFAULT_TRACE_STORE_CONFIG;
  for (const [id, e] of config.extensions) {
    if (id !== 'trace_store' && id !== 'gateway') warnings.push(`${e.path}: extension "${e.id.type}" is not run by otel-sieve serve`);
  }
  return {
    listen: options.listen ?? http.listen ?? DEFAULT_LISTEN,
    paths: http.paths,
    maxRequestBodySize: http.maxBody,
    cors: http.cors,
    store,
    limits: readLimits(config, options.source),
    logLevel: readLogLevel(config, options.source),
    warnings,
  };
}
