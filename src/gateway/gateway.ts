// `otel-sieve serve`: one port for OTLP/HTTP in (/v1/traces, /v1/logs, /v1/metrics for the signals
// the config's pipelines take from the otlp receiver), those pipelines and their exporters, the
// connector-fed metrics pipelines (Prometheus on /metrics), the trace store behind Tempo's query
// API, a page at `/`, the gateway's own telemetry and a health endpoint. Under load it refuses (503 + Retry-After)
// rather than queueing without bound: requests in flight are capped before their body is read,
// exporters' queues are bounded and make the receiver refuse when full, the memory_limiter and
// the core's memory budget refuse data they cannot hold. Shutdown stops accepting, lets requests
// in flight finish, drains every processor buffer into the exporters, flushes and closes them.
import { randomUUID } from 'node:crypto';
import { cpuUsage, memoryUsage } from 'node:process';
import { init, isInitialized, memoryStats } from '../core/init.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { createOtlpHandler } from '../handler/otlp-handler.js';
import type { OtlpHandler, OtlpHandlerStats } from '../handler/otlp-handler.js';
import type { ExporterFactoryOptions } from '../exporters/exporter-factory.js';
import type { Signal } from '../config/collector-config.js';
import { FileExporter } from '../exporters/file/file-exporter.js';
import { createPrometheusHandler } from '../exporters/metrics/prometheus-handler.js';
import { pipelineMetricsSource } from '../exporters/metrics/pipeline-metrics-source.js';
import { mergeMetricsData } from '../metrics/metrics-data.js';
import { renderPrometheusText } from '../metrics/prometheus-text.js';
import { renderOpenMetricsText } from '../metrics/openmetrics-text.js';
import { encodingOf, contentTypeOf } from '../otlp-http/otlp-encoding.js';
import { encodeRpcStatus, GRPC_UNAVAILABLE } from '../otlp-http/rpc-status.js';
import { parseListenAddress, readGatewaySettings } from './gateway-config.js';
import { ConfigError } from '../config/config-error.js';
import type { GatewaySettings, ListenAddress } from './gateway-config.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { RoutedPipeline, FanOutExporter } from './routed-pipeline.js';
import { buildPipelineExporters } from './pipeline-exporters.js';
import type { ExporterInstance } from './pipeline-exporters.js';
import { StoreLookup, STORE_LOOKUP_NAME, checkStoreLookupUse } from './store-lookup.js';
import { MetricsLoop } from './metrics-loop.js';
import { TraceStore } from './trace-store/trace-store.js';
import { createTempoApi } from './tempo/tempo-api.js';
import { gatewayTelemetry, processorDropped } from './self-telemetry.js';
import type { ExporterTelemetry, ProcessorTelemetry } from './self-telemetry.js';
import { buildOverview } from './overview.js';
import type { OverviewSignal } from './overview.js';
import { loadStaticPage } from './static-page.js';
import { startNodeServer } from './node-server.js';
import type { NodeServer } from './node-server.js';

export const GATEWAY_VERSION = '0.1.0';

export interface GatewayOptions {
  /** The collector config: YAML text or an object. */
  config: string | object;
  /** Its name (a file name) for error messages. */
  source?: string;
  /** Overrides the receiver's endpoint (the --listen flag). */
  listen?: ListenAddress;
  /** Where log lines go. Default stderr. */
  logWrite?: (line: string) => void;
  /** Where debug exporters write. Default console.log. */
  debugWrite?: (text: string) => void;
}

/** What the progress line shows: counts since start. */
export interface GatewaySummary {
  /** Spans acknowledged by the receiver. */
  received: number;
  /** Spans the traces pipelines handed to exporters. */
  kept: number;
  /** Spans processors did not pass on (not sampled, filtered). */
  dropped: number;
  /** Spans of requests refused under pressure. */
  refused: number;
  /** Data points in the latest metrics collection. */
  series: number;
  /** Spans in the trace store. */
  stored: number;
}

const TICK_MS = 1000;

/** The handler's counters of each signal. */
const HANDLER_STATS: Readonly<Record<Signal, { accepted: keyof OtlpHandlerStats; refused: keyof OtlpHandlerStats; rejected: keyof OtlpHandlerStats; exported: keyof OtlpHandlerStats }>> = {
  traces: { accepted: 'spansAccepted', refused: 'spansRefused', rejected: 'spansRejected', exported: 'spansExported' },
  logs: { accepted: 'logRecordsAccepted', refused: 'logRecordsRefused', rejected: 'logRecordsRejected', exported: 'logRecordsExported' },
  metrics: { accepted: 'dataPointsAccepted', refused: 'dataPointsRefused', rejected: 'dataPointsRejected', exported: 'dataPointsExported' },
};

export class Gateway {
  private readonly startedAt = Date.now();
  private readonly instanceId = randomUUID();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly responses: Record<number, number> = {};
  private inFlight = 0;
  private bytesInFlight = 0;
  private closing = false;
  private server!: NodeServer;
  private metricsServers: NodeServer[] = [];
  private shutdownResult: Promise<boolean> | undefined;
  /** The counters as they were when shutdown finished draining (processors are gone after). */
  private finalSummary: GatewaySummary | undefined;

  private constructor(
    private readonly source: string | undefined,
    readonly settings: GatewaySettings,
    readonly log: Logger,
    readonly pipeline: Pipeline,
    private readonly handler: OtlpHandler,
    /** Exporters of the receiver-fed pipelines, one per signal and id. */
    private readonly exporters: readonly ExporterInstance[],
    readonly store: TraceStore | undefined,
    private readonly metrics: MetricsLoop,
  ) {}

  /** Reads the config, builds everything, listens; resolves when the port is open. */
  static async start(options: GatewayOptions): Promise<Gateway> {
    // Processors and connectors take core memory when built: the core must exist first (the CLI
    // starts it; an embedder may not have). Its budget is set from the config just below.
    if (!isInitialized()) await init();
    // logs_follow_traces may take decisions from the trace store (decisions: trace_store).
    const storeLookup = new StoreLookup();
    const pipeline = Pipeline.fromConfig(options.config, { source: options.source, traceLookups: { [STORE_LOOKUP_NAME]: storeLookup } });
    const settings = readGatewaySettings(pipeline.config, { listen: options.listen, source: options.source });
    checkStoreLookupUse(pipeline.config, settings.store.enabled, options.source);
    const log = createLogger(settings.logLevel, options.logWrite);
    for (const signal of pipeline.signals) {
      const other = pipeline.signals.find((o) => o !== signal && settings.paths[o] === settings.paths[signal]);
      if (other) throw new ConfigError('receivers.otlp.protocols.http', `${signal} and ${other} would both be served at ${settings.paths[signal]}; give each signal its own *_url_path`, undefined, options.source);
    }
    // The core's budget is the gateway's memory limit; memory_limiter percentages are shares of it.
    await init(undefined, { memoryLimit: settings.limits.coreMemoryLimitBytes });
    for (const w of settings.warnings) log.warn(w);

    // An exporter id listed by pipelines of several signals is read once per signal; say each warning once.
    const warned = new Set<string>();
    const factory: ExporterFactoryOptions = {
      source: options.source,
      fileExporter: FileExporter,
      write: options.debugWrite,
      onWarning: (message) => {
        if (warned.has(message)) return;
        warned.add(message);
        log.warn(message);
      },
      onFailure: (f) => (f.kind === 'warning' ? log.warn(f.error.message, { exporter: f.exporter }) : log.error(`export ${f.kind}`, { exporter: f.exporter, items: f.items, error: f.error })),
    };
    const store = settings.store.enabled ? new TraceStore(settings.store) : undefined;
    if (store) storeLookup.attach(store);
    const exporters = buildPipelineExporters(pipeline, factory, store);
    for (const w of exporters.warnings) log.warn(w);
    const metrics = new MetricsLoop(pipeline, factory);
    for (const w of metrics.warnings) log.warn(w);

    // One handler for every signal a receiver feeds; each signal's fan-out exporter hands a batch to
    // the exporters of the pipeline that released it.
    const routed = new RoutedPipeline(pipeline);
    const handler = createOtlpHandler(routed.served(), {
      path: settings.paths.traces,
      logsPath: settings.paths.logs,
      metricsPath: settings.paths.metrics,
      maxRequestBodySize: settings.maxRequestBodySize,
      exporters: pipeline.signals.map((signal) => new FanOutExporter(signal, routed, exporters.byPipeline[signal])),
      cors: settings.cors,
      onError: (error) => log.error('OTLP request failed', { error }),
    });
    const gateway = new Gateway(options.source, settings, log, pipeline, handler, exporters.instances, store, metrics);
    await gateway.listen();
    return gateway;
  }

  /** The base URL (`http://127.0.0.1:4318`). */
  get url(): string {
    return this.server.url;
  }

  private background(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => this.log.error('background work failed', { error: err })).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async listen(): Promise<void> {
    const s = this.settings;
    const tempo = this.store ? createTempoApi(this.store) : undefined;
    const page = await loadStaticPage();
    // Pull exporters without an endpoint (or with this very one) serve /metrics on this port.
    const pulls = this.metrics.pipelines.flatMap((p) => p.pull.map((exporter) => ({ exporter, snapshot: p.snapshot })));
    const endpointOf = (p: (typeof pulls)[number]): ListenAddress | undefined => {
      if (p.exporter.endpoint === undefined) return undefined;
      const parsed = parseListenAddress(p.exporter.endpoint);
      if (typeof parsed === 'string') throw new ConfigError(`exporters.${p.exporter.id}.endpoint`, parsed, undefined, this.source);
      return parsed;
    };
    // Port 0 means "any free port": never the same listener as this one.
    const samePort = (p: (typeof pulls)[number]) => {
      const at = endpointOf(p);
      return at === undefined || (at.port !== 0 && at.port === s.listen.port && at.host === s.listen.host);
    };
    const here = pulls.filter(samePort);
    const context = { waitUntil: (p: Promise<unknown>) => this.background(p) };

    // One admission in front of the OTLP handler, at the path of every signal a pipeline takes from
    // the receiver; the path of a signal no pipeline takes is not found (404), as in the collector.
    const signals = new Map<string, OtlpHandler>(this.pipeline.signals.map((signal) => [s.paths[signal], this.handler]));
    const otlp = async (request: Request, handler: OtlpHandler): Promise<Response> => {
      const encoding = encodingOf(request.headers.get('content-type')) ?? 'protobuf';
      const refuse = (why: string) => new Response(encodeRpcStatus(GRPC_UNAVAILABLE, why, encoding) as BodyInit, { status: 503, headers: { 'content-type': contentTypeOf(encoding), 'retry-after': '1' } });
      // What the body may take in memory while it is read: its declared length, else the cap.
      const length = request.headers.get('content-length');
      const declared = length === null || !/^\d+$/.test(length.trim()) ? undefined : Number(length);
      const reserve = declared === undefined ? s.maxRequestBodySize : Math.min(declared, s.maxRequestBodySize);
      let response: Response;
      if (this.closing) response = refuse('the gateway is shutting down');
      else if (this.inFlight >= s.limits.maxConcurrentRequests) response = refuse(`too many requests in flight (max_concurrent_requests ${s.limits.maxConcurrentRequests})`);
      else if (this.bytesInFlight > 0 && this.bytesInFlight + reserve > s.limits.maxBytesInFlight) response = refuse(`too many request bytes in flight (max_bytes_in_flight_mib ${s.limits.maxBytesInFlight / 2 ** 20})`);
      else {
        this.inFlight++;
        this.bytesInFlight += reserve;
        try {
          response = await handler(request, context);
        } finally {
          this.inFlight--;
          this.bytesInFlight -= reserve;
        }
      }
      this.responses[response.status] = (this.responses[response.status] ?? 0) + 1;
      return response;
    };

    const metricsText = (format: 'prometheus' | 'openmetrics'): string => {
      const own = this.telemetry();
      // Self telemetry without target_info (the derived metrics bring their own), so the two texts
      // join without a repeated family; OpenMetrics ends with one `# EOF`.
      const render = format === 'openmetrics' ? renderOpenMetricsText : renderPrometheusText;
      let text = render(own, { targetInfo: false });
      if (format === 'openmetrics') text = text.replace(/# EOF\n$/, '');
      const derived = here.length ? mergeMetricsData(...here.map((p) => p.snapshot.metrics(Date.now()))) : undefined;
      const exposition = here[0]?.exporter.exposition ?? {};
      if (derived) text += render(derived, exposition);
      else if (format === 'openmetrics') text += '# EOF\n';
      return text;
    };
    const metricsHandler = createPrometheusHandler({ render: metricsText }, { openMetrics: true, onError: (error) => this.log.error('/metrics failed', { error }) });

    const route = async (request: Request): Promise<Response> => {
      const url = new URL(request.url);
      const path = url.pathname;
      const signal = signals.get(path);
      if (signal) return otlp(request, signal);
      if (path === '/metrics') return metricsHandler(request);
      if (path === '/health' || path === '/healthz') {
        return new Response(JSON.stringify({ status: this.closing ? 'shutting down' : 'ok', uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) }), {
          status: this.closing ? 503 : 200,
          headers: { 'content-type': 'application/json' },
        });
      }
      if (path === '/api/sieve/overview') {
        const overview = buildOverview(this.metrics.latestData(), this.latestMetricsTime(), { ...this.summary() }, Date.now(), this.receiverCounts());
        return new Response(JSON.stringify(overview), { headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' } });
      }
      if (tempo) {
        const answered = await tempo(request, url);
        if (answered) return answered;
      } else if (path.startsWith('/api/') || path === '/ready') {
        if (path === '/api/echo' || path === '/ready') return new Response(path === '/ready' ? 'ready' : 'echo');
        return new Response('the trace store is disabled (extensions.trace_store.enabled: false)', { status: 404 });
      }
      const file = page(request, url);
      if (file) return file;
      return new Response('404 page not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    };

    this.server = await startNodeServer(s.listen, route, (error) => this.log.error('request failed', { error }));
    for (const p of pulls.filter((x) => !samePort(x))) {
      const { host, port } = endpointOf(p)!;
      const source = pipelineMetricsSource(p.snapshot, { exposition: p.exporter.exposition });
      const h = createPrometheusHandler(source, { openMetrics: p.exporter.openMetrics, onError: (error) => this.log.error('/metrics failed', { error, exporter: p.exporter.id }) });
      const server = await startNodeServer({ host, port }, h, (error) => this.log.error('request failed', { error }));
      this.metricsServers.push(server);
      this.log.info('prometheus exporter listening', { exporter: p.exporter.id, url: `${server.url}/metrics` });
    }

    this.timers.push(setInterval(() => this.tick(), TICK_MS));
    this.timers.push(setInterval(() => this.collectMetrics(false), this.metrics.intervalMs));
    for (const t of this.timers) t.unref();
    this.log.info('otel-sieve serve listening', {
      url: this.url,
      otlp: this.pipeline.signals.map((signal) => `${this.url}${s.paths[signal]}`),
      pipelines: this.pipeline.config.pipelines.map((p) => p.id),
      exporters: this.exporters.map((e) => `${e.exporter.id} (${e.signal})`),
      trace_store: this.store ? { max_size_mib: s.store.maxBytes / 2 ** 20, max_age_s: s.store.maxAgeMs / 1000 } : false,
    });
  }

  private latestMetricsTime(): number | undefined {
    return this.metrics.pipelines.reduce<number | undefined>((t, p) => (p.snapshot.updatedAt === undefined ? t : Math.max(t ?? 0, p.snapshot.updatedAt)), undefined);
  }

  /** Timers: tail-sampling decisions and batch timeouts, store sealing and retention. */
  private tick(): void {
    if (this.closing) return;
    this.background(this.handler.tick());
    try {
      this.store?.tick();
    } catch (err) {
      this.log.error('trace store maintenance failed', { error: err });
    }
  }

  private collectMetrics(force: boolean): void {
    try {
      this.metrics.run(Date.now(), force);
    } catch (err) {
      this.log.error('collecting metrics failed', { error: err });
    }
  }

  private processorTelemetry(): ProcessorTelemetry[] {
    const items = this.pipeline.processorItems();
    const procs = this.pipeline.processorsByPipeline();
    return items.map((it, i) => ({ items: it, counters: procs[i]!.processor.counters?.() ?? {} }));
  }

  /** What the receiver did with each signal it serves (the handler's counters), in the order traces, logs, metrics. */
  receiverCounts(): Partial<Record<Signal, OverviewSignal>> {
    const h = this.handler.stats();
    const out: Partial<Record<Signal, OverviewSignal>> = {};
    for (const signal of this.pipeline.signals) {
      const k = HANDLER_STATS[signal];
      out[signal] = { accepted: h[k.accepted] as number, refused: h[k.refused] as number, rejected: h[k.rejected] as number, exported: h[k.exported] as number };
    }
    return out;
  }

  /** The gateway's own metrics (what /metrics shows first). */
  telemetry() {
    const exporters: ExporterTelemetry[] = this.exporters.map(({ signal, exporter: e }) => ({ id: e.id, signal, stats: e.stats(), queueCapacity: e.queueCapacity }));
    for (const p of this.metrics.pipelines) for (const e of p.push) exporters.push({ id: e.id, signal: 'metrics', stats: e.stats() });
    const cpu = cpuUsage();
    const mem = memoryUsage();
    return gatewayTelemetry({
      now: Date.now(),
      startedAt: this.startedAt,
      instanceId: this.instanceId,
      version: GATEWAY_VERSION,
      receiver: { id: 'otlp', signals: this.receiverCounts(), responses: this.responses, inFlight: this.inFlight, maxInFlight: this.settings.limits.maxConcurrentRequests },
      processors: this.processorTelemetry(),
      exporters,
      store: this.store?.storeStats(),
      core: memoryStats(),
      process: { rss: mem.rss, heapUsed: mem.heapUsed, cpuSeconds: (cpu.user + cpu.system) / 1e6 },
    });
  }

  summary(): GatewaySummary {
    if (this.finalSummary) return { ...this.finalSummary };
    const h = this.handler.stats();
    const counters = this.pipeline.counters();
    return {
      received: h.spansAccepted,
      kept: counters.pipeline?.spans_out ?? 0,
      dropped: this.processorTelemetry().filter((p) => p.items.signal === 'traces').reduce((n, p) => n + processorDropped(p)[1], 0),
      refused: h.spansRefused,
      series: this.metrics.series,
      stored: this.store?.storeStats().spans ?? 0,
    };
  }

  /**
   * Stops accepting, lets requests in flight finish, flushes every processor buffer into the
   * exporters, pushes the last metrics, flushes and closes the exporters. Resolves true when all
   * of it finished within shutdown_timeout. Calling it again returns the same promise.
   */
  shutdown(reason = 'shutdown'): Promise<boolean> {
    this.shutdownResult ??= this.doShutdown(reason);
    return this.shutdownResult;
  }

  private async doShutdown(reason: string): Promise<boolean> {
    const timeout = this.settings.limits.shutdownTimeoutMs;
    const deadline = Date.now() + timeout;
    this.log.info('shutting down', { reason });
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    const drained = await this.server.close(timeout);
    for (const m of this.metricsServers) await m.close(Math.max(0, deadline - Date.now()));
    const steps = (async () => {
      while (this.pending.size) await Promise.all([...this.pending]);
      await this.handler.flush();
      this.collectMetrics(true);
      await this.metrics.shutdown();
      await Promise.all(this.exporters.map((e) => e.exporter.shutdown()));
      return true;
    })();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([steps, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))))]);
    clearTimeout(timer);
    const summary = this.summary();
    this.finalSummary = summary;
    await this.store?.shutdown();
    this.pipeline.shutdown();
    const ok = drained && finished;
    const signals = this.receiverCounts();
    if (ok) this.log.info('stopped', { ...summary, signals });
    else this.log.error('shutdown did not finish within shutdown_timeout', { timeout_ms: timeout, requests_drained: drained, ...summary, signals });
    return ok;
  }
}
