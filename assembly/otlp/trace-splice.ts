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
import * as E from '../abi/errors';
import { alloc, free } from '../mem/alloc';
import { failPlain, clearError } from '../errors';
import { readVarintTrusted, skipTrusted, next, WT_LEN, WT_VARINT } from '../wire/reader';
import { varintSize, writeVarint } from '../wire/writer';

const TAG_RESOURCE_SPANS: u32 = (1 << 3) | 2;
const TAG_RESOURCE: u32 = (1 << 3) | 2;
const TAG_SCOPE_SPANS: u32 = (2 << 3) | 2;
const TAG_SCOPE: u32 = (1 << 3) | 2;
const TAG_SPANS: u32 = (2 << 3) | 2;

/** Output of the last successful splice: pointer and length (the caller owns the buffer). */
const RESULT = memory.data(8, 8);

export function spliceResult(): usize {
  return RESULT;
}

let IN: usize = 0;

// @ts-ignore: decorator
@inline function fieldSize(contentLen: usize): usize {
  return 1 + varintSize(<u64>contentLen) + contentLen;
}

// ---------------------------------------------------------------------------------------------
// Re-emitting truncated spans. Each function runs twice: once to size (out == 0), once to write.

/** Copies a field's raw bytes [from, to) unless sizing. */
// @ts-ignore: decorator
@inline function emitRaw(out: usize, from: usize, to: usize): usize {
  if (out) memory.copy(out, from, to - from);
  return to - from;
}

function emitVarintField(out: usize, field: u32, v: u32): usize {
  if (!v) return 0;
  let tag = <u64>((field << 3) | WT_VARINT);
  let n = varintSize(tag) + varintSize(<u64>v);
  if (out) writeVarint(writeVarint(out, tag), <u64>v);
  return n;
}

/**
 * Re-emits a message's fields: the first `keepAttrs` occurrences of `attrField` survive, the
 * dropped-count field `droppedField` is written once with `dropped` (at the position of its first
 * occurrence, or at the end), everything else is copied.
 */
function emitTruncated(out: usize, cs: usize, ce: usize, attrField: u32, keepAttrs: u32, droppedField: u32, dropped: u32): usize {
  let size: usize = 0;
  let seen: u32 = 0;
  let droppedDone = false;
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let f = tag >>> 3;
    let after = skipTrusted(next, tag & 7);
    if (f == attrField && (tag & 7) == WT_LEN) {
      if (seen++ < keepAttrs) size += emitRaw(out ? out + size : 0, at, after);
    } else if (f == droppedField && (tag & 7) == WT_VARINT) {
      if (!droppedDone) {
        size += emitVarintField(out ? out + size : 0, droppedField, dropped);
        droppedDone = true;
      }
    } else {
      size += emitRaw(out ? out + size : 0, at, after);
    }
    p = after;
  }
  if (!droppedDone) size += emitVarintField(out ? out + size : 0, droppedField, dropped);
  return size;
}

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
  if (out) {
    let q = writeVarint(out, isLink ? (13 << 3) | WT_LEN : (11 << 3) | WT_LEN);
    q = writeVarint(q, <u64>content);
    emitTruncated(q, cs, ce, attrField, keep, attrField + 1, dropped);
  }
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

/**
 * Writes a new request. `keep` holds one byte per span (non-zero = keep) or is 0 for all;
 * `spanRepl`, `resourceRepl`, `scopeRepl` hold (pointer, length) pairs per span / resource /
 * scope giving new content for the Span, Resource or InstrumentationScope message (pointer 0 =
 * unchanged), or are 0. Returns 0 on success with the output in spliceResult(), else an error code.
 */
export function traceSplice(header: usize, keep: usize, spanRepl: usize, resourceRepl: usize, scopeRepl: usize): u32 {
  clearError();
  IN = <usize>load<u32>(header + L.B_INPUT);
  let inLen = <usize>load<u32>(header + L.B_INPUT_LEN);
  let nRes = load<u32>(header + L.B_RESOURCE_COUNT);
  let nScopes = load<u32>(header + L.B_SCOPE_COUNT);
  let nSpans = load<u32>(header + L.B_SPAN_COUNT);
  let resources = <usize>load<u32>(header + L.B_RESOURCES);
  let scopes = <usize>load<u32>(header + L.B_SCOPES);
  let spans = <usize>load<u32>(header + L.B_SPANS);

  // Per span: new field size (0 = dropped) and where its new content lives (0 = original bytes);
  // per scope and resource: new content length (0 = dropped).
  let work = alloc(<usize>(nSpans + nScopes + nRes) * 4 + <usize>nSpans * 8 + 8);
  if (!work) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>nSpans * 12);
    return E.ERR_OUT_OF_MEMORY;
  }
  let spanSize = work;
  let scopeSize = spanSize + <usize>nSpans * 4;
  let resSize = scopeSize + <usize>nScopes * 4;
  let spanSrc = resSize + <usize>nRes * 4; // (ptr, len) of new content per span
  let scratch: usize = 0;

  // Truncated spans are rendered into one scratch buffer up front.
  let scratchSize: usize = 0;
  for (let i: u32 = 0; i < nSpans; i++) {
    let row = spans + <usize>i * L.SP_ROW;
    store<u64>(spanSrc + <usize>i * 8, 0);
    let kept = keep == 0 || load<u8>(keep + i) != 0;
    let repl = spanRepl ? <usize>load<u32>(spanRepl + <usize>i * 8) : 0;
    if (kept && !repl && (load<u32>(row + L.SP_PRESENCE) & L.P_REWRITE)) {
      scratchSize += emitTruncatedSpan(0, header, i);
    }
  }
  if (scratchSize) {
    scratch = alloc(scratchSize);
    if (!scratch) {
      free(work);
      failPlain(E.ERR_OUT_OF_MEMORY, scratchSize);
      return E.ERR_OUT_OF_MEMORY;
    }
  }
  let sp = scratch;
  for (let i: u32 = 0; i < nSpans; i++) {
    let row = spans + <usize>i * L.SP_ROW;
    let kept = keep == 0 || load<u8>(keep + i) != 0;
    let size: usize = 0;
    if (kept) {
      let repl = spanRepl ? <usize>load<u32>(spanRepl + <usize>i * 8) : 0;
      if (repl) {
        let rlen = <usize>load<u32>(spanRepl + <usize>i * 8 + 4);
        store<u32>(spanSrc + <usize>i * 8, <u32>repl);
        store<u32>(spanSrc + <usize>i * 8 + 4, <u32>rlen);
        size = fieldSize(rlen);
      } else if (load<u32>(row + L.SP_PRESENCE) & L.P_REWRITE) {
        let rlen = emitTruncatedSpan(sp, header, i);
        store<u32>(spanSrc + <usize>i * 8, <u32>sp);
        store<u32>(spanSrc + <usize>i * 8 + 4, <u32>rlen);
        sp += rlen;
        size = fieldSize(rlen);
      } else {
        size = load<u32>(row + L.SP_CONTENT_END) - load<u32>(row + L.SP_FIELD_START);
      }
    }
    store<u32>(spanSize + <usize>i * 4, <u32>size);
  }

  // Scopes: walk each ScopeSpans' fields, summing kept spans and copied fields.
  for (let s: u32 = 0; s < nScopes; s++) {
    let row = scopes + <usize>s * L.S_ROW;
    let first = load<u32>(row + L.S_SPAN_START);
    let count = load<u32>(row + L.S_SPAN_COUNT);
    let anyKept = false;
    for (let k: u32 = 0; k < count; k++) {
      if (load<u32>(spanSize + <usize>(first + k) * 4)) {
        anyKept = true;
        break;
      }
    }
    // Content length; 0 means dropped (a kept scope holds at least one span field).
    let content: usize = anyKept ? walkScopeSpans(0, row, s, first, spanSize, spanSrc, scopeRepl) : 0;
    store<u32>(scopeSize + <usize>s * 4, <u32>content);
  }

  // Resources.
  for (let r: u32 = 0; r < nRes; r++) {
    let row = resources + <usize>r * L.R_ROW;
    let first = load<u32>(row + L.R_SCOPE_START);
    let count = load<u32>(row + L.R_SCOPE_COUNT);
    let anyKept = false;
    for (let k: u32 = 0; k < count; k++) {
      if (load<u32>(scopeSize + <usize>(first + k) * 4)) {
        anyKept = true;
        break;
      }
    }
    let content: usize = anyKept
      ? walkResourceSpans(0, row, r, first, scopeSize, resourceRepl, scopes, spanSize, spanSrc, scopeRepl)
      : 0;
    store<u32>(resSize + <usize>r * 4, <u32>content);
  }

  // Request.
  let total = walkRequest(0, inLen, resSize, resources, scopeSize, resourceRepl, scopes, spanSize, spanSrc, scopeRepl);
  let out = alloc(total + 16);
  if (!out) {
    free(work);
    free(scratch);
    failPlain(E.ERR_OUT_OF_MEMORY, total);
    return E.ERR_OUT_OF_MEMORY;
  }
  memory.fill(out + total, 0, 16);
  walkRequest(out, inLen, resSize, resources, scopeSize, resourceRepl, scopes, spanSize, spanSrc, scopeRepl);
  free(work);
  free(scratch);
  store<u32>(RESULT, <u32>out);
  store<u32>(RESULT + 4, <u32>total);
  return 0;
}

/** Emits (or sizes, when out == 0) a message field whose content is replaced by (repl, len). */
function emitReplaced(out: usize, tag: u32, repl: usize, len: usize): usize {
  if (out) {
    let q = writeVarint(out, <u64>tag);
    q = writeVarint(q, <u64>len);
    memory.copy(q, repl, len);
  }
  return varintSize(<u64>tag) + varintSize(<u64>len) + len;
}

function walkScopeSpans(out: usize, row: usize, s: u32, firstSpan: u32, spanSize: usize, spanSrc: usize, scopeRepl: usize): usize {
  let cs = IN + load<u32>(row + L.S_CONTENT_START);
  let ce = IN + load<u32>(row + L.S_CONTENT_END);
  let repl = scopeRepl ? <usize>load<u32>(scopeRepl + <usize>s * 8) : 0;
  let replLen = scopeRepl ? <usize>load<u32>(scopeRepl + <usize>s * 8 + 4) : 0;
  let replDone = false;
  let size: usize = 0;
  let k = firstSpan;
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let after = skipTrusted(next, tag & 7);
    let o = out ? out + size : 0;
    if (tag == TAG_SPANS) {
      let n = <usize>load<u32>(spanSize + <usize>k * 4);
      if (n) {
        let src = <usize>load<u32>(spanSrc + <usize>k * 8);
        if (src) size += emitReplaced(o, TAG_SPANS, src, <usize>load<u32>(spanSrc + <usize>k * 8 + 4));
        else size += emitRaw(o, at, after);
      }
      k++;
    } else if (tag == TAG_SCOPE && repl) {
      if (!replDone) size += emitReplaced(o, TAG_SCOPE, repl, replLen);
      replDone = true;
    } else {
      size += emitRaw(o, at, after);
    }
    p = after;
  }
  if (repl && !replDone) size += emitReplaced(out ? out + size : 0, TAG_SCOPE, repl, replLen);
  return size;
}

function walkResourceSpans(
  out: usize, row: usize, r: u32, firstScope: u32, scopeSize: usize, resourceRepl: usize,
  scopes: usize, spanSize: usize, spanSrc: usize, scopeRepl: usize,
): usize {
  let cs = IN + load<u32>(row + L.R_CONTENT_START);
  let ce = IN + load<u32>(row + L.R_CONTENT_END);
  let repl = resourceRepl ? <usize>load<u32>(resourceRepl + <usize>r * 8) : 0;
  let replLen = resourceRepl ? <usize>load<u32>(resourceRepl + <usize>r * 8 + 4) : 0;
  let replDone = false;
  let size: usize = 0;
  let s = firstScope;
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let after = skipTrusted(next, tag & 7);
    let o = out ? out + size : 0;
    if (tag == TAG_SCOPE_SPANS) {
      let content = <usize>load<u32>(scopeSize + <usize>s * 4);
      if (content) {
        if (out) {
          let srow = scopes + <usize>s * L.S_ROW;
          let q = writeVarint(o, TAG_SCOPE_SPANS);
          q = writeVarint(q, <u64>content);
          walkScopeSpans(q, srow, s, load<u32>(srow + L.S_SPAN_START), spanSize, spanSrc, scopeRepl);
        }
        size += fieldSize(content);
      }
      s++;
    } else if (tag == TAG_RESOURCE && repl) {
      if (!replDone) size += emitReplaced(o, TAG_RESOURCE, repl, replLen);
      replDone = true;
    } else {
      size += emitRaw(o, at, after);
    }
    p = after;
  }
  if (repl && !replDone) size += emitReplaced(out ? out + size : 0, TAG_RESOURCE, repl, replLen);
  return size;
}

function walkRequest(
  out: usize, inLen: usize, resSize: usize, resources: usize, scopeSize: usize, resourceRepl: usize,
  scopes: usize, spanSize: usize, spanSrc: usize, scopeRepl: usize,
): usize {
  let size: usize = 0;
  let r: u32 = 0;
  let p = IN;
  let end = IN + inLen;
  while (p < end) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let after = skipTrusted(next, tag & 7);
    let o = out ? out + size : 0;
    if (tag == TAG_RESOURCE_SPANS) {
      let content = <usize>load<u32>(resSize + <usize>r * 4);
      if (content) {
        if (out) {
          let rrow = resources + <usize>r * L.R_ROW;
          let q = writeVarint(o, TAG_RESOURCE_SPANS);
          q = writeVarint(q, <u64>content);
          walkResourceSpans(q, rrow, r, load<u32>(rrow + L.R_SCOPE_START), scopeSize, resourceRepl, scopes, spanSize, spanSrc, scopeRepl);
        }
        size += fieldSize(content);
      }
      r++;
    } else {
      size += emitRaw(o, at, after);
    }
    p = after;
  }
  return size;
}
