// The spanmetrics connector: RED metrics from spans (calls, duration, events), aggregated in the
// core one batch at a time; collect() turns the core's series into the OTLP-shaped data model.
import * as M from '../../../assembly/abi/derived-metrics-layout.js';
import * as ERR from '../../../assembly/abi/errors.js';
import type { Core } from '../../core/core.js';
import type { CoreMemory } from '../../core/core-memory.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { TracesToMetricsConnector, ComponentContext, Millis } from '../../pipeline/types.js';
import type { KeyValue } from '../../otlp/trace-views.js';
import {
  AGGREGATION_TEMPORALITY_CUMULATIVE, AGGREGATION_TEMPORALITY_DELTA, millisToNanos,
} from '../../metrics/metrics-data.js';
import type {
  MetricsData, Metric, NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint, ResourceMetrics,
} from '../../metrics/metrics-data.js';
import { CanonicalReader, spanKindName, statusCodeName } from '../../metrics/canonical-values.js';
import { ConfigBlock } from '../core-config-block.js';
import { CoreMemoryError } from '../core-memory-error.js';
import { CoreState } from '../core-state.js';
import { liveRecords, readExplicit, readExponential, readExemplars, u64 } from '../core-tables.js';
import { parseSpanMetricsConfig } from './spanmetrics-config.js';
import type { SpanMetricsConfig } from './spanmetrics-config.js';
import { planSpanMetrics } from './spanmetrics-plan.js';
import type { SpanMetricsPlan, SpanMetricKind, DimensionPlan } from './spanmetrics-plan.js';

const OVERFLOW_ATTRIBUTES: readonly KeyValue[] = Object.freeze([{ key: 'otel.metric.overflow', value: { type: 'bool', value: true } }]);

/** Counters of what the connector could not count, for its own telemetry. */
export interface SpanMetricsStats {
  /** Spans skipped because their resource has no service.name (as the collector does). */
  readonly skippedSpans: number;
  /** Measurements dropped because the core's memory budget was exhausted. */
  readonly droppedMeasurements: number;
  /** Measurements aggregated into an `otel.metric.overflow` series, per aggregation. */
  readonly overflowed: number;
  /** Live series over all aggregations, and live resources. */
  readonly series: number;
  readonly resources: number;
  /** State rebuilds after the core instance was replaced (each one resets every counter). */
  readonly resets: number;
}

/** The connector's configuration block (SMC_*), written into core memory; returns its address. */
export function writeSpanMetricsConfig(core: CoreMemory, cfg: SpanMetricsConfig, plan: SpanMetricsPlan, path: string): number {
  const b = new ConfigBlock();
  const head = b.reserve(M.SMC_SIZE);
  b.u32(head + M.SMC_FLAGS, (plan.resourceFirst ? M.SMF_RESOURCE_FIRST : 0) | (cfg.aggregationTemporality === 'delta' ? M.SMF_DELTA : 0));
  if (plan.resourceKeys) b.ptr(head + M.SMC_RESOURCE_KEYS, b.keyList(plan.resourceKeys));
  if (cfg.includeInstrumentationScope.length) b.ptr(head + M.SMC_SCOPES, b.keyList(cfg.includeInstrumentationScope));
  b.f64(head + M.SMC_UNIT_NANOS, cfg.histogram.unit === 's' ? 1e9 : 1e6);
  b.u32(head + M.SMC_AGG_COUNT, plan.aggregations.length);
  const aggs = b.reserve(M.AGC_SIZE * plan.aggregations.length);
  b.ptr(head + M.SMC_AGGS, aggs);
  plan.aggregations.forEach((agg, a) => {
    const at = aggs + a * M.AGC_SIZE;
    b.u32(at + M.AGC_KIND, agg.kind);
    b.u32(at + M.AGC_DIM_COUNT, agg.dimensions.length);
    const dims = b.reserve(M.DIM_SIZE * Math.max(agg.dimensions.length, 1));
    b.ptr(at + M.AGC_DIMS, dims);
    agg.dimensions.forEach((d, i) => {
      const dim = dims + i * M.DIM_SIZE;
      b.u32(dim + M.DIM_SOURCE, d.source);
      if (d.key !== undefined) {
        const [off, len] = b.utf8(d.key);
        b.ptr(dim + M.DIM_KEY_PTR, off);
        b.u32(dim + M.DIM_KEY_LEN, len);
      }
      if (d.default !== undefined) {
        const [off, len] = b.canonicalString(d.default);
        b.ptr(dim + M.DIM_DEFAULT_PTR, off);
        b.u32(dim + M.DIM_DEFAULT_LEN, len);
      }
    });
    if (agg.kind & M.AK_EXPLICIT) {
      b.u32(at + M.AGC_BOUND_COUNT, cfg.histogram.bounds.length);
      b.ptr(at + M.AGC_BOUNDS, b.doubles(cfg.histogram.bounds));
    }
    b.u32(at + M.AGC_EXPO_MAX_SIZE, cfg.histogram.maxSize);
    b.u32(at + M.AGC_EXEMPLARS, cfg.exemplars.enabled ? cfg.exemplars.maxPerDataPoint : 0);
    b.u32(at + M.AGC_LIMIT, cfg.aggregationCardinalityLimit);
  });
  return b.commit(core, `${path}: configuration`);
}

export class SpanMetricsConnector implements TracesToMetricsConnector {
  readonly id: string;
  readonly config: SpanMetricsConfig;
  private readonly plan: SpanMetricsPlan;
  private readonly path: string;
  private readonly state: CoreState;
  private lastCollect: Millis | undefined;

  constructor(config: SpanMetricsConfig, ctx: ComponentContext) {
    this.id = ctx.id;
    this.path = ctx.path;
    this.config = config;
    this.plan = planSpanMetrics(config);
    this.state = new CoreState(
      `the ${ctx.id} connector`,
      (core) => {
        const block = writeSpanMetricsConfig(core, config, this.plan, ctx.path);
        const ptr = core.call('smCreate', (ex) => ex.smCreate(block) >>> 0);
        if (!ptr) {
          const err = core.readError();
          core.free(block);
          if (err.code === ERR.ERR_OUT_OF_MEMORY) throw new CoreMemoryError(`${ctx.path}: state`, Number(err.detail));
          // Configurations are validated before they reach the core: this is a facade/core mismatch.
          throw new Error(`${ctx.path}: the core refused the connector configuration (error ${err.code}, detail ${err.detail})`);
        }
        return ptr;
      },
      (core, ptr) => core.exports.smFree(ptr),
    );
  }

  /** The flush interval (metrics_flush_interval), for callers that schedule collect(). */
  get flushIntervalMs(): number {
    return this.config.metricsFlushIntervalMs;
  }

  /** Whether metrics_flush_interval has passed since the last collect() (always true before the first). */
  isFlushDue(now: Millis): boolean {
    return this.lastCollect === undefined || now - this.lastCollect >= this.config.metricsFlushIntervalMs;
  }

  consume(batch: TraceBatch, now: Millis): void {
    const header = batch.headerPtr;
    const state = this.state.ptr;
    const core = this.state.core;
    const status = core.call('smConsume', (ex) => ex.smConsume(state, header, now));
    if (status !== 0) throw new CoreMemoryError(`${this.path}: batch`, Number(core.readError().detail));
  }

  /** Nothing runs on timers here: flushes are collect() calls (see isFlushDue). */
  tick(_now: Millis): void {}

  collect(now: Millis): MetricsData {
    const state = this.state.ptr;
    const core = this.state.core;
    const data = this.read(core, state, now);
    const cfg = this.config;
    const status = core.call('smAfterCollect', (ex) =>
      ex.smAfterCollect(state, now, cfg.metricsExpirationMs, cfg.resourceMetricsCacheSize, cfg.metricTimestampCacheSize, cfg.seriesExpirationMs),
    );
    if (status !== 0) throw new CoreMemoryError(`${this.path}: collection`, Number(core.readError().detail));
    this.lastCollect = now;
    return data;
  }

  private read(core: Core, state: number, now: Millis): MetricsData {
    const plan = this.plan;
    const cfg = this.config;
    const dv0 = core.dv;
    const timeNs = millisToNanos(now);
    const temporality = cfg.aggregationTemporality === 'delta' ? AGGREGATION_TEMPORALITY_DELTA : AGGREGATION_TEMPORALITY_CUMULATIVE;
    const resourceTable = dv0.getUint32(state + M.SMS_RESOURCES, true);
    const aggStates = dv0.getUint32(state + M.SMS_AGGS, true);

    // Resources by record index, with per-metric point lists filled below.
    interface Out {
      attributes: KeyValue[];
      points: Map<SpanMetricKind, (NumberDataPoint | HistogramDataPoint | ExponentialHistogramDataPoint)[]>;
    }
    const resources = new Map<number, Out>();
    for (const rec of liveRecords(core, resourceTable)) {
      let attributes: KeyValue[] = [];
      if (plan.keepResourceAttributes) {
        const dv = core.dv;
        const ptr = dv.getUint32(rec.address + M.RS_ATTRS_PTR, true);
        const len = dv.getUint32(rec.address + M.RS_ATTRS_LEN, true);
        const v = new CanonicalReader(core.u8.slice(ptr, ptr + len)).value();
        if (v.type === 'kvlist') attributes = v.value.slice();
      }
      resources.set(rec.index, { attributes, points: new Map() });
    }

    plan.aggregations.forEach((agg, a) => {
      const dv = core.dv;
      const ags = aggStates + a * M.AGS_SIZE;
      const table = dv.getUint32(ags + M.AGS_TABLE, true);
      const hist = dv.getUint32(ags + M.AGS_HIST, true);
      const exemplarsAt = dv.getUint32(ags + M.AGS_EXEMPLARS, true);
      for (const rec of liveRecords(core, table)) {
        const d = core.dv;
        const out = resources.get(new DataView(rec.key.buffer, rec.key.byteOffset).getUint32(M.SK_RESOURCE, true));
        if (!out) continue;
        const attributes = decodeDimensions(rec.key, agg.dimensions);
        const startTimeUnixNano = millisToNanos(d.getFloat64(rec.address + M.SR_START, true));
        const exemplars = exemplarsAt ? readExemplars(core, rec.address + exemplarsAt, timeNs) : [];
        for (const kind of agg.metrics) {
          let point: NumberDataPoint | HistogramDataPoint | ExponentialHistogramDataPoint;
          if (kind === 'duration') {
            if (agg.kind & M.AK_EXPONENTIAL) {
              const h = readExponential(core.dv, core.dv.getUint32(rec.address + hist, true));
              point = {
                attributes, startTimeUnixNano, timeUnixNano: timeNs, exemplars,
                count: h.count, sum: h.sum, scale: h.scale, zeroCount: h.zeroCount, positive: h.positive, negative: h.negative,
                ...(h.count ? { min: h.min, max: h.max } : {}),
              };
            } else {
              const h = readExplicit(core.dv, rec.address + hist, cfg.histogram.bounds.length);
              point = {
                attributes, startTimeUnixNano, timeUnixNano: timeNs, exemplars,
                count: h.count, sum: h.sum, bucketCounts: h.bucketCounts, explicitBounds: cfg.histogram.bounds.slice(),
                ...(h.count ? { min: h.min, max: h.max } : {}),
              };
            }
          } else {
            const at = kind === 'size' ? M.SR_SIZE_SUM : M.SR_COUNT;
            // Tempo's size counter carries no exemplars (it is not a span measurement).
            point = { attributes, startTimeUnixNano, timeUnixNano: timeNs, exemplars: kind === 'size' ? [] : exemplars, value: BigInt(u64(core.dv, rec.address + at)) };
          }
          let list = out.points.get(kind);
          if (!list) out.points.set(kind, (list = []));
          list.push(point);
        }
      }
    });

    const resourceMetrics: ResourceMetrics[] = [];
    for (const out of resources.values()) {
      const metrics: Metric[] = [];
      for (const m of plan.metrics) {
        const points = out.points.get(m.kind);
        if (!points || points.length === 0) continue;
        if (m.kind === 'duration') {
          metrics.push({
            name: m.name, description: m.description, unit: m.unit,
            data: cfg.histogram.type === 'exponential'
              ? { type: 'exponentialHistogram', aggregationTemporality: temporality, dataPoints: points as ExponentialHistogramDataPoint[] }
              : { type: 'histogram', aggregationTemporality: temporality, dataPoints: points as HistogramDataPoint[] },
          });
        } else {
          metrics.push({
            name: m.name, description: m.description, unit: m.unit,
            data: { type: 'sum', aggregationTemporality: temporality, isMonotonic: true, dataPoints: points as NumberDataPoint[] },
          });
        }
      }
      if (metrics.length === 0) continue;
      resourceMetrics.push({ resource: { attributes: out.attributes }, scopeMetrics: [{ scope: { name: plan.scopeName }, metrics }] });
    }
    return { resourceMetrics };
  }

  stats(): SpanMetricsStats {
    const state = this.state.ptr;
    const dv = this.state.core.dv;
    const aggStates = dv.getUint32(state + M.SMS_AGGS, true);
    let overflowed = 0;
    let series = 0;
    for (let a = 0; a < this.plan.aggregations.length; a++) {
      const ags = aggStates + a * M.AGS_SIZE;
      overflowed += dv.getUint32(ags + M.AGS_OVERFLOWED, true);
      series += dv.getUint32(dv.getUint32(ags + M.AGS_TABLE, true) + M.T_LIVE, true);
    }
    return {
      skippedSpans: dv.getUint32(state + M.SMS_SKIPPED, true),
      droppedMeasurements: dv.getUint32(state + M.SMS_DROPPED, true),
      overflowed,
      series,
      resources: dv.getUint32(dv.getUint32(state + M.SMS_RESOURCES, true) + M.T_LIVE, true),
      resets: this.state.resets,
    };
  }

  shutdown(): void {
    this.state.dispose();
  }
}

/** The data point attributes of a series key: the dimensions in order, absent ones left out. */
function decodeDimensions(key: Uint8Array, dims: readonly DimensionPlan[]): KeyValue[] {
  if (key.length === M.SK_DIMS + 1 && key[M.SK_DIMS] === M.VK_OVERFLOW) return OVERFLOW_ATTRIBUTES.slice();
  const r = new CanonicalReader(key, M.SK_DIMS);
  const attributes: KeyValue[] = [];
  for (const dim of dims) {
    const v = r.next();
    if (v.kind === 'absent' || v.kind === 'overflow') continue;
    if (v.kind === 'enum') {
      const name = dim.source === M.DS_SPAN_KIND ? spanKindName(v.code) : statusCodeName(v.code);
      attributes.push({ key: dim.label, value: { type: 'string', value: name } });
    } else {
      attributes.push({ key: dim.label, value: v.value });
    }
  }
  return attributes;
}

/** The factory the pipeline's config layer calls for `connectors.spanmetrics[/name]`. */
export function createSpanMetricsConnector(config: unknown, ctx: ComponentContext): SpanMetricsConnector {
  return new SpanMetricsConnector(parseSpanMetricsConfig(config, ctx.path), ctx);
}
