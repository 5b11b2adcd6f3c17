// attributes and redaction as program stages: the facade's editPending (src/processors/attr-edit/
// attr-edit-runner.ts) in the core. Key patterns (delete/hash `pattern`, redaction's key pattern
// lists) are matched here with the core regex engine, once per distinct key of the batch, and the
// verdict bits handed to the edit call exactly as the facade writes them.
import * as PG from '../abi/pipeline-program-layout';
import * as A from '../abi/attr-edit-layout';
import * as L from '../abi/trace-layout';
import { editCollectStrings, editKeyList, editKeyCount, editAttributes, editResult } from '../processors/attr-edit';
import { traceIndexAttributes } from '../otlp/trace-attrs';
import { regexRun } from '../regex/match';
import { BB_SIZE, bufReserve, bufPtr } from './byte-buffer';
import { utf8Replace, utf8Valid } from './utf8-replace';
import * as K from './stage-record';
import { batchLength, batchSpans } from './batches';
import { pendingBatch, pendingKeep, pendingSpanRepl, pendingResourceRepl, pendingScopeRepl, pendingSetTables, pendingHold } from './pending-edits';
import { coreError, memoryError } from './run-error';

/** Keys with ill-formed UTF-8 are matched in their replaced form, as the facade decodes them. */
const SUBJECT = memory.data(BB_SIZE, 4);

function stageError(stage: usize): u32 {
  return coreError(<usize>load<u32>(stage + K.K_NAME), <usize>load<u32>(stage + K.K_NAME_LEN), batchLength(pendingBatch));
}

/** Builds the batch's attribute table if it is not there yet; false with the error recorded. */
export function ensureAttributes(header: usize): bool {
  if (load<u32>(header + L.B_FLAGS) & L.BATCH_ATTRS_BUILT) return true;
  return traceIndexAttributes(header) == 0;
}

/** Verdict bits of one key: bit i set when pattern i matches. -1 when the regex engine ran out of memory. */
function keyBits(patterns: usize, key: usize, keyLen: usize): i64 {
  let subject = key;
  let len = keyLen;
  if (!utf8Valid(key, keyLen)) {
    len = utf8Replace(0, key, keyLen);
    if (!bufReserve(SUBJECT, len)) return -1;
    subject = bufPtr(SUBJECT);
    utf8Replace(subject, key, keyLen);
  }
  let n = load<u32>(patterns + PG.KP_COUNT);
  let bits: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let row = patterns + PG.KP_FIRST + <usize>i * PG.KP_ROW;
    let r = regexRun(<usize>load<u32>(row + PG.KP_PTR), subject, len);
    if (r < 0) return -1;
    if (r == 1) bits |= <u32>1 << i;
  }
  return <i64>bits;
}

/** Adds the stage's edits to the pending edits; PIPE_OK or an error status (message set). */
export function editStage(stage: usize): u32 {
  let header = pendingBatch;
  if (batchSpans(header) == 0) return PG.PIPE_OK;
  let plan = <usize>load<u32>(stage + K.K_BLOCK);
  let patterns = <usize>load<u32>(stage + K.K_AUX);
  if ((load<u32>(stage + K.K_FLAGS) & PG.SF_NEEDS_TABLE) && !ensureAttributes(header)) return stageError(stage);
  if (load<u32>(patterns + PG.KP_COUNT) > 0) {
    let status = editCollectStrings(header, plan, pendingKeep, pendingSpanRepl, pendingResourceRepl, pendingScopeRepl, A.COLLECT_KEYS);
    if (status != 0) return stageError(stage);
    let list = editKeyList();
    let n = editKeyCount();
    for (let i: u32 = 0; i < n; i++) {
      let row = list + <usize>i * A.DK_ROW;
      let bits = keyBits(patterns, <usize>load<u32>(row + A.DK_KEY), <usize>load<u32>(row + A.DK_KEY_LEN));
      if (bits < 0) return memoryError(<usize>load<u32>(stage + K.K_NAME), <usize>load<u32>(stage + K.K_NAME_LEN), 'key patterns', <u64>keyLenOf(row));
      store<u32>(row + A.DK_BITS, <u32>bits);
    }
  }
  if (editAttributes(header, plan, pendingKeep, pendingSpanRepl, pendingResourceRepl, pendingScopeRepl, 0) != 0) return stageError(stage);
  let res = editResult();
  // The tables and content now belong to the pending edits (freed when they are materialised).
  pendingSetTables(<usize>load<u32>(res + A.ER_SPAN_REPL), <usize>load<u32>(res + A.ER_RESOURCE_REPL), <usize>load<u32>(res + A.ER_SCOPE_REPL));
  let held = pendingHold(<usize>load<u32>(res + A.ER_CONTENT));
  memory.fill(res, 0, A.ER_SIZE);
  if (!held) return memoryError(<usize>load<u32>(stage + K.K_NAME), <usize>load<u32>(stage + K.K_NAME_LEN), 'edited content', 32);
  return PG.PIPE_OK;
}

function keyLenOf(row: usize): u32 {
  return load<u32>(row + A.DK_KEY_LEN);
}
