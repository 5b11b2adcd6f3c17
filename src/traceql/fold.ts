// Constant folding of field expressions (Tempo folds literal sub-expressions at parse time:
// `{ 1 / 10 = 0 }` is `{ true }`). Division by an integer zero is left unfolded: Tempo reports it
// when the query runs, and so do we. Rules follow spec §6.2.
import type { BinaryOp, FieldExpr, StaticNode } from './ast.js';

const NUMERIC = new Set(['int', 'float', 'duration']);

export function intPow(base: bigint, exp: bigint): bigint {
  // Tempo's intPow multiplies `base` into itself exp−1 times (exp ≤ 0 → 1 for 0, else base);
  // wrapping int64 arithmetic makes square-and-multiply give the same result.
  if (exp === 0n) return 1n;
  if (exp < 0n) return base;
  let result = 1n;
  let b = BigInt.asIntN(64, base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = BigInt.asIntN(64, result * b);
    b = BigInt.asIntN(64, b * b);
    e >>= 1n;
  }
  return result;
}

function num(s: StaticNode): number {
  return s.type === 'float' ? s.value : Number(s.value as bigint);
}

function bytesCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function cmpResult(op: BinaryOp, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

const bool = (v: boolean, s: StaticNode): StaticNode => ({ kind: 'static', type: 'bool', value: v, pos: s.pos });

/**
 * Folds `a op b` for two literals; returns undefined when it must be left to run time (integer
 * division by zero, regex matches which are compiled separately) .
 */
export function foldBinary(op: BinaryOp, a: StaticNode, b: StaticNode): StaticNode | undefined {
  if (op === '=~' || op === '!~') return undefined;
  if (a.type === 'nil' || b.type === 'nil') {
    // `nil = nil` / `nil != nil` are both false; anything else with nil is false too.
    return bool(false, a);
  }
  const numeric = NUMERIC.has(a.type) && NUMERIC.has(b.type);
  if (a.type !== b.type && !numeric) return bool(false, a);
  if (a.type === 'int' && b.type === 'int') {
    const x = a.value;
    const y = b.value;
    switch (op) {
      case '+':
        return { kind: 'static', type: 'int', value: BigInt.asIntN(64, x + y), pos: a.pos };
      case '-':
        return { kind: 'static', type: 'int', value: BigInt.asIntN(64, x - y), pos: a.pos };
      case '*':
        return { kind: 'static', type: 'int', value: BigInt.asIntN(64, x * y), pos: a.pos };
      case '/':
      case '%':
        if (y === 0n) return undefined;
        return { kind: 'static', type: 'int', value: BigInt.asIntN(64, op === '/' ? x / y : x % y), pos: a.pos };
      case '^':
        return { kind: 'static', type: 'int', value: intPow(y, x), pos: a.pos };
      case '&&':
      case '||':
        return bool(false, a);
      default:
        return bool(cmpResult(op, x < y ? -1 : x > y ? 1 : 0), a);
    }
  }
  if (numeric) {
    const x = num(a);
    const y = num(b);
    switch (op) {
      case '+':
        return { kind: 'static', type: 'float', value: x + y, pos: a.pos };
      case '-':
        return { kind: 'static', type: 'float', value: x - y, pos: a.pos };
      case '*':
        return { kind: 'static', type: 'float', value: x * y, pos: a.pos };
      case '/':
        return { kind: 'static', type: 'float', value: x / y, pos: a.pos };
      case '%':
        return { kind: 'static', type: 'float', value: x % y, pos: a.pos };
      case '^':
        return { kind: 'static', type: 'float', value: Math.pow(x, y), pos: a.pos };
      case '&&':
      case '||':
        return bool(false, a);
      default:
        // Any numeric mix other than int × int compares as float64 (durations included).
        if (Number.isNaN(x) || Number.isNaN(y)) return bool(op === '!=', a);
        return bool(cmpResult(op, x < y ? -1 : x > y ? 1 : 0), a);
    }
  }
  switch (a.type) {
    case 'string': {
      if (op === '&&' || op === '||' || op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^') return bool(false, a);
      return bool(cmpResult(op, bytesCompare(a.value, b.value as Uint8Array)), a);
    }
    case 'bool': {
      const x = a.value;
      const y = b.value as boolean;
      if (op === '&&') return bool(x && y, a);
      if (op === '||') return bool(x || y, a);
      if (op === '=') return bool(x === y, a);
      if (op === '!=') return bool(x !== y, a);
      return bool(false, a);
    }
    case 'status':
    case 'kind': {
      if (op === '=') return bool(a.value === b.value, a);
      if (op === '!=') return bool(a.value !== b.value, a);
      return bool(false, a);
    }
    default:
      return bool(false, a);
  }
}

/** Folds literal sub-expressions bottom-up. */
export function foldConstants(e: FieldExpr): FieldExpr {
  if (e.kind === 'binary') {
    const lhs = foldConstants(e.lhs);
    const rhs = foldConstants(e.rhs);
    if (lhs.kind === 'static' && rhs.kind === 'static') {
      const f = foldBinary(e.op, lhs, rhs);
      if (f) return { ...f, pos: e.pos };
    }
    return { ...e, lhs, rhs };
  }
  if (e.kind === 'unary') {
    const inner = foldConstants(e.expr);
    if (inner.kind === 'static') {
      if (e.op === '!' && inner.type === 'bool') return { kind: 'static', type: 'bool', value: !inner.value, pos: e.pos };
      if (e.op === '-' && (inner.type === 'int' || inner.type === 'duration')) return { kind: 'static', type: inner.type, value: BigInt.asIntN(64, -inner.value), pos: e.pos };
      if (e.op === '-' && inner.type === 'float') return { kind: 'static', type: 'float', value: -inner.value, pos: e.pos };
    }
    return { ...e, expr: inner };
  }
  return e;
}
