// What every batch (TraceBatch, LogBatch, MetricBatch) shares: one Export*ServiceRequest held in
// WebAssembly memory with its index, its lifecycle (lazy indexing, disposal, finalization when
// garbage-collected, staleness after a trap), the decode limits, error mapping, the attribute table
// on first use, splice results and protobuf output. A signal supplies its core entry points and
// row tables through a SignalSpec.
import * as B from '../../assembly/abi/batch-layout.js';
import * as ERR from '../../assembly/abi/errors.js';
import { getCore } from '../core/init.js';
import type { Core, CoreExports } from '../core/core.js';
import { DisposedError, InputTooLargeError, OtlpDecodeError } from '../core/errors.js';
import { DEFAULT_DECODE_OPTIONS } from './decode-options.js';
import type { DecodeOptions } from './decode-options.js';
import type { BatchRows } from './value-views.js';

/** How a signal's batches talk to the core. */
export interface SignalSpec {
  /** The class name, for messages ('this LogBatch was disposed'). */
  readonly name: string;
  /** The request message (MSG_*), named when the input is empty. */
  readonly requestMessage: number;
  /** Core entry points, named in CoreTrapError messages. */
  readonly indexName: string;
  readonly attributesName: string;
  index(ex: CoreExports, input: number, length: number, options: number): number;
  indexAttributes(ex: CoreExports, header: number): number;
  free(ex: CoreExports, header: number): void;
  /** The u32 values of the signal's index options block (the depth limit first). */
  limits(options: DecodeOptions): number[];
  /** Header slots holding blocks the batch owns besides the header (for memoryFootprint). */
  readonly tables: readonly number[];
}

const MAX_DEPTH_CAP = 512;

/** A decode limit as the core reads it: a u32, 0xFFFFFFFF for Infinity. */
export function limitValue(name: keyof DecodeOptions, v: number | undefined): number {
  const x = v ?? (DEFAULT_DECODE_OPTIONS[name as keyof typeof DEFAULT_DECODE_OPTIONS] as number);
  if (x === Infinity) return 0xffffffff;
  if (!Number.isInteger(x) || x < 0 || x > 0xfffffffe) throw new RangeError(`DecodeOptions.${name} must be a non-negative integer or Infinity, got ${x}`);
  return x;
}

/** The depth limit, which every signal's options block starts with. */
export function depthLimit(o: DecodeOptions): number {
  const depth = limitValue('maxDepth', o.maxDepth);
  if (depth > MAX_DEPTH_CAP) throw new RangeError(`DecodeOptions.maxDepth is capped at ${MAX_DEPTH_CAP}, got ${depth}`);
  return depth;
}

function outOfMemory(bytes: number, inputLength: number, source: string | undefined): OtlpDecodeError {
  return new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(bytes) }, inputLength, source);
}

interface Held {
  core: Core;
  generation: number;
  header: number;
  input: number;
  spec: SignalSpec;
}

const registry = new FinalizationRegistry<Held>((held) => {
  // A batch garbage-collected without dispose(): give its memory back, unless the instance it
  // lived in was replaced (its pointers mean nothing in the new one).
  if (held.core.generation !== held.generation) return;
  if (held.header) held.spec.free(held.core.exports, held.header);
  else held.core.free(held.input);
});

/**
 * Copies protobuf bytes into the core for a new batch, after the byte and emptiness checks every
 * signal applies. Returns the core and the input pointer.
 */
export function copyRequestIn(bytes: Uint8Array, options: DecodeOptions, spec: SignalSpec): [Core, number] {
  const core = getCore();
  const maxBytes = options.maxBytes ?? DEFAULT_DECODE_OPTIONS.maxBytes;
  if (bytes.length > maxBytes) throw new InputTooLargeError(bytes.length, maxBytes, options.source);
  if (bytes.length === 0 && !(options.allowEmpty ?? DEFAULT_DECODE_OPTIONS.allowEmpty)) {
    throw new OtlpDecodeError({ code: ERR.ERR_EMPTY_INPUT, offset: 0, message: spec.requestMessage, field: 0, detail: 0n }, 0, options.source);
  }
  const input = core.copyIn(bytes);
  if (!input) throw outOfMemory(bytes.length, bytes.length, options.source);
  return [core, input];
}

export abstract class OtlpBatch implements BatchRows {
  /** @internal */ readonly core: Core;
  protected readonly generation: number;
  protected readonly options: DecodeOptions;
  protected header = 0;
  protected input: number;
  protected readonly length: number;
  private disposed = false;
  private readonly token = {};
  private readonly held: Held;
  // Cached from the header once indexed (tables don't move after indexing).
  protected itemTable = 0;
  protected nItems = 0;
  protected resourceTable = 0;
  protected nResources = 0;
  protected scopeTable = 0;
  protected nScopes = 0;
  protected attrTable = 0;
  protected nestedTable = 0;

  protected constructor(protected readonly spec: SignalSpec, core: Core, input: number, length: number, options: DecodeOptions) {
    this.core = core;
    this.generation = core.generation;
    this.input = input;
    this.length = length;
    this.options = options;
    this.held = { core, generation: core.generation, header: 0, input, spec };
    registry.register(this, this.held, this.token);
  }

  protected live(): void {
    if (this.disposed) throw new DisposedError(`this ${this.spec.name}`);
    this.core.check(this.generation, `this ${this.spec.name}`);
  }

  /** Writes the signal's options block into the core's scratch area. */
  private encodeLimits(): number {
    const values = this.spec.limits(this.options);
    const ptr = this.core.scratch(values.length * 4);
    if (!ptr) throw outOfMemory(values.length * 4, 0, this.options.source);
    const dv = this.core.dv;
    values.forEach((v, i) => dv.setUint32(ptr + i * 4, v, true));
    return ptr;
  }

  protected index(): void {
    const core = this.core;
    const opts = this.encodeLimits();
    const header = core.call(this.spec.indexName, (ex) => this.spec.index(ex, this.input, this.length, opts) >>> 0);
    if (!header) {
      const err = new OtlpDecodeError(core.readError(), this.length, this.options.source);
      core.free(this.input);
      this.input = 0;
      this.disposed = true;
      registry.unregister(this.token);
      throw err;
    }
    this.header = header;
    this.held.header = header;
    const dv = core.dv;
    const u = (at: number) => dv.getUint32(header + at, true);
    this.itemTable = u(B.B_ITEMS);
    this.nItems = u(B.B_ITEM_COUNT);
    this.resourceTable = u(B.B_RESOURCES);
    this.nResources = u(B.B_RESOURCE_COUNT);
    this.scopeTable = u(B.B_SCOPES);
    this.nScopes = u(B.B_SCOPE_COUNT);
    this.indexed(dv, header);
  }

  /** Caches the signal's own tables from a fresh header. */
  protected abstract indexed(dv: DataView, header: number): void;

  /**
   * Builds the attribute table if it isn't there yet. Indexing validates and counts attributes;
   * their rows (keys, hashes, values) are made on first use so that pipelines deciding on ids,
   * times and names never pay for them. Views and processors call this; users needn't.
   */
  ensureAttributes(): void {
    const header = this.headerPtr;
    if (this.attrTable) return;
    const core = this.core;
    const status = core.call(this.spec.attributesName, (ex) => this.spec.indexAttributes(ex, header));
    if (status !== 0) throw new OtlpDecodeError(core.readError(), this.length, this.options.source);
    const dv = core.dv;
    this.attrTable = dv.getUint32(header + B.B_ATTRS, true);
    this.nestedTable = dv.getUint32(header + B.B_NESTED, true);
  }

  /** @internal The batch header in core memory (indexes on first use). */
  get headerPtr(): number {
    this.live();
    if (!this.header) this.index();
    return this.header;
  }

  /** @internal */ get inputPtr(): number {
    return this.input;
  }
  /** @internal */ resourceRow(i: number): number {
    return this.resourceTable + i * B.R_ROW;
  }
  /** @internal */ scopeRow(i: number): number {
    return this.scopeTable + i * B.S_ROW;
  }
  /** @internal Attribute row i; the table is built on first use. */ attrRow(i: number): number {
    if (!this.attrTable) this.ensureAttributes();
    return this.attrTable + i * B.A_ROW;
  }
  /** @internal */ nestedRow(i: number): number {
    if (!this.attrTable) this.ensureAttributes();
    return this.nestedTable + i * B.A_ROW;
  }

  /** Size of the protobuf bytes this batch holds. */
  get byteLength(): number {
    this.live();
    return this.length;
  }

  get resourceCount(): number {
    this.headerPtr;
    return this.nResources;
  }

  get scopeCount(): number {
    this.headerPtr;
    return this.nScopes;
  }

  protected checkIndex(what: string, i: number, count: number): void {
    if (!(i >= 0 && i < count)) throw new RangeError(`${what} index ${i} out of range (${what}Count ${count})`);
  }

  /**
   * Copies a keep mask (one entry per item, truthy keeps) into the core's scratch area and returns
   * its address; `what` names the items in the length error.
   */
  protected maskInCore(mask: ArrayLike<number | boolean>, n: number, what: string, offset = 0): number {
    if (mask.length !== n) throw new RangeError(`select(mask): mask has ${mask.length} entries, the batch has ${n} ${what}`);
    const core = this.core;
    const keep = core.scratch(offset + n);
    if (!keep && n) throw this.oom(offset + n);
    const u8 = core.u8;
    if (mask instanceof Uint8Array) u8.set(mask, keep + offset);
    else for (let i = 0; i < n; i++) u8[keep + offset + i] = mask[i] ? 1 : 0;
    return keep;
  }

  protected oom(bytes: number): OtlpDecodeError {
    return outOfMemory(bytes, this.length, this.options.source);
  }

  /** Turns a splice status into the (pointer, length) of the new request in core memory. */
  protected spliceResult(status: number): [number, number] {
    const core = this.core;
    if (status !== 0) throw new OtlpDecodeError(core.readError(), this.length, this.options.source);
    const res = core.exports.spliceResult() >>> 0;
    const dv = core.dv;
    return [dv.getUint32(res, true), dv.getUint32(res + 4, true)];
  }

  /** A copy of the batch with every item kept: re-writes what the decode limits truncated. */
  protected abstract rewritten(): OtlpBatch;

  /** @internal Whether the decode limits truncated something, so the bytes it hands out are re-written (and shorter). */
  get truncated(): boolean {
    this.live();
    return this.needsRewrite();
  }

  private needsRewrite(): boolean {
    return this.header !== 0 && (this.core.dv.getUint32(this.header + B.B_FLAGS, true) & B.BATCH_NEEDS_REWRITE) !== 0;
  }

  /**
   * The batch as protobuf bytes (a copy). Unchanged input comes back byte for byte; items the
   * decode limits truncated are re-written without the dropped entries.
   */
  toProtobuf(): Uint8Array {
    this.live();
    if (this.needsRewrite()) {
      const rewritten = this.rewritten();
      try {
        return rewritten.toProtobuf();
      } finally {
        rewritten.dispose();
      }
    }
    // new + set is a plain memcpy; slice() on a view of WebAssembly memory is several times slower.
    const out = new Uint8Array(this.length);
    out.set(this.core.u8.subarray(this.input, this.input + this.length));
    return out;
  }

  /**
   * The batch's protobuf bytes without copying: a view into WebAssembly memory, valid until this
   * batch is disposed or the core's memory grows (any later decode may grow it). Use it to hand the
   * bytes to something that consumes them immediately; use toProtobuf() to keep them.
   */
  protobufView(): Uint8Array {
    this.live();
    if (this.needsRewrite()) return this.toProtobuf();
    return this.core.u8.subarray(this.input, this.input + this.length);
  }

  /** Bytes this batch holds in core memory: input plus tables. */
  get memoryFootprint(): number {
    const header = this.headerPtr;
    const ex = this.core.exports;
    const dv = this.core.dv;
    let total = (ex.blockSize(header) >>> 0) + (ex.blockSize(this.input) >>> 0);
    for (const at of this.spec.tables) total += ex.blockSize(dv.getUint32(header + at, true)) >>> 0;
    return total;
  }

  /** Frees the batch's core memory now (otherwise the garbage collector does it eventually). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    registry.unregister(this.token);
    if (this.core.generation !== this.generation) return;
    if (this.header) this.spec.free(this.core.exports, this.header);
    else this.core.free(this.input);
    this.header = 0;
    this.input = 0;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }
}
