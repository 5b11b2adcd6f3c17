// attributes and redaction as program stages: the facade's editPending (src/processors/attr-edit/
// attr-edit-runner.ts) in the core. Key patterns (delete/hash `pattern`, redaction's key pattern
// lists) are matched by the edit call itself from the plan's checked pattern programs, with a
// verdict cache that lives with the plan (assembly/processors/key-verdicts.ts; set up at load).
import * as PG from '../abi/pipeline-program-layout';
import * as A from '../abi/attr-edit-layout';
import * as L from '../abi/trace-layout';
import { editAttributes, editResult } from '../processors/attr-edit';
import { traceIndexAttributes } from '../otlp/trace-attrs';
import * as K from './stage-record';
import { batchLength, batchSpans } from './batches';
import { pendingBatch, pendingKeep, pendingSpanRepl, pendingResourceRepl, pendingScopeRepl, pendingSetTables, pendingHold } from './pending-edits';
import { coreError, memoryError } from './run-error';

function stageError(stage: usize): u32 {
  return coreError(<usize>load<u32>(stage + K.K_NAME), <usize>load<u32>(stage + K.K_NAME_LEN), batchLength(pendingBatch));
}

/** Builds the batch's attribute table if it is not there yet; false with the error recorded. */
export function ensureAttributes(header: usize): bool {
  if (load<u32>(header + L.B_FLAGS) & L.BATCH_ATTRS_BUILT) return true;
  return traceIndexAttributes(header) == 0;
}

/** Adds the stage's edits to the pending edits; PIPE_OK or an error status (message set). */
export function editStage(stage: usize): u32 {
  let header = pendingBatch;
  if (batchSpans(header) == 0) return PG.PIPE_OK;
  let plan = <usize>load<u32>(stage + K.K_BLOCK);
  if ((load<u32>(stage + K.K_FLAGS) & PG.SF_NEEDS_TABLE) && !ensureAttributes(header)) return stageError(stage);
  if (editAttributes(header, plan, pendingKeep, pendingSpanRepl, pendingResourceRepl, pendingScopeRepl, 0) != 0) return stageError(stage);
  let res = editResult();
  // The tables and content now belong to the pending edits (freed when they are materialised).
  pendingSetTables(<usize>load<u32>(res + A.ER_SPAN_REPL), <usize>load<u32>(res + A.ER_RESOURCE_REPL), <usize>load<u32>(res + A.ER_SCOPE_REPL));
  let held = pendingHold(<usize>load<u32>(res + A.ER_CONTENT));
  memory.fill(res, 0, A.ER_SIZE);
  if (!held) return memoryError(<usize>load<u32>(stage + K.K_NAME), <usize>load<u32>(stage + K.K_NAME_LEN), 'edited content', 32);
  return PG.PIPE_OK;
}
