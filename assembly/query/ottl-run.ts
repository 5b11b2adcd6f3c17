// Runs a sequence of OTTL conditions (loaded MODE_OTTL programs of one context) over every item
// of that context in a batch, in one call: spans, span events, resources, scopes, log records,
// metrics or data points. Conditions are ORed in order, as the collector's ConditionSequence does:
// the first true one decides; a failing one either counts as false (error_mode ignore/silent) or
// ends the item's evaluation (propagate), and with OR_ABORT the whole run.
import * as L from '../abi/trace-layout';
import * as B from '../abi/batch-layout';
import * as M from '../abi/metrics-layout';
import * as G from '../abi/logs-layout';
import * as Q from '../abi/query-layout';
import * as E from '../abi/errors';
import * as F from '../abi/filter-layout';
import { alloc, free } from '../mem/alloc';
import { clearError, errorRecord, fail, failPlain, setContext, setInputBase } from '../errors';
import { bindBatch, bindRows, bindEvent, bindItem } from './vm-state';
import { vmPrepare, vmEval, vmErrorKind, rtPc, rtType } from './program';
import { arenaReset } from './vm-arena';

// The first failure of the last run (layout OE_* in abi/filter-layout.ts) and the count.
const FIRST = memory.data(F.OE_SIZE, 8);
let errors: u32 = 0;

let nProgs: u32 = 0;
let runFlags: u32 = 0;
let outPtr: usize = 0;
let aborted = false;

/** Failures in the last ottlRun (conditions that errored, over all items). */
export function ottlErrorCount(): u32 {
  return errors;
}

/** The first failure of the last ottlRun (layout OE_* in abi/filter-layout.ts), valid when ottlErrorCount() > 0. */
export function ottlErrorInfo(): usize {
  return FIRST;
}

/** Evaluates the bound item and writes OUT_* at out[index]. False when the run must stop. */
function evaluate(index: u32): bool {
  arenaReset();
  let result = Q.OUT_FALSE;
  for (let i: u32 = 0; i < nProgs; i++) {
    let r = vmEval(i);
    if (r == 1) {
      result = Q.OUT_TRUE;
      break;
    }
    if (r == 0) continue;
    if (errors++ == 0) {
      store<u32>(FIRST + F.OE_KIND, vmErrorKind());
      store<u32>(FIRST + F.OE_CONDITION, i);
      store<u32>(FIRST + F.OE_ITEM, index);
      store<u32>(FIRST + F.OE_PC, rtPc);
      store<u32>(FIRST + F.OE_TYPE, rtType);
    }
    if (runFlags & Q.OR_PROPAGATE) {
      result = Q.OUT_ERROR;
      if (runFlags & Q.OR_ABORT) {
        setInputBase(0);
        setContext(rtType, i);
        fail(E.ERR_QUERY_RUNTIME, <usize>rtPc, (<u64>vmErrorKind() << 32) | <u64>index);
        aborted = true;
        store<u8>(outPtr + index, <u8>result);
        return false;
      }
      break;
    }
  }
  store<u8>(outPtr + index, <u8>result);
  return true;
}

// @ts-ignore: decorator
@inline function skip(mask: usize, i: u32): bool {
  return mask != 0 && load<u8>(mask + i) == 0;
}

/**
 * Evaluates `n` OTTL programs (u32 addresses at `progs`, loaded, all of context `ctx`) over the
 * items of that context in the batch at `header`, writing one OUT_* byte per item to `out`
 * (items: spans, events, resources, scopes, log records, metrics or data points, in table order).
 * `inMask` (one byte per item, or 0) limits the items evaluated (others get OUT_FALSE);
 * `ownerMask` limits span events to those of spans it keeps and data points to those of metrics
 * it keeps. `flags`: OR_PROPAGATE, OR_ABORT. Returns 0, or an error code (ERR_QUERY_RUNTIME for an
 * aborting failure: detail = kind << 32 | item, offset = instruction, message = value type, field
 * = condition index).
 */
export function ottlRun(progs: usize, n: u32, header: usize, ctx: u32, inMask: usize, ownerMask: usize, out: usize, flags: u32): u32 {
  clearError();
  errors = 0;
  aborted = false;
  memory.fill(FIRST, 0, F.OE_SIZE);
  if (!vmPrepare(progs, n, ctx)) return load<u32>(errorRecord() + E.ERROR_CODE);
  // Programs reading attributes need the table; the dense hash column speeds their lookups.
  let readsAttrs = false;
  for (let i: u32 = 0; i < n; i++) {
    if (load<u32>(<usize>load<u32>(progs + (<usize>i << 2)) + Q.P_FLAGS) & Q.PF_ATTRS) readsAttrs = true;
  }
  let hashes: usize = 0;
  if (readsAttrs) {
    if (!(load<u32>(header + B.B_FLAGS) & B.BATCH_ATTRS_BUILT)) {
      failPlain(E.ERR_BAD_ARGUMENT, 1);
      return E.ERR_BAD_ARGUMENT;
    }
    let count = load<u32>(header + B.B_ATTR_COUNT);
    if (count >= 16) {
      hashes = alloc(<usize>count << 2);
      if (!hashes) {
        failPlain(E.ERR_OUT_OF_MEMORY, <u64>count << 2);
        return E.ERR_OUT_OF_MEMORY;
      }
      let rows = <usize>load<u32>(header + B.B_ATTRS);
      for (let i: u32 = 0; i < count; i++) store<u32>(hashes + (<usize>i << 2), load<u32>(rows + <usize>i * B.A_ROW + B.A_KEY_HASH));
    }
  }
  nProgs = n;
  runFlags = flags;
  outPtr = out;
  bindBatch(header, hashes);
  bindRows(0, 0, 0);
  bindEvent(0);
  bindItem(0, 0, 0);
  runItems(header, ctx, inMask, ownerMask);
  bindBatch(header, 0);
  free(hashes);
  arenaReset();
  return aborted ? E.ERR_QUERY_RUNTIME : 0;
}

function runItems(header: usize, ctx: u32, inMask: usize, ownerMask: usize): void {
  let resources = <usize>load<u32>(header + B.B_RESOURCES);
  let scopes = <usize>load<u32>(header + B.B_SCOPES);
  let items = <usize>load<u32>(header + B.B_ITEMS);
  let nItems = load<u32>(header + B.B_ITEM_COUNT);
  switch (ctx) {
    case Q.CTX_RESOURCE: {
      let nr = load<u32>(header + B.B_RESOURCE_COUNT);
      for (let r: u32 = 0; r < nr; r++) {
        if (skip(inMask, r)) {
          store<u8>(outPtr + r, 0);
          continue;
        }
        bindRows(0, resources + <usize>r * B.R_ROW, 0);
        if (!evaluate(r)) return;
      }
      return;
    }
    case Q.CTX_SCOPE: {
      let ns = load<u32>(header + B.B_SCOPE_COUNT);
      for (let s: u32 = 0; s < ns; s++) {
        if (skip(inMask, s)) {
          store<u8>(outPtr + s, 0);
          continue;
        }
        let row = scopes + <usize>s * B.S_ROW;
        bindRows(0, resources + <usize>load<u32>(row + B.S_RESOURCE) * B.R_ROW, row);
        if (!evaluate(s)) return;
      }
      return;
    }
    case Q.CTX_SPAN:
    case Q.CTX_LOG:
    case Q.CTX_METRIC: {
      let size: usize = ctx == Q.CTX_SPAN ? L.SP_ROW : ctx == Q.CTX_LOG ? G.LR_ROW : M.M_ROW;
      for (let i: u32 = 0; i < nItems; i++) {
        if (skip(inMask, i)) {
          store<u8>(outPtr + i, 0);
          continue;
        }
        let row = items + <usize>i * size;
        // Every item row holds its scope and resource index at the same offsets (I_OWNER, +4).
        let res = resources + <usize>load<u32>(row + B.I_OWNER + 4) * B.R_ROW;
        let scope = scopes + <usize>load<u32>(row + B.I_OWNER) * B.S_ROW;
        if (ctx == Q.CTX_SPAN) bindRows(row, res, scope);
        else {
          bindRows(0, res, scope);
          if (ctx == Q.CTX_LOG) bindItem(row, 0, 0);
          else bindItem(0, row, 0);
        }
        if (!evaluate(i)) return;
      }
      return;
    }
    case Q.CTX_SPANEVENT:
    case Q.CTX_DATAPOINT: {
      let children = <usize>load<u32>(header + L.B_EVENTS); // = metrics' B_POINTS
      let childSize: usize = ctx == Q.CTX_SPANEVENT ? L.E_ROW : M.DP_ROW;
      let ownerSize: usize = ctx == Q.CTX_SPANEVENT ? L.SP_ROW : M.M_ROW;
      let startAt: usize = ctx == Q.CTX_SPANEVENT ? L.SP_EVENT_START : M.M_POINT_START;
      for (let o: u32 = 0; o < nItems; o++) {
        let owner = items + <usize>o * ownerSize;
        let first = load<u32>(owner + startAt);
        let count = load<u32>(owner + startAt + 4);
        if (skip(ownerMask, o)) {
          if (count) memory.fill(outPtr + first, 0, count);
          continue;
        }
        let res = resources + <usize>load<u32>(owner + B.I_OWNER + 4) * B.R_ROW;
        let scope = scopes + <usize>load<u32>(owner + B.I_OWNER) * B.S_ROW;
        for (let c = first; c < first + count; c++) {
          if (skip(inMask, c)) {
            store<u8>(outPtr + c, 0);
            continue;
          }
          let child = children + <usize>c * childSize;
          if (ctx == Q.CTX_SPANEVENT) {
            bindRows(owner, res, scope);
            bindEvent(child);
          } else {
            bindRows(0, res, scope);
            bindItem(0, owner, child);
          }
          if (!evaluate(c)) return;
        }
      }
      return;
    }
  }
}
