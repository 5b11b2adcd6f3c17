// Exporters from the collector's `exporters:` blocks: `otlphttp`, `debug` and `file` for traces
// pipelines; `otlphttp` and `debug` for logs pipelines and for the metrics a metrics pipeline
// receives over OTLP (batches out of its processors); `otlphttp` (push), `debug` and `prometheus`
// (pull) for what connectors derive into metrics pipelines. The config
// checker accepts every key the collector accepts (so configs load); here, where the exporter is
// really started, a key that would change where or how securely data goes but that fetch cannot
// honour (`tls`, `auth`, `proxy_url`, `const_labels`…) is a config error naming it — silently
// sending without the TLS or credentials the user asked for would be worse than refusing to start.
// Keys that only tune Go's HTTP client (connection pools, buffer sizes, HTTP/2 pings) change
// nothing about what is delivered; they are accepted and reported once through `onWarning`.
import type { CollectorConfig, ComponentConfig, Signal } from '../config/collector-config.js';
import { ConfigReader } from '../config/config-reader.js';
import { ConfigError } from '../config/config-error.js';
import { configNodeToPlain, positionAtPath } from '../config/config-node.js';
import type { TracesExporter, SignalExporter, ExportFailure, ExportOutcome, ExporterStats } from './traces-exporter.js';
import { OtlpHttpExporter } from './otlphttp/otlphttp-exporter.js';
import { resolveOtlpHttpConfig } from './otlphttp/otlphttp-config.js';
import type { OtlpHttpExporterConfig } from './otlphttp/otlphttp-config.js';
import { DebugExporter } from './debug/debug-exporter.js';
import type { DebugExporterConfig } from './debug/debug-exporter.js';
import { DebugMetricsExporter } from './debug/debug-metrics-exporter.js';
import { OtlpHttpMetricsExporter } from './metrics/otlphttp-metrics-exporter.js';
import { pipelineMetricsSource } from './metrics/pipeline-metrics-source.js';
import type { MetricsCollector } from './metrics/pipeline-metrics-source.js';
import type { ExpositionOptions } from '../metrics/exposition-families.js';
import type { FileExporterConfig, FileExporterOptions } from './file/file-exporter.js';

/** The FileExporter class: `import { FileExporter } from 'otel-sieve/file-exporter'` (Node, Deno). */
export type FileExporterClass = new (config: FileExporterConfig, options?: FileExporterOptions) => TracesExporter;

export interface ExporterFactoryOptions {
  /** The config's name (a file name) for error messages. */
  source?: string;
  /**
   * The FileExporter class. It lives in its own entry (`otel-sieve/file-exporter`) so that web
   * bundles never see `node:fs`; without it a `file` exporter is a config error.
   */
  fileExporter?: FileExporterClass;
  /** Where exporters report losses. Default: one console.warn line each. */
  onFailure?: (failure: ExportFailure) => void;
  /** Told once per accepted key that has no effect here. Default console.warn. */
  onWarning?: (message: string) => void;
  /** The fetch the otlphttp exporters use. Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Where debug exporters write. Default console.log. */
  write?: (text: string) => void;
  /** Clock, Unix ms. Default Date.now. */
  now?: () => number;
}

/** A metrics exporter that sends on a schedule (the metrics pipeline calls push() after each collection). */
export interface MetricsPushExporter {
  readonly id: string;
  push(): Promise<ExportOutcome>;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  stats(): ExporterStats;
}

/** A Prometheus pull exporter: where to serve the scrape endpoint and how to write the text. */
export interface PrometheusPullExporter {
  readonly id: string;
  /** `host:port` to listen on; undefined means "serve /metrics on the receiver's port". */
  readonly endpoint: string | undefined;
  readonly exposition: ExpositionOptions;
  /** Offer OpenMetrics when the scraper asks for it (enable_open_metrics). */
  readonly openMetrics: boolean;
}

export type MetricsExporter = { kind: 'push'; exporter: MetricsPushExporter } | { kind: 'pull'; exporter: PrometheusPullExporter };

/** Keys that would change where or how securely data goes; fetch cannot honour them. */
const REFUSED: Readonly<Record<string, string>> = Object.freeze({
  tls: 'fetch uses the runtime\'s own TLS settings (system CAs, NODE_EXTRA_CA_CERTS); client certificates and skipping verification are not available',
  auth: 'authenticator extensions do not exist here; put credentials in `headers` (e.g. authorization)',
  proxy_url: 'fetch has no per-request proxy; use the runtime\'s proxy settings',
});

/** Keys that only tune Go's HTTP client; they change nothing about what is delivered. */
const TUNING = ['read_buffer_size', 'write_buffer_size', 'max_idle_conns', 'max_idle_conns_per_host', 'max_conns_per_host', 'idle_conn_timeout', 'disable_keep_alives', 'http2_read_idle_timeout', 'http2_ping_timeout'];

function refuse(r: ConfigReader, key: string, why: string): never {
  throw r.error(`"${key}" is not supported by otel-sieve's exporters: ${why}; remove it`, r.keyPosition(key), `${r.path}.${key}`);
}

/** A constructor's TypeError/RangeError (`exporters.x.key: problem`) as a positioned ConfigError. */
function asConfigError(err: unknown, c: ComponentConfig, source: string | undefined): unknown {
  if (!(err instanceof TypeError || err instanceof RangeError)) return err;
  const m = /^([\w./-]+): ([\s\S]*)$/.exec(err.message);
  if (!m || !m[1]!.startsWith(c.path)) return new ConfigError(c.path, err.message, c.node.position, source);
  const rel = m[1]!.slice(c.path.length).replace(/^\./, '');
  return new ConfigError(m[1]!, m[2]!, positionAtPath(c.node, rel), source);
}

function plain(r: ConfigReader, skip: readonly string[] = []): Record<string, unknown> {
  const out = (configNodeToPlain(r.node) ?? Object.create(null)) as Record<string, unknown>;
  for (const k of skip) delete out[k];
  return out;
}

function warnTuning(r: ConfigReader, warn: (m: string) => void): string[] {
  const present = TUNING.filter((k) => r.has(k));
  for (const k of present) warn(`${r.path}.${k}: accepted and has no effect (it tunes Go's HTTP client; fetch manages its own connections)`);
  return present;
}

function otlpHttpConfig(c: ComponentConfig, signal: Signal, o: ExporterFactoryOptions): OtlpHttpExporterConfig {
  const r = new ConfigReader(c.node, c.path, o.source);
  for (const [key, why] of Object.entries(REFUSED)) if (r.has(key)) refuse(r, key, why);
  const tuning = warnTuning(r, o.onWarning ?? console.warn);
  // Resolving for `signal` checks that the config gives that signal a URL (endpoint or <signal>_endpoint).
  const config = plain(r, tuning) as OtlpHttpExporterConfig;
  try {
    resolveOtlpHttpConfig(config, signal, c.path);
  } catch (err) {
    throw asConfigError(err, c, o.source);
  }
  return config;
}

function debugConfig(c: ComponentConfig, o: ExporterFactoryOptions): DebugExporterConfig {
  return plain(new ConfigReader(c.node, c.path, o.source)) as DebugExporterConfig;
}

function fileConfig(c: ComponentConfig, o: ExporterFactoryOptions): FileExporterConfig {
  const r = new ConfigReader(c.node, c.path, o.source);
  const format = r.oneOf('format', ['json', 'proto'], 'json');
  if (format === 'proto') throw r.fail('format', '"proto" is not supported: the file exporter writes OTLP/JSON lines (format: json)');
  for (const key of ['encoding', 'compression', 'group_by']) {
    if (r.has(key)) throw r.error(`"${key}" is not supported by otel-sieve's file exporter (it writes uncompressed OTLP/JSON lines to one path); remove it`, r.keyPosition(key), `${c.path}.${key}`);
  }
  // flush_interval: every batch is written when it arrives, which is at least as often as asked.
  return plain(r, ['flush_interval']) as unknown as FileExporterConfig;
}

function build<T>(c: ComponentConfig, o: ExporterFactoryOptions, make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw asConfigError(err, c, o.source);
  }
}

/** The exporter for a traces pipeline; throws ConfigError naming the key for what it cannot honour. */
export function createTracesExporter(c: ComponentConfig, o: ExporterFactoryOptions = {}): TracesExporter {
  const common = { id: c.id.id, onFailure: o.onFailure, now: o.now };
  switch (c.id.type) {
    case 'otlphttp': {
      const config = otlpHttpConfig(c, 'traces', o);
      return build(c, o, () => new OtlpHttpExporter(config, { ...common, fetch: o.fetch }));
    }
    case 'debug': {
      const config = debugConfig(c, o);
      return build(c, o, () => new DebugExporter(config, { id: c.id.id, write: o.write, now: o.now }));
    }
    case 'file': {
      const config = fileConfig(c, o);
      if (!o.fileExporter) throw new ConfigError(c.path, 'the file exporter needs a file system: pass { fileExporter: FileExporter } from \'otel-sieve/file-exporter\' (Node, Deno)', c.node.position, o.source);
      const File = o.fileExporter;
      return build(c, o, () => new File(config, common));
    }
    case 'otlp':
      throw new ConfigError(c.path, 'the otlp (gRPC) exporter is not supported: otel-sieve sends OTLP/HTTP; use an otlphttp exporter (endpoint http(s)://host:4318)', c.node.position, o.source);
    default:
      throw new ConfigError(c.path, `exporter type "${c.id.type}" cannot be used in a traces pipeline (supported: otlphttp, debug, file)`, c.node.position, o.source);
  }
}

/**
 * The exporter for a logs pipeline, or for the metrics a metrics pipeline receives over OTLP: it
 * takes the batches the pipeline's processors release. `otlphttp` sends them to `logs_endpoint` /
 * `metrics_endpoint` (or `endpoint` + /v1/logs, /v1/metrics); `debug` prints them. Throws a
 * ConfigError naming the exporter for any other type.
 */
export function createSignalExporter(c: ComponentConfig, signal: 'logs' | 'metrics', o: ExporterFactoryOptions = {}): SignalExporter {
  switch (c.id.type) {
    case 'otlphttp': {
      const config = otlpHttpConfig(c, signal, o);
      return build(c, o, () => new OtlpHttpExporter(config, { id: c.id.id, onFailure: o.onFailure, now: o.now, fetch: o.fetch }));
    }
    case 'debug': {
      const config = debugConfig(c, o);
      return build(c, o, () => new DebugExporter(config, { id: c.id.id, write: o.write, now: o.now, signals: [signal] }));
    }
    case 'otlp':
      throw new ConfigError(c.path, 'the otlp (gRPC) exporter is not supported: otel-sieve sends OTLP/HTTP; use an otlphttp exporter (endpoint http(s)://host:4318)', c.node.position, o.source);
    default: {
      const what = signal === 'logs' ? 'a logs pipeline' : 'a metrics pipeline that receives OTLP metrics';
      throw new ConfigError(c.path, `exporter type "${c.id.type}" cannot be used in ${what} (supported: otlphttp, debug)`, c.node.position, o.source);
    }
  }
}

function prometheusExporter(c: ComponentConfig, o: ExporterFactoryOptions): PrometheusPullExporter {
  const r = new ConfigReader(c.node, c.path, o.source);
  if (r.has('tls')) refuse(r, 'tls', 'the scrape endpoint is plain HTTP');
  if (r.has('const_labels')) throw r.error('"const_labels" is not supported yet; add the labels as resource attributes with resource_to_telemetry_conversion', r.keyPosition('const_labels'), `${c.path}.const_labels`);
  if (r.has('translation_strategy')) throw r.error('"translation_strategy" is not supported: names are translated as with add_metric_suffixes (UnderscoreEscapingWithSuffixes, or WithoutSuffixes when it is false)', r.keyPosition('translation_strategy'), `${c.path}.translation_strategy`);
  const endpoint = r.optionalString('endpoint');
  const namespace = r.optionalString('namespace') ?? '';
  const timestamps = r.bool('send_timestamps', false);
  const addMetricSuffixes = r.bool('add_metric_suffixes', true);
  const openMetrics = r.bool('enable_open_metrics', false);
  if (r.has('metric_expiration')) {
    r.duration('metric_expiration', 0n);
    (o.onWarning ?? console.warn)(`${c.path}.metric_expiration: accepted and has no effect (series expire in the connectors: metrics_expiration, dimensions)`);
  }
  const conversion = r.child('resource_to_telemetry_conversion');
  const resourceToTelemetry = conversion.bool('enabled', false);
  conversion.done();
  r.done();
  return { id: c.id.id, endpoint: endpoint === '' ? undefined : endpoint, exposition: { namespace, timestamps, addMetricSuffixes, resourceToTelemetry }, openMetrics };
}

/**
 * The exporter for a metrics pipeline that receives from connectors: `source` is what the
 * pipeline collected last (a MetricsSnapshot), so every exporter of the pipeline sees one collection.
 */
export function createMetricsExporter(c: ComponentConfig, source: MetricsCollector, o: ExporterFactoryOptions = {}): MetricsExporter {
  switch (c.id.type) {
    case 'otlphttp': {
      const config = otlpHttpConfig(c, 'metrics', o);
      const exporter = build(c, o, () => new OtlpHttpMetricsExporter(pipelineMetricsSource(source), config, { id: c.id.id, onFailure: o.onFailure, now: o.now, fetch: o.fetch }));
      return { kind: 'push', exporter };
    }
    case 'debug': {
      const config = debugConfig(c, o);
      return { kind: 'push', exporter: build(c, o, () => new DebugMetricsExporter(source, config, { id: c.id.id, write: o.write, now: o.now })) };
    }
    case 'prometheus':
      return { kind: 'pull', exporter: prometheusExporter(c, o) };
    case 'otlp':
      throw new ConfigError(c.path, 'the otlp (gRPC) exporter is not supported: otel-sieve sends OTLP/HTTP; use an otlphttp exporter', c.node.position, o.source);
    default:
      throw new ConfigError(c.path, `exporter type "${c.id.type}" cannot be used in a metrics pipeline (supported: otlphttp, debug, prometheus)`, c.node.position, o.source);
  }
}

/**
 * One exporter per id used by the config's traces pipelines (what `createOtlpHandler(pipeline,
 * { exporters })` needs when every traces pipeline exports to the same places), in config order.
 */
export function createTracesExporters(config: CollectorConfig, o: ExporterFactoryOptions = {}): Map<string, TracesExporter> {
  const out = new Map<string, TracesExporter>();
  for (const p of config.pipelines) {
    if (p.signal !== 'traces') continue;
    for (const id of p.exporters) {
      const c = config.exporters.get(id);
      if (c && !out.has(id)) out.set(id, createTracesExporter(c, o));
    }
  }
  return out;
}
