// The pipeline runner: loads a pipeline program (abi/pipeline-program-layout.ts) and runs batches
// through it the way the facade's Pipeline (src/pipeline/pipeline.ts) runs them — every pipeline
// fed by a receiver gets the request (a copy for all but the last), consecutive editing processors
// share one set of pending edits and one splice, buffering processors release what is due, and
// what reaches a pipeline's end goes to its connectors and, if it has an exporter, to the output.
// Every run ends with a flush (the end of input: tail sampling decides every pending trace) and a
// collection of the connectors' metrics, encoded in the core. The output of a run is one
// ExportTraceServiceRequest (the output batches' bytes, concatenated — protobuf merges repeated
// fields) and one ExportMetricsServiceRequest.
import * as PG from '../abi/pipeline-program-layout';
import { alloc, free } from '../mem/alloc';
import { smConsume, smAfterCollect } from '../metrics/span-metrics';
import { BB_SIZE, bufNew, bufFree, bufLen, bufPtr, bufSetLen } from './byte-buffer';
import { listPush, listCount, listGet, listSet } from './u32-list';
import * as K from './stage-record';
import { RN_OPTIONS, RN_MAX_BYTES, RN_PIPELINE_COUNT, RN_PIPELINES, RN_STAGES, RN_CONNECTOR_COUNT, RN_CONNECTORS, RN_TRACES, RN_METRICS, RN_STACK, RN_OUTPUT } from './runner-layout';
import { coreError, memoryError, tooLargeError, errorReset, errorStatus } from './run-error';
import { setIndexOptions, setOriginalBatch, batchIndex, batchFree, batchSpans, batchLength, batchInput, batchNeedsRewrite, batchSplice } from './batches';
import { pendingBegin, pendingMaterialize, pendingAbandon, pendingHasReplacements, pendingKeep, pendingKept, MATERIALIZE_FAILED } from './pending-edits';
import { editStage } from './stage-edit';
import { probabilisticStage } from './stage-probabilistic';
import { filterStage } from './stage-filter';
import { tailSamplingProcess, tailSamplingFlush } from './stage-tail-sampling';
import { spanMetricsEncode } from './span-metrics-otlp';
import { outputReset, outputUnchanged, emit, assembleTraces } from './run-output';

export { pipelineLoad, pipelineFree } from './program-load';

function stageAt(runner: usize, i: u32): usize {
  return <usize>load<u32>(runner + RN_STAGES) + <usize>i * K.K_SIZE;
}

function connectorAt(runner: usize, i: u32): usize {
  return <usize>load<u32>(runner + RN_CONNECTORS) + <usize>i * K.K_SIZE;
}

function isEditor(stage: usize): bool {
  let kind = load<u32>(stage + K.K_KIND);
  return kind == PG.STAGE_PROBABILISTIC || kind == PG.STAGE_ATTRIBUTES || kind == PG.STAGE_REDACTION || kind == PG.STAGE_FILTER;
}

/**
 * The facade's canEdit: attributes with include/exclude, and the filter (its conditions), read the
 * batch's own rows, so edits pending with replacements are written out first.
 */
function readsOriginal(stage: usize): bool {
  return (load<u32>(stage + K.K_FLAGS) & PG.SF_NEEDS_TABLE) != 0 || load<u32>(stage + K.K_KIND) == PG.STAGE_FILTER;
}

/** Frees the batches of a list (entries already taken are 0) and the list. */
function dropList(list: usize): void {
  if (!list) return;
  for (let i: u32 = 0; i < listCount(list); i++) batchFree(<usize>listGet(list, i));
  bufFree(list);
}

/** A one-batch list; 0 over budget (then the batch is freed). */
function single(header: usize): usize {
  let list = bufNew();
  if (!list || !listPush(list, <u32>header)) {
    bufFree(list);
    batchFree(header);
    return 0;
  }
  return list;
}

function editorRun(stage: usize): u32 {
  let kind = load<u32>(stage + K.K_KIND);
  if (kind == PG.STAGE_PROBABILISTIC) return probabilisticStage(stage);
  if (kind == PG.STAGE_FILTER) return filterStage(stage);
  return editStage(stage);
}

/** Result of runFrom on failure (the error is set). */
const FAILED: usize = <usize>-1;

/**
 * Runs the batches of `list` (taken: the list and its batches are consumed) through the pipeline's
 * processors from `from` on. Returns a new list of batches, or FAILED.
 */
function runFrom(runner: usize, pl: usize, from: u32, list: usize, now: f64): usize {
  let first = load<u32>(pl + PG.PL_FIRST_STAGE);
  let count = load<u32>(pl + PG.PL_STAGE_COUNT);
  let current = list;
  let i = from;
  while (i < count && listCount(current) > 0) {
    let next = bufNew();
    if (!next) {
      dropList(current);
      memoryError(0, 0, 'batch list', BB_SIZE);
      return FAILED;
    }
    let stage = stageAt(runner, first + i);
    if (!isEditor(stage)) {
      for (let k: u32 = 0; k < listCount(current); k++) {
        let b = <usize>listGet(current, k);
        listSet(current, k, 0);
        if (tailSamplingProcess(stage, b, now, next) != PG.PIPE_OK) {
          dropList(current);
          dropList(next);
          return FAILED;
        }
      }
      bufFree(current);
      current = next;
      i++;
      continue;
    }
    let end = i;
    while (end < count && isEditor(stageAt(runner, first + end))) end++;
    for (let k: u32 = 0; k < listCount(current); k++) {
      let b = <usize>listGet(current, k);
      listSet(current, k, 0);
      let length = batchLength(b);
      let ok = pendingBegin(b);
      if (!ok) coreError(0, 0, length);
      let dropped = false;
      for (let e = i; ok && e < end; e++) {
        let editor = stageAt(runner, first + e);
        // include/exclude and filter conditions read the original bytes: a batch with replacements is spliced first.
        if (readsOriginal(editor) && pendingHasReplacements()) {
          let mid = pendingMaterialize();
          if (mid == MATERIALIZE_FAILED) {
            coreError(<usize>load<u32>(editor + K.K_NAME), <usize>load<u32>(editor + K.K_NAME_LEN), 0);
            ok = false;
            break;
          }
          if (!mid) {
            dropped = true;
            break;
          }
          if (!pendingBegin(mid)) {
            coreError(<usize>load<u32>(editor + K.K_NAME), <usize>load<u32>(editor + K.K_NAME_LEN), 0);
            ok = false;
            break;
          }
        }
        if (editorRun(editor) != PG.PIPE_OK) {
          pendingAbandon();
          ok = false;
          break;
        }
        if (pendingKeep && pendingKept == 0) break;
      }
      if (!ok) {
        dropList(current);
        dropList(next);
        return FAILED;
      }
      if (dropped) continue;
      let out = pendingMaterialize();
      if (out == MATERIALIZE_FAILED) {
        coreError(0, 0, 0);
        dropList(current);
        dropList(next);
        return FAILED;
      }
      if (out && !listPush(next, <u32>out)) {
        batchFree(out);
        dropList(current);
        dropList(next);
        memoryError(0, 0, 'batch list', 4);
        return FAILED;
      }
    }
    bufFree(current);
    current = next;
    i = end;
  }
  return current;
}

/** Hands a pipeline's output batches (consumed) to its connectors and to the output. */
function finish(runner: usize, pl: usize, list: usize, now: f64): u32 {
  let mask = load<u32>(pl + PG.PL_CONNECTORS);
  let exports = load<u32>(pl + PG.PL_EXPORTS) != 0;
  let nc = load<u32>(runner + RN_CONNECTOR_COUNT);
  for (let k: u32 = 0; k < listCount(list); k++) {
    let b = <usize>listGet(list, k);
    for (let c: u32 = 0; c < nc; c++) {
      if (!(mask & (<u32>1 << c))) continue;
      let connector = connectorAt(runner, c);
      if (smConsume(<usize>load<u32>(connector + K.K_STATE), b, now) != 0) {
        let status = coreError(<usize>load<u32>(connector + K.K_NAME), <usize>load<u32>(connector + K.K_NAME_LEN), batchLength(b));
        dropList(list);
        return status;
      }
    }
    listSet(list, k, 0);
    if (exports && batchSpans(b) > 0) {
      let status = emit(runner, b);
      if (status != PG.PIPE_OK) {
        dropList(list);
        return status;
      }
    } else {
      batchFree(b);
    }
  }
  bufFree(list);
  return PG.PIPE_OK;
}

/** A copy of a batch for one more pipeline (the collector fans a receiver out like this). */
function copyBatch(header: usize): usize {
  if (batchNeedsRewrite(header)) return batchSplice(header, 0, 0, 0, 0);
  let len = batchLength(header);
  let input = alloc(len + 16);
  if (!input) return 0;
  memory.copy(input, batchInput(header), len);
  memory.fill(input + len, 0, 16);
  return batchIndex(input, len);
}

function runPipeline(runner: usize, pl: usize, from: u32, list: usize, now: f64): u32 {
  let out = runFrom(runner, pl, from, list, now);
  if (out == FAILED) return errorStatus();
  return finish(runner, pl, out, now);
}

/**
 * Runs one request (at `input`, allocated with 16 bytes of slack; taken by the runner whatever
 * happens) through the program at `now` (Unix ms), then flushes and collects the metrics.
 * PIPE_OK with the output in pipelineOutput(), or an error status with pipelineError().
 */
export function pipelineRun(runner: usize, input: usize, len: usize, now: f64): u32 {
  errorReset();
  outputReset(runner);
  bufSetLen(runner + RN_TRACES, 0);
  bufSetLen(runner + RN_METRICS, 0);
  setIndexOptions(runner + RN_OPTIONS);
  let maxBytes = <usize>load<u32>(runner + RN_MAX_BYTES);
  if (len > maxBytes) {
    free(input);
    return tooLargeError(len, maxBytes);
  }
  let header = batchIndex(input, len);
  if (!header) return coreError(0, 0, len);
  setOriginalBatch(header);
  let np = load<u32>(runner + RN_PIPELINE_COUNT);
  let pipes = <usize>load<u32>(runner + RN_PIPELINES);
  for (let i: u32 = 0; i < np; i++) {
    let pl = pipes + <usize>i * PG.PL_ROW;
    let last = i == np - 1;
    let b = last ? header : copyBatch(header);
    if (!b) {
      let status = coreError(0, 0, len);
      batchFree(header);
      return status;
    }
    let list = single(b);
    if (!list) {
      if (!last) batchFree(header);
      return memoryError(0, 0, 'batch list', BB_SIZE);
    }
    let status = runPipeline(runner, pl, 0, list, now);
    if (status != PG.PIPE_OK) {
      if (!last) batchFree(header);
      return status;
    }
  }
  // End of input: every buffer drains, in pipeline order.
  for (let i: u32 = 0; i < np; i++) {
    let pl = pipes + <usize>i * PG.PL_ROW;
    let first = load<u32>(pl + PG.PL_FIRST_STAGE);
    let count = load<u32>(pl + PG.PL_STAGE_COUNT);
    for (let s: u32 = 0; s < count; s++) {
      let stage = stageAt(runner, first + s);
      if (load<u32>(stage + K.K_KIND) != PG.STAGE_TAIL_SAMPLING) continue;
      let released = bufNew();
      if (!released) return memoryError(0, 0, 'batch list', BB_SIZE);
      let status = tailSamplingFlush(stage, now, released);
      if (status != PG.PIPE_OK) {
        dropList(released);
        return status;
      }
      status = runPipeline(runner, pl, s + 1, released, now);
      if (status != PG.PIPE_OK) return status;
    }
  }
  let nc = load<u32>(runner + RN_CONNECTOR_COUNT);
  for (let c: u32 = 0; c < nc; c++) {
    let connector = connectorAt(runner, c);
    let state = <usize>load<u32>(connector + K.K_STATE);
    let plan = <usize>load<u32>(connector + K.K_BLOCK);
    if (!spanMetricsEncode(state, plan, now, runner + RN_METRICS, runner + RN_STACK)) {
      return memoryError(<usize>load<u32>(connector + K.K_NAME), <usize>load<u32>(connector + K.K_NAME_LEN), 'metrics collection', 0);
    }
    let status = smAfterCollect(state, now, load<f64>(plan + PG.SO_EXPIRATION_MS), load<u32>(plan + PG.SO_RESOURCE_CACHE_SIZE), load<u32>(plan + PG.SO_TIMESTAMP_CACHE_SIZE), load<f64>(plan + PG.SO_SERIES_EXPIRATION_MS));
    if (status != 0) return coreError(<usize>load<u32>(connector + K.K_NAME), <usize>load<u32>(connector + K.K_NAME_LEN), 0);
  }
  setOriginalBatch(0);
  let status = assembleTraces(runner);
  if (status != PG.PIPE_OK) return status;
  let o = runner + RN_OUTPUT;
  store<u32>(o + PG.RO_METRICS, <u32>bufPtr(runner + RN_METRICS));
  store<u32>(o + PG.RO_METRICS_LEN, <u32>bufLen(runner + RN_METRICS));
  store<u32>(o + PG.RO_FLAGS, outputUnchanged() ? PG.ROF_UNCHANGED : 0);
  return PG.PIPE_OK;
}

/** pipelineOutput(): the RO_* record of the last successful run. */
export function pipelineOutput(runner: usize): usize {
  return runner + RN_OUTPUT;
}
