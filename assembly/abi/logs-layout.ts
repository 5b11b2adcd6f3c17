// Memory layout of an indexed ExportLogsServiceRequest, shared by the core and the facade. The
// header's common slots, the resource and scope rows and the attribute rows are batch-layout.ts's
// (there the items are log records); this file holds what is specific to logs.
// Valid AssemblyScript and TypeScript: untyped integer constants only. Strings are (offset, length)
// pairs relative to the start of the input bytes; rows are little-endian and 8-byte aligned.

// Header slots (besides batch-layout's).
export const B_RECORD_COUNT = 24; // = B_ITEM_COUNT
export const B_RECORDS = 28; // = B_ITEMS

// Index options block passed to logsIndex (u32 each; 0xFFFFFFFF = unlimited).
export const O_MAX_DEPTH = 0;
export const O_MAX_RECORD_ATTRS = 4;
export const O_MAX_RECORDS = 8;
export const O_SIZE = 16;

// Log record row.
export const LR_FIELD_START = 0; // offset of the log_records tag in the request
export const LR_CONTENT_START = 4;
export const LR_CONTENT_END = 8;
export const LR_SCOPE = 12;
export const LR_RESOURCE = 16;
export const LR_SEVERITY = 20; // i32: SeverityNumber as sent (0 = unspecified)
export const LR_TIME = 24; // u64
export const LR_OBSERVED_TIME = 32; // u64
export const LR_SEVERITY_TEXT_OFF = 40;
export const LR_SEVERITY_TEXT_LEN = 44;
export const LR_BODY_OFF = 48; // content of the (last) body AnyValue
export const LR_BODY_LEN = 52;
export const LR_BODY_ROW = 56; // attribute row holding the body (key empty); NO_ROW when absent
export const LR_ATTR_START = 60;
export const LR_ATTR_COUNT = 64;
export const LR_DROPPED_ATTRS = 68;
export const LR_FLAGS = 72; // the LogRecord.flags fixed32 value
export const LR_PRESENCE = 76;
export const LR_TRACE_ID = 80; // 16 bytes
export const LR_SPAN_ID = 96; // 8 bytes
export const LR_EVENT_NAME_OFF = 104;
export const LR_EVENT_NAME_LEN = 108;
export const LR_ROW = 112;

// LR_PRESENCE bits (the same values as the trace rows' P_* where the meaning is the same)
export const P_FLAGS = 2; // flags field present
export const P_REWRITE = 8; // attributes cut by a count limit: the encoder rewrites the record
export const P_TRACE_ID = 16; // trace_id present (16 bytes)
export const P_SPAN_ID = 32; // span_id present (8 bytes)
export const P_BODY = 64; // a body was present (even an empty AnyValue)
