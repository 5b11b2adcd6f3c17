// One pass over an ExportMetricsServiceRequest that validates all of it and builds the metric, data
// point and exemplar tables (abi/metrics-layout.ts). The envelope is envelope-index.ts's; this file
// parses Metrics, their Gauge/Sum/Histogram/ExponentialHistogram/Summary message, data points,
// bucket lists, quantiles and exemplars.
//
// Attributes (metric metadata, point attributes, exemplar filtered attributes) are validated and
// numbered here and built on demand by metrics-attrs.ts; the repeated numbers of histograms and
// summaries are validated and counted here and copied into the values table on demand by
// metrics-values.ts. Numbering order: per metric its metadata, then per point its attributes, then
// its exemplars' — each message is walked twice (own fields, then children) to keep that order
// whatever the field order on the wire.
//
// Protobuf semantics: a repeated data message of the same kind merges (points concatenate, the last
// temporality wins); a different oneof member overrides the earlier ones, whose points are validated
// and then forgotten (M_DATA_FROM marks where the data that counts begins).
import * as L from '../abi/metrics-layout';
import * as B from '../abi/batch-layout';
import * as E from '../abi/errors';
import { alloc, allocZeroed, free } from '../mem/alloc';
import { fail, failLimit, failed, setContext } from '../errors';
import {
  readVarint, readTag, readLen, readFixed64, skipValue, skipTrusted, readVarintTrusted, next,
  WT_VARINT, WT_FIXED64, WT_LEN,
} from '../wire/reader';
import { hash32 } from '../hash';
import { checkAttribute } from './attr-check';
import { indexEnvelope, itemCount, attrTotal, setAttrTotal, addAttr } from './envelope-index';
import { UNLIMITED, wrongWireType, readId, growTable, grownCapacity, shrinkTable, readLimit, startRow } from './index-util';

// Data point kinds, each with its own field numbering.
const KIND_NUMBER: u32 = 0;
const KIND_HISTOGRAM: u32 = 1;
const KIND_EXPONENTIAL: u32 = 2;
const KIND_SUMMARY: u32 = 3;

// What a data point field is, per kind and field number (ROLES below).
const R_SKIP: u8 = 0;
const R_START: u8 = 1;
const R_TIME: u8 = 2;
const R_AS_DOUBLE: u8 = 3;
const R_AS_INT: u8 = 4;
const R_COUNT: u8 = 5;
const R_SUM: u8 = 6;
const R_MIN: u8 = 7;
const R_MAX: u8 = 8;
const R_ATTR: u8 = 9;
const R_EXEMPLAR: u8 = 10;
const R_FLAGS: u8 = 11;
const R_LIST_A: u8 = 12; // packed fixed64 (histogram bucket_counts)
const R_LIST_B: u8 = 13; // packed double (histogram explicit_bounds)
const R_SCALE: u8 = 14;
const R_ZERO_COUNT: u8 = 15;
const R_POSITIVE: u8 = 16;
const R_NEGATIVE: u8 = 17;
const R_ZERO_THRESHOLD: u8 = 18;
const R_QUANTILES: u8 = 19;

// Field numbers 0..15 of each kind (metrics.proto); higher numbers are unknown to every kind.
const ROLES = memory.data<u8>([
  // NumberDataPoint
  R_SKIP, R_SKIP, R_START, R_TIME, R_AS_DOUBLE, R_EXEMPLAR, R_AS_INT, R_ATTR, R_FLAGS, R_SKIP, R_SKIP, R_SKIP, R_SKIP, R_SKIP, R_SKIP, R_SKIP,
  // HistogramDataPoint
  R_SKIP, R_SKIP, R_START, R_TIME, R_COUNT, R_SUM, R_LIST_A, R_LIST_B, R_EXEMPLAR, R_ATTR, R_FLAGS, R_MIN, R_MAX, R_SKIP, R_SKIP, R_SKIP,
  // ExponentialHistogramDataPoint
  R_SKIP, R_ATTR, R_START, R_TIME, R_COUNT, R_SUM, R_SCALE, R_ZERO_COUNT, R_POSITIVE, R_NEGATIVE, R_FLAGS, R_EXEMPLAR, R_MIN, R_MAX, R_ZERO_THRESHOLD, R_SKIP,
  // SummaryDataPoint
  R_SKIP, R_SKIP, R_START, R_TIME, R_COUNT, R_SUM, R_QUANTILES, R_ATTR, R_FLAGS, R_SKIP, R_SKIP, R_SKIP, R_SKIP, R_SKIP, R_SKIP, R_SKIP,
]);

// @ts-ignore: decorator
@inline function roleOf(kind: u32, field: u32): u8 {
  return field < 16 ? load<u8>(ROLES + (kind << 4) + field) : R_SKIP;
}

/** The data point kind of a metric type (MT_*). */
export function pointKind(type: u32): u32 {
  if (type == L.MT_HISTOGRAM) return KIND_HISTOGRAM;
  if (type == L.MT_EXPONENTIAL_HISTOGRAM) return KIND_EXPONENTIAL;
  if (type == L.MT_SUMMARY) return KIND_SUMMARY;
  return KIND_NUMBER;
}

/** The field number of a data point's attributes, per kind. */
export function pointAttrField(kind: u32): u32 {
  return kind == KIND_NUMBER ? 7 : kind == KIND_HISTOGRAM ? 9 : kind == KIND_EXPONENTIAL ? 1 : 7;
}

/** The field number of a data point's exemplars, per kind (summaries have none). */
export function pointExemplarField(kind: u32): u32 {
  return kind == KIND_NUMBER ? 5 : kind == KIND_HISTOGRAM ? 8 : kind == KIND_EXPONENTIAL ? 11 : 0;
}

function pointMessage(kind: u32): u32 {
  return kind == KIND_NUMBER
    ? E.MSG_NUMBER_DATA_POINT
    : kind == KIND_HISTOGRAM ? E.MSG_HISTOGRAM_DATA_POINT : kind == KIND_EXPONENTIAL ? E.MSG_EXPONENTIAL_HISTOGRAM_DATA_POINT : E.MSG_SUMMARY_DATA_POINT;
}

function dataMessage(type: u32): u32 {
  return type == L.MT_GAUGE
    ? E.MSG_GAUGE
    : type == L.MT_SUM ? E.MSG_SUM : type == L.MT_HISTOGRAM ? E.MSG_HISTOGRAM : type == L.MT_EXPONENTIAL_HISTOGRAM ? E.MSG_EXPONENTIAL_HISTOGRAM : E.MSG_SUMMARY;
}

// @ts-ignore: decorator
@inline function isDataField(f: u32): bool {
  return f == L.MT_GAUGE || f == L.MT_SUM || f == L.MT_HISTOGRAM || f == L.MT_EXPONENTIAL_HISTOGRAM || f == L.MT_SUMMARY;
}

// Parse state.
let IN: usize = 0;
let metrics: usize = 0;
let points: usize = 0;
let exemplars: usize = 0;
let pointCount: u32 = 0;
let pointCap: u32 = 0;
let exemplarCount: u32 = 0;
let exemplarCap: u32 = 0;
let valueCount: u32 = 0;
let maxDepth: u32 = 64;
let maxPoints: u32 = UNLIMITED;
/** The last `offset` of the Buckets message parseBuckets read (only when present). */
let bucketOffset: i32 = 0;
let bucketOffsetSeen = false;

// @ts-ignore: decorator
@inline function rel(p: usize): u32 {
  return <u32>(p - IN);
}

/** sint32 on the wire: zigzag, truncated to 32 bits as protobuf decoders do. */
// @ts-ignore: decorator
@inline function zigzag32(v: u64): i32 {
  let u = <u32>v;
  return <i32>(u >>> 1) ^ -<i32>(u & 1);
}

// ---------------------------------------------------------------------------------------------
// Metric and its data message

function parseMetric(i: u32, s: u32, r: u32, fieldStart: usize, cs: usize, ce: usize): void {
  let row = metrics + <usize>i * L.M_ROW;
  startRow(row, IN, fieldStart, cs, ce, s);
  store<u32>(row + L.M_RESOURCE, r);
  store<u32>(row + L.M_NAME_OFF, rel(cs));
  store<u32>(row + L.M_ATTR_START, attrTotal());
  let type: u32 = L.MT_NONE;
  let dataFrom: usize = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_METRIC, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_METRIC, f);
    if ((f >= 1 && f <= 3) || f == 12 || isDataField(f)) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (f <= 3) {
        let off: usize = f == 1 ? L.M_NAME_OFF : f == 2 ? L.M_DESCRIPTION_OFF : L.M_UNIT_OFF;
        store<u32>(row + off, rel(vs));
        store<u32>(row + off + 4, len);
      } else if (f == 12) {
        if (!checkAttribute(vs, vs + len)) return;
        addAttr();
      } else if (f != type) {
        // A different member of the data oneof: it overrides every earlier one.
        type = f;
        dataFrom = at;
      }
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
  store<u32>(row + L.M_ATTR_COUNT, attrTotal() - load<u32>(row + L.M_ATTR_START));
  store<u32>(row + L.M_NAME_HASH, hash32(IN + load<u32>(row + L.M_NAME_OFF), load<u32>(row + L.M_NAME_LEN)));
  store<u32>(row + L.M_TYPE, type);
  store<u32>(row + L.M_DATA_FROM, type ? rel(dataFrom) : B.NO_ROW);
  store<u32>(row + L.M_POINT_START, pointCount);
  if (type) {
    // Data messages in wire order; those before the last switch of member are validated, then
    // forgotten: their points, exemplars, values and attributes are rolled back.
    let savedPoints = pointCount;
    let savedExemplars = exemplarCount;
    let savedValues = valueCount;
    let savedAttrs = attrTotal();
    p = cs;
    while (p < ce) {
      let at = p;
      let tag = <u32>readVarintTrusted(p);
      p = next;
      let f = tag >>> 3;
      if ((tag & 7) == WT_LEN && isDataField(f)) {
        let len = <usize>readVarintTrusted(p);
        let vs = next;
        parseData(i, f, vs, vs + len);
        if (failed) return;
        if (at < dataFrom) {
          pointCount = savedPoints;
          exemplarCount = savedExemplars;
          valueCount = savedValues;
          setAttrTotal(savedAttrs);
          store<i32>(row + L.M_TEMPORALITY, 0);
          store<u32>(row + L.M_MONOTONIC, 0);
        }
        p = vs + len;
      } else {
        p = skipTrusted(p, tag & 7);
      }
    }
  }
  store<u32>(row + L.M_POINT_COUNT, pointCount - load<u32>(row + L.M_POINT_START));
}

/** A Gauge, Sum, Histogram, ExponentialHistogram or Summary message (`type` is its field number). */
function parseData(metric: u32, type: u32, cs: usize, ce: usize): void {
  let message = dataMessage(type);
  let kind = pointKind(type);
  let hasTemporality = type != L.MT_GAUGE && type != L.MT_SUMMARY;
  let row = metrics + <usize>metric * L.M_ROW;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(message, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(message, f);
    if (f == 1) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      parsePoint(metric, kind, at, vs, vs + len);
      if (failed) return;
      p = vs + len;
    } else if ((f == 2 && hasTemporality) || (f == 3 && type == L.MT_SUM)) {
      if ((tag & 7) != WT_VARINT) return wrongWireType(tag, at);
      let v = readVarint(p, ce);
      if (failed) return;
      if (f == 2) store<i32>(row + L.M_TEMPORALITY, <i32>v);
      else store<u32>(row + L.M_MONOTONIC, v != 0 ? 1 : 0);
      p = next;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Data points

function reservePoint(): bool {
  if (pointCount < pointCap) return true;
  points = growTable(points, pointCap, L.DP_ROW);
  pointCap = grownCapacity;
  return pointCount < pointCap;
}

function reserveExemplar(): bool {
  if (exemplarCount < exemplarCap) return true;
  exemplars = growTable(exemplars, exemplarCap, L.X_ROW);
  exemplarCap = grownCapacity;
  return exemplarCount < exemplarCap;
}

/** Stores a fixed64 field of a data point: times, counts, value, sum, min, max, zero count/threshold. */
function storeFixed(row: usize, role: u8, v: u64): void {
  let presence = load<u32>(row + L.DP_PRESENCE);
  switch (role) {
    case R_START: store<u64>(row + L.DP_START_TIME, v); break;
    case R_TIME: store<u64>(row + L.DP_TIME, v); break;
    case R_AS_DOUBLE: {
      store<u64>(row + L.DP_VALUE, v);
      presence = (presence & ~L.PV_INT) | L.PV_DOUBLE;
      break;
    }
    case R_AS_INT: {
      store<u64>(row + L.DP_VALUE, v);
      presence = (presence & ~L.PV_DOUBLE) | L.PV_INT;
      break;
    }
    case R_COUNT: store<u64>(row + L.DP_COUNT, v); break;
    case R_SUM: {
      store<u64>(row + L.DP_SUM, v);
      presence |= L.P_SUM;
      break;
    }
    case R_MIN: {
      store<u64>(row + L.DP_MIN, v);
      presence |= L.P_MIN;
      break;
    }
    case R_MAX: {
      store<u64>(row + L.DP_MAX, v);
      presence |= L.P_MAX;
      break;
    }
    case R_ZERO_COUNT: store<u64>(row + L.DP_ZERO_COUNT, v); break;
    default: store<u64>(row + L.DP_ZERO_THRESHOLD, v);
  }
  store<u32>(row + L.DP_PRESENCE, presence);
}

/** Where the field countFixedList read ends. */
let listEnd: usize = 0;

/** Elements of a repeated fixed64/double field: a packed run of 8-byte values, or one value. */
function countFixedList(tag: u32, at: usize, p: usize, ce: usize): u32 {
  let wt = tag & 7;
  if (wt == WT_LEN) {
    let len = readLen(p, ce);
    if (failed) return 0;
    if (len & 7) {
      fail(E.ERR_PACKED_LENGTH, at, 8);
      return 0;
    }
    listEnd = next + len;
    return len >> 3;
  }
  if (wt == WT_FIXED64) {
    readFixed64(p, ce);
    listEnd = next;
    return 1;
  }
  wrongWireType(tag, at);
  return 0;
}

function parsePoint(metric: u32, kind: u32, fieldStart: usize, cs: usize, ce: usize): void {
  if (pointCount >= maxPoints) return failLimit(pointMessage(kind), maxPoints);
  if (!reservePoint()) return;
  let k = pointCount++;
  let row = points + <usize>k * L.DP_ROW;
  memory.fill(row, 0, L.DP_ROW);
  startRow(row, IN, fieldStart, cs, ce, metric);
  store<u32>(row + L.DP_ATTR_START, attrTotal());
  let message = pointMessage(kind);
  let listA: u32 = 0;
  let listB: u32 = 0;
  let hasExemplars = false;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(message, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    let wt = tag & 7;
    setContext(message, f);
    let role = roleOf(kind, f);
    if (role == R_SKIP) {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    } else if (role == R_ATTR || role == R_EXEMPLAR || role == R_POSITIVE || role == R_NEGATIVE || role == R_QUANTILES) {
      if (wt != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (role == R_ATTR) {
        if (!checkAttribute(vs, vs + len)) return;
        addAttr();
      } else if (role == R_EXEMPLAR) {
        hasExemplars = true;
      } else if (role == R_QUANTILES) {
        checkQuantile(vs, vs + len);
        if (failed) return;
        listA++;
      } else {
        bucketOffsetSeen = false;
        let n = countBuckets(vs, vs + len);
        if (failed) return;
        let positive = role == R_POSITIVE;
        if (positive) listA += n;
        else listB += n;
        store<u32>(row + L.DP_PRESENCE, load<u32>(row + L.DP_PRESENCE) | (positive ? L.P_POSITIVE : L.P_NEGATIVE));
        if (bucketOffsetSeen) store<i32>(row + (positive ? L.DP_POSITIVE_OFFSET : L.DP_NEGATIVE_OFFSET), bucketOffset);
      }
      p = vs + len;
    } else if (role == R_FLAGS || role == R_SCALE) {
      if (wt != WT_VARINT) return wrongWireType(tag, at);
      let v = readVarint(p, ce);
      if (failed) return;
      if (role == R_FLAGS) store<u32>(row + L.DP_FLAGS, <u32>v);
      else store<i32>(row + L.DP_SCALE, zigzag32(v));
      p = next;
    } else if (role == R_LIST_A || role == R_LIST_B) {
      let n = countFixedList(tag, at, p, ce);
      if (failed) return;
      if (role == R_LIST_A) listA += n;
      else listB += n;
      p = listEnd;
    } else {
      if (wt != WT_FIXED64) return wrongWireType(tag, at);
      let v = readFixed64(p, ce);
      if (failed) return;
      storeFixed(row, role, v);
      p = next;
    }
  }
  store<u32>(row + L.DP_ATTR_COUNT, attrTotal() - load<u32>(row + L.DP_ATTR_START));
  // Values-table positions are fixed now, in point order (metrics-values.ts fills them later).
  store<u32>(row + L.DP_LIST_A_START, valueCount);
  store<u32>(row + L.DP_LIST_A_COUNT, listA);
  valueCount += kind == KIND_SUMMARY ? listA * 2 : listA;
  store<u32>(row + L.DP_LIST_B_START, valueCount);
  store<u32>(row + L.DP_LIST_B_COUNT, listB);
  valueCount += listB;
  store<u32>(row + L.DP_EXEMPLAR_START, exemplarCount);
  if (hasExemplars) {
    let exemplarTag = (pointExemplarField(kind) << 3) | WT_LEN;
    p = cs;
    while (p < ce) {
      let at = p;
      let tag = <u32>readVarintTrusted(p);
      p = next;
      if (tag == exemplarTag) {
        let len = <usize>readVarintTrusted(p);
        let vs = next;
        parseExemplar(k, at, vs, vs + len);
        if (failed) return;
        p = vs + len;
      } else {
        p = skipTrusted(p, tag & 7);
      }
    }
  }
  row = points + <usize>k * L.DP_ROW;
  store<u32>(row + L.DP_EXEMPLAR_COUNT, exemplarCount - load<u32>(row + L.DP_EXEMPLAR_START));
}

/** An ExponentialHistogramDataPoint.Buckets: returns how many bucket counts it holds. */
function countBuckets(cs: usize, ce: usize): u32 {
  let n: u32 = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_BUCKETS, 0);
    let tag = readTag(p, ce);
    if (failed) return 0;
    p = next;
    let f = tag >>> 3;
    let wt = tag & 7;
    setContext(E.MSG_BUCKETS, f);
    if (f == 1) {
      if (wt != WT_VARINT) {
        wrongWireType(tag, at);
        return 0;
      }
      let v = readVarint(p, ce);
      if (failed) return 0;
      bucketOffset = zigzag32(v);
      bucketOffsetSeen = true;
      p = next;
    } else if (f == 2) {
      if (wt == WT_LEN) {
        // Packed uint64 varints: every one must be well-formed and end inside the run.
        let len = readLen(p, ce);
        if (failed) return 0;
        let q = next;
        let end = q + len;
        while (q < end) {
          readVarint(q, end);
          if (failed) return 0;
          q = next;
          n++;
        }
        p = end;
      } else if (wt == WT_VARINT) {
        readVarint(p, ce);
        if (failed) return 0;
        n++;
        p = next;
      } else {
        wrongWireType(tag, at);
        return 0;
      }
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return 0;
    }
  }
  return n;
}

/** A SummaryDataPoint.ValueAtQuantile: quantile (1) and value (2), both doubles. */
function checkQuantile(cs: usize, ce: usize): void {
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_VALUE_AT_QUANTILE, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_VALUE_AT_QUANTILE, f);
    if (f == 1 || f == 2) {
      if ((tag & 7) != WT_FIXED64) return wrongWireType(tag, at);
      readFixed64(p, ce);
      if (failed) return;
      p = next;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}

function parseExemplar(point: u32, fieldStart: usize, cs: usize, ce: usize): void {
  if (!reserveExemplar()) return;
  let x = exemplarCount++;
  let row = exemplars + <usize>x * L.X_ROW;
  memory.fill(row, 0, L.X_ROW);
  startRow(row, IN, fieldStart, cs, ce, point);
  store<u32>(row + L.X_ATTR_START, attrTotal());
  let presence: u32 = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_EXEMPLAR, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    let wt = tag & 7;
    setContext(E.MSG_EXEMPLAR, f);
    if (f == 2 || f == 3 || f == 6) {
      if (wt != WT_FIXED64) return wrongWireType(tag, at);
      let v = readFixed64(p, ce);
      if (failed) return;
      if (f == 2) {
        store<u64>(row + L.X_TIME, v);
      } else {
        store<u64>(row + L.X_VALUE, v);
        presence = f == 3 ? (presence & ~L.PV_INT) | L.PV_DOUBLE : (presence & ~L.PV_DOUBLE) | L.PV_INT;
      }
      p = next;
    } else if (f == 4 || f == 5) {
      if (wt != WT_LEN) return wrongWireType(tag, at);
      let n = readId(p, ce, at, row + (f == 5 ? L.X_TRACE_ID : L.X_SPAN_ID), f == 5 ? 16 : 8);
      if (n < 0) return;
      let bit = f == 5 ? L.P_TRACE_ID : L.P_SPAN_ID;
      presence = n ? presence | bit : presence & ~bit;
      p = next + <usize>n;
    } else if (f == 7) {
      if (wt != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (!checkAttribute(vs, vs + len)) return;
      addAttr();
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
  store<u32>(row + L.X_ATTR_COUNT, attrTotal() - load<u32>(row + L.X_ATTR_START));
  store<u32>(row + L.X_PRESENCE, presence);
}

// ---------------------------------------------------------------------------------------------
// Entry points

function allocTables(len: usize): bool {
  metrics = allocZeroed(<usize>max<u32>(itemCount, 1) * L.M_ROW);
  // Data points take ~70–100 bytes (numbers) to several hundred (histograms) on the wire: start
  // from the dense end's half and grow, then give back what is unused (metricsIndex).
  pointCap = <u32>(len / 192) + 16;
  exemplarCap = <u32>(len / 4096) + 4;
  points = alloc(<usize>pointCap * L.DP_ROW);
  exemplars = alloc(<usize>exemplarCap * L.X_ROW);
  return metrics != 0 && points != 0 && exemplars != 0;
}

function releaseTables(): void {
  free(metrics);
  free(points);
  free(exemplars);
}

/**
 * Indexes `len` bytes at `input` (allocated with 16 bytes of slack; the batch takes ownership on
 * success). Returns the batch header, or 0 with the error recorded (the input stays the caller's).
 */
export function metricsIndex(input: usize, len: usize, opts: usize): usize {
  IN = input;
  maxDepth = readLimit(opts, L.O_MAX_DEPTH, 64);
  maxPoints = readLimit(opts, L.O_MAX_POINTS, UNLIMITED);
  pointCount = exemplarCount = valueCount = 0;
  pointCap = exemplarCap = 0;
  metrics = points = exemplars = 0;
  let header = indexEnvelope(input, len, maxDepth, E.MSG_METRICS_REQUEST, E.MSG_RESOURCE_METRICS, E.MSG_SCOPE_METRICS, allocTables, parseMetric, releaseTables);
  if (!header) return 0;
  points = shrinkTable(points, pointCount, L.DP_ROW);
  exemplars = shrinkTable(exemplars, exemplarCount, L.X_ROW);
  store<u32>(header + L.B_METRICS, <u32>metrics);
  store<u32>(header + L.B_POINT_COUNT, pointCount);
  store<u32>(header + L.B_POINTS, <u32>points);
  store<u32>(header + L.B_EXEMPLAR_COUNT, exemplarCount);
  store<u32>(header + L.B_EXEMPLARS, <u32>exemplars);
  store<u32>(header + L.B_VALUE_COUNT, valueCount);
  return header;
}

/** Frees a batch: its tables, its input bytes and any lazily built structures. */
export function metricsFree(header: usize): void {
  if (!header) return;
  free(<usize>load<u32>(header + B.B_INPUT));
  free(<usize>load<u32>(header + B.B_RESOURCES));
  free(<usize>load<u32>(header + B.B_SCOPES));
  free(<usize>load<u32>(header + L.B_METRICS));
  free(<usize>load<u32>(header + L.B_POINTS));
  free(<usize>load<u32>(header + L.B_EXEMPLARS));
  free(<usize>load<u32>(header + L.B_VALUES));
  free(<usize>load<u32>(header + B.B_ATTRS));
  free(<usize>load<u32>(header + B.B_NESTED));
  free(<usize>load<u32>(header + B.B_EXTRA));
  free(header);
}
