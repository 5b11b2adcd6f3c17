// A failing OTTL condition under error_mode propagate, in the words of the facade's
// OttlRuntimeError (src/ottl/condition-set.ts): "<component>: failed to eval condition "<text>" on
// <context> <item>: line <l>, column <c>: <reason>". The condition's quoted text, its context's
// name and the source position of each instruction come from the filter header the compiler
// wrote; the reasons and type names are the facade's, kept in step here (test/bindings compares
// the messages).
import * as PG from '../abi/pipeline-program-layout';
import * as Q from '../abi/query-layout';
import * as F from '../abi/filter-layout';
import { errorText, statusError } from './run-error';
import { textAppend, textAppendBytes, textAppendU64 } from './text-buffer';

/** The facade's TYPE_NAMES; "" for a type it does not name. */
function typeName(t: u32): string {
  switch (t) {
    case Q.VT_NIL: return 'nil';
    case Q.VT_BOOL: return 'bool';
    case Q.VT_INT: return 'int64';
    case Q.VT_FLOAT: return 'float64';
    case Q.VT_DURATION: return 'time.Duration';
    case Q.VT_STRING: return 'string';
    case Q.VT_ID: return 'TraceID/SpanID';
    case Q.VT_KEY: return 'string';
    case Q.VT_MAP: return 'pcommon.Map';
    case Q.VT_LIST: return 'pcommon.Slice';
    case Q.VT_BYTES: return '[]byte';
    case Q.VT_TIME: return 'time.Time';
    case Q.VT_VLIST: return 'list';
    default: return '';
  }
}

function appendType(b: usize, t: u32): void {
  let s = typeName(t);
  if (s.length) {
    textAppend(b, s);
  } else {
    textAppend(b, 'type ');
    textAppendU64(b, <u64>t);
  }
}

/** The facade's reason(kind, type). */
function appendReason(b: usize, kind: u32, t: u32): void {
  switch (kind) {
    case Q.RT_DIV_ZERO:
      textAppend(b, 'attempted to divide by 0');
      return;
    case Q.RT_NOT_BOOL:
      textAppend(b, 'expected a bool, got ');
      appendType(b, t);
      return;
    case Q.RT_NEG_NUMBER:
      textAppend(b, 'unary minus on ');
      appendType(b, t);
      textAppend(b, ' (only int64 and float64)');
      return;
    case Q.RT_MATH_TYPE:
      textAppend(b, 'math on ');
      appendType(b, t);
      textAppend(b, ' (only int64, float64, time.Time and time.Duration)');
      return;
    case Q.RT_TIME_OP:
      textAppend(b, 'time math with ');
      appendType(b, t);
      textAppend(b, ': only time ± duration, time - time and duration ± duration');
      return;
    case Q.RT_INDEX_TYPE:
      textAppend(b, 'type ');
      appendType(b, t);
      textAppend(b, ' does not support indexing');
      return;
    case Q.RT_INDEX_KEY:
      textAppend(b, 'a ');
      appendType(b, t);
      textAppend(b, ' cannot be indexed with that key (maps take string keys, lists integer keys)');
      return;
    case Q.RT_INDEX_RANGE:
      textAppend(b, 'index out of bounds');
      return;
    case Q.RT_ARG_TYPE:
      textAppend(b, 'a converter got ');
      appendType(b, t);
      textAppend(b, ' where it needs another type');
      return;
    case Q.RT_SUBSTRING:
      textAppend(b, 'Substring: start/length outside the string (start ≥ 0, length > 0, start + length ≤ its length)');
      return;
    case Q.RT_NOT_JSON:
      textAppend(b, 'a float64 NaN or infinity has no JSON/string form');
      return;
    case Q.RT_METRIC_TYPE:
      textAppend(b, 'unknown metric type (the metric has no data)');
      return;
    case Q.RT_OUT_OF_MEMORY:
      textAppend(b, 'computed values do not fit the core memory budget');
      return;
    case Q.RT_TIME_TEXT:
      textAppend(b, 'a time.Time has no string form here (otel-sieve does not format times)');
      return;
    default:
      textAppend(b, 'runtime error ');
      textAppendU64(b, <u64>kind);
  }
}

/**
 * The message for the failure ottlErrorInfo() describes (`info`, OE_* of filter-layout) in the
 * group at `group` (an FG_* row, its texts checked at load) of the component named
 * [name, name + nameLen). Returns PIPE_BAD_INPUT: the request made a condition fail.
 */
export function ottlRuntimeError(name: usize, nameLen: usize, group: usize, info: usize): u32 {
  let status = statusError(PG.PIPE_BAD_INPUT, '');
  let b = errorText();
  let condition = load<u32>(info + F.OE_CONDITION);
  let pc = load<u32>(info + F.OE_PC);
  let text = <usize>load<u32>(group + PG.FG_TEXTS) + <usize>condition * PG.FT_ROW;
  if (nameLen) {
    textAppendBytes(b, name, nameLen);
    textAppend(b, ': ');
  }
  textAppend(b, 'failed to eval condition ');
  textAppendBytes(b, <usize>load<u32>(text + PG.FT_TEXT), <usize>load<u32>(text + PG.FT_TEXT_LEN));
  textAppend(b, ' on ');
  textAppendBytes(b, <usize>load<u32>(group + PG.FG_CONTEXT_NAME), <usize>load<u32>(group + PG.FG_CONTEXT_NAME_LEN));
  textAppend(b, ' ');
  textAppendU64(b, <u64>load<u32>(info + F.OE_ITEM));
  // An instruction without a recorded site is reported at the condition's start, as the facade does.
  let line: u32 = 1;
  let column: u32 = 1;
  let sites = <usize>load<u32>(text + PG.FT_SITES);
  let n = load<u32>(text + PG.FT_SITE_COUNT);
  for (let s: u32 = 0; s < n; s++) {
    let row = sites + <usize>s * PG.FS_ROW;
    if (load<u32>(row + PG.FS_PC) != pc) continue;
    line = load<u32>(row + PG.FS_LINE);
    column = load<u32>(row + PG.FS_COLUMN);
    break;
  }
  textAppend(b, ': line ');
  textAppendU64(b, <u64>line);
  textAppend(b, ', column ');
  textAppendU64(b, <u64>column);
  textAppend(b, ': ');
  appendReason(b, load<u32>(info + F.OE_KIND), load<u32>(info + F.OE_TYPE));
  return status;
}
