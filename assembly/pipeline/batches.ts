// Batches as the runner holds them: an indexed ExportTraceServiceRequest is its batch header
// (trace-layout B_*), which owns the input bytes and every table. Splices produce new requests that
// are indexed without the per-span limits, like the facade's TraceBatch.splice().
import * as L from '../abi/trace-layout';
import { traceIndex, traceFree } from '../otlp/trace-index';
import { traceSplice, spliceResult } from '../otlp/trace-splice';
import { free } from '../mem/alloc';

/** The index options block of the running program (O_* of trace-layout). */
let options: usize = 0;

export function setIndexOptions(opts: usize): void {
  options = opts;
  memory.fill(spliceOptions, 0xff, L.O_SIZE);
  store<u32>(spliceOptions + L.O_MAX_DEPTH, load<u32>(opts + L.O_MAX_DEPTH));
}

/**
 * The options splice outputs are indexed with: the program's depth limit, no per-span limits —
 * the decode limits are receive-time limits, applied once; what processors add is not cut again
 * (the facade's spliceOutputOptions).
 */
const spliceOptions = memory.data(L.O_SIZE, 8);

/** Indexes input bytes the caller allocated with slack; 0 on error (then the input is freed). */
export function batchIndex(input: usize, len: usize): usize {
  return indexWith(input, len, options);
}

function indexWith(input: usize, len: usize, opts: usize): usize {
  let header = traceIndex(input, len, opts);
  if (!header) free(input);
  return header;
}

/**
 * The request a run started with, while it is alive (freeing it clears this): a batch equal to it
 * is the input exactly as it came, which a host may pass on without taking the runner's copy.
 */
export let originalBatch: usize = 0;

export function setOriginalBatch(header: usize): void {
  originalBatch = header;
}

export function batchFree(header: usize): void {
  if (header == originalBatch) originalBatch = 0;
  traceFree(header);
}

export function batchSpans(header: usize): u32 {
  return load<u32>(header + L.B_SPAN_COUNT);
}

export function batchInput(header: usize): usize {
  return <usize>load<u32>(header + L.B_INPUT);
}

export function batchLength(header: usize): usize {
  return <usize>load<u32>(header + L.B_INPUT_LEN);
}

/** Frees a batch's tables but keeps its request bytes, which the caller now owns. */
export function batchDetachInput(header: usize): usize {
  let input = batchInput(header);
  store<u32>(header + L.B_INPUT, 0);
  batchFree(header);
  return input;
}

/** Whether the decode limits truncated something (the output must be re-written without it). */
export function batchNeedsRewrite(header: usize): bool {
  return (load<u32>(header + L.B_FLAGS) & L.BATCH_NEEDS_REWRITE) != 0;
}

/**
 * A new batch from a splice of `header` (keep mask and replacement tables as traceSplice takes
 * them); 0 on error (recorded). The old batch is left to the caller.
 */
export function batchSplice(header: usize, keep: usize, spanRepl: usize, resourceRepl: usize, scopeRepl: usize): usize {
  if (traceSplice(header, keep, spanRepl, resourceRepl, scopeRepl) != 0) return 0;
  let res = spliceResult();
  return indexWith(<usize>load<u32>(res), <usize>load<u32>(res + 4), spliceOptions);
}
