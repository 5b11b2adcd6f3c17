// Compiles a validated field expression into a predicate-VM program (layout in
// assembly/abi/query-layout.ts, described in docs/PREDICATE-VM.md): a constant table, u32 code and
// a byte pool holding strings, attribute keys, regex programs and literal sets.
import * as Q from '../../assembly/abi/query-layout.js';
import { ProgramBuilder } from '../query/program-builder.js';
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

/** A compiled program: its bytes (loaded into the core by the engine) and what it reads. */
export interface PredicateProgram {
  bytes: Uint8Array;
  readsAttributes: boolean;
  readsEvents: boolean;
  readsLinks: boolean;
}

/** TraceQL's programs: MODE_TRACEQL over spans, with its static values as constants. */
class Builder extends ProgramBuilder {
  staticConst(s: StaticNode, stripLeadingZeros = false): number {
    switch (s.type) {
      case 'int':
        return this.intConst(s.value);
      case 'duration':
        return this.durationConst(s.value);
      case 'float':
        return this.floatConst(s.value);
      case 'string': {
        let bytes = s.value;
        if (stripLeadingZeros) {
          let k = 0;
          while (k < bytes.length && bytes[k] === 0x30) k++;
          bytes = bytes.subarray(k);
        }
        return this.stringConst(bytes);
      }
      case 'bool':
        return this.boolConst(s.value);
      case 'status':
        return this.enumConst(Q.VT_STATUS, s.value);
      case 'kind':
        return this.enumConst(Q.VT_KIND, s.value);
      case 'nil':
        return this.nilConst();
    }
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
    const { k, set } = b.regexConst(rhs.value, { anchored: true, dotAll: true });
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
