// Edits of consecutive processors on one batch, applied in a single splice: the core-side twin of
// the facade's PendingEdits (src/pipeline/pending-edits.ts), step for step, so a program gives the
// bytes the TypeScript Pipeline gives. One set is pending at a time (the runner is sequential).
import { free, realloc } from '../mem/alloc';
import { batchFree, batchNeedsRewrite, batchSplice, batchSpans } from './batches';

/** The batch being edited (a header). */
export let pendingBatch: usize = 0;
/** Keep mask (one byte per span) or 0 (all kept). */
export let pendingKeep: usize = 0;
/** Spans kept when the mask is set; -1 before any mask. */
export let pendingKept: i64 = -1;
export let pendingSpanRepl: usize = 0;
export let pendingResourceRepl: usize = 0;
export let pendingScopeRepl: usize = 0;
/** Content blocks the replacement tables point into (u32 pointers). */
let content: usize = 0;
let contentCount: u32 = 0;
let contentCap: u32 = 0;

/** Starts editing `header` (re-written first if the decode limits truncated it); false on error. */
export function pendingBegin(header: usize): bool {
  if (batchNeedsRewrite(header)) {
    let clean = batchSplice(header, 0, 0, 0, 0);
    batchFree(header);
    if (!clean) return false;
    header = clean;
  }
  pendingBatch = header;
  pendingKeep = 0;
  pendingKept = -1;
  pendingSpanRepl = pendingResourceRepl = pendingScopeRepl = 0;
  contentCount = 0;
  return true;
}

export function pendingHasReplacements(): bool {
  return pendingSpanRepl != 0 || pendingResourceRepl != 0 || pendingScopeRepl != 0;
}

/** Installs a new keep mask (the old one is freed). */
export function pendingSetKeep(keep: usize, kept: u32): void {
  if (pendingKeep && pendingKeep != keep) free(pendingKeep);
  pendingKeep = keep;
  pendingKept = <i64>kept;
}

/** Installs new replacement tables (old tables are freed; the content they pointed at is kept). */
export function pendingSetTables(span: usize, resource: usize, scope: usize): void {
  if (pendingSpanRepl && pendingSpanRepl != span) free(pendingSpanRepl);
  if (pendingResourceRepl && pendingResourceRepl != resource) free(pendingResourceRepl);
  if (pendingScopeRepl && pendingScopeRepl != scope) free(pendingScopeRepl);
  pendingSpanRepl = span;
  pendingResourceRepl = resource;
  pendingScopeRepl = scope;
}

/** Keeps a content block alive until the edits are materialised; false over budget (then it is freed). */
export function pendingHold(block: usize): bool {
  if (!block) return true;
  if (contentCount == contentCap) {
    let cap = max<u32>(8, contentCap * 2);
    let grown = realloc(content, <usize>cap * 4);
    if (!grown) {
      free(block);
      return false;
    }
    content = grown;
    contentCap = cap;
  }
  store<u32>(content + <usize>contentCount * 4, <u32>block);
  contentCount++;
  return true;
}

/** Frees the mask, tables and content without splicing (the batch stays with the caller). */
export function pendingRelease(): void {
  free(pendingKeep);
  free(pendingSpanRepl);
  free(pendingResourceRepl);
  free(pendingScopeRepl);
  for (let i: u32 = 0; i < contentCount; i++) free(<usize>load<u32>(content + <usize>i * 4));
  pendingKeep = pendingSpanRepl = pendingResourceRepl = pendingScopeRepl = 0;
  contentCount = 0;
}

/** Materialise result: a batch, none (every span dropped) or failure (error recorded). */
export const MATERIALIZE_FAILED: usize = <usize>-1;

/**
 * One splice for everything; returns the new batch, 0 when no span is left, or MATERIALIZE_FAILED
 * (the pending batch is freed either way).
 */
export function pendingMaterialize(): usize {
  let batch = pendingBatch;
  let out = batch;
  if (pendingKeep && pendingKept == 0) {
    batchFree(batch);
    out = 0;
  } else if (pendingKeep || pendingHasReplacements()) {
    out = batchSplice(batch, pendingKeep, pendingSpanRepl, pendingResourceRepl, pendingScopeRepl);
    batchFree(batch);
    if (!out) out = MATERIALIZE_FAILED;
  }
  pendingRelease();
  pendingBatch = 0;
  return out;
}

/** Frees the whole pending state and its batch (after an error). */
export function pendingAbandon(): void {
  pendingRelease();
  if (pendingBatch) batchFree(pendingBatch);
  pendingBatch = 0;
}

export function pendingSpanCount(): u32 {
  return batchSpans(pendingBatch);
}

