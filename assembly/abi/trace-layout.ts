// Memory layout of an indexed ExportTraceServiceRequest, shared by the core and the facade.
// Valid AssemblyScript and TypeScript: untyped integer constants only. All offsets are byte
// offsets inside a row; strings are (offset, length) pairs relative to the start of the input
// bytes. Rows are little-endian and 8-byte aligned where they hold 64-bit values.

// Batch header (returned by traceIndex).
export const B_INPUT = 0; // pointer to the input bytes (owned by the batch)
export const B_INPUT_LEN = 4;
export const B_RESOURCE_COUNT = 8;
export const B_RESOURCES = 12;
export const B_SCOPE_COUNT = 16;
export const B_SCOPES = 20;
export const B_SPAN_COUNT = 24;
export const B_SPANS = 28;
export const B_ATTR_COUNT = 32;
export const B_ATTRS = 36;
export const B_NESTED_COUNT = 40;
export const B_NESTED = 44;
export const B_EVENT_COUNT = 48;
export const B_EVENTS = 52;
export const B_LINK_COUNT = 56;
export const B_LINKS = 60;
export const B_FLAGS = 64;
export const B_DEPTH_LIMIT = 68; // the AnyValue depth limit the batch was validated with
export const B_EXTRA = 84; // pointer to lazily built per-batch structures (trace tree etc.), 0 if none
export const B_HEADER_SIZE = 96;

// B_FLAGS bits
export const BATCH_NEEDS_REWRITE = 1; // some span/event/link was truncated by the count limits
export const BATCH_ATTRS_BUILT = 2; // the attribute and nested tables exist (B_ATTRS, B_NESTED)

// Index options block passed to traceIndex (u32 each; 0xFFFFFFFF = unlimited).
export const O_MAX_DEPTH = 0;
export const O_MAX_SPAN_ATTRS = 4;
export const O_MAX_EVENTS = 8;
export const O_MAX_LINKS = 12;
export const O_MAX_EVENT_ATTRS = 16;
export const O_MAX_LINK_ATTRS = 20;
export const O_MAX_SPANS = 24;
export const O_MAX_ATTRS_TOTAL = 28;
export const O_SIZE = 32;

// Resource row: one per ResourceSpans.
export const R_FIELD_START = 0; // offset of the ResourceSpans tag in the request
export const R_CONTENT_START = 4;
export const R_CONTENT_END = 8;
export const R_ATTR_START = 12;
export const R_ATTR_COUNT = 16;
export const R_DROPPED_ATTRS = 20;
export const R_SCHEMA_URL_OFF = 24;
export const R_SCHEMA_URL_LEN = 28;
export const R_SCOPE_START = 32;
export const R_SCOPE_COUNT = 36;
export const R_FLAGS = 40; // HAS_MESSAGE when a Resource message was present
export const R_MSG_START = 44; // content range of the (first) Resource message
export const R_MSG_END = 48;
export const R_SPAN_START = 52;
export const R_SPAN_COUNT = 56;
export const R_ROW = 64;

// Scope row: one per ScopeSpans.
export const S_FIELD_START = 0;
export const S_CONTENT_START = 4;
export const S_CONTENT_END = 8;
export const S_RESOURCE = 12;
export const S_NAME_OFF = 16;
export const S_NAME_LEN = 20;
export const S_VERSION_OFF = 24;
export const S_VERSION_LEN = 28;
export const S_ATTR_START = 32;
export const S_ATTR_COUNT = 36;
export const S_DROPPED_ATTRS = 40;
export const S_SCHEMA_URL_OFF = 44;
export const S_SCHEMA_URL_LEN = 48;
export const S_SPAN_START = 52;
export const S_SPAN_COUNT = 56;
export const S_FLAGS = 60; // HAS_MESSAGE when an InstrumentationScope message was present
export const S_MSG_START = 64;
export const S_MSG_END = 68;
export const S_ROW = 72;

export const HAS_MESSAGE = 1;

// Span row.
export const SP_FIELD_START = 0;
export const SP_CONTENT_START = 4;
export const SP_CONTENT_END = 8;
export const SP_SCOPE = 12;
export const SP_RESOURCE = 16;
export const SP_NAME_OFF = 20;
export const SP_NAME_LEN = 24;
export const SP_KIND = 28; // i32
export const SP_START = 32; // u64
export const SP_END = 40; // u64
export const SP_TRACE_ID = 48; // 16 bytes
export const SP_SPAN_ID = 64; // 8 bytes
export const SP_PARENT_ID = 72; // 8 bytes
export const SP_TRACE_STATE_OFF = 80;
export const SP_TRACE_STATE_LEN = 84;
export const SP_FLAGS = 88; // the Span.flags fixed32 value
export const SP_STATUS_CODE = 92; // i32
export const SP_STATUS_MSG_OFF = 96;
export const SP_STATUS_MSG_LEN = 100;
export const SP_ATTR_START = 104;
export const SP_ATTR_COUNT = 108;
export const SP_EVENT_START = 112;
export const SP_EVENT_COUNT = 116;
export const SP_LINK_START = 120;
export const SP_LINK_COUNT = 124;
export const SP_DROPPED_ATTRS = 128;
export const SP_DROPPED_EVENTS = 132;
export const SP_DROPPED_LINKS = 136;
export const SP_PRESENCE = 140;
export const SP_NAME_HASH = 144;
export const SP_PARENT_INDEX = 148; // filled by the trace-tree builder; 0xFFFFFFFF = none
export const SP_ROW = 152;

// SP_PRESENCE bits
export const P_PARENT = 1; // parent_span_id present and non-zero
export const P_FLAGS = 2; // flags field present
export const P_STATUS = 4; // status message present
export const P_REWRITE = 8; // truncated by a count limit: the encoder rewrites it
export const P_TRACE_ID = 16; // trace_id present
export const P_SPAN_ID = 32; // span_id present

// Event row.
export const E_FIELD_START = 0;
export const E_CONTENT_START = 4;
export const E_CONTENT_END = 8;
export const E_SPAN = 12;
export const E_TIME = 16; // u64
export const E_NAME_OFF = 24;
export const E_NAME_LEN = 28;
export const E_ATTR_START = 32;
export const E_ATTR_COUNT = 36;
export const E_DROPPED_ATTRS = 40;
export const E_PRESENCE = 44; // P_REWRITE
export const E_ROW = 48;

// Link row.
export const L_FIELD_START = 0;
export const L_CONTENT_START = 4;
export const L_CONTENT_END = 8;
export const L_SPAN = 12;
export const L_TRACE_ID = 16; // 16 bytes
export const L_SPAN_ID = 32; // 8 bytes
export const L_TRACE_STATE_OFF = 40;
export const L_TRACE_STATE_LEN = 44;
export const L_ATTR_START = 48;
export const L_ATTR_COUNT = 52;
export const L_DROPPED_ATTRS = 56;
export const L_FLAGS = 60;
export const L_PRESENCE = 64; // P_FLAGS, P_REWRITE, P_TRACE_ID, P_SPAN_ID
export const L_ROW = 72;

// Attribute row (top-level attributes of resources, scopes, spans, events, links) and nested
// value row (elements of arrays and kvlists, at any depth). Same layout for both tables. The
// index pass validates and counts attributes and fixes each owner's *_ATTR_START/_COUNT; the rows
// themselves are built on first use (traceIndexAttributes), in the same order.
export const A_KEY_HASH = 0;
export const A_KEY_OFF = 4;
export const A_KEY_LEN = 8;
export const A_TYPE = 12; // one of V_*
export const A_VALUE = 16; // u64: see V_*
export const A_ROW = 24;

// Value types. Payload in A_VALUE:
export const V_EMPTY = 0; // 0
export const V_STRING = 1; // offset | length << 32 (UTF-8 bytes in the input)
export const V_BOOL = 2; // 0 or 1
export const V_INT = 3; // i64
export const V_DOUBLE = 4; // f64 bits
export const V_ARRAY = 5; // first nested row | count << 32
export const V_KVLIST = 6; // first nested row | count << 32
export const V_BYTES = 7; // offset | length << 32
