// Views of the resource and scope rows every signal shares (abi/batch-layout.ts). Each signal's
// views extend them with what their items are called (spans, log records, metrics).
import * as B from '../../assembly/abi/batch-layout.js';
import type { AnyValue, BatchRows, KeyValue } from './value-views.js';
import { findAttributeAt, readAttributesAt, readStringAt } from './value-views.js';

export abstract class ResourceViewBase {
  constructor(protected readonly b: BatchRows, readonly index: number) {}
  protected get row(): number {
    return this.b.resourceRow(this.index);
  }
  protected u32(at: number): number {
    return this.b.core.dv.getUint32(this.row + at, true);
  }
  get attributes(): KeyValue[] {
    return readAttributesAt(this.b, this.row, B.R_ATTR_START);
  }
  attribute(key: string): AnyValue | undefined {
    return findAttributeAt(this.b, this.row, B.R_ATTR_START, key);
  }
  get droppedAttributesCount(): number {
    return this.u32(B.R_DROPPED_ATTRS);
  }
  /** The Resource{Spans,Logs,Metrics}' schema_url. */
  get schemaUrl(): string {
    return readStringAt(this.b, this.row, B.R_SCHEMA_URL_OFF);
  }
  get scopeCount(): number {
    return this.u32(B.R_SCOPE_COUNT);
  }
  get firstScope(): number {
    return this.u32(B.R_SCOPE_START);
  }
}

export abstract class ScopeViewBase {
  constructor(protected readonly b: BatchRows, readonly index: number) {}
  protected get row(): number {
    return this.b.scopeRow(this.index);
  }
  protected u32(at: number): number {
    return this.b.core.dv.getUint32(this.row + at, true);
  }
  get name(): string {
    return readStringAt(this.b, this.row, B.S_NAME_OFF);
  }
  get version(): string {
    return readStringAt(this.b, this.row, B.S_VERSION_OFF);
  }
  get attributes(): KeyValue[] {
    return readAttributesAt(this.b, this.row, B.S_ATTR_START);
  }
  attribute(key: string): AnyValue | undefined {
    return findAttributeAt(this.b, this.row, B.S_ATTR_START, key);
  }
  get droppedAttributesCount(): number {
    return this.u32(B.S_DROPPED_ATTRS);
  }
  /** The Scope{Spans,Logs,Metrics}' schema_url. */
  get schemaUrl(): string {
    return readStringAt(this.b, this.row, B.S_SCHEMA_URL_OFF);
  }
  get resourceIndex(): number {
    return this.u32(B.S_RESOURCE);
  }
}
