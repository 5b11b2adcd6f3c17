// One pass over an ExportLogsServiceRequest that validates all of it and builds the log record
// table (abi/logs-layout.ts). The envelope is envelope-index.ts's; this file parses LogRecords.
// Attributes and bodies are validated and counted here; their rows are built on demand
// (logs-attrs.ts), the body right after the record's attributes.
import * as L from '../abi/logs-layout';
import * as B from '../abi/batch-layout';
import * as E from '../abi/errors';
import { allocZeroed, free } from '../mem/alloc';
import { failLimit, failed, setContext } from '../errors';
import { readVarint, readTag, readLen, readFixed64, readFixed32, skipValue, next, WT_VARINT, WT_FIXED64, WT_LEN, WT_FIXED32 } from '../wire/reader';
import { checkAttribute, checkValue } from './attr-check';
import { indexEnvelope, itemCount, attrTotal, addAttr } from './envelope-index';
import { UNLIMITED, wrongWireType, readId, satAdd, readLimit, startRow } from './index-util';

let IN: usize = 0;
let records: usize = 0;
let batchFlags: u32 = 0;
let maxDepth: u32 = 64;
let maxRecordAttrs: u32 = 128;
let maxRecords: u32 = UNLIMITED;

// @ts-ignore: decorator
@inline function rel(p: usize): u32 {
  return <u32>(p - IN);
}

function parseLogRecord(i: u32, s: u32, r: u32, fieldStart: usize, cs: usize, ce: usize): void {
  let row = records + <usize>i * L.LR_ROW;
  startRow(row, IN, fieldStart, cs, ce, s);
  store<u32>(row + L.LR_RESOURCE, r);
  store<u32>(row + L.LR_ATTR_START, attrTotal());
  store<u32>(row + L.LR_BODY_ROW, B.NO_ROW);
  let stored: u32 = 0;
  let extra: u32 = 0;
  let presence: u32 = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_LOG_RECORD, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    let wt = tag & 7;
    setContext(E.MSG_LOG_RECORD, f);
    switch (f) {
      case 1:
      case 11: {
        if (wt != WT_FIXED64) return wrongWireType(tag, at);
        let v = readFixed64(p, ce);
        if (failed) return;
        store<u64>(row + (f == 1 ? L.LR_TIME : L.LR_OBSERVED_TIME), v);
        p = next;
        break;
      }
      case 2:
      case 7: {
        if (wt != WT_VARINT) return wrongWireType(tag, at);
        let v = readVarint(p, ce);
        if (failed) return;
        store<u32>(row + (f == 2 ? L.LR_SEVERITY : L.LR_DROPPED_ATTRS), <u32>v);
        p = next;
        break;
      }
      case 3:
      case 12: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let len = readLen(p, ce);
        if (failed) return;
        store<u32>(row + (f == 3 ? L.LR_SEVERITY_TEXT_OFF : L.LR_EVENT_NAME_OFF), rel(next));
        store<u32>(row + (f == 3 ? L.LR_SEVERITY_TEXT_LEN : L.LR_EVENT_NAME_LEN), len);
        p = next + len;
        break;
      }
      case 5: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let len = readLen(p, ce);
        if (failed) return;
        let vs = next;
        if (!checkValue(vs, vs + len)) return;
        // A repeated body: the last one wins, as for any AnyValue the core reads (KeyValue.value).
        store<u32>(row + L.LR_BODY_OFF, rel(vs));
        store<u32>(row + L.LR_BODY_LEN, len);
        presence |= L.P_BODY;
        p = vs + len;
        break;
      }
      case 6: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let len = readLen(p, ce);
        if (failed) return;
        let vs = next;
        if (!checkAttribute(vs, vs + len)) return;
        if (stored < maxRecordAttrs) {
          stored++;
          addAttr();
        } else {
          extra++;
        }
        p = vs + len;
        break;
      }
      case 8: {
        if (wt != WT_FIXED32) return wrongWireType(tag, at);
        let v = readFixed32(p, ce);
        if (failed) return;
        store<u32>(row + L.LR_FLAGS, v);
        presence |= L.P_FLAGS;
        p = next;
        break;
      }
      case 9:
      case 10: {
        if (wt != WT_LEN) return wrongWireType(tag, at);
        let n = readId(p, ce, at, row + (f == 9 ? L.LR_TRACE_ID : L.LR_SPAN_ID), f == 9 ? 16 : 8);
        if (n < 0) return;
        let bit = f == 9 ? L.P_TRACE_ID : L.P_SPAN_ID;
        presence = n ? presence | bit : presence & ~bit;
        p = next + <usize>n;
        break;
      }
      default: {
        p = skipValue(p, ce, tag, at);
        if (failed) return;
      }
    }
  }
  store<u32>(row + L.LR_ATTR_COUNT, stored);
  // The body's row follows the record's attributes (logs-attrs.ts builds them in this order).
  if (presence & L.P_BODY) {
    store<u32>(row + L.LR_BODY_ROW, attrTotal());
    addAttr();
  }
  if (extra) {
    store<u32>(row + L.LR_DROPPED_ATTRS, satAdd(load<u32>(row + L.LR_DROPPED_ATTRS), extra));
    presence |= L.P_REWRITE;
    batchFlags |= B.BATCH_NEEDS_REWRITE;
  }
  store<u32>(row + L.LR_PRESENCE, presence);
}

function allocTables(len: usize): bool {
  if (itemCount > maxRecords) {
    failLimit(E.MSG_LOG_RECORD, maxRecords);
    return false;
  }
  records = allocZeroed(<usize>max<u32>(itemCount, 1) * L.LR_ROW);
  return records != 0;
}

function releaseTables(): void {
  free(records);
}

/**
 * Indexes `len` bytes at `input` (allocated with 16 bytes of slack; the batch takes ownership on
 * success). Returns the batch header, or 0 with the error recorded (the input stays the caller's).
 */
export function logsIndex(input: usize, len: usize, opts: usize): usize {
  IN = input;
  maxDepth = readLimit(opts, L.O_MAX_DEPTH, 64);
  maxRecordAttrs = readLimit(opts, L.O_MAX_RECORD_ATTRS, 128);
  maxRecords = readLimit(opts, L.O_MAX_RECORDS, UNLIMITED);
  batchFlags = 0;
  records = 0;
  let header = indexEnvelope(input, len, maxDepth, E.MSG_LOGS_REQUEST, E.MSG_RESOURCE_LOGS, E.MSG_SCOPE_LOGS, allocTables, parseLogRecord, releaseTables);
  if (!header) return 0;
  store<u32>(header + L.B_RECORDS, <u32>records);
  store<u32>(header + B.B_FLAGS, batchFlags);
  return header;
}

/** Frees a batch: its tables, its input bytes and any lazily built structures. */
export function logsFree(header: usize): void {
  if (!header) return;
  free(<usize>load<u32>(header + B.B_INPUT));
  free(<usize>load<u32>(header + B.B_RESOURCES));
  free(<usize>load<u32>(header + B.B_SCOPES));
  free(<usize>load<u32>(header + L.B_RECORDS));
  free(<usize>load<u32>(header + B.B_ATTRS));
  free(<usize>load<u32>(header + B.B_NESTED));
  free(<usize>load<u32>(header + B.B_EXTRA));
  free(header);
}
