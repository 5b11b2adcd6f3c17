// OTTL's value rules in the predicate VM (MODE_OTTL): attribute rows as the collector's contexts
// return them (maps, lists, bytes and empty values included), the comparison table of the OTTL
// language spec, deep equality of maps and lists (pcommon's Equal), math on int64, float64,
// time.Time and time.Duration, and indexing into maps and lists. Values are the 16-byte VM slots
// of abi/query-layout.ts; failures are RT_* codes the caller turns into a condition error.
import * as L from '../abi/trace-layout';
import * as Q from '../abi/query-layout';
import { bytesEqual, hash32 } from '../hash';
import { input, nested, findInRows } from './vm-state';

// @ts-ignore: decorator
@inline export function vType(v: usize): u32 {
  return load<u32>(v + Q.C_TYPE);
}
// @ts-ignore: decorator
@inline export function vAux(v: usize): u32 {
  return load<u32>(v + Q.C_AUX);
}
// @ts-ignore: decorator
@inline export function vPay(v: usize): u64 {
  return load<u64>(v + Q.C_PAYLOAD);
}
// @ts-ignore: decorator
@inline export function setV(v: usize, t: u32, aux: u32, pay: u64): void {
  store<u32>(v + Q.C_TYPE, t);
  store<u32>(v + Q.C_AUX, aux);
  store<u64>(v + Q.C_PAYLOAD, pay);
}
// @ts-ignore: decorator
@inline export function setBool(v: usize, b: bool): void {
  setV(v, Q.VT_BOOL, 0, b ? 1 : 0);
}
// @ts-ignore: decorator
@inline export function copyV(dst: usize, src: usize): void {
  store<u64>(dst, load<u64>(src));
  store<u64>(dst + 8, load<u64>(src + 8));
}

/** An attribute or nested row's value as OTTL sees it (pcommon.Value through GetValue). */
export function valueFromRow(row: usize, dst: usize): void {
  let t = load<u32>(row + L.A_TYPE);
  let v = load<u64>(row + L.A_VALUE);
  switch (t) {
    case L.V_STRING:
      setV(dst, Q.VT_STRING, <u32>(v >> 32), <u64>(input + <usize>(<u32>v)));
      return;
    case L.V_INT:
      setV(dst, Q.VT_INT, 0, v);
      return;
    case L.V_DOUBLE:
      setV(dst, Q.VT_FLOAT, 0, v);
      return;
    case L.V_BOOL:
      setV(dst, Q.VT_BOOL, 0, v);
      return;
    case L.V_BYTES:
      setV(dst, Q.VT_BYTES, <u32>(v >> 32), <u64>(input + <usize>(<u32>v)));
      return;
    case L.V_ARRAY:
      setV(dst, Q.VT_LIST, <u32>(v >> 32), <u64>(nested + <usize>(<u32>v) * L.A_ROW));
      return;
    case L.V_KVLIST:
      setV(dst, Q.VT_MAP, <u32>(v >> 32), <u64>(nested + <usize>(<u32>v) * L.A_ROW));
      return;
    default:
      setV(dst, Q.VT_NIL, Q.NIL_EMPTY, 0);
  }
}

/** Element `i` of a list value (attribute rows or a list literal's values). */
export function listElement(list: usize, i: u32, dst: usize): void {
  if (vType(list) == Q.VT_VLIST) copyV(dst, <usize>vPay(list) + <usize>i * Q.C_SIZE);
  else valueFromRow(<usize>vPay(list) + <usize>i * L.A_ROW, dst);
}

// @ts-ignore: decorator
@inline function isList(t: u32): bool {
  return t == Q.VT_LIST || t == Q.VT_VLIST;
}

// ---------------------------------------------------------------------------------------------
// Comparisons

// Scratch slots for deep equality, two per nesting level (values are at most this deep: the
// decode depth limit is capped at 512, list literals by the compiler).
const MAX_DEPTH: u32 = 600;
const DEEP = memory.data(<i32>(MAX_DEPTH * 2 * Q.C_SIZE), 8);

export function bytesCompare(a: usize, al: u32, b: usize, bl: u32): i32 {
  let n = min<u32>(al, bl);
  for (let i: u32 = 0; i < n; i++) {
    let x = <i32>load<u8>(a + i);
    let y = <i32>load<u8>(b + i);
    if (x != y) return x - y;
  }
  return <i32>al - <i32>bl;
}

/** Whether a three-way comparison result `c` satisfies the comparison `op` (CMP_*); TraceQL's VM uses it too. */
// @ts-ignore: decorator
@inline export function ordered(op: u32, c: i32): bool {
  switch (op) {
    case Q.CMP_EQ:
      return c == 0;
    case Q.CMP_NE:
      return c != 0;
    case Q.CMP_LT:
      return c < 0;
    case Q.CMP_LE:
      return c <= 0;
    case Q.CMP_GT:
      return c > 0;
    default:
      return c >= 0;
  }
}

/** Go's operators on float64 (NaN: only != holds). */
function floats(op: u32, x: f64, y: f64): bool {
  switch (op) {
    case Q.CMP_EQ:
      return x == y;
    case Q.CMP_NE:
      return x != y;
    case Q.CMP_LT:
      return x < y;
    case Q.CMP_LE:
      return x <= y;
    case Q.CMP_GT:
      return x > y;
    default:
      return x >= y;
  }
}

function ints(op: u32, x: i64, y: i64): bool {
  return ordered(op, x < y ? -1 : x > y ? 1 : 0);
}

// @ts-ignore: decorator
@inline function asF64(v: usize): f64 {
  return vType(v) == Q.VT_FLOAT ? reinterpret<f64>(vPay(v)) : <f64>(<i64>vPay(v));
}

/**
 * `a op b` under OTTL's comparison rules: values of types the table does not relate are "not
 * equal" (only != holds); maps and lists support only == and != (deep equality).
 */
export function ottlCompare(a: usize, b: usize, op: u32): bool {
  let ta = vType(a);
  let tb = vType(b);
  if (ta == Q.VT_NIL || tb == Q.VT_NIL) {
    if (ta == tb) return op == Q.CMP_EQ || op == Q.CMP_LE || op == Q.CMP_GE;
    return op == Q.CMP_NE;
  }
  if ((ta == Q.VT_INT || ta == Q.VT_FLOAT) && (tb == Q.VT_INT || tb == Q.VT_FLOAT)) {
    if (ta == Q.VT_INT && tb == Q.VT_INT) return ints(op, <i64>vPay(a), <i64>vPay(b));
    return floats(op, asF64(a), asF64(b));
  }
  if (isList(ta) && isList(tb)) {
    if (op == Q.CMP_EQ) return deepEqual(a, b, 0);
    return op == Q.CMP_NE ? !deepEqual(a, b, 0) : false;
  }
  if (ta != tb) return op == Q.CMP_NE;
  switch (ta) {
    case Q.VT_BOOL: {
      let x = vPay(a) != 0;
      let y = vPay(b) != 0;
      return ordered(op, x == y ? 0 : x ? 1 : -1);
    }
    case Q.VT_STRING:
    case Q.VT_BYTES: {
      if (op == Q.CMP_EQ || op == Q.CMP_NE) {
        let eq = vAux(a) == vAux(b) && bytesEqual(<usize>vPay(a), <usize>vPay(b), vAux(a));
        return op == Q.CMP_EQ ? eq : !eq;
      }
      return ordered(op, bytesCompare(<usize>vPay(a), vAux(a), <usize>vPay(b), vAux(b)));
    }
    case Q.VT_TIME:
    case Q.VT_DURATION:
      return ints(op, <i64>vPay(a), <i64>vPay(b));
    case Q.VT_ID: {
      // TraceID vs SpanID are different types (Go's == is false); ids have no order.
      let eq = vAux(a) == vAux(b) && bytesEqual(<usize>vPay(a), <usize>vPay(b), vAux(a) & 0xff);
      if (op == Q.CMP_EQ) return eq;
      return op == Q.CMP_NE ? !eq : false;
    }
    case Q.VT_MAP: {
      if (op == Q.CMP_EQ) return deepEqual(a, b, 0);
      return op == Q.CMP_NE ? !deepEqual(a, b, 0) : false;
    }
  }
  return op == Q.CMP_NE;
}

/** pcommon's Value.Equal: same type and equal content, recursively (NaN is unequal to itself). */
export function deepEqual(a: usize, b: usize, depth: u32): bool {
  let ta = vType(a);
  let tb = vType(b);
  if (isList(ta) && isList(tb)) {
    let n = vAux(a);
    if (vAux(b) != n) return false;
    if (depth >= MAX_DEPTH) return false;
    let x = DEEP + <usize>depth * 2 * Q.C_SIZE;
    let y = x + Q.C_SIZE;
    for (let i: u32 = 0; i < n; i++) {
      listElement(a, i, x);
      listElement(b, i, y);
      if (!deepEqual(x, y, depth + 1)) return false;
    }
    return true;
  }
  if (ta != tb) return false;
  switch (ta) {
    case Q.VT_NIL:
      return true;
    case Q.VT_BOOL:
    case Q.VT_INT:
    case Q.VT_TIME:
    case Q.VT_DURATION:
      return vPay(a) == vPay(b);
    case Q.VT_FLOAT:
      return reinterpret<f64>(vPay(a)) == reinterpret<f64>(vPay(b));
    case Q.VT_STRING:
    case Q.VT_BYTES:
    case Q.VT_ID:
      return vAux(a) == vAux(b) && bytesEqual(<usize>vPay(a), <usize>vPay(b), vAux(a) & 0xffffff);
    case Q.VT_MAP: {
      let n = vAux(a);
      if (vAux(b) != n) return false;
      if (depth >= MAX_DEPTH) return false;
      let x = DEEP + <usize>depth * 2 * Q.C_SIZE;
      let y = x + Q.C_SIZE;
      let rows = <usize>vPay(a);
      for (let i: u32 = 0; i < n; i++) {
        let row = rows + <usize>i * L.A_ROW;
        let key = input + <usize>load<u32>(row + L.A_KEY_OFF);
        let kl = load<u32>(row + L.A_KEY_LEN);
        let other = findInRows(<usize>vPay(b), n, load<u32>(row + L.A_KEY_HASH), key, kl);
        if (!other) return false;
        valueFromRow(row, x);
        valueFromRow(other, y);
        if (!deepEqual(x, y, depth + 1)) return false;
      }
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Math

const MIN_I64: i64 = i64.MIN_VALUE;
const MAX_I64: i64 = i64.MAX_VALUE;

/** Go's time.Time.Sub: the difference, saturated to the duration range. */
function timeSub(x: i64, y: i64): i64 {
  let d = x - y;
  if (y < 0 && x > 0 && d < 0) return MAX_I64;
  if (y > 0 && x < 0 && d > 0) return MIN_I64;
  return d;
}

/**
 * `a op b` into `a` (math expressions: + - * /). int64 with int64 stays int64 (wrapping, Go's
 * truncating division); any float64 makes it float64; time.Time and time.Duration allow only the
 * + and - the spec lists. Returns 0 or an RT_* code.
 */
export function ottlArith(a: usize, b: usize, op: u32): u32 {
  let ta = vType(a);
  let tb = vType(b);
  if (ta == Q.VT_INT || ta == Q.VT_FLOAT) {
    if (tb != Q.VT_INT && tb != Q.VT_FLOAT) return Q.RT_MATH_TYPE;
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
        default:
          if (y == 0) return Q.RT_DIV_ZERO;
          r = y == -1 ? -x : x / y; // MinInt64 / -1 wraps in Go; in WebAssembly it would trap
      }
      setV(a, Q.VT_INT, 0, <u64>r);
      return 0;
    }
    let x = asF64(a);
    let y = asF64(b);
    let r: f64 = 0;
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
      default:
        if (y == 0) return Q.RT_DIV_ZERO;
        r = x / y;
    }
    setV(a, Q.VT_FLOAT, 0, reinterpret<u64>(r));
    return 0;
  }
  if (ta == Q.VT_TIME) {
    let x = <i64>vPay(a);
    let y = <i64>vPay(b);
    if (op == Q.AR_ADD && tb == Q.VT_DURATION) setV(a, Q.VT_TIME, 0, <u64>(x + y));
    else if (op == Q.AR_SUB && tb == Q.VT_TIME) setV(a, Q.VT_DURATION, 0, <u64>timeSub(x, y));
    else if (op == Q.AR_SUB && tb == Q.VT_DURATION) setV(a, Q.VT_TIME, 0, <u64>(x - y));
    else return Q.RT_TIME_OP;
    return 0;
  }
  if (ta == Q.VT_DURATION) {
    let x = <i64>vPay(a);
    let y = <i64>vPay(b);
    if (op == Q.AR_ADD && tb == Q.VT_DURATION) setV(a, Q.VT_DURATION, 0, <u64>(x + y));
    else if (op == Q.AR_ADD && tb == Q.VT_TIME) setV(a, Q.VT_TIME, 0, <u64>(x + y));
    else if (op == Q.AR_SUB && tb == Q.VT_DURATION) setV(a, Q.VT_DURATION, 0, <u64>(x - y));
    else return Q.RT_TIME_OP;
    return 0;
  }
  return Q.RT_MATH_TYPE;
}

/** Unary minus: int64 and float64 only. */
export function ottlNegate(a: usize): u32 {
  let t = vType(a);
  if (t == Q.VT_INT) store<u64>(a + Q.C_PAYLOAD, <u64>(-<i64>vPay(a)));
  else if (t == Q.VT_FLOAT) store<u64>(a + Q.C_PAYLOAD, reinterpret<u64>(-reinterpret<f64>(vPay(a))));
  else return Q.RT_NEG_NUMBER;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Indexing

/**
 * `v[k]` in place, as the contexts' getIndexableValue does: a missing key gives nil and ends the
 * chain (nil stays nil); maps take string keys, lists int keys within bounds; anything else — an
 * empty value included — is an error.
 */
export function ottlIndex(v: usize, k: usize): u32 {
  let t = vType(v);
  if (t == Q.VT_NIL) return vAux(v) == Q.NIL_EMPTY ? Q.RT_INDEX_TYPE : 0;
  let kt = vType(k);
  if (t == Q.VT_MAP) {
    if (kt != Q.VT_KEY) return Q.RT_INDEX_KEY;
    let row = findInRows(<usize>vPay(v), vAux(v), <u32>(vPay(k) >> 32), <usize>(<u32>vPay(k)), vAux(k));
    if (row) valueFromRow(row, v);
    else setV(v, Q.VT_NIL, 0, 0);
    return 0;
  }
  if (isList(t)) {
    if (kt != Q.VT_INT) return Q.RT_INDEX_KEY;
    let i = <i64>vPay(k);
    if (i < 0 || i >= <i64>vAux(v)) return Q.RT_INDEX_RANGE;
    listElement(v, <u32>i, v);
    return 0;
  }
  return Q.RT_INDEX_TYPE;
}

/** A string key's hash as findInRows wants it (keys built at run time). */
export function keyHash(p: usize, n: u32): u32 {
  return hash32(p, n);
}
