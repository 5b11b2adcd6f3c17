// The span-set context: spans of one or more batches grouped by trace id, parents resolved by
// span id within the trace, and Tempo's nested-set numbering (DFS from the roots; orphans and
// their subtrees, and cycles, stay unnumbered). Built once per search; a single batch's context is
// cached on the batch (B_EXTRA) and freed with it. Layout in abi/query-layout.ts.
import * as L from '../abi/trace-layout';
import * as Q from '../abi/query-layout';
import * as E from '../abi/errors';
import { alloc, allocZeroed, free } from '../mem/alloc';
import { clearError, failPlain } from '../errors';

const NONE: u32 = Q.Q_NONE;

// @ts-ignore: decorator
@inline function mix(h: u64): u32 {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  return <u32>h;
}

function tableSize(n: u32): u32 {
  let size: u32 = 16;
  while (size < n * 2) size <<= 1;
  return size;
}

/**
 * Builds the context over `n` batch headers stored as u32s at `headers`. Returns 0 with the
 * error recorded when memory runs out.
 */
export function qsetBuild(headers: usize, n: u32): usize {
  clearError();
  if (n == 1) {
    let h = <usize>load<u32>(headers);
    let cached = <usize>load<u32>(h + L.B_EXTRA);
    if (cached) return cached;
  }
  let total: u32 = 0;
  for (let b: u32 = 0; b < n; b++) total += load<u32>(<usize>load<u32>(headers + (<usize>b << 2)) + L.B_SPAN_COUNT);
  let N = <usize>total;

  // Pass 1: trace id → trace index (open addressing over 16-byte ids).
  let tsize = tableSize(total);
  let traceTable = alloc(<usize>tsize << 2); // holds global span index of the trace's first span + 1
  let traceOf = alloc(max<usize>(N, 1) << 2);
  let rows = alloc(max<usize>(N, 1) << 2);
  let batchOf = alloc(max<usize>(N, 1) << 2);
  if (!traceTable || !traceOf || !rows || !batchOf) {
    free(traceTable);
    free(traceOf);
    free(rows);
    free(batchOf);
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>N * 16);
    return 0;
  }
  memory.fill(traceTable, 0, <usize>tsize << 2);
  let traces: u32 = 0;
  let g: u32 = 0;
  for (let b: u32 = 0; b < n; b++) {
    let h = <usize>load<u32>(headers + (<usize>b << 2));
    let spans = <usize>load<u32>(h + L.B_SPANS);
    let count = load<u32>(h + L.B_SPAN_COUNT);
    for (let i: u32 = 0; i < count; i++, g++) {
      let row = spans + <usize>i * L.SP_ROW;
      store<u32>(rows + (<usize>g << 2), <u32>row);
      store<u32>(batchOf + (<usize>g << 2), b);
      let lo = load<u64>(row + L.SP_TRACE_ID);
      let hi = load<u64>(row + L.SP_TRACE_ID + 8);
      let slot = mix(lo ^ (hi * 0x9e3779b97f4a7c15)) & (tsize - 1);
      while (true) {
        let e = load<u32>(traceTable + (<usize>slot << 2));
        if (e == 0) {
          store<u32>(traceTable + (<usize>slot << 2), g + 1);
          store<u32>(traceOf + (<usize>g << 2), traces++);
          break;
        }
        let other = <usize>load<u32>(rows + (<usize>(e - 1) << 2));
        if (load<u64>(other + L.SP_TRACE_ID) == lo && load<u64>(other + L.SP_TRACE_ID + 8) == hi) {
          store<u32>(traceOf + (<usize>g << 2), load<u32>(traceOf + (<usize>(e - 1) << 2)));
          break;
        }
        slot = (slot + 1) & (tsize - 1);
      }
    }
  }
  free(traceTable);
  let T = <usize>traces;

  // The context block.
  let off: usize = Q.Q_HEADER_SIZE;
  let oBatches = off;
  off += (<usize>n << 2);
  off = (off + 7) & ~7;
  let oStart = off;
  off += T << 3;
  let oEnd = off;
  off += T << 3;
  let oRow = off;
  off += N << 2;
  let oBatch = off;
  off += N << 2;
  let oTrace = off;
  off += N << 2;
  let oParent = off;
  off += N << 2;
  let oLeft = off;
  off += N << 2;
  let oRight = off;
  off += N << 2;
  let oNsParent = off;
  off += N << 2;
  let oChildren = off;
  off += N << 2;
  let oOrder = off;
  off += N << 2;
  let oFirst = off;
  off += T << 2;
  let oSize = off;
  off += T << 2;
  let oRoot = off;
  off += T << 2;
  let oHashDir = off;
  off += (<usize>n << 3);
  let oHashes = off;
  let totalAttrs: usize = 0;
  for (let b: u32 = 0; b < n; b++) totalAttrs += <usize>load<u32>(<usize>load<u32>(headers + (<usize>b << 2)) + L.B_ATTR_COUNT);
  off += totalAttrs << 2;
  let ctx = allocZeroed(off);
  // Temporaries: span-id table, children CSR, DFS stack.
  let ssize = tableSize(total);
  let spanTable = alloc(<usize>ssize << 2);
  let childStart = alloc((N + 1) << 2);
  let childList = alloc(max<usize>(N, 1) << 2);
  let stack = alloc(max<usize>(N, 1) << 3);
  if (!ctx || !spanTable || !childStart || !childList || !stack) {
    free(ctx);
    free(spanTable);
    free(childStart);
    free(childList);
    free(stack);
    free(traceOf);
    free(rows);
    free(batchOf);
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>off);
    return 0;
  }
  store<u32>(ctx + Q.Q_SPAN_COUNT, total);
  store<u32>(ctx + Q.Q_TRACE_COUNT, traces);
  store<u32>(ctx + Q.Q_BATCH_COUNT, n);
  store<u32>(ctx + Q.Q_BATCHES, <u32>(ctx + oBatches));
  store<u32>(ctx + Q.Q_SPAN_ROW, <u32>(ctx + oRow));
  store<u32>(ctx + Q.Q_SPAN_BATCH, <u32>(ctx + oBatch));
  store<u32>(ctx + Q.Q_TRACE_OF, <u32>(ctx + oTrace));
  store<u32>(ctx + Q.Q_PARENT, <u32>(ctx + oParent));
  store<u32>(ctx + Q.Q_LEFT, <u32>(ctx + oLeft));
  store<u32>(ctx + Q.Q_RIGHT, <u32>(ctx + oRight));
  store<u32>(ctx + Q.Q_NS_PARENT, <u32>(ctx + oNsParent));
  store<u32>(ctx + Q.Q_CHILDREN, <u32>(ctx + oChildren));
  store<u32>(ctx + Q.Q_ORDER, <u32>(ctx + oOrder));
  store<u32>(ctx + Q.Q_TRACE_FIRST, <u32>(ctx + oFirst));
  store<u32>(ctx + Q.Q_TRACE_SIZE, <u32>(ctx + oSize));
  store<u32>(ctx + Q.Q_TRACE_ROOT, <u32>(ctx + oRoot));
  store<u32>(ctx + Q.Q_TRACE_START, <u32>(ctx + oStart));
  store<u32>(ctx + Q.Q_TRACE_END, <u32>(ctx + oEnd));
  store<u32>(ctx + Q.Q_ATTR_HASHES, <u32>(ctx + oHashDir));
  let hashAt = ctx + oHashes;
  for (let b: u32 = 0; b < n; b++) {
    store<u32>(ctx + oHashDir + (<usize>b << 3), <u32>hashAt);
    hashAt += <usize>load<u32>(<usize>load<u32>(headers + (<usize>b << 2)) + L.B_ATTR_COUNT) << 2;
  }
  memory.copy(ctx + oBatches, headers, <usize>n << 2);
  memory.copy(ctx + oRow, rows, N << 2);
  memory.copy(ctx + oBatch, batchOf, N << 2);
  memory.copy(ctx + oTrace, traceOf, N << 2);
  free(rows);
  free(batchOf);
  free(traceOf);
  rows = ctx + oRow;
  traceOf = ctx + oTrace;

  // Trace sizes, order, start/end, roots.
  let first = ctx + oFirst;
  let size = ctx + oSize;
  let root = ctx + oRoot;
  let tStart = ctx + oStart;
  let tEnd = ctx + oEnd;
  for (let t: usize = 0; t < T; t++) {
    store<u32>(root + (t << 2), NONE);
    store<u64>(tStart + (t << 3), 0xffffffffffffffff);
  }
  for (let i: usize = 0; i < N; i++) {
    let t = <usize>load<u32>(traceOf + (i << 2));
    store<u32>(size + (t << 2), load<u32>(size + (t << 2)) + 1);
    let row = <usize>load<u32>(rows + (i << 2));
    let s = load<u64>(row + L.SP_START);
    let e = load<u64>(row + L.SP_END);
    if (s < load<u64>(tStart + (t << 3))) store<u64>(tStart + (t << 3), s);
    if (e > load<u64>(tEnd + (t << 3))) store<u64>(tEnd + (t << 3), e);
    if (!(load<u32>(row + L.SP_PRESENCE) & L.P_PARENT) && load<u32>(root + (t << 2)) == NONE) store<u32>(root + (t << 2), <u32>i);
  }
  let acc: u32 = 0;
  for (let t: usize = 0; t < T; t++) {
    store<u32>(first + (t << 2), acc);
    acc += load<u32>(size + (t << 2));
  }
  // Fill ORDER using childStart as a per-trace cursor temporarily (T <= N).
  let order = ctx + oOrder;
  for (let t: usize = 0; t < T; t++) store<u32>(childStart + (t << 2), load<u32>(first + (t << 2)));
  for (let i: usize = 0; i < N; i++) {
    let t = <usize>load<u32>(traceOf + (i << 2));
    let pos = load<u32>(childStart + (t << 2));
    store<u32>(order + (<usize>pos << 2), <u32>i);
    store<u32>(childStart + (t << 2), pos + 1);
  }

  // Parents: (trace, span id) → span index.
  memory.fill(spanTable, 0, <usize>ssize << 2);
  for (let i: usize = 0; i < N; i++) {
    let row = <usize>load<u32>(rows + (i << 2));
    let id = load<u64>(row + L.SP_SPAN_ID);
    let t = load<u32>(traceOf + (i << 2));
    let slot = mix(id ^ (<u64>t * 0x9e3779b97f4a7c15)) & (ssize - 1);
    while (true) {
      let e = load<u32>(spanTable + (<usize>slot << 2));
      if (e == 0) {
        store<u32>(spanTable + (<usize>slot << 2), <u32>i + 1);
        break;
      }
      let j = <usize>(e - 1);
      // Duplicate span ids in a trace: the first one keeps the id.
      if (load<u32>(traceOf + (j << 2)) == t && load<u64>(<usize>load<u32>(rows + (j << 2)) + L.SP_SPAN_ID) == id) break;
      slot = (slot + 1) & (ssize - 1);
    }
  }
  let parent = ctx + oParent;
  let children = ctx + oChildren;
  for (let i: usize = 0; i < N; i++) {
    store<u32>(parent + (i << 2), NONE);
    let row = <usize>load<u32>(rows + (i << 2));
    if (!(load<u32>(row + L.SP_PRESENCE) & L.P_PARENT)) continue;
    let pid = load<u64>(row + L.SP_PARENT_ID);
    let t = load<u32>(traceOf + (i << 2));
    let slot = mix(pid ^ (<u64>t * 0x9e3779b97f4a7c15)) & (ssize - 1);
    while (true) {
      let e = load<u32>(spanTable + (<usize>slot << 2));
      if (e == 0) break;
      let j = <usize>(e - 1);
      if (load<u32>(traceOf + (j << 2)) == t && load<u64>(<usize>load<u32>(rows + (j << 2)) + L.SP_SPAN_ID) == pid) {
        if (j != i) {
          store<u32>(parent + (i << 2), <u32>j);
          store<u32>(children + (j << 2), load<u32>(children + (j << 2)) + 1);
        }
        break;
      }
      slot = (slot + 1) & (ssize - 1);
    }
  }
  free(spanTable);
  // Children lists (CSR), in wire order.
  let sum: u32 = 0;
  for (let i: usize = 0; i < N; i++) {
    store<u32>(childStart + (i << 2), sum);
    sum += load<u32>(children + (i << 2));
  }
  store<u32>(childStart + (N << 2), sum);
  // Reuse NS_PARENT as a fill cursor, then reset it.
  let nsParent = ctx + oNsParent;
  for (let i: usize = 0; i < N; i++) store<u32>(nsParent + (i << 2), 0);
  for (let i: usize = 0; i < N; i++) {
    let p = load<u32>(parent + (i << 2));
    if (p == NONE) continue;
    let k = load<u32>(nsParent + (<usize>p << 2));
    store<u32>(childList + ((<usize>load<u32>(childStart + (<usize>p << 2)) + <usize>k) << 2), <u32>i);
    store<u32>(nsParent + (<usize>p << 2), k + 1);
  }
  for (let i: usize = 0; i < N; i++) store<i32>(nsParent + (i << 2), 0);
  // Nested sets: per trace, DFS from each root in wire order; counters start at 1.
  let left = ctx + oLeft;
  let right = ctx + oRight;
  for (let t: usize = 0; t < T; t++) {
    let counter: i32 = 1;
    let f = <usize>load<u32>(first + (t << 2));
    let sz = <usize>load<u32>(size + (t << 2));
    for (let k: usize = 0; k < sz; k++) {
      let r = <usize>load<u32>(order + ((f + k) << 2));
      let row = <usize>load<u32>(rows + (r << 2));
      if (load<u32>(row + L.SP_PRESENCE) & L.P_PARENT) continue;
      // Iterative DFS: stack of (span, next child position).
      let sp: usize = 0;
      store<i32>(left + (r << 2), counter++);
      store<i32>(nsParent + (r << 2), -1);
      store<u32>(stack, <u32>r);
      store<u32>(stack + 4, 0);
      sp = 1;
      while (sp > 0) {
        let top = stack + ((sp - 1) << 3);
        let s = <usize>load<u32>(top);
        let c = load<u32>(top + 4);
        let cs = load<u32>(childStart + (s << 2));
        let ce = load<u32>(childStart + ((s + 1) << 2));
        if (cs + c < ce) {
          store<u32>(top + 4, c + 1);
          let ch = <usize>load<u32>(childList + (<usize>(cs + c) << 2));
          if (load<i32>(left + (ch << 2)) != 0) continue; // already numbered (cannot happen in a tree)
          store<i32>(left + (ch << 2), counter++);
          store<i32>(nsParent + (ch << 2), load<i32>(left + (s << 2)));
          let nt = stack + (sp << 3);
          store<u32>(nt, <u32>ch);
          store<u32>(nt + 4, 0);
          sp++;
        } else {
          store<i32>(right + (s << 2), counter++);
          sp--;
        }
      }
    }
  }
  free(childStart);
  free(childList);
  free(stack);
  if (n == 1) {
    let h = <usize>load<u32>(headers);
    store<u32>(ctx + Q.Q_FLAGS, Q.QF_CACHED);
    store<u32>(h + L.B_EXTRA, <u32>ctx);
    // The batch's own parent links (documented in trace-layout: SP_PARENT_INDEX).
    for (let i: usize = 0; i < N; i++) store<u32>(<usize>load<u32>(rows + (i << 2)) + L.SP_PARENT_INDEX, load<u32>(parent + (i << 2)));
  }
  return ctx;
}

/** Frees a context built over several batches (a cached single-batch context is left to its batch). */
export function qsetFree(ctx: usize): void {
  if (!ctx || load<u32>(ctx + Q.Q_FLAGS) & Q.QF_CACHED) return;
  free(ctx);
}
