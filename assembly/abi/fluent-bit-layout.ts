// The program a Fluent Bit filter module runs (bindings/fluent-bit): written at build time by the
// facade (src/fluent-bit/bake-filter.ts) into the module's program area — a static region whose
// address the module exports — and shipped as a data segment, so the module needs no file, no
// WASI and no config parsing at run time. Shared by AssemblyScript and TypeScript: untyped integer
// constants only. Pointers are absolute guest addresses.

// Program header, at the start of the program area.
export const FB_MAGIC = 0; // FB_MAGIC_VALUE when a program is present
export const FB_VERSION = 4; // FB_VERSION_VALUE
export const FB_STEP_COUNT = 8;
export const FB_STEPS = 12; // pointer to FB_STEP_COUNT step rows
export const FB_BODY_KEY = 16; // pointer to the record key that holds the log body ("log")
export const FB_BODY_KEY_LEN = 20; // 0: no key is the body, every key is an attribute
export const FB_ON_ERROR = 24; // FB_DROP or FB_KEEP: records that are not a JSON object, too large, or fail
export const FB_MAX_RECORD = 28; // largest record accepted, bytes
export const FB_MEMORY_LIMIT = 32; // the core's memory budget inside the module, bytes
export const FB_TAG_KEY = 36; // pointer to the resource attribute key the Fluent Bit tag goes to
export const FB_TAG_KEY_LEN = 40;
export const FB_HEADER_SIZE = 48;

export const FB_MAGIC_VALUE = 0x4246534f; // "OSFB" little-endian
export const FB_VERSION_VALUE = 1;

export const FB_DROP = 0;
export const FB_KEEP = 1;

// Step row: one logs processor.
export const FS_KIND = 0; // FSK_*
export const FS_PLAN = 4; // an attribute edit plan (attr-edit-layout) or sampler options (probabilistic-layout)
export const FS_RESERVED = 8; // 8 bytes, 0 (key patterns travel in the edit plan: EP_KEY_PATTERNS)
export const FS_ROW = 16;

export const FSK_EDIT = 1; // attributes or redaction: editLogAttributes with the plan
export const FSK_LOG_SAMPLER = 2; // probabilistic_sampler for logs: psSampleLogs with the options
export const FSK_FILTER = 3; // filter (OTTL log conditions): FS_PLAN is a filter header (FF_*)

// Filter header: the condition groups of the processor's logs part, in the order they run. A record
// is dropped when a condition of any group is true for it (or for its resource or scope: the
// one-record request holds one of each).
export const FF_GROUP_COUNT = 0;
export const FF_FIRST = 8;
export const FG_TABLE = 0; // the group's condition block (CS_* of filter-layout: ottlRun's program table), programs loaded
export const FG_COUNT = 4; // conditions
export const FG_CONTEXT = 8; // CTX_* of query-layout
export const FG_FLAGS = 12; // ottlRun flags (OR_PROPAGATE | OR_ABORT for error_mode propagate)
export const FG_ROW = 16;
// A keep-mask program (filter / OTTL log_record conditions) will be kind 3 when the OTTL engine
// compiles conditions for the core; a module refuses kinds it does not know.
