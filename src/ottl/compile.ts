// Compiles a resolved OTTL condition into a predicate-VM program in MODE_OTTL for its context
// (bytecode shared with TraceQL; OTTL's rules are the mode's). Fused attribute comparisons, short
// circuits for `and` / `or`, and a source position for every instruction that can fail, so a
// runtime error names where in the condition it happened.
import * as Q from '../../assembly/abi/query-layout.js';
import { ProgramBuilder } from '../query/program-builder.js';
import type { Pos } from './errors.js';
import type { BoolIR, Const, IR, Key } from './check.js';
import { CONTEXT_IDS } from './contexts.js';
import type { ContextName } from './contexts.js';

const CMP = { '==': Q.CMP_EQ, '!=': Q.CMP_NE, '<': Q.CMP_LT, '<=': Q.CMP_LE, '>': Q.CMP_GT, '>=': Q.CMP_GE } as const;
const MIRROR = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;
const MATH = { '+': Q.AR_ADD, '-': Q.AR_SUB, '*': Q.AR_MUL, '/': Q.AR_DIV } as const;

/** A compiled condition: the program and what it reads. */
export interface OttlProgram {
  readonly bytes: Uint8Array;
  readonly context: ContextName;
  readonly readsAttributes: boolean;
  /** Source position per code word of the instructions that can fail (runtime error messages). */
  readonly sites: ReadonlyMap<number, Pos>;
}

class Compiler {
  readonly b: ProgramBuilder;

  constructor(context: ContextName) {
    this.b = new ProgramBuilder(Q.MODE_OTTL, CONTEXT_IDS[context]);
  }

  private constant(c: Const): number {
    const b = this.b;
    switch (c.t) {
      case 'nil':
        return b.nilConst();
      case 'string':
        return b.stringConst(c.v);
      case 'bytes':
        return b.pooledConst(Q.VT_BYTES, c.v);
      case 'traceid':
      case 'spanid':
        return b.pooledConst(Q.VT_ID, c.v);
      case 'int':
        return b.intConst(c.v);
      case 'duration':
        return b.durationConst(c.v);
      case 'float':
        return b.floatConst(c.v);
      case 'bool':
        return b.boolConst(c.v);
    }
  }

  private keys(keys: readonly Key[]): void {
    for (const k of keys) {
      this.b.at(k.pos);
      this.b.emit(Q.OP_INDEX, [k.kind === 'string' ? this.b.keyConst(k.value) : this.b.intConst(k.value)], 0);
    }
  }

  value(ir: IR): void {
    const b = this.b;
    switch (ir.k) {
      case 'const':
        b.emit(Q.OP_CONST, [this.constant(ir.c)], 1);
        return;
      case 'field':
        b.at(ir.pos);
        b.emit(Q.OP_INTRINSIC, [ir.id], 1);
        return;
      case 'attr':
        b.flags |= Q.PF_ATTRS;
        b.emit(Q.OP_ATTR, [ir.scope, b.keyConst(ir.key)], 1);
        this.keys(ir.keys);
        return;
      case 'attrs':
        b.flags |= Q.PF_ATTRS;
        b.emit(Q.OP_ATTRS, [ir.scope], 1);
        this.keys(ir.keys);
        return;
      case 'body':
        b.flags |= Q.PF_ATTRS;
        b.emit(Q.OP_ATTR, [Q.SC_BODY, b.keyConst('')], 1);
        this.keys(ir.keys);
        return;
      case 'list':
        for (const item of ir.items) this.value(item);
        b.at(ir.pos);
        b.emit(Q.OP_LIST, [ir.items.length], 1 - ir.items.length);
        return;
      case 'math':
        this.value(ir.lhs);
        this.value(ir.rhs);
        b.at(ir.pos);
        b.emit(Q.OP_ARITH, [MATH[ir.op]], -1);
        return;
      case 'neg':
        this.value(ir.expr);
        b.at(ir.pos);
        b.emit(Q.OP_NEG, [], 0);
        return;
      case 'regex': {
        this.value(ir.target);
        const { k } = b.regexConst(ir.pattern, { anchored: false }, false);
        b.at(ir.pos);
        b.emit(Q.OP_REGEX, [k, 0], 0);
        this.keys(ir.keys);
        return;
      }
      case 'call': {
        if (ir.fn === Q.FN_HAS_ATTR_ON_POINT || ir.fn === Q.FN_HAS_ATTR_KEY_ON_POINT || ir.fn === Q.FN_TRACE_STATE_KEY) {
          // The first argument is a key: pushed as a key constant (hashed when the program loads).
          const key = ir.args[0]!;
          if (key.k !== 'const' || key.c.t !== 'string') throw new Error('unreachable: key arguments are literal strings');
          if (ir.fn !== Q.FN_TRACE_STATE_KEY) b.flags |= Q.PF_ATTRS;
          b.emit(Q.OP_CONST, [b.keyConst(new TextDecoder().decode(key.c.v))], 1);
          for (const a of ir.args.slice(1)) this.value(a);
        } else {
          for (const a of ir.args) this.value(a);
        }
        b.at(ir.pos);
        b.emit(Q.OP_CALL, [ir.fn, ir.args.length], 1 - ir.args.length);
        this.keys(ir.keys);
        return;
      }
    }
  }

  bool(e: BoolIR): void {
    const b = this.b;
    switch (e.k) {
      case 'bool':
        b.emit(Q.OP_CONST, [b.boolConst(e.value)], 1);
        return;
      case 'value':
        this.value(e.value);
        if (e.checked) {
          // `not not x` is x for a bool and a runtime error for anything else, as the collector
          // reports a converter that does not return a bool where a condition needs one.
          b.at(e.pos);
          b.emit(Q.OP_NOT, [], 0);
          b.at(e.pos);
          b.emit(Q.OP_NOT, [], 0);
        }
        return;
      case 'not':
        this.bool(e.expr);
        b.at(e.pos);
        b.emit(Q.OP_NOT, [], 0);
        return;
      case 'and':
      case 'or': {
        const patches: number[] = [];
        e.items.forEach((item, i) => {
          this.bool(item);
          if (i < e.items.length - 1) patches.push(b.jump(e.k === 'and' ? Q.OP_AND_JUMP : Q.OP_TRUE_JUMP, -1));
        });
        for (const p of patches) b.patch(p);
        return;
      }
      case 'cmp':
        this.compare(e);
    }
  }

  private compare(e: Extract<BoolIR, { k: 'cmp' }>): void {
    const b = this.b;
    const fusable = (v: IR): v is Extract<IR, { k: 'const' }> => v.k === 'const' && ['nil', 'string', 'int', 'float', 'bool'].includes(v.c.t);
    if (e.lhs.k === 'attr' && !e.lhs.keys.length && fusable(e.rhs)) {
      b.flags |= Q.PF_ATTRS;
      b.emit(Q.OP_ATTR_CMP, [e.lhs.scope, b.keyConst(e.lhs.key), CMP[e.op], this.constant(e.rhs.c)], 1);
      return;
    }
    if (e.rhs.k === 'attr' && !e.rhs.keys.length && fusable(e.lhs)) {
      b.flags |= Q.PF_ATTRS;
      b.emit(Q.OP_ATTR_CMP, [e.rhs.scope, b.keyConst(e.rhs.key), CMP[MIRROR[e.op]], this.constant(e.lhs.c)], 1);
      return;
    }
    this.value(e.lhs);
    this.value(e.rhs);
    b.emit(Q.OP_CMP, [CMP[e.op]], -1);
  }
}

/** Compiles a resolved condition for its context. */
export function compileCondition(ir: BoolIR, context: ContextName, conditionPos: Pos): OttlProgram {
  const c = new Compiler(context);
  c.bool(ir);
  // A result that is not a bool fails at OP_END: report the condition's start.
  c.b.at(conditionPos);
  const bytes = c.b.finish();
  return { bytes, context, readsAttributes: (c.b.flags & Q.PF_ATTRS) !== 0, sites: c.b.sites as ReadonlyMap<number, Pos> };
}
