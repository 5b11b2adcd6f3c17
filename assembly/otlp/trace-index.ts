// One pass over an ExportTraceServiceRequest that validates all of it and builds the span table
// (see abi/trace-layout.ts): resources, scopes, spans, events and links. Attributes are validated
// and counted here; their rows are built on demand by trace-attrs.ts.
//
// Each message is walked field by field. Where a message holds child messages that get rows of
// their own (ResourceSpans → scopes, Span → events/links), the children are handled in a second
// walk over the same bytes, so each table is filled in wire order and every owner's children are
// contiguous whatever the field order (protobuf allows any order and repeated occurrences). The
// second walk reads without checks: the first validated it.
import * as L from '../abi/trace-layout';
import * as E from '../abi/errors';
import { alloc, allocZeroed, realloc, free } from '../mem/alloc';
import { fail, failPlain, failed, setContext, setInputBase, clearError } from '../errors';
import {
  readVarint, readTag, readLen, readFixed64, readFixed32, skipValue, skipTrusted, readVarintTrusted, next,
  WT_VARINT, WT_FIXED64, WT_LEN, WT_FIXED32,
} from '../wire/reader';
import { hash32 } from '../hash';
import { checkAttribute, setCheckDepth } from './attr-check';

const UNLIMITED: u32 = 0xffffffff;

// Tags (field << 3 | wire type) of the repeated children walked in second passes.
const TAG_RESOURCE_SPANS: u32 = (1 << 3) | 2;
const TAG_SCOPE_SPANS: u32 = (2 << 3) | 2;
const TAG_SPANS: u32 = (2 << 3) | 2;
const TAG_EVENTS: u32 = (11 << 3) | 2;
const TAG_LINKS: u32 = (13 << 3) | 2;

// Parse state for the batch being indexed.
let IN: usize = 0;
let resources: usize = 0;
let scopes: usize = 0;
let spans: usize = 0;
let events: usize = 0;
let links: usize = 0;
let resourceCount: u32 = 0;
let scopeCount: u32 = 0;
let spanCount: u32 = 0;
/** Attributes validated and kept so far (rows the table builder will create). */
let attrCount: u32 = 0;
let eventCount: u32 = 0;
let linkCount: u32 = 0;
let eventCap: u32 = 0;
let linkCap: u32 = 0;
let batchFlags: u32 = 0;

// Limits (from the options block).
let maxDepth: u32 = 64;
let maxSpanAttrs: u32 = 128;
let maxEvents: u32 = 128;
let maxLinks: u32 = 128;
let maxEventAttrs: u32 = 128;
let maxLinkAttrs: u32 = 128;
let maxSpans: u32 = UNLIMITED;

// @ts-ignore: decorator
@inline function rel(p: usize): u32 {
  return <u32>(p - IN);
}

/** Validates one attribute and counts it; false on error. */
// @ts-ignore: decorator
@inline function countAttr(cs: usize, ce: usize): bool {
  if (!checkAttribute(cs, ce)) return false;
  attrCount++;
  return true;
}

function wrongWireType(tag: u32, at: usize): void {
  fail(E.ERR_WRONG_WIRE_TYPE, at, tag & 7);
}

// ---------------------------------------------------------------------------------------------
// Envelope: request, ResourceSpans, Resource, ScopeSpans, InstrumentationScope

/** Counts resources, scopes and spans so the span table is sized exactly once. */
function countRequest(p: usize, end: usize): void {
  while (p < end) {
    let at = p;
    setContext(E.MSG_TRACE_REQUEST, 0);
    let tag = readTag(p, end);
    if (failed) return;
    setContext(E.MSG_TRACE_REQUEST, tag >>> 3);
    if (tag == TAG_RESOURCE_SPANS) {
      let len = readLen(next, end);
      if (failed) return;
      let cs = next;
      resourceCount++;
      countResourceSpans(cs, cs + len);
      if (failed) return;
      p = cs + len;
    } else {
      if (tag >>> 3 == 1) return wrongWireType(tag, at);
      p = skipValue(next, end, tag, at);
      if (failed) return;
    }
  }
}

function countResourceSpans(p: usize, end: usize): void {
  while (p < end) {
    let at = p;
    setContext(E.MSG_RESOURCE_SPANS, 0);
    let tag = readTag(p, end);
    if (failed) return;
    setContext(E.MSG_RESOURCE_SPANS, tag >>> 3);
    if (tag == TAG_SCOPE_SPANS) {
      let len = readLen(next, end);
      if (failed) return;
      let cs = next;
      scopeCount++;
      countScopeSpans(cs, cs + len);
      if (failed) return;
      p = cs + len;
    } else {
      if (tag >>> 3 == 2) return wrongWireType(tag, at);
      p = skipValue(next, end, tag, at);
      if (failed) return;
    }
  }
}

function countScopeSpans(p: usize, end: usize): void {
  while (p < end) {
    let at = p;
    setContext(E.MSG_SCOPE_SPANS, 0);
    let tag = readTag(p, end);
    if (failed) return;
    setContext(E.MSG_SCOPE_SPANS, tag >>> 3);
    if (tag == TAG_SPANS) {
      spanCount++;
    } else if (tag >>> 3 == 2) {
      return wrongWireType(tag, at);
    }
    p = skipValue(next, end, tag, at);
    if (failed) return;
  }
}

function parseRequest(p: usize, end: usize): void {
  while (p < end) {
    let at = p;
    setContext(E.MSG_TRACE_REQUEST, 0);
    let tag = readTag(p, end);
    if (failed) return;
    setContext(E.MSG_TRACE_REQUEST, tag >>> 3);
    if (tag == TAG_RESOURCE_SPANS) {
      let len = readLen(next, end);
      if (failed) return;
      let cs = next;
      parseResourceSpans(at, cs, cs + len);
      if (failed) return;
      p = cs + len;
    } else {
      p = skipValue(next, end, tag, at);
      if (failed) return;
    }
  }
}

function parseResourceSpans(fieldStart: usize, cs: usize, ce: usize): void {
  let r = resourceCount++;
  let row = resources + <usize>r * L.R_ROW;
  store<u32>(row + L.R_FIELD_START, rel(fieldStart));
  store<u32>(row + L.R_CONTENT_START, rel(cs));
  store<u32>(row + L.R_CONTENT_END, rel(ce));
  store<u32>(row + L.R_ATTR_START, attrCount);
  store<u32>(row + L.R_SCOPE_START, scopeCount);
  store<u32>(row + L.R_SPAN_START, spanCount);
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_RESOURCE_SPANS, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_RESOURCE_SPANS, f);
    if (f == 1 || f == 3) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (f == 1) {
        parseResource(row, at, vs, vs + len);
        if (failed) return;
      } else {
        store<u32>(row + L.R_SCHEMA_URL_OFF, rel(vs));
        store<u32>(row + L.R_SCHEMA_URL_LEN, len);
      }
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
  store<u32>(row + L.R_ATTR_COUNT, attrCount - load<u32>(row + L.R_ATTR_START));
  p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == TAG_SCOPE_SPANS) {
      let len = <usize>readVarintTrusted(p);
      let vs = next;
      parseScopeSpans(r, at, vs, vs + len);
      if (failed) return;
      p = vs + len;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
  row = resources + <usize>r * L.R_ROW;
  store<u32>(row + L.R_SCOPE_COUNT, scopeCount - load<u32>(row + L.R_SCOPE_START));
  store<u32>(row + L.R_SPAN_COUNT, spanCount - load<u32>(row + L.R_SPAN_START));
}

function parseResource(row: usize, fieldStart: usize, cs: usize, ce: usize): void {
  if (!(load<u32>(row + L.R_FLAGS) & L.HAS_MESSAGE)) {
    store<u32>(row + L.R_FLAGS, L.HAS_MESSAGE);
    store<u32>(row + L.R_MSG_START, rel(fieldStart));
    store<u32>(row + L.R_MSG_END, rel(ce));
  }
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_RESOURCE, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_RESOURCE, f);
    if (f == 1) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (!countAttr(vs, vs + len)) return;
      p = vs + len;
    } else if (f == 2) {
      if ((tag & 7) != WT_VARINT) return wrongWireType(tag, at);
      store<u32>(row + L.R_DROPPED_ATTRS, <u32>readVarint(p, ce));
      if (failed) return;
      p = next;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}

function parseScopeSpans(r: u32, fieldStart: usize, cs: usize, ce: usize): void {
  let s = scopeCount++;
  let row = scopes + <usize>s * L.S_ROW;
  store<u32>(row + L.S_FIELD_START, rel(fieldStart));
  store<u32>(row + L.S_CONTENT_START, rel(cs));
  store<u32>(row + L.S_CONTENT_END, rel(ce));
  store<u32>(row + L.S_RESOURCE, r);
  store<u32>(row + L.S_ATTR_START, attrCount);
  store<u32>(row + L.S_SPAN_START, spanCount);
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_SCOPE_SPANS, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_SCOPE_SPANS, f);
    if (f == 1 || f == 3) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (f == 1) {
        parseScope(row, at, vs, vs + len);
        if (failed) return;
      } else {
        store<u32>(row + L.S_SCHEMA_URL_OFF, rel(vs));
        store<u32>(row + L.S_SCHEMA_URL_LEN, len);
      }
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
  store<u32>(row + L.S_ATTR_COUNT, attrCount - load<u32>(row + L.S_ATTR_START));
  p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == TAG_SPANS) {
      let len = <usize>readVarintTrusted(p);
      let vs = next;
      parseSpan(s, r, at, vs, vs + len);
      if (failed) return;
      p = vs + len;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
  row = scopes + <usize>s * L.S_ROW;
  store<u32>(row + L.S_SPAN_COUNT, spanCount - load<u32>(row + L.S_SPAN_START));
}

function parseScope(row: usize, fieldStart: usize, cs: usize, ce: usize): void {
  if (!(load<u32>(row + L.S_FLAGS) & L.HAS_MESSAGE)) {
    store<u32>(row + L.S_FLAGS, L.HAS_MESSAGE);
    store<u32>(row + L.S_MSG_START, rel(fieldStart));
    store<u32>(row + L.S_MSG_END, rel(ce));
  }
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_SCOPE, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_SCOPE, f);
    if (f >= 1 && f <= 3) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (f == 1) {
        store<u32>(row + L.S_NAME_OFF, rel(vs));
        store<u32>(row + L.S_NAME_LEN, len);
      } else if (f == 2) {
        store<u32>(row + L.S_VERSION_OFF, rel(vs));
        store<u32>(row + L.S_VERSION_LEN, len);
      } else if (!countAttr(vs, vs + len)) {
        return;
      }
      p = vs + len;
    } else if (f == 4) {
      if ((tag & 7) != WT_VARINT) return wrongWireType(tag, at);
      store<u32>(row + L.S_DROPPED_ATTRS, <u32>readVarint(p, ce));
      if (failed) return;
      p = next;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Span, Status, Event, Link

/** Reads an id of exactly `size` bytes (or none) into `dst`; returns its length or -1 on error. */
function readId(p: usize, ce: usize, at: usize, dst: usize, size: u32): i32 {
  let len = readLen(p, ce);
  if (failed) return -1;
  // Direct 8-byte moves: memory.copy/fill of a few bytes is a runtime call in V8.
  if (len == size) {
    store<u64>(dst, load<u64>(next));
    if (size == 16) store<u64>(dst + 8, load<u64>(next + 8));
  } else if (len == 0) {
    store<u64>(dst, 0);
    if (size == 16) store<u64>(dst + 8, 0);
  } else {
    fail(E.ERR_INVALID_ID_LENGTH, at, len);
    return -1;
  }
  return <i32>len;
}

// @ts-ignore: decorator
@inline function satAdd(a: u32, b: u32): u32 {
  let s = <u64>a + <u64>b;
  return s > 0xffffffff ? 0xffffffff : <u32>s;
}

function parseSpan(s: u32, r: u32, fieldStart: usize, cs: usize, ce: usize): void {
  let i = spanCount++;
  let row = spans + <usize>i * L.SP_ROW;
  store<u32>(row + L.SP_FIELD_START, rel(fieldStart));
  store<u32>(row + L.SP_CONTENT_START, rel(cs));
  store<u32>(row + L.SP_CONTENT_END, rel(ce));
  store<u32>(row + L.SP_SCOPE, s);
  store<u32>(row + L.SP_RESOURCE, r);
  store<u32>(row + L.SP_NAME_OFF, rel(cs));
  store<u32>(row + L.SP_PARENT_INDEX, 0xffffffff);
  let attrStart = attrCount;
  let storedAttrs: u32 = 0;
  let extraAttrs: u32 = 0;
  let presence: u32 = 0;
  let hasEvents = false;
  let hasLinks = false;
  store<u32>(row + L.SP_ATTR_START, attrStart);
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_SPAN, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    let wt = tag & 7;
    setContext(E.MSG_SPAN, f);
    switch (f) {
      case 1: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let n = readId(p, ce, at, row + L.SP_TRACE_ID, 16);
        if (n < 0) return;
        presence = n ? presence | L.P_TRACE_ID : presence & ~L.P_TRACE_ID;
        p = next + <usize>n;
        break;
      }
      case 2: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let n = readId(p, ce, at, row + L.SP_SPAN_ID, 8);
        if (n < 0) return;
        presence = n ? presence | L.P_SPAN_ID : presence & ~L.P_SPAN_ID;
        p = next + <usize>n;
        break;
      }
      case 4: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let n = readId(p, ce, at, row + L.SP_PARENT_ID, 8);
        if (n < 0) return;
        presence = load<u64>(row + L.SP_PARENT_ID) != 0 ? presence | L.P_PARENT : presence & ~L.P_PARENT;
        p = next + <usize>n;
        break;
      }
      case 3:
      case 5: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let len = readLen(p, ce);
        if (failed) return;
        let vs = next;
        if (f == 3) {
          store<u32>(row + L.SP_TRACE_STATE_OFF, rel(vs));
          store<u32>(row + L.SP_TRACE_STATE_LEN, len);
        } else {
          store<u32>(row + L.SP_NAME_OFF, rel(vs));
          store<u32>(row + L.SP_NAME_LEN, len);
        }
        p = vs + len;
        break;
      }
      case 6:
      case 10:
      case 12:
      case 14: {
        if (wt != WT_VARINT) return wrongWireType(tag, at);
        let v = readVarint(p, ce);
        if (failed) return;
        let dst: usize = f == 6 ? L.SP_KIND : f == 10 ? L.SP_DROPPED_ATTRS : f == 12 ? L.SP_DROPPED_EVENTS : L.SP_DROPPED_LINKS;
        store<u32>(row + dst, <u32>v);
        p = next;
        break;
      }
      case 7:
      case 8: {
        if (wt != WT_FIXED64) return wrongWireType(tag, at);
        let v = readFixed64(p, ce);
        if (failed) return;
        store<u64>(row + (f == 7 ? L.SP_START : L.SP_END), v);
        p = next;
        break;
      }
      case 9: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let len = readLen(p, ce);
        if (failed) return;
        let vs = next;
        if (!checkAttribute(vs, vs + len)) return;
        if (storedAttrs < maxSpanAttrs) {
          storedAttrs++;
          attrCount++;
        } else {
          extraAttrs++;
        }
        row = spans + <usize>i * L.SP_ROW;
        p = vs + len;
        break;
      }
      case 11:
      case 13: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let len = readLen(p, ce);
        if (failed) return;
        if (f == 11) hasEvents = true;
        else hasLinks = true;
        p = next + len;
        break;
      }
      case 15: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let len = readLen(p, ce);
        if (failed) return;
        let vs = next;
        parseStatus(row, vs, vs + len);
        if (failed) return;
        presence |= L.P_STATUS;
        p = vs + len;
        break;
      }
      case 16: {
        if (wt != WT_FIXED32) return wrongWireType(tag, at);
        let v = readFixed32(p, ce);
        if (failed) return;
        store<u32>(row + L.SP_FLAGS, v);
        presence |= L.P_FLAGS;
        p = next;
        break;
      }
      default: {
        p = skipValue(p, ce, tag, at);
        if (failed) return;
      }
    }
  }
  store<u32>(row + L.SP_ATTR_COUNT, storedAttrs);
  if (extraAttrs) {
    store<u32>(row + L.SP_DROPPED_ATTRS, satAdd(load<u32>(row + L.SP_DROPPED_ATTRS), extraAttrs));
    presence |= L.P_REWRITE;
  }
  store<u32>(row + L.SP_NAME_HASH, hash32(IN + load<u32>(row + L.SP_NAME_OFF), load<u32>(row + L.SP_NAME_LEN)));
  store<u32>(row + L.SP_EVENT_START, eventCount);
  store<u32>(row + L.SP_LINK_START, linkCount);
  if (hasEvents) {
    let extra: u32 = 0;
    p = cs;
    while (p < ce) {
      let at = p;
      let tag = <u32>readVarintTrusted(p);
      p = next;
      if (tag == TAG_EVENTS) {
        let len = <usize>readVarintTrusted(p);
        let vs = next;
        let stored = eventCount - load<u32>(row + L.SP_EVENT_START);
        let savedAttrs = attrCount;
        if (parseEvent(i, at, vs, vs + len)) presence |= L.P_REWRITE;
        if (failed) return;
        row = spans + <usize>i * L.SP_ROW;
        if (stored >= maxEvents) {
          eventCount--;
          attrCount = savedAttrs;
          extra++;
        }
        p = vs + len;
      } else {
        p = skipTrusted(p, tag & 7);
      }
    }
    if (extra) {
      store<u32>(row + L.SP_DROPPED_EVENTS, satAdd(load<u32>(row + L.SP_DROPPED_EVENTS), extra));
      presence |= L.P_REWRITE;
    }
  }
  if (hasLinks) {
    let extra: u32 = 0;
    p = cs;
    while (p < ce) {
      let at = p;
      let tag = <u32>readVarintTrusted(p);
      p = next;
      if (tag == TAG_LINKS) {
        let len = <usize>readVarintTrusted(p);
        let vs = next;
        let stored = linkCount - load<u32>(row + L.SP_LINK_START);
        let savedAttrs = attrCount;
        if (parseLink(i, at, vs, vs + len)) presence |= L.P_REWRITE;
        if (failed) return;
        row = spans + <usize>i * L.SP_ROW;
        if (stored >= maxLinks) {
          linkCount--;
          attrCount = savedAttrs;
          extra++;
        }
        p = vs + len;
      } else {
        p = skipTrusted(p, tag & 7);
      }
    }
    if (extra) {
      store<u32>(row + L.SP_DROPPED_LINKS, satAdd(load<u32>(row + L.SP_DROPPED_LINKS), extra));
      presence |= L.P_REWRITE;
    }
  }
  store<u32>(row + L.SP_EVENT_COUNT, eventCount - load<u32>(row + L.SP_EVENT_START));
  store<u32>(row + L.SP_LINK_COUNT, linkCount - load<u32>(row + L.SP_LINK_START));
  store<u32>(row + L.SP_PRESENCE, presence);
  if (presence & L.P_REWRITE) batchFlags |= L.BATCH_NEEDS_REWRITE;
}

function parseStatus(row: usize, cs: usize, ce: usize): void {
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_STATUS, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_STATUS, f);
    if (f == 2) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      store<u32>(row + L.SP_STATUS_MSG_OFF, rel(next));
      store<u32>(row + L.SP_STATUS_MSG_LEN, len);
      p = next + len;
    } else if (f == 3) {
      if ((tag & 7) != WT_VARINT) return wrongWireType(tag, at);
      store<u32>(row + L.SP_STATUS_CODE, <u32>readVarint(p, ce));
      if (failed) return;
      p = next;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}

function grow(ptr: usize, newCap: u32, row: usize): usize {
  let p = realloc(ptr, <usize>newCap * row);
  if (!p) failPlain(E.ERR_OUT_OF_MEMORY, <u64>newCap * row);
  return p;
}

function reserveEvent(): bool {
  if (eventCount < eventCap) return true;
  let newCap = eventCap + (eventCap >> 1) + 16;
  let p = grow(events, newCap, L.E_ROW);
  if (!p) return false;
  events = p;
  eventCap = newCap;
  return true;
}

function reserveLink(): bool {
  if (linkCount < linkCap) return true;
  let newCap = linkCap + (linkCap >> 1) + 16;
  let p = grow(links, newCap, L.L_ROW);
  if (!p) return false;
  links = p;
  linkCap = newCap;
  return true;
}

/** Parses one event; returns true if its attributes were truncated (the span must be rewritten). */
function parseEvent(span: u32, fieldStart: usize, cs: usize, ce: usize): bool {
  if (!reserveEvent()) return false;
  let e = eventCount++;
  let row = events + <usize>e * L.E_ROW;
  memory.fill(row, 0, L.E_ROW);
  store<u32>(row + L.E_FIELD_START, rel(fieldStart));
  store<u32>(row + L.E_CONTENT_START, rel(cs));
  store<u32>(row + L.E_CONTENT_END, rel(ce));
  store<u32>(row + L.E_SPAN, span);
  store<u32>(row + L.E_NAME_OFF, rel(cs));
  store<u32>(row + L.E_ATTR_START, attrCount);
  let stored: u32 = 0;
  let extra: u32 = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_EVENT, 0);
    let tag = readTag(p, ce);
    if (failed) return false;
    p = next;
    let f = tag >>> 3;
    let wt = tag & 7;
    setContext(E.MSG_EVENT, f);
    if (f == 1) {
      if (wt != WT_FIXED64) {
        wrongWireType(tag, at);
        return false;
      }
      let v = readFixed64(p, ce);
      if (failed) return false;
      store<u64>(row + L.E_TIME, v);
      p = next;
    } else if (f == 2 || f == 3) {
      if (wt != WT_LEN) {
        wrongWireType(tag, at);
        return false;
      }
      let len = readLen(p, ce);
      if (failed) return false;
      let vs = next;
      if (f == 2) {
        store<u32>(row + L.E_NAME_OFF, rel(vs));
        store<u32>(row + L.E_NAME_LEN, len);
      } else {
        if (!checkAttribute(vs, vs + len)) return false;
        if (stored < maxEventAttrs) {
          stored++;
          attrCount++;
        } else {
          extra++;
        }
        row = events + <usize>e * L.E_ROW;
      }
      p = vs + len;
    } else if (f == 4) {
      if (wt != WT_VARINT) {
        wrongWireType(tag, at);
        return false;
      }
      store<u32>(row + L.E_DROPPED_ATTRS, <u32>readVarint(p, ce));
      if (failed) return false;
      p = next;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return false;
    }
  }
  store<u32>(row + L.E_ATTR_COUNT, stored);
  if (extra) {
    store<u32>(row + L.E_DROPPED_ATTRS, satAdd(load<u32>(row + L.E_DROPPED_ATTRS), extra));
    store<u32>(row + L.E_PRESENCE, L.P_REWRITE);
    return true;
  }
  return false;
}

/** Parses one link; returns true if its attributes were truncated. */
function parseLink(span: u32, fieldStart: usize, cs: usize, ce: usize): bool {
  if (!reserveLink()) return false;
  let k = linkCount++;
  let row = links + <usize>k * L.L_ROW;
  memory.fill(row, 0, L.L_ROW);
  store<u32>(row + L.L_FIELD_START, rel(fieldStart));
  store<u32>(row + L.L_CONTENT_START, rel(cs));
  store<u32>(row + L.L_CONTENT_END, rel(ce));
  store<u32>(row + L.L_SPAN, span);
  store<u32>(row + L.L_ATTR_START, attrCount);
  let stored: u32 = 0;
  let extra: u32 = 0;
  let presence: u32 = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_LINK, 0);
    let tag = readTag(p, ce);
    if (failed) return false;
    p = next;
    let f = tag >>> 3;
    let wt = tag & 7;
    setContext(E.MSG_LINK, f);
    if (f == 1 || f == 2) {
      if (wt != WT_LEN) {
        wrongWireType(tag, at);
        return false;
      }
      let size: u32 = f == 1 ? 16 : 8;
      let n = readId(p, ce, at, row + (f == 1 ? L.L_TRACE_ID : L.L_SPAN_ID), size);
      if (n < 0) return false;
      let bit = f == 1 ? L.P_TRACE_ID : L.P_SPAN_ID;
      presence = n ? presence | bit : presence & ~bit;
      p = next + <usize>n;
    } else if (f == 3 || f == 4) {
      if (wt != WT_LEN) {
        wrongWireType(tag, at);
        return false;
      }
      let len = readLen(p, ce);
      if (failed) return false;
      let vs = next;
      if (f == 3) {
        store<u32>(row + L.L_TRACE_STATE_OFF, rel(vs));
        store<u32>(row + L.L_TRACE_STATE_LEN, len);
      } else {
        if (!checkAttribute(vs, vs + len)) return false;
        if (stored < maxLinkAttrs) {
          stored++;
          attrCount++;
        } else {
          extra++;
        }
        row = links + <usize>k * L.L_ROW;
      }
      p = vs + len;
    } else if (f == 5) {
      if (wt != WT_VARINT) {
        wrongWireType(tag, at);
        return false;
      }
      store<u32>(row + L.L_DROPPED_ATTRS, <u32>readVarint(p, ce));
      if (failed) return false;
      p = next;
    } else if (f == 6) {
      if (wt != WT_FIXED32) {
        wrongWireType(tag, at);
        return false;
      }
      let v = readFixed32(p, ce);
      if (failed) return false;
      store<u32>(row + L.L_FLAGS, v);
      presence |= L.P_FLAGS;
      p = next;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return false;
    }
  }
  store<u32>(row + L.L_ATTR_COUNT, stored);
  if (extra) {
    store<u32>(row + L.L_DROPPED_ATTRS, satAdd(load<u32>(row + L.L_DROPPED_ATTRS), extra));
    presence |= L.P_REWRITE;
  }
  store<u32>(row + L.L_PRESENCE, presence);
  return extra > 0;
}

// ---------------------------------------------------------------------------------------------
// Entry points

function readLimit(opts: usize, at: usize, fallback: u32): u32 {
  return opts ? load<u32>(opts + at) : fallback;
}

function releaseTables(): void {
  free(resources);
  free(scopes);
  free(spans);
  free(events);
  free(links);
}

/**
 * Indexes `len` bytes at `input` (allocated with 16 bytes of slack; the batch takes ownership
 * on success). Returns the batch header, or 0 with the error recorded (the input stays the
 * caller's to free).
 */
export function traceIndex(input: usize, len: usize, opts: usize): usize {
  clearError();
  setInputBase(input);
  IN = input;
  maxDepth = readLimit(opts, L.O_MAX_DEPTH, 64);
  maxSpanAttrs = readLimit(opts, L.O_MAX_SPAN_ATTRS, 128);
  maxEvents = readLimit(opts, L.O_MAX_EVENTS, 128);
  maxLinks = readLimit(opts, L.O_MAX_LINKS, 128);
  maxEventAttrs = readLimit(opts, L.O_MAX_EVENT_ATTRS, 128);
  maxLinkAttrs = readLimit(opts, L.O_MAX_LINK_ATTRS, 128);
  maxSpans = readLimit(opts, L.O_MAX_SPANS, UNLIMITED);
  setCheckDepth(maxDepth);
  resourceCount = scopeCount = spanCount = attrCount = eventCount = linkCount = 0;
  eventCap = linkCap = 0;
  resources = scopes = spans = events = links = 0;
  batchFlags = 0;

  let end = input + len;
  countRequest(input, end);
  if (failed) return 0;
  if (spanCount > maxSpans) {
    failPlain(E.ERR_COUNT_LIMIT, maxSpans);
    return 0;
  }
  let header = allocZeroed(L.B_HEADER_SIZE);
  resources = allocZeroed(<usize>max<u32>(resourceCount, 1) * L.R_ROW);
  scopes = allocZeroed(<usize>max<u32>(scopeCount, 1) * L.S_ROW);
  spans = allocZeroed(<usize>max<u32>(spanCount, 1) * L.SP_ROW);
  // Typical SDK traffic carries an event per ~1 KB and a link per ~10 KB; both tables grow.
  eventCap = <u32>(len / 2048) + 4;
  linkCap = <u32>(len / 8192) + 4;
  events = alloc(<usize>eventCap * L.E_ROW);
  links = alloc(<usize>linkCap * L.L_ROW);
  if (!header || !resources || !scopes || !spans || !events || !links) {
    free(header);
    releaseTables();
    failPlain(E.ERR_OUT_OF_MEMORY, len);
    return 0;
  }
  resourceCount = scopeCount = spanCount = 0;
  parseRequest(input, end);
  if (failed) {
    free(header);
    releaseTables();
    return 0;
  }
  store<u32>(header + L.B_INPUT, <u32>input);
  store<u32>(header + L.B_INPUT_LEN, <u32>len);
  store<u32>(header + L.B_RESOURCE_COUNT, resourceCount);
  store<u32>(header + L.B_RESOURCES, <u32>resources);
  store<u32>(header + L.B_SCOPE_COUNT, scopeCount);
  store<u32>(header + L.B_SCOPES, <u32>scopes);
  store<u32>(header + L.B_SPAN_COUNT, spanCount);
  store<u32>(header + L.B_SPANS, <u32>spans);
  // Rows to build on demand (trace-attrs.ts); B_ATTRS stays 0 until then.
  store<u32>(header + L.B_ATTR_COUNT, attrCount);
  store<u32>(header + L.B_DEPTH_LIMIT, maxDepth);
  store<u32>(header + L.B_EVENT_COUNT, eventCount);
  store<u32>(header + L.B_EVENTS, <u32>events);
  store<u32>(header + L.B_LINK_COUNT, linkCount);
  store<u32>(header + L.B_LINKS, <u32>links);
  store<u32>(header + L.B_FLAGS, batchFlags);
  return header;
}

/** Frees a batch: its tables, its input bytes and any lazily built structures. */
export function traceFree(header: usize): void {
  if (!header) return;
  free(<usize>load<u32>(header + L.B_INPUT));
  free(<usize>load<u32>(header + L.B_RESOURCES));
  free(<usize>load<u32>(header + L.B_SCOPES));
  free(<usize>load<u32>(header + L.B_SPANS));
  free(<usize>load<u32>(header + L.B_ATTRS));
  free(<usize>load<u32>(header + L.B_NESTED));
  free(<usize>load<u32>(header + L.B_EVENTS));
  free(<usize>load<u32>(header + L.B_LINKS));
  free(<usize>load<u32>(header + L.B_EXTRA));
  free(header);
}
