// The runner's last failure: a status (PIPE_*) and its message, in a buffer owned by this module
// (pipelineError() hands out its address). Messages name the component and what went wrong.
import * as PG from '../abi/pipeline-program-layout';
import * as E from '../abi/errors';
import { errorRecord } from '../errors';
import { BB_SIZE, bufSetLen, bufPtr, bufLen } from './byte-buffer';
import { textAppend, textAppendU64, textAppendBytes } from './text-buffer';
import { appendErrorText } from './error-text';

const TEXT = memory.data(BB_SIZE, 4);
/** pipelineError(): the PE_* record. */
const RECORD = memory.data(PG.PE_SIZE, 4);

/** The status of the last failure (PIPE_*), PIPE_OK after errorReset(). */
let status: u32 = PG.PIPE_OK;

export function errorText(): usize {
  return TEXT;
}

export function errorStatus(): u32 {
  return status;
}

export function errorReset(): void {
  bufSetLen(TEXT, 0);
  status = PG.PIPE_OK;
}

/** Starts a message about the program: "pipeline program: …". Returns PIPE_BAD_PROGRAM. */
export function programError(reason: string): u32 {
  errorReset();
  textAppend(TEXT, 'pipeline program: ');
  textAppend(TEXT, reason);
  status = PG.PIPE_BAD_PROGRAM;
  return status;
}

/** A message of its own (no prefix) with the status it stands for. */
export function statusError(code: u32, text: string): u32 {
  errorReset();
  textAppend(TEXT, text);
  status = code;
  return status;
}

/** Same, with a number after the reason. */
export function programErrorN(reason: string, n: u64, tail: string = ''): u32 {
  programError(reason);
  textAppendU64(TEXT, n);
  textAppend(TEXT, tail);
  return PG.PIPE_BAD_PROGRAM;
}

/**
 * The core's error record as text, prefixed with the component it came from (empty for the input
 * itself); the status says whether it is about the input or the memory budget.
 */
export function coreError(source: usize, sourceLen: usize, inputLength: usize): u32 {
  errorReset();
  appendErrorText(TEXT, errorRecord(), source, sourceLen, inputLength);
  status = load<u32>(errorRecord() + E.ERROR_CODE) == E.ERR_OUT_OF_MEMORY ? PG.PIPE_OUT_OF_MEMORY : PG.PIPE_BAD_INPUT;
  return status;
}

/** Running out of budget outside a core call that records it (the runner's own allocations). */
export function memoryError(source: usize, sourceLen: usize, what: string, bytes: u64): u32 {
  errorReset();
  if (sourceLen) {
    textAppendBytes(TEXT, source, sourceLen);
    textAppend(TEXT, ': ');
  }
  textAppend(TEXT, what);
  textAppend(TEXT, ': the core\'s memory budget cannot hold ');
  textAppendU64(TEXT, bytes);
  textAppend(TEXT, ' more bytes (raise the program\'s memory limit: otel-sieve compile-config --memory-limit)');
  status = PG.PIPE_OUT_OF_MEMORY;
  return status;
}

/** An input over the program's byte limit (the facade's InputTooLargeError in the same words). */
export function tooLargeError(size: usize, limit: usize): u32 {
  errorReset();
  textAppend(TEXT, 'input is ');
  textAppendU64(TEXT, <u64>size);
  textAppend(TEXT, ' bytes, over the limit of ');
  textAppendU64(TEXT, <u64>limit);
  textAppend(TEXT, ' bytes (maxBytes)');
  status = PG.PIPE_BAD_INPUT;
  return status;
}

/** pipelineError(): the message (pointer, length) and status of the last failure. */
export function pipelineError(): usize {
  store<u32>(RECORD + PG.PE_TEXT, <u32>bufPtr(TEXT));
  store<u32>(RECORD + PG.PE_TEXT_LEN, <u32>bufLen(TEXT));
  store<u32>(RECORD + PG.PE_STATUS, status);
  return RECORD;
}
