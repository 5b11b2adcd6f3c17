// The servicegraph connector: request counts and client/server latency per edge between services,
// from CLIENT/SERVER and PRODUCER/CONSUMER span pairs matched across batches in the core's edge store.
import * as M from '../../../assembly/abi/derived-metrics-layout.js';
import * as ERR from '../../../assembly/abi/errors.js';
import type { Core } from '../../core/core.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { TracesToMetricsConnector, ComponentContext, Millis } from '../../pipeline/types.js';
import type { KeyValue } from '../../otlp/trace-views.js';
import { AGGREGATION_TEMPORALITY_CUMULATIVE, millisToNanos } from '../../metrics/metrics-data.js';
import type { MetricsData, Metric, NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint } from '../../metrics/metrics-data.js';
import { CanonicalReader, valueAsString } from '../../metrics/canonical-values.js';
import type { CanonicalValue } from '../../metrics/canonical-values.js';
import { ConfigBlock } from '../core-config-block.js';
import { CoreMemoryError } from '../core-memory-error.js';
import { CoreState } from '../core-state.js';
import { liveRecords, readExplicit, readExponential, u64 } from '../core-tables.js';
import { parseServiceGraphConfig, SERVICEGRAPH_STALE_SERIES_MS } from './servicegraph-config.js';
import type { ServiceGraphConfig } from './servicegraph-config.js';

const CONNECTION_TYPES = ['', 'messaging_system', 'database', 'virtual_node'];
const VIRTUAL_NODE_LABELS = ['', 'client', 'server'];
const SERVICE_GRAPH_LABELS = ['client', 'server', 'connection_type', 'virtual_node'];

export interface ServiceGraphStats {
  /** Edges created (stored, or completed at once for database calls). */
  readonly totalEdges: number;
  /** Edges that expired before their other side arrived. */
  readonly expiredEdges: number;
  /** Spans refused because store.max_items edges were waiting. */
  readonly droppedSpans: number;
  /** Spans or requests dropped because the core's memory budget was exhausted. */
  readonly droppedMemory: number;
  /** Edges waiting for their other side now. */
  readonly pendingEdges: number;
  readonly series: number;
  readonly resets: number;
}

function writeConfig(core: Core, cfg: ServiceGraphConfig, path: string): number {
  const b = new ConfigBlock();
  const head = b.reserve(M.SGC_SIZE);
  const tempo = cfg.profile === 'tempo';
  b.u32(
    head + M.SGC_FLAGS,
    (tempo ? M.SGF_TEMPO : M.SGF_FAILED_LABEL) | (cfg.virtualNodeExtraLabel ? M.SGF_VIRTUAL_NODE_LABEL : 0) | (cfg.enableClientServerPrefix ? M.SGF_PREFIX_DIMS : 0),
  );
  b.f64(head + M.SGC_TTL, cfg.store.ttlMs);
  b.u32(head + M.SGC_MAX_ITEMS, cfg.store.maxItems);
  b.ptr(head + M.SGC_DIMS, b.keyList(cfg.dimensions));
  b.ptr(head + M.SGC_PEERS, b.keyList(cfg.virtualNodePeerAttributes));
  b.ptr(head + M.SGC_DB_NAMES, b.keyList(cfg.databaseNameAttributes));
  b.u32(head + M.SGC_BOUND_COUNT, cfg.latencyHistogramBuckets.length);
  b.ptr(head + M.SGC_BOUNDS, b.doubles(cfg.latencyHistogramBuckets));
  b.u32(head + M.SGC_EXPO_MAX_SIZE, cfg.exponentialHistogramMaxSize);
  return b.commit(core, `${path}: configuration`);
}

interface MetricNames {
  total: string;
  failed: string;
  server: string;
  client: string;
}

const NAMES: MetricNames = { total: 'traces_service_graph_request_total', failed: 'traces_service_graph_request_failed_total', server: 'traces_service_graph_request_server', client: 'traces_service_graph_request_client' };
const TEMPO_NAMES: MetricNames = { ...NAMES, server: 'traces_service_graph_request_server_seconds', client: 'traces_service_graph_request_client_seconds' };

function str(v: CanonicalValue): string {
  return v.kind === 'value' ? valueAsString(v.value) : '';
}

export class ServiceGraphConnector implements TracesToMetricsConnector {
  readonly id: string;
  readonly config: ServiceGraphConfig;
  private readonly path: string;
  private readonly state: CoreState;
  private lastExpire: Millis | undefined;
  private lastClean: Millis | undefined;
  private lastCollect: Millis | undefined;
  private readonly dimensionLabels: { client: string; server: string; single: string }[];

  constructor(config: ServiceGraphConfig, ctx: ComponentContext) {
    this.id = ctx.id;
    this.path = ctx.path;
    this.config = config;
    const tempo = config.profile === 'tempo';
    this.dimensionLabels = config.dimensions.map((d) => {
      // Tempo's labels are Prometheus label names: sanitised, and kept off its own label names.
      const name = tempo ? d.replace(/[^a-zA-Z0-9_]/g, '_') : d;
      return { client: `client_${name}`, server: `server_${name}`, single: SERVICE_GRAPH_LABELS.includes(name) ? `__${name}` : name };
    });
    this.state = new CoreState(
      `the ${ctx.id} connector`,
      (core) => {
        const block = writeConfig(core, config, ctx.path);
        const ptr = core.call('sgCreate', (ex) => ex.sgCreate(block) >>> 0);
        if (!ptr) {
          const err = core.readError();
          core.free(block);
          if (err.code === ERR.ERR_OUT_OF_MEMORY) throw new CoreMemoryError(`${ctx.path}: state`, Number(err.detail));
          // Configurations are validated before they reach the core: this is a facade/core mismatch.
          throw new Error(`${ctx.path}: the core refused the connector configuration (error ${err.code}, detail ${err.detail})`);
        }
        return ptr;
      },
      (core, ptr) => core.exports.sgFree(ptr),
    );
  }

  get flushIntervalMs(): number {
    return this.config.metricsFlushIntervalMs;
  }

  /** Whether a collection is due: after every batch when metrics_flush_interval is 0. */
  isFlushDue(now: Millis): boolean {
    return this.lastCollect === undefined || now - this.lastCollect >= this.config.metricsFlushIntervalMs;
  }

  /**
   * Pairs the batch's spans. Timers (expiry, stale series) due at `now` run first, so a caller that
   * only ever consumes still gets virtual nodes and bounded memory.
   */
  consume(batch: TraceBatch, now: Millis): void {
    this.tick(now);
    const header = batch.headerPtr;
    const state = this.state.ptr;
    const core = this.state.core;
    const status = core.call('sgConsume', (ex) => ex.sgConsume(state, header, now));
    if (status !== 0) throw new CoreMemoryError(`${this.path}: batch`, Number(core.readError().detail));
  }

  /** store_expiration_loop: expires edges past store.ttl; cache_loop: drops series idle for 15 minutes. */
  tick(now: Millis): void {
    if (this.lastExpire === undefined) this.lastExpire = now;
    if (this.lastClean === undefined) this.lastClean = now;
    if (now - this.lastExpire >= this.config.storeExpirationLoopMs) {
      this.expire(now, false);
      this.lastExpire = now;
    }
    if (now - this.lastClean >= this.config.cacheLoopMs) {
      const state = this.state.ptr;
      this.state.core.call('sgCleanSeries', (ex) => ex.sgCleanSeries(state, now, SERVICEGRAPH_STALE_SERIES_MS));
      this.lastClean = now;
    }
  }

  /** Expires every waiting edge now, whatever its TTL (end of input: unpaired edges become virtual nodes). */
  expireAll(now: Millis): void {
    this.expire(now, true);
  }

  private expire(now: Millis, all: boolean): void {
    const state = this.state.ptr;
    const core = this.state.core;
    const status = core.call('sgExpire', (ex) => ex.sgExpire(state, now, all ? 1 : 0));
    if (status !== 0) throw new CoreMemoryError(`${this.path}: expiry`, Number(core.readError().detail));
  }

  collect(now: Millis): MetricsData {
    const state = this.state.ptr;
    const data = this.read(this.state.core, state, now);
    this.lastCollect = now;
    return data;
  }

  private read(core: Core, state: number, now: Millis): MetricsData {
    const cfg = this.config;
    const tempo = cfg.profile === 'tempo';
    const names = tempo ? TEMPO_NAMES : NAMES;
    const timeNs = millisToNanos(now - cfg.metricsTimestampOffsetMs);
    const dv0 = core.dv;
    const seriesTable = dv0.getUint32(state + M.SGS_SERIES, true);
    const histSize = dv0.getUint32(state + M.SGS_HIST_SIZE, true);
    const expo = cfg.exponentialHistogramMaxSize > 0;
    const total: NumberDataPoint[] = [];
    const failed: NumberDataPoint[] = [];
    const server: (HistogramDataPoint | ExponentialHistogramDataPoint)[] = [];
    const client: (HistogramDataPoint | ExponentialHistogramDataPoint)[] = [];
    for (const rec of liveRecords(core, seriesTable)) {
      const dv = core.dv;
      const attributes = this.attributes(rec.key);
      const startTimeUnixNano = millisToNanos(dv.getFloat64(rec.address + M.GR_START, true));
      const base = { attributes, startTimeUnixNano, timeUnixNano: timeNs, exemplars: [] };
      total.push({ ...base, value: BigInt(u64(dv, rec.address + M.GR_TOTAL)) });
      const f = u64(dv, rec.address + M.GR_FAILED);
      if (f > 0) failed.push({ ...base, value: BigInt(f) });
      const histogram = (at: number): HistogramDataPoint | ExponentialHistogramDataPoint => {
        if (expo) {
          const h = readExponential(core.dv, core.dv.getUint32(at, true));
          return {
            ...base, count: h.count, sum: h.sum, scale: h.scale, zeroCount: h.zeroCount, positive: h.positive, negative: h.negative,
            ...(h.count ? { min: h.min, max: h.max } : {}),
          };
        }
        const h = readExplicit(core.dv, at, cfg.latencyHistogramBuckets.length);
        return {
          ...base, count: h.count, sum: h.sum, bucketCounts: h.bucketCounts, explicitBounds: cfg.latencyHistogramBuckets.slice(),
          ...(h.count ? { min: h.min, max: h.max } : {}),
        };
      };
      client.push(histogram(rec.address + M.GR_HIST));
      server.push(histogram(rec.address + M.GR_HIST + (expo ? 8 : histSize)));
    }

    const metrics: Metric[] = [];
    const sum = (name: string, description: string, points: NumberDataPoint[]): void => {
      if (points.length) metrics.push({ name, description, unit: '', data: { type: 'sum', aggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE, isMonotonic: true, dataPoints: points } });
    };
    const hist = (name: string, description: string, points: (HistogramDataPoint | ExponentialHistogramDataPoint)[]): void => {
      if (!points.length) return;
      metrics.push({
        name, description, unit: 's',
        data: expo
          ? { type: 'exponentialHistogram', aggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE, dataPoints: points as ExponentialHistogramDataPoint[] }
          : { type: 'histogram', aggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE, dataPoints: points as HistogramDataPoint[] },
      });
    };
    sum(names.total, 'Total count of requests between two nodes', total);
    sum(names.failed, 'Total count of failed requests between two nodes', failed);
    hist(names.server, 'Time for a request between two nodes as seen from the server', server);
    hist(names.client, 'Time for a request between two nodes as seen from the client', client);
    if (tempo) {
      const aux = this.auxiliary(core, state, timeNs);
      sum('traces_service_graph_unpaired_spans_total', 'Total count of unpaired spans', aux.unpaired);
      sum('traces_service_graph_dropped_spans_total', 'Total count of dropped spans', aux.dropped);
    }
    if (metrics.length === 0) return { resourceMetrics: [] };
    const scope = tempo ? 'tempo.metrics_generator.service_graphs' : 'traces_service_graph';
    return { resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [{ scope: { name: scope }, metrics }] }] };
  }

  /** The attributes of an edge series from its key (layout in metrics-layout.ts, GR_*). */
  private attributes(key: Uint8Array): KeyValue[] {
    const cfg = this.config;
    const r = new CanonicalReader(key);
    const s = (k: string, v: string): KeyValue => ({ key: k, value: { type: 'string', value: v } });
    const clientName = str(r.next());
    const serverName = str(r.next());
    const conn = r.u8();
    const failed = r.u8();
    const vn = r.u8();
    const out: KeyValue[] = [s('client', clientName), s('server', serverName), s('connection_type', CONNECTION_TYPES[conn] ?? '')];
    if (failed !== 2) out.push({ key: 'failed', value: { type: 'bool', value: failed === 1 } });
    for (const labels of this.dimensionLabels) {
      if (cfg.enableClientServerPrefix) {
        const c = r.next();
        const sv = r.next();
        if (c.kind === 'value') out.push(s(labels.client, str(c)));
        if (sv.kind === 'value') out.push(s(labels.server, str(sv)));
      } else {
        const v = r.next();
        if (v.kind === 'value') out.push(s(labels.single, str(v)));
      }
    }
    if (cfg.virtualNodeExtraLabel) out.push(s('virtual_node', VIRTUAL_NODE_LABELS[vn] ?? ''));
    return out;
  }

  /** Tempo's unpaired/dropped span counters (GX_* records). */
  private auxiliary(core: Core, state: number, timeNs: bigint): { unpaired: NumberDataPoint[]; dropped: NumberDataPoint[] } {
    const unpaired: NumberDataPoint[] = [];
    const dropped: NumberDataPoint[] = [];
    const table = core.dv.getUint32(state + M.SGS_AUX, true);
    for (const rec of liveRecords(core, table)) {
      const dv = core.dv;
      const r = new CanonicalReader(rec.key);
      const kind = r.u8();
      const attributes: KeyValue[] = [
        { key: 'client', value: { type: 'string', value: str(r.next()) } },
        { key: 'server', value: { type: 'string', value: str(r.next()) } },
        { key: 'connection_type', value: { type: 'string', value: CONNECTION_TYPES[r.u8()] ?? '' } },
      ];
      const point: NumberDataPoint = {
        attributes,
        startTimeUnixNano: millisToNanos(dv.getFloat64(rec.address + M.GX_START, true)),
        timeUnixNano: timeNs,
        exemplars: [],
        value: BigInt(u64(dv, rec.address + M.GX_COUNT)),
      };
      (kind === M.GXK_UNPAIRED ? unpaired : dropped).push(point);
    }
    return { unpaired, dropped };
  }

  stats(): ServiceGraphStats {
    const state = this.state.ptr;
    const dv = this.state.core.dv;
    return {
      totalEdges: dv.getUint32(state + M.SGS_TOTAL_EDGES, true),
      expiredEdges: dv.getUint32(state + M.SGS_EXPIRED_EDGES, true),
      droppedSpans: dv.getUint32(state + M.SGS_DROPPED_SPANS, true),
      droppedMemory: dv.getUint32(state + M.SGS_DROPPED_MEMORY, true),
      pendingEdges: dv.getUint32(state + M.SGS_LIVE, true),
      series: dv.getUint32(dv.getUint32(state + M.SGS_SERIES, true) + M.T_LIVE, true),
      resets: this.state.resets,
    };
  }

  shutdown(): void {
    this.state.dispose();
  }
}

/** The factory the pipeline's config layer calls for `connectors.servicegraph[/name]`. */
export function createServiceGraphConnector(config: unknown, ctx: ComponentContext): ServiceGraphConnector {
  return new ServiceGraphConnector(parseServiceGraphConfig(config, ctx.path), ctx);
}
