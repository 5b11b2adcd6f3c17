// One pass over an ExportTraceServiceRequest that validates all of it and builds the span table
// (see abi/trace-layout.ts): resources, scopes, spans, events and links. Attributes are validated
// and counted here; their rows are built on demand by trace-attrs.ts.
//
// The envelope (resources and scopes) is the one all signals share (envelope-index.ts); this file
// parses what a ScopeSpans holds. Each message is walked field by field. Where a message holds child
// messages that get rows of their own (Span → events/links), the children are handled in a second
// walk over the same bytes, so each table is filled in wire order and every owner's children are
// contiguous whatever the field order (protobuf allows any order and repeated occurrences). The
// second walk reads without checks: the first validated it.
import * as L from '../abi/trace-layout';
import * as E from '../abi/errors';
import { alloc, allocZeroed, free } from '../mem/alloc';
import { failLimit, failed, setContext } from '../errors';
import {
  readVarint, readLen, readTag, readFixed64, readFixed32, skipValue, skipTrusted, readVarintTrusted, next,
  WT_VARINT, WT_FIXED64, WT_LEN, WT_FIXED32,
} from '../wire/reader';
import { hash32 } from '../hash';
import { checkAttribute } from './attr-check';
import { indexEnvelope, itemCount, attrTotal, setAttrTotal, addAttr } from './envelope-index';
import { UNLIMITED, wrongWireType, readId, satAdd, growTable, grownCapacity, readLimit, startRow } from './index-util';

// Tags (field << 3 | wire type) of the repeated children walked in second passes.
const TAG_EVENTS: u32 = (11 << 3) | 2;
const TAG_LINKS: u32 = (13 << 3) | 2;

// Parse state for the batch being indexed.
let IN: usize = 0;
let spans: usize = 0;
let events: usize = 0;
let links: usize = 0;
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

// ---------------------------------------------------------------------------------------------
// Span, Status, Event, Link

function parseSpan(i: u32, s: u32, r: u32, fieldStart: usize, cs: usize, ce: usize): void {
  let row = spans + <usize>i * L.SP_ROW;
  startRow(row, IN, fieldStart, cs, ce, s);
  store<u32>(row + L.SP_RESOURCE, r);
  store<u32>(row + L.SP_NAME_OFF, rel(cs));
  store<u32>(row + L.SP_PARENT_INDEX, 0xffffffff);
  let attrStart = attrTotal();
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
          addAttr();
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
        let savedAttrs = attrTotal();
        if (parseEvent(i, at, vs, vs + len)) presence |= L.P_REWRITE;
        if (failed) return;
        row = spans + <usize>i * L.SP_ROW;
        if (stored >= maxEvents) {
          eventCount--;
          setAttrTotal(savedAttrs);
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
        let savedAttrs = attrTotal();
        if (parseLink(i, at, vs, vs + len)) presence |= L.P_REWRITE;
        if (failed) return;
        row = spans + <usize>i * L.SP_ROW;
        if (stored >= maxLinks) {
          linkCount--;
          setAttrTotal(savedAttrs);
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

function reserveEvent(): bool {
  if (eventCount < eventCap) return true;
  events = growTable(events, eventCap, L.E_ROW);
  eventCap = grownCapacity;
  return eventCount < eventCap;
}

function reserveLink(): bool {
  if (linkCount < linkCap) return true;
  links = growTable(links, linkCap, L.L_ROW);
  linkCap = grownCapacity;
  return linkCount < linkCap;
}

/** Parses one event; returns true if its attributes were truncated (the span must be rewritten). */
function parseEvent(span: u32, fieldStart: usize, cs: usize, ce: usize): bool {
  if (!reserveEvent()) return false;
  let e = eventCount++;
  let row = events + <usize>e * L.E_ROW;
  memory.fill(row, 0, L.E_ROW);
  startRow(row, IN, fieldStart, cs, ce, span);
  store<u32>(row + L.E_NAME_OFF, rel(cs));
  store<u32>(row + L.E_ATTR_START, attrTotal());
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
          addAttr();
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
  startRow(row, IN, fieldStart, cs, ce, span);
  store<u32>(row + L.L_ATTR_START, attrTotal());
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
          addAttr();
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

function allocTables(len: usize): bool {
  if (itemCount > maxSpans) {
    failLimit(E.MSG_SPAN, maxSpans);
    return false;
  }
  spans = allocZeroed(<usize>max<u32>(itemCount, 1) * L.SP_ROW);
  // Typical SDK traffic carries an event per ~1 KB and a link per ~10 KB; both tables grow.
  eventCap = <u32>(len / 2048) + 4;
  linkCap = <u32>(len / 8192) + 4;
  events = alloc(<usize>eventCap * L.E_ROW);
  links = alloc(<usize>linkCap * L.L_ROW);
  return spans != 0 && events != 0 && links != 0;
}

function releaseTables(): void {
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
  IN = input;
  maxDepth = readLimit(opts, L.O_MAX_DEPTH, 64);
  maxSpanAttrs = readLimit(opts, L.O_MAX_SPAN_ATTRS, 128);
  maxEvents = readLimit(opts, L.O_MAX_EVENTS, 128);
  maxLinks = readLimit(opts, L.O_MAX_LINKS, 128);
  maxEventAttrs = readLimit(opts, L.O_MAX_EVENT_ATTRS, 128);
  maxLinkAttrs = readLimit(opts, L.O_MAX_LINK_ATTRS, 128);
  maxSpans = readLimit(opts, L.O_MAX_SPANS, UNLIMITED);
  eventCount = linkCount = 0;
  eventCap = linkCap = 0;
  spans = events = links = 0;
  batchFlags = 0;
  let header = indexEnvelope(input, len, maxDepth, E.MSG_TRACE_REQUEST, E.MSG_RESOURCE_SPANS, E.MSG_SCOPE_SPANS, allocTables, parseSpan, releaseTables);
  if (!header) return 0;
  store<u32>(header + L.B_SPANS, <u32>spans);
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
