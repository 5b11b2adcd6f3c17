// probabilistic_sampler as a program stage: the facade processor's edit() (src/processors/
// probabilistic-sampler/probabilistic-sampler-processor.ts) in the core, on the options block the
// compiler wrote (its sampling.priority key pointer relocated at load).
import * as PG from '../abi/pipeline-program-layout';
import * as P from '../abi/probabilistic-layout';
import { psSample, psResult } from '../processors/probabilistic-sampler';
import * as K from './stage-record';
import { batchLength, batchSpans } from './batches';
import { pendingBatch, pendingKeep, pendingSpanRepl, pendingResourceRepl, pendingScopeRepl, pendingSetKeep, pendingSetTables, pendingHold } from './pending-edits';
import { coreError, memoryError } from './run-error';

export function probabilisticStage(stage: usize): u32 {
  let header = pendingBatch;
  if (batchSpans(header) == 0) return PG.PIPE_OK;
  let name = <usize>load<u32>(stage + K.K_NAME);
  let nameLen = <usize>load<u32>(stage + K.K_NAME_LEN);
  if (psSample(header, <usize>load<u32>(stage + K.K_BLOCK), pendingKeep, pendingSpanRepl) != 0) {
    return coreError(name, nameLen, batchLength(header));
  }
  let res = psResult();
  let repl = <usize>load<u32>(res + P.PR_REPL);
  // The mask, table and content now belong to the pending edits.
  pendingSetKeep(<usize>load<u32>(res + P.PR_KEEP), load<u32>(res + P.PR_KEPT));
  pendingSetTables(repl ? repl : pendingSpanRepl, pendingResourceRepl, pendingScopeRepl);
  let held = pendingHold(<usize>load<u32>(res + P.PR_CONTENT));
  memory.fill(res, 0, P.PR_SIZE);
  if (!held) return memoryError(name, nameLen, 'rewritten tracestates', 32);
  return PG.PIPE_OK;
}
