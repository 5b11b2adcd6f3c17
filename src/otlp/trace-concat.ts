// Joining and splitting batches without decoding. Concatenated ExportTraceServiceRequests are one
// valid request (resource_spans is a repeated field), so joining is a copy inside core memory;
// splitting selects runs of spans in wire order through the splice encoder, which keeps each
// span under its own resource and scope.
import * as ERR from '../../assembly/abi/errors.js';
import { OtlpDecodeError } from '../core/errors.js';
import { TraceBatch } from './trace-batch.js';

/** One batch holding every span of `batches` in order. The inputs are left as they are. */
export function concatTraceBatches(batches: readonly TraceBatch[]): TraceBatch {
  if (batches.length === 0) throw new RangeError('concatTraceBatches needs at least one batch');
  const core = batches[0]!.core;
  // A batch the decode limits truncated is re-written without the dropped entries, so its bytes
  // are shorter than its input: encode those first (to JavaScript) to know the total.
  const rewritten = batches.map((b) => (b.truncated ? b.toProtobuf() : undefined));
  let total = 0;
  batches.forEach((b, i) => (total += rewritten[i]?.length ?? b.byteLength));
  const ptr = core.call('allocInput', (ex) => ex.allocInput(total) >>> 0);
  if (!ptr) throw new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(total) }, total);
  let at = ptr;
  batches.forEach((b, i) => {
    // Views are taken after the allocation: growing the memory detaches earlier ones.
    const bytes = rewritten[i] ?? b.protobufView();
    core.u8.set(bytes, at);
    at += bytes.length;
  });
  return TraceBatch.fromCoreBuffer(core, ptr, total, {});
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
