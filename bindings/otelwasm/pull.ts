// otelwasm's processor interface as its main branch has it (the "experimental" pull model, host
// module opentelemetry.io/wasm): the host calls processTraces(); the guest pulls the batch with
// currentTraces, hands the result back with setResultTraces (not calling it forwards an empty
// batch), and explains a non-zero status (1 ERROR, 2 INVALID_ARGUMENT) with setResultStatusReason.
// plugin_config is pulled the same way on the first call.
//
// Buffer convention: current*/getPluginConfig write the data if it fits the buffer and return its
// length. When it does not fit they return 0 — which an empty batch also returns — so the guest
// cannot learn the size: it grows its buffer (×4) and asks again until the data fits or the buffer
// is one byte past the program's input limit; a 0 then means empty (a batch over the limit would
// be refused anyway, but this convention cannot tell it from an empty one: see bindings/README.md).
// A host that returns the needed size instead (as ABI v1 specifies) is followed directly.
import * as PG from '../../assembly/abi/pipeline-program-layout';
import { alloc, free } from '../../assembly/mem/alloc';
import { pipelineRun, pipelineOutput } from '../../assembly/pipeline/runner';
import { pipelineError, statusError } from '../../assembly/pipeline/run-error';
import { runner, inputLimit, loadPlugin } from './plugin-runner';
import { nowUnixMs } from './wasi-clock';

// @ts-ignore: decorator
@external('opentelemetry.io/wasm', 'currentTraces')
declare function currentTraces(buf: usize, limit: u32): u32;
// @ts-ignore: decorator
@external('opentelemetry.io/wasm', 'currentMetrics')
declare function currentMetrics(buf: usize, limit: u32): u32;
// @ts-ignore: decorator
@external('opentelemetry.io/wasm', 'currentLogs')
declare function currentLogs(buf: usize, limit: u32): u32;
// @ts-ignore: decorator
@external('opentelemetry.io/wasm', 'setResultTraces')
declare function setResultTraces(buf: usize, len: u32): void;
// @ts-ignore: decorator
@external('opentelemetry.io/wasm', 'setResultMetrics')
declare function setResultMetrics(buf: usize, len: u32): void;
// @ts-ignore: decorator
@external('opentelemetry.io/wasm', 'setResultLogs')
declare function setResultLogs(buf: usize, len: u32): void;
// @ts-ignore: decorator
@external('opentelemetry.io/wasm', 'getPluginConfig')
declare function getPluginConfig(buf: usize, limit: u32): u32;
// @ts-ignore: decorator
@external('opentelemetry.io/wasm', 'setResultStatusReason')
declare function setResultStatusReason(buf: usize, len: u32): void;

const STATUS_OK: u32 = 0;
const STATUS_ERROR: u32 = 1;
const STATUS_INVALID_ARGUMENT: u32 = 2;
const TELEMETRY_TRACES: u32 = 4;

/** Where reading starts: the largest size that fitted so far (grown ×4 per retry). */
let readHint: usize = 64 * 1024;
/** Largest plugin_config read (it carries a program in base64). */
const MAX_CONFIG: usize = 64 << 20;
/** Result of pull(): the length read (the block is the return value). */
let pulledLength: usize = 0;

/**
 * Pulls data with a current*()-style host function into a fresh block with 16 bytes of slack
 * (the caller owns it); 0 when memory ran out.
 */
function pull(kind: u32, limit: usize): usize {
  let cap = min<usize>(readHint, limit);
  while (true) {
    let block = alloc(cap + 16);
    if (!block) return 0;
    let n = <usize>(kind == 0 ? currentTraces(block, <u32>cap) : kind == 1 ? currentMetrics(block, <u32>cap) : kind == 2 ? currentLogs(block, <u32>cap) : getPluginConfig(block, <u32>cap));
    if (n > cap) {
      // The host told us the size it needs.
      free(block);
      cap = n;
      continue;
    }
    if (n == 0 && cap < limit) {
      // Either empty or too big for the buffer: the host does not say which.
      free(block);
      cap = min<usize>(cap * 4, limit);
      continue;
    }
    memory.fill(block + n, 0, 16);
    if (n > readHint && kind == 0) readHint = n;
    pulledLength = n;
    return block;
  }
}

function fail(status: u32): u32 {
  let e = pipelineError();
  setResultStatusReason(<usize>load<u32>(e + PG.PE_TEXT), load<u32>(e + PG.PE_TEXT_LEN));
  return status == PG.PIPE_OUT_OF_MEMORY ? STATUS_ERROR : STATUS_INVALID_ARGUMENT;
}

function ensureLoaded(): u32 {
  if (runner) return PG.PIPE_OK;
  let json = pull(3, MAX_CONFIG + 1);
  if (!json) return statusError(PG.PIPE_OUT_OF_MEMORY, 'plugin_config does not fit the core\'s memory budget');
  let status = loadPlugin(json, pulledLength);
  free(json);
  return status;
}

export function getSupportedTelemetry(): u32 {
  return TELEMETRY_TRACES;
}

export function processTraces(): u32 {
  let status = ensureLoaded();
  if (status != PG.PIPE_OK) return fail(status);
  let input = pull(0, inputLimit + 1);
  if (!input) return fail(statusError(PG.PIPE_OUT_OF_MEMORY, 'the batch does not fit the core\'s memory budget'));
  status = pipelineRun(runner, input, pulledLength, nowUnixMs());
  if (status != PG.PIPE_OK) return fail(status);
  let o = pipelineOutput(runner);
  setResultTraces(<usize>load<u32>(o + PG.RO_TRACES), load<u32>(o + PG.RO_TRACES_LEN));
  return STATUS_OK;
}

/** Metrics and logs are not this plug-in's business: they go on unchanged (not setting a result would empty them). */
function passThrough(kind: u32): u32 {
  let data = pull(kind, MAX_CONFIG + 1);
  if (!data) return fail(statusError(PG.PIPE_OUT_OF_MEMORY, 'the batch does not fit the core\'s memory budget'));
  if (kind == 1) setResultMetrics(data, <u32>pulledLength);
  else setResultLogs(data, <u32>pulledLength);
  free(data);
  return STATUS_OK;
}

export function processMetrics(): u32 {
  return passThrough(1);
}

export function processLogs(): u32 {
  return passThrough(2);
}

export function onAbort(message: usize, fileName: usize, line: u32, column: u32): void {
  unreachable();
}
