// Layouts of the query structures: the span-set context (spans of one or more batches grouped by
// trace, with the trace tree resolved) and predicate-VM programs. Valid AssemblyScript and
// TypeScript: untyped integer constants only. Documented in docs/PREDICATE-VM.md.

// ---------------------------------------------------------------------------------------------
// Span-set context (qsetBuild). One allocation; every pointer below points inside it. Spans are
// numbered globally: batch 0's spans first, in wire order, then batch 1's, and so on.
export const Q_SPAN_COUNT = 0;
export const Q_TRACE_COUNT = 4;
export const Q_BATCH_COUNT = 8;
export const Q_BATCHES = 12; // u32[BATCH_COUNT]: batch headers
export const Q_SPAN_ROW = 16; // u32[SPAN_COUNT]: address of the span's row
export const Q_SPAN_BATCH = 20; // u32[SPAN_COUNT]: batch index
export const Q_TRACE_OF = 24; // u32[SPAN_COUNT]: trace index
export const Q_PARENT = 28; // u32[SPAN_COUNT]: global index of the parent span, Q_NONE if root or orphan
export const Q_LEFT = 32; // i32[SPAN_COUNT]: nested-set left number (0 = not in the tree)
export const Q_RIGHT = 36; // i32[SPAN_COUNT]
export const Q_NS_PARENT = 40; // i32[SPAN_COUNT]: parent's left number, -1 for roots, 0 unknown
export const Q_CHILDREN = 44; // u32[SPAN_COUNT]: number of direct children
export const Q_ORDER = 48; // u32[SPAN_COUNT]: span indices grouped by trace, wire order within a trace
export const Q_TRACE_FIRST = 52; // u32[TRACE_COUNT]: first position in ORDER
export const Q_TRACE_SIZE = 56; // u32[TRACE_COUNT]
export const Q_TRACE_ROOT = 60; // u32[TRACE_COUNT]: first root span (no parent id), Q_NONE if none
export const Q_TRACE_START = 64; // u64[TRACE_COUNT]: earliest span start
export const Q_TRACE_END = 68; // u64[TRACE_COUNT]: latest span end
export const Q_FLAGS = 72;
// u32[BATCH_COUNT * 2]: per batch, the address of a dense copy of its attribute key hashes
// (u32 per attribute row, filled on first use once the attribute table exists) and a ready flag.
// Scanning 4-byte hashes instead of 24-byte rows keeps attribute lookups in cache.
export const Q_ATTR_HASHES = 76;
export const Q_HEADER_SIZE = 80;

export const Q_NONE = 0xffffffff;
export const QF_CACHED = 1; // owned by a batch (its B_EXTRA); freed with the batch, not by qsetFree

// ---------------------------------------------------------------------------------------------
// Predicate programs. A program is a header, a constant table, code (u32 words) and a byte pool
// (strings, attribute keys, regex programs, string sets). qprogLoad checks and relocates it.
export const P_MAGIC = 0;
export const P_FLAGS = 4;
export const P_MODE = 8; // comparison semantics: MODE_*
export const P_CODE = 12; // byte offset of the code
export const P_CODE_WORDS = 16;
export const P_CONSTS = 20; // byte offset of the constant table (C_SIZE bytes each)
export const P_CONST_COUNT = 24;
export const P_POOL = 28; // byte offset of the pool
export const P_POOL_SIZE = 32;
export const P_MAX_STACK = 36;
export const P_SIZE = 40; // total bytes
export const P_LOADED = 44; // set by qprogLoad once relocated
export const P_CONTEXT = 48; // what one evaluation binds: CTX_* (TraceQL programs: CTX_SPAN)
export const P_RESERVED = 52;
export const P_HEADER_SIZE = 56;

export const P_MAGIC_VALUE = 0x31305150; // "PQ01"

// P_FLAGS bits
export const PF_EVENTS = 1; // reads event values: evaluated once per event of the span
export const PF_LINKS = 2; // reads link values: once per link
export const PF_ATTRS = 4; // reads attributes: the batch's attribute table must exist

// Comparison modes. TRACEQL: mismatched types are false for every operator, nil compares false,
// int × int exact, other numeric mixes as float64, arrays match any element. Another language
// (OTTL) gets its own mode value and its rules in vmCompare; the opcodes stay the same.
export const MODE_TRACEQL = 0;
// OTTL (the collector's conditions): mismatched types are unequal (`!=` holds, every other
// operator is false), nil == nil, int × float compare as float64, bool orders false < true,
// maps and lists compare by deep equality, ids by bytes; arithmetic on other types, division by
// zero, bad indexes and bad converter arguments are runtime errors of the condition.
export const MODE_OTTL = 1;

// Evaluation contexts (P_CONTEXT): the rows one evaluation binds. TraceQL programs run per span
// (CTX_SPAN, through qRun/qValues); OTTL programs run per item of their context through ottlRun.
export const CTX_SPAN = 0; // a span with its scope and resource
export const CTX_RESOURCE = 1; // a resource
export const CTX_SCOPE = 2; // an instrumentation scope with its resource
export const CTX_SPANEVENT = 3; // a span event with its span, scope and resource
export const CTX_LOG = 4; // a log record with its scope and resource
export const CTX_METRIC = 5; // a metric with its scope and resource
export const CTX_DATAPOINT = 6; // a data point with its metric, scope and resource
export const CTX_COUNT = 7;

// Constant table entry (also the layout of a VM value on the stack and in qValues output).
export const C_TYPE = 0; // VT_*
export const C_AUX = 4; // string/bytes length; array count | element type << 24; id length | ID_STRIP
export const C_PAYLOAD = 8; // u64: int/duration/bool/status/kind, f64 bits, or a pool offset (relocated to an address)
export const C_SIZE = 16;

// Value types.
export const VT_NIL = 0;
export const VT_BOOL = 1;
export const VT_INT = 2;
export const VT_FLOAT = 3;
export const VT_DURATION = 4;
export const VT_STRING = 5; // payload = address, aux = length
export const VT_STATUS = 6;
export const VT_KIND = 7;
export const VT_ARRAY = 8; // payload = address of the first nested attribute row, aux = count | VT << 24
export const VT_ID = 9; // an id shown as hex: payload = address of the bytes, aux = byte length | ID_STRIP
export const VT_KEY = 10; // constants only: attribute key; payload = address, aux = length (hash computed at load)
export const VT_REGEX = 11; // constants only: payload = address of a regex program, aux = its size
export const VT_STRSET = 12; // constants only: payload = address of (u32 count, then (u32 off, u32 len) …), aux = size
// OTTL values (MODE_OTTL only).
export const VT_MAP = 13; // a map: payload = address of its first attribute row, aux = row count
export const VT_LIST = 14; // a list of any values: payload = address of its first nested row, aux = count
export const VT_BYTES = 15; // payload = address, aux = length (a constant: pool offset, relocated)
export const VT_TIME = 16; // Unix nanoseconds (i64)
export const VT_VLIST = 17; // a list literal: payload = address of its values (C_SIZE each), aux = count
export const VT_COUNT = 18;

// aux of a VT_NIL that stands for an empty AnyValue (OTTL: equal to nil, but not indexable).
export const NIL_EMPTY = 1;

export const ID_STRIP = 0x100; // hex without leading zeros (trace ids, like Tempo)

// Opcodes. Operands follow the opcode word.
export const OP_END = 0; // result = top of stack
export const OP_CONST = 1; // k
export const OP_INTRINSIC = 2; // IN_*
export const OP_ATTR = 3; // scope (SC_*), key constant k
export const OP_CMP = 4; // CMP_*
export const OP_ARITH = 5; // AR_*
export const OP_AND = 6;
export const OP_OR = 7;
export const OP_NOT = 8;
export const OP_NEG = 9;
export const OP_REGEX = 10; // regex constant k, negate (0/1)
export const OP_EXISTS = 11; // negate: pushes value != nil (or == nil when negate)
export const OP_IN_SET = 12; // string-set constant k, negate
export const OP_AND_JUMP = 13; // target (word index): top not `true` → replace by false and jump; else pop
export const OP_OR_JUMP = 14; // target: top not a bool → replace by false and jump
export const OP_BOOLIFY = 15; // top not a bool → false
export const OP_ATTR_CMP = 16; // scope, key k, CMP_*, constant k2: pushes (attr cmp const) in one step
// OTTL (MODE_OTTL only).
export const OP_INDEX = 17; // key constant k (string or int): top = top[k] under OTTL's indexing rules
export const OP_CALL = 18; // FN_*, argc: pops argc arguments, pushes the converter's result
export const OP_ATTRS = 19; // scope: pushes the whole attribute map of the scope (VT_MAP)
export const OP_LIST = 20; // n: pops n values, pushes them as a list literal (VT_VLIST)
export const OP_TRUE_JUMP = 21; // target: top `true` → keep it and jump; else pop (`or`)
export const OP_COUNT = 22;

export const CMP_EQ = 0;
export const CMP_NE = 1;
export const CMP_LT = 2;
export const CMP_LE = 3;
export const CMP_GT = 4;
export const CMP_GE = 5;

export const AR_ADD = 0;
export const AR_SUB = 1;
export const AR_MUL = 2;
export const AR_DIV = 3;
export const AR_MOD = 4;
export const AR_POW = 5;

// Attribute scopes.
export const SC_SPAN = 0;
export const SC_RESOURCE = 1;
export const SC_SCOPE = 2; // instrumentation scope
export const SC_EVENT = 3;
export const SC_LINK = 4;
export const SC_UNSCOPED = 5; // span, then resource (by presence)
export const SC_LOG = 6; // a log record's attributes (OTTL)
export const SC_METRIC = 7; // a metric's metadata (OTTL)
export const SC_POINT = 8; // a data point's attributes (OTTL)
export const SC_BODY = 9; // a log record's body, as a value (OTTL; the key constant is ignored)
export const SC_COUNT = 10;

// Intrinsics.
export const IN_NAME = 0;
export const IN_STATUS = 1;
export const IN_STATUS_MESSAGE = 2;
export const IN_DURATION = 3;
export const IN_KIND = 4;
export const IN_SPAN_ID = 5;
export const IN_PARENT_ID = 6;
export const IN_CHILD_COUNT = 7;
export const IN_TRACE_ID = 8;
export const IN_ROOT_NAME = 9;
export const IN_ROOT_SERVICE = 10;
export const IN_TRACE_DURATION = 11;
export const IN_EVENT_NAME = 12;
export const IN_EVENT_TIME_SINCE_START = 13;
export const IN_LINK_TRACE_ID = 14;
export const IN_LINK_SPAN_ID = 15;
export const IN_SCOPE_NAME = 16;
export const IN_SCOPE_VERSION = 17;
export const IN_NESTED_LEFT = 18;
export const IN_NESTED_RIGHT = 19;
export const IN_NESTED_PARENT = 20;
export const IN_COUNT = 21;
// OTTL fields (MODE_OTTL): typed as the collector's contexts return them (ints as int64, ids as
// TraceID/SpanID bytes, times as Unix nanoseconds or time.Time). Which context may read which is
// checked by qprogLoad (ottlIntrinsicAllowed).
export const IN_OTTL_BASE = 32;
export const IN_SPAN_NAME = 32;
export const IN_SPAN_KIND = 33; // int64
export const IN_SPAN_KIND_STRING = 34; // "Server", …
export const IN_SPAN_KIND_DEPRECATED = 35; // "SPAN_KIND_SERVER", …
export const IN_SPAN_STATUS_CODE = 36; // int64
export const IN_SPAN_STATUS_MESSAGE = 37;
export const IN_SPAN_TRACE_ID = 38; // VT_ID (16)
export const IN_SPAN_TRACE_ID_STRING = 39; // 32 lower-case hex digits
export const IN_SPAN_SPAN_ID = 40; // VT_ID (8)
export const IN_SPAN_SPAN_ID_STRING = 41;
export const IN_SPAN_PARENT_ID = 42;
export const IN_SPAN_PARENT_ID_STRING = 43;
export const IN_SPAN_TRACE_STATE = 44; // the raw string
export const IN_SPAN_START_NANOS = 45; // int64
export const IN_SPAN_END_NANOS = 46;
export const IN_SPAN_START_TIME = 47; // VT_TIME
export const IN_SPAN_END_TIME = 48;
export const IN_SPAN_DROPPED_ATTRS = 49;
export const IN_SPAN_DROPPED_EVENTS = 50;
export const IN_SPAN_DROPPED_LINKS = 51;
export const IN_SPAN_IS_ROOT = 52; // IsRootSpan(): parent span id all zero
export const IN_EVENT_NAME_OTTL = 53;
export const IN_EVENT_TIME_NANOS = 54;
export const IN_EVENT_TIME = 55;
export const IN_EVENT_DROPPED_ATTRS = 56;
export const IN_RESOURCE_DROPPED_ATTRS = 57;
export const IN_RESOURCE_SCHEMA_URL = 58;
export const IN_SCOPE_NAME_OTTL = 59;
export const IN_SCOPE_VERSION_OTTL = 60;
export const IN_SCOPE_DROPPED_ATTRS = 61;
export const IN_SCOPE_SCHEMA_URL = 62;
export const IN_LOG_TIME_NANOS = 63;
export const IN_LOG_OBSERVED_NANOS = 64;
export const IN_LOG_TIME = 65;
export const IN_LOG_OBSERVED_TIME = 66;
export const IN_LOG_SEVERITY_NUMBER = 67;
export const IN_LOG_SEVERITY_TEXT = 68;
export const IN_LOG_BODY_STRING = 69; // body.string: the body's AsString()
export const IN_LOG_DROPPED_ATTRS = 70;
export const IN_LOG_FLAGS = 71;
export const IN_LOG_TRACE_ID = 72;
export const IN_LOG_TRACE_ID_STRING = 73;
export const IN_LOG_SPAN_ID = 74;
export const IN_LOG_SPAN_ID_STRING = 75;
export const IN_LOG_EVENT_NAME = 76;
export const IN_METRIC_NAME = 77;
export const IN_METRIC_DESCRIPTION = 78;
export const IN_METRIC_UNIT = 79;
export const IN_METRIC_TYPE = 80; // pmetric.MetricType: 0 empty, 1 gauge, 2 sum, 3 histogram, 4 exponential, 5 summary
export const IN_METRIC_TEMPORALITY = 81; // nil unless sum or (exponential) histogram
export const IN_METRIC_MONOTONIC = 82; // nil unless sum
export const IN_POINT_START_NANOS = 83;
export const IN_POINT_TIME_NANOS = 84;
export const IN_POINT_START_TIME = 85;
export const IN_POINT_TIME = 86;
export const IN_POINT_VALUE_DOUBLE = 87; // number points only (0 when the point holds an int)
export const IN_POINT_VALUE_INT = 88;
export const IN_POINT_FLAGS = 89;
export const IN_POINT_COUNT = 90; // histograms and summaries
export const IN_POINT_SUM = 91;
export const IN_POINT_SCALE = 92; // exponential histograms
export const IN_POINT_ZERO_COUNT = 93;
export const IN_POINT_POSITIVE_OFFSET = 94;
export const IN_POINT_NEGATIVE_OFFSET = 95;
export const IN_OTTL_END = 96;

// Runtime errors (detail of ERR_QUERY_RUNTIME: kind << 32 | global span index).
export const RT_DIV_ZERO = 1;
export const RT_NOT_BOOL = 2; // `!x` on a non-boolean
export const RT_NEG_NUMBER = 3; // `-x` on a non-number
// OTTL runtime errors (the condition errors; error_mode decides what that means).
export const RT_MATH_TYPE = 4; // arithmetic on a value that is not int64, float64, time or duration
export const RT_TIME_OP = 5; // time/duration arithmetic other than the allowed + and -
export const RT_INDEX_TYPE = 6; // a key on a value that cannot be indexed (not a map or list)
export const RT_INDEX_KEY = 7; // a string key on a list or an int key on a map
export const RT_INDEX_RANGE = 8; // list index out of bounds
export const RT_ARG_TYPE = 9; // a converter argument of the wrong type (or nil where a value is needed)
export const RT_SUBSTRING = 10; // Substring's start/length outside the string
export const RT_NOT_JSON = 11; // a float that JSON cannot hold (NaN, ±Inf) where a string form is needed
export const RT_METRIC_TYPE = 12; // HasAttr*OnDatapoint on a metric without data
export const RT_OUT_OF_MEMORY = 13; // computed strings do not fit the core's memory budget
export const RT_TIME_TEXT = 14; // a time.Time where a string form is needed (not supported)

// Structural and set joins (qJoin).
export const J_AND = 0;
export const J_OR = 1;
export const J_CHILD = 2; // >
export const J_PARENT = 3; // <
export const J_DESC = 4; // >>
export const J_ANC = 5; // <<
export const J_SIBLING = 6; // ~
export const J_NOT_CHILD = 7;
export const J_NOT_PARENT = 8;
export const J_NOT_DESC = 9;
export const J_NOT_ANC = 10;
export const J_NOT_SIBLING = 11;
export const J_UNION_CHILD = 12; // &>
export const J_UNION_PARENT = 13; // &<
export const J_UNION_DESC = 14; // &>>
export const J_UNION_ANC = 15; // &<<
export const J_UNION_SIBLING = 16; // &~

// OTTL converters (OP_CALL). Arguments are pushed left to right.
export const FN_IS_STRING = 1;
export const FN_IS_INT = 2;
export const FN_IS_DOUBLE = 3;
export const FN_IS_BOOL = 4;
export const FN_IS_MAP = 5;
export const FN_IS_LIST = 6;
export const FN_LEN = 7;
export const FN_CONCAT = 8; // (list, delimiter)
export const FN_TO_LOWER = 9;
export const FN_TO_UPPER = 10;
export const FN_SUBSTRING = 11; // (target, start, length)
export const FN_INT = 12;
export const FN_DOUBLE = 13;
export const FN_STRING = 14;
export const FN_HAS_PREFIX = 15; // (value, prefix)
export const FN_HAS_SUFFIX = 16;
export const FN_CONTAINS_VALUE = 17; // (list, item)
export const FN_HAS_ATTR_ON_POINT = 18; // (key constant, value string): metric context
export const FN_HAS_ATTR_KEY_ON_POINT = 19; // (key constant): metric context
export const FN_TRACE_STATE_KEY = 20; // (key constant): span context's trace_state["key"]
export const FN_COUNT = 21;

// ottlRun flags. Without OR_PROPAGATE a failing condition counts as false and the next one is
// tried (error_mode ignore/silent); with it the item's evaluation ends there (propagate).
export const OR_PROPAGATE = 1;
export const OR_ABORT = 2; // with OR_PROPAGATE: the first failing item ends the run (ERR_QUERY_RUNTIME)

// ottlRun output per item.
export const OUT_FALSE = 0;
export const OUT_TRUE = 1; // a condition was true (before any failed, under OR_PROPAGATE)
export const OUT_ERROR = 2; // under OR_PROPAGATE: a condition failed before any was true
