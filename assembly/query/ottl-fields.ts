// The OTTL contexts' fields (IN_* ≥ IN_OTTL_BASE), read from the bound rows and typed as the
// collector's getters return them: integers as int64, times as Unix nanoseconds (int64) or
// time.Time, ids as TraceID/SpanID bytes, enums as int64, and nil where a field does not apply to
// the bound item (a histogram point's value_double…). Which context may read which field is
// checked when a program is loaded (fieldAllowed).
import * as L from '../abi/trace-layout';
import * as B from '../abi/batch-layout';
import * as G from '../abi/logs-layout';
import * as M from '../abi/metrics-layout';
import * as Q from '../abi/query-layout';
import { input, attrs, spanRow, resRow, scopeRow, eventRow, logRow, metricRow, pointRow } from './vm-state';
import { setV, setBool } from './ottl-values';
import { hexString, rowAsString } from './ottl-text';

// Span kind names: ptrace.SpanKind.String() and the deprecated SPAN_KIND_* form.
const KIND_NAMES = memory.data<u8>([
  85, 110, 115, 112, 101, 99, 105, 102, 105, 101, 100, // Unspecified
  73, 110, 116, 101, 114, 110, 97, 108, // Internal
  83, 101, 114, 118, 101, 114, // Server
  67, 108, 105, 101, 110, 116, // Client
  80, 114, 111, 100, 117, 99, 101, 114, // Producer
  67, 111, 110, 115, 117, 109, 101, 114, // Consumer
]);
const KIND_AT = memory.data<u8>([0, 11, 19, 25, 31, 39, 47]);
const KIND_UPPER = memory.data<u8>([
  85, 78, 83, 80, 69, 67, 73, 70, 73, 69, 68, // UNSPECIFIED
  73, 78, 84, 69, 82, 78, 65, 76, // INTERNAL
  83, 69, 82, 86, 69, 82, // SERVER
  67, 76, 73, 69, 78, 84, // CLIENT
  80, 82, 79, 68, 85, 67, 69, 82, // PRODUCER
  67, 79, 78, 83, 85, 77, 69, 82, // CONSUMER
]);
// "SPAN_KIND_" + the upper-case name, built once per kind into this buffer.
const DEPRECATED = memory.data(6 * 24, 8);
let deprecatedReady = false;

function prepareDeprecated(): void {
  let prefix = 'SPAN_KIND_';
  for (let k = 0; k < 6; k++) {
    let at = DEPRECATED + <usize>k * 24;
    for (let i = 0; i < prefix.length; i++) store<u8>(at + <usize>i, <u8>prefix.charCodeAt(i));
    let s = <usize>load<u8>(KIND_AT + k);
    let e = <usize>load<u8>(KIND_AT + k + 1);
    memory.copy(at + 10, KIND_UPPER + s, e - s);
  }
  deprecatedReady = true;
}

function kindString(dst: usize, kind: i32, deprecated: bool): void {
  if (kind < 0 || kind > 5) {
    // Kinds outside the enum have no name (the collector's String() gives "").
    setV(dst, Q.VT_STRING, 0, <u64>KIND_NAMES);
    return;
  }
  let s = <usize>load<u8>(KIND_AT + kind);
  let e = <usize>load<u8>(KIND_AT + kind + 1);
  if (!deprecated) {
    setV(dst, Q.VT_STRING, <u32>e - <u32>s, <u64>(KIND_NAMES + s));
    return;
  }
  if (!deprecatedReady) prepareDeprecated();
  setV(dst, Q.VT_STRING, 10 + <u32>e - <u32>s, <u64>(DEPRECATED + <usize>kind * 24));
}

// @ts-ignore: decorator
@inline function str(dst: usize, off: u32, len: u32): void {
  setV(dst, Q.VT_STRING, len, <u64>(input + <usize>off));
}

// @ts-ignore: decorator
@inline function int(dst: usize, v: i64): void {
  setV(dst, Q.VT_INT, 0, <u64>v);
}

// @ts-ignore: decorator
@inline function nil(dst: usize): void {
  setV(dst, Q.VT_NIL, 0, 0);
}

function allZero(p: usize, n: usize): bool {
  for (let i: usize = 0; i < n; i++) if (load<u8>(p + i)) return false;
  return true;
}

/** pmetric.MetricType of a metric row (0 empty, 1 gauge, 2 sum, 3 histogram, 4 exponential, 5 summary). */
export function metricType(row: usize): i64 {
  switch (load<u32>(row + M.M_TYPE)) {
    case M.MT_GAUGE:
      return 1;
    case M.MT_SUM:
      return 2;
    case M.MT_HISTOGRAM:
      return 3;
    case M.MT_EXPONENTIAL_HISTOGRAM:
      return 4;
    case M.MT_SUMMARY:
      return 5;
  }
  return 0;
}

/** Reads field `id` of the bound item into `dst`. 0, or RT_OUT_OF_MEMORY (hex and body text). */
export function ottlField(id: u32, dst: usize): u32 {
  switch (id) {
    // Span
    case Q.IN_SPAN_NAME:
      str(dst, load<u32>(spanRow + L.SP_NAME_OFF), load<u32>(spanRow + L.SP_NAME_LEN));
      return 0;
    case Q.IN_SPAN_KIND:
      int(dst, <i64>load<i32>(spanRow + L.SP_KIND));
      return 0;
    case Q.IN_SPAN_KIND_STRING:
      kindString(dst, load<i32>(spanRow + L.SP_KIND), false);
      return 0;
    case Q.IN_SPAN_KIND_DEPRECATED:
      kindString(dst, load<i32>(spanRow + L.SP_KIND), true);
      return 0;
    case Q.IN_SPAN_STATUS_CODE:
      int(dst, <i64>load<i32>(spanRow + L.SP_STATUS_CODE));
      return 0;
    case Q.IN_SPAN_STATUS_MESSAGE:
      str(dst, load<u32>(spanRow + L.SP_STATUS_MSG_OFF), load<u32>(spanRow + L.SP_STATUS_MSG_LEN));
      return 0;
    case Q.IN_SPAN_TRACE_ID:
      setV(dst, Q.VT_ID, 16, <u64>(spanRow + L.SP_TRACE_ID));
      return 0;
    case Q.IN_SPAN_TRACE_ID_STRING:
      return hexString(spanRow + L.SP_TRACE_ID, 16, dst);
    case Q.IN_SPAN_SPAN_ID:
      setV(dst, Q.VT_ID, 8, <u64>(spanRow + L.SP_SPAN_ID));
      return 0;
    case Q.IN_SPAN_SPAN_ID_STRING:
      return hexString(spanRow + L.SP_SPAN_ID, 8, dst);
    case Q.IN_SPAN_PARENT_ID:
      setV(dst, Q.VT_ID, 8, <u64>(spanRow + L.SP_PARENT_ID));
      return 0;
    case Q.IN_SPAN_PARENT_ID_STRING:
      return hexString(spanRow + L.SP_PARENT_ID, 8, dst);
    case Q.IN_SPAN_TRACE_STATE:
      str(dst, load<u32>(spanRow + L.SP_TRACE_STATE_OFF), load<u32>(spanRow + L.SP_TRACE_STATE_LEN));
      return 0;
    case Q.IN_SPAN_START_NANOS:
      int(dst, <i64>load<u64>(spanRow + L.SP_START));
      return 0;
    case Q.IN_SPAN_END_NANOS:
      int(dst, <i64>load<u64>(spanRow + L.SP_END));
      return 0;
    case Q.IN_SPAN_START_TIME:
      setV(dst, Q.VT_TIME, 0, load<u64>(spanRow + L.SP_START));
      return 0;
    case Q.IN_SPAN_END_TIME:
      setV(dst, Q.VT_TIME, 0, load<u64>(spanRow + L.SP_END));
      return 0;
    case Q.IN_SPAN_DROPPED_ATTRS:
      int(dst, <i64>load<u32>(spanRow + L.SP_DROPPED_ATTRS));
      return 0;
    case Q.IN_SPAN_DROPPED_EVENTS:
      int(dst, <i64>load<u32>(spanRow + L.SP_DROPPED_EVENTS));
      return 0;
    case Q.IN_SPAN_DROPPED_LINKS:
      int(dst, <i64>load<u32>(spanRow + L.SP_DROPPED_LINKS));
      return 0;
    case Q.IN_SPAN_IS_ROOT:
      setBool(dst, allZero(spanRow + L.SP_PARENT_ID, 8));
      return 0;
    // Span event
    case Q.IN_EVENT_NAME_OTTL:
      str(dst, load<u32>(eventRow + L.E_NAME_OFF), load<u32>(eventRow + L.E_NAME_LEN));
      return 0;
    case Q.IN_EVENT_TIME_NANOS:
      int(dst, <i64>load<u64>(eventRow + L.E_TIME));
      return 0;
    case Q.IN_EVENT_TIME:
      setV(dst, Q.VT_TIME, 0, load<u64>(eventRow + L.E_TIME));
      return 0;
    case Q.IN_EVENT_DROPPED_ATTRS:
      int(dst, <i64>load<u32>(eventRow + L.E_DROPPED_ATTRS));
      return 0;
    // Resource and scope
    case Q.IN_RESOURCE_DROPPED_ATTRS:
      int(dst, <i64>load<u32>(resRow + B.R_DROPPED_ATTRS));
      return 0;
    case Q.IN_RESOURCE_SCHEMA_URL:
      str(dst, load<u32>(resRow + B.R_SCHEMA_URL_OFF), load<u32>(resRow + B.R_SCHEMA_URL_LEN));
      return 0;
    case Q.IN_SCOPE_NAME_OTTL:
      str(dst, load<u32>(scopeRow + B.S_NAME_OFF), load<u32>(scopeRow + B.S_NAME_LEN));
      return 0;
    case Q.IN_SCOPE_VERSION_OTTL:
      str(dst, load<u32>(scopeRow + B.S_VERSION_OFF), load<u32>(scopeRow + B.S_VERSION_LEN));
      return 0;
    case Q.IN_SCOPE_DROPPED_ATTRS:
      int(dst, <i64>load<u32>(scopeRow + B.S_DROPPED_ATTRS));
      return 0;
    case Q.IN_SCOPE_SCHEMA_URL:
      str(dst, load<u32>(scopeRow + B.S_SCHEMA_URL_OFF), load<u32>(scopeRow + B.S_SCHEMA_URL_LEN));
      return 0;
    // Log record
    case Q.IN_LOG_TIME_NANOS:
      int(dst, <i64>load<u64>(logRow + G.LR_TIME));
      return 0;
    case Q.IN_LOG_OBSERVED_NANOS:
      int(dst, <i64>load<u64>(logRow + G.LR_OBSERVED_TIME));
      return 0;
    case Q.IN_LOG_TIME:
      setV(dst, Q.VT_TIME, 0, load<u64>(logRow + G.LR_TIME));
      return 0;
    case Q.IN_LOG_OBSERVED_TIME:
      setV(dst, Q.VT_TIME, 0, load<u64>(logRow + G.LR_OBSERVED_TIME));
      return 0;
    case Q.IN_LOG_SEVERITY_NUMBER:
      int(dst, <i64>load<i32>(logRow + G.LR_SEVERITY));
      return 0;
    case Q.IN_LOG_SEVERITY_TEXT:
      str(dst, load<u32>(logRow + G.LR_SEVERITY_TEXT_OFF), load<u32>(logRow + G.LR_SEVERITY_TEXT_LEN));
      return 0;
    case Q.IN_LOG_BODY_STRING: {
      let body = load<u32>(logRow + G.LR_BODY_ROW);
      if (body == B.NO_ROW) {
        setV(dst, Q.VT_STRING, 0, <u64>input);
        return 0;
      }
      return rowAsString(attrs + <usize>body * L.A_ROW, dst);
    }
    case Q.IN_LOG_DROPPED_ATTRS:
      int(dst, <i64>load<u32>(logRow + G.LR_DROPPED_ATTRS));
      return 0;
    case Q.IN_LOG_FLAGS:
      int(dst, <i64>load<u32>(logRow + G.LR_FLAGS));
      return 0;
    case Q.IN_LOG_TRACE_ID:
      setV(dst, Q.VT_ID, 16, <u64>(logRow + G.LR_TRACE_ID));
      return 0;
    case Q.IN_LOG_TRACE_ID_STRING:
      return hexString(logRow + G.LR_TRACE_ID, 16, dst);
    case Q.IN_LOG_SPAN_ID:
      setV(dst, Q.VT_ID, 8, <u64>(logRow + G.LR_SPAN_ID));
      return 0;
    case Q.IN_LOG_SPAN_ID_STRING:
      return hexString(logRow + G.LR_SPAN_ID, 8, dst);
    case Q.IN_LOG_EVENT_NAME:
      str(dst, load<u32>(logRow + G.LR_EVENT_NAME_OFF), load<u32>(logRow + G.LR_EVENT_NAME_LEN));
      return 0;
    // Metric
    case Q.IN_METRIC_NAME:
      str(dst, load<u32>(metricRow + M.M_NAME_OFF), load<u32>(metricRow + M.M_NAME_LEN));
      return 0;
    case Q.IN_METRIC_DESCRIPTION:
      str(dst, load<u32>(metricRow + M.M_DESCRIPTION_OFF), load<u32>(metricRow + M.M_DESCRIPTION_LEN));
      return 0;
    case Q.IN_METRIC_UNIT:
      str(dst, load<u32>(metricRow + M.M_UNIT_OFF), load<u32>(metricRow + M.M_UNIT_LEN));
      return 0;
    case Q.IN_METRIC_TYPE:
      int(dst, metricType(metricRow));
      return 0;
    case Q.IN_METRIC_TEMPORALITY: {
      let t = metricType(metricRow);
      if (t == 2 || t == 3 || t == 4) int(dst, <i64>load<i32>(metricRow + M.M_TEMPORALITY));
      else nil(dst);
      return 0;
    }
    case Q.IN_METRIC_MONOTONIC:
      if (metricType(metricRow) == 2) setBool(dst, load<u32>(metricRow + M.M_MONOTONIC) != 0);
      else nil(dst);
      return 0;
    // Data point (the metric's type says which kind of point it is)
    case Q.IN_POINT_START_NANOS:
      int(dst, <i64>load<u64>(pointRow + M.DP_START_TIME));
      return 0;
    case Q.IN_POINT_TIME_NANOS:
      int(dst, <i64>load<u64>(pointRow + M.DP_TIME));
      return 0;
    case Q.IN_POINT_START_TIME:
      setV(dst, Q.VT_TIME, 0, load<u64>(pointRow + M.DP_START_TIME));
      return 0;
    case Q.IN_POINT_TIME:
      setV(dst, Q.VT_TIME, 0, load<u64>(pointRow + M.DP_TIME));
      return 0;
    case Q.IN_POINT_VALUE_DOUBLE:
    case Q.IN_POINT_VALUE_INT: {
      let t = metricType(metricRow);
      if (t != 1 && t != 2) {
        nil(dst);
        return 0;
      }
      // pdata's DoubleValue()/IntValue() give 0 when the point holds the other kind (or none).
      let presence = load<u32>(pointRow + M.DP_PRESENCE);
      if (id == Q.IN_POINT_VALUE_DOUBLE) setV(dst, Q.VT_FLOAT, 0, presence & M.PV_DOUBLE ? load<u64>(pointRow + M.DP_VALUE) : 0);
      else int(dst, presence & M.PV_INT ? <i64>load<u64>(pointRow + M.DP_VALUE) : 0);
      return 0;
    }
    case Q.IN_POINT_FLAGS:
      int(dst, <i64>load<u32>(pointRow + M.DP_FLAGS));
      return 0;
    case Q.IN_POINT_COUNT:
    case Q.IN_POINT_SUM: {
      let t = metricType(metricRow);
      if (t < 3) nil(dst);
      else if (id == Q.IN_POINT_COUNT) int(dst, <i64>load<u64>(pointRow + M.DP_COUNT));
      else setV(dst, Q.VT_FLOAT, 0, load<u64>(pointRow + M.DP_SUM));
      return 0;
    }
    case Q.IN_POINT_SCALE:
    case Q.IN_POINT_ZERO_COUNT:
    case Q.IN_POINT_POSITIVE_OFFSET:
    case Q.IN_POINT_NEGATIVE_OFFSET: {
      if (metricType(metricRow) != 4) {
        nil(dst);
        return 0;
      }
      if (id == Q.IN_POINT_SCALE) int(dst, <i64>load<i32>(pointRow + M.DP_SCALE));
      else if (id == Q.IN_POINT_ZERO_COUNT) int(dst, <i64>load<u64>(pointRow + M.DP_ZERO_COUNT));
      else if (id == Q.IN_POINT_POSITIVE_OFFSET) int(dst, <i64>load<i32>(pointRow + M.DP_POSITIVE_OFFSET));
      else int(dst, <i64>load<i32>(pointRow + M.DP_NEGATIVE_OFFSET));
      return 0;
    }
  }
  nil(dst);
  return 0;
}

// Contexts each field can be read in, as bits (1 << CTX_*).
const SPANS: u32 = (1 << Q.CTX_SPAN) | (1 << Q.CTX_SPANEVENT);
const EVENTS: u32 = 1 << Q.CTX_SPANEVENT;
const ALL: u32 = (1 << Q.CTX_COUNT) - 1;
const SCOPED: u32 = ALL & ~(<u32>(1 << Q.CTX_RESOURCE));
const LOGS: u32 = 1 << Q.CTX_LOG;
const METRICS: u32 = (1 << Q.CTX_METRIC) | (1 << Q.CTX_DATAPOINT);
const POINTS: u32 = 1 << Q.CTX_DATAPOINT;

/** Whether an OTTL field may be read by a program of context `ctx` (the row it reads is bound). */
export function fieldAllowed(id: u32, ctx: u32): bool {
  let bits: u32 = 0;
  if (id <= <u32>Q.IN_SPAN_IS_ROOT) bits = SPANS;
  else if (id <= <u32>Q.IN_EVENT_DROPPED_ATTRS) bits = EVENTS;
  else if (id <= <u32>Q.IN_RESOURCE_SCHEMA_URL) bits = ALL;
  else if (id <= <u32>Q.IN_SCOPE_SCHEMA_URL) bits = SCOPED;
  else if (id <= <u32>Q.IN_LOG_EVENT_NAME) bits = LOGS;
  else if (id <= <u32>Q.IN_METRIC_MONOTONIC) bits = METRICS;
  else if (id < <u32>Q.IN_OTTL_END) bits = POINTS;
  return (bits >> ctx) & 1 ? true : false;
}

/** Whether attribute scope `scope` may be read by a program of context `ctx`. */
export function scopeAllowed(scope: u32, ctx: u32): bool {
  let bits: u32 = 0;
  switch (scope) {
    case Q.SC_SPAN:
      bits = SPANS;
      break;
    case Q.SC_RESOURCE:
      bits = ALL;
      break;
    case Q.SC_SCOPE:
      bits = SCOPED;
      break;
    case Q.SC_EVENT:
      bits = EVENTS;
      break;
    case Q.SC_LOG:
    case Q.SC_BODY:
      bits = LOGS;
      break;
    case Q.SC_METRIC:
      bits = METRICS;
      break;
    case Q.SC_POINT:
      bits = POINTS;
      break;
  }
  return (bits >> ctx) & 1 ? true : false;
}
