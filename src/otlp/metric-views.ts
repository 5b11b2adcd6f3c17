// Lazy views over an indexed metric batch: metrics, their data points (one view class per point
// kind) and exemplars. Getters read the tables in WebAssembly memory when called; bucket counts,
// bounds and quantiles come from the values table, built on first use.
import * as M from '../../assembly/abi/metrics-layout.js';
import * as B from '../../assembly/abi/batch-layout.js';
import type { AnyValue, BatchRows, KeyValue } from './value-views.js';
import { findAttributeAt, readAttributesAt, readHex, readStringAt } from './value-views.js';
import { ResourceViewBase, ScopeViewBase } from './envelope-views.js';

/** What metric views need from their batch. */
export interface MetricRows extends BatchRows {
  /** @internal */ metricRow(i: number): number;
  /** @internal */ pointRow(i: number): number;
  /** @internal */ exemplarRow(i: number): number;
  /** @internal Address of entry i of the values table (built on first use). */ valueAt(i: number): number;
}

/** Which member of Metric.data a metric holds ('empty' when none). */
export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary' | 'empty';

const TYPES: Record<number, MetricType> = {
  [M.MT_GAUGE]: 'gauge',
  [M.MT_SUM]: 'sum',
  [M.MT_HISTOGRAM]: 'histogram',
  [M.MT_EXPONENTIAL_HISTOGRAM]: 'exponentialHistogram',
  [M.MT_SUMMARY]: 'summary',
};

export class MetricResourceView extends ResourceViewBase {
  get metricCount(): number {
    return this.u32(B.R_ITEM_COUNT);
  }
}

export class MetricScopeView extends ScopeViewBase {
  get resource(): MetricResourceView {
    return new MetricResourceView(this.b, this.resourceIndex);
  }
  get firstMetric(): number {
    return this.u32(B.S_ITEM_START);
  }
  get metricCount(): number {
    return this.u32(B.S_ITEM_COUNT);
  }
}

export class MetricView {
  constructor(private readonly b: MetricRows, readonly index: number) {}
  private get row(): number {
    return this.b.metricRow(this.index);
  }
  private u32(at: number): number {
    return this.b.core.dv.getUint32(this.row + at, true);
  }
  get name(): string {
    return readStringAt(this.b, this.row, M.M_NAME_OFF);
  }
  get description(): string {
    return readStringAt(this.b, this.row, M.M_DESCRIPTION_OFF);
  }
  get unit(): string {
    return readStringAt(this.b, this.row, M.M_UNIT_OFF);
  }
  get type(): MetricType {
    return TYPES[this.u32(M.M_TYPE)] ?? 'empty';
  }
  /** AggregationTemporality of a sum or histogram: 0 unspecified, 1 delta, 2 cumulative (as sent). */
  get aggregationTemporality(): number {
    return this.b.core.dv.getInt32(this.row + M.M_TEMPORALITY, true);
  }
  /** Sum.is_monotonic (false for other types). */
  get isMonotonic(): boolean {
    return this.u32(M.M_MONOTONIC) !== 0;
  }
  /** Metric.metadata: key-values about the metric, not part of any series' identity. */
  get metadata(): KeyValue[] {
    return readAttributesAt(this.b, this.row, M.M_ATTR_START);
  }
  metadataValue(key: string): AnyValue | undefined {
    return findAttributeAt(this.b, this.row, M.M_ATTR_START, key);
  }
  /** Index (in the batch) of the metric's first data point. */
  get firstDataPoint(): number {
    return this.u32(M.M_POINT_START);
  }
  get dataPointCount(): number {
    return this.u32(M.M_POINT_COUNT);
  }
  /** The metric's data points, in wire order. */
  get dataPoints(): DataPointView[] {
    const first = this.firstDataPoint;
    return Array.from({ length: this.dataPointCount }, (_, k) => dataPointView(this.b, first + k));
  }
  get resource(): MetricResourceView {
    return new MetricResourceView(this.b, this.u32(M.M_RESOURCE));
  }
  get scope(): MetricScopeView {
    return new MetricScopeView(this.b, this.u32(M.M_SCOPE));
  }
  /** Byte range [start, end) of this metric's field in the batch's protobuf bytes. */
  get byteRange(): [number, number] {
    return [this.u32(M.M_FIELD_START), this.u32(M.M_CONTENT_END)];
  }
}

export class ExemplarView {
  constructor(private readonly b: MetricRows, readonly index: number) {}
  private get row(): number {
    return this.b.exemplarRow(this.index);
  }
  private presence(): number {
    return this.b.core.dv.getUint32(this.row + M.X_PRESENCE, true);
  }
  get filteredAttributes(): KeyValue[] {
    return readAttributesAt(this.b, this.row, M.X_ATTR_START);
  }
  get timeUnixNano(): bigint {
    return this.b.core.dv.getBigUint64(this.row + M.X_TIME, true);
  }
  /** Which member of the value oneof was sent ('none' when neither). */
  get valueType(): 'double' | 'int' | 'none' {
    const p = this.presence();
    return p & M.PV_DOUBLE ? 'double' : p & M.PV_INT ? 'int' : 'none';
  }
  get asDouble(): number {
    return this.presence() & M.PV_DOUBLE ? this.b.core.dv.getFloat64(this.row + M.X_VALUE, true) : 0;
  }
  get asInt(): bigint {
    return this.presence() & M.PV_INT ? this.b.core.dv.getBigInt64(this.row + M.X_VALUE, true) : 0n;
  }
  get spanId(): string {
    return this.presence() & M.P_SPAN_ID ? readHex(this.b, this.row + M.X_SPAN_ID, 8) : '';
  }
  get traceId(): string {
    return this.presence() & M.P_TRACE_ID ? readHex(this.b, this.row + M.X_TRACE_ID, 16) : '';
  }
}

/** What all four data point kinds have. */
abstract class DataPointBase {
  constructor(protected readonly b: MetricRows, readonly index: number) {}
  protected get row(): number {
    return this.b.pointRow(this.index);
  }
  protected u32(at: number): number {
    return this.b.core.dv.getUint32(this.row + at, true);
  }
  protected u64(at: number): bigint {
    return this.b.core.dv.getBigUint64(this.row + at, true);
  }
  protected f64(at: number): number {
    return this.b.core.dv.getFloat64(this.row + at, true);
  }
  protected has(bit: number): boolean {
    return (this.u32(M.DP_PRESENCE) & bit) !== 0;
  }
  /** `count` entries of the values table from the position the row holds at `startAt`. */
  private entries<T>(startAt: number, count: number, read: (dv: DataView, at: number) => T): T[] {
    const start = this.u32(startAt);
    const out: T[] = new Array(count);
    for (let i = 0; i < count; i++) {
      // valueAt may build the values table and grow memory: take the address before the view.
      const at = this.b.valueAt(start + i);
      out[i] = read(this.b.core.dv, at);
    }
    return out;
  }
  protected list(startAt: number, count: number): bigint[] {
    return this.entries(startAt, count, (dv, at) => dv.getBigUint64(at, true));
  }
  protected doubles(startAt: number, count: number): number[] {
    return this.entries(startAt, count, (dv, at) => dv.getFloat64(at, true));
  }
  get metricIndex(): number {
    return this.u32(M.DP_METRIC);
  }
  get metric(): MetricView {
    return new MetricView(this.b, this.metricIndex);
  }
  get attributes(): KeyValue[] {
    return readAttributesAt(this.b, this.row, M.DP_ATTR_START);
  }
  attribute(key: string): AnyValue | undefined {
    return findAttributeAt(this.b, this.row, M.DP_ATTR_START, key);
  }
  get startTimeUnixNano(): bigint {
    return this.u64(M.DP_START_TIME);
  }
  get timeUnixNano(): bigint {
    return this.u64(M.DP_TIME);
  }
  /** DataPointFlags (bit 0: no recorded value). */
  get flags(): number {
    return this.u32(M.DP_FLAGS);
  }
  get exemplars(): ExemplarView[] {
    const first = this.u32(M.DP_EXEMPLAR_START);
    return Array.from({ length: this.u32(M.DP_EXEMPLAR_COUNT) }, (_, k) => new ExemplarView(this.b, first + k));
  }
  /** Byte range [start, end) of this point's field in the batch's protobuf bytes. */
  get byteRange(): [number, number] {
    return [this.u32(M.DP_FIELD_START), this.u32(M.DP_CONTENT_END)];
  }
}

/** A data point of a gauge or sum. */
export class NumberDataPointView extends DataPointBase {
  readonly type = 'number' as const;
  /** Which member of the value oneof was sent ('none' when neither). */
  get valueType(): 'double' | 'int' | 'none' {
    return this.has(M.PV_DOUBLE) ? 'double' : this.has(M.PV_INT) ? 'int' : 'none';
  }
  get asDouble(): number {
    return this.has(M.PV_DOUBLE) ? this.f64(M.DP_VALUE) : 0;
  }
  get asInt(): bigint {
    return this.has(M.PV_INT) ? this.b.core.dv.getBigInt64(this.row + M.DP_VALUE, true) : 0n;
  }
}

/** What both histogram kinds have: a count and the proto3 `optional` sum, min and max. */
abstract class HistogramBase extends DataPointBase {
  get count(): bigint {
    return this.u64(M.DP_COUNT);
  }
  /** The optional sum; undefined when not sent. */
  get sum(): number | undefined {
    return this.has(M.P_SUM) ? this.f64(M.DP_SUM) : undefined;
  }
  get min(): number | undefined {
    return this.has(M.P_MIN) ? this.f64(M.DP_MIN) : undefined;
  }
  get max(): number | undefined {
    return this.has(M.P_MAX) ? this.f64(M.DP_MAX) : undefined;
  }
}

export class HistogramDataPointView extends HistogramBase {
  readonly type = 'histogram' as const;
  get bucketCounts(): bigint[] {
    return this.list(M.DP_BUCKET_COUNTS_START, this.u32(M.DP_BUCKET_COUNTS_COUNT));
  }
  get explicitBounds(): number[] {
    return this.doubles(M.DP_EXPLICIT_BOUNDS_START, this.u32(M.DP_EXPLICIT_BOUNDS_COUNT));
  }
}

export interface ExponentialBuckets {
  readonly offset: number;
  readonly bucketCounts: bigint[];
}

export class ExponentialHistogramDataPointView extends HistogramBase {
  readonly type = 'exponentialHistogram' as const;
  get scale(): number {
    return this.b.core.dv.getInt32(this.row + M.DP_SCALE, true);
  }
  get zeroCount(): bigint {
    return this.u64(M.DP_ZERO_COUNT);
  }
  get zeroThreshold(): number {
    return this.f64(M.DP_ZERO_THRESHOLD);
  }
  get positive(): ExponentialBuckets {
    return this.buckets(M.DP_POSITIVE_OFFSET, M.DP_POSITIVE_START, M.DP_POSITIVE_COUNT);
  }
  get negative(): ExponentialBuckets {
    return this.buckets(M.DP_NEGATIVE_OFFSET, M.DP_NEGATIVE_START, M.DP_NEGATIVE_COUNT);
  }
  private buckets(offsetAt: number, startAt: number, countAt: number): ExponentialBuckets {
    const offset = this.b.core.dv.getInt32(this.row + offsetAt, true);
    return { offset, bucketCounts: this.list(startAt, this.u32(countAt)) };
  }
}

export interface ValueAtQuantile {
  readonly quantile: number;
  readonly value: number;
}

export class SummaryDataPointView extends DataPointBase {
  readonly type = 'summary' as const;
  get count(): bigint {
    return this.u64(M.DP_COUNT);
  }
  get sum(): number {
    return this.f64(M.DP_SUM);
  }
  get quantileValues(): ValueAtQuantile[] {
    const pairs = this.doubles(M.DP_QUANTILES_START, this.u32(M.DP_QUANTILES_COUNT) * 2);
    const out: ValueAtQuantile[] = [];
    for (let i = 0; i < pairs.length; i += 2) out.push({ quantile: pairs[i]!, value: pairs[i + 1]! });
    return out;
  }
}

export type DataPointView = NumberDataPointView | HistogramDataPointView | ExponentialHistogramDataPointView | SummaryDataPointView;

/** The view of data point `i`, of the kind its metric's type implies. */
export function dataPointView(b: MetricRows, i: number): DataPointView {
  const dv = b.core.dv;
  const metric = dv.getUint32(b.pointRow(i) + M.DP_METRIC, true);
  switch (dv.getUint32(b.metricRow(metric) + M.M_TYPE, true)) {
    case M.MT_HISTOGRAM:
      return new HistogramDataPointView(b, i);
    case M.MT_EXPONENTIAL_HISTOGRAM:
      return new ExponentialHistogramDataPointView(b, i);
    case M.MT_SUMMARY:
      return new SummaryDataPointView(b, i);
    default:
      return new NumberDataPointView(b, i);
  }
}
