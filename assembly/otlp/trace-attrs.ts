// Builds a trace batch's attribute table on first use (envelope-attrs.ts walks resources and
// scopes): per span its own attributes, then its events', then its links' — the order in which the
// index pass numbered them.
import * as L from '../abi/trace-layout';
import { WT_LEN } from '../wire/reader';
import { appendTagged, attrInput, buildAttributes } from './envelope-attrs';

let spans: usize = 0;
let events: usize = 0;
let links: usize = 0;

function appendSpan(i: u32): bool {
  let IN = attrInput();
  let row = spans + <usize>i * L.SP_ROW;
  if (!appendTagged(IN + load<u32>(row + L.SP_CONTENT_START), IN + load<u32>(row + L.SP_CONTENT_END), (9 << 3) | WT_LEN, load<u32>(row + L.SP_ATTR_COUNT))) return false;
  let e0 = load<u32>(row + L.SP_EVENT_START);
  let ne = load<u32>(row + L.SP_EVENT_COUNT);
  for (let e = e0; e < e0 + ne; e++) {
    let erow = events + <usize>e * L.E_ROW;
    if (!appendTagged(IN + load<u32>(erow + L.E_CONTENT_START), IN + load<u32>(erow + L.E_CONTENT_END), (3 << 3) | WT_LEN, load<u32>(erow + L.E_ATTR_COUNT))) return false;
  }
  let l0 = load<u32>(row + L.SP_LINK_START);
  let nl = load<u32>(row + L.SP_LINK_COUNT);
  for (let k = l0; k < l0 + nl; k++) {
    let lrow = links + <usize>k * L.L_ROW;
    if (!appendTagged(IN + load<u32>(lrow + L.L_CONTENT_START), IN + load<u32>(lrow + L.L_CONTENT_END), (4 << 3) | WT_LEN, load<u32>(lrow + L.L_ATTR_COUNT))) return false;
  }
  return true;
}

/** Returns 0, or an error code (out of memory) with the batch unchanged. */
export function traceIndexAttributes(header: usize): u32 {
  spans = <usize>load<u32>(header + L.B_SPANS);
  events = <usize>load<u32>(header + L.B_EVENTS);
  links = <usize>load<u32>(header + L.B_LINKS);
  return buildAttributes(header, appendSpan);
}
