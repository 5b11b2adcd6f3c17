// TraceBatch: one ExportTraceServiceRequest held in WebAssembly memory with its span table.
// The bytes are indexed lazily (a batch made by filter() is only indexed if someone looks inside)
// and written out by the splice encoder, which copies kept spans' original bytes. Lifecycle,
// limits, errors and output are OtlpBatch's (shared with logs and metrics).
import * as L from '../../assembly/abi/trace-layout.js';
import * as ERR from '../../assembly/abi/errors.js';
import type { Core } from '../core/core.js';
import { SpanView, ResourceView, ScopeView } from './trace-views.js';
import { traceBatchToJSON } from './trace-json.js';
import type { OtlpJsonTraces } from './trace-json.js';
import { traceJsonToProtobuf } from './trace-json-input.js';
import { OtlpBatch, copyRequestIn, depthLimit, limitValue } from './otlp-batch.js';
import type { SignalSpec } from './otlp-batch.js';
import type { DecodeOptions } from './decode-options.js';
import { spliceOutputOptions } from './decode-options.js';

export { DEFAULT_DECODE_OPTIONS } from './decode-options.js';
export type { DecodeOptions } from './decode-options.js';

/** The traceIndex options block (O_* of trace-layout) for these limits, as u32 values in order. */
export function traceIndexLimits(o: DecodeOptions): number[] {
  return [
    depthLimit(o),
    limitValue('maxAttributesPerSpan', o.maxAttributesPerSpan),
    limitValue('maxEventsPerSpan', o.maxEventsPerSpan),
    limitValue('maxLinksPerSpan', o.maxLinksPerSpan),
    limitValue('maxAttributesPerEvent', o.maxAttributesPerEvent),
    limitValue('maxAttributesPerLink', o.maxAttributesPerLink),
    limitValue('maxSpans', o.maxSpans),
    0xffffffff,
  ];
}

const TRACES: SignalSpec = {
  name: 'TraceBatch',
  requestMessage: ERR.MSG_TRACE_REQUEST,
  indexName: 'traceIndex',
  attributesName: 'traceIndexAttributes',
  index: (ex, input, length, options) => ex.traceIndex(input, length, options),
  indexAttributes: (ex, header) => ex.traceIndexAttributes(header),
  free: (ex, header) => ex.traceFree(header),
  // The options block the core reads (O_* in trace-layout).
  limits: traceIndexLimits,
  tables: [L.B_RESOURCES, L.B_SCOPES, L.B_SPANS, L.B_ATTRS, L.B_NESTED, L.B_EVENTS, L.B_LINKS, L.B_EXTRA],
};

export class TraceBatch extends OtlpBatch implements Iterable<SpanView> {
  private eventTable = 0;
  private linkTable = 0;

  private constructor(core: Core, input: number, length: number, options: DecodeOptions) {
    super(TRACES, core, input, length, options);
  }

  /** Reads an ExportTraceServiceRequest in protobuf. The bytes are copied into the core. */
  static fromProtobuf(bytes: Uint8Array, options: DecodeOptions = {}): TraceBatch {
    const [core, input] = copyRequestIn(bytes, options, TRACES);
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

  protected indexed(dv: DataView, header: number): void {
    this.eventTable = dv.getUint32(header + L.B_EVENTS, true);
    this.linkTable = dv.getUint32(header + L.B_LINKS, true);
  }

  /** @internal */ spanRow(i: number): number {
    return this.itemTable + i * L.SP_ROW;
  }
  /** @internal */ eventRow(i: number): number {
    return this.eventTable + i * L.E_ROW;
  }
  /** @internal */ linkRow(i: number): number {
    return this.linkTable + i * L.L_ROW;
  }

  get spanCount(): number {
    this.headerPtr;
    return this.nItems;
  }

  /** A lazy view of span `i` (0 ≤ i < spanCount), in wire order. */
  span(i: number): SpanView {
    this.headerPtr;
    this.checkIndex('span', i, this.nItems);
    return new SpanView(this, i);
  }

  /** Lazy views of every span, in wire order. */
  spans(): SpanView[] {
    this.headerPtr;
    return Array.from({ length: this.nItems }, (_, i) => new SpanView(this, i));
  }

  *[Symbol.iterator](): Iterator<SpanView> {
    const n = this.spanCount;
    for (let i = 0; i < n; i++) yield new SpanView(this, i);
  }

  resource(i: number): ResourceView {
    this.headerPtr;
    this.checkIndex('resource', i, this.nResources);
    return new ResourceView(this, i);
  }

  scope(i: number): ScopeView {
    this.headerPtr;
    this.checkIndex('scope', i, this.nScopes);
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
    return this.splice(header, this.maskInCore(mask, this.nItems, 'spans'));
  }

  /** @internal Runs the splice encoder with a keep mask already in core memory (0 = keep all). */
  splice(header: number, keep: number, spanRepl = 0, resourceRepl = 0, scopeRepl = 0): TraceBatch {
    const status = this.core.call('traceSplice', (ex) => ex.traceSplice(header, keep, spanRepl, resourceRepl, scopeRepl));
    const [ptr, len] = this.spliceResult(status);
    return TraceBatch.fromCoreBuffer(this.core, ptr, len, spliceOutputOptions(this.options));
  }

  protected rewritten(): TraceBatch {
    return this.splice(this.header, 0);
  }

  /** Strict OTLP/JSON as a plain object (JSON.stringify(batch) gives the text). */
  toJSON(): OtlpJsonTraces {
    this.headerPtr;
    return traceBatchToJSON(this);
  }
}
