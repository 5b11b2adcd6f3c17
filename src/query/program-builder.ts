// Writes predicate-VM programs (layout in assembly/abi/query-layout.ts, described in
// docs/PREDICATE-VM.md): a constant table, u32 code and a byte pool holding strings, attribute
// keys, ids, bytes, regex programs and literal sets. Shared by the languages that compile to the
// VM (TraceQL, OTTL); each says which comparison mode and evaluation context its programs use.
import * as Q from '../../assembly/abi/query-layout.js';
import { compileRegex } from '../regex/compile.js';
import type { RegexOptions } from '../regex/compile.js';

const enc = new TextEncoder();

interface Const {
  type: number;
  aux: number;
  payload: bigint;
}

export class ProgramBuilder {
  private readonly consts: Const[] = [];
  private readonly constKeys = new Map<string, number>();
  private pool: number[] = [];
  readonly code: number[] = [];
  private depth = 0;
  maxDepth = 0;
  flags = 0;
  /** Source positions of instructions (code word index → what the caller attached), for runtime errors. */
  readonly sites = new Map<number, unknown>();

  constructor(
    private readonly mode: number = Q.MODE_TRACEQL,
    private readonly context: number = Q.CTX_SPAN,
  ) {}

  private poolAdd(bytes: Uint8Array, align = 1): number {
    while (this.pool.length % align) this.pool.push(0);
    const off = this.pool.length;
    for (const b of bytes) this.pool.push(b);
    return off;
  }

  /** A constant, shared with an identical one already in the table (`key` identifies it). */
  constant(c: Const, key: string): number {
    const hit = this.constKeys.get(key);
    if (hit !== undefined) return hit;
    this.consts.push(c);
    this.constKeys.set(key, this.consts.length - 1);
    return this.consts.length - 1;
  }

  intConst(v: bigint): number {
    return this.constant({ type: Q.VT_INT, aux: 0, payload: BigInt.asUintN(64, v) }, `i${v}`);
  }

  durationConst(nanos: bigint): number {
    return this.constant({ type: Q.VT_DURATION, aux: 0, payload: BigInt.asUintN(64, nanos) }, `d${nanos}`);
  }

  floatConst(v: number): number {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, v, true);
    const bits = dv.getBigUint64(0, true);
    return this.constant({ type: Q.VT_FLOAT, aux: 0, payload: bits }, `f${bits}`);
  }

  boolConst(v: boolean): number {
    return this.constant({ type: Q.VT_BOOL, aux: 0, payload: v ? 1n : 0n }, `b${v}`);
  }

  nilConst(): number {
    return this.constant({ type: Q.VT_NIL, aux: 0, payload: 0n }, 'nil');
  }

  /** A constant whose bytes live in the pool: strings, bytes, ids (VT_ID: aux = byte length). */
  pooledConst(type: number, bytes: Uint8Array): number {
    const key = `p${type}:${Array.from(bytes).join(',')}`;
    const hit = this.constKeys.get(key);
    if (hit !== undefined) return hit;
    return this.constant({ type, aux: bytes.length, payload: BigInt(this.poolAdd(bytes)) }, key);
  }

  stringConst(bytes: Uint8Array): number {
    return this.pooledConst(Q.VT_STRING, bytes);
  }

  /** A small-enum constant of TraceQL (VT_STATUS, VT_KIND). */
  enumConst(type: number, v: number): number {
    return this.constant({ type, aux: 0, payload: BigInt(v) }, `e${type}:${v}`);
  }

  keyConst(name: string): number {
    const bytes = enc.encode(name);
    const key = `key:${name}`;
    const hit = this.constKeys.get(key);
    if (hit !== undefined) return hit;
    return this.constant({ type: Q.VT_KEY, aux: bytes.length, payload: BigInt(this.poolAdd(bytes)) }, key);
  }

  /**
   * A regex constant. An anchored pattern that is a set of literal strings becomes a string set
   * (OP_IN_SET) when `allowSet`; otherwise the compiled program (OP_REGEX).
   */
  regexConst(pattern: Uint8Array | string, options: RegexOptions, allowSet = true): { k: number; set: boolean } {
    const rx = compileRegex(pattern, options);
    if (rx.literals && allowSet) {
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

  /** Attaches `site` to the next instruction emitted (reported back if it fails at run time). */
  at(site: unknown): void {
    this.sites.set(this.code.length, site);
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
    u32(Q.P_MODE, this.mode);
    u32(Q.P_CODE, codeOff);
    u32(Q.P_CODE_WORDS, this.code.length);
    u32(Q.P_CONSTS, constOff);
    u32(Q.P_CONST_COUNT, this.consts.length);
    u32(Q.P_POOL, poolOff);
    u32(Q.P_POOL_SIZE, this.pool.length);
    u32(Q.P_MAX_STACK, Math.max(this.maxDepth, 1));
    u32(Q.P_SIZE, size);
    u32(Q.P_CONTEXT, this.context);
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
