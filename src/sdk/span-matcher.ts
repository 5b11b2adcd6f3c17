// From the pipeline's output back to ReadableSpans for a wrapped SDK exporter. A span whose bytes
// (and resource's and scope's bytes) come out exactly as they went in is handed on as the very
// object the SDK gave us; a span the pipeline edited, or one released after we forgot its
// original (a bounded memory), is rebuilt from the batch. Identity is by trace id + span id,
// confirmed by the bytes.
import * as L from '../../assembly/abi/trace-layout.js';
import type { TraceBatch } from '../otlp/trace-batch.js';
import type { EncodedSpans } from './encode-readable-spans.js';
import { attributesOf, readableSpanFromView, resourceFromView, scopeFromView } from './readable-span-from-view.js';
import type { ResourceView, ScopeView } from '../otlp/trace-views.js';
import type { InstrumentationScope, ReadableSpan, Resource } from './sdk-types.js';

interface Part<T> {
  readonly object: T;
  readonly bytes: Uint8Array;
}

export interface Original {
  readonly span: ReadableSpan;
  readonly bytes: Uint8Array;
  readonly resource: Part<Resource>;
  readonly scope: Part<InstrumentationScope>;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The bytes that identify a resource or scope: its message content followed by the enclosing
 * ResourceSpans'/ScopeSpans' schema_url (an edit to either must not reuse the old object).
 */
function partBytes(input: Uint8Array, dv: DataView, row: number, flagsAt: number, msgStart: number, msgEnd: number, urlOff: number, urlLen: number): Uint8Array {
  const has = (dv.getUint32(row + flagsAt, true) & L.HAS_MESSAGE) !== 0;
  const ms = has ? dv.getUint32(row + msgStart, true) : 0;
  const me = has ? dv.getUint32(row + msgEnd, true) : 0;
  const uo = dv.getUint32(row + urlOff, true);
  const ul = dv.getUint32(row + urlLen, true);
  const out = new Uint8Array(me - ms + 1 + ul);
  out.set(input.subarray(ms, me), 0);
  out[me - ms] = has ? 1 : 0;
  out.set(input.subarray(uo, uo + ul), me - ms + 1);
  return out;
}

function resourceBytes(batch: TraceBatch, input: Uint8Array, r: number): Uint8Array {
  return partBytes(input, batch.core.dv, batch.resourceRow(r), L.R_FLAGS, L.R_MSG_START, L.R_MSG_END, L.R_SCHEMA_URL_OFF, L.R_SCHEMA_URL_LEN);
}

function scopeBytes(batch: TraceBatch, input: Uint8Array, s: number): Uint8Array {
  return partBytes(input, batch.core.dv, batch.scopeRow(s), L.S_FLAGS, L.S_MSG_START, L.S_MSG_END, L.S_SCHEMA_URL_OFF, L.S_SCHEMA_URL_LEN);
}

/** Deep equality of attribute values as the SDK holds them (primitives, arrays, bytes, plain objects). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b))) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return equal(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  // null in an SDK array comes back as an empty AnyValue (undefined).
  return (a === null || a === undefined) && (b === null || b === undefined);
}

/**
 * Whether a resource or scope that was re-encoded (a processor rewrote its ResourceSpans) still
 * says the same as the SDK's object, so the object can be reused: the SDK's exporters group spans
 * by Resource and scope identity, and a needless copy would split one ResourceSpans into two.
 */
function sameResource(view: ResourceView, r: Resource): boolean {
  return (view.schemaUrl || undefined) === (r.schemaUrl || undefined) && sameValue(attributesOf(view.attributes), { ...r.attributes });
}

function sameScope(view: ScopeView, s: InstrumentationScope): boolean {
  return view.name === s.name && view.version === (s.version ?? '') && view.schemaUrl === (s.schemaUrl ?? '')
    && view.droppedAttributesCount === (s.droppedAttributesCount ?? 0) && sameValue(attributesOf(view.attributes), { ...(s.attributes ?? {}) });
}

/** The batch's input bytes as a view of core memory; valid until the next call into the core. */
function inputOf(batch: TraceBatch): Uint8Array {
  batch.headerPtr;
  return batch.core.u8.subarray(batch.inputPtr, batch.inputPtr + batch.byteLength);
}

export class SpanMatcher {
  /** Originals by trace id + span id, oldest first (Map keeps insertion order). */
  private readonly retained = new Map<string, Original[]>();
  private count = 0;

  /** `maxRetained`: originals remembered at most; older ones are forgotten (their spans are then rebuilt). */
  constructor(private readonly maxRetained: number) {}

  get size(): number {
    return this.count;
  }

  /**
   * What to remember of the spans of `encoded`, indexed as `batch`; read before the batch goes
   * into the pipeline (which then owns it), committed with {@link remember}.
   */
  prepare(encoded: EncodedSpans, batch: TraceBatch): Array<[string, Original]> {
    const n = batch.spanCount;
    if (n !== encoded.spans.length) throw new Error(`internal: encoded ${encoded.spans.length} spans, the batch indexed ${n}`);
    const resources: Part<Resource>[] = encoded.resources.map((object, r) => ({ object, bytes: resourceBytes(batch, encoded.bytes, r) }));
    const scopes: Part<InstrumentationScope>[] = encoded.scopes.map((object, s) => ({ object, bytes: scopeBytes(batch, encoded.bytes, s) }));
    const entries: Array<[string, Original]> = [];
    for (let i = 0; i < n; i++) {
      const view = batch.span(i);
      const [start, end] = view.byteRange;
      entries.push([view.traceId + view.spanId, {
        span: encoded.spans[i]!,
        bytes: encoded.bytes.subarray(start, end),
        resource: resources[view.resource.index]!,
        scope: scopes[view.scope.index]!,
      }]);
    }
    return entries;
  }

  remember(entries: Array<[string, Original]>): void {
    for (const [key, original] of entries) {
      const list = this.retained.get(key);
      if (list) list.push(original);
      else this.retained.set(key, [original]);
      this.count++;
    }
    this.evict();
  }

  /** Undoes remember() for data the pipeline refused. */
  forget(entries: Array<[string, Original]>): void {
    for (const [key, original] of entries) {
      const list = this.retained.get(key);
      const at = list?.indexOf(original) ?? -1;
      if (at < 0) continue;
      list!.splice(at, 1);
      this.count--;
      if (!list!.length) this.retained.delete(key);
    }
  }

  private evict(): void {
    for (const [key, list] of this.retained) {
      if (this.count <= this.maxRetained) return;
      this.retained.delete(key);
      this.count -= list.length;
    }
  }

  /** Forgets everything (shutdown). */
  clear(): void {
    this.retained.clear();
    this.count = 0;
  }

  /** The spans of an output batch, in wire order. */
  spansOf(batch: TraceBatch): ReadableSpan[] {
    const n = batch.spanCount;
    const out: ReadableSpan[] = new Array(n);
    const rebuiltResources = new Map<number, Resource>();
    const rebuiltScopes = new Map<number, InstrumentationScope>();
    const outResourceBytes = new Map<number, Uint8Array>();
    const outScopeBytes = new Map<number, Uint8Array>();
    // Content comparisons, once per (output resource/scope, SDK object) pair.
    const sameR = new Map<string, boolean>();
    const sameS = new Map<string, boolean>();
    const ids = new Map<object, number>();
    const idOf = (o: object) => ids.get(o) ?? ids.set(o, ids.size).get(o)!;
    const memo = <V, O extends object>(cache: Map<string, boolean>, index: number, view: () => V, o: O, test: (v: V, o: O) => boolean) => {
      const key = `${index}:${idOf(o)}`;
      let hit = cache.get(key);
      if (hit === undefined) cache.set(key, (hit = test(view(), o)));
      return hit;
    };
    for (let i = 0; i < n; i++) {
      const view = batch.span(i);
      const r = view.resource.index;
      const s = view.scope.index;
      const input = inputOf(batch);
      if (!outResourceBytes.has(r)) outResourceBytes.set(r, resourceBytes(batch, input, r));
      if (!outScopeBytes.has(s)) outScopeBytes.set(s, scopeBytes(batch, input, s));
      const rb = outResourceBytes.get(r)!;
      const sb = outScopeBytes.get(s)!;
      const key = view.traceId + view.spanId;
      const candidates = this.retained.get(key);
      const [start, end] = view.byteRange;
      const bytes = inputOf(batch).subarray(start, end);
      let original: Original | undefined;
      if (candidates) {
        let at = candidates.findIndex((c) => equal(c.bytes, bytes));
        const unchanged = at >= 0;
        // Same ids, different bytes: the pipeline edited the span; its resource may still be the original.
        if (!unchanged) at = 0;
        original = candidates.splice(at, 1)[0]!;
        this.count--;
        if (!candidates.length) this.retained.delete(key);
        if (unchanged && equal(original.resource.bytes, rb) && equal(original.scope.bytes, sb)) {
          out[i] = original.span;
          continue;
        }
      }
      const resource = original && (equal(original.resource.bytes, rb) || memo(sameR, r, () => view.resource, original.resource.object, sameResource))
        ? original.resource.object
        : rebuiltResources.get(r) ?? rebuiltResources.set(r, resourceFromView(view.resource)).get(r)!;
      const scope = original && (equal(original.scope.bytes, sb) || memo(sameS, s, () => view.scope, original.scope.object, sameScope))
        ? original.scope.object
        : rebuiltScopes.get(s) ?? rebuiltScopes.set(s, scopeFromView(view.scope)).get(s)!;
      out[i] = readableSpanFromView(view, resource, scope);
    }
    return out;
  }
}
