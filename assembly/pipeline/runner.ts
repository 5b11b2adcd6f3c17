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
import * as L from '../abi/trace-layout';
import * as T from '../abi/tail-sampling-layout';
import * as M from '../abi/derived-metrics-layout';
import { alloc, allocZeroed, free } from '../mem/alloc';
import { regexCheck } from '../regex/match';
import { traceSplice, spliceResult } from '../otlp/trace-splice';
import { smCreate, smConsume, smAfterCollect, smFree } from '../metrics/span-metrics';
import { BB_SIZE, bufNew, bufFree, bufAppend, bufLen, bufPtr, bufSetLen, bufRelease } from './byte-buffer';
import { listPush, listCount, listGet, listSet } from './u32-list';
import * as K from './stage-record';
import { programCheck } from './program-check';
import { programError, programErrorN, coreError, memoryError, tooLargeError, errorReset, errorStatus } from './run-error';
import { setIndexOptions, setOriginalBatch, originalBatch, batchIndex, batchFree, batchSpans, batchLength, batchInput, batchNeedsRewrite, batchSplice, batchDetachInput } from './batches';
import { pendingBegin, pendingMaterialize, pendingAbandon, pendingHasReplacements, pendingKeep, pendingKept, MATERIALIZE_FAILED } from './pending-edits';
import { editStage } from './stage-edit';
import { probabilisticStage } from './stage-probabilistic';
import { tailSamplingCreate, tailSamplingFree, tailSamplingProcess, tailSamplingFlush } from './stage-tail-sampling';
import { spanMetricsEncode } from './span-metrics-otlp';

// The runner (module-internal layout).
const RN_OPTIONS = 0; // traceIndex options (L.O_SIZE bytes)
const RN_MAX_BYTES = 32;
const RN_PIPELINE_COUNT = 36;
const RN_PIPELINES = 40; // PL_* rows copied from the program
const RN_STAGE_COUNT = 44;
const RN_STAGES = 48; // K_* rows
const RN_CONNECTOR_COUNT = 52;
const RN_CONNECTORS = 56; // K_* rows
const RN_TRACES = 60; // byte buffer: output traces
const RN_METRICS = RN_TRACES + BB_SIZE; // byte buffer: output metrics
const RN_STACK = RN_METRICS + BB_SIZE; // byte buffer: the metrics writer's open fields
const RN_OUTPUT = RN_STACK + BB_SIZE; // RO_* record
const RN_HELD = RN_OUTPUT + PG.RO_SIZE; // byte buffer: (pointer, length) of each output request's bytes
const RN_SIZE = RN_HELD + BB_SIZE;

const MAX_SEGMENTS_PER_STAGE = 3;
/** Addresses of the segments being materialised for one stage. */
const SEGS = memory.data(MAX_SEGMENTS_PER_STAGE * 4, 4);

// ---------------------------------------------------------------------------------------------
// Loading.

/**
 * Copies the stage's segments into allocations of their own and applies the relocations; their
 * addresses land in SEGS. False over budget (nothing is left allocated).
 */
function materialize(p: usize, row: usize): bool {
  let first = load<u32>(row + PG.ST_FIRST_SEGMENT);
  let count = load<u32>(row + PG.ST_SEGMENT_COUNT);
  let segs = p + <usize>load<u32>(p + PG.PG_SEGMENTS);
  for (let i: u32 = 0; i < count; i++) {
    let sg = segs + <usize>(first + i) * PG.SG_ROW;
    let size = <usize>load<u32>(sg + PG.SG_SIZE);
    // 16 zero bytes after each block: the core's readers may peek past the strings it holds.
    let block = alloc(size + 16);
    if (!block) {
      for (let k: u32 = 0; k < i; k++) free(<usize>load<u32>(SEGS + <usize>k * 4));
      return false;
    }
    memory.copy(block, p + <usize>load<u32>(sg + PG.SG_OFFSET), size);
    memory.fill(block + size, 0, 16);
    store<u32>(SEGS + <usize>i * 4, <u32>block);
  }
  for (let i: u32 = 0; i < count; i++) {
    let sg = segs + <usize>(first + i) * PG.SG_ROW;
    let block = <usize>load<u32>(SEGS + <usize>i * 4);
    let relocs = p + <usize>load<u32>(sg + PG.SG_RELOCS);
    let n = load<u32>(sg + PG.SG_RELOC_COUNT);
    for (let r: u32 = 0; r < n; r++) {
      let rl = relocs + <usize>r * PG.RL_ROW;
      let at = block + <usize>load<u32>(rl + PG.RL_AT);
      store<u32>(at, load<u32>(at) + load<u32>(SEGS + <usize>load<u32>(rl + PG.RL_TARGET) * 4));
    }
  }
  return true;
}

function seg(i: u32): usize {
  return <usize>load<u32>(SEGS + <usize>i * 4);
}

function segSize(p: usize, row: usize, i: u32): usize {
  let segs = p + <usize>load<u32>(p + PG.PG_SEGMENTS);
  return <usize>load<u32>(segs + <usize>(load<u32>(row + PG.ST_FIRST_SEGMENT) + i) * PG.SG_ROW + PG.SG_SIZE);
}

/** Whether [ptr, ptr + len) lies inside segment i (a pointer the relocations produced). */
function inSegment(p: usize, row: usize, i: u32, ptr: usize, len: usize): bool {
  return ptr >= seg(i) && ptr + len <= seg(i) + segSize(p, row, i);
}

/** Frees what a stage or connector holds. */
function stageFree(stage: usize): void {
  let kind = load<u32>(stage + K.K_KIND);
  if (kind == PG.STAGE_TAIL_SAMPLING) {
    if (load<u32>(stage + K.K_STATE)) tailSamplingFree(stage);
  } else if (kind == PG.CONNECTOR_SPANMETRICS) {
    smFree(<usize>load<u32>(stage + K.K_STATE));
  }
  free(<usize>load<u32>(stage + K.K_BLOCK));
  free(<usize>load<u32>(stage + K.K_AUX));
  free(<usize>load<u32>(stage + K.K_NAME));
  memory.fill(stage, 0, K.K_SIZE);
}

/** Key patterns of an edit plan: each program inside the segment and accepted by the regex checks. */
function checkKeyPatterns(p: usize, row: usize): bool {
  let kp = seg(1);
  let n = load<u32>(kp + PG.KP_COUNT);
  if (n > <u32>PG.MAX_KEY_PATTERNS || <usize>PG.KP_FIRST + <usize>n * PG.KP_ROW > segSize(p, row, 1)) return false;
  for (let i: u32 = 0; i < n; i++) {
    let e = kp + PG.KP_FIRST + <usize>i * PG.KP_ROW;
    let ptr = <usize>load<u32>(e + PG.KP_PTR);
    let len = <usize>load<u32>(e + PG.KP_LEN);
    if (!inSegment(p, row, 1, ptr, len) || !regexCheck(ptr, len)) return false;
  }
  return true;
}

/** Builds a stage (or connector) from its program row into `stage` (zeroed K_* record). */
function stageLoad(p: usize, row: usize, stage: usize): u32 {
  let kind = load<u32>(row + PG.ST_KIND);
  store<u32>(stage + K.K_KIND, kind);
  store<u32>(stage + K.K_FLAGS, load<u32>(row + PG.ST_FLAGS));
  let nameLen = <usize>load<u32>(row + PG.ST_NAME_LEN);
  let name = alloc(max<usize>(nameLen, 1));
  if (!name) return memoryError(0, 0, 'pipeline program', <u64>nameLen);
  memory.copy(name, p + <usize>load<u32>(row + PG.ST_NAME), nameLen);
  store<u32>(stage + K.K_NAME, <u32>name);
  store<u32>(stage + K.K_NAME_LEN, <u32>nameLen);
  if (!materialize(p, row)) return memoryError(name, nameLen, 'configuration blocks', <u64>segSize(p, row, 0));
  switch (kind) {
    case PG.STAGE_PROBABILISTIC:
      store<u32>(stage + K.K_BLOCK, <u32>seg(0));
      return PG.PIPE_OK;
    case PG.STAGE_ATTRIBUTES:
    case PG.STAGE_REDACTION:
      store<u32>(stage + K.K_BLOCK, <u32>seg(0));
      store<u32>(stage + K.K_AUX, <u32>seg(1));
      if (!checkKeyPatterns(p, row)) return programError('a key pattern failed the regex program checks');
      return PG.PIPE_OK;
    case PG.STAGE_TAIL_SAMPLING: {
      let opts = seg(0);
      let leaves = load<u32>(opts + T.TO_LEAF_COUNT);
      let nodes = load<u32>(opts + T.TO_NODE_COUNT);
      let ok = <usize>load<u32>(opts + T.TO_LEAVES) == seg(1) && <usize>load<u32>(opts + T.TO_NODES) == seg(2)
        && <u64>leaves * T.LF_ROW <= <u64>segSize(p, row, 1) && <u64>nodes * T.PN_ROW <= <u64>segSize(p, row, 2)
        && load<u32>(opts + T.TO_TOP_COUNT) <= nodes && leaves <= 64;
      if (!ok) {
        free(opts);
        free(seg(1));
        free(seg(2));
        return programError('the tail sampling policies do not fit their blocks');
      }
      let status = tailSamplingCreate(stage, opts);
      free(opts);
      return status;
    }
    case PG.CONNECTOR_SPANMETRICS: {
      let config = seg(0);
      let plan = seg(1);
      store<u32>(stage + K.K_BLOCK, <u32>plan);
      let nAggs = load<u32>(config + M.SMC_AGG_COUNT);
      let ok = load<u32>(plan + PG.SO_AGG_COUNT) == nAggs && nAggs <= <u32>M.RS_MAX_AGGS;
      let metrics = <usize>load<u32>(plan + PG.SO_METRICS);
      let nMetrics = load<u32>(plan + PG.SO_METRIC_COUNT);
      ok = ok && inSegment(p, row, 1, metrics, <usize>nMetrics * PG.MO_ROW);
      for (let m: u32 = 0; ok && m < nMetrics; m++) ok = load<u32>(metrics + <usize>m * PG.MO_ROW + PG.MO_AGG) < nAggs;
      if (!ok) {
        free(config);
        return programError('the span metrics output plan does not match its configuration');
      }
      let state = smCreate(config);
      if (!state) {
        free(config);
        return coreError(name, nameLen, 0);
      }
      store<u32>(stage + K.K_STATE, <u32>state);
      return PG.PIPE_OK;
    }
    default:
      return programErrorN('unknown component kind ', <u64>kind);
  }
}

/** Frees a runner and everything it holds. */
export function pipelineFree(runner: usize): void {
  if (!runner) return;
  let stages = <usize>load<u32>(runner + RN_STAGES);
  for (let i: u32 = 0; stages && i < load<u32>(runner + RN_STAGE_COUNT); i++) stageFree(stages + <usize>i * K.K_SIZE);
  let connectors = <usize>load<u32>(runner + RN_CONNECTORS);
  for (let i: u32 = 0; connectors && i < load<u32>(runner + RN_CONNECTOR_COUNT); i++) stageFree(connectors + <usize>i * K.K_SIZE);
  free(stages);
  free(connectors);
  free(<usize>load<u32>(runner + RN_PIPELINES));
  releaseHeld(runner);
  bufRelease(runner + RN_HELD);
  bufRelease(runner + RN_TRACES);
  bufRelease(runner + RN_METRICS);
  bufRelease(runner + RN_STACK);
  free(runner);
}

/**
 * Checks and loads the program at [p, p + len) (the caller keeps the bytes; 16 readable bytes must
 * follow them). Returns the runner, or 0 with pipelineError() set.
 */
export function pipelineLoad(p: usize, len: usize): usize {
  errorReset();
  if (!programCheck(p, len)) return 0;
  let runner = allocZeroed(RN_SIZE);
  if (!runner) {
    memoryError(0, 0, 'pipeline program', <u64>RN_SIZE);
    return 0;
  }
  memory.copy(runner + RN_OPTIONS, p + PG.PG_LIMITS, L.O_SIZE);
  store<u32>(runner + RN_MAX_BYTES, load<u32>(p + PG.PG_MAX_BYTES));
  let np = load<u32>(p + PG.PG_PIPELINE_COUNT);
  let ns = load<u32>(p + PG.PG_STAGE_COUNT);
  let nc = load<u32>(p + PG.PG_CONNECTOR_COUNT);
  let pipes = alloc(<usize>np * PG.PL_ROW);
  let stages = allocZeroed(max<usize>(<usize>ns * K.K_SIZE, 1));
  let connectors = allocZeroed(max<usize>(<usize>nc * K.K_SIZE, 1));
  store<u32>(runner + RN_PIPELINES, <u32>pipes);
  store<u32>(runner + RN_STAGES, <u32>stages);
  store<u32>(runner + RN_CONNECTORS, <u32>connectors);
  if (!pipes || !stages || !connectors) {
    pipelineFree(runner);
    memoryError(0, 0, 'pipeline program', <u64>ns * K.K_SIZE);
    return 0;
  }
  memory.copy(pipes, p + <usize>load<u32>(p + PG.PG_PIPELINES), <usize>np * PG.PL_ROW);
  store<u32>(runner + RN_PIPELINE_COUNT, np);
  store<u32>(runner + RN_STAGE_COUNT, ns);
  store<u32>(runner + RN_CONNECTOR_COUNT, nc);
  for (let i: u32 = 0; i < ns; i++) {
    if (stageLoad(p, p + <usize>load<u32>(p + PG.PG_STAGES) + <usize>i * PG.ST_ROW, stages + <usize>i * K.K_SIZE) != PG.PIPE_OK) {
      pipelineFree(runner);
      return 0;
    }
  }
  for (let i: u32 = 0; i < nc; i++) {
    if (stageLoad(p, p + <usize>load<u32>(p + PG.PG_CONNECTORS) + <usize>i * PG.ST_ROW, connectors + <usize>i * K.K_SIZE) != PG.PIPE_OK) {
      pipelineFree(runner);
      return 0;
    }
  }
  return runner;
}

// ---------------------------------------------------------------------------------------------
// Running.

function stageAt(runner: usize, i: u32): usize {
  return <usize>load<u32>(runner + RN_STAGES) + <usize>i * K.K_SIZE;
}

function connectorAt(runner: usize, i: u32): usize {
  return <usize>load<u32>(runner + RN_CONNECTORS) + <usize>i * K.K_SIZE;
}

function isEditor(stage: usize): bool {
  let kind = load<u32>(stage + K.K_KIND);
  return kind == PG.STAGE_PROBABILISTIC || kind == PG.STAGE_ATTRIBUTES || kind == PG.STAGE_REDACTION;
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
  return load<u32>(stage + K.K_KIND) == PG.STAGE_PROBABILISTIC ? probabilisticStage(stage) : editStage(stage);
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
        // include/exclude read the original bytes: a batch with replacements is spliced first.
        if ((load<u32>(editor + K.K_FLAGS) & PG.SF_NEEDS_TABLE) && pendingHasReplacements()) {
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

/** Batches a run wrote to the output, and whether one of them was the request as it came in. */
let emitted: u32 = 0;
let emittedOriginal = false;

/** Frees the request bytes the last output was made of. */
function releaseHeld(runner: usize): void {
  let held = runner + RN_HELD;
  for (let i: u32 = 0; i < listCount(held); i += 2) free(<usize>listGet(held, i));
  bufSetLen(held, 0);
}

/**
 * Takes a batch (consumed) into the output: its request bytes are kept as they are — re-written
 * first if the decode limits cut it — and its tables freed. One output request is handed out
 * where it lies; several are concatenated at the end of the run.
 */
function emit(runner: usize, header: usize): u32 {
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
function assembleTraces(runner: usize): u32 {
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
  releaseHeld(runner);
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
  emitted = 0;
  emittedOriginal = false;
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
  store<u32>(o + PG.RO_FLAGS, emitted == 1 && emittedOriginal ? PG.ROF_UNCHANGED : 0);
  return PG.PIPE_OK;
}

/** pipelineOutput(): the RO_* record of the last successful run. */
export function pipelineOutput(runner: usize): usize {
  return runner + RN_OUTPUT;
}
