// otelwasm's ABI v1 (the push model of docs/abi/v1.md, pre-stable): the host allocates in the
// guest (otelwasm_memory_allocate), writes the OTLP batch and calls otelwasm_consume_traces; the
// guest owns the block from then on. A result goes back through otelwasm_set_result_traces; not
// setting one passes the batch on unchanged — which is what this guest does when the pipeline
// left the request exactly as it came. plugin_config is read in otelwasm_start (the host returns
// the size it needs when the buffer is too small). Statuses: 0 success, 1 error with a reason.
//
// The host functions' import module is "otelwasm" here (the spec's name); the build writes a
// second module importing them from "opentelemetry.io/wasm" (the host of the v1 pull request and
// the Rust SDK's default) by renaming the module in the import section.
import * as PG from '../../assembly/abi/pipeline-program-layout';
import { alloc, free } from '../../assembly/mem/alloc';
import { pipelineRun, pipelineOutput } from '../../assembly/pipeline/runner';
import { pipelineError, statusError } from '../../assembly/pipeline/run-error';
import { runner, loadPlugin, unloadPlugin } from './plugin-runner';
import { nowUnixMs } from './wasi-clock';

// @ts-ignore: decorator
@external('otelwasm', 'otelwasm_set_result_traces')
declare function setResultTraces(ptr: usize, size: u32): void;
// @ts-ignore: decorator
@external('otelwasm', 'otelwasm_get_plugin_config')
declare function getPluginConfig(buf: usize, limit: u32): u32;
// @ts-ignore: decorator
@external('otelwasm', 'otelwasm_set_status_reason')
declare function setStatusReason(ptr: usize, size: u32): void;

const STATUS_SUCCESS: u32 = 0;
const STATUS_ERROR: u32 = 1;
const TELEMETRY_TRACES: u32 = 4;

function fail(): u32 {
  let e = pipelineError();
  setStatusReason(<usize>load<u32>(e + PG.PE_TEXT), load<u32>(e + PG.PE_TEXT_LEN));
  return STATUS_ERROR;
}

/** ABI version marker (never called). */
export function otelwasm_abi_version_0_1_0(): void {}

/** A block for the host to write into (16 zero bytes after it for the core's readers); 0 = failure. */
export function otelwasm_memory_allocate(size: u32): usize {
  let p = alloc(<usize>size + 16);
  if (p) memory.fill(p + <usize>size, 0, 16);
  return p;
}

export function otelwasm_get_supported_telemetry(): u32 {
  return TELEMETRY_TRACES;
}

/** Reads plugin_config (grown to the size the host asks for) and loads the program. */
export function otelwasm_start(): u32 {
  let cap: u32 = 4096;
  while (true) {
    let buf = alloc(<usize>cap + 16);
    if (!buf) {
      statusError(PG.PIPE_OUT_OF_MEMORY, 'plugin_config does not fit the core\'s memory budget');
      return fail();
    }
    let n = getPluginConfig(buf, cap);
    if (n > cap) {
      free(buf);
      cap = n;
      continue;
    }
    memory.fill(buf + <usize>n, 0, 16);
    let status = loadPlugin(buf, <usize>n);
    free(buf);
    return status == PG.PIPE_OK ? STATUS_SUCCESS : fail();
  }
}

export function otelwasm_shutdown(): u32 {
  unloadPlugin();
  return STATUS_SUCCESS;
}

export function otelwasm_consume_traces(ptr: usize, size: u32): u32 {
  if (!runner) {
    free(ptr);
    statusError(PG.PIPE_BAD_PROGRAM, 'otelwasm_consume_traces before a successful otelwasm_start: no pipeline program is loaded');
    return fail();
  }
  // An empty batch arrives without a block.
  let input = ptr ? ptr : otelwasm_memory_allocate(0);
  if (!input) {
    statusError(PG.PIPE_OUT_OF_MEMORY, 'the batch does not fit the core\'s memory budget');
    return fail();
  }
  if (pipelineRun(runner, input, <usize>size, nowUnixMs()) != PG.PIPE_OK) return fail();
  let o = pipelineOutput(runner);
  if (!(load<u32>(o + PG.RO_FLAGS) & PG.ROF_UNCHANGED)) setResultTraces(<usize>load<u32>(o + PG.RO_TRACES), load<u32>(o + PG.RO_TRACES_LEN));
  return STATUS_SUCCESS;
}

/** Metrics and logs pass through: not setting a result forwards them unchanged. */
export function otelwasm_consume_metrics(ptr: usize, size: u32): u32 {
  free(ptr);
  return STATUS_SUCCESS;
}

export function otelwasm_consume_logs(ptr: usize, size: u32): u32 {
  free(ptr);
  return STATUS_SUCCESS;
}

export function onAbort(message: usize, fileName: usize, line: u32, column: u32): void {
  unreachable();
}
