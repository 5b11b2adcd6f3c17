// The core as a WebAssembly Component (world otel-sieve:processor/pipeline-processor in
// bindings/wit/processor.wit): the canonical ABI written by hand over the pipeline runner. The
// build (scripts/build-bindings.mjs) renames these exports to their component names, embeds the
// WIT and wraps the module with jco.
//
// Canonical ABI notes: lists arrive in blocks the host obtained from cabi_realloc (the guest owns
// them); results that do not fit one flat value are written to a static return area whose address
// is returned; the lists a result points to (the runner's output buffers, the error text) stay
// valid until the next call, which is after the host has copied them, so no post-return is needed.
import * as PG from '../../assembly/abi/pipeline-program-layout';
import { alloc, realloc, free, setMemoryLimit } from '../../assembly/mem/alloc';
import { pipelineLoad, pipelineRun, pipelineOutput, pipelineFree } from '../../assembly/pipeline/runner';
import { pipelineError } from '../../assembly/pipeline/run-error';

// @ts-ignore: decorator
@external('[export]otel-sieve:processor/pipeline@0.1.0', '[resource-new]processor')
declare function resourceNew(rep: i32): i32;

/** result<T, error>: discriminant at 0, payload at 4 (20 bytes for result<output, error>). */
const RET = memory.data(24, 8);

/** The error variant's cases, in WIT order. */
const ERROR_INVALID_PROGRAM: u8 = 0;
const ERROR_INVALID_INPUT: u8 = 1;
const ERROR_OUT_OF_MEMORY: u8 = 2;

/**
 * The canonical ABI's allocator. Every block gets 16 zero bytes after it (the core's readers peek
 * past the end of their input). The ABI gives realloc no way to fail: over the memory budget it
 * traps, and the host discards the instance.
 */
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  let p = oldPtr ? realloc(oldPtr, newSize + 16) : alloc(newSize + 16);
  if (!p) unreachable();
  memory.fill(p + newSize, 0, 16);
  return p;
}

/** Writes the runner's last failure as the error payload of a result at RET. */
function returnError(): usize {
  let e = pipelineError();
  let status = load<u32>(e + PG.PE_STATUS);
  store<u8>(RET, 1);
  store<u8>(RET + 4, status == PG.PIPE_BAD_INPUT ? ERROR_INVALID_INPUT : status == PG.PIPE_OUT_OF_MEMORY ? ERROR_OUT_OF_MEMORY : ERROR_INVALID_PROGRAM);
  store<u32>(RET + 8, load<u32>(e + PG.PE_TEXT));
  store<u32>(RET + 12, load<u32>(e + PG.PE_TEXT_LEN));
  return RET;
}

/** [static]processor.create(program: list<u8>) -> result<processor, error> */
export function create(program: usize, len: usize): usize {
  if (len >= <usize>PG.PG_HEADER_SIZE && load<u32>(program + PG.PG_MAGIC) == PG.PROGRAM_MAGIC) {
    let limit = load<u32>(program + PG.PG_MEMORY_LIMIT);
    if (limit) setMemoryLimit(<usize>limit);
  }
  let runner = pipelineLoad(program, len);
  free(program);
  if (!runner) return returnError();
  store<u8>(RET, 0);
  store<i32>(RET + 4, resourceNew(<i32>runner));
  return RET;
}

/** [method]processor.process(self: borrow<processor>, traces: list<u8>, now-unix-ms: u64) -> result<output, error> */
export function process(runner: usize, traces: usize, len: usize, nowUnixMs: u64): usize {
  if (pipelineRun(runner, traces, len, <f64>nowUnixMs) != PG.PIPE_OK) return returnError();
  let o = pipelineOutput(runner);
  store<u8>(RET, 0);
  store<u32>(RET + 4, load<u32>(o + PG.RO_TRACES));
  store<u32>(RET + 8, load<u32>(o + PG.RO_TRACES_LEN));
  store<u32>(RET + 12, load<u32>(o + PG.RO_METRICS));
  store<u32>(RET + 16, load<u32>(o + PG.RO_METRICS_LEN));
  return RET;
}

/** [dtor]processor: the host dropped the last handle. */
export function dtor(runner: usize): void {
  pipelineFree(runner);
}

// Replaces the runtime's `env.abort` import: the module imports only what the component declares.
export function onAbort(message: usize, fileName: usize, line: u32, column: u32): void {
  unreachable();
}
