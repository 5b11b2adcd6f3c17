// Lazy views over an indexed batch: each getter reads the span table in WebAssembly memory when
// it is called, so a view costs one small object and nothing is decoded that nobody reads.
import * as L from '../../assembly/abi/trace-layout.js';
import type { TraceBatch } from './trace-batch.js';

export type AnyValue =
  | { readonly type: 'empty' }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'bytes'; readonly value: Uint8Array }
  | { readonly type: 'array'; readonly value: readonly AnyValue[] }
  | { readonly type: 'kvlist'; readonly value: readonly KeyValue[] };

export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

export interface Status {
  /** 0 UNSET, 1 OK, 2 ERROR (other values are passed through as sent). */
  readonly code: number;
  readonly message: string;
}

// ignoreBOM: a leading U+FEFF is data in an attribute, not a byte-order mark to strip.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const EMPTY: AnyValue = Object.freeze({ type: 'empty' });

/** Low-level reads shared by the views; `b` is the batch, rows are absolute addresses. */
export function readString(b: TraceBatch, off: number, len: number): string {
  if (len === 0) return '';
  const start = b.inputPtr + off;
  return utf8.decode(b.core.u8.subarray(start, start + len));
}

export function readHex(b: TraceBatch, at: number, size: number): string {
  const u8 = b.core.u8;
  let s = '';
  for (let i = 0; i < size; i++) s += HEX[u8[at + i]!];
  return s;
}

function readValue(b: TraceBatch, row: number): AnyValue {
  const dv = b.core.dv;
  const type = dv.getUint32(row + L.A_TYPE, true);
  switch (type) {
    case L.V_STRING:
      return { type: 'string', value: readString(b, dv.getUint32(row + L.A_VALUE, true), dv.getUint32(row + L.A_VALUE + 4, true)) };
    case L.V_BOOL:
      return { type: 'bool', value: dv.getUint32(row + L.A_VALUE, true) !== 0 };
    case L.V_INT:
      return { type: 'int', value: dv.getBigInt64(row + L.A_VALUE, true) };
    case L.V_DOUBLE:
      return { type: 'double', value: dv.getFloat64(row + L.A_VALUE, true) };
    case L.V_BYTES: {
      const start = b.inputPtr + dv.getUint32(row + L.A_VALUE, true);
      return { type: 'bytes', value: b.core.u8.slice(start, start + dv.getUint32(row + L.A_VALUE + 4, true)) };
    }
    case L.V_ARRAY: {
      const first = dv.getUint32(row + L.A_VALUE, true);
      const count = dv.getUint32(row + L.A_VALUE + 4, true);
      const values: AnyValue[] = [];
      for (let i = 0; i < count; i++) values.push(readValue(b, b.nestedRow(first + i)));
      return { type: 'array', value: values };
    }
    case L.V_KVLIST: {
      const first = dv.getUint32(row + L.A_VALUE, true);
      const count = dv.getUint32(row + L.A_VALUE + 4, true);
      const values: KeyValue[] = [];
      for (let i = 0; i < count; i++) values.push(readKeyValue(b, b.nestedRow(first + i)));
      return { type: 'kvlist', value: values };
    }
    default:
      return EMPTY;
  }
}

function readKeyValue(b: TraceBatch, row: number): KeyValue {
  const dv = b.core.dv;
  return {
    key: readString(b, dv.getUint32(row + L.A_KEY_OFF, true), dv.getUint32(row + L.A_KEY_LEN, true)),
    value: readValue(b, row),
  };
}

/** Reads `count` top-level attributes starting at attribute row `first`. */
export function readAttributes(b: TraceBatch, first: number, count: number): KeyValue[] {
  const out: KeyValue[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = readKeyValue(b, b.attrRow(first + i));
  return out;
}

/** Finds the first attribute with `key` among `count` rows from `first` (hash, then bytes). */
export function findAttribute(b: TraceBatch, first: number, count: number, key: string): AnyValue | undefined {
  for (let i = 0; i < count; i++) {
    const row = b.attrRow(first + i);
    const dv = b.core.dv;
    const len = dv.getUint32(row + L.A_KEY_LEN, true);
    if (len < key.length || len > key.length * 3) continue;
    if (readString(b, dv.getUint32(row + L.A_KEY_OFF, true), len) === key) return readValue(b, row);
  }
  return undefined;
}

/**
 * Converts an AnyValue to a plain JS value: int → bigint, double → number, kvlist → an object
 * without prototype (keys like `__proto__` arrive from untrusted input and stay plain keys; the
 * last of duplicate keys wins).
 */
export function plainValue(v: AnyValue): unknown {
  switch (v.type) {
    case 'empty':
      return undefined;
    case 'array':
      return v.value.map(plainValue);
    case 'kvlist': {
      const o: Record<string, unknown> = Object.create(null);
      for (const kv of v.value) o[kv.key] = plainValue(kv.value);
      return o;
    }
    default:
      return v.value;
  }
}

export class ResourceView {
  constructor(private readonly b: TraceBatch, readonly index: number) {}
  private get row(): number {
    return this.b.resourceRow(this.index);
  }
  get attributes(): KeyValue[] {
    const dv = this.b.core.dv;
    return readAttributes(this.b, dv.getUint32(this.row + L.R_ATTR_START, true), dv.getUint32(this.row + L.R_ATTR_COUNT, true));
  }
  attribute(key: string): AnyValue | undefined {
    const dv = this.b.core.dv;
    return findAttribute(this.b, dv.getUint32(this.row + L.R_ATTR_START, true), dv.getUint32(this.row + L.R_ATTR_COUNT, true), key);
  }
  get droppedAttributesCount(): number {
    return this.b.core.dv.getUint32(this.row + L.R_DROPPED_ATTRS, true);
  }
  /** The ResourceSpans' schema_url. */
  get schemaUrl(): string {
    const dv = this.b.core.dv;
    return readString(this.b, dv.getUint32(this.row + L.R_SCHEMA_URL_OFF, true), dv.getUint32(this.row + L.R_SCHEMA_URL_LEN, true));
  }
  get spanCount(): number {
    return this.b.core.dv.getUint32(this.row + L.R_SPAN_COUNT, true);
  }
  get scopeCount(): number {
    return this.b.core.dv.getUint32(this.row + L.R_SCOPE_COUNT, true);
  }
  get firstScope(): number {
    return this.b.core.dv.getUint32(this.row + L.R_SCOPE_START, true);
  }
}

export class ScopeView {
  constructor(private readonly b: TraceBatch, readonly index: number) {}
  private get row(): number {
    return this.b.scopeRow(this.index);
  }
  get name(): string {
    const dv = this.b.core.dv;
    return readString(this.b, dv.getUint32(this.row + L.S_NAME_OFF, true), dv.getUint32(this.row + L.S_NAME_LEN, true));
  }
  get version(): string {
    const dv = this.b.core.dv;
    return readString(this.b, dv.getUint32(this.row + L.S_VERSION_OFF, true), dv.getUint32(this.row + L.S_VERSION_LEN, true));
  }
  get attributes(): KeyValue[] {
    const dv = this.b.core.dv;
    return readAttributes(this.b, dv.getUint32(this.row + L.S_ATTR_START, true), dv.getUint32(this.row + L.S_ATTR_COUNT, true));
  }
  get droppedAttributesCount(): number {
    return this.b.core.dv.getUint32(this.row + L.S_DROPPED_ATTRS, true);
  }
  /** The ScopeSpans' schema_url. */
  get schemaUrl(): string {
    const dv = this.b.core.dv;
    return readString(this.b, dv.getUint32(this.row + L.S_SCHEMA_URL_OFF, true), dv.getUint32(this.row + L.S_SCHEMA_URL_LEN, true));
  }
  get resourceIndex(): number {
    return this.b.core.dv.getUint32(this.row + L.S_RESOURCE, true);
  }
  get resource(): ResourceView {
    return new ResourceView(this.b, this.resourceIndex);
  }
  get firstSpan(): number {
    return this.b.core.dv.getUint32(this.row + L.S_SPAN_START, true);
  }
  get spanCount(): number {
    return this.b.core.dv.getUint32(this.row + L.S_SPAN_COUNT, true);
  }
}

export class EventView {
  constructor(private readonly b: TraceBatch, readonly index: number) {}
  private get row(): number {
    return this.b.eventRow(this.index);
  }
  get timeUnixNano(): bigint {
    return this.b.core.dv.getBigUint64(this.row + L.E_TIME, true);
  }
  get name(): string {
    const dv = this.b.core.dv;
    return readString(this.b, dv.getUint32(this.row + L.E_NAME_OFF, true), dv.getUint32(this.row + L.E_NAME_LEN, true));
  }
  get attributes(): KeyValue[] {
    const dv = this.b.core.dv;
    return readAttributes(this.b, dv.getUint32(this.row + L.E_ATTR_START, true), dv.getUint32(this.row + L.E_ATTR_COUNT, true));
  }
  attribute(key: string): AnyValue | undefined {
    const dv = this.b.core.dv;
    return findAttribute(this.b, dv.getUint32(this.row + L.E_ATTR_START, true), dv.getUint32(this.row + L.E_ATTR_COUNT, true), key);
  }
  get droppedAttributesCount(): number {
    return this.b.core.dv.getUint32(this.row + L.E_DROPPED_ATTRS, true);
  }
}

export class LinkView {
  constructor(private readonly b: TraceBatch, readonly index: number) {}
  private get row(): number {
    return this.b.linkRow(this.index);
  }
  private has(bit: number): boolean {
    return (this.b.core.dv.getUint32(this.row + L.L_PRESENCE, true) & bit) !== 0;
  }
  get traceId(): string {
    return this.has(L.P_TRACE_ID) ? readHex(this.b, this.row + L.L_TRACE_ID, 16) : '';
  }
  get spanId(): string {
    return this.has(L.P_SPAN_ID) ? readHex(this.b, this.row + L.L_SPAN_ID, 8) : '';
  }
  get traceState(): string {
    const dv = this.b.core.dv;
    return readString(this.b, dv.getUint32(this.row + L.L_TRACE_STATE_OFF, true), dv.getUint32(this.row + L.L_TRACE_STATE_LEN, true));
  }
  get attributes(): KeyValue[] {
    const dv = this.b.core.dv;
    return readAttributes(this.b, dv.getUint32(this.row + L.L_ATTR_START, true), dv.getUint32(this.row + L.L_ATTR_COUNT, true));
  }
  attribute(key: string): AnyValue | undefined {
    const dv = this.b.core.dv;
    return findAttribute(this.b, dv.getUint32(this.row + L.L_ATTR_START, true), dv.getUint32(this.row + L.L_ATTR_COUNT, true), key);
  }
  get droppedAttributesCount(): number {
    return this.b.core.dv.getUint32(this.row + L.L_DROPPED_ATTRS, true);
  }
  /** The Link.flags value (0 when absent; see hasFlags). */
  get flags(): number {
    return this.b.core.dv.getUint32(this.row + L.L_FLAGS, true);
  }
  get hasFlags(): boolean {
    return this.has(L.P_FLAGS);
  }
}

export class SpanView {
  constructor(private readonly b: TraceBatch, readonly index: number) {}
  private get row(): number {
    return this.b.spanRow(this.index);
  }
  private u32(at: number): number {
    return this.b.core.dv.getUint32(this.row + at, true);
  }
  private has(bit: number): boolean {
    return (this.u32(L.SP_PRESENCE) & bit) !== 0;
  }
  /** Lowercase hex, '' when absent. */
  get traceId(): string {
    return this.has(L.P_TRACE_ID) ? readHex(this.b, this.row + L.SP_TRACE_ID, 16) : '';
  }
  get spanId(): string {
    return this.has(L.P_SPAN_ID) ? readHex(this.b, this.row + L.SP_SPAN_ID, 8) : '';
  }
  /** '' for a root span (absent or all-zero parent id). */
  get parentSpanId(): string {
    return this.has(L.P_PARENT) ? readHex(this.b, this.row + L.SP_PARENT_ID, 8) : '';
  }
  get traceState(): string {
    return readString(this.b, this.u32(L.SP_TRACE_STATE_OFF), this.u32(L.SP_TRACE_STATE_LEN));
  }
  /** The Span.flags value (W3C trace flags in bits 0–7, IS_REMOTE bits 8–9); 0 when absent. */
  get flags(): number {
    return this.u32(L.SP_FLAGS);
  }
  get hasFlags(): boolean {
    return this.has(L.P_FLAGS);
  }
  get name(): string {
    return readString(this.b, this.u32(L.SP_NAME_OFF), this.u32(L.SP_NAME_LEN));
  }
  /** 0 UNSPECIFIED, 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER. */
  get kind(): number {
    return this.b.core.dv.getInt32(this.row + L.SP_KIND, true);
  }
  get startTimeUnixNano(): bigint {
    return this.b.core.dv.getBigUint64(this.row + L.SP_START, true);
  }
  get endTimeUnixNano(): bigint {
    return this.b.core.dv.getBigUint64(this.row + L.SP_END, true);
  }
  /** end − start in nanoseconds (negative if the span ends before it starts). */
  get durationNanos(): bigint {
    return BigInt.asIntN(64, this.endTimeUnixNano - this.startTimeUnixNano);
  }
  get status(): Status {
    return {
      code: this.b.core.dv.getInt32(this.row + L.SP_STATUS_CODE, true),
      message: readString(this.b, this.u32(L.SP_STATUS_MSG_OFF), this.u32(L.SP_STATUS_MSG_LEN)),
    };
  }
  get attributes(): KeyValue[] {
    return readAttributes(this.b, this.u32(L.SP_ATTR_START), this.u32(L.SP_ATTR_COUNT));
  }
  attribute(key: string): AnyValue | undefined {
    return findAttribute(this.b, this.u32(L.SP_ATTR_START), this.u32(L.SP_ATTR_COUNT), key);
  }
  get droppedAttributesCount(): number {
    return this.u32(L.SP_DROPPED_ATTRS);
  }
  get events(): EventView[] {
    const first = this.u32(L.SP_EVENT_START);
    const count = this.u32(L.SP_EVENT_COUNT);
    return Array.from({ length: count }, (_, i) => new EventView(this.b, first + i));
  }
  get droppedEventsCount(): number {
    return this.u32(L.SP_DROPPED_EVENTS);
  }
  get links(): LinkView[] {
    const first = this.u32(L.SP_LINK_START);
    const count = this.u32(L.SP_LINK_COUNT);
    return Array.from({ length: count }, (_, i) => new LinkView(this.b, first + i));
  }
  get droppedLinksCount(): number {
    return this.u32(L.SP_DROPPED_LINKS);
  }
  get resource(): ResourceView {
    return new ResourceView(this.b, this.u32(L.SP_RESOURCE));
  }
  get scope(): ScopeView {
    return new ScopeView(this.b, this.u32(L.SP_SCOPE));
  }
  /** Byte range [start, end) of this span's field in the batch's protobuf bytes. */
  get byteRange(): [number, number] {
    return [this.u32(L.SP_FIELD_START), this.u32(L.SP_CONTENT_END)];
  }
}
