// The strongest plain-JavaScript competitor we could write: a protobuf walker over the request bytes
// that never builds an object per span. If otel-sieve only beat protobufjs, the win might be "not
// materializing" rather than WebAssembly; this baseline does the same index-and-splice work as the core,
// in JS, so the ratio against it isolates what the core adds.
//
// Two operations, mirroring the core:
// - indexTraceRequest: one pass over every field, filling a columnar span table (typed arrays reused
//   across calls) with byte ranges, id offsets, times, status and an attribute table with key hashes.
// - filterTraceRequest: decide per span with a KeepRule, then splice — copy the kept spans' bytes and
//   everything around them verbatim, rewrite only the enclosing length prefixes, drop emptied scopes and
//   resources. Unknown fields survive, as in the core.
//
// Malformed input throws a WireError naming the byte offset; it is a baseline, not a validator, but it
// never reads out of bounds.

import { keepRuleAccepts } from './keep-rule.js';
import type { KeepRule } from './keep-rule.js';

export class WireError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'WireError';
  }
}

const WT_VARINT = 0;
const WT_FIXED64 = 1;
const WT_LEN = 2;
const WT_FIXED32 = 5;
const MAX_DEPTH = 64;

// Varint results come back through this module-level slot so the readers return only the new position:
// no tuple allocation per field.
let V = 0;

function readVarintSlow(buf: Uint8Array, p: number, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (p >= end) throw new WireError('truncated varint', p);
    const b = buf[p++] as number;
    // Multiplication keeps it exact to 2^53; only int64 attribute values go beyond, and those are skipped.
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      V = value;
      return p;
    }
    scale *= 128;
  }
  throw new WireError('varint longer than 10 bytes', p);
}

function readVarint(buf: Uint8Array, p: number, end: number): number {
  if (p < end) {
    const b = buf[p] as number;
    if (b < 0x80) {
      V = b;
      return p + 1;
    }
  }
  return readVarintSlow(buf, p, end);
}

function skipVarint(buf: Uint8Array, p: number, end: number): number {
  for (let i = 0; i < 10; i++) {
    if (p >= end) throw new WireError('truncated varint', p);
    if ((buf[p++] as number) < 0x80) return p;
  }
  throw new WireError('varint longer than 10 bytes', p);
}

/** Reads a length prefix at p; V becomes the end of the content. Returns the content start. */
function readLength(buf: Uint8Array, p: number, end: number): number {
  const at = p;
  p = readVarint(buf, p, end);
  if (V > end - p) throw new WireError(`length ${V} runs past the end of its message (${end - p} bytes left)`, at);
  V += p;
  return p;
}

/** Reads a tag; V becomes the tag. Rejects field 0 and tags beyond 32 bits. */
function readTag(buf: Uint8Array, p: number, end: number): number {
  const at = p;
  p = readVarint(buf, p, end);
  if (V < 8 || V > 0xffffffff) throw new WireError(`invalid tag ${V}`, at);
  return p;
}

function skipField(buf: Uint8Array, p: number, end: number, wireType: number, at: number): number {
  switch (wireType) {
    case WT_VARINT:
      return skipVarint(buf, p, end);
    case WT_FIXED64:
      if (end - p < 8) throw new WireError('truncated fixed64', p);
      return p + 8;
    case WT_LEN:
      readLength(buf, p, end);
      return V;
    case WT_FIXED32:
      if (end - p < 4) throw new WireError('truncated fixed32', p);
      return p + 4;
    default:
      throw new WireError(`unsupported wire type ${wireType}`, at);
  }
}

function wrongWireType(field: number, wireType: number, message: string, at: number): never {
  throw new WireError(`${message} field ${field} has wire type ${wireType}`, at);
}

function u32(buf: Uint8Array, p: number): number {
  return ((buf[p] as number) | ((buf[p + 1] as number) << 8) | ((buf[p + 2] as number) << 16) | ((buf[p + 3] as number) << 24)) >>> 0;
}

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

// ---------------------------------------------------------------------------------------------------
// Index

/** AnyValue kinds in the attribute table: the AnyValue oneof field numbers, 0 for an empty value. */
export const ValueType = Object.freeze({ EMPTY: 0, STRING: 1, BOOL: 2, INT: 3, DOUBLE: 4, ARRAY: 5, KVLIST: 6, BYTES: 7 });

function growInt32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
function growUint32(a: Uint32Array, n: number): Uint32Array {
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}
function growUint8(a: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}

/**
 * A columnar index of one request. Offsets point into the indexed buffer; -1 marks an absent field.
 * Reuse one table across calls: its arrays only grow.
 */
export class SpanTable {
  spanCount = 0;
  /** Span message content range. */
  spanStart: Int32Array = new Int32Array(0);
  spanEnd: Int32Array = new Int32Array(0);
  /** Offsets of the 16-byte trace id, 8-byte span id and parent span id; -1 if absent or not that long. */
  traceId: Int32Array = new Int32Array(0);
  spanId: Int32Array = new Int32Array(0);
  parentSpanId: Int32Array = new Int32Array(0);
  nameOffset: Int32Array = new Int32Array(0);
  nameLength: Int32Array = new Int32Array(0);
  kind: Uint8Array = new Uint8Array(0);
  statusCode: Uint8Array = new Uint8Array(0);
  flags: Uint32Array = new Uint32Array(0);
  startLo: Uint32Array = new Uint32Array(0);
  startHi: Uint32Array = new Uint32Array(0);
  endLo: Uint32Array = new Uint32Array(0);
  endHi: Uint32Array = new Uint32Array(0);
  attrFirst: Int32Array = new Int32Array(0);
  attrCount: Int32Array = new Int32Array(0);
  eventCount: Int32Array = new Int32Array(0);
  linkCount: Int32Array = new Int32Array(0);
  scopeIndex: Int32Array = new Int32Array(0);

  /** Attributes of spans and resources. */
  attrTotal = 0;
  attrKeyOffset: Int32Array = new Int32Array(0);
  attrKeyLength: Int32Array = new Int32Array(0);
  /** FNV-1a of the key bytes, for lookups by name without touching the strings. */
  attrKeyHash: Uint32Array = new Uint32Array(0);
  attrType: Uint8Array = new Uint8Array(0);
  /** Value payload: the string/bytes/array/kvlist content, or the varint/fixed bytes. */
  attrValueOffset: Int32Array = new Int32Array(0);
  attrValueLength: Int32Array = new Int32Array(0);

  resourceCount = 0;
  resourceAttrFirst: Int32Array = new Int32Array(0);
  resourceAttrCount: Int32Array = new Int32Array(0);
  scopeCount = 0;
  scopeResource: Int32Array = new Int32Array(0);
  scopeNameOffset: Int32Array = new Int32Array(0);
  scopeNameLength: Int32Array = new Int32Array(0);

  /** Totals over the request, for checks and to keep the walk observable. */
  eventTotal = 0;
  linkTotal = 0;
  /** Bytes of every string and bytes payload seen (names, keys, values, ids). */
  payloadBytes = 0;

  reset(): void {
    this.spanCount = this.attrTotal = this.resourceCount = this.scopeCount = 0;
    this.eventTotal = this.linkTotal = this.payloadBytes = 0;
  }

  /** Makes room for one more span. */
  addSpan(): number {
    const i = this.spanCount++;
    if (i >= this.spanStart.length) {
      const n = Math.max(256, this.spanStart.length * 2);
      this.spanStart = growInt32(this.spanStart, n);
      this.spanEnd = growInt32(this.spanEnd, n);
      this.traceId = growInt32(this.traceId, n);
      this.spanId = growInt32(this.spanId, n);
      this.parentSpanId = growInt32(this.parentSpanId, n);
      this.nameOffset = growInt32(this.nameOffset, n);
      this.nameLength = growInt32(this.nameLength, n);
      this.kind = growUint8(this.kind, n);
      this.statusCode = growUint8(this.statusCode, n);
      this.flags = growUint32(this.flags, n);
      this.startLo = growUint32(this.startLo, n);
      this.startHi = growUint32(this.startHi, n);
      this.endLo = growUint32(this.endLo, n);
      this.endHi = growUint32(this.endHi, n);
      this.attrFirst = growInt32(this.attrFirst, n);
      this.attrCount = growInt32(this.attrCount, n);
      this.eventCount = growInt32(this.eventCount, n);
      this.linkCount = growInt32(this.linkCount, n);
      this.scopeIndex = growInt32(this.scopeIndex, n);
    }
    return i;
  }

  addAttr(): number {
    const i = this.attrTotal++;
    if (i >= this.attrKeyOffset.length) {
      const n = Math.max(4096, this.attrKeyOffset.length * 2);
      this.attrKeyOffset = growInt32(this.attrKeyOffset, n);
      this.attrKeyLength = growInt32(this.attrKeyLength, n);
      this.attrKeyHash = growUint32(this.attrKeyHash, n);
      this.attrType = growUint8(this.attrType, n);
      this.attrValueOffset = growInt32(this.attrValueOffset, n);
      this.attrValueLength = growInt32(this.attrValueLength, n);
    }
    return i;
  }

  addResource(): number {
    const i = this.resourceCount++;
    if (i >= this.resourceAttrFirst.length) {
      const n = Math.max(64, this.resourceAttrFirst.length * 2);
      this.resourceAttrFirst = growInt32(this.resourceAttrFirst, n);
      this.resourceAttrCount = growInt32(this.resourceAttrCount, n);
    }
    this.resourceAttrFirst[i] = this.attrTotal;
    this.resourceAttrCount[i] = 0;
    return i;
  }

  addScope(resource: number): number {
    const i = this.scopeCount++;
    if (i >= this.scopeResource.length) {
      const n = Math.max(64, this.scopeResource.length * 2);
      this.scopeResource = growInt32(this.scopeResource, n);
      this.scopeNameOffset = growInt32(this.scopeNameOffset, n);
      this.scopeNameLength = growInt32(this.scopeNameLength, n);
    }
    this.scopeResource[i] = resource;
    this.scopeNameOffset[i] = -1;
    this.scopeNameLength[i] = 0;
    return i;
  }
}

/**
 * Walks an ArrayValue or KeyValueList (validating it) without indexing it. `depth` counts the array/kvlist
 * levels entered so far, so N nested arrays around a scalar reach depth N.
 */
function walkNested(buf: Uint8Array, p: number, end: number, isKvList: boolean, depth: number): void {
  if (depth > MAX_DEPTH) throw new WireError(`AnyValue nesting deeper than ${MAX_DEPTH}`, p);
  // ArrayValue { repeated AnyValue values = 1 } / KeyValueList { repeated KeyValue values = 1 }
  while (p < end) {
    const at = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === 1) {
      if (wt !== WT_LEN) wrongWireType(field, wt, isKvList ? 'KeyValueList' : 'ArrayValue', at);
      p = readLength(buf, p, end);
      const e = V;
      if (isKvList) walkKeyValue(buf, p, e, null, -1, depth);
      else walkAnyValue(buf, p, e, null, -1, depth);
      p = e;
    } else {
      p = skipField(buf, p, end, wt, at);
    }
  }
}

/** AnyValue content at [p, end); records type and payload into attribute `a` of `t` if given. */
function walkAnyValue(buf: Uint8Array, p: number, end: number, t: SpanTable | null, a: number, depth: number): void {
  let type = 0;
  let off = -1;
  let len = 0;
  while (p < end) {
    const at = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    switch (field) {
      case 1: // string_value
      case 7: // bytes_value
        if (wt !== WT_LEN) wrongWireType(field, wt, 'AnyValue', at);
        p = readLength(buf, p, end);
        type = field;
        off = p;
        len = V - p;
        p = V;
        if (t) t.payloadBytes += len;
        break;
      case 2: // bool_value
      case 3: // int_value
        if (wt !== WT_VARINT) wrongWireType(field, wt, 'AnyValue', at);
        type = field;
        off = p;
        p = skipVarint(buf, p, end);
        len = p - off;
        break;
      case 4: // double_value
        if (wt !== WT_FIXED64) wrongWireType(field, wt, 'AnyValue', at);
        if (end - p < 8) throw new WireError('truncated double', p);
        type = field;
        off = p;
        len = 8;
        p += 8;
        break;
      case 5: // array_value
      case 6: // kvlist_value
        if (wt !== WT_LEN) wrongWireType(field, wt, 'AnyValue', at);
        p = readLength(buf, p, end);
        type = field;
        off = p;
        len = V - p;
        walkNested(buf, p, V, field === 6, depth + 1);
        p = off + len;
        break;
      default:
        p = skipField(buf, p, end, wt, at);
    }
  }
  if (t && a >= 0) {
    t.attrType[a] = type;
    t.attrValueOffset[a] = off;
    t.attrValueLength[a] = len;
  }
}

/** KeyValue content at [p, end); indexes it into `t` when given. */
function walkKeyValue(buf: Uint8Array, p: number, end: number, t: SpanTable | null, a: number, depth: number): void {
  if (t && a >= 0) {
    t.attrKeyOffset[a] = -1;
    t.attrKeyLength[a] = 0;
    t.attrKeyHash[a] = 0x811c9dc5;
    t.attrType[a] = 0;
    t.attrValueOffset[a] = -1;
    t.attrValueLength[a] = 0;
  }
  while (p < end) {
    const at = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === 1) {
      if (wt !== WT_LEN) wrongWireType(field, wt, 'KeyValue', at);
      p = readLength(buf, p, end);
      const e = V;
      if (t && a >= 0) {
        let h = 0x811c9dc5;
        for (let i = p; i < e; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
        t.attrKeyOffset[a] = p;
        t.attrKeyLength[a] = e - p;
        t.attrKeyHash[a] = h >>> 0;
        t.payloadBytes += e - p;
      }
      p = e;
    } else if (field === 2) {
      if (wt !== WT_LEN) wrongWireType(field, wt, 'KeyValue', at);
      p = readLength(buf, p, end);
      const e = V;
      walkAnyValue(buf, p, e, t, a, depth);
      p = e;
    } else {
      p = skipField(buf, p, end, wt, at);
    }
  }
}

/** Event or Link content: attributes are field 3 in Event, 4 in Link; validated, not indexed. */
function walkEventOrLink(buf: Uint8Array, p: number, end: number, attrField: number, t: SpanTable, message: string): void {
  while (p < end) {
    const at = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === attrField) {
      if (wt !== WT_LEN) wrongWireType(field, wt, message, at);
      p = readLength(buf, p, end);
      const e = V;
      walkKeyValue(buf, p, e, null, -1, 0);
      p = e;
    } else if (wt === WT_LEN) {
      p = readLength(buf, p, end);
      t.payloadBytes += V - p;
      p = V;
    } else {
      p = skipField(buf, p, end, wt, at);
    }
  }
}

function walkSpan(buf: Uint8Array, p: number, end: number, t: SpanTable, scope: number): void {
  const s = t.addSpan();
  t.spanStart[s] = p;
  t.spanEnd[s] = end;
  t.traceId[s] = t.spanId[s] = t.parentSpanId[s] = t.nameOffset[s] = -1;
  t.nameLength[s] = 0;
  t.kind[s] = t.statusCode[s] = 0;
  t.flags[s] = t.startLo[s] = t.startHi[s] = t.endLo[s] = t.endHi[s] = 0;
  t.attrFirst[s] = t.attrTotal;
  t.scopeIndex[s] = scope;
  let attrs = 0;
  let events = 0;
  let links = 0;
  while (p < end) {
    const at = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    switch (field) {
      case 1: // trace_id
      case 2: // span_id
      case 4: // parent_span_id
      case 3: // trace_state
      case 5: {
        // name
        if (wt !== WT_LEN) wrongWireType(field, wt, 'Span', at);
        p = readLength(buf, p, end);
        const len = V - p;
        if (field === 1) t.traceId[s] = len === 16 ? p : -1;
        else if (field === 2) t.spanId[s] = len === 8 ? p : -1;
        else if (field === 4) t.parentSpanId[s] = len === 8 ? p : -1;
        else if (field === 5) {
          t.nameOffset[s] = p;
          t.nameLength[s] = len;
        }
        t.payloadBytes += len;
        p = V;
        break;
      }
      case 6: // kind
        if (wt !== WT_VARINT) wrongWireType(field, wt, 'Span', at);
        p = readVarint(buf, p, end);
        t.kind[s] = V;
        break;
      case 7: // start_time_unix_nano
      case 8: // end_time_unix_nano
        if (wt !== WT_FIXED64) wrongWireType(field, wt, 'Span', at);
        if (end - p < 8) throw new WireError('truncated fixed64', p);
        if (field === 7) {
          t.startLo[s] = u32(buf, p);
          t.startHi[s] = u32(buf, p + 4);
        } else {
          t.endLo[s] = u32(buf, p);
          t.endHi[s] = u32(buf, p + 4);
        }
        p += 8;
        break;
      case 9: {
        // attributes
        if (wt !== WT_LEN) wrongWireType(field, wt, 'Span', at);
        p = readLength(buf, p, end);
        const e = V;
        walkKeyValue(buf, p, e, t, t.addAttr(), 0);
        attrs++;
        p = e;
        break;
      }
      case 11: // events
      case 13: {
        // links
        if (wt !== WT_LEN) wrongWireType(field, wt, 'Span', at);
        p = readLength(buf, p, end);
        const e = V;
        if (field === 11) {
          walkEventOrLink(buf, p, e, 3, t, 'Event');
          events++;
        } else {
          walkEventOrLink(buf, p, e, 4, t, 'Link');
          links++;
        }
        p = e;
        break;
      }
      case 15: {
        // status
        if (wt !== WT_LEN) wrongWireType(field, wt, 'Span', at);
        p = readLength(buf, p, end);
        const e = V;
        while (p < e) {
          const sat = p;
          p = readTag(buf, p, e);
          const f = V >>> 3;
          const w = V & 7;
          if (f === 3 && w === WT_VARINT) {
            p = readVarint(buf, p, e);
            t.statusCode[s] = V;
          } else {
            p = skipField(buf, p, e, w, sat);
          }
        }
        break;
      }
      case 16: // flags
        if (wt !== WT_FIXED32) wrongWireType(field, wt, 'Span', at);
        if (end - p < 4) throw new WireError('truncated fixed32', p);
        t.flags[s] = u32(buf, p);
        p += 4;
        break;
      default:
        // dropped_* counts (10, 12, 14) and unknown fields
        p = skipField(buf, p, end, wt, at);
    }
  }
  t.attrCount[s] = attrs;
  t.eventCount[s] = events;
  t.linkCount[s] = links;
  t.eventTotal += events;
  t.linkTotal += links;
}

function walkScopeSpans(buf: Uint8Array, p: number, end: number, t: SpanTable, resource: number): void {
  const scope = t.addScope(resource);
  while (p < end) {
    const at = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === 2 || field === 1) {
      if (wt !== WT_LEN) wrongWireType(field, wt, 'ScopeSpans', at);
      p = readLength(buf, p, end);
      const e = V;
      if (field === 2) walkSpan(buf, p, e, t, scope);
      else {
        // InstrumentationScope { name = 1; version = 2; attributes = 3; dropped_attributes_count = 4 }
        while (p < e) {
          const sat = p;
          p = readTag(buf, p, e);
          const f = V >>> 3;
          const w = V & 7;
          if (f === 1 && w === WT_LEN) {
            p = readLength(buf, p, e);
            t.scopeNameOffset[scope] = p;
            t.scopeNameLength[scope] = V - p;
            t.payloadBytes += V - p;
            p = V;
          } else if (f === 3 && w === WT_LEN) {
            p = readLength(buf, p, e);
            const ke = V;
            walkKeyValue(buf, p, ke, null, -1, 0);
            p = ke;
          } else {
            p = skipField(buf, p, e, w, sat);
          }
        }
      }
      p = e;
    } else {
      p = skipField(buf, p, end, wt, at);
    }
  }
}

function walkResourceSpans(buf: Uint8Array, p: number, end: number, t: SpanTable): void {
  const resource = t.addResource();
  while (p < end) {
    const at = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === 1 || field === 2) {
      if (wt !== WT_LEN) wrongWireType(field, wt, 'ResourceSpans', at);
      p = readLength(buf, p, end);
      const e = V;
      if (field === 2) walkScopeSpans(buf, p, e, t, resource);
      else {
        // Resource { attributes = 1; dropped_attributes_count = 2 }
        while (p < e) {
          const rat = p;
          p = readTag(buf, p, e);
          const f = V >>> 3;
          const w = V & 7;
          if (f === 1 && w === WT_LEN) {
            p = readLength(buf, p, e);
            const ke = V;
            walkKeyValue(buf, p, ke, t, t.addAttr(), 0);
            t.resourceAttrCount[resource]++;
            p = ke;
          } else {
            p = skipField(buf, p, e, w, rat);
          }
        }
      }
      p = e;
    } else {
      p = skipField(buf, p, end, wt, at);
    }
  }
}

/**
 * Indexes an `ExportTraceServiceRequest` into `table` (reset first) and returns it. Every field is
 * visited and bounds-checked; nested AnyValues are validated to depth 64.
 */
export function indexTraceRequest(buf: Uint8Array, table: SpanTable = new SpanTable()): SpanTable {
  table.reset();
  const end = buf.length;
  let p = 0;
  while (p < end) {
    const at = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === 1) {
      if (wt !== WT_LEN) wrongWireType(field, wt, 'ExportTraceServiceRequest', at);
      p = readLength(buf, p, end);
      const e = V;
      walkResourceSpans(buf, p, e, table);
      p = e;
    } else {
      p = skipField(buf, p, end, wt, at);
    }
  }
  return table;
}

// ---------------------------------------------------------------------------------------------------
// Filter + splice

// The output plan, reused across calls: triples (op, a, b). COPY copies buf[a, b); HEADER writes the
// one-byte tag a and the varint length b, patched once the message's kept size is known.
const OP_COPY = 0;
const OP_HEADER = 1;
let ops = new Int32Array(3 * 1024);
let nOps = 0;

function ensureOps(): void {
  if (nOps + 3 > ops.length) {
    const next = new Int32Array(ops.length * 2);
    next.set(ops);
    ops = next;
  }
}

function pushCopy(a: number, b: number): void {
  // Adjacent ranges merge, so a scope whose spans are all kept costs one copy.
  if (nOps > 0 && ops[nOps - 3] === OP_COPY && ops[nOps - 1] === a) {
    ops[nOps - 1] = b;
    return;
  }
  ensureOps();
  ops[nOps++] = OP_COPY;
  ops[nOps++] = a;
  ops[nOps++] = b;
}

function pushHeader(tagByte: number): number {
  ensureOps();
  const at = nOps;
  ops[nOps++] = OP_HEADER;
  ops[nOps++] = tagByte;
  ops[nOps++] = 0;
  return at;
}

/** Counts from the last {@link filterTraceRequest} call. */
export interface FilterStats {
  spansIn: number;
  spansKept: number;
}

let spansIn = 0;
let spansKept = 0;

function keepSpan(buf: Uint8Array, p: number, end: number, rule: KeepRule): boolean {
  const wantErrors = rule.keepErrors;
  const minDuration = rule.minDurationNanos;
  const byteIndex = rule.traceIdByteIndex;
  const below = rule.traceIdByteBelow;
  let status = 0;
  let sLo = 0;
  let sHi = 0;
  let eLo = 0;
  let eHi = 0;
  let tidByte = -1;
  let seen = 0; // bit 1: trace id, 2: start, 4: end
  // Once the conditions in play are settled the rest of the span need not be read.
  const settled = wantErrors ? -1 : minDuration === Infinity ? 1 : 7;
  while (p < end) {
    const at = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === 1 && wt === WT_LEN) {
      p = readLength(buf, p, end);
      if (byteIndex < V - p) tidByte = buf[p + byteIndex] as number;
      p = V;
      // The sampling condition alone can decide, before the rest of the span is read.
      if (tidByte >= 0 && tidByte < below) return true;
      seen |= 1;
      if ((seen & settled) === settled) break;
    } else if ((field === 7 || field === 8) && wt === WT_FIXED64) {
      if (end - p < 8) throw new WireError('truncated fixed64', p);
      if (field === 7) {
        sLo = u32(buf, p);
        sHi = u32(buf, p + 4);
        seen |= 2;
      } else {
        eLo = u32(buf, p);
        eHi = u32(buf, p + 4);
        seen |= 4;
      }
      p += 8;
      if ((seen & settled) === settled) break;
    } else if (field === 15 && wt === WT_LEN) {
      p = readLength(buf, p, end);
      const e = V;
      while (p < e) {
        const sat = p;
        p = readTag(buf, p, e);
        const f = V >>> 3;
        const w = V & 7;
        if (f === 3 && w === WT_VARINT) {
          p = readVarint(buf, p, e);
          status = V;
        } else {
          p = skipField(buf, p, e, w, sat);
        }
      }
    } else {
      p = skipField(buf, p, end, wt, at);
    }
  }
  const duration = (eHi - sHi) * 4294967296 + (eLo - sLo);
  return keepRuleAccepts(rule, status, duration, tidByte);
}

/** ScopeSpans content; returns the kept field's encoded size, or -1 when no span is kept. */
function planScopeSpans(buf: Uint8Array, p: number, end: number, rule: KeepRule): number {
  const mark = nOps;
  const header = pushHeader(0x12);
  let len = 0;
  let kept = 0;
  while (p < end) {
    const fieldStart = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === 2 && wt === WT_LEN) {
      p = readLength(buf, p, end);
      const e = V;
      spansIn++;
      if (keepSpan(buf, p, e, rule)) {
        pushCopy(fieldStart, e);
        len += e - fieldStart;
        kept++;
      }
      p = e;
    } else {
      p = skipField(buf, p, end, wt, fieldStart);
      pushCopy(fieldStart, p);
      len += p - fieldStart;
    }
  }
  if (kept === 0) {
    nOps = mark;
    return -1;
  }
  spansKept += kept;
  ops[header + 2] = len;
  return 1 + varintSize(len) + len;
}

/** ResourceSpans content; returns the kept field's encoded size, or -1 when no scope is kept. */
function planResourceSpans(buf: Uint8Array, p: number, end: number, rule: KeepRule): number {
  const mark = nOps;
  const header = pushHeader(0x0a);
  let len = 0;
  let kept = 0;
  while (p < end) {
    const fieldStart = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === 2 && wt === WT_LEN) {
      p = readLength(buf, p, end);
      const e = V;
      const size = planScopeSpans(buf, p, e, rule);
      if (size >= 0) {
        len += size;
        kept++;
      }
      p = e;
    } else {
      p = skipField(buf, p, end, wt, fieldStart);
      pushCopy(fieldStart, p);
      len += p - fieldStart;
    }
  }
  if (kept === 0) {
    nOps = mark;
    return -1;
  }
  ops[header + 2] = len;
  return 1 + varintSize(len) + len;
}

/**
 * Keeps the spans `rule` accepts and returns a new request: kept spans and all other fields byte for
 * byte, scopes and resources left without spans dropped. `stats`, if given, receives the counts.
 */
export function filterTraceRequest(buf: Uint8Array, rule: KeepRule, stats?: FilterStats): Uint8Array {
  nOps = 0;
  spansIn = spansKept = 0;
  const end = buf.length;
  let total = 0;
  let p = 0;
  while (p < end) {
    const fieldStart = p;
    p = readTag(buf, p, end);
    const field = V >>> 3;
    const wt = V & 7;
    if (field === 1 && wt === WT_LEN) {
      p = readLength(buf, p, end);
      const e = V;
      const size = planResourceSpans(buf, p, e, rule);
      if (size >= 0) total += size;
      p = e;
    } else {
      p = skipField(buf, p, end, wt, fieldStart);
      pushCopy(fieldStart, p);
      total += p - fieldStart;
    }
  }
  if (stats) {
    stats.spansIn = spansIn;
    stats.spansKept = spansKept;
  }
  const out = new Uint8Array(total);
  let q = 0;
  for (let i = 0; i < nOps; i += 3) {
    const a = ops[i + 1] as number;
    const b = ops[i + 2] as number;
    if (ops[i] === OP_COPY) {
      const n = b - a;
      // A subarray view is an allocation; short ranges are cheaper byte by byte.
      if (n < 64) for (let k = 0; k < n; k++) out[q + k] = buf[a + k] as number;
      else out.set(buf.subarray(a, b), q);
      q += n;
    } else {
      out[q++] = a;
      let v = b;
      while (v > 0x7f) {
        out[q++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      out[q++] = v;
    }
  }
  if (q !== total) throw new Error(`internal: wrote ${q} of ${total} planned bytes`);
  return out;
}
