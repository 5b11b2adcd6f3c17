// Loading a pipeline program: checked (program-check.ts), its segments copied into blocks of
// their own and relocated, each processor and connector built from them (samplers and span-metrics
// states created in the core), everything owned by one runner record (runner-layout.ts).
import * as PG from '../abi/pipeline-program-layout';
import * as A from '../abi/attr-edit-layout';
import * as L from '../abi/trace-layout';
import * as T from '../abi/tail-sampling-layout';
import * as M from '../abi/derived-metrics-layout';
import { alloc, allocZeroed, free } from '../mem/alloc';
import { regexCheck } from '../regex/match';
import { smCreate, smFree } from '../metrics/span-metrics';
import { bufRelease } from './byte-buffer';
import * as K from './stage-record';
import { RN_OPTIONS, RN_MAX_BYTES, RN_PIPELINE_COUNT, RN_PIPELINES, RN_STAGE_COUNT, RN_STAGES, RN_CONNECTOR_COUNT, RN_CONNECTORS, RN_TRACES, RN_METRICS, RN_STACK, RN_HELD, RN_SIZE } from './runner-layout';
import { programCheck } from './program-check';
import { programError, programErrorN, coreError, memoryError, errorReset } from './run-error';
import { tailSamplingCreate, tailSamplingFree } from './stage-tail-sampling';
import { filterCreate, filterFree } from './filter-load';
import { releaseHeld } from './run-output';
import { editPlanRelease } from '../processors/key-verdicts';

// A filter's header and its groups' condition blocks are the most a stage has.
const MAX_SEGMENTS_PER_STAGE = 1 + PG.MAX_FILTER_GROUPS;
/** Addresses of the segments being materialised for one stage, and their sizes. */
const SEGS = memory.data(MAX_SEGMENTS_PER_STAGE * 4, 4);
const SIZES = memory.data(MAX_SEGMENTS_PER_STAGE * 4, 4);

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
    store<u32>(SIZES + <usize>i * 4, <u32>size);
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
  } else if (kind == PG.STAGE_FILTER) {
    filterFree(stage);
  } else if ((kind == PG.STAGE_ATTRIBUTES || kind == PG.STAGE_REDACTION) && load<u32>(stage + K.K_BLOCK)) {
    editPlanRelease(<usize>load<u32>(stage + K.K_BLOCK));
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
      // Verdicts are matched in the core from the checked key patterns (whatever table the plan
      // itself carries is not used), cached with the plan across runs.
      store<u32>(seg(0) + A.EP_KEY_PATTERNS, load<u32>(seg(1) + PG.KP_COUNT) ? <u32>seg(1) : 0);
      store<u32>(seg(0) + A.EP_KEY_CACHE, 0);
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
    case PG.STAGE_FILTER:
      return filterCreate(stage, SEGS, SIZES, load<u32>(row + PG.ST_SEGMENT_COUNT));
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
