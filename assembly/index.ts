// The core's exported surface: a raw pointer API, one call per batch. The facade (src/core/) is
// its only intended caller. Names avoid `process`/`fetch`-like identifiers that clash with globals
// in generated glue (see shared/reference/wasm.md).
export { alloc, free, setMemoryLimit, memoryUsed, memoryPeak, blockSize } from './mem/alloc';
export { errorRecord } from './errors';
export { hash32 } from './hash';
export { traceIndex, traceFree } from './otlp/trace-index';
export { traceIndexAttributes } from './otlp/trace-attrs';
export { traceSplice, spliceResult } from './otlp/trace-splice';

import { alloc } from './mem/alloc';

/** Allocates an input buffer of `len` bytes followed by 16 zero bytes the readers may peek at. */
export function allocInput(len: usize): usize {
  let p = alloc(len + 16);
  if (p) memory.fill(p + len, 0, 16);
  return p;
}

/** Version of the ABI in assembly/abi/; the facade refuses a core built from other sources. */
export function abiVersion(): u32 {
  return 1;
}

// Replaces the runtime's `env.abort` import so the module has no imports at all. Reaching it is a
// bug (bad input never gets here); the facade discards the trapped instance.
export function onAbort(message: usize, fileName: usize, line: u32, column: u32): void {
  unreachable();
}
export { bloomCreate, bloomFree, bloomClear, bloomAdd, bloomHas, bloomData, bloomCount } from './processors/bloom';
export { tsCreate, tsFree, tsIngest, tsTick, tsDecideAll, tsCounters, tsReport, tsReportCount, tsSlotDone, tsNewTraceCount, tsFreeRecords } from './processors/tail-sampling';
export { psSample, psResult, psFreeResult } from './processors/probabilistic-sampler';
export { editAttributes, editResult, editFreeResult, editCollectStrings, editKeyList, editKeyCount } from './processors/attr-edit';
export { editPlanRelease } from './processors/key-verdicts';
export { sha256Digest } from './processors/sha256';
export { digestBytes } from './processors/digests';
export { regexRun, regexCheck } from './regex/match';
export { findAt as regexFind, findAll as regexFindAll } from './regex/find';
export { qsetBuild, qsetFree } from './query/span-set';
export { qprogLoad, qRun, qValues } from './query/program';
export { qJoin } from './query/join';
// Metrics from traces (issue 5): span metrics and service graphs, aggregated in the core.
export { smCreate, smConsume, smAfterCollect, smFree } from './metrics/span-metrics';
export { expoAlloc, expoFree, expoRecordMany, expoIndex } from './metrics/exponential-histogram';
export { sgCreate, sgConsume, sgExpire, sgCleanSeries, sgFree } from './metrics/service-graph';
export { logsIndex, logsFree } from './otlp/logs-index';
export { logsIndexAttributes } from './otlp/logs-attrs';
export { logsSplice } from './otlp/logs-splice';
export { metricsIndex, metricsFree } from './otlp/metrics-index';
export { metricsIndexAttributes } from './otlp/metrics-attrs';
export { metricsIndexValues } from './otlp/metrics-values';
export { metricsSplice } from './otlp/metrics-splice';
// Logs and metrics through the attribute editor (issue 9).
export { editLogAttributes, editPointAttributes, editCollectLogStrings, editCollectPointStrings } from './processors/attr-edit-signals';
export { tsLookup } from './processors/tail-sampling';
export { psSampleLogs } from './processors/probabilistic-logs';
// OTTL conditions (filter processor, tail-sampling ottl_condition): programs of the predicate VM
// in MODE_OTTL, run per item of their context.
export { ottlRun, ottlErrorCount, ottlErrorInfo } from './query/ottl-run';
export { traceDropEvents, eventDropResult } from './otlp/trace-event-drop';
// Pipeline programs (issue 8): a compiled traces pipeline run in the core, the same code the
// bindings (component, collector plug-ins) run.
export { pipelineLoad, pipelineRun, pipelineOutput, pipelineFree } from './pipeline/runner';
export { pipelineError } from './pipeline/run-error';
export { storeAddTraceIds, storeMatchTraceId, storeTimeRange } from './store/trace-ids';
