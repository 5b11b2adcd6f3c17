// Removing span events (the filter processor's spanevent conditions): for every kept span that
// loses events, new Span content is written — every field copied as it came except the dropped
// event fields — and handed to the splice as a replacement. Spans keep their dropped_events_count
// (the collector removes the events without counting them). Spans that lose nothing are not
// touched, so the splice still copies them byte for byte.
import * as L from '../abi/trace-layout';
import * as E from '../abi/errors';
import * as F from '../abi/filter-layout';
import { alloc, allocZeroed, free } from '../mem/alloc';
import { clearError, failPlain } from '../errors';
import { readVarintTrusted, skipTrusted, next, WT_LEN } from '../wire/reader';

/** Result of traceDropEvents (layout ED_* in abi/filter-layout.ts). */
const RESULT = memory.data(F.ED_SIZE, 8);

export function eventDropResult(): usize {
  return RESULT;
}

/** Whether span `row` has an event `eventKeep` drops. */
function losesEvents(row: usize, eventKeep: usize): bool {
  let first = load<u32>(row + L.SP_EVENT_START);
  let count = load<u32>(row + L.SP_EVENT_COUNT);
  for (let e = first; e < first + count; e++) if (!load<u8>(eventKeep + e)) return true;
  return false;
}

/** Size of span `row`'s content without the dropped events (written at `out` unless 0). */
function rewrite(out: usize, input: usize, row: usize, eventKeep: usize): usize {
  let p = input + <usize>load<u32>(row + L.SP_CONTENT_START);
  let end = input + <usize>load<u32>(row + L.SP_CONTENT_END);
  let event = load<u32>(row + L.SP_EVENT_START);
  let size: usize = 0;
  while (p < end) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let after = skipTrusted(next, tag & 7);
    let keep = true;
    if (tag >>> 3 == 11 && (tag & 7) == WT_LEN) keep = load<u8>(eventKeep + event++) != 0;
    if (keep) {
      if (out) memory.copy(out + size, at, after - at);
      size += after - at;
    }
    p = after;
  }
  return size;
}

/**
 * For the batch at `header` (no span truncated by the decode limits), `eventKeep` one byte per
 * event (0 = drop), `spanKeep` one byte per span or 0 (events of dropped spans are not looked
 * at): writes replacement content for the kept spans that lose events. Returns 0 with the table
 * and content in eventDropResult() (owned by the caller; both 0 when nothing changed), or an
 * error code.
 */
export function traceDropEvents(header: usize, eventKeep: usize, spanKeep: usize): u32 {
  clearError();
  memory.fill(RESULT, 0, F.ED_SIZE);
  if (load<u32>(header + L.B_FLAGS) & L.BATCH_NEEDS_REWRITE) {
    failPlain(E.ERR_BAD_ARGUMENT, 1);
    return E.ERR_BAD_ARGUMENT;
  }
  let input = <usize>load<u32>(header + L.B_INPUT);
  let spans = <usize>load<u32>(header + L.B_SPANS);
  let n = load<u32>(header + L.B_SPAN_COUNT);
  let total: usize = 0;
  let changed: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    if (spanKeep && !load<u8>(spanKeep + i)) continue;
    let row = spans + <usize>i * L.SP_ROW;
    if (!losesEvents(row, eventKeep)) continue;
    total += rewrite(0, input, row, eventKeep);
    changed++;
  }
  if (!changed) return 0;
  let table = allocZeroed(<usize>n * 8);
  let content = alloc(max<usize>(total, 1));
  if (!table || !content) {
    free(table);
    free(content);
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>total + <u64>n * 8);
    return E.ERR_OUT_OF_MEMORY;
  }
  let at = content;
  for (let i: u32 = 0; i < n; i++) {
    if (spanKeep && !load<u8>(spanKeep + i)) continue;
    let row = spans + <usize>i * L.SP_ROW;
    if (!losesEvents(row, eventKeep)) continue;
    let len = rewrite(at, input, row, eventKeep);
    store<u32>(table + (<usize>i << 3), <u32>at);
    store<u32>(table + (<usize>i << 3) + 4, <u32>len);
    at += len;
  }
  store<u32>(RESULT + F.ED_TABLE, <u32>table);
  store<u32>(RESULT + F.ED_CONTENT, <u32>content);
  store<u32>(RESULT + F.ED_SPANS, changed);
  return 0;
}
