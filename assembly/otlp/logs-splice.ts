// The splice encoder for logs: kept log records are copied byte for byte, records the decode limits
// truncated are re-emitted without the attributes they cut (dropped_attributes_count raised), and
// the envelope around them is rewritten by envelope-splice.ts.
import * as L from '../abi/logs-layout';
import * as B from '../abi/batch-layout';
import { emitTruncated } from './splice-emit';
import { spliceItems, PLAN_COPY, PLAN_RENDER } from './envelope-splice';

let IN: usize = 0;
let records: usize = 0;

function planRecord(i: u32): u32 {
  return load<u32>(records + <usize>i * L.LR_ROW + L.LR_PRESENCE) & L.P_REWRITE ? PLAN_RENDER : PLAN_COPY;
}

function renderRecord(out: usize, i: u32): usize {
  let row = records + <usize>i * L.LR_ROW;
  let cs = IN + load<u32>(row + L.LR_CONTENT_START);
  let ce = IN + load<u32>(row + L.LR_CONTENT_END);
  return emitTruncated(out, cs, ce, 6, load<u32>(row + L.LR_ATTR_COUNT), 7, load<u32>(row + L.LR_DROPPED_ATTRS));
}

/**
 * Writes a new request. `keep` holds one byte per log record (non-zero = keep) or is 0 for all;
 * `recordRepl`, `resourceRepl`, `scopeRepl` hold (pointer, length) pairs per record / resource /
 * scope giving new content for the LogRecord, Resource or InstrumentationScope message (pointer 0
 * = unchanged), or are 0. Returns 0 with the output in spliceResult(), else an error code.
 */
export function logsSplice(header: usize, keep: usize, recordRepl: usize, resourceRepl: usize, scopeRepl: usize): u32 {
  IN = <usize>load<u32>(header + B.B_INPUT);
  records = <usize>load<u32>(header + L.B_RECORDS);
  return spliceItems(header, records, L.LR_ROW, keep, recordRepl, planRecord, renderRecord, resourceRepl, scopeRepl);
}
