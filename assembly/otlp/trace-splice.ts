// The splice encoder: writes a new ExportTraceServiceRequest from an indexed batch by copying the
// byte ranges of kept spans and rewriting only the length prefixes of the envelopes around them.
// Every other field — unknown ones included — is copied as it came. Scopes and resources left
// without spans are dropped.
//
// A span can be replaced by new content (edits made by processors), and spans the index truncated
// under the count limits (P_REWRITE) are re-emitted field by field without the dropped entries.
// Sizes are computed bottom-up first (span → scope → resource → request), so the output is
// allocated once, exactly, and written front to back.
import * as L from '../abi/trace-layout';
import { readVarintTrusted, skipTrusted, next, WT_LEN, WT_VARINT } from '../wire/reader';
import { emitRaw, emitVarintField, emitTruncated, emitHeader, fieldSize } from './splice-emit';
import { spliceItems, PLAN_COPY, PLAN_RENDER } from './envelope-splice';

export { spliceResult } from './envelope-splice';

let IN: usize = 0;
let spans: usize = 0;
let spliceHeader: usize = 0;

// ---------------------------------------------------------------------------------------------
// Re-emitting truncated spans. Each function runs twice: once to size (out == 0), once to write.

/**
 * An event (Span field 11, attributes in field 3, dropped count in 4) or a link (field 13; 4 and 5):
 * copied as it came, or re-emitted without the attributes the decode limits cut.
 */
function emitChild(out: usize, row: usize, isLink: bool): usize {
  let cs = IN + load<u32>(row + (isLink ? L.L_CONTENT_START : L.E_CONTENT_START));
  let ce = IN + load<u32>(row + (isLink ? L.L_CONTENT_END : L.E_CONTENT_END));
  let presence = load<u32>(row + (isLink ? L.L_PRESENCE : L.E_PRESENCE));
  if (!(presence & L.P_REWRITE)) return emitRaw(out, IN + load<u32>(row + (isLink ? L.L_FIELD_START : L.E_FIELD_START)), ce);
  let attrField: u32 = isLink ? 4 : 3;
  let keep = load<u32>(row + (isLink ? L.L_ATTR_COUNT : L.E_ATTR_COUNT));
  let dropped = load<u32>(row + (isLink ? L.L_DROPPED_ATTRS : L.E_DROPPED_ATTRS));
  let content = emitTruncated(0, cs, ce, attrField, keep, attrField + 1, dropped);
  if (out) emitTruncated(emitHeader(out, isLink ? (13 << 3) | WT_LEN : (11 << 3) | WT_LEN, content), cs, ce, attrField, keep, attrField + 1, dropped);
  return fieldSize(content);
}

/** Content of a truncated span: attributes, events and links cut to the stored counts. */
function emitTruncatedSpan(out: usize, header: usize, i: u32): usize {
  let row = <usize>load<u32>(header + L.B_SPANS) + <usize>i * L.SP_ROW;
  let events = <usize>load<u32>(header + L.B_EVENTS);
  let links = <usize>load<u32>(header + L.B_LINKS);
  let cs = IN + load<u32>(row + L.SP_CONTENT_START);
  let ce = IN + load<u32>(row + L.SP_CONTENT_END);
  let keepAttrs = load<u32>(row + L.SP_ATTR_COUNT);
  let eventStart = load<u32>(row + L.SP_EVENT_START);
  let eventCount = load<u32>(row + L.SP_EVENT_COUNT);
  let linkStart = load<u32>(row + L.SP_LINK_START);
  let linkCount = load<u32>(row + L.SP_LINK_COUNT);
  let seenAttrs: u32 = 0;
  let seenEvents: u32 = 0;
  let seenLinks: u32 = 0;
  let doneAttrs = false;
  let doneEvents = false;
  let doneLinks = false;
  let size: usize = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let f = tag >>> 3;
    let wt = tag & 7;
    let after = skipTrusted(next, wt);
    let o = out ? out + size : 0;
    if (f == 9 && wt == WT_LEN) {
      if (seenAttrs++ < keepAttrs) size += emitRaw(o, at, after);
    } else if (f == 11 && wt == WT_LEN) {
      if (seenEvents < eventCount) size += emitChild(o, events + <usize>(eventStart + seenEvents) * L.E_ROW, false);
      seenEvents++;
    } else if (f == 13 && wt == WT_LEN) {
      if (seenLinks < linkCount) size += emitChild(o, links + <usize>(linkStart + seenLinks) * L.L_ROW, true);
      seenLinks++;
    } else if (f == 10 && wt == WT_VARINT) {
      if (!doneAttrs) size += emitVarintField(o, 10, load<u32>(row + L.SP_DROPPED_ATTRS));
      doneAttrs = true;
    } else if (f == 12 && wt == WT_VARINT) {
      if (!doneEvents) size += emitVarintField(o, 12, load<u32>(row + L.SP_DROPPED_EVENTS));
      doneEvents = true;
    } else if (f == 14 && wt == WT_VARINT) {
      if (!doneLinks) size += emitVarintField(o, 14, load<u32>(row + L.SP_DROPPED_LINKS));
      doneLinks = true;
    } else {
      size += emitRaw(o, at, after);
    }
    p = after;
  }
  if (!doneAttrs) size += emitVarintField(out ? out + size : 0, 10, load<u32>(row + L.SP_DROPPED_ATTRS));
  if (!doneEvents) size += emitVarintField(out ? out + size : 0, 12, load<u32>(row + L.SP_DROPPED_EVENTS));
  if (!doneLinks) size += emitVarintField(out ? out + size : 0, 14, load<u32>(row + L.SP_DROPPED_LINKS));
  return size;
}

// ---------------------------------------------------------------------------------------------
// The splice

/** Spans the decode limits truncated are re-rendered; the others are copied as they came. */
function planSpan(i: u32): u32 {
  let row = spans + <usize>i * L.SP_ROW;
  return load<u32>(row + L.SP_PRESENCE) & L.P_REWRITE ? PLAN_RENDER : PLAN_COPY;
}

function renderSpan(out: usize, i: u32): usize {
  return emitTruncatedSpan(out, spliceHeader, i);
}

/**
 * Writes a new request. `keep` holds one byte per span (non-zero = keep) or is 0 for all;
 * `spanRepl`, `resourceRepl`, `scopeRepl` hold (pointer, length) pairs per span / resource /
 * scope giving new content for the Span, Resource or InstrumentationScope message (pointer 0 =
 * unchanged), or are 0. Returns 0 on success with the output in spliceResult(), else an error code.
 */
export function traceSplice(header: usize, keep: usize, spanRepl: usize, resourceRepl: usize, scopeRepl: usize): u32 {
  IN = <usize>load<u32>(header + L.B_INPUT);
  spans = <usize>load<u32>(header + L.B_SPANS);
  spliceHeader = header;
  return spliceItems(header, spans, L.SP_ROW, keep, spanRepl, planSpan, renderSpan, resourceRepl, scopeRepl);
}
