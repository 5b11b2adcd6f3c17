// Configuration blocks for the metrics core: a connector's settings laid out in one allocation
// (structs, key lists, strings, bounds), built here with offsets and relocated to absolute pointers
// when copied into core memory. The core state owns the block and frees it with the state.
import * as M from '../../assembly/abi/derived-metrics-layout.js';
import type { CoreMemory } from '../core/core-memory.js';
import { CoreMemoryError } from './core-memory-error.js';

const encoder = new TextEncoder();

export class ConfigBlock {
  private buf = new Uint8Array(512);
  private dv = new DataView(this.buf.buffer);
  private size = 0;
  /** Offsets of u32 fields holding block offsets, to become pointers. */
  private readonly relocs: number[] = [];

  private ensure(n: number): void {
    if (n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf);
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  /** Reserves n zeroed bytes (8-aligned) and returns their offset. */
  reserve(n: number): number {
    const at = (this.size + 7) & ~7;
    this.ensure(at + n);
    this.size = at + n;
    return at;
  }

  u32(at: number, v: number): void {
    this.dv.setUint32(at, v >>> 0, true);
  }

  f64(at: number, v: number): void {
    this.dv.setFloat64(at, v, true);
  }

  /** Stores a pointer to block offset `target` in the u32 at `at`. */
  ptr(at: number, target: number): void {
    this.u32(at, target);
    this.relocs.push(at);
  }

  bytes(data: Uint8Array): number {
    const at = this.reserve(Math.max(data.length, 1));
    this.buf.set(data, at);
    return at;
  }

  /** UTF-8 bytes of s; returns [offset, length]. */
  utf8(s: string): [number, number] {
    const b = encoder.encode(s);
    return [this.bytes(b), b.length];
  }

  /** An array of f64. */
  doubles(values: readonly number[]): number {
    const at = this.reserve(Math.max(values.length * 8, 8));
    values.forEach((v, i) => this.f64(at + i * 8, v));
    return at;
  }

  /** A key list (KL_* layout) of attribute keys; returns its offset. */
  keyList(keys: readonly string[]): number {
    const at = this.reserve(M.KL_FIRST + keys.length * M.KE_SIZE);
    this.u32(at + M.KL_COUNT, keys.length);
    keys.forEach((k, i) => {
      const e = at + M.KL_FIRST + i * M.KE_SIZE;
      const [off, len] = this.utf8(k);
      // KE_HASH is reserved: the core compares key bytes directly.
      this.ptr(e + M.KE_PTR, off);
      this.u32(e + M.KE_LEN, len);
    });
    return at;
  }

  /** A canonical VK_STRING value; returns [offset, length]. */
  canonicalString(s: string): [number, number] {
    const b = encoder.encode(s);
    const out = new Uint8Array(5 + b.length);
    out[0] = M.VK_STRING;
    new DataView(out.buffer).setUint32(1, b.length, true);
    out.set(b, 5);
    return [this.bytes(out), out.length];
  }

  /** Copies the block into core memory (relocated); the caller hands the pointer to the core. */
  commit(core: CoreMemory, what: string): number {
    const base = core.call('alloc', (ex) => ex.alloc(this.size) >>> 0);
    if (!base) throw new CoreMemoryError(what, this.size);
    const out = this.buf.slice(0, this.size);
    const dv = new DataView(out.buffer);
    for (const at of this.relocs) dv.setUint32(at, dv.getUint32(at, true) + base, true);
    core.u8.set(out, base);
    return base;
  }
}
