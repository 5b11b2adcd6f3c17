// Tag names and values for Tempo's tag APIs, read straight from a batch's tables: a loop over the
// attribute rows of each owner kind (resources, scopes, spans, events, links) reading key hashes
// and offsets. A key is decoded to a string the first time its hash is seen (so the cost is one
// string per distinct key, not one object per span), values only for rows whose key matches.
import * as B from '../../../assembly/abi/batch-layout.js';
import * as L from '../../../assembly/abi/trace-layout.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { readString } from '../../otlp/value-views.js';

/** Tempo's attribute scopes (instrumentation = the InstrumentationScope's attributes). */
export type TagScope = 'resource' | 'span' | 'event' | 'link' | 'instrumentation';
export const TAG_SCOPES: readonly TagScope[] = ['resource', 'span', 'event', 'link', 'instrumentation'];

/** Where each owner kind keeps its rows and attribute ranges. */
interface OwnerTable {
  scope: TagScope;
  count: number;
  row(i: number): number;
  attrStart: number;
  attrCount: number;
}

function owners(batch: TraceBatch): OwnerTable[] {
  const dv = batch.core.dv;
  const header = batch.headerPtr;
  return [
    { scope: 'resource', count: batch.resourceCount, row: (i) => batch.resourceRow(i), attrStart: L.R_ATTR_START, attrCount: L.R_ATTR_COUNT },
    { scope: 'instrumentation', count: batch.scopeCount, row: (i) => batch.scopeRow(i), attrStart: L.S_ATTR_START, attrCount: L.S_ATTR_COUNT },
    { scope: 'span', count: batch.spanCount, row: (i) => batch.spanRow(i), attrStart: L.SP_ATTR_START, attrCount: L.SP_ATTR_COUNT },
    { scope: 'event', count: dv.getUint32(header + L.B_EVENT_COUNT, true), row: (i) => batch.eventRow(i), attrStart: L.E_ATTR_START, attrCount: L.E_ATTR_COUNT },
    { scope: 'link', count: dv.getUint32(header + L.B_LINK_COUNT, true), row: (i) => batch.linkRow(i), attrStart: L.L_ATTR_START, attrCount: L.L_ATTR_COUNT },
  ];
}

/**
 * Calls `visit(scope, attrRow)` for every attribute row of the owners in `scopes` (all when
 * omitted); stops when it returns false. Builds the attribute table first. Returns false if stopped.
 */
function forEachAttribute(batch: TraceBatch, scopes: readonly TagScope[] | undefined, visit: (scope: TagScope, attrRow: number) => boolean): boolean {
  const core = batch.core;
  batch.ensureAttributes();
  for (const o of owners(batch)) {
    if (!o.count || (scopes && !scopes.includes(o.scope))) continue;
    for (let i = 0; i < o.count; i++) {
      // Views are re-read per row: nothing here allocates, but attrRow() is allowed to.
      const dv = core.dv;
      const row = o.row(i);
      const start = dv.getUint32(row + o.attrStart, true);
      const n = dv.getUint32(row + o.attrCount, true);
      for (let a = 0; a < n; a++) if (!visit(o.scope, batch.attrRow(start + a))) return false;
    }
  }
  return true;
}

/** Distinct keys per scope, deduplicated by the core's key hash and then by bytes. */
export class TagKeySet {
  private readonly byScope = new Map<TagScope, Map<number, { key: string; bytes: Uint8Array }[]>>();
  private readonly encoder = new TextEncoder();

  /** Adds every attribute key of `batch`, scope by scope (builds its attribute table if needed). */
  addBatch(batch: TraceBatch): void {
    const core = batch.core;
    forEachAttribute(batch, undefined, (scope, ar) => {
      let seen = this.byScope.get(scope);
      if (!seen) this.byScope.set(scope, (seen = new Map()));
      const d = core.dv;
      const hash = d.getUint32(ar + B.A_KEY_HASH, true);
      const off = d.getUint32(ar + B.A_KEY_OFF, true);
      const len = d.getUint32(ar + B.A_KEY_LEN, true);
      const list = seen.get(hash);
      if (list && list.some((k) => sameBytes(core.u8, batch.inputPtr + off, len, k.bytes))) return true;
      const key = readString(batch, off, len);
      const entry = { key, bytes: this.encoder.encode(key) };
      if (list) list.push(entry);
      else seen.set(hash, [entry]);
      return true;
    });
  }

  /** Sorted keys of one scope. */
  keys(scope: TagScope): string[] {
    const seen = this.byScope.get(scope);
    if (!seen) return [];
    return [...new Set([...seen.values()].flat().map((e) => e.key))].sort();
  }
}

function sameBytes(u8: Uint8Array, at: number, len: number, bytes: Uint8Array): boolean {
  if (len !== bytes.length) return false;
  for (let i = 0; i < len; i++) if (u8[at + i] !== bytes[i]) return false;
  return true;
}

/** A tag value as Tempo's v2 values API types it. */
export interface TagValue {
  type: 'string' | 'int' | 'float' | 'bool' | 'keyword';
  value: string;
}

/** Collects distinct values, stopping at a byte budget (Tempo's max_bytes_per_tag_values_query). */
export class TagValueSet {
  private readonly seen = new Map<string, TagValue>();
  private bytes = 0;
  /** True once the budget stopped the collection early. */
  truncated = false;

  constructor(private readonly maxBytes: number) {}

  add(type: TagValue['type'], value: string): boolean {
    if (this.truncated) return false;
    const id = `${type}\u0000${value}`;
    if (this.seen.has(id)) return true;
    if (this.bytes + value.length > this.maxBytes) {
      this.truncated = true;
      return false;
    }
    this.bytes += value.length;
    this.seen.set(id, { type, value });
    return true;
  }

  values(): TagValue[] {
    return [...this.seen.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  }
}

const STATUS = ['unset', 'ok', 'error'];
const KIND = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/**
 * What a TraceQL identifier names, for tag values: an attribute in some scopes (`resource.x`,
 * `span.x`, `.x` = span then resource), or an intrinsic. Undefined when it names nothing we read.
 */
export type TagTarget = { kind: 'attribute'; scopes: TagScope[]; key: string } | { kind: 'intrinsic'; name: 'name' | 'status' | 'kind' | 'statusMessage' | 'rootName' | 'rootServiceName' };

const INTRINSICS: Readonly<Record<string, Extract<TagTarget, { kind: 'intrinsic' }>['name']>> = {
  name: 'name', 'span:name': 'name',
  status: 'status', 'span:status': 'status',
  kind: 'kind', 'span:kind': 'kind',
  statusMessage: 'statusMessage', 'span:statusMessage': 'statusMessage',
  rootName: 'rootName', 'trace:rootName': 'rootName',
  rootServiceName: 'rootServiceName', 'trace:rootService': 'rootServiceName',
};

/** Parses a tag as the v2 API takes it (`resource.service.name`, `.http.method`, `name`), or the v1 API (a bare key: span or resource). */
export function tagTarget(tag: string, v1: boolean): TagTarget | undefined {
  const intrinsic = INTRINSICS[tag];
  if (intrinsic) return { kind: 'intrinsic', name: intrinsic };
  const scoped = /^(resource|span|event|link|instrumentation)\.(.+)$/.exec(tag);
  if (scoped) return { kind: 'attribute', scopes: [scoped[1] as TagScope], key: unquote(scoped[2]!) };
  if (tag.startsWith('.') && tag.length > 1) return { kind: 'attribute', scopes: ['span', 'resource'], key: unquote(tag.slice(1)) };
  if (v1 && tag !== '') return { kind: 'attribute', scopes: ['span', 'resource'], key: tag };
  return undefined;
}

/** TraceQL quotes attribute names with special characters: `span."a b"`. */
function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') && name.length >= 2 ? name.slice(1, -1).replace(/\\(.)/g, '$1') : name;
}

/** Adds the values `target` takes in `batch` to `out`; returns false once the budget is spent. */
export function addTagValues(batch: TraceBatch, target: TagTarget, out: TagValueSet): boolean {
  const core = batch.core;
  if (target.kind === 'intrinsic') {
    const n = batch.spanCount;
    for (let i = 0; i < n; i++) {
      const row = batch.spanRow(i);
      const dv = core.dv;
      let ok = true;
      switch (target.name) {
        case 'name':
          ok = out.add('string', readString(batch, dv.getUint32(row + L.SP_NAME_OFF, true), dv.getUint32(row + L.SP_NAME_LEN, true)));
          break;
        case 'statusMessage': {
          const len = dv.getUint32(row + L.SP_STATUS_MSG_LEN, true);
          if (len) ok = out.add('string', readString(batch, dv.getUint32(row + L.SP_STATUS_MSG_OFF, true), len));
          break;
        }
        case 'status':
          ok = out.add('keyword', STATUS[dv.getInt32(row + L.SP_STATUS_CODE, true)] ?? 'unset');
          break;
        case 'kind':
          ok = out.add('keyword', KIND[dv.getInt32(row + L.SP_KIND, true)] ?? 'unspecified');
          break;
        case 'rootName':
        case 'rootServiceName': {
          if (dv.getUint32(row + L.SP_PRESENCE, true) & L.P_PARENT) break;
          if (target.name === 'rootName') ok = out.add('string', readString(batch, dv.getUint32(row + L.SP_NAME_OFF, true), dv.getUint32(row + L.SP_NAME_LEN, true)));
          else {
            const service = batch.span(i).resource.attribute('service.name');
            if (service?.type === 'string') ok = out.add('string', service.value);
          }
          break;
        }
      }
      if (!ok) return false;
    }
    return true;
  }
  const keyBytes = new TextEncoder().encode(target.key);
  return forEachAttribute(batch, target.scopes, (_scope, ar) => {
    const d = core.dv;
    if (!sameBytes(core.u8, batch.inputPtr + d.getUint32(ar + B.A_KEY_OFF, true), d.getUint32(ar + B.A_KEY_LEN, true), keyBytes)) return true;
    switch (d.getUint32(ar + B.A_TYPE, true)) {
      case B.V_STRING:
        return out.add('string', readString(batch, d.getUint32(ar + B.A_VALUE, true), d.getUint32(ar + B.A_VALUE + 4, true)));
      case B.V_INT:
        return out.add('int', d.getBigInt64(ar + B.A_VALUE, true).toString());
      case B.V_DOUBLE:
        return out.add('float', String(d.getFloat64(ar + B.A_VALUE, true)));
      case B.V_BOOL:
        return out.add('bool', d.getUint32(ar + B.A_VALUE, true) !== 0 ? 'true' : 'false');
      default:
        // Arrays, maps and bytes have no TraceQL literal to offer as a value.
        return true;
    }
  });
}
