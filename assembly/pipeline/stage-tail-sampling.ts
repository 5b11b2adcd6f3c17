// tail_sampling as a program stage: the facade's TailSamplingProcessor (src/processors/
// tail-sampling/tail-sampling-processor.ts) in the core — one-second ticks from the first call,
// held batches in slots (a free slot is reused last-in first-out, as there), and the sampler's
// reports turned into spliced batches in report order.
import * as PG from '../abi/pipeline-program-layout';
import * as T from '../abi/tail-sampling-layout';
import { tsCreate, tsFree, tsIngest, tsTick, tsDecideAll, tsReport, tsReportCount, tsSlotDone } from '../processors/tail-sampling';
import { free } from '../mem/alloc';
import * as K from './stage-record';
import { BB_SIZE, bufNew, bufFree, bufReserve, bufPtr, bufLen } from './byte-buffer';
import { listPush, listCount, listGet, listSet, listPop } from './u32-list';
import { batchFree, batchLength, batchSpans, batchSplice } from './batches';
import { ensureAttributes } from './stage-edit';
import { coreError, memoryError } from './run-error';

const TICK_MS: f64 = 1000;
/** A copy of the sampler's report (acting on a row may change the sampler's own table). */
const REPORT = memory.data(BB_SIZE, 4);

function name(stage: usize): usize {
  return <usize>load<u32>(stage + K.K_NAME);
}

function nameLen(stage: usize): usize {
  return <usize>load<u32>(stage + K.K_NAME_LEN);
}

/**
 * Creates the sampler from its materialised segments (options, leaves, nodes): the sampler owns
 * leaves and nodes from here on; the options block is the caller's. PIPE_OK or an error.
 */
export function tailSamplingCreate(stage: usize, opts: usize): u32 {
  let slots = bufNew();
  let freeSlots = bufNew();
  if (!slots || !freeSlots) {
    bufFree(slots);
    bufFree(freeSlots);
    return memoryError(name(stage), nameLen(stage), 'sampler slots', 24);
  }
  let st = tsCreate(opts);
  if (!st) {
    bufFree(slots);
    bufFree(freeSlots);
    free(<usize>load<u32>(opts + T.TO_LEAVES));
    free(<usize>load<u32>(opts + T.TO_NODES));
    return coreError(name(stage), nameLen(stage), 0);
  }
  store<u32>(stage + K.K_STATE, <u32>st);
  store<u32>(stage + K.K_SLOTS, <u32>slots);
  store<u32>(stage + K.K_FREE_SLOTS, <u32>freeSlots);
  store<u32>(stage + K.K_TICKS, 0);
  store<f64>(stage + K.K_START, NaN);
  return PG.PIPE_OK;
}

/** Frees the sampler and every batch it still holds. */
export function tailSamplingFree(stage: usize): void {
  let slots = <usize>load<u32>(stage + K.K_SLOTS);
  if (slots) {
    for (let i: u32 = 0; i < listCount(slots); i++) batchFree(<usize>listGet(slots, i));
    bufFree(slots);
  }
  bufFree(<usize>load<u32>(stage + K.K_FREE_SLOTS));
  tsFree(<usize>load<u32>(stage + K.K_STATE));
}

/**
 * Splices the batches the last sampler call released spans from (appending them to `out`) and
 * frees batches with nothing pending.
 */
function collect(stage: usize, out: usize): u32 {
  let st = <usize>load<u32>(stage + K.K_STATE);
  let n = tsReportCount(st);
  if (!n) return PG.PIPE_OK;
  if (!bufReserve(REPORT, <usize>n * T.TR_ROW)) return memoryError(name(stage), nameLen(stage), 'sampler report', <u64>n * T.TR_ROW);
  let rows = bufPtr(REPORT);
  memory.copy(rows, tsReport(st), <usize>n * T.TR_ROW);
  let slots = <usize>load<u32>(stage + K.K_SLOTS);
  let freeSlots = <usize>load<u32>(stage + K.K_FREE_SLOTS);
  for (let i: u32 = 0; i < n; i++) {
    let r = rows + <usize>i * T.TR_ROW;
    let slot = load<u32>(r + T.TR_SLOT);
    let batch = <usize>listGet(slots, slot);
    if (load<u32>(r + T.TR_FORWARD) > 0) {
      let released = batchSplice(batch, <usize>load<u32>(r + T.TR_MASK), 0, 0, 0);
      if (!released) return coreError(name(stage), nameLen(stage), batchLength(batch));
      if (!listPush(out, <u32>released)) {
        batchFree(released);
        return memoryError(name(stage), nameLen(stage), 'released batches', 4);
      }
    }
    tsSlotDone(st, slot);
    if (load<u32>(r + T.TR_PENDING) == 0) {
      batchFree(batch);
      listSet(slots, slot, 0);
      if (!listPush(freeSlots, slot)) return memoryError(name(stage), nameLen(stage), 'sampler slots', 4);
    }
  }
  return PG.PIPE_OK;
}

/** Runs the one-second ticks due at `now`. */
function release(stage: usize, now: f64, out: usize): u32 {
  let start = load<f64>(stage + K.K_START);
  if (isNaN(start)) {
    start = now;
    store<f64>(stage + K.K_START, start);
  }
  let st = <usize>load<u32>(stage + K.K_STATE);
  while (start + (<f64>load<u32>(stage + K.K_TICKS) + 1) * TICK_MS <= now) {
    let ticks = load<u32>(stage + K.K_TICKS) + 1;
    store<u32>(stage + K.K_TICKS, ticks);
    tsTick(st, start + <f64>ticks * TICK_MS);
    let status = collect(stage, out);
    if (status != PG.PIPE_OK) return status;
  }
  return PG.PIPE_OK;
}

/** Takes `header` (the sampler owns it from here on) and appends what is released now to `out`. */
export function tailSamplingProcess(stage: usize, header: usize, now: f64, out: usize): u32 {
  let status = release(stage, now, out);
  if (status != PG.PIPE_OK) {
    batchFree(header);
    return status;
  }
  if (batchSpans(header) == 0) {
    batchFree(header);
    return PG.PIPE_OK;
  }
  if ((load<u32>(stage + K.K_FLAGS) & PG.SF_NEEDS_ATTRIBUTES) && !ensureAttributes(header)) {
    status = coreError(name(stage), nameLen(stage), batchLength(header));
    batchFree(header);
    return status;
  }
  let slots = <usize>load<u32>(stage + K.K_SLOTS);
  let freeSlots = <usize>load<u32>(stage + K.K_FREE_SLOTS);
  let slot: u32;
  if (bufLen(freeSlots)) {
    slot = listPop(freeSlots);
  } else {
    slot = listCount(slots);
    if (!listPush(slots, 0)) {
      batchFree(header);
      return memoryError(name(stage), nameLen(stage), 'sampler slots', 4);
    }
  }
  listSet(slots, slot, <u32>header);
  if (tsIngest(<usize>load<u32>(stage + K.K_STATE), header, slot, 0) != 0) {
    // The batch was not taken (the core is over its memory budget): give the slot back.
    status = coreError(name(stage), nameLen(stage), batchLength(header));
    listSet(slots, slot, 0);
    listPush(freeSlots, slot);
    batchFree(header);
    return status;
  }
  return collect(stage, out);
}

/** Decides every pending trace now (or drops them with drop_pending_traces_on_shutdown). */
export function tailSamplingFlush(stage: usize, now: f64, out: usize): u32 {
  let status = release(stage, now, out);
  if (status != PG.PIPE_OK) return status;
  let dropPending: u32 = load<u32>(stage + K.K_FLAGS) & PG.SF_DROP_PENDING ? 1 : 0;
  tsDecideAll(<usize>load<u32>(stage + K.K_STATE), now, dropPending);
  return collect(stage, out);
}
