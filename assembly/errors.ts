// The first error of a call, recorded for the facade. The core never throws on bad input: a parser
// calls fail() and unwinds by checking `failed`; traps are reserved for bugs.
import { ERROR_CODE, ERROR_OFFSET, ERROR_MESSAGE, ERROR_FIELD, ERROR_DETAIL, ERROR_RECORD_SIZE, ERR_COUNT_LIMIT } from './abi/errors';

const RECORD = memory.data(32, 8);

export let failed: bool = false;
/** Start of the input being parsed; offsets in errors are relative to it. */
export let inputBase: usize = 0;
/** The message type and field being parsed, named in errors. */
export let ctxMessage: u32 = 0;
export let ctxField: u32 = 0;

export function setInputBase(base: usize): void {
  inputBase = base;
}

// @ts-ignore: decorator
@inline export function setContext(message: u32, field: u32): void {
  ctxMessage = message;
  ctxField = field;
}

export function fail(code: u32, at: usize, detail: u64 = 0): void {
  if (failed) return;
  failed = true;
  store<u32>(RECORD + ERROR_CODE, code);
  store<u32>(RECORD + ERROR_OFFSET, <u32>(at - inputBase));
  store<u32>(RECORD + ERROR_MESSAGE, ctxMessage);
  store<u32>(RECORD + ERROR_FIELD, ctxField);
  store<u64>(RECORD + ERROR_DETAIL, detail);
}

/** An error that is not about a position in the input (budget, arguments). */
export function failPlain(code: u32, detail: u64 = 0): void {
  if (failed) return;
  failed = true;
  store<u32>(RECORD + ERROR_CODE, code);
  store<u32>(RECORD + ERROR_OFFSET, 0);
  store<u32>(RECORD + ERROR_MESSAGE, 0);
  store<u32>(RECORD + ERROR_FIELD, 0);
  store<u64>(RECORD + ERROR_DETAIL, detail);
}

/** A count limit broken by the request as a whole; `message` names what was counted (MSG_SPAN, …). */
export function failLimit(message: u32, limit: u64): void {
  if (failed) return;
  failPlain(ERR_COUNT_LIMIT, limit);
  store<u32>(RECORD + ERROR_MESSAGE, message);
}

export function clearError(): void {
  failed = false;
  ctxMessage = 0;
  ctxField = 0;
  memory.fill(RECORD, 0, ERROR_RECORD_SIZE);
}

export function errorRecord(): usize {
  return RECORD;
}
