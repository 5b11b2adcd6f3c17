// Lazy views over an indexed log batch: each getter reads the log record table in WebAssembly
// memory when it is called, so a view costs one small object and nothing is decoded that nobody reads.
import * as L from '../../assembly/abi/logs-layout.js';
import * as B from '../../assembly/abi/batch-layout.js';
import type { AnyValue, BatchRows, KeyValue } from './value-views.js';
import { EMPTY_VALUE, findAttributeAt, readAttributesAt, readHex, readStringAt, readValue } from './value-views.js';
import { ResourceViewBase, ScopeViewBase } from './envelope-views.js';

/** What log record views need from their batch. */
export interface LogRows extends BatchRows {
  /** @internal */ recordRow(i: number): number;
}

export class LogResourceView extends ResourceViewBase {
  get logRecordCount(): number {
    return this.u32(B.R_ITEM_COUNT);
  }
}

export class LogScopeView extends ScopeViewBase {
  get resource(): LogResourceView {
    return new LogResourceView(this.b, this.resourceIndex);
  }
  get firstLogRecord(): number {
    return this.u32(B.S_ITEM_START);
  }
  get logRecordCount(): number {
    return this.u32(B.S_ITEM_COUNT);
  }
}

export class LogRecordView {
  constructor(private readonly b: LogRows, readonly index: number) {}
  private get row(): number {
    return this.b.recordRow(this.index);
  }
  private u32(at: number): number {
    return this.b.core.dv.getUint32(this.row + at, true);
  }
  private has(bit: number): boolean {
    return (this.u32(L.LR_PRESENCE) & bit) !== 0;
  }
  /** When the event occurred (0 = unknown). */
  get timeUnixNano(): bigint {
    return this.b.core.dv.getBigUint64(this.row + L.LR_TIME, true);
  }
  /** When the collection system observed it (0 = unknown). */
  get observedTimeUnixNano(): bigint {
    return this.b.core.dv.getBigUint64(this.row + L.LR_OBSERVED_TIME, true);
  }
  /** SeverityNumber: 0 unspecified, 1–4 TRACE … 21–24 FATAL (other values are passed through as sent). */
  get severityNumber(): number {
    return this.b.core.dv.getInt32(this.row + L.LR_SEVERITY, true);
  }
  get severityText(): string {
    return readStringAt(this.b, this.row, L.LR_SEVERITY_TEXT_OFF);
  }
  /** The body; `{ type: 'empty' }` when absent (see hasBody) or empty. */
  get body(): AnyValue {
    if (!this.has(L.P_BODY)) return EMPTY_VALUE;
    return readValue(this.b, this.b.attrRow(this.u32(L.LR_BODY_ROW)));
  }
  get hasBody(): boolean {
    return this.has(L.P_BODY);
  }
  get attributes(): KeyValue[] {
    return readAttributesAt(this.b, this.row, L.LR_ATTR_START);
  }
  attribute(key: string): AnyValue | undefined {
    return findAttributeAt(this.b, this.row, L.LR_ATTR_START, key);
  }
  get droppedAttributesCount(): number {
    return this.u32(L.LR_DROPPED_ATTRS);
  }
  /** The LogRecord.flags value (W3C trace flags in bits 0–7); 0 when absent. */
  get flags(): number {
    return this.u32(L.LR_FLAGS);
  }
  get hasFlags(): boolean {
    return this.has(L.P_FLAGS);
  }
  /** Lowercase hex of the correlated trace, '' when absent. */
  get traceId(): string {
    return this.has(L.P_TRACE_ID) ? readHex(this.b, this.row + L.LR_TRACE_ID, 16) : '';
  }
  get spanId(): string {
    return this.has(L.P_SPAN_ID) ? readHex(this.b, this.row + L.LR_SPAN_ID, 8) : '';
  }
  get eventName(): string {
    return readStringAt(this.b, this.row, L.LR_EVENT_NAME_OFF);
  }
  get resource(): LogResourceView {
    return new LogResourceView(this.b, this.u32(L.LR_RESOURCE));
  }
  get scope(): LogScopeView {
    return new LogScopeView(this.b, this.u32(L.LR_SCOPE));
  }
  /** Byte range [start, end) of this record's field in the batch's protobuf bytes. */
  get byteRange(): [number, number] {
    return [this.u32(L.LR_FIELD_START), this.u32(L.LR_CONTENT_END)];
  }
}
