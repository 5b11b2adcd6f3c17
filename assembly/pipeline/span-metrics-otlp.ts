// The spanmetrics connector's collection in the core: its series read and written as an OTLP
// ExportMetricsServiceRequest, byte for byte what the facade writes for the same state — the
// connector's collect() (src/connectors/spanmetrics/spanmetrics-connector.ts) followed by
// encodeMetricsProtobuf (src/metrics/otlp-metrics-protobuf.ts). Resources come in table order and
// are left out when no metric has a point for them; metrics in the plan's order; points in series
// order; attributes decoded from the series keys (canonical values) in dimension order.
import * as PG from '../abi/pipeline-program-layout';
import * as M from '../abi/derived-metrics-layout';
import { alloc, free } from '../mem/alloc';
import { tableCount, tableRecord, tableKey } from '../metrics/series-table';
import { protoBegin, protoTag, protoVarint, protoFixed64, protoDouble, protoBytes, protoText, protoAscii, protoRaw, protoFork, protoLdelim, protoOk, WIRE_VARINT, WIRE_FIXED64, WIRE_LEN } from './proto-out';
import { bufLen, bufSetLen } from './byte-buffer';

const NONE: u32 = 0xffffffff;
const TEMPORALITY_DELTA: u32 = 1;
const TEMPORALITY_CUMULATIVE: u32 = 2;

/** Set when a series key holds a tag this encoder does not know (a core/encoder mismatch). */
let badKey = false;

/** The facade's millisToNanos: whole milliseconds exactly, the fraction rounded like Math.round. */
function millisToNanos(ms: f64): u64 {
  let whole = Math.floor(ms);
  let frac = (ms - whole) * 1e6;
  let r = Math.floor(frac);
  if (frac - r >= 0.5) r += 1;
  return <u64><i64>whole * 1000000 + <u64><i64>r;
}

function fixed64Field(field: u32, v: u64): void {
  if (v == 0) return;
  protoTag(field, WIRE_FIXED64);
  protoFixed64(v);
}

function stringField(field: u32, p: usize, n: usize): void {
  if (!n) return;
  protoTag(field, WIRE_LEN);
  protoText(p, n);
}

/** A string literal as a string field (enum names, the overflow key). */
function literalField(field: u32, s: string): void {
  protoTag(field, WIRE_LEN);
  protoAscii(s);
}

/** Writes the AnyValue content of the canonical value at `p`; returns the position after it. */
function anyValue(p: usize): usize {
  let tag = <u32>load<u8>(p);
  p++;
  switch (tag) {
    case M.VK_STRING: {
      let n = <usize>load<u32>(p);
      protoTag(1, WIRE_LEN);
      protoText(p + 4, n);
      return p + 4 + n;
    }
    case M.VK_BOOL:
      protoTag(2, WIRE_VARINT);
      protoVarint(load<u8>(p) != 0 ? 1 : 0);
      return p + 1;
    case M.VK_INT:
      protoTag(3, WIRE_VARINT);
      protoVarint(<u64>load<i64>(p));
      return p + 8;
    case M.VK_DOUBLE:
      protoTag(4, WIRE_FIXED64);
      protoDouble(load<f64>(p));
      return p + 8;
    case M.VK_BYTES: {
      let n = <usize>load<u32>(p);
      protoTag(7, WIRE_LEN);
      protoBytes(p + 4, n);
      return p + 4 + n;
    }
    case M.VK_ARRAY: {
      let n = load<u32>(p);
      p += 4;
      protoFork(5);
      for (let i: u32 = 0; i < n && !badKey; i++) {
        protoFork(1);
        p = anyValue(p);
        protoLdelim();
      }
      protoLdelim();
      return p;
    }
    case M.VK_KVLIST: {
      let n = load<u32>(p);
      p += 4;
      protoFork(6);
      for (let i: u32 = 0; i < n && !badKey; i++) p = keyValue(1, p);
      protoLdelim();
      return p;
    }
    case M.VK_EMPTY:
      return p;
    default:
      badKey = true;
      return p;
  }
}

/** A KeyValue from a canonical (u32 key length, key, value) entry; returns the position after it. */
function keyValue(field: u32, p: usize): usize {
  let keyLen = <usize>load<u32>(p);
  protoFork(field);
  stringField(1, p + 4, keyLen);
  protoFork(2);
  p = anyValue(p + 4 + keyLen);
  protoLdelim();
  protoLdelim();
  return p;
}

function spanKindName(code: i32): string {
  switch (code) {
    case 0: return 'SPAN_KIND_UNSPECIFIED';
    case 1: return 'SPAN_KIND_INTERNAL';
    case 2: return 'SPAN_KIND_SERVER';
    case 3: return 'SPAN_KIND_CLIENT';
    case 4: return 'SPAN_KIND_PRODUCER';
    case 5: return 'SPAN_KIND_CONSUMER';
    default: return '';
  }
}

function statusCodeName(code: i32): string {
  switch (code) {
    case 0: return 'STATUS_CODE_UNSET';
    case 1: return 'STATUS_CODE_OK';
    case 2: return 'STATUS_CODE_ERROR';
    default: return '';
  }
}

/** The data point attributes of a series key: the dimensions in order, absent ones left out. */
function dimensions(field: u32, key: usize, keyLen: usize, agg: usize): void {
  if (keyLen == M.SK_DIMS + 1 && load<u8>(key + M.SK_DIMS) == <u8>M.VK_OVERFLOW) {
    protoFork(field);
    literalField(1, 'otel.metric.overflow');
    protoFork(2);
    protoTag(2, WIRE_VARINT);
    protoVarint(1);
    protoLdelim();
    protoLdelim();
    return;
  }
  let p = key + M.SK_DIMS;
  let n = load<u32>(agg + PG.AO_DIM_COUNT);
  let dims = <usize>load<u32>(agg + PG.AO_DIMS);
  for (let d: u32 = 0; d < n && !badKey; d++) {
    let dim = dims + <usize>d * PG.DO_ROW;
    let tag = <u32>load<u8>(p);
    if (tag == M.VK_ABSENT || tag == M.VK_OVERFLOW) {
      p++;
      continue;
    }
    protoFork(field);
    stringField(1, <usize>load<u32>(dim + PG.DO_LABEL), <usize>load<u32>(dim + PG.DO_LABEL_LEN));
    protoFork(2);
    if (tag == M.VK_ENUM) {
      let code = load<i32>(p + 1);
      p += 5;
      literalField(1, load<u32>(dim + PG.DO_SOURCE) == M.DS_SPAN_KIND ? spanKindName(code) : statusCodeName(code));
    } else {
      p = anyValue(p);
    }
    protoLdelim();
    protoLdelim();
  }
}

/** Exemplars (XS_* at `x`) stamped with the collection time. */
function exemplars(field: u32, x: usize, timeNs: u64): void {
  let n = load<u32>(x + M.XS_COUNT);
  for (let i: u32 = 0; i < n; i++) {
    let e = x + M.XS_FIRST + <usize>i * M.XE_SIZE;
    protoFork(field);
    fixed64Field(2, timeNs);
    protoTag(3, WIRE_FIXED64);
    protoDouble(load<f64>(e + M.XE_VALUE));
    protoTag(4, WIRE_LEN);
    protoBytes(e + M.XE_SPAN_ID, 8);
    protoTag(5, WIRE_LEN);
    protoBytes(e + M.XE_TRACE_ID, 16);
    protoLdelim();
  }
}

/** An exponential histogram's bucket range (always written, even empty). */
function buckets(field: u32, r: usize): void {
  protoFork(field);
  let len = load<u32>(r + M.EB_LEN);
  let offset = len ? load<i32>(r + M.EB_START) : 0;
  if (offset) {
    protoTag(1, WIRE_VARINT);
    protoVarint(<u64>(<u32>((offset << 1) ^ (offset >> 31))));
  }
  if (len) {
    let counts = <usize>load<u32>(r + M.EB_COUNTS);
    protoFork(2);
    for (let i: u32 = 0; i < len; i++) protoVarint(load<u64>(counts + <usize>i * 8));
    protoLdelim();
  }
  protoLdelim();
}

/** One data point of metric kind `kind` from series record `rec`. */
function point(kind: u32, rec: usize, key: usize, keyLen: usize, agg: usize, aggConfig: usize, aggState: usize, timeNs: u64): void {
  let startNs = millisToNanos(load<f64>(rec + M.SR_START));
  let exAt = load<u32>(aggState + M.AGS_EXEMPLARS);
  let hist = load<u32>(aggState + M.AGS_HIST);
  protoFork(1);
  if (kind != PG.MK_DURATION) {
    fixed64Field(2, startNs);
    fixed64Field(3, timeNs);
    // as_int is one member of a oneof: written even when zero.
    protoTag(6, WIRE_FIXED64);
    protoFixed64(load<u64>(rec + (kind == PG.MK_SIZE ? M.SR_SIZE_SUM : M.SR_COUNT)));
    // Tempo's size counter carries no exemplars (it is not a span measurement).
    if (exAt && kind != PG.MK_SIZE) exemplars(5, rec + exAt, timeNs);
    dimensions(7, key, keyLen, agg);
  } else if (load<u32>(aggConfig + M.AGC_KIND) & M.AK_EXPONENTIAL) {
    let h = <usize>load<u32>(rec + hist);
    let count = load<u64>(h + M.EH_COUNT);
    dimensions(1, key, keyLen, agg);
    fixed64Field(2, startNs);
    fixed64Field(3, timeNs);
    fixed64Field(4, count);
    protoTag(5, WIRE_FIXED64);
    protoDouble(load<f64>(h + M.EH_SUM));
    let scale = load<i32>(h + M.EH_SCALE);
    if (scale) {
      protoTag(6, WIRE_VARINT);
      protoVarint(<u64>(<u32>((scale << 1) ^ (scale >> 31))));
    }
    fixed64Field(7, load<u64>(h + M.EH_ZERO_COUNT));
    buckets(8, h + M.EH_POS);
    buckets(9, h + M.EH_NEG);
    if (exAt) exemplars(11, rec + exAt, timeNs);
    if (count) {
      protoTag(12, WIRE_FIXED64);
      protoDouble(load<f64>(h + M.EH_MIN));
      protoTag(13, WIRE_FIXED64);
      protoDouble(load<f64>(h + M.EH_MAX));
    }
  } else {
    let h = rec + hist;
    let count = load<u64>(h + M.XH_COUNT);
    let nb = load<u32>(aggConfig + M.AGC_BOUND_COUNT);
    fixed64Field(2, startNs);
    fixed64Field(3, timeNs);
    fixed64Field(4, count);
    protoTag(5, WIRE_FIXED64);
    protoDouble(load<f64>(h + M.XH_SUM));
    protoTag(6, WIRE_LEN);
    protoVarint(<u64>(nb + 1) * 8);
    protoRaw(h + M.XH_BUCKETS, <usize>(nb + 1) * 8);
    if (nb) {
      protoTag(7, WIRE_LEN);
      protoVarint(<u64>nb * 8);
      protoRaw(<usize>load<u32>(aggConfig + M.AGC_BOUNDS), <usize>nb * 8);
    }
    if (exAt) exemplars(8, rec + exAt, timeNs);
    dimensions(9, key, keyLen, agg);
    if (count) {
      protoTag(11, WIRE_FIXED64);
      protoDouble(load<f64>(h + M.XH_MIN));
      protoTag(12, WIRE_FIXED64);
      protoDouble(load<f64>(h + M.XH_MAX));
    }
  }
  protoLdelim();
}

/**
 * Appends the connector's metrics at `now` to buffer `out` (with `stack` for the writer's open
 * fields). Returns false when memory ran out or a series key could not be read (nothing is
 * appended then: the buffer is cut back).
 */
export function spanMetricsEncode(state: usize, plan: usize, now: f64, out: usize, stack: usize): bool {
  let config = <usize>load<u32>(state + M.SMS_CONFIG);
  let nAggs = load<u32>(config + M.SMC_AGG_COUNT);
  let aggConfigs = <usize>load<u32>(config + M.SMC_AGGS);
  let aggStates = <usize>load<u32>(state + M.SMS_AGGS);
  let resources = <usize>load<u32>(state + M.SMS_RESOURCES);
  let nRes = tableCount(resources);
  let flags = load<u32>(plan + PG.SO_FLAGS);
  let timeNs = millisToNanos(now);

  // Per aggregation, the live series of each resource as a chain in record order:
  // head[a][r], tail[a][r], next[a][i].
  let words: usize = 0;
  for (let a: u32 = 0; a < nAggs; a++) words += <usize>nRes * 2 + <usize>tableCount(<usize>load<u32>(aggStates + <usize>a * M.AGS_SIZE + M.AGS_TABLE));
  let work = alloc(max<usize>(words, 1) * 4);
  if (!work) return false;
  memory.fill(work, 0xff, words * 4);
  let heads = memory.data(M.RS_MAX_AGGS * 4, 4);
  let at = work;
  for (let a: u32 = 0; a < nAggs; a++) {
    let ags = aggStates + <usize>a * M.AGS_SIZE;
    let table = <usize>load<u32>(ags + M.AGS_TABLE);
    let n = tableCount(table);
    let head = at;
    let tail = head + <usize>nRes * 4;
    let next = tail + <usize>nRes * 4;
    at = next + <usize>n * 4;
    store<u32>(heads + <usize>a * 4, <u32>head);
    for (let i: u32 = 0; i < n; i++) {
      let rec = tableRecord(table, i);
      if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) continue;
      let r = load<u32>(tableKey(table, rec) + M.SK_RESOURCE);
      if (r >= nRes || (load<u32>(tableRecord(resources, r) + M.R_FLAGS) & M.RF_DEAD)) continue;
      let last = load<u32>(tail + <usize>r * 4);
      if (last == NONE) store<u32>(head + <usize>r * 4, i);
      else store<u32>(next + <usize>last * 4, i);
      store<u32>(tail + <usize>r * 4, i);
    }
  }

  let start = bufLen(out);
  protoBegin(out, stack);
  badKey = false;
  let metrics = <usize>load<u32>(plan + PG.SO_METRICS);
  let nMetrics = load<u32>(plan + PG.SO_METRIC_COUNT);
  let aggOut = <usize>load<u32>(plan + PG.SO_AGGS);
  let temporality = flags & PG.SOF_DELTA ? TEMPORALITY_DELTA : TEMPORALITY_CUMULATIVE;
  for (let r: u32 = 0; r < nRes && !badKey; r++) {
    let res = tableRecord(resources, r);
    if (load<u32>(res + M.R_FLAGS) & M.RF_DEAD) continue;
    let any = false;
    for (let m: u32 = 0; m < nMetrics; m++) {
      let a = load<u32>(metrics + <usize>m * PG.MO_ROW + PG.MO_AGG);
      if (load<u32>(<usize>load<u32>(heads + <usize>a * 4) + <usize>r * 4) != NONE) any = true;
    }
    if (!any) continue;
    protoFork(1); // ResourceMetrics
    protoFork(1); // Resource
    let attrs = <usize>load<u32>(res + M.RS_ATTRS_PTR);
    if ((flags & PG.SOF_KEEP_RESOURCE_ATTRIBUTES) && attrs && load<u32>(res + M.RS_ATTRS_LEN) && load<u8>(attrs) == <u8>M.VK_KVLIST) {
      let n = load<u32>(attrs + 1);
      let p = attrs + 5;
      for (let i: u32 = 0; i < n && !badKey; i++) p = keyValue(1, p);
    }
    protoLdelim();
    protoFork(2); // ScopeMetrics
    protoFork(1);
    stringField(1, <usize>load<u32>(plan + PG.SO_SCOPE_NAME), <usize>load<u32>(plan + PG.SO_SCOPE_NAME_LEN));
    protoLdelim();
    for (let m: u32 = 0; m < nMetrics && !badKey; m++) {
      let mo = metrics + <usize>m * PG.MO_ROW;
      let a = load<u32>(mo + PG.MO_AGG);
      let first = load<u32>(<usize>load<u32>(heads + <usize>a * 4) + <usize>r * 4);
      if (first == NONE) continue;
      let kind = load<u32>(mo + PG.MO_KIND);
      let agc = aggConfigs + <usize>a * M.AGC_SIZE;
      let ags = aggStates + <usize>a * M.AGS_SIZE;
      let table = <usize>load<u32>(ags + M.AGS_TABLE);
      let next = <usize>load<u32>(heads + <usize>a * 4) + <usize>nRes * 8;
      protoFork(2); // Metric
      stringField(1, <usize>load<u32>(mo + PG.MO_NAME), <usize>load<u32>(mo + PG.MO_NAME_LEN));
      stringField(2, <usize>load<u32>(mo + PG.MO_DESCRIPTION), <usize>load<u32>(mo + PG.MO_DESCRIPTION_LEN));
      stringField(3, <usize>load<u32>(mo + PG.MO_UNIT), <usize>load<u32>(mo + PG.MO_UNIT_LEN));
      let exponential = (load<u32>(agc + M.AGC_KIND) & M.AK_EXPONENTIAL) != 0;
      protoFork(kind != PG.MK_DURATION ? 7 : exponential ? 10 : 9);
      for (let i = first; i != NONE && !badKey; i = load<u32>(next + <usize>i * 4)) {
        let rec = tableRecord(table, i);
        point(kind, rec, tableKey(table, rec), <usize>load<u32>(rec + M.R_KEY_LEN), aggOut + <usize>a * PG.AO_ROW, agc, ags, timeNs);
      }
      protoTag(2, WIRE_VARINT);
      protoVarint(temporality);
      if (kind != PG.MK_DURATION) {
        protoTag(3, WIRE_VARINT);
        protoVarint(1);
      }
      protoLdelim();
      protoLdelim();
    }
    protoLdelim();
    protoLdelim();
  }
  free(work);
  if (badKey || !protoOk()) {
    bufSetLen(out, start);
    return false;
  }
  return true;
}
