// Builds a trace batch's attribute table on first use. The index pass already validated every
// attribute and fixed each owner's start and count, numbering attributes in the order this walk
// visits them: per ResourceSpans its Resource's attributes, then per ScopeSpans the scope's, then
// per span its own, its events' and its links' — so rows land exactly where the owners expect.
import * as L from '../abi/trace-layout';
import * as E from '../abi/errors';
import { clearError, failPlain, setInputBase } from '../errors';
import { readVarintTrusted, skipTrusted, next, WT_LEN } from '../wire/reader';
import { attrBuildBegin, attrAppend, attrBuildAbort, attrCountSoFar, attrTable, nestedTable, nestedRows } from './attr-build';

const TAG_RESOURCE: u32 = (1 << 3) | WT_LEN;
const TAG_SCOPE: u32 = (1 << 3) | WT_LEN;

let IN: usize = 0;

/** Appends the first `limit` fields tagged `tag` found in [cs, ce) as attributes. */
function appendTagged(cs: usize, ce: usize, tag: u32, limit: u32): bool {
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
function appendNested(cs: usize, ce: usize, msgTag: u32, attrTag: u32): bool {
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
export function traceIndexAttributes(header: usize): u32 {
  clearError();
  if (load<u32>(header + L.B_FLAGS) & L.BATCH_ATTRS_BUILT) return 0;
  IN = <usize>load<u32>(header + L.B_INPUT);
  setInputBase(IN);
  let total = load<u32>(header + L.B_ATTR_COUNT);
  if (!attrBuildBegin(IN, total, total / 16 + 16, load<u32>(header + L.B_DEPTH_LIMIT))) return E.ERR_OUT_OF_MEMORY;
  let resources = <usize>load<u32>(header + L.B_RESOURCES);
  let scopes = <usize>load<u32>(header + L.B_SCOPES);
  let spans = <usize>load<u32>(header + L.B_SPANS);
  let events = <usize>load<u32>(header + L.B_EVENTS);
  let links = <usize>load<u32>(header + L.B_LINKS);
  let nRes = load<u32>(header + L.B_RESOURCE_COUNT);
  let ok = true;
  for (let r: u32 = 0; ok && r < nRes; r++) {
    let rrow = resources + <usize>r * L.R_ROW;
    ok = appendNested(IN + load<u32>(rrow + L.R_CONTENT_START), IN + load<u32>(rrow + L.R_CONTENT_END), TAG_RESOURCE, (1 << 3) | WT_LEN);
    let firstScope = load<u32>(rrow + L.R_SCOPE_START);
    let nScopes = load<u32>(rrow + L.R_SCOPE_COUNT);
    for (let s = firstScope; ok && s < firstScope + nScopes; s++) {
      let srow = scopes + <usize>s * L.S_ROW;
      ok = appendNested(IN + load<u32>(srow + L.S_CONTENT_START), IN + load<u32>(srow + L.S_CONTENT_END), TAG_SCOPE, (3 << 3) | WT_LEN);
      let firstSpan = load<u32>(srow + L.S_SPAN_START);
      let nSpans = load<u32>(srow + L.S_SPAN_COUNT);
      for (let i = firstSpan; ok && i < firstSpan + nSpans; i++) {
        let row = spans + <usize>i * L.SP_ROW;
        ok = appendTagged(IN + load<u32>(row + L.SP_CONTENT_START), IN + load<u32>(row + L.SP_CONTENT_END), (9 << 3) | WT_LEN, load<u32>(row + L.SP_ATTR_COUNT));
        let e0 = load<u32>(row + L.SP_EVENT_START);
        let ne = load<u32>(row + L.SP_EVENT_COUNT);
        for (let e = e0; ok && e < e0 + ne; e++) {
          let erow = events + <usize>e * L.E_ROW;
          ok = appendTagged(IN + load<u32>(erow + L.E_CONTENT_START), IN + load<u32>(erow + L.E_CONTENT_END), (3 << 3) | WT_LEN, load<u32>(erow + L.E_ATTR_COUNT));
        }
        let l0 = load<u32>(row + L.SP_LINK_START);
        let nl = load<u32>(row + L.SP_LINK_COUNT);
        for (let k = l0; ok && k < l0 + nl; k++) {
          let lrow = links + <usize>k * L.L_ROW;
          ok = appendTagged(IN + load<u32>(lrow + L.L_CONTENT_START), IN + load<u32>(lrow + L.L_CONTENT_END), (4 << 3) | WT_LEN, load<u32>(lrow + L.L_ATTR_COUNT));
        }
      }
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
  store<u32>(header + L.B_ATTRS, <u32>attrTable());
  store<u32>(header + L.B_NESTED, <u32>nestedTable());
  store<u32>(header + L.B_NESTED_COUNT, nestedRows());
  store<u32>(header + L.B_FLAGS, load<u32>(header + L.B_FLAGS) | L.BATCH_ATTRS_BUILT);
  return 0;
}
