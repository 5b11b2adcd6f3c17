// A run's traces output: the request bytes of every batch that reached an exporter, kept as they
// are (re-written when the decode limits cut them) until the next run; one is handed out where it
// lies, several are concatenated. Also whether the output is the input exactly as it came.
import * as PG from '../abi/pipeline-program-layout';
import { free } from '../mem/alloc';
import { traceSplice, spliceResult } from '../otlp/trace-splice';
import { bufAppend, bufLen, bufPtr, bufSetLen } from './byte-buffer';
import { listPush, listCount, listGet } from './u32-list';
import { RN_TRACES, RN_OUTPUT, RN_HELD } from './runner-layout';
import { originalBatch, batchFree, batchLength, batchNeedsRewrite, batchDetachInput } from './batches';
import { coreError, memoryError } from './run-error';

/** Batches a run wrote to the output, and whether one of them was the request as it came in. */
let emitted: u32 = 0;
let emittedOriginal = false;

/** Starts counting for a new run. */
export function outputReset(runner: usize): void {
  releaseHeld(runner);
  emitted = 0;
  emittedOriginal = false;
}

/** Whether the run emitted exactly one request, the input as it came. */
export function outputUnchanged(): bool {
  return emitted == 1 && emittedOriginal;
}

/** Frees the request bytes the last output was made of. */
export function releaseHeld(runner: usize): void {
  let held = runner + RN_HELD;
  for (let i: u32 = 0; i < listCount(held); i += 2) free(<usize>listGet(held, i));
  bufSetLen(held, 0);
}

/**
 * Takes a batch (consumed) into the output: its request bytes are kept as they are — re-written
 * first if the decode limits cut it — and its tables freed. One output request is handed out
 * where it lies; several are concatenated at the end of the run.
 */
export function emit(runner: usize, header: usize): u32 {
  emitted++;
  let bytes: usize;
  let len: usize;
  if (batchNeedsRewrite(header)) {
    let status = traceSplice(header, 0, 0, 0, 0);
    let inputLength = batchLength(header);
    batchFree(header);
    if (status != 0) return coreError(0, 0, inputLength);
    let res = spliceResult();
    bytes = <usize>load<u32>(res);
    len = <usize>load<u32>(res + 4);
  } else {
    if (header == originalBatch) emittedOriginal = true;
    len = batchLength(header);
    bytes = batchDetachInput(header);
  }
  let held = runner + RN_HELD;
  if (!listPush(held, <u32>bytes) || !listPush(held, <u32>len)) {
    free(bytes);
    bufSetLen(held, (bufLen(held) >> 3) << 3);
    return memoryError(0, 0, 'output', 8);
  }
  return PG.PIPE_OK;
}

/** Points the run's traces output at the held request bytes (concatenated when there are several). */
export function assembleTraces(runner: usize): u32 {
  let held = runner + RN_HELD;
  let n = listCount(held) >> 1;
  let o = runner + RN_OUTPUT;
  if (n == 1) {
    store<u32>(o + PG.RO_TRACES, listGet(held, 0));
    store<u32>(o + PG.RO_TRACES_LEN, listGet(held, 1));
    return PG.PIPE_OK;
  }
  let out = runner + RN_TRACES;
  bufSetLen(out, 0);
  for (let i: u32 = 0; i < n; i++) {
    let len = <usize>listGet(held, i * 2 + 1);
    if (!bufAppend(out, <usize>listGet(held, i * 2), len)) return memoryError(0, 0, 'output', <u64>len);
  }
  releaseHeld(runner);
  store<u32>(o + PG.RO_TRACES, <u32>bufPtr(out));
  store<u32>(o + PG.RO_TRACES_LEN, <u32>bufLen(out));
  return PG.PIPE_OK;
}
