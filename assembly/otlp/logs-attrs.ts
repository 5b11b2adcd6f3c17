// Builds a log batch's attribute table on first use (envelope-attrs.ts walks resources and scopes):
// per record its attributes (the first LR_ATTR_COUNT, as the index kept them), then its body as a
// keyless row — the order in which logs-index.ts numbered them.
import * as L from '../abi/logs-layout';
import { WT_LEN } from '../wire/reader';
import { attrAppendValue } from './attr-build';
import { appendTagged, attrInput, buildAttributes } from './envelope-attrs';

const TAG_ATTRIBUTES: u32 = (6 << 3) | WT_LEN;

let records: usize = 0;

function appendRecord(i: u32): bool {
  let IN = attrInput();
  let row = records + <usize>i * L.LR_ROW;
  if (!appendTagged(IN + load<u32>(row + L.LR_CONTENT_START), IN + load<u32>(row + L.LR_CONTENT_END), TAG_ATTRIBUTES, load<u32>(row + L.LR_ATTR_COUNT))) return false;
  if (!(load<u32>(row + L.LR_PRESENCE) & L.P_BODY)) return true;
  let body = IN + load<u32>(row + L.LR_BODY_OFF);
  return attrAppendValue(body, body + load<u32>(row + L.LR_BODY_LEN));
}

/** Returns 0, or an error code (out of memory) with the batch unchanged. */
export function logsIndexAttributes(header: usize): u32 {
  records = <usize>load<u32>(header + L.B_RECORDS);
  return buildAttributes(header, appendRecord);
}
