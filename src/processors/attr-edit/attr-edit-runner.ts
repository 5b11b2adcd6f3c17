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

/**
 * Masking of string values (redaction blocked_values / allowed_values): the new text of a value,
 * or undefined to leave it; results cached per value.
 */
export interface ValueMasking {
  readonly mask: (value: string) => string | undefined;
  readonly cache: Map<string, string | null>;
  /**
   * Whether an allowed_values pattern matches the value (log bodies count as "allowed" then);
   * results cached per value.
   */
  readonly allowed?: (value: string) => boolean;
  readonly allowedCache?: Map<string, boolean>;
}

/**
 * attributes extract: for each extract action in plan order, the named groups of the value's
 * match (undefined without a match); undefined when no action matched. Results cached per value.
 */
export interface ValueExtraction {
  /** Named groups per extract action, in plan order. */
  readonly groups: readonly number[];
  readonly extract: (value: string) => (readonly string[] | undefined)[] | undefined;
  readonly cache: Map<string, (readonly string[] | undefined)[] | null>;
}

/** Most key verdicts remembered (keys are low-cardinality; this bounds a hostile stream). */
const VERDICT_CACHE_LIMIT = 10_000;
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

interface CoreEdit {
  editCollectStrings(header: number, plan: number, keep: number, spanIn: number, resIn: number, scopeIn: number, what: number): number;
  editCollectLogStrings(header: number, plan: number, keep: number, recIn: number, resIn: number, scopeIn: number, what: number): number;
  editCollectPointStrings(header: number, plan: number, metricKeep: number, pointKeep: number, pointIn: number, resIn: number, scopeIn: number, what: number): number;
  editLogAttributes(header: number, plan: number, keep: number, recIn: number, resIn: number, scopeIn: number, eligible: number): number;
  editPointAttributes(header: number, plan: number, metricKeep: number, pointKeep: number, pointIn: number, resIn: number, scopeIn: number, eligible: number): number;
  editKeyList(): number;
  editKeyCount(): number;
  editValueList(): number;
  editValueCount(): number;
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
  keys?: KeyPatterns, values?: ValueMasking | ValueExtraction, eligibleFor?: (batch: Batch) => Uint8Array,
): void {
  const batch = pending.batch;
  if (editedItems(batch) === 0) return;
  if (needsTable) batch.ensureAttributes();
  const header = batch.headerPtr;
  const ex = core.exports as unknown as CoreEdit;
  const wantKeys = keys !== undefined && keys.patterns.length > 0;
  let masked = 0;
  if (wantKeys || values) {
    // One pass collects the distinct keys (and string values); each meets the regex engine once
    // (or is found in a cache), and the verdicts / new texts are written back for the edit call.
    const what = (wantKeys ? A.COLLECT_KEYS : 0) | (values ? A.COLLECT_VALUES : 0);
    const status = core.call('editCollectStrings', () => collectCall(ex, pending, header, plan, what)) >>> 0;
    if (status !== 0) throw new OtlpDecodeError(core.readError(), batch.byteLength, source);
    const read = (p: number, n: number) => utf8.decode(core.u8.subarray(p, p + n));
    if (wantKeys) {
      const list = ex.editKeyList() >>> 0;
      const n = ex.editKeyCount() >>> 0;
      for (let i = 0; i < n; i++) {
        const row = list + i * A.DK_ROW;
        const key = read(core.dv.getUint32(row + A.DK_KEY, true), core.dv.getUint32(row + A.DK_KEY_LEN, true));
        let bits = keys!.cache.get(key);
        if (bits === undefined) {
          bits = 0;
          keys!.patterns.forEach((re, bit) => {
            if (re.test(key)) bits! |= 1 << bit;
          });
          if (keys!.cache.size >= VERDICT_CACHE_LIMIT) keys!.cache.clear();
          keys!.cache.set(key, bits);
        }
        core.dv.setUint32(row + A.DK_BITS, bits >>> 0, true);
      }
    }
    if (values) {
      const list = ex.editValueList() >>> 0;
      const n = ex.editValueCount() >>> 0;
      masked = 'mask' in values ? writeMasks(core, values, list, n, read) : writeExtractions(core, values, list, n, read);
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
    // Masked texts were copied into the edited content: their buffer is no longer needed.
    core.free(masked);
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
  keep?: Uint8Array, keys?: KeyPatterns, values?: ValueMasking | ValueExtraction, eligibleFor?: (batch: Batch) => Uint8Array,
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
    editPending(core, pending, plan, source, counts, needsTable, keys, values, eligibleFor);
  } catch (err) {
    pending.release();
    throw err;
  }
  const out = pending.materialize();
  return out ? [out] : [];
}

/** New texts of masked values into one core block; DV_NEW/DV_NEW_LEN point at them. Returns the block (0 if none). */
function writeMasks(core: Core, values: ValueMasking, list: number, n: number, read: (p: number, n: number) => string): number {
  const replaced: [number, Uint8Array][] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = list + i * A.DV_ROW;
    const value = read(core.dv.getUint32(row + A.DV_PTR, true), core.dv.getUint32(row + A.DV_LEN, true));
    let out = values.cache.get(value);
    if (out === undefined) {
      out = values.mask(value) ?? null;
      if (values.cache.size >= VERDICT_CACHE_LIMIT) values.cache.clear();
      values.cache.set(value, out);
    }
    if (out !== null) {
      const bytes = encoder.encode(out);
      replaced.push([row, bytes]);
      total += bytes.length;
    }
    if (values.allowed && values.allowedCache) {
      let ok = values.allowedCache.get(value);
      if (ok === undefined) {
        ok = values.allowed(value);
        if (values.allowedCache.size >= VERDICT_CACHE_LIMIT) values.allowedCache.clear();
        values.allowedCache.set(value, ok);
      }
      core.dv.setUint32(row + A.DV_ALLOWED, ok ? 1 : 0, true);
    }
  }
  if (!replaced.length) return 0;
  const block = core.call('alloc', (e) => e.alloc(total + 1) >>> 0);
  if (!block) throw new RangeError('masked values do not fit the core memory budget');
  let at = block;
  for (const [row, bytes] of replaced) {
    core.u8.set(bytes, at);
    core.dv.setUint32(row + A.DV_NEW, at, true);
    core.dv.setUint32(row + A.DV_NEW_LEN, bytes.length, true);
    at += bytes.length;
  }
  return block;
}

/**
 * Extraction blocks per value (see extractEntry in the core): per extract action a u32 "matched"
 * then (ptr, len) per named group; the group texts follow all blocks in the same allocation.
 */
function writeExtractions(core: Core, values: ValueExtraction, list: number, n: number, read: (p: number, n: number) => string): number {
  const blockWords = values.groups.reduce((w, g) => w + 1 + 2 * g, 0);
  const found: [number, (readonly string[] | undefined)[], Uint8Array[][]][] = [];
  let textBytes = 0;
  for (let i = 0; i < n; i++) {
    const row = list + i * A.DV_ROW;
    const value = read(core.dv.getUint32(row + A.DV_PTR, true), core.dv.getUint32(row + A.DV_LEN, true));
    let out = values.cache.get(value);
    if (out === undefined) {
      out = values.extract(value) ?? null;
      if (values.cache.size >= VERDICT_CACHE_LIMIT) values.cache.clear();
      values.cache.set(value, out);
    }
    if (out === null) continue;
    const encoded = out.map((groups) => (groups ?? []).map((g) => encoder.encode(g)));
    for (const e of encoded) for (const b of e) textBytes += b.length;
    found.push([row, out, encoded]);
  }
  if (!found.length) return 0;
  const size = found.length * blockWords * 4 + textBytes + 1;
  const block = core.call('alloc', (e) => e.alloc(size) >>> 0);
  if (!block) throw new RangeError('extracted values do not fit the core memory budget');
  core.u8.fill(0, block, block + size);
  let text = block + found.length * blockWords * 4;
  found.forEach(([row, out, encoded], k) => {
    const at = block + k * blockWords * 4;
    let word = 0;
    values.groups.forEach((g, a) => {
      const groups = out[a];
      core.dv.setUint32(at + word * 4, groups ? 1 : 0, true);
      for (let j = 0; j < g; j++) {
        const bytes = encoded[a]![j] ?? new Uint8Array(0);
        core.u8.set(bytes, text);
        core.dv.setUint32(at + (word + 1 + 2 * j) * 4, text, true);
        core.dv.setUint32(at + (word + 2 + 2 * j) * 4, bytes.length, true);
        text += bytes.length;
      }
      word += 1 + 2 * g;
    });
    core.dv.setUint32(row + A.DV_NEW, at, true);
  });
  return block;
}
