// MetricBatch: one ExportMetricsServiceRequest held in WebAssembly memory with its metric, data
// point and exemplar tables — TraceBatch's shape for metrics. Filters work on whole metrics and on
// data points; the splice encoder copies untouched metrics byte for byte, re-emits those that lost
// points, and drops metrics left without points (like the collector's filter processor).
import * as M from '../../assembly/abi/metrics-layout.js';
import * as B from '../../assembly/abi/batch-layout.js';
import * as ERR from '../../assembly/abi/errors.js';
import type { Core } from '../core/core.js';
import { OtlpDecodeError } from '../core/errors.js';
import { MetricView, MetricResourceView, MetricScopeView, ExemplarView, dataPointView } from './metric-views.js';
import type { DataPointView, MetricRows } from './metric-views.js';
import { metricBatchToJSON } from './metric-json.js';
import type { OtlpJsonMetrics } from './metric-json.js';
import { otlpJsonInputToProtobuf } from './otlp-json-input.js';
import { ExportMetricsServiceRequest } from './schema/metrics.js';
import { OtlpBatch, copyRequestIn, depthLimit, limitValue } from './otlp-batch.js';
import type { SignalSpec } from './otlp-batch.js';
import type { DecodeOptions } from './decode-options.js';
import { spliceOutputOptions } from './decode-options.js';

const METRICS: SignalSpec = {
  name: 'MetricBatch',
  requestMessage: ERR.MSG_METRICS_REQUEST,
  indexName: 'metricsIndex',
  attributesName: 'metricsIndexAttributes',
  index: (ex, input, length, options) => ex.metricsIndex(input, length, options),
  indexAttributes: (ex, header) => ex.metricsIndexAttributes(header),
  free: (ex, header) => ex.metricsFree(header),
  // The options block the core reads (O_* in metrics-layout).
  limits: (o) => [depthLimit(o), limitValue('maxDataPoints', o.maxDataPoints)],
  tables: [B.B_RESOURCES, B.B_SCOPES, M.B_METRICS, M.B_POINTS, M.B_EXEMPLARS, M.B_VALUES, B.B_ATTRS, B.B_NESTED, B.B_EXTRA],
};

/** Copies a mask's entries (truthy keeps) into core memory at `at`. */
function copyMask(u8: Uint8Array, at: number, mask: ArrayLike<number | boolean>): void {
  if (mask instanceof Uint8Array) u8.set(mask, at);
  else for (let i = 0; i < mask.length; i++) u8[at + i] = mask[i] ? 1 : 0;
}

export class MetricBatch extends OtlpBatch implements Iterable<MetricView>, MetricRows {
  private pointTable = 0;
  private nPoints = 0;
  private exemplarTable = 0;
  private nExemplars = 0;
  private valueTable = 0;

  private constructor(core: Core, input: number, length: number, options: DecodeOptions) {
    super(METRICS, core, input, length, options);
  }

  /** Reads an ExportMetricsServiceRequest in protobuf. The bytes are copied into the core. */
  static fromProtobuf(bytes: Uint8Array, options: DecodeOptions = {}): MetricBatch {
    const [core, input] = copyRequestIn(bytes, options, METRICS);
    const batch = new MetricBatch(core, input, bytes.length, options);
    batch.index();
    return batch;
  }

  /**
   * Reads OTLP/JSON metrics (text, UTF-8 bytes, or an already-parsed object), leniently like the
   * collector: hex ids in any case, int64 as number or string, enum names
   * (AGGREGATION_TEMPORALITY_DELTA) or numbers, camelCase or snake_case keys. Errors name the line
   * and column (or the JSON path).
   */
  static fromJSON(input: string | Uint8Array | object, options: DecodeOptions = {}): MetricBatch {
    const bytes = otlpJsonInputToProtobuf(input, options, ExportMetricsServiceRequest);
    return MetricBatch.fromProtobuf(bytes, { ...options, allowEmpty: true });
  }

  /** @internal Wraps bytes the core already holds (a splice result); indexed on first use. */
  static fromCoreBuffer(core: Core, input: number, length: number, options: DecodeOptions): MetricBatch {
    return new MetricBatch(core, input, length, options);
  }

  protected indexed(dv: DataView, header: number): void {
    this.pointTable = dv.getUint32(header + M.B_POINTS, true);
    this.nPoints = dv.getUint32(header + M.B_POINT_COUNT, true);
    this.exemplarTable = dv.getUint32(header + M.B_EXEMPLARS, true);
    this.nExemplars = dv.getUint32(header + M.B_EXEMPLAR_COUNT, true);
  }

  /**
   * Builds the values table (bucket counts, bounds, quantiles) if it isn't there yet. Indexing
   * validates and counts them; they are copied out on first use, by the views that read them.
   */
  ensureValues(): void {
    const header = this.headerPtr;
    if (this.valueTable) return;
    const core = this.core;
    const status = core.call('metricsIndexValues', (ex) => ex.metricsIndexValues(header));
    if (status !== 0) throw new OtlpDecodeError(core.readError(), this.length, this.options.source);
    this.valueTable = core.dv.getUint32(header + M.B_VALUES, true);
  }

  /** @internal */ metricRow(i: number): number {
    return this.itemTable + i * M.M_ROW;
  }
  /** @internal */ pointRow(i: number): number {
    return this.pointTable + i * M.DP_ROW;
  }
  /** @internal */ exemplarRow(i: number): number {
    return this.exemplarTable + i * M.X_ROW;
  }
  /** @internal */ valueAt(i: number): number {
    if (!this.valueTable) this.ensureValues();
    return this.valueTable + i * 8;
  }

  get metricCount(): number {
    this.headerPtr;
    return this.nItems;
  }

  /** Data points of every metric, counted together. */
  get dataPointCount(): number {
    this.headerPtr;
    return this.nPoints;
  }

  get exemplarCount(): number {
    this.headerPtr;
    return this.nExemplars;
  }

  /** A lazy view of metric `i` (0 ≤ i < metricCount), in wire order. */
  metric(i: number): MetricView {
    this.headerPtr;
    this.checkIndex('metric', i, this.nItems);
    return new MetricView(this, i);
  }

  metrics(): MetricView[] {
    this.headerPtr;
    return Array.from({ length: this.nItems }, (_, i) => new MetricView(this, i));
  }

  *[Symbol.iterator](): Iterator<MetricView> {
    const n = this.metricCount;
    for (let i = 0; i < n; i++) yield new MetricView(this, i);
  }

  /** A lazy view of data point `i` (0 ≤ i < dataPointCount; points are numbered across metrics in wire order). */
  dataPoint(i: number): DataPointView {
    this.headerPtr;
    this.checkIndex('dataPoint', i, this.nPoints);
    return dataPointView(this, i);
  }

  dataPoints(): DataPointView[] {
    this.headerPtr;
    return Array.from({ length: this.nPoints }, (_, i) => dataPointView(this, i));
  }

  exemplar(i: number): ExemplarView {
    this.headerPtr;
    this.checkIndex('exemplar', i, this.nExemplars);
    return new ExemplarView(this, i);
  }

  resource(i: number): MetricResourceView {
    this.headerPtr;
    this.checkIndex('resource', i, this.nResources);
    return new MetricResourceView(this, i);
  }

  scope(i: number): MetricScopeView {
    this.headerPtr;
    this.checkIndex('scope', i, this.nScopes);
    return new MetricScopeView(this, i);
  }

  /** Keeps the metrics for which `predicate` returns true; scopes and resources left empty are dropped. */
  filter(predicate: (metric: MetricView, index: number) => boolean): MetricBatch {
    const n = this.metricCount;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = predicate(new MetricView(this, i), i) ? 1 : 0;
    return this.select(mask);
  }

  /**
   * Keeps the data points for which `predicate` returns true (`index` counts points across the
   * batch). A metric left without data points is dropped; one that never had any is kept.
   */
  filterDataPoints(predicate: (point: DataPointView, index: number) => boolean): MetricBatch {
    const n = this.dataPointCount;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = predicate(dataPointView(this, i), i) ? 1 : 0;
    return this.select(null, mask);
  }

  /**
   * Keeps metric i where metricMask[i] is truthy and data point k where dataPointMask[k] is truthy
   * (either mask may be null for "all"; lengths must equal metricCount / dataPointCount).
   */
  select(metricMask: ArrayLike<number | boolean> | null, dataPointMask?: ArrayLike<number | boolean> | null): MetricBatch {
    const header = this.headerPtr;
    const nm = this.nItems;
    const np = this.nPoints;
    if (metricMask && metricMask.length !== nm) throw new RangeError(`select(metricMask): mask has ${metricMask.length} entries, the batch has ${nm} metrics`);
    if (dataPointMask && dataPointMask.length !== np) {
      throw new RangeError(`select(metricMask, dataPointMask): mask has ${dataPointMask.length} entries, the batch has ${np} data points`);
    }
    const size = (metricMask ? nm : 0) + (dataPointMask ? np : 0);
    if (!size) return this.splice(header, 0, 0);
    // One scratch block for both masks: a second scratch() call could move the first.
    const at = this.core.scratch(size);
    if (!at) throw this.oom(size);
    const u8 = this.core.u8;
    if (metricMask) copyMask(u8, at, metricMask);
    if (dataPointMask) copyMask(u8, at + (metricMask ? nm : 0), dataPointMask);
    return this.splice(header, metricMask ? at : 0, dataPointMask ? at + (metricMask ? nm : 0) : 0);
  }

  /** Keeps data point k where mask[k] is truthy: select(null, mask). */
  selectDataPoints(mask: ArrayLike<number | boolean>): MetricBatch {
    return this.select(null, mask);
  }

  /**
   * @internal Runs the splice encoder: keep masks in core memory (0 = keep all) per metric and per
   * data point; (pointer, length) replacement pairs per metric, point, resource and scope, or 0. A
   * replaced metric is written as given (point masks and replacements do not apply inside it).
   */
  splice(header: number, metricKeep: number, pointKeep: number, metricRepl = 0, pointRepl = 0, resourceRepl = 0, scopeRepl = 0): MetricBatch {
    const status = this.core.call('metricsSplice', (ex) => ex.metricsSplice(header, metricKeep, pointKeep, metricRepl, pointRepl, resourceRepl, scopeRepl));
    const [ptr, len] = this.spliceResult(status);
    return MetricBatch.fromCoreBuffer(this.core, ptr, len, spliceOutputOptions(this.options));
  }

  protected rewritten(): MetricBatch {
    return this.splice(this.header, 0, 0);
  }

  /** Strict OTLP/JSON as a plain object (JSON.stringify(batch) gives the text). */
  toJSON(): OtlpJsonMetrics {
    this.headerPtr;
    return metricBatchToJSON(this);
  }
}
