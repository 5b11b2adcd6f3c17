// OTTL converters (OP_CALL): the collector's ottlfuncs semantics for the supported subset. The
// arguments are on the VM stack (first argument lowest); the result goes into `dst`, which is the
// first argument's slot. Returns 0 or an RT_* code (the condition errors), as the Go functions
// return errors: a getter of the wrong type, nil where a value is needed, out-of-range indexes.
import * as L from '../abi/trace-layout';
import * as M from '../abi/metrics-layout';
import * as Q from '../abi/query-layout';
import { parseInt64, parseDouble, parsedInt, parsedDouble } from '../processors/number-text';
import { bytesEqual } from '../hash';
import { arenaAlloc } from './vm-arena';
import { input, metricRow, spanRow, batchHeader, findAttr } from './vm-state';
import { tracestateLookup, lastValid, tsValuePtr, tsValueLen } from '../processors/w3c-tracestate';
import { vType, vAux, vPay, setV, setBool, copyV, listElement, ottlCompare } from './ottl-values';
import { stringLike, changeCase, decodeRune, runeWidth } from './ottl-text';
import { metricType } from './ottl-fields';

const NIL_TEXT = memory.data<u8>([60, 110, 105, 108, 62]); // "<nil>"
const ELEM = memory.data(Q.C_SIZE, 8);

// @ts-ignore: decorator
@inline function arg(args: usize, i: u32): usize {
  return args + <usize>i * Q.C_SIZE;
}

/** Go's int64(float64) on amd64: NaN and out-of-range values give math.MinInt64. */
function truncToInt(f: f64): i64 {
  if (f != f || f >= 9223372036854775808.0 || f < -9223372036854775808.0) return i64.MIN_VALUE;
  return <i64>f;
}

/** Int(): the IntLikeGetter conversions; nil for nil and for what it cannot convert. */
function toInt(v: usize, dst: usize): void {
  switch (vType(v)) {
    case Q.VT_INT:
      copyV(dst, v);
      return;
    case Q.VT_FLOAT:
      setV(dst, Q.VT_INT, 0, <u64>truncToInt(reinterpret<f64>(vPay(v))));
      return;
    case Q.VT_BOOL:
      setV(dst, Q.VT_INT, 0, vPay(v) ? 1 : 0);
      return;
    case Q.VT_STRING:
      if (parseInt64(<usize>vPay(v), vAux(v))) setV(dst, Q.VT_INT, 0, <u64>parsedInt);
      else setV(dst, Q.VT_NIL, 0, 0);
      return;
  }
  setV(dst, Q.VT_NIL, 0, 0);
}

/** Double(): the FloatLikeGetter conversions; nil for nil and for what it cannot convert. */
function toDouble(v: usize, dst: usize): void {
  switch (vType(v)) {
    case Q.VT_FLOAT:
      copyV(dst, v);
      return;
    case Q.VT_INT:
      setV(dst, Q.VT_FLOAT, 0, reinterpret<u64>(<f64>(<i64>vPay(v))));
      return;
    case Q.VT_BOOL:
      setV(dst, Q.VT_FLOAT, 0, reinterpret<u64>(vPay(v) ? 1.0 : 0.0));
      return;
    case Q.VT_STRING:
      if (parseDouble(<usize>vPay(v), vAux(v))) setV(dst, Q.VT_FLOAT, 0, reinterpret<u64>(parsedDouble));
      else setV(dst, Q.VT_NIL, 0, 0);
      return;
  }
  setV(dst, Q.VT_NIL, 0, 0);
}

function lengthOf(v: usize, dst: usize): u32 {
  let t = vType(v);
  if (t == Q.VT_STRING || t == Q.VT_MAP || t == Q.VT_LIST || t == Q.VT_VLIST) {
    setV(dst, Q.VT_INT, 0, <u64>vAux(v));
    return 0;
  }
  return Q.RT_ARG_TYPE;
}

/** Concat(values, delimiter): each value's string form (nil as "<nil>") joined by the delimiter. */
function concat(list: usize, delim: usize, dst: usize): u32 {
  if (vType(delim) != Q.VT_STRING) return Q.RT_ARG_TYPE;
  let t = vType(list);
  if (t != Q.VT_VLIST && t != Q.VT_LIST) return Q.RT_ARG_TYPE;
  let n = vAux(list);
  // Each part's text lands on the arena; remember them to copy once the total is known.
  let parts = arenaAlloc(max<usize>(<usize>n * 8, 8));
  if (!parts) return Q.RT_OUT_OF_MEMORY;
  let total: usize = 0;
  for (let i: u32 = 0; i < n; i++) {
    listElement(list, i, ELEM);
    let p: usize;
    let len: u32;
    if (vType(ELEM) == Q.VT_NIL) {
      p = NIL_TEXT;
      len = 5;
    } else {
      let rt = stringLike(ELEM, ELEM);
      if (rt) return rt;
      p = <usize>vPay(ELEM);
      len = vAux(ELEM);
    }
    store<u32>(parts + (<usize>i << 3), <u32>p);
    store<u32>(parts + (<usize>i << 3) + 4, len);
    total += len;
  }
  let dl = vAux(delim);
  if (n > 1) total += <usize>(n - 1) * dl;
  let out = arenaAlloc(max<usize>(total, 1));
  if (!out) return Q.RT_OUT_OF_MEMORY;
  let at: usize = 0;
  for (let i: u32 = 0; i < n; i++) {
    if (i) {
      memory.copy(out + at, <usize>vPay(delim), dl);
      at += dl;
    }
    let len = <usize>load<u32>(parts + (<usize>i << 3) + 4);
    memory.copy(out + at, <usize>load<u32>(parts + (<usize>i << 3)), len);
    at += len;
  }
  setV(dst, Q.VT_STRING, <u32>at, <u64>out);
  return 0;
}

/** Substring(target, start, length[, utf8_safe]), checked in the Go function's order. */
function substring(target: usize, start: usize, length: usize, utf8Safe: bool, dst: usize): u32 {
  if (vType(start) != Q.VT_INT) return Q.RT_ARG_TYPE;
  let s = <i64>vPay(start);
  if (s < 0) return Q.RT_SUBSTRING;
  if (vType(length) != Q.VT_INT) return Q.RT_ARG_TYPE;
  let n = <i64>vPay(length);
  if (n <= 0) return Q.RT_SUBSTRING;
  if (vType(target) != Q.VT_STRING) return Q.RT_ARG_TYPE;
  let p = <usize>vPay(target);
  let size = <i64>vAux(target);
  if (s > size || n > size - s) return Q.RT_SUBSTRING;
  if (!utf8Safe) {
    setV(dst, Q.VT_STRING, <u32>n, <u64>(p + <usize>s));
    return 0;
  }
  // Rune offsets (each invalid byte counts as one rune, as Go's range over a string does).
  let end = s + n;
  let runes: i64 = 0;
  let i: usize = 0;
  let byteStart: usize = 0;
  while (i < <usize>size) {
    if (runes == s) byteStart = i;
    if (runes == end) {
      setV(dst, Q.VT_STRING, <u32>(i - byteStart), <u64>(p + byteStart));
      return 0;
    }
    decodeRune(p + i, <usize>size - i);
    i += runeWidth;
    runes++;
  }
  if (runes == end) {
    setV(dst, Q.VT_STRING, <u32>(<usize>size - byteStart), <u64>(p + byteStart));
    return 0;
  }
  return Q.RT_SUBSTRING;
}

function affix(value: usize, fix: usize, suffix: bool, dst: usize): u32 {
  if (vType(value) != Q.VT_STRING || vType(fix) != Q.VT_STRING) return Q.RT_ARG_TYPE;
  let n = vAux(value);
  let k = vAux(fix);
  let ok = k <= n && bytesEqual(<usize>vPay(value) + (suffix ? <usize>(n - k) : 0), <usize>vPay(fix), k);
  setBool(dst, ok);
  return 0;
}

function containsValue(list: usize, item: usize, dst: usize): u32 {
  let t = vType(list);
  if (t != Q.VT_LIST && t != Q.VT_VLIST) return Q.RT_ARG_TYPE;
  let n = vAux(list);
  for (let i: u32 = 0; i < n; i++) {
    listElement(list, i, ELEM);
    if (ottlCompare(ELEM, item, Q.CMP_EQ)) {
      setBool(dst, true);
      return 0;
    }
  }
  setBool(dst, false);
  return 0;
}

/**
 * HasAttrOnDatapoint / HasAttrKeyOnDatapoint (filter's metric functions): the first data point
 * holding `key` decides — with a value, by its string form (non-strings read as "").
 */
function attrOnPoint(key: usize, value: usize, dst: usize): u32 {
  if (vType(key) != Q.VT_KEY || (value && vType(value) != Q.VT_STRING)) return Q.RT_ARG_TYPE;
  if (metricType(metricRow) == 0) return Q.RT_METRIC_TYPE;
  let points = <usize>load<u32>(batchHeader + M.B_POINTS);
  let first = load<u32>(metricRow + M.M_POINT_START);
  let count = load<u32>(metricRow + M.M_POINT_COUNT);
  let kp = <usize>(<u32>vPay(key));
  let kh = <u32>(vPay(key) >> 32);
  let kl = vAux(key);
  for (let i: u32 = 0; i < count; i++) {
    let pt = points + <usize>(first + i) * M.DP_ROW;
    let row = findAttr(load<u32>(pt + M.DP_ATTR_START), load<u32>(pt + M.DP_ATTR_COUNT), kh, kp, kl);
    if (!row) continue;
    if (!value) {
      setBool(dst, true);
      return 0;
    }
    let isString = load<u32>(row + L.A_TYPE) == L.V_STRING;
    let v = load<u64>(row + L.A_VALUE);
    let len: u32 = isString ? <u32>(v >> 32) : 0;
    setBool(dst, len == vAux(value) && bytesEqual(input + <usize>(<u32>v), <usize>vPay(value), len));
    return 0;
  }
  setBool(dst, false);
  return 0;
}

/**
 * trace_state["key"]: the entry's value, "" when the key is absent (Go's TraceState.Get), nil when
 * the header is not a valid W3C tracestate.
 */
function traceStateKey(key: usize, dst: usize): u32 {
  if (vType(key) != Q.VT_KEY) return Q.RT_ARG_TYPE;
  let p = input + <usize>load<u32>(spanRow + L.SP_TRACE_STATE_OFF);
  let n = <usize>load<u32>(spanRow + L.SP_TRACE_STATE_LEN);
  let found = tracestateLookup(p, n, <usize>(<u32>vPay(key)), vAux(key));
  if (!lastValid) setV(dst, Q.VT_NIL, 0, 0);
  else if (found) setV(dst, Q.VT_STRING, <u32>tsValueLen, <u64>tsValuePtr);
  else setV(dst, Q.VT_STRING, 0, <u64>input);
  return 0;
}

/** Runs converter `fn` on `argc` arguments starting at `args`; the result replaces args[0]. */
export function ottlCall(fn: u32, argc: u32, args: usize): u32 {
  let a0 = arg(args, 0);
  switch (fn) {
    case Q.FN_IS_STRING:
      setBool(a0, vType(a0) == Q.VT_STRING);
      return 0;
    case Q.FN_IS_INT:
      setBool(a0, vType(a0) == Q.VT_INT);
      return 0;
    case Q.FN_IS_DOUBLE:
      setBool(a0, vType(a0) == Q.VT_FLOAT);
      return 0;
    case Q.FN_IS_BOOL:
      setBool(a0, vType(a0) == Q.VT_BOOL);
      return 0;
    case Q.FN_IS_MAP:
      setBool(a0, vType(a0) == Q.VT_MAP);
      return 0;
    case Q.FN_IS_LIST: {
      let t = vType(a0);
      setBool(a0, t == Q.VT_LIST || t == Q.VT_VLIST);
      return 0;
    }
    case Q.FN_LEN:
      return lengthOf(a0, a0);
    case Q.FN_CONCAT:
      return concat(a0, arg(args, 1), a0);
    case Q.FN_TO_LOWER:
    case Q.FN_TO_UPPER:
      if (vType(a0) != Q.VT_STRING) return Q.RT_ARG_TYPE;
      return changeCase(a0, a0, fn == Q.FN_TO_UPPER);
    case Q.FN_SUBSTRING:
      return substring(a0, arg(args, 1), arg(args, 2), argc > 3 && vPay(arg(args, 3)) != 0, a0);
    case Q.FN_INT:
      toInt(a0, a0);
      return 0;
    case Q.FN_DOUBLE:
      toDouble(a0, a0);
      return 0;
    case Q.FN_STRING:
      if (vType(a0) == Q.VT_NIL) return 0;
      return stringLike(a0, a0);
    case Q.FN_HAS_PREFIX:
    case Q.FN_HAS_SUFFIX:
      return affix(a0, arg(args, 1), fn == Q.FN_HAS_SUFFIX, a0);
    case Q.FN_CONTAINS_VALUE:
      return containsValue(a0, arg(args, 1), a0);
    case Q.FN_HAS_ATTR_ON_POINT:
      return attrOnPoint(a0, arg(args, 1), a0);
    case Q.FN_HAS_ATTR_KEY_ON_POINT:
      return attrOnPoint(a0, 0, a0);
    case Q.FN_TRACE_STATE_KEY:
      return traceStateKey(a0, a0);
  }
  return Q.RT_ARG_TYPE;
}

/**
 * Whether converter `fn` may be called with `argc` arguments by a program of context `ctx` (the
 * rows it reads must be bound), for qprogLoad's checks.
 */
export function callAllowed(fn: u32, argc: u32, ctx: u32): bool {
  if ((fn == Q.FN_HAS_ATTR_ON_POINT || fn == Q.FN_HAS_ATTR_KEY_ON_POINT) && ctx != Q.CTX_METRIC) return false;
  if (fn == Q.FN_TRACE_STATE_KEY && ctx != Q.CTX_SPAN && ctx != Q.CTX_SPANEVENT) return false;
  switch (fn) {
    case Q.FN_IS_STRING:
    case Q.FN_IS_INT:
    case Q.FN_IS_DOUBLE:
    case Q.FN_IS_BOOL:
    case Q.FN_IS_MAP:
    case Q.FN_IS_LIST:
    case Q.FN_LEN:
    case Q.FN_TO_LOWER:
    case Q.FN_TO_UPPER:
    case Q.FN_INT:
    case Q.FN_DOUBLE:
    case Q.FN_STRING:
    case Q.FN_HAS_ATTR_KEY_ON_POINT:
    case Q.FN_TRACE_STATE_KEY:
      return argc == 1;
    case Q.FN_CONCAT:
    case Q.FN_HAS_PREFIX:
    case Q.FN_HAS_SUFFIX:
    case Q.FN_CONTAINS_VALUE:
    case Q.FN_HAS_ATTR_ON_POINT:
      return argc == 2;
    case Q.FN_SUBSTRING:
      return argc == 3 || argc == 4;
  }
  return false;
}
