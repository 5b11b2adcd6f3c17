// TraceBatch: one ExportTraceServiceRequest held in WebAssembly memory with its span table.
// The bytes are indexed lazily (a batch made by filter() is only indexed if someone looks inside)
// and written out by the splice encoder, which copies kept spans' original bytes.
import * as L from '../../assembly/abi/trace-layout.js';
import * as ERR from '../../assembly/abi/errors.js';
import { getCore } from '../core/init.js';
import type { Core } from '../core/core.js';
import { DisposedError, InputTooLargeError, OtlpDecodeError } from '../core/errors.js';
import { SpanView, ResourceView, ScopeView } from './trace-views.js';
import { traceBatchToJSON } from './trace-json.js';
import type { OtlpJsonTraces } from './trace-json.js';
import { traceJsonToProtobuf } from './trace-json-input.js';
import { DEFAULT_DECODE_OPTIONS } from './decode-options.js';
import type { DecodeOptions } from './decode-options.js';

export { DEFAULT_DECODE_OPTIONS } from './decode-options.js';
export type { DecodeOptions } from './decode-options.js';

const MAX_DEPTH_CAP = 512;

function limit(name: string, v: number | undefined, fallback: number): number {
  const x = v ?? fallback;
  if (x === Infinity) return 0xffffffff;
  if (!Number.isInteger(x) || x < 0 || x > 0xfffffffe) throw new RangeError(`DecodeOptions.${name} must be a non-negative integer or Infinity, got ${x}`);
  return x;
}

/** The options block the core reads (see O_* in trace-layout). */
function encodeLimits(core: Core, o: DecodeOptions): number {
  const depth = limit('maxDepth', o.maxDepth, DEFAULT_DECODE_OPTIONS.maxDepth);
  if (depth > MAX_DEPTH_CAP) throw new RangeError(`DecodeOptions.maxDepth is capped at ${MAX_DEPTH_CAP}, got ${depth}`);
  const values = [
    depth,
    limit('maxAttributesPerSpan', o.maxAttributesPerSpan, DEFAULT_DECODE_OPTIONS.maxAttributesPerSpan),
    limit('maxEventsPerSpan', o.maxEventsPerSpan, DEFAULT_DECODE_OPTIONS.maxEventsPerSpan),
    limit('maxLinksPerSpan', o.maxLinksPerSpan, DEFAULT_DECODE_OPTIONS.maxLinksPerSpan),
    limit('maxAttributesPerEvent', o.maxAttributesPerEvent, DEFAULT_DECODE_OPTIONS.maxAttributesPerEvent),
    limit('maxAttributesPerLink', o.maxAttributesPerLink, DEFAULT_DECODE_OPTIONS.maxAttributesPerLink),
    limit('maxSpans', o.maxSpans, DEFAULT_DECODE_OPTIONS.maxSpans),
    0xffffffff,
  ];
  const ptr = core.scratch(L.O_SIZE);
  if (!ptr) throw new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(L.O_SIZE) }, 0, o.source);
  const dv = core.dv;
  values.forEach((v, i) => dv.setUint32(ptr + i * 4, v, true));
  return ptr;
}

const registry = new FinalizationRegistry<{ core: Core; generation: number; header: number; input: number }>((held) => {
  // A batch garbage-collected without dispose(): give its memory back, unless the instance it
  // lived in was replaced (its pointers mean nothing in the new one).
  if (held.core.generation !== held.generation) return;
  if (held.header) held.core.exports.traceFree(held.header);
  else held.core.free(held.input);
});

export class TraceBatch implements Iterable<SpanView> {
  /** @internal */ readonly core: Core;
  private readonly generation: number;
  private readonly options: DecodeOptions;
  private header = 0;
  private input: number;
  private readonly length: number;
  private disposed = false;
  private readonly token = {};
  private readonly held: { core: Core; generation: number; header: number; input: number };
  // Cached from the header once indexed (tables don't move after indexing).
  private spanTable = 0;
  private nSpans = 0;
  private resourceTable = 0;
  private nResources = 0;
  private scopeTable = 0;
  private nScopes = 0;
  private attrTable = 0;
  private nestedTable = 0;
  private eventTable = 0;
  private linkTable = 0;

  private constructor(core: Core, input: number, length: number, options: DecodeOptions) {
    this.core = core;
    this.generation = core.generation;
    this.input = input;
    this.length = length;
    this.options = options;
    this.held = { core, generation: core.generation, header: 0, input };
    registry.register(this, this.held, this.token);
  }

  /** Reads an ExportTraceServiceRequest in protobuf. The bytes are copied into the core. */
  static fromProtobuf(bytes: Uint8Array, options: DecodeOptions = {}): TraceBatch {
    const core = getCore();
    const maxBytes = options.maxBytes ?? DEFAULT_DECODE_OPTIONS.maxBytes;
    if (bytes.length > maxBytes) throw new InputTooLargeError(bytes.length, maxBytes, options.source);
    if (bytes.length === 0 && !(options.allowEmpty ?? DEFAULT_DECODE_OPTIONS.allowEmpty)) {
      throw new OtlpDecodeError({ code: ERR.ERR_EMPTY_INPUT, offset: 0, message: ERR.MSG_TRACE_REQUEST, field: 0, detail: 0n }, 0, options.source);
    }
    const input = core.copyIn(bytes);
    if (!input) {
      throw new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(bytes.length) }, bytes.length, options.source);
    }
    const batch = new TraceBatch(core, input, bytes.length, options);
    batch.index();
    return batch;
  }

  /**
   * Reads OTLP/JSON (text, UTF-8 bytes, or an already-parsed object), leniently like the
   * collector: hex ids in any case, int64 as number or string, enum names or numbers, camelCase
   * or snake_case keys. Errors name the line and column (or the JSON path).
   */
  static fromJSON(input: string | Uint8Array | object, options: DecodeOptions = {}): TraceBatch {
    const bytes = traceJsonToProtobuf(input, options);
    return TraceBatch.fromProtobuf(bytes, { ...options, allowEmpty: true });
  }

  /** @internal Wraps bytes the core already holds (a splice result); indexed on first use. */
  static fromCoreBuffer(core: Core, input: number, length: number, options: DecodeOptions): TraceBatch {
    return new TraceBatch(core, input, length, options);
  }

  private live(): void {
    if (this.disposed) throw new DisposedError('this TraceBatch');
    this.core.check(this.generation, 'this TraceBatch');
  }

  private index(): void {
    const core = this.core;
    const opts = encodeLimits(core, this.options);
    const header = core.call('traceIndex', (ex) => ex.traceIndex(this.input, this.length, opts) >>> 0);
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
    this.spanTable = u(L.B_SPANS);
    this.nSpans = u(L.B_SPAN_COUNT);
    this.resourceTable = u(L.B_RESOURCES);
    this.nResources = u(L.B_RESOURCE_COUNT);
    this.scopeTable = u(L.B_SCOPES);
    this.nScopes = u(L.B_SCOPE_COUNT);
    this.eventTable = u(L.B_EVENTS);
    this.linkTable = u(L.B_LINKS);
  }

  /**
   * Builds the attribute table if it isn't there yet. Indexing validates and counts attributes;
   * their rows (keys, hashes, values) are made on first use so that pipelines deciding on ids,
   * status and times never pay for them. Views and processors call this; users needn't.
   */
  ensureAttributes(): void {
    const header = this.headerPtr;
    if (this.attrTable) return;
    const core = this.core;
    const status = core.call('traceIndexAttributes', (ex) => ex.traceIndexAttributes(header));
    if (status !== 0) throw new OtlpDecodeError(core.readError(), this.length, this.options.source);
    const dv = core.dv;
    this.attrTable = dv.getUint32(header + L.B_ATTRS, true);
    this.nestedTable = dv.getUint32(header + L.B_NESTED, true);
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
  /** @internal */ spanRow(i: number): number {
    return this.spanTable + i * L.SP_ROW;
  }
  /** @internal */ resourceRow(i: number): number {
    return this.resourceTable + i * L.R_ROW;
  }
  /** @internal */ scopeRow(i: number): number {
    return this.scopeTable + i * L.S_ROW;
  }
  /** @internal Attribute row i; the table is built on first use. */ attrRow(i: number): number {
    if (!this.attrTable) this.ensureAttributes();
    return this.attrTable + i * L.A_ROW;
  }
  /** @internal */ nestedRow(i: number): number {
    if (!this.attrTable) this.ensureAttributes();
    return this.nestedTable + i * L.A_ROW;
  }
  /** @internal */ eventRow(i: number): number {
    return this.eventTable + i * L.E_ROW;
  }
  /** @internal */ linkRow(i: number): number {
    return this.linkTable + i * L.L_ROW;
  }

  /** Size of the protobuf bytes this batch holds. */
  get byteLength(): number {
    this.live();
    return this.length;
  }

  get spanCount(): number {
    this.headerPtr;
    return this.nSpans;
  }

  get resourceCount(): number {
    this.headerPtr;
    return this.nResources;
  }

  get scopeCount(): number {
    this.headerPtr;
    return this.nScopes;
  }

  /** A lazy view of span `i` (0 ≤ i < spanCount), in wire order. */
  span(i: number): SpanView {
    this.headerPtr;
    if (!(i >= 0 && i < this.nSpans)) throw new RangeError(`span index ${i} out of range (spanCount ${this.nSpans})`);
    return new SpanView(this, i);
  }

  /** Lazy views of every span, in wire order. */
  spans(): SpanView[] {
    this.headerPtr;
    return Array.from({ length: this.nSpans }, (_, i) => new SpanView(this, i));
  }

  *[Symbol.iterator](): Iterator<SpanView> {
    const n = this.spanCount;
    for (let i = 0; i < n; i++) yield new SpanView(this, i);
  }

  resource(i: number): ResourceView {
    this.headerPtr;
    if (!(i >= 0 && i < this.nResources)) throw new RangeError(`resource index ${i} out of range (resourceCount ${this.nResources})`);
    return new ResourceView(this, i);
  }

  scope(i: number): ScopeView {
    this.headerPtr;
    if (!(i >= 0 && i < this.nScopes)) throw new RangeError(`scope index ${i} out of range (scopeCount ${this.nScopes})`);
    return new ScopeView(this, i);
  }

  /** Keeps the spans for which `predicate` returns true; scopes and resources left empty are dropped. */
  filter(predicate: (span: SpanView, index: number) => boolean): TraceBatch {
    const n = this.spanCount;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = predicate(new SpanView(this, i), i) ? 1 : 0;
    return this.select(mask);
  }

  /** Keeps span i where mask[i] is truthy (mask.length must equal spanCount). */
  select(mask: ArrayLike<number | boolean>): TraceBatch {
    const header = this.headerPtr;
    const n = this.nSpans;
    if (mask.length !== n) throw new RangeError(`select(mask): mask has ${mask.length} entries, the batch has ${n} spans`);
    const core = this.core;
    const keep = core.scratch(n);
    if (!keep && n) throw this.oom(n);
    const u8 = core.u8;
    if (mask instanceof Uint8Array) u8.set(mask, keep);
    else for (let i = 0; i < n; i++) u8[keep + i] = mask[i] ? 1 : 0;
    return this.splice(header, keep);
  }

  /** @internal Runs the splice encoder with a keep mask already in core memory (0 = keep all). */
  splice(header: number, keep: number, spanRepl = 0, resourceRepl = 0, scopeRepl = 0): TraceBatch {
    const core = this.core;
    const status = core.call('traceSplice', (ex) => ex.traceSplice(header, keep, spanRepl, resourceRepl, scopeRepl));
    if (status !== 0) throw new OtlpDecodeError(core.readError(), this.length, this.options.source);
    const res = core.exports.spliceResult() >>> 0;
    const dv = core.dv;
    return TraceBatch.fromCoreBuffer(core, dv.getUint32(res, true), dv.getUint32(res + 4, true), this.options);
  }

  private oom(bytes: number): OtlpDecodeError {
    return new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(bytes) }, this.length, this.options.source);
  }

  /**
   * The batch as protobuf bytes (a copy). Unchanged input comes back byte for byte; spans the
   * decode limits truncated are re-written without the dropped entries.
   */
  toProtobuf(): Uint8Array {
    this.live();
    if (this.header && this.core.dv.getUint32(this.header + L.B_FLAGS, true) & L.BATCH_NEEDS_REWRITE) {
      const rewritten = this.splice(this.header, 0);
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
    if (this.header && this.core.dv.getUint32(this.header + L.B_FLAGS, true) & L.BATCH_NEEDS_REWRITE) return this.toProtobuf();
    return this.core.u8.subarray(this.input, this.input + this.length);
  }

  /** Strict OTLP/JSON as a plain object (JSON.stringify(batch) gives the text). */
  toJSON(): OtlpJsonTraces {
    this.headerPtr;
    return traceBatchToJSON(this);
  }

  /** Bytes this batch holds in core memory: input plus tables. */
  get memoryFootprint(): number {
    const header = this.headerPtr;
    const ex = this.core.exports;
    const dv = this.core.dv;
    let total = ex.blockSize(header) >>> 0;
    for (const at of [L.B_INPUT, L.B_RESOURCES, L.B_SCOPES, L.B_SPANS, L.B_ATTRS, L.B_NESTED, L.B_EVENTS, L.B_LINKS, L.B_EXTRA]) {
      total += ex.blockSize(dv.getUint32(header + at, true)) >>> 0;
    }
    return total;
  }

  /** Frees the batch's core memory now (otherwise the garbage collector does it eventually). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    registry.unregister(this.token);
    if (this.core.generation !== this.generation) return;
    if (this.header) this.core.exports.traceFree(this.header);
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
