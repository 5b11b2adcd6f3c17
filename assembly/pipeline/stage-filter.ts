// The traces filter as a program stage: the facade's TracesFilterProcessor.edit and FilterRun.apply
// (src/processors/filter/) in the core, step for step, on the blocks the compiler wrote
// (STAGE_FILTER). Condition groups run in order, each one ottlRun call over what earlier groups
// (and earlier processors' keep mask) left: resource and scope groups drop every span of the
// envelopes they match, span groups drop spans, spanevent groups drop events of the spans still
// kept — written as replacement content for those spans, as the facade does. Under error_mode
// propagate a failing condition fails the run with the facade's message; under ignore/silent it
// counts as false. Scopes and resources left without spans are dropped by the splice.
import * as PG from '../abi/pipeline-program-layout';
import * as B from '../abi/batch-layout';
import * as L from '../abi/trace-layout';
import * as Q from '../abi/query-layout';
import * as E from '../abi/errors';
import * as F from '../abi/filter-layout';
import { alloc, free } from '../mem/alloc';
import { ottlRun, ottlErrorInfo } from '../query/ottl-run';
import { traceDropEvents, eventDropResult } from '../otlp/trace-event-drop';
import * as K from './stage-record';
import { batchLength, batchSpans } from './batches';
import { pendingBatch, pendingKeep, pendingResourceRepl, pendingScopeRepl, pendingSetKeep, pendingSetTables, pendingHold } from './pending-edits';
import { coreError, memoryError } from './run-error';
import { ensureAttributes } from './stage-edit';
import { ottlRuntimeError } from './ottl-error-text';

function name(stage: usize): usize {
  return <usize>load<u32>(stage + K.K_NAME);
}

function nameLen(stage: usize): usize {
  return <usize>load<u32>(stage + K.K_NAME_LEN);
}

/** A mask of `n` bytes (at least one) filled with `fill`; 0 over budget. */
function mask(n: usize, fill: u8): usize {
  let p = alloc(max<usize>(n, 1));
  if (p) memory.fill(p, fill, n);
  return p;
}

/** The facade's hasEmptyEnvelopes: a scope without spans or a resource without scopes takes a splice. */
function hasEmptyEnvelopes(header: usize): bool {
  let scopes = <usize>load<u32>(header + B.B_SCOPES);
  let nScopes = load<u32>(header + B.B_SCOPE_COUNT);
  for (let s: u32 = 0; s < nScopes; s++) if (load<u32>(scopes + <usize>s * B.S_ROW + B.S_ITEM_COUNT) == 0) return true;
  let resources = <usize>load<u32>(header + B.B_RESOURCES);
  let nRes = load<u32>(header + B.B_RESOURCE_COUNT);
  for (let r: u32 = 0; r < nRes; r++) if (load<u32>(resources + <usize>r * B.R_ROW + B.R_SCOPE_COUNT) == 0) return true;
  return false;
}

/**
 * Resource and scope groups: only envelopes that still hold a kept span are looked at (`live`),
 * and every span of a matched one is dropped.
 */
function envelopeLive(header: usize, isResource: bool, keep: usize, live: usize): void {
  let rows = <usize>load<u32>(header + (isResource ? B.B_RESOURCES : B.B_SCOPES));
  let size: usize = isResource ? B.R_ROW : B.S_ROW;
  let startAt: usize = isResource ? B.R_ITEM_START : B.S_ITEM_START;
  let n = load<u32>(header + (isResource ? B.B_RESOURCE_COUNT : B.B_SCOPE_COUNT));
  for (let e: u32 = 0; e < n; e++) {
    let first = <usize>load<u32>(rows + <usize>e * size + startAt);
    let count = <usize>load<u32>(rows + <usize>e * size + startAt + 4);
    let any: u8 = 0;
    for (let i = first; i < first + count && !any; i++) any = load<u8>(keep + i);
    store<u8>(live + e, any);
  }
}

function envelopeDrop(header: usize, isResource: bool, keep: usize, out: usize): void {
  let rows = <usize>load<u32>(header + (isResource ? B.B_RESOURCES : B.B_SCOPES));
  let size: usize = isResource ? B.R_ROW : B.S_ROW;
  let startAt: usize = isResource ? B.R_ITEM_START : B.S_ITEM_START;
  let n = load<u32>(header + (isResource ? B.B_RESOURCE_COUNT : B.B_SCOPE_COUNT));
  for (let e: u32 = 0; e < n; e++) {
    if (load<u8>(out + e) != Q.OUT_TRUE) continue;
    let first = <usize>load<u32>(rows + <usize>e * size + startAt);
    let count = <usize>load<u32>(rows + <usize>e * size + startAt + 4);
    memory.fill(keep + first, 0, count);
  }
}

/** Clears mask[i] wherever out[i] says a condition matched. */
function dropMatched(out: usize, target: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) if (load<u8>(out + i) == Q.OUT_TRUE) store<u8>(target + i, 0);
}

/**
 * FilterRun.apply: runs every group; the keep mask (a new one, starting from the pending mask) and
 * the event keep mask land in `KEEP` / `CHILD_KEEP`. PIPE_OK or an error status (message set;
 * nothing is left allocated).
 */
const KEEP = memory.data(8, 4);
const CHILD_KEEP = KEEP + 4;

function runGroups(stage: usize, header: usize, n: u32): u32 {
  let filter = <usize>load<u32>(stage + K.K_BLOCK);
  let groups = load<u32>(filter + PG.FF_GROUP_COUNT);
  let nRes = load<u32>(header + B.B_RESOURCE_COUNT);
  let nScopes = load<u32>(header + B.B_SCOPE_COUNT);
  let nChildren: u32 = 0;
  for (let g: u32 = 0; g < groups; g++) {
    if (load<u32>(filter + PG.FF_FIRST + <usize>g * PG.FG_ROW + PG.FG_CONTEXT) == Q.CTX_SPANEVENT) nChildren = load<u32>(header + L.B_EVENT_COUNT);
  }
  let keep = mask(<usize>n, 1);
  let out = alloc(<usize>max(max(max(n, nRes), nScopes), max<u32>(nChildren, 1)));
  let live = alloc(<usize>max(max(nRes, nScopes), 1));
  let childKeep: usize = 0;
  let status = PG.PIPE_OK;
  if (!keep || !out || !live) status = memoryError(name(stage), nameLen(stage), 'filter masks', <u64>n);
  else if (pendingKeep) memory.copy(keep, pendingKeep, <usize>n);
  for (let g: u32 = 0; status == PG.PIPE_OK && g < groups; g++) {
    let row = filter + PG.FF_FIRST + <usize>g * PG.FG_ROW;
    let ctx = load<u32>(row + PG.FG_CONTEXT);
    let inMask = keep;
    let ownerMask: usize = 0;
    if (ctx == Q.CTX_RESOURCE || ctx == Q.CTX_SCOPE) {
      envelopeLive(header, ctx == Q.CTX_RESOURCE, keep, live);
      inMask = live;
    } else if (ctx == Q.CTX_SPANEVENT) {
      if (!childKeep) childKeep = mask(<usize>nChildren, 1);
      if (!childKeep) {
        status = memoryError(name(stage), nameLen(stage), 'filter masks', <u64>nChildren);
        break;
      }
      inMask = childKeep;
      ownerMask = keep;
    }
    let code = ottlRun(<usize>load<u32>(row + PG.FG_PROGRAMS), load<u32>(row + PG.FG_CONDITION_COUNT), header, ctx, inMask, ownerMask, out, load<u32>(row + PG.FG_RUN_FLAGS));
    if (code == E.ERR_QUERY_RUNTIME) {
      status = ottlRuntimeError(name(stage), nameLen(stage), row, ottlErrorInfo());
      break;
    }
    if (code != 0) {
      status = coreError(name(stage), nameLen(stage), 0);
      break;
    }
    if (ctx == Q.CTX_RESOURCE || ctx == Q.CTX_SCOPE) envelopeDrop(header, ctx == Q.CTX_RESOURCE, keep, out);
    else if (ctx == Q.CTX_SPANEVENT) dropMatched(out, childKeep, <usize>nChildren);
    else dropMatched(out, keep, <usize>n);
  }
  free(out);
  free(live);
  if (status != PG.PIPE_OK) {
    free(keep);
    free(childKeep);
    return status;
  }
  store<u32>(KEEP, <u32>keep);
  store<u32>(CHILD_KEEP, <u32>childKeep);
  return PG.PIPE_OK;
}

/** Replacement content for the kept spans that lose events (the facade's dropEvents). */
function dropEvents(stage: usize, header: usize, eventKeep: usize): u32 {
  if (traceDropEvents(header, eventKeep, pendingKeep) != 0) return coreError(name(stage), nameLen(stage), batchLength(header));
  let res = eventDropResult();
  let table = <usize>load<u32>(res + F.ED_TABLE);
  let content = <usize>load<u32>(res + F.ED_CONTENT);
  memory.fill(res, 0, F.ED_SIZE);
  if (!table) return PG.PIPE_OK;
  // The table and content now belong to the pending edits.
  pendingSetTables(table, pendingResourceRepl, pendingScopeRepl);
  if (!pendingHold(content)) return memoryError(name(stage), nameLen(stage), 'rewritten spans', 32);
  return PG.PIPE_OK;
}

/** Adds the filter's drops to the pending edits; PIPE_OK or an error status (message set). */
export function filterStage(stage: usize): u32 {
  let header = pendingBatch;
  let n = batchSpans(header);
  if (n == 0) return PG.PIPE_OK;
  // Without trace condition groups the filter does nothing (its other signals' groups are not here).
  if (load<u32>(<usize>load<u32>(stage + K.K_BLOCK) + PG.FF_GROUP_COUNT) == 0) return PG.PIPE_OK;
  // The facade reads the batch's attribute table into being without naming the processor.
  if ((load<u32>(stage + K.K_FLAGS) & PG.SF_NEEDS_ATTRIBUTES) && !ensureAttributes(header)) return coreError(0, 0, batchLength(header));
  let status = runGroups(stage, header, n);
  if (status != PG.PIPE_OK) return status;
  let keep = <usize>load<u32>(KEEP);
  let childKeep = <usize>load<u32>(CHILD_KEEP);
  let kept: u32 = 0;
  for (let i: u32 = 0; i < n; i++) kept += load<u8>(keep + i);
  if (kept == n && !pendingKeep) free(keep);
  else pendingSetKeep(keep, kept);
  if (childKeep) {
    // Events the conditions dropped (those of spans dropped later go with their spans anyway).
    let nChildren = load<u32>(header + L.B_EVENT_COUNT);
    let dropped = false;
    for (let c: u32 = 0; c < nChildren && !dropped; c++) dropped = load<u8>(childKeep + c) == 0;
    if (dropped && kept > 0) status = dropEvents(stage, header, childKeep);
    free(childKeep);
    if (status != PG.PIPE_OK) return status;
  }
  // The collector drops scopes and resources without spans whenever it filters; a splice does.
  if (!pendingKeep && hasEmptyEnvelopes(header)) {
    let all = mask(<usize>n, 1);
    if (!all) return memoryError(name(stage), nameLen(stage), 'filter masks', <u64>n);
    pendingSetKeep(all, n);
  }
  return PG.PIPE_OK;
}
