// Writes a plan (records and the strings they point at) into one core allocation. The same
// function runs twice: once measuring, once writing at the real address, so the block is sized
// exactly and pointers can be stored as they are produced.
import type { CoreMemory } from '../../core/core-memory.js';

const utf8 = new TextEncoder();

export class CoreBlockWriter {
  private at = 0;
  private constructor(private readonly core: CoreMemory | undefined, private readonly base: number) {
    this.at = base;
  }

  /** Runs `write` to size the block, allocates it, runs `write` again for real; returns the pointer. */
  static build(core: CoreMemory, write: (w: CoreBlockWriter) => number): { block: number; root: number } {
    const sizing = new CoreBlockWriter(undefined, 8);
    write(sizing);
    const size = sizing.at;
    const block = core.call('alloc', (ex) => ex.alloc(size + 8) >>> 0);
    if (!block) throw new RangeError(`plan of ${size} bytes does not fit the core's memory budget`);
    core.u8.fill(0, block, block + size + 8);
    const w = new CoreBlockWriter(core, block);
    const root = write(w);
    return { block, root };
  }

  /** Reserves `n` zeroed bytes aligned to 8; returns their address. */
  reserve(n: number): number {
    this.at = (this.at + 7) & ~7;
    const p = this.at;
    this.at += Math.max(n, 1);
    return p;
  }

  /** Copies a string's UTF-8 bytes; returns [pointer, length]. */
  string(s: string): [number, number] {
    const b = utf8.encode(s);
    const p = this.at;
    this.at += b.length;
    if (this.core) this.core.u8.set(b, p);
    return [p, b.length];
  }

  /** Copies raw bytes to `p` (reserved before). */
  bytes(p: number, b: Uint8Array): void {
    if (this.core) this.core.u8.set(b, p);
  }

  /** hash32 of bytes already written (0 while measuring). */
  hash(p: number, n: number): number {
    return this.core ? this.core.exports.hash32(p, n) >>> 0 : 0;
  }

  u32(p: number, v: number): void {
    if (this.core) this.core.dv.setUint32(p, v >>> 0, true);
  }

  u64(p: number, v: bigint): void {
    if (this.core) this.core.dv.setBigUint64(p, BigInt.asUintN(64, v), true);
  }

  f64(p: number, v: number): void {
    if (this.core) this.core.dv.setFloat64(p, v, true);
  }
}
