// Error codes shared by the core (AssemblyScript) and the facade (TypeScript).
// This file must stay valid in both languages: untyped integer constants only.
// The core never traps on bad input; it records the first error in a static record
// (code, byte offset, message type, field number, detail) that the facade turns into an OtlpDecodeError.

export const OK = 0;
export const ERR_TRUNCATED_VARINT = 1;
export const ERR_VARINT_OVERFLOW = 2;
export const ERR_LENGTH_PAST_END = 3;
export const ERR_WRONG_WIRE_TYPE = 4;
export const ERR_INVALID_WIRE_TYPE = 5;
export const ERR_FIELD_ZERO = 6;
export const ERR_DEPTH_LIMIT = 7;
export const ERR_COUNT_LIMIT = 8;
export const ERR_INVALID_ID_LENGTH = 9;
export const ERR_TRUNCATED_FIXED = 10;
export const ERR_UNEXPECTED_END_GROUP = 11;
export const ERR_UNTERMINATED_GROUP = 12;
export const ERR_OUT_OF_MEMORY = 13;
export const ERR_INPUT_TOO_LARGE = 14;
export const ERR_TAG_OVERFLOW = 15;
export const ERR_EMPTY_INPUT = 16;
export const ERR_BAD_ARGUMENT = 17;
export const ERR_QUERY_RUNTIME = 18; // a TraceQL runtime error; detail = kind << 32 | global span index
export const ERR_BAD_PROGRAM = 19; // a predicate program failed the load checks; detail = byte offset
export const ERR_PACKED_LENGTH = 20; // packed fixed-width values whose byte length is not a multiple of the width

// Error record layout (bytes from errorRecord()).
export const ERROR_CODE = 0;
export const ERROR_OFFSET = 4;
export const ERROR_MESSAGE = 8;
export const ERROR_FIELD = 12;
export const ERROR_DETAIL = 16; // u64
export const ERROR_RECORD_SIZE = 24;

// Message types named in errors.
export const MSG_NONE = 0;
export const MSG_TRACE_REQUEST = 1;
export const MSG_RESOURCE_SPANS = 2;
export const MSG_RESOURCE = 3;
export const MSG_SCOPE_SPANS = 4;
export const MSG_SCOPE = 5;
export const MSG_SPAN = 6;
export const MSG_EVENT = 7;
export const MSG_LINK = 8;
export const MSG_STATUS = 9;
export const MSG_KEY_VALUE = 10;
export const MSG_ANY_VALUE = 11;
export const MSG_ARRAY_VALUE = 12;
export const MSG_KEY_VALUE_LIST = 13;
export const MSG_LOGS_REQUEST = 14;
export const MSG_RESOURCE_LOGS = 15;
export const MSG_SCOPE_LOGS = 16;
export const MSG_LOG_RECORD = 17;
export const MSG_METRICS_REQUEST = 18;
export const MSG_RESOURCE_METRICS = 19;
export const MSG_SCOPE_METRICS = 20;
export const MSG_METRIC = 21;
export const MSG_GAUGE = 22;
export const MSG_SUM = 23;
export const MSG_HISTOGRAM = 24;
export const MSG_EXPONENTIAL_HISTOGRAM = 25;
export const MSG_SUMMARY = 26;
export const MSG_NUMBER_DATA_POINT = 27;
export const MSG_HISTOGRAM_DATA_POINT = 28;
export const MSG_EXPONENTIAL_HISTOGRAM_DATA_POINT = 29;
export const MSG_SUMMARY_DATA_POINT = 30;
export const MSG_BUCKETS = 31;
export const MSG_VALUE_AT_QUANTILE = 32;
export const MSG_EXEMPLAR = 33;
