// Compiles a validated field expression into a predicate-VM program (layout in
// assembly/abi/query-layout.ts, described in docs/PREDICATE-VM.md): a constant table, u32 code and
// a byte pool holding strings, attribute keys, regex programs and literal sets.
import * as Q from '../../assembly/abi/query-layout.js';
import { compileRegex } from '../regex/compile.js';
import type { BinaryOp, FieldExpr, Intrinsic, StaticNode } from './ast.js';

const INTRINSIC_IDS: Record<Exclude<Intrinsic, 'parent'>, number> = {
  'span:name': Q.IN_NAME,
  'span:status': Q.IN_STATUS,
  'span:statusMessage': Q.IN_STATUS_MESSAGE,
  'span:duration': Q.IN_DURATION,
  'span:kind': Q.IN_KIND,
  'span:id': Q.IN_SPAN_ID,
  'span:parentID': Q.IN_PARENT_ID,
  'span:childCount': Q.IN_CHILD_COUNT,
  'trace:id': Q.IN_TRACE_ID,
  'trace:rootName': Q.IN_ROOT_NAME,
  'trace:rootService': Q.IN_ROOT_SERVICE,
  'trace:duration': Q.IN_TRACE_DURATION,
  'event:name': Q.IN_EVENT_NAME,
  'event:timeSinceStart': Q.IN_EVENT_TIME_SINCE_START,
  'link:traceID': Q.IN_LINK_TRACE_ID,
  'link:spanID': Q.IN_LINK_SPAN_ID,
  'instrumentation:name': Q.IN_SCOPE_NAME,
  'instrumentation:version': Q.IN_SCOPE_VERSION,
  nestedSetLeft: Q.IN_NESTED_LEFT,
  nestedSetRight: Q.IN_NESTED_RIGHT,
  nestedSetParent: Q.IN_NESTED_PARENT,
};

const SCOPES: Record<string, number> = {
  span: Q.SC_SPAN,
  resource: Q.SC_RESOURCE,
  instrumentation: Q.SC_SCOPE,
  event: Q.SC_EVENT,
  link: Q.SC_LINK,
  none: Q.SC_UNSCOPED,
};

const CMP: Partial<Record<BinaryOp, number>> = { '=': Q.CMP_EQ, '!=': Q.CMP_NE, '<': Q.CMP_LT, '<=': Q.CMP_LE, '>': Q.CMP_GT, '>=': Q.CMP_GE };
const MIRROR: Partial<Record<BinaryOp, BinaryOp>> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const ARITH: Partial<Record<BinaryOp, number>> = { '+': Q.AR_ADD, '-': Q.AR_SUB, '*': Q.AR_MUL, '/': Q.AR_DIV, '%': Q.AR_MOD, '^': Q.AR_POW };

const enc = new TextEncoder();

interface Const {
  type: number;
  aux: number;
  payload: bigint;
}

/** A compiled program: its bytes (loaded into the core by the engine) and what it reads. */
export interface PredicateProgram {
  bytes: Uint8Array;
  readsAttributes: boolean;
  readsEvents: boolean;
  readsLinks: boolean;
}

class Builder {
  private readonly consts: Const[] = [];
  private readonly constKeys = new Map<string, number>();
  private pool: number[] = [];
  readonly code: number[] = [];
  private depth = 0;
  maxDepth = 0;
  flags = 0;

  private poolAdd(bytes: Uint8Array, align = 1): number {
    while (this.pool.length % align) this.pool.push(0);
    const off = this.pool.length;
    for (const b of bytes) this.pool.push(b);
    return off;
  }

  private constant(c: Const, key: string): number {
    const hit = this.constKeys.get(key);
    if (hit !== undefined) return hit;
    this.consts.push(c);
    this.constKeys.set(key, this.consts.length - 1);
    return this.consts.length - 1;
  }

  staticConst(s: StaticNode, stripLeadingZeros = false): number {
    switch (s.type) {
      case 'int':
        return this.constant({ type: Q.VT_INT, aux: 0, payload: BigInt.asUintN(64, s.value) }, `i${s.value}`);
      case 'duration':
        return this.constant({ type: Q.VT_DURATION, aux: 0, payload: BigInt.asUintN(64, s.value) }, `d${s.value}`);
      case 'float': {
        const dv = new DataView(new ArrayBuffer(8));
        dv.setFloat64(0, s.value, true);
        return this.constant({ type: Q.VT_FLOAT, aux: 0, payload: dv.getBigUint64(0, true) }, `f${dv.getBigUint64(0, true)}`);
      }
      case 'string': {
        let bytes = s.value;
        if (stripLeadingZeros) {
          let k = 0;
          while (k < bytes.length && bytes[k] === 0x30) k++;
          bytes = bytes.subarray(k);
        }
        const key = `s${Array.from(bytes).join(',')}`;
        const hit = this.constKeys.get(key);
        if (hit !== undefined) return hit;
        return this.constant({ type: Q.VT_STRING, aux: bytes.length, payload: BigInt(this.poolAdd(bytes)) }, key);
      }
      case 'bool':
        return this.constant({ type: Q.VT_BOOL, aux: 0, payload: s.value ? 1n : 0n }, `b${s.value}`);
      case 'status':
        return this.constant({ type: Q.VT_STATUS, aux: 0, payload: BigInt(s.value) }, `st${s.value}`);
      case 'kind':
        return this.constant({ type: Q.VT_KIND, aux: 0, payload: BigInt(s.value) }, `k${s.value}`);
      case 'nil':
        return this.constant({ type: Q.VT_NIL, aux: 0, payload: 0n }, 'nil');
    }
  }

  keyConst(name: string): number {
    const bytes = enc.encode(name);
    const key = `key:${name}`;
    const hit = this.constKeys.get(key);
    if (hit !== undefined) return hit;
    return this.constant({ type: Q.VT_KEY, aux: bytes.length, payload: BigInt(this.poolAdd(bytes)) }, key);
  }

  regexConst(pattern: Uint8Array): { k: number; set: boolean } {
    const rx = compileRegex(pattern, { anchored: true, dotAll: true });
    if (rx.literals) {
      const n = rx.literals.length;
      const offs = rx.literals.map((l) => this.poolAdd(l));
      const table = new Uint8Array(4 + n * 8);
      const dv = new DataView(table.buffer);
      dv.setUint32(0, n, true);
      offs.forEach((o, i) => {
        dv.setUint32(4 + i * 8, o, true);
        dv.setUint32(8 + i * 8, rx.literals![i]!.length, true);
      });
      const at = this.poolAdd(table, 4);
      this.consts.push({ type: Q.VT_STRSET, aux: table.length, payload: BigInt(at) });
      return { k: this.consts.length - 1, set: true };
    }
    const at = this.poolAdd(rx.program, 4);
    this.consts.push({ type: Q.VT_REGEX, aux: rx.program.length, payload: BigInt(at) });
    return { k: this.consts.length - 1, set: false };
  }

  emit(op: number, operands: number[], effect: number): void {
    this.code.push(op, ...operands);
    this.depth += effect;
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
  }

  /** A forward jump: returns the index of its target operand to patch. */
  jump(op: number, effect: number): number {
    this.code.push(op, 0);
    this.depth += effect;
    return this.code.length - 1;
  }

  patch(at: number): void {
    this.code[at] = this.code.length;
  }

  finish(): Uint8Array {
    this.code.push(Q.OP_END);
    const codeOff = Q.P_HEADER_SIZE;
    const constOff = (codeOff + this.code.length * 4 + 7) & ~7;
    const poolOff = constOff + this.consts.length * Q.C_SIZE;
    const size = (poolOff + this.pool.length + 7) & ~7;
    const buf = new Uint8Array(size);
    const dv = new DataView(buf.buffer);
    const u32 = (at: number, v: number) => dv.setUint32(at, v, true);
    u32(Q.P_MAGIC, Q.P_MAGIC_VALUE);
    u32(Q.P_FLAGS, this.flags);
    u32(Q.P_MODE, Q.MODE_TRACEQL);
    u32(Q.P_CODE, codeOff);
    u32(Q.P_CODE_WORDS, this.code.length);
    u32(Q.P_CONSTS, constOff);
    u32(Q.P_CONST_COUNT, this.consts.length);
    u32(Q.P_POOL, poolOff);
    u32(Q.P_POOL_SIZE, this.pool.length);
    u32(Q.P_MAX_STACK, Math.max(this.maxDepth, 1));
    u32(Q.P_SIZE, size);
    this.code.forEach((w, i) => u32(codeOff + i * 4, w));
    this.consts.forEach((c, i) => {
      const at = constOff + i * Q.C_SIZE;
      u32(at + Q.C_TYPE, c.type);
      u32(at + Q.C_AUX, c.aux);
      dv.setBigUint64(at + Q.C_PAYLOAD, c.payload, true);
    });
    buf.set(this.pool, poolOff);
    return buf;
  }
}

/** True if evaluating `e` can fail at run time (division, `!`, unary `-`). */
function canRaise(e: FieldExpr): boolean {
  switch (e.kind) {
    case 'unary':
      return true;
    case 'binary':
      return e.op === '/' || e.op === '%' || canRaise(e.lhs) || canRaise(e.rhs);
    default:
      return false;
  }
}

function isNil(e: FieldExpr): boolean {
  return e.kind === 'static' && e.type === 'nil';
}

function isTraceId(e: FieldExpr): boolean {
  return e.kind === 'intrinsic' && e.intrinsic === 'trace:id';
}

function compileExpr(b: Builder, e: FieldExpr): void {
  switch (e.kind) {
    case 'static':
      b.emit(Q.OP_CONST, [b.staticConst(e)], 1);
      return;
    case 'attribute':
      b.flags |= Q.PF_ATTRS | (e.scope === 'event' ? Q.PF_EVENTS : 0) | (e.scope === 'link' ? Q.PF_LINKS : 0);
      b.emit(Q.OP_ATTR, [SCOPES[e.scope]!, b.keyConst(e.name)], 1);
      return;
    case 'intrinsic': {
      if (e.intrinsic === 'parent') throw new Error('unreachable: parent is rejected by validation');
      if (e.intrinsic.startsWith('event:')) b.flags |= Q.PF_EVENTS;
      if (e.intrinsic.startsWith('link:')) b.flags |= Q.PF_LINKS;
      if (e.intrinsic === 'trace:rootService') b.flags |= Q.PF_ATTRS;
      b.emit(Q.OP_INTRINSIC, [INTRINSIC_IDS[e.intrinsic]], 1);
      return;
    }
    case 'unary':
      compileExpr(b, e.expr);
      b.emit(e.op === '!' ? Q.OP_NOT : Q.OP_NEG, [], 0);
      return;
    case 'binary':
      compileBinary(b, e.op, e.lhs, e.rhs);
  }
}

function compileBinary(b: Builder, op: BinaryOp, lhs: FieldExpr, rhs: FieldExpr): void {
  if ((op === '=' || op === '!=') && (isNil(lhs) || isNil(rhs))) {
    compileExpr(b, isNil(lhs) ? rhs : lhs);
    b.emit(Q.OP_EXISTS, [op === '=' ? 1 : 0], 0);
    return;
  }
  if (op === '=~' || op === '!~') {
    compileExpr(b, lhs);
    if (rhs.kind !== 'static' || rhs.type !== 'string') throw new Error('unreachable: validation requires a string literal regex');
    const { k, set } = b.regexConst(rhs.value);
    b.emit(set ? Q.OP_IN_SET : Q.OP_REGEX, [k, op === '!~' ? 1 : 0], 0);
    return;
  }
  const cmp = CMP[op];
  if (cmp !== undefined) {
    // trace:id compared with a literal: the literal loses its leading zeros too (spec §4.2).
    if (lhs.kind === 'attribute' && rhs.kind === 'static') {
      b.flags |= Q.PF_ATTRS | (lhs.scope === 'event' ? Q.PF_EVENTS : 0) | (lhs.scope === 'link' ? Q.PF_LINKS : 0);
      b.emit(Q.OP_ATTR_CMP, [SCOPES[lhs.scope]!, b.keyConst(lhs.name), cmp, b.staticConst(rhs)], 1);
      return;
    }
    if (rhs.kind === 'attribute' && lhs.kind === 'static') {
      compileBinary(b, MIRROR[op]!, rhs, lhs);
      return;
    }
    if (isTraceId(lhs) && rhs.kind === 'static' && rhs.type === 'string') {
      compileExpr(b, lhs);
      b.emit(Q.OP_CONST, [b.staticConst(rhs, true)], 1);
    } else if (isTraceId(rhs) && lhs.kind === 'static' && lhs.type === 'string') {
      b.emit(Q.OP_CONST, [b.staticConst(lhs, true)], 1);
      compileExpr(b, rhs);
    } else {
      compileExpr(b, lhs);
      compileExpr(b, rhs);
    }
    b.emit(Q.OP_CMP, [cmp], -1);
    return;
  }
  const ar = ARITH[op];
  if (ar !== undefined) {
    compileExpr(b, lhs);
    compileExpr(b, rhs);
    b.emit(Q.OP_ARITH, [ar], -1);
    return;
  }
  // && and ||: short-circuit where skipping the right side cannot hide a runtime error.
  compileExpr(b, lhs);
  if (!canRaise(rhs)) {
    if (op === '&&') {
      const at = b.jump(Q.OP_AND_JUMP, -1);
      compileExpr(b, rhs);
      b.emit(Q.OP_BOOLIFY, [], 0);
      b.patch(at);
    } else {
      const at = b.jump(Q.OP_OR_JUMP, 0);
      compileExpr(b, rhs);
      b.emit(Q.OP_OR, [], -1);
      b.patch(at);
    }
    return;
  }
  compileExpr(b, rhs);
  b.emit(op === '&&' ? Q.OP_AND : Q.OP_OR, [], -1);
}

/** Compiles an expression; the program's result is the expression's value for each span. */
export function compileProgram(e: FieldExpr): PredicateProgram {
  const b = new Builder();
  compileExpr(b, e);
  return {
    bytes: b.finish(),
    readsAttributes: (b.flags & Q.PF_ATTRS) !== 0,
    readsEvents: (b.flags & Q.PF_EVENTS) !== 0,
    readsLinks: (b.flags & Q.PF_LINKS) !== 0,
  };
}
