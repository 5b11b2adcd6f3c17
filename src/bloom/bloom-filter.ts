// BloomFilter: the core's split-block bloom filter (one 256-bit block per key, 8 bits set, tested
// with SIMD) for JavaScript callers — "have I seen this trace id?" at tens of millions of lookups
// per second when keys are passed in bulk (addAll/hasAll: one core call per array of keys).
// False positives happen at about the configured rate; false negatives never.
import { getCore } from '../core/init.js';
import type { Core } from '../core/core.js';
import { DisposedError, StaleHandleError } from '../core/errors.js';

export interface BloomFilterOptions {
  /** How many keys the filter is sized for. */
  expectedItems: number;
  /** False-positive rate at expectedItems keys, 0 < r < 1. Default 0.01. */
  falsePositiveRate?: number;
}

export const DEFAULT_BLOOM_OPTIONS = Object.freeze({ falsePositiveRate: 0.01 });

interface CoreBloom {
  bloomCreate(blocks: number): number;
  bloomFree(f: number): void;
  bloomClear(f: number): void;
  bloomAdd(f: number, keys: number, n: number, keyLen: number): void;
  bloomHas(f: number, keys: number, n: number, keyLen: number, out: number): number;
  bloomData(f: number): number;
  bloomCount(f: number): number;
}

const MAGIC = 0x46424253; // "SBBF" little-endian
const VERSION = 1;
const HEADER = 16;
/** Largest filter accepted from bytes or options: 256 MiB of blocks. */
const MAX_BLOCKS = (256 * 1024 * 1024) / 32;
const utf8 = new TextEncoder();

/** Blocks for n keys at rate p (split-block filters with 8 bits per key; Parquet's sizing). */
export function bloomBlocksFor(n: number, p: number): number {
  const bytes = (-8 * n) / Math.log(1 - Math.pow(p, 1 / 8));
  return Math.max(1, Math.ceil(bytes / 32));
}

export class BloomFilter {
  private readonly core: Core;
  private readonly generation: number;
  private ptr: number;
  /** Number of 256-bit blocks. */
  readonly blocks: number;

  private constructor(blocks: number) {
    if (!Number.isInteger(blocks) || blocks < 1 || blocks > MAX_BLOCKS) throw new RangeError(`BloomFilter: ${blocks} blocks is outside 1..${MAX_BLOCKS}`);
    this.core = getCore();
    this.generation = this.core.generation;
    this.blocks = blocks;
    this.ptr = this.core.call('bloomCreate', (ex) => (ex as unknown as CoreBloom).bloomCreate(blocks) >>> 0);
    if (!this.ptr) throw new RangeError(`BloomFilter: ${blocks * 32} bytes do not fit the core's memory budget`);
  }

  static create(options: BloomFilterOptions): BloomFilter {
    const p = options.falsePositiveRate ?? DEFAULT_BLOOM_OPTIONS.falsePositiveRate;
    if (!(p > 0 && p < 1)) throw new RangeError(`BloomFilter: falsePositiveRate must be between 0 and 1 (exclusive), got ${p}`);
    if (!(Number.isFinite(options.expectedItems) && options.expectedItems >= 1)) throw new RangeError(`BloomFilter: expectedItems must be at least 1, got ${options.expectedItems}`);
    return new BloomFilter(bloomBlocksFor(options.expectedItems, p));
  }

  private get ex(): CoreBloom {
    if (!this.ptr) throw new DisposedError('this BloomFilter');
    if (this.core.generation !== this.generation) throw new StaleHandleError('this BloomFilter');
    return this.core.exports as unknown as CoreBloom;
  }

  private stage(keys: Uint8Array): number {
    const at = this.core.scratch(keys.length);
    if (!at && keys.length) throw new RangeError('BloomFilter: keys do not fit the core memory budget');
    this.core.u8.set(keys, at);
    return at;
  }

  private static bytes(key: Uint8Array | string): Uint8Array {
    return typeof key === 'string' ? utf8.encode(key) : key;
  }

  add(key: Uint8Array | string): void {
    const k = BloomFilter.bytes(key);
    const ex = this.ex;
    ex.bloomAdd(this.ptr, this.stage(k), 1, k.length);
  }

  /** True when the key may have been added; false when it certainly was not. */
  has(key: Uint8Array | string): boolean {
    const k = BloomFilter.bytes(key);
    const ex = this.ex;
    return ex.bloomHas(this.ptr, this.stage(k), 1, k.length, 0) !== 0;
  }

  /** Adds keys.length / keyLength keys stored back to back. */
  addAll(keys: Uint8Array, keyLength: number): void {
    const n = this.count(keys, keyLength);
    const ex = this.ex;
    ex.bloomAdd(this.ptr, this.stage(keys), n, keyLength);
  }

  /** Tests keys stored back to back; fills `out` (1 = maybe present) when given; returns the hits. */
  hasAll(keys: Uint8Array, keyLength: number, out?: Uint8Array): number {
    const n = this.count(keys, keyLength);
    if (out && out.length < n) throw new RangeError(`BloomFilter.hasAll: out has ${out.length} entries for ${n} keys`);
    const ex = this.ex;
    const at = this.stage(keys);
    if (!out) return ex.bloomHas(this.ptr, at, n, keyLength, 0) >>> 0;
    const res = this.core.call('alloc', (e) => e.alloc(Math.max(1, n)) >>> 0);
    if (!res) throw new RangeError('BloomFilter.hasAll: out of core memory');
    try {
      const hits = ex.bloomHas(this.ptr, at, n, keyLength, res) >>> 0;
      out.set(this.core.u8.subarray(res, res + n));
      return hits;
    } finally {
      this.core.free(res);
    }
  }

  private count(keys: Uint8Array, keyLength: number): number {
    if (!Number.isInteger(keyLength) || keyLength < 1) throw new RangeError(`BloomFilter: keyLength must be a positive integer, got ${keyLength}`);
    if (keys.length % keyLength) throw new RangeError(`BloomFilter: ${keys.length} bytes is not a whole number of ${keyLength}-byte keys`);
    return keys.length / keyLength;
  }

  /** @internal The filter in core memory, for core calls that add keys themselves (the trace store). */
  get corePointer(): number {
    this.ex;
    return this.ptr;
  }

  /** Keys added so far (duplicates included). */
  get size(): number {
    return this.ex.bloomCount(this.ptr) >>> 0;
  }

  get byteLength(): number {
    return this.blocks * 32;
  }

  clear(): void {
    this.ex.bloomClear(this.ptr);
  }

  /** A portable copy: 16-byte header ("SBBF", version, blocks, count) then the blocks. */
  toBytes(): Uint8Array {
    const ex = this.ex;
    const data = ex.bloomData(this.ptr) >>> 0;
    const out = new Uint8Array(HEADER + this.byteLength);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, MAGIC, true);
    dv.setUint32(4, VERSION, true);
    dv.setUint32(8, this.blocks, true);
    dv.setUint32(12, ex.bloomCount(this.ptr) >>> 0, true);
    out.set(this.core.u8.subarray(data, data + this.byteLength), HEADER);
    return out;
  }

  /** Reads toBytes() output, validating the header and size before allocating anything. */
  static fromBytes(bytes: Uint8Array): BloomFilter {
    if (bytes.length < HEADER) throw new RangeError(`BloomFilter.fromBytes: ${bytes.length} bytes is shorter than the 16-byte header`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (dv.getUint32(0, true) !== MAGIC) throw new RangeError('BloomFilter.fromBytes: not a split-block bloom filter (bad magic)');
    if (dv.getUint32(4, true) !== VERSION) throw new RangeError(`BloomFilter.fromBytes: unsupported version ${dv.getUint32(4, true)}`);
    const blocks = dv.getUint32(8, true);
    if (blocks < 1 || blocks > MAX_BLOCKS) throw new RangeError(`BloomFilter.fromBytes: ${blocks} blocks is outside 1..${MAX_BLOCKS}`);
    if (bytes.length !== HEADER + blocks * 32) throw new RangeError(`BloomFilter.fromBytes: ${blocks} blocks need ${HEADER + blocks * 32} bytes, got ${bytes.length}`);
    const f = new BloomFilter(blocks);
    const data = f.ex.bloomData(f.ptr) >>> 0;
    f.core.u8.set(bytes.subarray(HEADER), data);
    // The count is informational; restore it so size survives a round trip.
    f.core.dv.setUint32(f.ptr + 4, dv.getUint32(12, true), true);
    return f;
  }

  dispose(): void {
    if (!this.ptr) return;
    if (this.core.generation === this.generation) (this.core.exports as unknown as CoreBloom).bloomFree(this.ptr);
    this.ptr = 0;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
