// Error records (assembly/errors.ts) as the messages the facade's OtlpDecodeError prints
// (src/core/errors.ts), so a binding reports malformed input in the very words the JavaScript API
// uses. Keep the two in step: test/bindings compares them.
import * as E from '../abi/errors';
import { textAppend, textAppendU64, textAppendBytes } from './text-buffer';

function rule(code: u32): string {
  switch (code) {
    case E.ERR_TRUNCATED_VARINT: return 'truncated varint';
    case E.ERR_VARINT_OVERFLOW: return 'varint overflows 64 bits';
    case E.ERR_LENGTH_PAST_END: return 'length past end';
    case E.ERR_WRONG_WIRE_TYPE: return 'wrong wire type';
    case E.ERR_INVALID_WIRE_TYPE: return 'invalid wire type';
    case E.ERR_FIELD_ZERO: return 'field number 0';
    case E.ERR_DEPTH_LIMIT: return 'depth limit';
    case E.ERR_COUNT_LIMIT: return 'count limit';
    case E.ERR_INVALID_ID_LENGTH: return 'invalid id length';
    case E.ERR_TRUNCATED_FIXED: return 'truncated fixed-width value';
    case E.ERR_UNEXPECTED_END_GROUP: return 'unexpected end group';
    case E.ERR_UNTERMINATED_GROUP: return 'unterminated group';
    case E.ERR_OUT_OF_MEMORY: return 'out of memory';
    case E.ERR_INPUT_TOO_LARGE: return 'input too large';
    case E.ERR_TAG_OVERFLOW: return 'tag overflows 32 bits';
    case E.ERR_EMPTY_INPUT: return 'empty input';
    case E.ERR_PACKED_LENGTH: return 'packed length';
    default: return 'bad argument';
  }
}

/** The message names of the traces request (the only signal the runner reads). */
function messageName(m: u32): string {
  switch (m) {
    case E.MSG_TRACE_REQUEST: return 'ExportTraceServiceRequest';
    case E.MSG_RESOURCE_SPANS: return 'ResourceSpans';
    case E.MSG_RESOURCE: return 'Resource';
    case E.MSG_SCOPE_SPANS: return 'ScopeSpans';
    case E.MSG_SCOPE: return 'InstrumentationScope';
    case E.MSG_SPAN: return 'Span';
    case E.MSG_EVENT: return 'Span.Event';
    case E.MSG_LINK: return 'Span.Link';
    case E.MSG_STATUS: return 'Status';
    case E.MSG_KEY_VALUE: return 'KeyValue';
    case E.MSG_ANY_VALUE: return 'AnyValue';
    case E.MSG_ARRAY_VALUE: return 'ArrayValue';
    case E.MSG_KEY_VALUE_LIST: return 'KeyValueList';
    default: return '';
  }
}

function wireTypeName(w: u64): string {
  switch (<u32>w) {
    case 0: return 'varint';
    case 1: return 'fixed64';
    case 2: return 'length-delimited';
    case 3: return 'start group';
    case 4: return 'end group';
    case 5: return 'fixed32';
    case 6: return '6';
    case 7: return '7';
    default: return '';
  }
}

/**
 * Appends the message for an error record: `[source: ]location: rule[ — detail]`. `source`
 * (a component id) may be empty; `inputLength` is the length of the input the offset refers to.
 */
export function appendErrorText(b: usize, record: usize, source: usize, sourceLen: usize, inputLength: usize): void {
  let code = load<u32>(record + E.ERROR_CODE);
  let offset = load<u32>(record + E.ERROR_OFFSET);
  let message = load<u32>(record + E.ERROR_MESSAGE);
  let field = load<u32>(record + E.ERROR_FIELD);
  let detail = load<u64>(record + E.ERROR_DETAIL);
  if (sourceLen) {
    textAppendBytes(b, source, sourceLen);
    textAppend(b, ': ');
  }
  let where = messageName(message);
  if (code == E.ERR_OUT_OF_MEMORY || code == E.ERR_COUNT_LIMIT) {
    textAppend(b, 'input');
  } else {
    textAppend(b, 'byte ');
    textAppendU64(b, <u64>offset);
    if (where.length) {
      textAppend(b, ' (');
      textAppend(b, where);
      if (field) {
        textAppend(b, ' field ');
        textAppendU64(b, <u64>field);
      }
      textAppend(b, ')');
    }
  }
  textAppend(b, ': ');
  textAppend(b, rule(code));
  switch (code) {
    case E.ERR_LENGTH_PAST_END:
      textAppend(b, ' — length prefix says ');
      textAppendU64(b, detail);
      textAppend(b, <usize>offset < inputLength ? ' bytes but the enclosing message ends sooner (input is ' : ' bytes but the enclosing message ends here (input is ');
      textAppendU64(b, <u64>inputLength);
      textAppend(b, ' bytes)');
      break;
    case E.ERR_WRONG_WIRE_TYPE: {
      textAppend(b, ' — field ');
      textAppendU64(b, <u64>field);
      textAppend(b, ' cannot be ');
      let name = wireTypeName(detail);
      if (name.length) textAppend(b, name);
      else textAppendU64(b, detail);
      break;
    }
    case E.ERR_INVALID_WIRE_TYPE:
      textAppend(b, ' — wire type ');
      textAppendU64(b, detail);
      textAppend(b, ' does not exist');
      break;
    case E.ERR_DEPTH_LIMIT:
      textAppend(b, ' — AnyValue nesting deeper than the limit of ');
      textAppendU64(b, detail);
      break;
    case E.ERR_COUNT_LIMIT:
      textAppend(b, ' — more than the limit of ');
      textAppendU64(b, detail);
      if (message == E.MSG_SPAN) textAppend(b, ' spans per request (DecodeOptions.maxSpans)');
      break;
    case E.ERR_PACKED_LENGTH:
      textAppend(b, ' — packed ');
      textAppendU64(b, detail);
      textAppend(b, '-byte values, but the field\'s length is not a multiple of ');
      textAppendU64(b, detail);
      break;
    case E.ERR_INVALID_ID_LENGTH:
      textAppend(b, ' — id is ');
      textAppendU64(b, detail);
      textAppend(b, ' bytes; trace ids must be 16 bytes and span ids 8 (or empty)');
      break;
    case E.ERR_TRUNCATED_FIXED:
      textAppend(b, ' — needs ');
      textAppendU64(b, detail);
      textAppend(b, ' bytes, the message ends first');
      break;
    case E.ERR_OUT_OF_MEMORY:
      // The facade says how to raise its init() budget; a binding's budget is the program's.
      textAppend(b, ' — the core\'s memory budget cannot hold ');
      textAppendU64(b, detail);
      textAppend(b, ' more bytes (raise the program\'s memory limit: otel-sieve compile-config --memory-limit)');
      break;
    case E.ERR_TAG_OVERFLOW:
      textAppend(b, ' — tag value ');
      textAppendU64(b, detail);
      break;
    case E.ERR_UNEXPECTED_END_GROUP:
    case E.ERR_UNTERMINATED_GROUP:
      textAppend(b, ' — group field ');
      textAppendU64(b, detail);
      break;
    case E.ERR_FIELD_ZERO:
      textAppend(b, ' — protobuf field numbers start at 1');
      break;
    default:
      break;
  }
}
