// Builds a batch's attribute table on first use, for every signal. The index pass validated every
// attribute and fixed each owner's start and count, numbering attributes in the order this walk
// visits them: per resource its Resource's attributes, then per scope the scope's, then per item
// whatever the signal's appender adds (a span's own, its events', its links'…) — so rows land
// exactly where the owners expect.
import * as B from '../abi/batch-layout';
import * as E from '../abi/errors';
import { clearError, failPlain, setInputBase } from '../errors';
import { readVarintTrusted, skipTrusted, next, WT_LEN } from '../wire/reader';
import { attrBuildBegin, attrAppend, attrBuildAbort, attrCountSoFar, attrTable, nestedTable, nestedRows } from './attr-build';

/** Appends item `i`'s attributes (and any other rows it owns, in index order); false on error. */
export type ItemAttrAppender = (i: u32) => bool;

const TAG_RESOURCE: u32 = (1 << 3) | WT_LEN;
const TAG_SCOPE: u32 = (1 << 3) | WT_LEN;
const TAG_RESOURCE_ATTR: u32 = (1 << 3) | WT_LEN;
const TAG_SCOPE_ATTR: u32 = (3 << 3) | WT_LEN;

let IN: usize = 0;

/** The input of the batch being built (item appenders address its bytes). */
export function attrInput(): usize {
  return IN;
}

/** Appends the first `limit` fields tagged `tag` found in [cs, ce) as attributes. */
export function appendTagged(cs: usize, ce: usize, tag: u32, limit: u32): bool {
  let n: u32 = 0;
  let p = cs;
  while (p < ce && n < limit) {
    let t = <u32>readVarintTrusted(p);
    p = next;
    if (t == tag) {
      let len = <usize>readVarintTrusted(p);
      let vs = next;
      if (!attrAppend(vs, vs + len)) return false;
      n++;
      p = vs + len;
    } else {
      p = skipTrusted(p, t & 7);
    }
  }
  return true;
}

/** Attributes of every occurrence of the message field `msgTag` inside [cs, ce). */
export function appendNested(cs: usize, ce: usize, msgTag: u32, attrTag: u32): bool {
  let p = cs;
  while (p < ce) {
    let t = <u32>readVarintTrusted(p);
    p = next;
    if (t == msgTag) {
      let len = <usize>readVarintTrusted(p);
      let vs = next;
      if (!appendTagged(vs, vs + len, attrTag, 0xffffffff)) return false;
      p = vs + len;
    } else {
      p = skipTrusted(p, t & 7);
    }
  }
  return true;
}

/** Returns 0, or an error code (out of memory) with the batch unchanged. */
export function buildAttributes(header: usize, appendItem: ItemAttrAppender): u32 {
  clearError();
  if (load<u32>(header + B.B_FLAGS) & B.BATCH_ATTRS_BUILT) return 0;
  IN = <usize>load<u32>(header + B.B_INPUT);
  setInputBase(IN);
  let total = load<u32>(header + B.B_ATTR_COUNT);
  if (!attrBuildBegin(IN, total, total / 16 + 16, load<u32>(header + B.B_DEPTH_LIMIT))) return E.ERR_OUT_OF_MEMORY;
  let resources = <usize>load<u32>(header + B.B_RESOURCES);
  let scopes = <usize>load<u32>(header + B.B_SCOPES);
  let nRes = load<u32>(header + B.B_RESOURCE_COUNT);
  let ok = true;
  for (let r: u32 = 0; ok && r < nRes; r++) {
    let rrow = resources + <usize>r * B.R_ROW;
    ok = appendNested(IN + load<u32>(rrow + B.R_CONTENT_START), IN + load<u32>(rrow + B.R_CONTENT_END), TAG_RESOURCE, TAG_RESOURCE_ATTR);
    let firstScope = load<u32>(rrow + B.R_SCOPE_START);
    let nScopes = load<u32>(rrow + B.R_SCOPE_COUNT);
    for (let s = firstScope; ok && s < firstScope + nScopes; s++) {
      let srow = scopes + <usize>s * B.S_ROW;
      ok = appendNested(IN + load<u32>(srow + B.S_CONTENT_START), IN + load<u32>(srow + B.S_CONTENT_END), TAG_SCOPE, TAG_SCOPE_ATTR);
      let first = load<u32>(srow + B.S_ITEM_START);
      let n = load<u32>(srow + B.S_ITEM_COUNT);
      for (let i = first; ok && i < first + n; i++) ok = appendItem(i);
    }
  }
  if (!ok) {
    attrBuildAbort();
    return E.ERR_OUT_OF_MEMORY;
  }
  if (attrCountSoFar() != total) {
    // The index pass and this walk disagree: a bug, never bad input. Refuse rather than mislabel.
    attrBuildAbort();
    failPlain(E.ERR_BAD_ARGUMENT, <u64>attrCountSoFar());
    return E.ERR_BAD_ARGUMENT;
  }
  store<u32>(header + B.B_ATTRS, <u32>attrTable());
  store<u32>(header + B.B_NESTED, <u32>nestedTable());
  store<u32>(header + B.B_NESTED_COUNT, nestedRows());
  store<u32>(header + B.B_FLAGS, load<u32>(header + B.B_FLAGS) | B.BATCH_ATTRS_BUILT);
  return 0;
}
