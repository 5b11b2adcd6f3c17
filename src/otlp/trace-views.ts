// Lazy views over an indexed batch: each getter reads the span table in WebAssembly memory when
// it is called, so a view costs one small object and nothing is decoded that nobody reads.
import * as L from '../../assembly/abi/trace-layout.js';
import type { TraceBatch } from './trace-batch.js';
import type { AnyValue, KeyValue } from './value-views.js';
import { readString, readHex, readAttributes, findAttribute } from './value-views.js';
import { ResourceViewBase, ScopeViewBase } from './envelope-views.js';

// The value readers moved to value-views.ts (every signal shares them); re-exported for existing imports.
export { readString, readHex, readAttributes, findAttribute, plainValue } from './value-views.js';
export type { AnyValue, KeyValue } from './value-views.js';

export interface Status {
  /** 0 UNSET, 1 OK, 2 ERROR (other values are passed through as sent). */
  readonly code: number;
  readonly message: string;
}

export class ResourceView extends ResourceViewBase {
  get spanCount(): number {
    return this.u32(L.R_SPAN_COUNT);
  }
}

export class ScopeView extends ScopeViewBase {
  get resource(): ResourceView {
    return new ResourceView(this.b, this.resourceIndex);
  }
  get firstSpan(): number {
    return this.u32(L.S_SPAN_START);
  }
  get spanCount(): number {
    return this.u32(L.S_SPAN_COUNT);
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
