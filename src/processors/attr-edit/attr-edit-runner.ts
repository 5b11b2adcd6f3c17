// Runs an attribute edit plan over a batch: one core call edits every attribute map the plan
// targets and returns replacement content; one splice writes the new batch, copying every span,
// scope and resource that was not changed byte for byte. A batch nothing changed in is returned
// as it is.
import * as A from '../../../assembly/abi/attr-edit-layout.js';
import * as L from '../../../assembly/abi/trace-layout.js';
import type { Core } from '../../core/core.js';
import { OtlpDecodeError } from '../../core/errors.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';

interface CoreEdit {
  editAttributes(header: number, plan: number, keep: number): number;
  editResult(): number;
  editFreeResult(): void;
}

export interface EditCounts {
  spans: number;
  resources: number;
  scopes: number;
  redacted: number;
  ignored: number;
  allowed: number;
}

/**
 * `needsTable`: the plan's include/exclude look attributes up in the batch's attribute table;
 * editing itself reads keys and values from the bytes.
 */
export function runEditPlan(core: Core, batch: TraceBatch, plan: number, source: string, counts: EditCounts, needsTable = false, keep?: Uint8Array): TraceBatch {
  if (batch.spanCount === 0) return batch;
  if (keep && keep.length !== batch.spanCount) throw new RangeError(`keep mask has ${keep.length} entries, the batch has ${batch.spanCount} spans`);
  // Spans the decode limits truncated are normalised first: the editor works on whole messages.
  if (core.dv.getUint32(batch.headerPtr + L.B_FLAGS, true) & L.BATCH_NEEDS_REWRITE) {
    const clean = batch.splice(batch.headerPtr, 0);
    batch.dispose();
    batch = clean;
  }
  if (needsTable) batch.ensureAttributes();
  const header = batch.headerPtr;
  const ex = core.exports as unknown as CoreEdit;
  let keepPtr = 0;
  if (keep) {
    keepPtr = core.scratch(keep.length);
    if (!keepPtr) throw new RangeError('keep mask does not fit the core memory budget');
    core.u8.set(keep, keepPtr);
  }
  const status = core.call('editAttributes', () => ex.editAttributes(header, plan, keepPtr));
  if (status !== 0) throw new OtlpDecodeError(core.readError(), batch.byteLength, source);
  const res = ex.editResult() >>> 0;
  const dv = core.dv;
  counts.spans += dv.getUint32(res + A.ER_SPANS_EDITED, true);
  counts.resources += dv.getUint32(res + A.ER_RESOURCES_EDITED, true);
  counts.scopes += dv.getUint32(res + A.ER_SCOPES_EDITED, true);
  counts.redacted += dv.getUint32(res + A.ER_REDACTED, true);
  counts.ignored += dv.getUint32(res + A.ER_IGNORED, true);
  counts.allowed += dv.getUint32(res + A.ER_ALLOWED, true);
  const spanRepl = dv.getUint32(res + A.ER_SPAN_REPL, true);
  const resRepl = dv.getUint32(res + A.ER_RESOURCE_REPL, true);
  const scopeRepl = dv.getUint32(res + A.ER_SCOPE_REPL, true);
  try {
    if (!spanRepl && !resRepl && !scopeRepl && !keepPtr) return batch;
    const out = batch.splice(header, keepPtr, spanRepl, resRepl, scopeRepl);
    batch.dispose();
    return out;
  } finally {
    ex.editFreeResult();
  }
}
