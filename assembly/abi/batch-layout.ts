// The part of a batch's memory layout that every signal shares: the header's common slots, the
// resource and scope rows (one per ResourceSpans/ResourceLogs/ResourceMetrics and per
// ScopeSpans/ScopeLogs/ScopeMetrics, whose wire shapes are identical), the attribute rows and the
// index options every signal reads. An "item" is what a scope holds: a span, a log record or a metric.
//
// trace-layout.ts predates this file and keeps its own names for the same offsets (R_SPAN_START is
// R_ITEM_START, …); test/signals/layouts.test.ts checks that the two agree, so code shared by the
// signals (assembly/otlp/envelope-*.ts, attr-*.ts, src/otlp/otlp-batch.ts) can use the names here.
// Valid AssemblyScript and TypeScript: untyped integer constants only.

// Header slots common to every signal (the rest of the header is the signal's; see *-layout.ts).
export const B_INPUT = 0; // pointer to the input bytes (owned by the batch)
export const B_INPUT_LEN = 4;
export const B_RESOURCE_COUNT = 8;
export const B_RESOURCES = 12;
export const B_SCOPE_COUNT = 16;
export const B_SCOPES = 20;
export const B_ITEM_COUNT = 24; // spans, log records or metrics
export const B_ITEMS = 28;
export const B_ATTR_COUNT = 32;
export const B_ATTRS = 36; // 0 until the attribute table is built
export const B_NESTED_COUNT = 40;
export const B_NESTED = 44;
export const B_FLAGS = 64;
export const B_DEPTH_LIMIT = 68;
export const B_EXTRA = 84; // lazily built per-batch structures, 0 if none
export const B_HEADER_SIZE = 96;

// B_FLAGS bits
export const BATCH_NEEDS_REWRITE = 1; // an item was truncated by the count limits
export const BATCH_ATTRS_BUILT = 2;

// Index options: every signal's block starts with the depth limit (u32; 0xFFFFFFFF = unlimited).
export const O_MAX_DEPTH = 0;

// Resource row.
export const R_FIELD_START = 0; // offset of the Resource* field's tag in the request
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
export const R_MSG_START = 44;
export const R_MSG_END = 48;
export const R_ITEM_START = 52;
export const R_ITEM_COUNT = 56;
export const R_ROW = 64;

// Scope row.
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
export const S_ITEM_START = 52;
export const S_ITEM_COUNT = 56;
export const S_FLAGS = 60; // HAS_MESSAGE when an InstrumentationScope message was present
export const S_MSG_START = 64;
export const S_MSG_END = 68;
export const S_ROW = 72;

export const HAS_MESSAGE = 1;

// Every row of a message (span, event, link, log record, metric, data point, exemplar) starts with
// its byte range in the request and the index of what holds it: an item's scope, an event's span…
export const I_FIELD_START = 0; // offset of the field's tag
export const I_CONTENT_START = 4;
export const I_CONTENT_END = 8;
export const I_OWNER = 12;

// Attribute row (top-level attributes, log bodies) and nested value row (array and kvlist elements).
export const A_KEY_HASH = 0;
export const A_KEY_OFF = 4;
export const A_KEY_LEN = 8;
export const A_TYPE = 12; // one of V_*
export const A_VALUE = 16; // u64: see V_*
export const A_ROW = 24;

export const V_EMPTY = 0; // 0
export const V_STRING = 1; // offset | length << 32 (UTF-8 bytes in the input)
export const V_BOOL = 2; // 0 or 1
export const V_INT = 3; // i64
export const V_DOUBLE = 4; // f64 bits
export const V_ARRAY = 5; // first nested row | count << 32
export const V_KVLIST = 6; // first nested row | count << 32
export const V_BYTES = 7; // offset | length << 32

/** An absent row index (no log body, …). */
export const NO_ROW = 0xffffffff;
