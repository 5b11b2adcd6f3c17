// The envelope half of every splice encoder: given what becomes of each item (span, log record,
// metric) — dropped, copied as it came, or replaced by new content — it writes the new request by
// copying every other field of the request, Resource* and Scope* messages (unknown ones included),
// replacing Resource/InstrumentationScope messages where asked, dropping scopes and resources left
// without items, and rewriting only the length prefixes around them.
//
// Sizes are computed bottom-up (item → scope → resource → request), so the output is allocated
// once, exactly, and written front to back.
import * as B from '../abi/batch-layout';
import * as E from '../abi/errors';
import { alloc, free } from '../mem/alloc';
import { failPlain, clearError } from '../errors';
import { readVarintTrusted, skipTrusted, next, WT_LEN } from '../wire/reader';
import { fieldSize, emitRaw, emitReplaced, emitHeader } from './splice-emit';

// The same field numbers in all three signals.
const TAG_RESOURCE_LIST: u32 = (1 << 3) | WT_LEN; // request → Resource*
const TAG_RESOURCE: u32 = (1 << 3) | WT_LEN; // Resource* → Resource
const TAG_SCOPE_LIST: u32 = (2 << 3) | WT_LEN; // Resource* → Scope*
const TAG_SCOPE: u32 = (1 << 3) | WT_LEN; // Scope* → InstrumentationScope
const TAG_ITEMS: u32 = (2 << 3) | WT_LEN; // Scope* → items

/** Output of the last successful splice: pointer and length (the caller owns the buffer). */
const RESULT = memory.data(8, 8);

export function spliceResult(): usize {
  return RESULT;
}

/** What becomes of an item that is kept and not replaced (see ItemPlanner). */
export const PLAN_DROP: u32 = 0;
export const PLAN_COPY: u32 = 1;
export const PLAN_RENDER: u32 = 2;
/** Internal: the caller gave replacement content. */
const PLAN_REPLACED: u32 = 3;

/** Decides item `i`'s fate: dropped, copied as it came, or re-rendered (a truncated span…). */
export type ItemPlanner = (i: u32) => u32;
/** Writes item `i`'s new content at `out` (or only sizes it when out == 0); returns its length. */
export type ItemRenderer = (out: usize, i: u32) => usize;

let IN: usize = 0;
let itemSize: usize = 0;
let itemSrc: usize = 0;
let scopeSize: usize = 0;
let resSize: usize = 0;
let scopes: usize = 0;
let resRows: usize = 0;
let resourceRepl: usize = 0;
let scopeRepl: usize = 0;

/**
 * The whole splice for a signal: `keep` holds a byte per item (non-zero keeps) or is 0 for all;
 * `itemRepl` a (pointer, length) pair per item giving new content for the item's message (pointer 0 =
 * unchanged) or is 0; `resourceRepl` / `scopeRepl` likewise for Resource and InstrumentationScope
 * messages. Items kept and not replaced go through `plan`; those it wants re-rendered are rendered
 * into one scratch buffer up front. Returns 0 with the output in spliceResult(), or an error code.
 */
export function spliceItems(
  header: usize, items: usize, rowSize: usize, keep: usize, itemRepl: usize,
  plan: ItemPlanner, render: ItemRenderer, resourceRepl: usize, scopeRepl: usize,
): u32 {
  clearError();
  let n = load<u32>(header + B.B_ITEM_COUNT);
  // Per item: new field size (0 = dropped) and where its new content lives (0 = original bytes).
  let work = alloc(<usize>n * 12 + 8);
  if (!work) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>n * 12);
    return E.ERR_OUT_OF_MEMORY;
  }
  let sizes = work;
  let sources = work + <usize>n * 4;
  let scratchSize: usize = 0;
  for (let i: u32 = 0; i < n; i++) {
    let decision = PLAN_DROP;
    if (keep == 0 || load<u8>(keep + i) != 0) {
      decision = itemRepl && load<u32>(itemRepl + <usize>i * 8) ? PLAN_REPLACED : plan(i);
      if (decision == PLAN_RENDER) scratchSize += render(0, i);
    }
    // Remember the decision in the size slot until sizes are known.
    store<u32>(sizes + <usize>i * 4, decision);
  }
  let scratch: usize = 0;
  if (scratchSize) {
    scratch = alloc(scratchSize);
    if (!scratch) {
      free(work);
      failPlain(E.ERR_OUT_OF_MEMORY, scratchSize);
      return E.ERR_OUT_OF_MEMORY;
    }
  }
  let sp = scratch;
  for (let i: u32 = 0; i < n; i++) {
    let decision = load<u32>(sizes + <usize>i * 4);
    let src: usize = 0;
    let len: usize = 0;
    let size: usize = 0;
    if (decision == PLAN_COPY) {
      let row = items + <usize>i * rowSize;
      size = load<u32>(row + B.I_CONTENT_END) - load<u32>(row + B.I_FIELD_START);
    } else if (decision == PLAN_RENDER) {
      len = render(sp, i);
      src = sp;
      sp += len;
      size = fieldSize(len);
    } else if (decision == PLAN_REPLACED) {
      src = <usize>load<u32>(itemRepl + <usize>i * 8);
      len = <usize>load<u32>(itemRepl + <usize>i * 8 + 4);
      size = fieldSize(len);
    }
    store<u32>(sizes + <usize>i * 4, <u32>size);
    store<u32>(sources + <usize>i * 8, <u32>src);
    store<u32>(sources + <usize>i * 8 + 4, <u32>len);
  }
  let status = spliceEnvelopes(header, sizes, sources, resourceRepl, scopeRepl);
  free(work);
  free(scratch);
  return status;
}

/**
 * Writes a new request from the batch at `header`. Per item, `sizes` holds its new field size
 * (u32, 0 = dropped) and `sources` a (pointer, length) pair giving its new content (pointer 0 = its
 * original bytes). `resources` / `scopesRepl` hold (pointer, length) per resource / scope giving new
 * content for the Resource / InstrumentationScope message (pointer 0 = unchanged), or are 0.
 * Returns 0 with the output in spliceResult(), or an error code.
 */
function spliceEnvelopes(header: usize, sizes: usize, sources: usize, resources: usize, scopesRepl: usize): u32 {
  IN = <usize>load<u32>(header + B.B_INPUT);
  itemSize = sizes;
  itemSrc = sources;
  resourceRepl = resources;
  scopeRepl = scopesRepl;
  let inLen = <usize>load<u32>(header + B.B_INPUT_LEN);
  let nRes = load<u32>(header + B.B_RESOURCE_COUNT);
  let nScopes = load<u32>(header + B.B_SCOPE_COUNT);
  resRows = <usize>load<u32>(header + B.B_RESOURCES);
  scopes = <usize>load<u32>(header + B.B_SCOPES);

  // Per scope and resource: new content length (0 = dropped: a kept one holds at least one item).
  let work = alloc(<usize>(nScopes + nRes) * 4 + 8);
  if (!work) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>(nScopes + nRes) * 4);
    return E.ERR_OUT_OF_MEMORY;
  }
  scopeSize = work;
  resSize = work + <usize>nScopes * 4;

  for (let s: u32 = 0; s < nScopes; s++) {
    let row = scopes + <usize>s * B.S_ROW;
    let first = load<u32>(row + B.S_ITEM_START);
    let count = load<u32>(row + B.S_ITEM_COUNT);
    let content: usize = anyNonZero(itemSize, first, count) ? walkScopeList(0, s) : 0;
    store<u32>(scopeSize + <usize>s * 4, <u32>content);
  }
  for (let r: u32 = 0; r < nRes; r++) {
    let row = resRows + <usize>r * B.R_ROW;
    let first = load<u32>(row + B.R_SCOPE_START);
    let count = load<u32>(row + B.R_SCOPE_COUNT);
    let content: usize = anyNonZero(scopeSize, first, count) ? walkResourceList(0, r) : 0;
    store<u32>(resSize + <usize>r * 4, <u32>content);
  }

  let total = walkRequest(0, inLen);
  let out = alloc(total + 16);
  if (!out) {
    free(work);
    failPlain(E.ERR_OUT_OF_MEMORY, total);
    return E.ERR_OUT_OF_MEMORY;
  }
  // The result becomes a batch's input: the readers may peek 16 bytes past its end.
  memory.fill(out + total, 0, 16);
  walkRequest(out, inLen);
  free(work);
  store<u32>(RESULT, <u32>out);
  store<u32>(RESULT + 4, <u32>total);
  return 0;
}

function anyNonZero(sizes: usize, first: u32, count: u32): bool {
  for (let k: u32 = 0; k < count; k++) {
    if (load<u32>(sizes + <usize>(first + k) * 4)) return true;
  }
  return false;
}

/** Emits (or sizes) child `k` of a message, whose original field is [at, after). */
type ChildEmitter = (out: usize, at: usize, after: usize, k: u32) => usize;

/**
 * The content of a request, Resource* or Scope* message [cs, ce): its children (fields tagged
 * `childTag`, numbered from `firstChild`) through `child`, its Resource/InstrumentationScope (tagged
 * `messageTag`) replaced by (repl, replLen) when given — written once, where the first occurrence
 * was (merged occurrences are one) — and every other field copied.
 */
function walkMessage(
  out: usize, cs: usize, ce: usize, childTag: u32, firstChild: u32, child: ChildEmitter,
  messageTag: u32, repl: usize, replLen: usize,
): usize {
  let replDone = false;
  let size: usize = 0;
  let k = firstChild;
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let after = skipTrusted(next, tag & 7);
    let o = out ? out + size : 0;
    if (tag == childTag) {
      size += child(o, at, after, k++);
    } else if (tag == messageTag && repl) {
      if (!replDone) size += emitReplaced(o, messageTag, repl, replLen);
      replDone = true;
    } else {
      size += emitRaw(o, at, after);
    }
    p = after;
  }
  if (repl && !replDone) size += emitReplaced(out ? out + size : 0, messageTag, repl, replLen);
  return size;
}

/** A kept item copied as it came or written with its new content; a dropped one is left out. */
function emitItem(out: usize, at: usize, after: usize, k: u32): usize {
  if (!load<u32>(itemSize + <usize>k * 4)) return 0;
  let src = <usize>load<u32>(itemSrc + <usize>k * 8);
  if (src) return emitReplaced(out, TAG_ITEMS, src, <usize>load<u32>(itemSrc + <usize>k * 8 + 4));
  return emitRaw(out, at, after);
}

/** Content of Scope* `s`: kept items and every other field. */
function walkScopeList(out: usize, s: u32): usize {
  let row = scopes + <usize>s * B.S_ROW;
  let repl = scopeRepl ? <usize>load<u32>(scopeRepl + <usize>s * 8) : 0;
  let replLen = scopeRepl ? <usize>load<u32>(scopeRepl + <usize>s * 8 + 4) : 0;
  return walkMessage(out, IN + load<u32>(row + B.S_CONTENT_START), IN + load<u32>(row + B.S_CONTENT_END), TAG_ITEMS, load<u32>(row + B.S_ITEM_START), emitItem, TAG_SCOPE, repl, replLen);
}

/** A Scope* field with its new content, or nothing when it kept no item. */
function emitScopeList(out: usize, at: usize, after: usize, s: u32): usize {
  let content = <usize>load<u32>(scopeSize + <usize>s * 4);
  if (!content) return 0;
  if (out) walkScopeList(emitHeader(out, TAG_SCOPE_LIST, content), s);
  return fieldSize(content);
}

/** Content of Resource* `r`: kept scopes and every other field. */
function walkResourceList(out: usize, r: u32): usize {
  let row = resRows + <usize>r * B.R_ROW;
  let repl = resourceRepl ? <usize>load<u32>(resourceRepl + <usize>r * 8) : 0;
  let replLen = resourceRepl ? <usize>load<u32>(resourceRepl + <usize>r * 8 + 4) : 0;
  return walkMessage(out, IN + load<u32>(row + B.R_CONTENT_START), IN + load<u32>(row + B.R_CONTENT_END), TAG_SCOPE_LIST, load<u32>(row + B.R_SCOPE_START), emitScopeList, TAG_RESOURCE, repl, replLen);
}

/** A Resource* field with its new content, or nothing when it kept no scope. */
function emitResourceList(out: usize, at: usize, after: usize, r: u32): usize {
  let content = <usize>load<u32>(resSize + <usize>r * 4);
  if (!content) return 0;
  if (out) walkResourceList(emitHeader(out, TAG_RESOURCE_LIST, content), r);
  return fieldSize(content);
}

function walkRequest(out: usize, inLen: usize): usize {
  // The request has no message of its own to replace: messageTag 0 never matches a tag.
  return walkMessage(out, IN, IN + inLen, TAG_RESOURCE_LIST, 0, emitResourceList, 0, 0, 0);
}
