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
export const P_HEADER_SIZE = 48;

export const P_MAGIC_VALUE = 0x31305150; // "PQ01"

// P_FLAGS bits
export const PF_EVENTS = 1; // reads event values: evaluated once per event of the span
export const PF_LINKS = 2; // reads link values: once per link
export const PF_ATTRS = 4; // reads attributes: the batch's attribute table must exist

// Comparison modes. TRACEQL: mismatched types are false for every operator, nil compares false,
// int × int exact, other numeric mixes as float64, arrays match any element. Another language
// (OTTL) gets its own mode value and its rules in vmCompare; the opcodes stay the same.
export const MODE_TRACEQL = 0;

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
export const OP_COUNT = 17;

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

// Runtime errors (detail of ERR_QUERY_RUNTIME: kind << 32 | global span index).
export const RT_DIV_ZERO = 1;
export const RT_NOT_BOOL = 2; // `!x` on a non-boolean
export const RT_NEG_NUMBER = 3; // `-x` on a non-number

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
