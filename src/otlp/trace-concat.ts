// Joining and splitting trace batches without decoding. Joining is batch-concat's copy inside core
// memory (concatenated requests are one valid request); splitting selects runs of spans in wire
// order through the splice encoder, which keeps each span under its own resource and scope.
import type { TraceBatch } from './trace-batch.js';
import { concatBatches } from './batch-concat.js';

/** One batch holding every span of `batches` in order. The inputs are left as they are. */
export function concatTraceBatches(batches: readonly TraceBatch[]): TraceBatch {
  if (batches.length === 0) throw new RangeError('concatTraceBatches needs at least one batch');
  return concatBatches(batches);
}

/** Splits `batch` into batches of at most `maxSpans` spans, in wire order. Disposes nothing. */
export function splitTraceBatch(batch: TraceBatch, maxSpans: number): TraceBatch[] {
  const n = batch.spanCount;
  if (n <= maxSpans) return [batch];
  const out: TraceBatch[] = [];
  const mask = new Uint8Array(n);
  for (let start = 0; start < n; start += maxSpans) {
    mask.fill(0);
    mask.fill(1, start, Math.min(n, start + maxSpans));
    out.push(batch.select(mask));
  }
  return out;
}
