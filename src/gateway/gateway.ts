// `otel-sieve serve`: one port for OTLP/HTTP in, the config's pipelines and exporters, the metrics
// pipelines (Prometheus on /metrics), the trace store behind Tempo's query API, a page at `/`,
// the gateway's own telemetry and a health endpoint. Under load it refuses (503 + Retry-After)
// rather than queueing without bound: requests in flight are capped before their body is read,
// exporters' queues are bounded and make the receiver refuse when full, the memory_limiter and
// the core's memory budget refuse data they cannot hold. Shutdown stops accepting, lets requests
// in flight finish, drains every processor buffer into the exporters, flushes and closes them.
import { randomUUID } from 'node:crypto';
import { cpuUsage, memoryUsage } from 'node:process';
import { init, memoryStats } from '../core/init.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { createOtlpHandler } from '../handler/otlp-handler.js';
import type { OtlpHandler } from '../handler/otlp-handler.js';
import { createTracesExporter } from '../exporters/exporter-factory.js';
import type { ExporterFactoryOptions } from '../exporters/exporter-factory.js';
import type { TracesExporter } from '../exporters/traces-exporter.js';
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
import { MetricsLoop } from './metrics-loop.js';
import { TraceStore } from './trace-store/trace-store.js';
import { createTempoApi } from './tempo/tempo-api.js';
import { gatewayTelemetry, processorDropped } from './self-telemetry.js';
import type { ExporterTelemetry, ProcessorTelemetry } from './self-telemetry.js';
import { buildOverview } from './overview.js';
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
    private readonly exporters: ReadonlyMap<string, TracesExporter>,
    readonly store: TraceStore | undefined,
    private readonly metrics: MetricsLoop,
  ) {}

  /** Reads the config, builds everything, listens; resolves when the port is open. */
  static async start(options: GatewayOptions): Promise<Gateway> {
    const pipeline = Pipeline.fromConfig(options.config, { source: options.source });
    const settings = readGatewaySettings(pipeline.config, { listen: options.listen, source: options.source });
    const log = createLogger(settings.logLevel, options.logWrite);
    // The core's budget is the gateway's memory limit; memory_limiter percentages are shares of it.
    await init(undefined, { memoryLimit: settings.limits.coreMemoryLimitBytes });
    for (const w of settings.warnings) log.warn(w);

    const factory: ExporterFactoryOptions = {
      source: options.source,
      fileExporter: FileExporter,
      write: options.debugWrite,
      onWarning: (message) => log.warn(message),
      onFailure: (f) => (f.kind === 'warning' ? log.warn(f.error.message, { exporter: f.exporter }) : log.error(`export ${f.kind}`, { exporter: f.exporter, items: f.items, error: f.error })),
    };
    // One instance per exporter id, shared by the pipelines that list it (as in the collector).
    const exporters = new Map<string, TracesExporter>();
    const store = settings.store.enabled ? new TraceStore(settings.store) : undefined;
    const byPipeline = new Map<string, TracesExporter[]>();
    for (const p of pipeline.config.pipelines) {
      if (p.signal !== 'traces') continue;
      const list: TracesExporter[] = [];
      for (const id of p.exporters) {
        const c = pipeline.config.exporters.get(id);
        if (!c) continue; // a connector
        let e = exporters.get(id);
        if (!e) exporters.set(id, (e = createTracesExporter(c, factory)));
        list.push(e);
      }
      // The store keeps the output of every traces pipeline that exports somewhere.
      if (store && list.length) list.push(store);
      byPipeline.set(p.id, list);
    }
    const metrics = new MetricsLoop(pipeline, factory);
    for (const id of metrics.skipped) log.warn(`service.pipelines.${id}: receiving OTLP metrics is not supported by this build; only its connector receivers are run`);

    const routed = new RoutedPipeline(pipeline);
    const handler = createOtlpHandler(routed, {
      path: null,
      maxRequestBodySize: settings.maxRequestBodySize,
      exporters: [new FanOutExporter(routed, byPipeline)],
      cors: settings.cors,
      onError: (error) => log.error('OTLP request failed', { error }),
    });
    const gateway = new Gateway(options.source, settings, log, pipeline, handler, exporters, store, metrics);
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

    // One admission in front of every OTLP signal's handler. Only traces are served by this build;
    // the logs and metrics handlers join this map (at paths.logs / paths.metrics) when they exist.
    const signals = new Map<string, OtlpHandler>([[s.paths.traces, this.handler]]);
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
        return new Response(JSON.stringify(buildOverview(this.metrics.latestData(), this.latestMetricsTime(), { ...this.summary() }, Date.now())), { headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' } });
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
      otlp: `${this.url}${s.paths.traces}`,
      pipelines: this.pipeline.config.pipelines.map((p) => p.id),
      exporters: [...this.exporters.keys()],
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

  /** The gateway's own metrics (what /metrics shows first). */
  telemetry() {
    const h = this.handler.stats();
    const exporters: ExporterTelemetry[] = [...this.exporters.values()].map((e) => ({ id: e.id, signal: 'traces', stats: e.stats(), queueCapacity: e.queueCapacity }));
    for (const p of this.metrics.pipelines) for (const e of p.push) exporters.push({ id: e.id, signal: 'metrics', stats: e.stats() });
    const cpu = cpuUsage();
    const mem = memoryUsage();
    return gatewayTelemetry({
      now: Date.now(),
      startedAt: this.startedAt,
      instanceId: this.instanceId,
      version: GATEWAY_VERSION,
      receiver: { id: 'otlp', accepted: h.spansAccepted, refused: h.spansRefused, rejected: h.spansRejected, responses: this.responses, inFlight: this.inFlight, maxInFlight: this.settings.limits.maxConcurrentRequests },
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
      dropped: this.processorTelemetry().reduce((n, p) => n + processorDropped(p)[1], 0),
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
      await Promise.all([...this.exporters.values()].map((e) => e.shutdown()));
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
    if (ok) this.log.info('stopped', { ...summary });
    else this.log.error('shutdown did not finish within shutdown_timeout', { timeout_ms: timeout, requests_drained: drained, ...summary });
    return ok;
  }
}
