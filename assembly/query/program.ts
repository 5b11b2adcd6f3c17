// The predicate VM: a stack machine over typed values that evaluates a compiled program for every
// span of a span-set context in one call (qRun → a mask, qValues → one value per span). Bytecode
// and value layout: abi/query-layout.ts and docs/PREDICATE-VM.md. Comparison rules are a mode of
// the program (MODE_TRACEQL here); opcodes don't bake in one language's type rules.
//
// Spans whose program reads event (link) values are evaluated once per event (link) and match if
// any binding matches; a span without events is evaluated once with event values nil.
import * as L from '../abi/trace-layout';
import * as Q from '../abi/query-layout';
import * as E from '../abi/errors';
import * as B from '../abi/batch-layout';
import { alloc, free } from '../mem/alloc';
import { clearError, fail, failPlain, setInputBase } from '../errors';
import { hash32, bytesEqual } from '../hash';
import { regexRun, regexCheck } from '../regex/match';
import * as G from '../abi/logs-layout';
import * as M from '../abi/metrics-layout';
import { input, attrs, nested, batchHeader, spanRow, resRow, scopeRow, eventRow, linkRow, logRow, metricRow, pointRow, findAttr, bindBatch, bindRows, bindResource, bindEvent, bindLink } from './vm-state';
import { vType, vAux, vPay, setV, setBool, bytesCompare, ordered, valueFromRow as ottlValueFromRow, ottlCompare, ottlArith, ottlNegate, ottlIndex } from './ottl-values';
import { ottlField, fieldAllowed, scopeAllowed } from './ottl-fields';
import { ottlCall, callAllowed } from './ottl-calls';
import { stringLike } from './ottl-text';
import { arenaAlloc } from './vm-arena';

// ---------------------------------------------------------------------------------------------
// State of the span being evaluated

let prog: usize = 0;
let code: usize = 0;
let consts: usize = 0;
let ctxp: usize = 0;
let stk: usize = 0;
let stkCap: u32 = 0;
// Per-instruction memo (8 bytes per code word): owner row and result of resource/scope compares.
let memo: usize = 0;
let memoCap: u32 = 0;

let spanIdx: u32 = 0;
let curBatch: u32 = 0xffffffff;

let runtimeError: u32 = 0;
/** The running program is an OTTL program (MODE_OTTL): its comparison, math and lookup rules. */
let ottl = false;
/** Where the last runtime error happened: the failing instruction (code word index) and value type. */
export let rtPc: u32 = 0;
export let rtType: u32 = 0;
const NIL_SLOT = memory.data(16, 8);

// Two buffers for ids rendered as hex (an id compared with an id needs both).
const HEX_A = memory.data(40, 8);
const HEX_B = memory.data(40, 8);
const HEXCHARS = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
// "service.name", for trace:rootService.
const SERVICE_NAME = memory.data<u8>([115, 101, 114, 118, 105, 99, 101, 46, 110, 97, 109, 101, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
let serviceNameHash: u32 = 0;
// Scratch values for fused ops and array elements.
const TMP_A = memory.data(16, 8);
const TMP_B = memory.data(16, 8);
const TMP_E = memory.data(16, 8);

function selectBatch(b: u32): void {
  if (b == curBatch) return;
  curBatch = b;
  let dir = <usize>load<u32>(ctxp + Q.Q_ATTR_HASHES) + (<usize>b << 3);
  bindBatch(<usize>load<u32>(<usize>load<u32>(ctxp + Q.Q_BATCHES) + (<usize>b << 2)), load<u32>(dir + 4) ? <usize>load<u32>(dir) : 0);
}

/** Fills each batch's dense key-hash column once its attribute table exists. */
function prepareHashes(ctx: usize): void {
  let n = load<u32>(ctx + Q.Q_BATCH_COUNT);
  let dir = <usize>load<u32>(ctx + Q.Q_ATTR_HASHES);
  for (let b: u32 = 0; b < n; b++) {
    let slot = dir + (<usize>b << 3);
    if (load<u32>(slot + 4)) continue;
    let h = <usize>load<u32>(<usize>load<u32>(ctx + Q.Q_BATCHES) + (<usize>b << 2));
    if (!(load<u32>(h + L.B_FLAGS) & L.BATCH_ATTRS_BUILT)) continue;
    let rows = <usize>load<u32>(h + L.B_ATTRS);
    let count = <usize>load<u32>(h + L.B_ATTR_COUNT);
    let col = <usize>load<u32>(slot);
    for (let i: usize = 0; i < count; i++) store<u32>(col + (i << 2), load<u32>(rows + i * L.A_ROW + L.A_KEY_HASH));
    store<u32>(slot + 4, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Values from attribute rows

/** A scalar attribute row as a VM value; false if it is not a queryable scalar. */
function scalarFromRow(row: usize, dst: usize): bool {
  let t = load<u32>(row + L.A_TYPE);
  let v = load<u64>(row + L.A_VALUE);
  if (t == L.V_STRING) {
    setV(dst, Q.VT_STRING, <u32>(v >> 32), <u64>(input + <usize>(<u32>v)));
  } else if (t == L.V_INT) {
    setV(dst, Q.VT_INT, 0, v);
  } else if (t == L.V_DOUBLE) {
    setV(dst, Q.VT_FLOAT, 0, v);
  } else if (t == L.V_BOOL) {
    setV(dst, Q.VT_BOOL, 0, v);
  } else {
    return false;
  }
  return true;
}

/** An attribute row's value (arrays: homogeneous scalars; one element collapses; else nil). */
function valueFromRow(row: usize, dst: usize): void {
  let t = load<u32>(row + L.A_TYPE);
  if (t == L.V_ARRAY) {
    let v = load<u64>(row + L.A_VALUE);
    let firstRow = nested + <usize>(<u32>v) * L.A_ROW;
    let n = <u32>(v >> 32);
    if (n == 0) {
      setV(dst, Q.VT_NIL, 0, 0);
      return;
    }
    let et = load<u32>(firstRow + L.A_TYPE);
    if (et != L.V_STRING && et != L.V_INT && et != L.V_DOUBLE && et != L.V_BOOL) {
      setV(dst, Q.VT_NIL, 0, 0);
      return;
    }
    for (let i: u32 = 1; i < n; i++) {
      if (load<u32>(firstRow + <usize>i * L.A_ROW + L.A_TYPE) != et) {
        setV(dst, Q.VT_NIL, 0, 0);
        return;
      }
    }
    if (n == 1) {
      scalarFromRow(firstRow, dst);
      return;
    }
    setV(dst, Q.VT_ARRAY, n | (et << 24), <u64>firstRow);
    return;
  }
  if (!scalarFromRow(row, dst)) setV(dst, Q.VT_NIL, 0, 0);
}

function loadAttr(scope: u32, key: usize, dst: usize): void {
  if (ottl) {
    if (scope == Q.SC_BODY) {
      let body = load<u32>(logRow + G.LR_BODY_ROW);
      // No body is pcommon's empty value: equal to nil, but not indexable.
      if (body == B.NO_ROW) setV(dst, Q.VT_NIL, Q.NIL_EMPTY, 0);
      else ottlValueFromRow(attrs + <usize>body * L.A_ROW, dst);
      return;
    }
    let orow = attrRow(scope, key);
    if (orow) ottlValueFromRow(orow, dst);
    else setV(dst, Q.VT_NIL, 0, 0);
    return;
  }
  let row = attrRow(scope, key);
  if (row) valueFromRow(row, dst);
  else setV(dst, Q.VT_NIL, 0, 0);
}

let rangeStart: u32 = 0;
let rangeCount: u32 = 0;

/** The attribute rows of `scope` under the current binding (rangeStart, rangeCount); false if none. */
function attrRange(scope: u32): bool {
  let row: usize = 0;
  let at: usize = 0;
  switch (scope) {
    case Q.SC_SPAN:
      row = spanRow;
      at = L.SP_ATTR_START;
      break;
    case Q.SC_RESOURCE:
      row = resRow;
      at = L.R_ATTR_START;
      break;
    case Q.SC_SCOPE:
      row = scopeRow;
      at = L.S_ATTR_START;
      break;
    case Q.SC_EVENT:
      row = eventRow;
      at = L.E_ATTR_START;
      break;
    case Q.SC_LINK:
      row = linkRow;
      at = L.L_ATTR_START;
      break;
    case Q.SC_LOG:
      row = logRow;
      at = G.LR_ATTR_START;
      break;
    case Q.SC_METRIC:
      row = metricRow;
      at = M.M_ATTR_START;
      break;
    case Q.SC_POINT:
      row = pointRow;
      at = M.DP_ATTR_START;
      break;
  }
  if (!row) return false;
  // Every row keeps its attribute count right after the start.
  rangeStart = load<u32>(row + at);
  rangeCount = load<u32>(row + at + 4);
  return true;
}

/** The attribute row for `key` in `scope` for the current binding, or 0. */
function attrRow(scope: u32, key: usize): usize {
  let kp = <usize>(<u32>vPay(key));
  let kh = <u32>(vPay(key) >> 32);
  let kl = vAux(key);
  let row: usize = 0;
  if (scope >= <u32>Q.SC_LOG) return attrRange(scope) ? findAttr(rangeStart, rangeCount, kh, kp, kl) : 0;
  switch (scope) {
    case Q.SC_SPAN:
      row = findAttr(load<u32>(spanRow + L.SP_ATTR_START), load<u32>(spanRow + L.SP_ATTR_COUNT), kh, kp, kl);
      break;
    case Q.SC_RESOURCE:
      row = findAttr(load<u32>(resRow + L.R_ATTR_START), load<u32>(resRow + L.R_ATTR_COUNT), kh, kp, kl);
      break;
    case Q.SC_SCOPE:
      row = findAttr(load<u32>(scopeRow + L.S_ATTR_START), load<u32>(scopeRow + L.S_ATTR_COUNT), kh, kp, kl);
      break;
    case Q.SC_EVENT:
      if (eventRow) row = findAttr(load<u32>(eventRow + L.E_ATTR_START), load<u32>(eventRow + L.E_ATTR_COUNT), kh, kp, kl);
      break;
    case Q.SC_LINK:
      if (linkRow) row = findAttr(load<u32>(linkRow + L.L_ATTR_START), load<u32>(linkRow + L.L_ATTR_COUNT), kh, kp, kl);
      break;
    default:
      row = findAttr(load<u32>(spanRow + L.SP_ATTR_START), load<u32>(spanRow + L.SP_ATTR_COUNT), kh, kp, kl);
      if (!row) row = findAttr(load<u32>(resRow + L.R_ATTR_START), load<u32>(resRow + L.R_ATTR_COUNT), kh, kp, kl);
  }
  return row;
}

/**
 * `attr cmp constant`. The common case — a string attribute compared for (in)equality with a
 * string literal — compares the bytes in place; everything else goes through the typed values.
 */
function attrCompare(scope: u32, key: usize, k: usize, op: u32): bool {
  let row = attrRow(scope, key);
  if (!row) return ottl ? ottlCompare(NIL_SLOT, k, op) : false;
  if (vType(k) == Q.VT_STRING && (op == Q.CMP_EQ || op == Q.CMP_NE) && load<u32>(row + L.A_TYPE) == L.V_STRING) {
    let v = load<u64>(row + L.A_VALUE);
    let len = <u32>(v >> 32);
    let eq = len == vAux(k) && bytesEqual(input + <usize>(<u32>v), <usize>vPay(k), len);
    return op == Q.CMP_EQ ? eq : !eq;
  }
  if (ottl) {
    ottlValueFromRow(row, TMP_A);
    return ottlCompare(TMP_A, k, op);
  }
  valueFromRow(row, TMP_A);
  return vmCompare(TMP_A, k, op);
}

// ---------------------------------------------------------------------------------------------
// Intrinsics

function setNil(dst: usize): void {
  setV(dst, Q.VT_NIL, 0, 0);
}

function setString(dst: usize, off: u32, len: u32): void {
  setV(dst, Q.VT_STRING, len, <u64>(input + <usize>off));
}

function loadIntrinsic(id: u32, dst: usize): void {
  switch (id) {
    case Q.IN_NAME:
      setString(dst, load<u32>(spanRow + L.SP_NAME_OFF), load<u32>(spanRow + L.SP_NAME_LEN));
      return;
    case Q.IN_STATUS:
      setV(dst, Q.VT_STATUS, 0, <u64>load<u32>(spanRow + L.SP_STATUS_CODE));
      return;
    case Q.IN_STATUS_MESSAGE:
      setString(dst, load<u32>(spanRow + L.SP_STATUS_MSG_OFF), load<u32>(spanRow + L.SP_STATUS_MSG_LEN));
      return;
    case Q.IN_DURATION:
      setV(dst, Q.VT_DURATION, 0, load<u64>(spanRow + L.SP_END) - load<u64>(spanRow + L.SP_START));
      return;
    case Q.IN_KIND:
      setV(dst, Q.VT_KIND, 0, <u64>load<u32>(spanRow + L.SP_KIND));
      return;
    case Q.IN_SPAN_ID:
      setV(dst, Q.VT_ID, 8, <u64>(spanRow + L.SP_SPAN_ID));
      return;
    case Q.IN_PARENT_ID:
      // Roots read as sixteen zeros (Tempo's in-memory adapter); the row holds zeros then.
      setV(dst, Q.VT_ID, 8, <u64>(spanRow + L.SP_PARENT_ID));
      return;
    case Q.IN_CHILD_COUNT:
      setV(dst, Q.VT_INT, 0, <u64>load<u32>(<usize>load<u32>(ctxp + Q.Q_CHILDREN) + (<usize>spanIdx << 2)));
      return;
    case Q.IN_TRACE_ID:
      setV(dst, Q.VT_ID, 16 | Q.ID_STRIP, <u64>(spanRow + L.SP_TRACE_ID));
      return;
    case Q.IN_NESTED_LEFT:
      setV(dst, Q.VT_INT, 0, <u64>(<i64>load<i32>(<usize>load<u32>(ctxp + Q.Q_LEFT) + (<usize>spanIdx << 2))));
      return;
    case Q.IN_NESTED_RIGHT:
      setV(dst, Q.VT_INT, 0, <u64>(<i64>load<i32>(<usize>load<u32>(ctxp + Q.Q_RIGHT) + (<usize>spanIdx << 2))));
      return;
    case Q.IN_NESTED_PARENT:
      setV(dst, Q.VT_INT, 0, <u64>(<i64>load<i32>(<usize>load<u32>(ctxp + Q.Q_NS_PARENT) + (<usize>spanIdx << 2))));
      return;
    case Q.IN_SCOPE_NAME:
      setString(dst, load<u32>(scopeRow + L.S_NAME_OFF), load<u32>(scopeRow + L.S_NAME_LEN));
      return;
    case Q.IN_SCOPE_VERSION:
      setString(dst, load<u32>(scopeRow + L.S_VERSION_OFF), load<u32>(scopeRow + L.S_VERSION_LEN));
      return;
    case Q.IN_EVENT_NAME:
      if (!eventRow) return setNil(dst);
      setString(dst, load<u32>(eventRow + L.E_NAME_OFF), load<u32>(eventRow + L.E_NAME_LEN));
      return;
    case Q.IN_EVENT_TIME_SINCE_START:
      if (!eventRow) return setNil(dst);
      setV(dst, Q.VT_DURATION, 0, load<u64>(eventRow + L.E_TIME) - load<u64>(spanRow + L.SP_START));
      return;
    case Q.IN_LINK_TRACE_ID:
      if (!linkRow) return setNil(dst);
      setV(dst, Q.VT_ID, 16 | Q.ID_STRIP, <u64>(linkRow + L.L_TRACE_ID));
      return;
    case Q.IN_LINK_SPAN_ID:
      if (!linkRow) return setNil(dst);
      setV(dst, Q.VT_ID, 8, <u64>(linkRow + L.L_SPAN_ID));
      return;
    default: {
      // Trace-level values.
      let t = <usize>load<u32>(<usize>load<u32>(ctxp + Q.Q_TRACE_OF) + (<usize>spanIdx << 2));
      if (id == Q.IN_TRACE_DURATION) {
        let s = load<u64>(<usize>load<u32>(ctxp + Q.Q_TRACE_START) + (t << 3));
        let e = load<u64>(<usize>load<u32>(ctxp + Q.Q_TRACE_END) + (t << 3));
        setV(dst, Q.VT_DURATION, 0, e > s ? e - s : 0);
        return;
      }
      let root = load<u32>(<usize>load<u32>(ctxp + Q.Q_TRACE_ROOT) + (t << 2));
      if (root == Q.Q_NONE) return setNil(dst);
      let rrow = <usize>load<u32>(<usize>load<u32>(ctxp + Q.Q_SPAN_ROW) + (<usize>root << 2));
      let rb = load<u32>(<usize>load<u32>(ctxp + Q.Q_SPAN_BATCH) + (<usize>root << 2));
      let saveBatch = curBatch;
      selectBatch(rb);
      if (id == Q.IN_ROOT_NAME) {
        setString(dst, load<u32>(rrow + L.SP_NAME_OFF), load<u32>(rrow + L.SP_NAME_LEN));
      } else {
        let res = <usize>load<u32>(batchHeader + L.B_RESOURCES) + <usize>load<u32>(rrow + L.SP_RESOURCE) * L.R_ROW;
        let row = findAttr(load<u32>(res + L.R_ATTR_START), load<u32>(res + L.R_ATTR_COUNT), serviceNameHash, SERVICE_NAME, 12);
        if (row) valueFromRow(row, dst);
        else setV(dst, Q.VT_NIL, 0, 0);
      }
      selectBatch(saveBatch);
      return;
    }
  }
  setV(dst, Q.VT_NIL, 0, 0);
}

// ---------------------------------------------------------------------------------------------
// Comparisons (MODE_TRACEQL)

// @ts-ignore: decorator
@inline function isNumeric(t: u32): bool {
  return t == Q.VT_INT || t == Q.VT_FLOAT || t == Q.VT_DURATION;
}

// @ts-ignore: decorator
@inline function isStringy(t: u32): bool {
  return t == Q.VT_STRING || t == Q.VT_ID;
}

function toF64(v: usize): f64 {
  let t = vType(v);
  if (t == Q.VT_FLOAT) return reinterpret<f64>(vPay(v));
  return <f64>(<i64>vPay(v));
}

let strPtr: usize = 0;
let strLen: u32 = 0;

/** The bytes of a string or id value (ids are rendered as hex into `buf`). */
function stringView(v: usize, buf: usize): void {
  if (vType(v) == Q.VT_STRING) {
    strPtr = <usize>vPay(v);
    strLen = vAux(v);
    return;
  }
  let src = <usize>vPay(v);
  let n = vAux(v) & 0xff;
  let strip = (vAux(v) & Q.ID_STRIP) != 0;
  let o: usize = 0;
  for (let i: usize = 0; i < <usize>n; i++) {
    let b = <u32>load<u8>(src + i);
    store<u8>(buf + o, load<u8>(HEXCHARS + (b >> 4)));
    store<u8>(buf + o + 1, load<u8>(HEXCHARS + (b & 15)));
    o += 2;
  }
  let s: usize = 0;
  if (strip) while (s < o && load<u8>(buf + s) == 48) s++;
  strPtr = buf + s;
  strLen = <u32>(o - s);
}

function scalarCompare(a: usize, b: usize, op: u32): bool {
  let ta = vType(a);
  let tb = vType(b);
  if (isNumeric(ta) && isNumeric(tb)) {
    if (ta == Q.VT_INT && tb == Q.VT_INT) {
      let x = <i64>vPay(a);
      let y = <i64>vPay(b);
      return ordered(op, x < y ? -1 : x > y ? 1 : 0);
    }
    let x = toF64(a);
    let y = toF64(b);
    if (isNaN(x) || isNaN(y)) return op == Q.CMP_NE;
    return ordered(op, x < y ? -1 : x > y ? 1 : 0);
  }
  if (isStringy(ta) && isStringy(tb)) {
    stringView(a, HEX_A);
    let ap = strPtr;
    let al = strLen;
    stringView(b, HEX_B);
    if (op == Q.CMP_EQ || op == Q.CMP_NE) {
      let eq = al == strLen && bytesEqual(ap, strPtr, al);
      return op == Q.CMP_EQ ? eq : !eq;
    }
    return ordered(op, bytesCompare(ap, al, strPtr, strLen));
  }
  if (ta != tb) return false;
  if (ta == Q.VT_BOOL || ta == Q.VT_STATUS || ta == Q.VT_KIND) {
    if (op == Q.CMP_EQ) return vPay(a) == vPay(b);
    if (op == Q.CMP_NE) return vPay(a) != vPay(b);
  }
  return false;
}

// @ts-ignore: decorator
@inline function mirror(op: u32): u32 {
  if (op == Q.CMP_LT) return Q.CMP_GT;
  if (op == Q.CMP_LE) return Q.CMP_GE;
  if (op == Q.CMP_GT) return Q.CMP_LT;
  if (op == Q.CMP_GE) return Q.CMP_LE;
  return op;
}

/** `!=` against an array holds when every element differs; other operators when any element holds. */
function arrayCompare(arr: usize, other: usize, op: u32, arrOnLeft: bool): bool {
  let n = vAux(arr) & 0xffffff;
  let row = <usize>vPay(arr);
  let eop = arrOnLeft ? op : mirror(op);
  for (let i: u32 = 0; i < n; i++) {
    scalarFromRow(row + <usize>i * L.A_ROW, TMP_E);
    let r = scalarCompare(TMP_E, other, eop);
    if (op == Q.CMP_NE) {
      if (!r) return false;
    } else if (r) {
      return true;
    }
  }
  return op == Q.CMP_NE;
}

export function vmCompare(a: usize, b: usize, op: u32): bool {
  let ta = vType(a);
  let tb = vType(b);
  if (ta == Q.VT_NIL || tb == Q.VT_NIL) return false;
  if (ta == Q.VT_ARRAY) {
    if (tb == Q.VT_ARRAY) return false;
    return arrayCompare(a, b, op, true);
  }
  if (tb == Q.VT_ARRAY) return arrayCompare(b, a, op, false);
  return scalarCompare(a, b, op);
}

function matchOne(v: usize, k: usize, isSet: bool): bool {
  stringView(v, HEX_A);
  if (!isSet) return regexRun(<usize>(<u32>vPay(k)), strPtr, strLen) == 1;
  let set = <usize>(<u32>vPay(k));
  let base = <usize>(vPay(k) >> 32);
  let n = load<u32>(set);
  for (let i: u32 = 0; i < n; i++) {
    let off = load<u32>(set + 4 + (<usize>i << 3));
    let len = load<u32>(set + 8 + (<usize>i << 3));
    if (len == strLen && bytesEqual(base + <usize>off, strPtr, len)) return true;
  }
  return false;
}

/** `=~` (any element of an array matches) or `!~` (no element matches); non-strings never match. */
function vmMatch(v: usize, k: usize, negate: bool, isSet: bool): bool {
  let t = vType(v);
  if (isStringy(t)) {
    let m = matchOne(v, k, isSet);
    return negate ? !m : m;
  }
  if (t == Q.VT_ARRAY && (vAux(v) >> 24) == L.V_STRING) {
    let n = vAux(v) & 0xffffff;
    let row = <usize>vPay(v);
    for (let i: u32 = 0; i < n; i++) {
      scalarFromRow(row + <usize>i * L.A_ROW, TMP_E);
      if (matchOne(TMP_E, k, isSet)) return !negate;
    }
    return negate;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

function intPow(base: i64, exp: i64): i64 {
  if (exp == 0) return 1;
  if (exp < 0) return base;
  let result: i64 = 1;
  let b = base;
  let e = exp;
  while (e > 0) {
    if (e & 1) result *= b;
    b *= b;
    e >>= 1;
  }
  return result;
}

function vmArith(a: usize, b: usize, op: u32): void {
  let ta = vType(a);
  let tb = vType(b);
  if (!isNumeric(ta) || !isNumeric(tb)) {
    setV(a, Q.VT_NIL, 0, 0);
    return;
  }
  if (ta == Q.VT_INT && tb == Q.VT_INT) {
    let x = <i64>vPay(a);
    let y = <i64>vPay(b);
    let r: i64 = 0;
    switch (op) {
      case Q.AR_ADD:
        r = x + y;
        break;
      case Q.AR_SUB:
        r = x - y;
        break;
      case Q.AR_MUL:
        r = x * y;
        break;
      case Q.AR_DIV:
      case Q.AR_MOD:
        if (y == 0) {
          runtimeError = Q.RT_DIV_ZERO;
          return;
        }
        if (y == -1) r = op == Q.AR_DIV ? -x : 0; // i64 min / -1 wraps (Go) instead of trapping
        else r = op == Q.AR_DIV ? x / y : x % y;
        break;
      default:
        r = intPow(y, x); // Tempo's int ^ int is rhs ^ lhs (spec §13.3)
    }
    setV(a, Q.VT_INT, 0, <u64>r);
    return;
  }
  let x = toF64(a);
  let y = toF64(b);
  let r: f64;
  switch (op) {
    case Q.AR_ADD:
      r = x + y;
      break;
    case Q.AR_SUB:
      r = x - y;
      break;
    case Q.AR_MUL:
      r = x * y;
      break;
    case Q.AR_DIV:
      r = x / y;
      break;
    case Q.AR_MOD:
      r = x % y;
      break;
    default:
      r = Math.pow(x, y);
  }
  setV(a, Q.VT_FLOAT, 0, reinterpret<u64>(r));
}

// ---------------------------------------------------------------------------------------------
// The interpreter

/** Records a runtime error at instruction `pc` about a value of type `type`; returns false. */
function rtFail(kind: u32, pc: usize, type: u32): bool {
  runtimeError = kind;
  rtPc = <u32>((pc - code) >> 2);
  rtType = type;
  return false;
}

/** Runs the code once for the current binding; leaves the result in stk[0]. False on a runtime error. */
function exec(): bool {
  let pc = code;
  let sp = stk; // next free slot
  while (true) {
    let op = load<u32>(pc);
    switch (op) {
      case Q.OP_END:
        return true;
      case Q.OP_CONST: {
        let k = consts + <usize>load<u32>(pc + 4) * Q.C_SIZE;
        store<u64>(sp, load<u64>(k));
        store<u64>(sp + 8, load<u64>(k + 8));
        sp += 16;
        pc += 8;
        break;
      }
      case Q.OP_INTRINSIC: {
        let id = load<u32>(pc + 4);
        if (id >= <u32>Q.IN_OTTL_BASE) {
          let rt = ottlField(id, sp);
          if (rt) return rtFail(rt, pc, Q.VT_NIL);
        } else loadIntrinsic(id, sp);
        sp += 16;
        pc += 8;
        break;
      }
      case Q.OP_ATTR:
        loadAttr(load<u32>(pc + 4), consts + <usize>load<u32>(pc + 8) * Q.C_SIZE, sp);
        sp += 16;
        pc += 12;
        break;
      case Q.OP_ATTR_CMP: {
        let scope = load<u32>(pc + 4);
        if (scope == Q.SC_RESOURCE || scope == Q.SC_SCOPE) {
          // A resource's (scope's) attributes are the same for all its spans: compare once per
          // owner row and remember the answer for this instruction.
          let owner = <u32>(scope == Q.SC_RESOURCE ? resRow : scopeRow);
          let slot = memo + ((pc - code) << 1);
          if (load<u32>(slot) != owner) {
            store<u32>(slot, owner);
            store<u32>(slot + 4, attrCompare(scope, consts + <usize>load<u32>(pc + 8) * Q.C_SIZE, consts + <usize>load<u32>(pc + 16) * Q.C_SIZE, load<u32>(pc + 12)) ? 1 : 0);
          }
          setBool(sp, load<u32>(slot + 4) != 0);
        } else {
          setBool(sp, attrCompare(scope, consts + <usize>load<u32>(pc + 8) * Q.C_SIZE, consts + <usize>load<u32>(pc + 16) * Q.C_SIZE, load<u32>(pc + 12)));
        }
        sp += 16;
        pc += 20;
        break;
      }
      case Q.OP_CMP:
        sp -= 16;
        setBool(sp - 16, ottl ? ottlCompare(sp - 16, sp, load<u32>(pc + 4)) : vmCompare(sp - 16, sp, load<u32>(pc + 4)));
        pc += 8;
        break;
      case Q.OP_ARITH:
        sp -= 16;
        if (ottl) {
          let rt = ottlArith(sp - 16, sp, load<u32>(pc + 4));
          if (rt) return rtFail(rt, pc, vType(sp - 16) == Q.VT_INT || vType(sp - 16) == Q.VT_FLOAT ? vType(sp) : vType(sp - 16));
        } else {
          vmArith(sp - 16, sp, load<u32>(pc + 4));
          if (runtimeError) return false;
        }
        pc += 8;
        break;
      case Q.OP_AND:
      case Q.OP_OR: {
        sp -= 16;
        let a = sp - 16;
        let ok = vType(a) == Q.VT_BOOL && vType(sp) == Q.VT_BOOL;
        let r = false;
        if (ok) r = op == Q.OP_AND ? (vPay(a) != 0 && vPay(sp) != 0) : (vPay(a) != 0 || vPay(sp) != 0);
        setBool(a, r);
        pc += 4;
        break;
      }
      case Q.OP_NOT: {
        let a = sp - 16;
        if (vType(a) != Q.VT_BOOL) return rtFail(Q.RT_NOT_BOOL, pc, vType(a));
        setBool(a, vPay(a) == 0);
        pc += 4;
        break;
      }
      case Q.OP_NEG: {
        let a = sp - 16;
        if (ottl) {
          let rt = ottlNegate(a);
          if (rt) return rtFail(rt, pc, vType(a));
          pc += 4;
          break;
        }
        let t = vType(a);
        if (t == Q.VT_INT || t == Q.VT_DURATION) store<u64>(a + Q.C_PAYLOAD, <u64>(-<i64>vPay(a)));
        else if (t == Q.VT_FLOAT) store<u64>(a + Q.C_PAYLOAD, reinterpret<u64>(-reinterpret<f64>(vPay(a))));
        else {
          runtimeError = Q.RT_NEG_NUMBER;
          return false;
        }
        pc += 4;
        break;
      }
      case Q.OP_REGEX:
      case Q.OP_IN_SET: {
        let a = sp - 16;
        let k = consts + <usize>load<u32>(pc + 4) * Q.C_SIZE;
        if (ottl && op == Q.OP_REGEX) {
          // IsMatch: nil never matches; other values are matched by their string form.
          if (vType(a) == Q.VT_NIL) setBool(a, false);
          else {
            let rt = stringLike(a, a);
            if (rt) return rtFail(rt, pc, vType(a));
            let m = regexRun(<usize>(<u32>vPay(k)), <usize>vPay(a), vAux(a));
            if (m < 0) return rtFail(Q.RT_OUT_OF_MEMORY, pc, Q.VT_STRING);
            setBool(a, (m == 1) != (load<u32>(pc + 8) != 0));
          }
          pc += 12;
          break;
        }
        setBool(a, vmMatch(a, k, load<u32>(pc + 8) != 0, op == Q.OP_IN_SET));
        pc += 12;
        break;
      }
      case Q.OP_EXISTS: {
        let a = sp - 16;
        let present = vType(a) != Q.VT_NIL;
        setBool(a, load<u32>(pc + 4) != 0 ? !present : present);
        pc += 8;
        break;
      }
      case Q.OP_AND_JUMP: {
        let a = sp - 16;
        if (vType(a) == Q.VT_BOOL && vPay(a) != 0) {
          sp -= 16;
          pc += 8;
        } else {
          setBool(a, false);
          pc = code + (<usize>load<u32>(pc + 4) << 2);
        }
        break;
      }
      case Q.OP_OR_JUMP: {
        let a = sp - 16;
        if (vType(a) != Q.VT_BOOL) {
          setBool(a, false);
          pc = code + (<usize>load<u32>(pc + 4) << 2);
        } else {
          pc += 8;
        }
        break;
      }
      case Q.OP_BOOLIFY: {
        let a = sp - 16;
        if (vType(a) != Q.VT_BOOL) setBool(a, false);
        pc += 4;
        break;
      }
      case Q.OP_TRUE_JUMP: {
        let a = sp - 16;
        if (vType(a) == Q.VT_BOOL && vPay(a) != 0) {
          pc = code + (<usize>load<u32>(pc + 4) << 2);
        } else {
          sp -= 16;
          pc += 8;
        }
        break;
      }
      case Q.OP_INDEX: {
        let a = sp - 16;
        let rt = ottlIndex(a, consts + <usize>load<u32>(pc + 4) * Q.C_SIZE);
        if (rt) return rtFail(rt, pc, vType(a));
        pc += 8;
        break;
      }
      case Q.OP_ATTRS: {
        if (attrRange(load<u32>(pc + 4))) setV(sp, Q.VT_MAP, rangeCount, <u64>(attrs + <usize>rangeStart * L.A_ROW));
        else setV(sp, Q.VT_MAP, 0, <u64>attrs);
        sp += 16;
        pc += 8;
        break;
      }
      case Q.OP_CALL: {
        let argc = load<u32>(pc + 8);
        let args = sp - (<usize>argc << 4);
        let rt = ottlCall(load<u32>(pc + 4), argc, args);
        if (rt) return rtFail(rt, pc, vType(args));
        sp = args + 16;
        pc += 12;
        break;
      }
      case Q.OP_LIST: {
        let n = load<u32>(pc + 4);
        let first = sp - (<usize>n << 4);
        let values = arenaAlloc(max<usize>(<usize>n << 4, 16));
        if (!values) return rtFail(Q.RT_OUT_OF_MEMORY, pc, Q.VT_VLIST);
        memory.copy(values, first, <usize>n << 4);
        setV(first, Q.VT_VLIST, n, <u64>values);
        sp = first + 16;
        pc += 8;
        break;
      }
      default:
        return true; // unreachable: qprogLoad checked every opcode
    }
  }
  return true;
}

function setupSpan(g: u32): void {
  spanIdx = g;
  selectBatch(load<u32>(<usize>load<u32>(ctxp + Q.Q_SPAN_BATCH) + (<usize>g << 2)));
  let row = <usize>load<u32>(<usize>load<u32>(ctxp + Q.Q_SPAN_ROW) + (<usize>g << 2));
  bindRows(
    row,
    <usize>load<u32>(batchHeader + L.B_RESOURCES) + <usize>load<u32>(row + L.SP_RESOURCE) * L.R_ROW,
    <usize>load<u32>(batchHeader + L.B_SCOPES) + <usize>load<u32>(row + L.SP_SCOPE) * L.S_ROW,
  );
}

/**
 * Evaluates the current span over its bindings. mode 0: returns 1 if any binding gives `true`.
 * mode 1 (values): the first binding with a non-nil value is left in stk[0]; returns 1.
 * Returns -1 on a runtime error.
 */
function evalSpan(values: bool): i32 {
  let flags = load<u32>(prog + Q.P_FLAGS);
  let ne: u32 = 0;
  let nl: u32 = 0;
  let e0: u32 = 0;
  let l0: u32 = 0;
  if (flags & Q.PF_EVENTS) {
    ne = load<u32>(spanRow + L.SP_EVENT_COUNT);
    e0 = load<u32>(spanRow + L.SP_EVENT_START);
  }
  if (flags & Q.PF_LINKS) {
    nl = load<u32>(spanRow + L.SP_LINK_COUNT);
    l0 = load<u32>(spanRow + L.SP_LINK_START);
  }
  let events = <usize>load<u32>(batchHeader + L.B_EVENTS);
  let links = <usize>load<u32>(batchHeader + L.B_LINKS);
  for (let ei: u32 = 0; ei < max<u32>(ne, 1); ei++) {
    bindEvent(ne ? events + <usize>(e0 + ei) * L.E_ROW : 0);
    for (let li: u32 = 0; li < max<u32>(nl, 1); li++) {
      bindLink(nl ? links + <usize>(l0 + li) * L.L_ROW : 0);
      if (!exec()) return -1;
      if (values) {
        if (vType(stk) != Q.VT_NIL) return 1;
      } else if (vType(stk) == Q.VT_BOOL && vPay(stk) != 0) {
        return 1;
      }
    }
  }
  return values ? 1 : 0;
}

function begin(p: usize, ctx: usize): bool {
  clearError();
  if (!load<u32>(p + Q.P_LOADED)) {
    failPlain(E.ERR_BAD_PROGRAM, 0);
    return false;
  }
  // OTTL programs bind other items and rules: they run through ottlRun only.
  if (load<u32>(p + Q.P_MODE) != Q.MODE_TRACEQL) {
    failPlain(E.ERR_BAD_ARGUMENT, 2);
    return false;
  }
  ottl = false;
  prog = p;
  code = p + <usize>load<u32>(p + Q.P_CODE);
  consts = p + <usize>load<u32>(p + Q.P_CONSTS);
  ctxp = ctx;
  curBatch = 0xffffffff;
  runtimeError = 0;
  // Each instruction pushes at most one value, so the code length bounds any depth.
  let need = load<u32>(p + Q.P_MAX_STACK) + load<u32>(p + Q.P_CODE_WORDS) + 1;
  if (need > stkCap) {
    free(stk);
    stk = alloc(<usize>need * Q.C_SIZE);
    stkCap = stk ? need : 0;
    if (!stk) {
      failPlain(E.ERR_OUT_OF_MEMORY, <u64>need * Q.C_SIZE);
      return false;
    }
  }
  let words = load<u32>(p + Q.P_CODE_WORDS);
  if (words > memoCap) {
    free(memo);
    memo = alloc(<usize>words << 3);
    memoCap = memo ? words : 0;
    if (!memo) {
      failPlain(E.ERR_OUT_OF_MEMORY, <u64>words << 3);
      return false;
    }
  }
  memory.fill(memo, 0, <usize>words << 3);
  if (load<u32>(p + Q.P_FLAGS) & Q.PF_ATTRS) {
    let n = load<u32>(ctx + Q.Q_BATCH_COUNT);
    for (let b: u32 = 0; b < n; b++) {
      let h = <usize>load<u32>(<usize>load<u32>(ctx + Q.Q_BATCHES) + (<usize>b << 2));
      if (!(load<u32>(h + L.B_FLAGS) & L.BATCH_ATTRS_BUILT)) {
        failPlain(E.ERR_BAD_ARGUMENT, 1);
        return false;
      }
    }
  }
  prepareHashes(ctx);
  return true;
}

function raise(g: u32): u32 {
  setInputBase(0);
  fail(E.ERR_QUERY_RUNTIME, 0, (<u64>runtimeError << 32) | <u64>g);
  return E.ERR_QUERY_RUNTIME;
}

// ---------------------------------------------------------------------------------------------
// OTTL programs (driven by ottl-run.ts): several programs of one context over one batch

let setCount: u32 = 0;
let setPrograms: usize = 0;
// Per program of the set, its slice of the memo (u32 word offset).
const MAX_SET: u32 = 256;
const MEMO_AT = memory.data(256 * 4, 4);

/**
 * Prepares `n` loaded OTTL programs (u32 addresses at `progs`) of context `ctx` for evaluation:
 * stack and memo room for all of them. False (error recorded) if one is not a loaded OTTL
 * program of that context, or memory runs out.
 */
export function vmPrepare(progs: usize, n: u32, ctx: u32): bool {
  if (n > MAX_SET) {
    failPlain(E.ERR_BAD_ARGUMENT, <u64>n);
    return false;
  }
  let need: u32 = 1;
  let words: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let p = <usize>load<u32>(progs + (<usize>i << 2));
    if (!load<u32>(p + Q.P_LOADED) || load<u32>(p + Q.P_MODE) != Q.MODE_OTTL || load<u32>(p + Q.P_CONTEXT) != ctx) {
      failPlain(E.ERR_BAD_PROGRAM, <u64>i);
      return false;
    }
    need = max<u32>(need, load<u32>(p + Q.P_MAX_STACK) + load<u32>(p + Q.P_CODE_WORDS) + 1);
    store<u32>(MEMO_AT + (<usize>i << 2), words);
    words += load<u32>(p + Q.P_CODE_WORDS);
  }
  if (need > stkCap) {
    free(stk);
    stk = alloc(<usize>need * Q.C_SIZE);
    stkCap = stk ? need : 0;
    if (!stk) {
      failPlain(E.ERR_OUT_OF_MEMORY, <u64>need * Q.C_SIZE);
      return false;
    }
  }
  let memoWords = max<u32>(words, 1);
  if (memoWords > memoCap) {
    free(memo);
    memo = alloc(<usize>memoWords << 3);
    memoCap = memo ? memoWords : 0;
    if (!memo) {
      failPlain(E.ERR_OUT_OF_MEMORY, <u64>memoWords << 3);
      return false;
    }
  }
  memory.fill(memo, 0, <usize>memoWords << 3);
  setCount = n;
  setPrograms = progs;
  ottl = true;
  runtimeError = 0;
  return true;
}

/**
 * Evaluates program `i` of the prepared set for the bound item: 1 true, 0 false, -1 a runtime
 * error (kind in vmErrorKind(), place in rtPc/rtType). A result that is not a bool is an error.
 */
export function vmEval(i: u32): i32 {
  let p = <usize>load<u32>(setPrograms + (<usize>i << 2));
  prog = p;
  code = p + <usize>load<u32>(p + Q.P_CODE);
  consts = p + <usize>load<u32>(p + Q.P_CONSTS);
  let saved = memo;
  memo = saved + (<usize>load<u32>(MEMO_AT + (<usize>i << 2)) << 3);
  runtimeError = 0;
  let ok = exec();
  memo = saved;
  if (!ok) return -1;
  if (vType(stk) != Q.VT_BOOL) {
    runtimeError = Q.RT_NOT_BOOL;
    rtPc = load<u32>(p + Q.P_CODE_WORDS) - 1;
    rtType = vType(stk);
    return -1;
  }
  return vPay(stk) != 0 ? 1 : 0;
}

export function vmErrorKind(): u32 {
  return runtimeError;
}

/**
 * Evaluates program `p` for every span of context `ctx` (optionally only where `inMask` is
 * non-zero) and writes 1/0 per span to `out`. Returns 0, or an error code (runtime error:
 * ERR_QUERY_RUNTIME with the kind and span in the record). Attribute programs need every batch's
 * attribute table built first (ERR_BAD_ARGUMENT otherwise).
 */
export function qRun(p: usize, ctx: usize, inMask: usize, out: usize): u32 {
  if (!begin(p, ctx)) return E.ERR_BAD_PROGRAM;
  if (hasResourceGuard()) return runGuarded(ctx, inMask, out);
  let n = load<u32>(ctx + Q.Q_SPAN_COUNT);
  for (let g: u32 = 0; g < n; g++) {
    if (inMask && !load<u8>(inMask + g)) {
      store<u8>(out + g, 0);
      continue;
    }
    setupSpan(g);
    let r = evalSpan(false);
    if (r < 0) return raise(g);
    store<u8>(out + g, <u8>r);
  }
  return 0;
}

/**
 * A program of the form `resource.x cmp literal && …` is false for every span of a resource whose
 * attribute fails the comparison: the AND_JUMP after the leading compare leads (through further
 * AND_JUMPs only) to the end. Such programs run resource by resource and skip failing resources'
 * spans without touching them — the pre-filter a hand-written loop over resources gets for free.
 */
function hasResourceGuard(): bool {
  if (load<u32>(code) != Q.OP_ATTR_CMP || load<u32>(code + 4) != Q.SC_RESOURCE || load<u32>(code + 20) != Q.OP_AND_JUMP) return false;
  let t = <usize>load<u32>(code + 24);
  while (load<u32>(code + (t << 2)) == Q.OP_AND_JUMP) t = <usize>load<u32>(code + (t << 2) + 4);
  return load<u32>(code + (t << 2)) == Q.OP_END;
}

function runGuarded(ctx: usize, inMask: usize, out: usize): u32 {
  let key = consts + <usize>load<u32>(code + 8) * Q.C_SIZE;
  let op = load<u32>(code + 12);
  let k = consts + <usize>load<u32>(code + 16) * Q.C_SIZE;
  let nb = load<u32>(ctx + Q.Q_BATCH_COUNT);
  let g0: u32 = 0;
  for (let b: u32 = 0; b < nb; b++) {
    selectBatch(b);
    let h = batchHeader;
    let resources = <usize>load<u32>(h + L.B_RESOURCES);
    let nr = load<u32>(h + L.B_RESOURCE_COUNT);
    for (let r: u32 = 0; r < nr; r++) {
      let rrow = resources + <usize>r * L.R_ROW;
      let first = g0 + load<u32>(rrow + L.R_SPAN_START);
      let count = load<u32>(rrow + L.R_SPAN_COUNT);
      bindResource(rrow);
      if (!attrCompare(Q.SC_RESOURCE, key, k, op)) {
        memory.fill(out + first, 0, count);
        continue;
      }
      for (let g = first; g < first + count; g++) {
        if (inMask && !load<u8>(inMask + g)) {
          store<u8>(out + g, 0);
          continue;
        }
        setupSpan(g);
        let res = evalSpan(false);
        if (res < 0) return raise(g);
        store<u8>(out + g, <u8>res);
      }
    }
    g0 += load<u32>(h + L.B_SPAN_COUNT);
  }
  return 0;
}

/**
 * Evaluates program `p` as a value for every span (where `inMask` allows) and writes one
 * C_SIZE-byte value per span to `out` (VT_NIL where masked out). Strings point into the batch's
 * input or the program; ids into the span/link row: valid while both live.
 */
export function qValues(p: usize, ctx: usize, inMask: usize, out: usize): u32 {
  if (!begin(p, ctx)) return E.ERR_BAD_PROGRAM;
  let n = load<u32>(ctx + Q.Q_SPAN_COUNT);
  for (let g: u32 = 0; g < n; g++) {
    let dst = out + <usize>g * Q.C_SIZE;
    if (inMask && !load<u8>(inMask + g)) {
      setV(dst, Q.VT_NIL, 0, 0);
      continue;
    }
    setupSpan(g);
    if (evalSpan(true) < 0) return raise(g);
    store<u64>(dst, load<u64>(stk));
    store<u64>(dst + 8, load<u64>(stk + 8));
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Loading

// Per opcode; OP_CALL and OP_LIST take their count from an operand (effect 1 - count).
const STACK_EFFECT = memory.data<i8>([0, 1, 1, 1, -1, -1, -1, -1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, 1, 0, -1]);
const OPERANDS = memory.data<u8>([0, 1, 1, 2, 1, 1, 0, 0, 0, 0, 2, 1, 2, 1, 1, 0, 4, 1, 2, 1, 1, 1]);
// Largest list literal or argument count a program may use.
const MAX_COUNT: u32 = 1 << 16;

const MAX_JUMPS: i32 = 4096;
const JUMPS = memory.data(4096 * 8, 8);

function badProgram(at: usize): u32 {
  failPlain(E.ERR_BAD_PROGRAM, <u64>at);
  return E.ERR_BAD_PROGRAM;
}

/**
 * Checks a program copied into core memory (bounds, opcodes, operands, stack depth) and relocates
 * its constants to addresses. Returns 0 or ERR_BAD_PROGRAM (detail: offending byte offset).
 */
export function qprogLoad(p: usize, size: usize): u32 {
  clearError();
  if (!serviceNameHash) serviceNameHash = hash32(SERVICE_NAME, 12);
  if (size < <usize>Q.P_HEADER_SIZE || load<u32>(p + Q.P_MAGIC) != <u32>Q.P_MAGIC_VALUE || <usize>load<u32>(p + Q.P_SIZE) != size) return badProgram(0);
  if (load<u32>(p + Q.P_LOADED)) return 0;
  let mode = load<u32>(p + Q.P_MODE);
  let ctx = load<u32>(p + Q.P_CONTEXT);
  if (mode != Q.MODE_TRACEQL && mode != Q.MODE_OTTL) return badProgram(Q.P_MODE);
  let isOttl = mode == Q.MODE_OTTL;
  if (ctx >= <u32>Q.CTX_COUNT || (!isOttl && ctx != Q.CTX_SPAN)) return badProgram(Q.P_CONTEXT);
  let codeOff = <usize>load<u32>(p + Q.P_CODE);
  let words = <usize>load<u32>(p + Q.P_CODE_WORDS);
  let constOff = <usize>load<u32>(p + Q.P_CONSTS);
  let nConst = <usize>load<u32>(p + Q.P_CONST_COUNT);
  let poolOff = <usize>load<u32>(p + Q.P_POOL);
  let poolSize = <usize>load<u32>(p + Q.P_POOL_SIZE);
  if (codeOff + words * 4 > size || constOff + nConst * Q.C_SIZE > size || poolOff + poolSize > size || (codeOff & 3) || (constOff & 7)) return badProgram(Q.P_CODE);
  // Constants: bounds-check pool references, then relocate.
  for (let i: usize = 0; i < nConst; i++) {
    let c = p + constOff + i * Q.C_SIZE;
    let t = load<u32>(c + Q.C_TYPE);
    let aux = <usize>load<u32>(c + Q.C_AUX);
    let off = <usize>load<u64>(c + Q.C_PAYLOAD);
    // OTTL constants may also be bytes and ids (8 or 16 bytes in the pool) and durations.
    let ottlPooled = isOttl && (t == Q.VT_BYTES || (t == Q.VT_ID && (aux == 8 || aux == 16)));
    if (t == Q.VT_STRING || t == Q.VT_KEY || t == Q.VT_REGEX || t == Q.VT_STRSET || ottlPooled) {
      if (off + aux > poolSize || off > 0xffffffff) return badProgram(constOff + i * Q.C_SIZE);
      let addr = p + poolOff + off;
      if (t == Q.VT_REGEX && !regexCheck(addr, aux)) return badProgram(constOff + i * Q.C_SIZE);
      if (t == Q.VT_STRSET) {
        if (aux < 4 || (addr & 3)) return badProgram(constOff + i * Q.C_SIZE);
        let n = <usize>load<u32>(addr);
        if (<usize>4 + n * 8 > aux) return badProgram(constOff + i * Q.C_SIZE);
        for (let k: usize = 0; k < n; k++) {
          let so = <usize>load<u32>(addr + 4 + (k << 3));
          let sl = <usize>load<u32>(addr + 8 + (k << 3));
          if (so + sl > poolSize) return badProgram(constOff + i * Q.C_SIZE);
        }
        store<u64>(c + Q.C_PAYLOAD, <u64>addr | (<u64>(p + poolOff) << 32));
      } else if (t == Q.VT_KEY) {
        store<u64>(c + Q.C_PAYLOAD, <u64>addr | (<u64>hash32(addr, aux) << 32));
      } else {
        store<u64>(c + Q.C_PAYLOAD, <u64>addr);
      }
    } else if (t > <u32>Q.VT_STRSET || t == Q.VT_ARRAY || t == Q.VT_ID || (isOttl && (t == Q.VT_STATUS || t == Q.VT_KIND))) {
      return badProgram(constOff + i * Q.C_SIZE);
    }
  }
  // Code: opcodes, operands and stack depth along the straight line (jumps only go forward and
  // leave the depth their fall-through path has at the target).
  let depth: i32 = 0;
  let maxDepth: i32 = 0;
  let maxStack = <i32>load<u32>(p + Q.P_MAX_STACK);
  let i: usize = 0;
  let ended = false;
  let pending: i32 = 0;
  while (i < words) {
    let at = p + codeOff + (i << 2);
    // A jump's target must be reached by the fall-through path with the depth the jump leaves.
    for (let j: i32 = 0; j < pending; j++) {
      if (<usize>load<u32>(JUMPS + (<usize>j << 3)) == i) {
        if (load<i32>(JUMPS + (<usize>j << 3) + 4) != depth) return badProgram(codeOff + (i << 2));
        store<u32>(JUMPS + (<usize>j << 3), 0xffffffff);
      }
    }
    let op = load<u32>(at);
    if (op >= <u32>Q.OP_COUNT || (!isOttl && op >= <u32>Q.OP_INDEX)) return badProgram(codeOff + (i << 2));
    let nops = <usize>load<u8>(OPERANDS + op);
    if (i + 1 + nops > words) return badProgram(codeOff + (i << 2));
    let need: i32 = op == Q.OP_CMP || op == Q.OP_ARITH || op == Q.OP_AND || op == Q.OP_OR ? 2 : op == Q.OP_END || op == Q.OP_NOT || op == Q.OP_NEG || op == Q.OP_REGEX || op == Q.OP_IN_SET || op == Q.OP_EXISTS || op == Q.OP_AND_JUMP || op == Q.OP_OR_JUMP || op == Q.OP_BOOLIFY || op == Q.OP_INDEX || op == Q.OP_TRUE_JUMP ? 1 : 0;
    let effect = <i32>load<i8>(STACK_EFFECT + op);
    if (op == Q.OP_CALL || op == Q.OP_LIST) {
      let count = load<u32>(at + (op == Q.OP_CALL ? 8 : 4));
      if (count > MAX_COUNT) return badProgram(codeOff + (i << 2));
      need = <i32>count;
      effect = 1 - <i32>count;
    }
    if (depth < need) return badProgram(codeOff + (i << 2));
    switch (op) {
      case Q.OP_CONST:
        if (<usize>load<u32>(at + 4) >= nConst) return badProgram(codeOff + (i << 2));
        break;
      case Q.OP_INTRINSIC: {
        let id = load<u32>(at + 4);
        if (isOttl ? id < <u32>Q.IN_OTTL_BASE || id >= <u32>Q.IN_OTTL_END || !fieldAllowed(id, ctx) : id >= <u32>Q.IN_COUNT) return badProgram(codeOff + (i << 2));
        break;
      }
      case Q.OP_ATTRS:
        if (!scopeAllowed(load<u32>(at + 4), ctx) || load<u32>(at + 4) == Q.SC_BODY) return badProgram(codeOff + (i << 2));
        break;
      case Q.OP_INDEX: {
        let k = <usize>load<u32>(at + 4);
        let kt = k < nConst ? load<u32>(p + constOff + k * Q.C_SIZE) : 0;
        if (kt != Q.VT_KEY && kt != Q.VT_INT) return badProgram(codeOff + (i << 2));
        break;
      }
      case Q.OP_CALL:
        if (!callAllowed(load<u32>(at + 4), load<u32>(at + 8), ctx)) return badProgram(codeOff + (i << 2));
        break;
      case Q.OP_ATTR:
      case Q.OP_ATTR_CMP: {
        let k = <usize>load<u32>(at + 8);
        let scope = load<u32>(at + 4);
        if ((isOttl ? !scopeAllowed(scope, ctx) || (op == Q.OP_ATTR_CMP && scope == Q.SC_BODY) : scope > <u32>Q.SC_UNSCOPED) || k >= nConst || load<u32>(p + constOff + k * Q.C_SIZE) != Q.VT_KEY) return badProgram(codeOff + (i << 2));
        if (op == Q.OP_ATTR_CMP) {
          let k2 = <usize>load<u32>(at + 16);
          if (load<u32>(at + 12) > <u32>Q.CMP_GE || k2 >= nConst || load<u32>(p + constOff + k2 * Q.C_SIZE) > <u32>Q.VT_ID) return badProgram(codeOff + (i << 2));
        }
        break;
      }
      case Q.OP_CMP:
        if (load<u32>(at + 4) > <u32>Q.CMP_GE) return badProgram(codeOff + (i << 2));
        break;
      case Q.OP_ARITH:
        if (load<u32>(at + 4) > <u32>Q.AR_POW) return badProgram(codeOff + (i << 2));
        break;
      case Q.OP_REGEX:
      case Q.OP_IN_SET: {
        let k = <usize>load<u32>(at + 4);
        let want = op == Q.OP_REGEX ? Q.VT_REGEX : Q.VT_STRSET;
        if (k >= nConst || load<u32>(p + constOff + k * Q.C_SIZE) != want) return badProgram(codeOff + (i << 2));
        break;
      }
      case Q.OP_AND_JUMP:
      case Q.OP_OR_JUMP:
      case Q.OP_TRUE_JUMP: {
        let target = <usize>load<u32>(at + 4);
        if (target <= i || target >= words || pending >= MAX_JUMPS) return badProgram(codeOff + (i << 2));
        store<u32>(JUMPS + (<usize>pending << 3), <u32>target);
        store<i32>(JUMPS + (<usize>pending << 3) + 4, depth);
        pending++;
        break;
      }
      case Q.OP_END:
        ended = true;
        break;
    }
    if (ended) break;
    depth += effect;
    if (depth > maxDepth) maxDepth = depth;
    i += 1 + nops;
  }
  if (!ended || depth != 1 || maxDepth > maxStack) return badProgram(codeOff + (i << 2));
  for (let j: i32 = 0; j < pending; j++) if (load<u32>(JUMPS + (<usize>j << 3)) != 0xffffffff) return badProgram(Q.P_CODE);
  if (load<u32>(p + Q.P_FLAGS) & ~(<u32>7)) return badProgram(Q.P_FLAGS);
  store<u32>(p + Q.P_LOADED, 1);
  return 0;
}
