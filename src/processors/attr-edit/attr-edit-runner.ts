// Runs an attribute edit plan over a batch: one core call edits every attribute map the plan
// targets and returns replacement content; the edits join the batch's pending edits, so a run of
// processors is written out by one splice that copies every span, scope and resource that was not
// changed byte for byte. A batch nothing changed in is passed on as it is.
import * as A from '../../../assembly/abi/attr-edit-layout.js';
import type { Core } from '../../core/core.js';
import { OtlpDecodeError } from '../../core/errors.js';
import { PendingEdits } from '../../pipeline/pending-edits.js';
import type { AnyBatch } from '../../pipeline/pending-edits.js';
import { isLogBatch, isMetricBatch } from '../../otlp/batch-signal.js';
import type { CompiledRegex } from '../regex-matcher.js';

/**
 * Key patterns of a plan (bit i = patterns[i]) and the verdicts already computed per key string:
 * keys repeat across batches, so each distinct key meets the regex engine once.
 */
export interface KeyPatterns {
  readonly patterns: readonly CompiledRegex[];
  readonly cache: Map<string, number>;
}

/** Most key verdicts remembered (keys are low-cardinality; this bounds a hostile stream). */
const VERDICT_CACHE_LIMIT = 10_000;
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

interface CoreEdit {
  editCollectStrings(header: number, plan: number, keep: number, spanIn: number, resIn: number, scopeIn: number, what: number): number;
  editCollectLogStrings(header: number, plan: number, keep: number, recIn: number, resIn: number, scopeIn: number, what: number): number;
  editCollectPointStrings(header: number, plan: number, metricKeep: number, pointKeep: number, pointIn: number, resIn: number, scopeIn: number, what: number): number;
  editLogAttributes(header: number, plan: number, keep: number, recIn: number, resIn: number, scopeIn: number, eligible: number): number;
  editPointAttributes(header: number, plan: number, metricKeep: number, pointKeep: number, pointIn: number, resIn: number, scopeIn: number, eligible: number): number;
  editKeyList(): number;
  editKeyCount(): number;
  editAttributes(header: number, plan: number, keep: number, spanIn: number, resIn: number, scopeIn: number, eligible: number): number;
  editResult(): number;
  editFreeResult(): void;
}

export interface EditCounts {
  /** Items re-written: spans, log records or data points. */
  spans: number;
  resources: number;
  scopes: number;
  redacted: number;
  ignored: number;
  allowed: number;
  masked: number;
  /** Log bodies masked (redaction). */
  bodies?: number;
}

/** Spans, log records or data points: what the editor walks (data points for metrics). */
function editedItems(batch: AnyBatch): number {
  if (isMetricBatch(batch)) return batch.dataPointCount;
  if (isLogBatch(batch)) return batch.logRecordCount;
  return batch.spanCount;
}

/** The core's collect call for the batch's signal, with the pending masks and replacements. */
function collectCall(ex: CoreEdit, pending: PendingEdits<AnyBatch>, header: number, plan: number, what: number): number {
  const p = pending;
  if (isMetricBatch(p.batch)) return ex.editCollectPointStrings(header, plan, p.keep, p.pointKeep, p.spanRepl, p.resourceRepl, p.scopeRepl, what);
  if (isLogBatch(p.batch)) return ex.editCollectLogStrings(header, plan, p.keep, p.spanRepl, p.resourceRepl, p.scopeRepl, what);
  return ex.editCollectStrings(header, plan, p.keep, p.spanRepl, p.resourceRepl, p.scopeRepl, what);
}

/** The core's edit call for the batch's signal; `eligible` holds one byte per span / record / metric. */
function editCall(ex: CoreEdit, pending: PendingEdits<AnyBatch>, header: number, plan: number, eligible: number): number {
  const p = pending;
  if (isMetricBatch(p.batch)) return ex.editPointAttributes(header, plan, p.keep, p.pointKeep, p.spanRepl, p.resourceRepl, p.scopeRepl, eligible);
  if (isLogBatch(p.batch)) return ex.editLogAttributes(header, plan, p.keep, p.spanRepl, p.resourceRepl, p.scopeRepl, eligible);
  return ex.editAttributes(header, plan, p.keep, p.spanRepl, p.resourceRepl, p.scopeRepl, eligible);
}

/**
 * Adds the plan's edits to `pending`. `needsTable`: the plan's include/exclude look attributes up
 * in the attribute table (which describes the original bytes, so it needs a batch without pending
 * replacements); editing itself reads keys and values from the bytes.
 */
export function editPending<Batch extends AnyBatch>(
  core: Core, pending: PendingEdits<Batch>, plan: number, source: string, counts: EditCounts, needsTable: boolean,
  keys?: KeyPatterns, eligibleFor?: (batch: Batch) => Uint8Array,
): void {
  const batch = pending.batch;
  if (editedItems(batch) === 0) return;
  if (needsTable) batch.ensureAttributes();
  const header = batch.headerPtr;
  const ex = core.exports as unknown as CoreEdit;
  if (keys !== undefined && keys.patterns.length > 0) {
    // One pass collects the distinct keys; each meets the regex engine once (or is found in a
    // cache), and the verdicts are written back for the edit call. (Value patterns — redaction
    // blocked/allowed values and log bodies, attributes extract — run inside the edit call itself.)
    const status = core.call('editCollectStrings', () => collectCall(ex, pending, header, plan, A.COLLECT_KEYS)) >>> 0;
    if (status !== 0) throw new OtlpDecodeError(core.readError(), batch.byteLength, source);
    const read = (p: number, n: number) => utf8.decode(core.u8.subarray(p, p + n));
    const list = ex.editKeyList() >>> 0;
    const n = ex.editKeyCount() >>> 0;
    for (let i = 0; i < n; i++) {
      const row = list + i * A.DK_ROW;
      const key = read(core.dv.getUint32(row + A.DK_KEY, true), core.dv.getUint32(row + A.DK_KEY_LEN, true));
      let bits = keys.cache.get(key);
      if (bits === undefined) {
        bits = 0;
        keys.patterns.forEach((re, bit) => {
          if (re.test(key)) bits! |= 1 << bit;
        });
        if (keys.cache.size >= VERDICT_CACHE_LIMIT) keys.cache.clear();
        keys.cache.set(key, bits);
      }
      core.dv.setUint32(row + A.DK_BITS, bits >>> 0, true);
    }
  }
  let eligible = 0;
  let status: number;
  try {
    if (eligibleFor) {
      const mask = eligibleFor(batch);
      eligible = core.call('alloc', (e) => e.alloc(Math.max(1, mask.length)) >>> 0);
      if (!eligible) throw new RangeError('include/exclude mask does not fit the core memory budget');
      core.u8.set(mask, eligible);
    }
    status = core.call('editAttributes', () => editCall(ex, pending, header, plan, eligible));
  } finally {
    core.free(eligible);
  }
  if (status !== 0) throw new OtlpDecodeError(core.readError(), batch.byteLength, source);
  const res = ex.editResult() >>> 0;
  const dv = core.dv;
  counts.spans += dv.getUint32(res + A.ER_SPANS_EDITED, true);
  counts.resources += dv.getUint32(res + A.ER_RESOURCES_EDITED, true);
  counts.scopes += dv.getUint32(res + A.ER_SCOPES_EDITED, true);
  counts.redacted += dv.getUint32(res + A.ER_REDACTED, true);
  counts.ignored += dv.getUint32(res + A.ER_IGNORED, true);
  counts.allowed += dv.getUint32(res + A.ER_ALLOWED, true);
  counts.masked += dv.getUint32(res + A.ER_MASKED, true);
  counts.bodies = (counts.bodies ?? 0) + dv.getUint32(res + A.ER_BODIES_MASKED, true);
  // The tables and content now belong to the pending edits (freed when they are materialised).
  pending.setTables(dv.getUint32(res + A.ER_SPAN_REPL, true), dv.getUint32(res + A.ER_RESOURCE_REPL, true), dv.getUint32(res + A.ER_SCOPE_REPL, true));
  pending.hold(dv.getUint32(res + A.ER_CONTENT, true));
  new Uint8Array(core.exports.memory.buffer, res, A.ER_SIZE).fill(0);
}

/** The plan over one batch on its own (plus an optional keep mask from a filter), one splice. */
export function runEditPlan<Batch extends AnyBatch>(
  core: Core, batch: Batch, plan: number, source: string, counts: EditCounts, needsTable = false,
  keep?: Uint8Array, keys?: KeyPatterns, eligibleFor?: (batch: Batch) => Uint8Array,
): Batch[] {
  if (editedItems(batch) === 0) return [batch];
  const items = isMetricBatch(batch) ? batch.metricCount : editedItems(batch);
  if (keep && keep.length !== items) throw new RangeError(`keep mask has ${keep.length} entries, the batch has ${items} items`);
  const pending = PendingEdits.begin(batch);
  try {
    if (keep) {
      const ptr = core.call('alloc', (ex) => ex.alloc(Math.max(1, keep.length)) >>> 0);
      if (!ptr) throw new RangeError('keep mask does not fit the core memory budget');
      core.u8.set(keep, ptr);
      let kept = 0;
      for (const k of keep) if (k) kept++;
      pending.setKeep(ptr, kept);
    }
    editPending(core, pending, plan, source, counts, needsTable, keys, eligibleFor);
  } catch (err) {
    pending.release();
    throw err;
  }
  const out = pending.materialize();
  return out ? [out] : [];
}
