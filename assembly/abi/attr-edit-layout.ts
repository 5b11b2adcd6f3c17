// Plans for the attribute editors (attributes and redaction processors), written by the facade
// into core memory and run over a whole batch in one call (shared with TypeScript).

// Plan header.
export const EP_KIND = 0; // EDIT_ATTRIBUTES | EDIT_REDACTION
export const EP_TARGETS = 4; // TARGET_* bits: which attribute maps are edited
export const EP_INCLUDE = 8; // pointer to a match record (attributes), 0 = none
export const EP_EXCLUDE = 12;
export const EP_ACTIONS = 16; // pointer to action records (attributes)
export const EP_ACTION_COUNT = 20;
export const EP_ALLOWED = 24; // string list (redaction allowed_keys)
export const EP_ALLOWED_COUNT = 28;
export const EP_IGNORED = 32; // string list (redaction ignored_keys)
export const EP_IGNORED_COUNT = 36;
export const EP_SUMMARY = 40; // 0 silent, 1 info, 2 debug
export const EP_FLAGS = 44; // EF_*
export const EP_IGNORED_PATTERNS = 48; // redaction: key-verdict bits of ignored_key_patterns
export const EP_BLOCKED_KEY_PATTERNS = 52; // redaction: key-verdict bits of blocked_key_patterns
export const EP_HASH_FN = 56; // redaction hash_function: 0 mask with ****, else HF_* of digests.ts
export const EP_HMAC_KEY = 60; // pointer to hmac_key bytes
export const EP_HMAC_KEY_LEN = 64;
export const EP_EXTRACT_WORDS = 68; // attributes: u32 words of a value's extraction block (see OP_EXTRACT)
export const EP_BLOCKED_VALUES = 72; // redaction: u32 pointers to compiled regex programs (unanchored)
export const EP_BLOCKED_VALUES_COUNT = 76;
export const EP_ALLOWED_VALUES = 80; // redaction: u32 pointers to compiled regex programs (unanchored)
export const EP_ALLOWED_VALUES_COUNT = 84;
export const EP_MASK_ALL = 88; // redaction: the program of `.*`, which masks a blocked key's whole value
export const EP_KEY_PATTERNS = 96; // key patterns' programs (KP table: count, then (program, length) rows), or 0: verdicts come from the facade (DK_BITS)
export const EP_KEY_CACHE = 100; // run time: the plan's key-verdict cache (assembly/processors/key-verdicts.ts), 0 until first use
export const EP_SIZE = 104;

// hash_function values (same numbering as assembly/processors/digests.ts).
export const HF_MD5 = 1;
export const HF_SHA1 = 2;
export const HF_SHA3 = 3;
export const HF_HMAC_SHA256 = 4;
export const HF_HMAC_SHA512 = 5;

export const EDIT_ATTRIBUTES = 1;
export const EDIT_REDACTION = 2;

export const TARGET_RESOURCE = 1;
export const TARGET_SCOPE = 2;
export const TARGET_SPAN = 4;
export const TARGET_EVENT = 8;
export const TARGET_LINK = 16;
export const TARGET_LOG = 32; // log record attributes
export const TARGET_LOG_BODY = 64; // redaction: a log record's string body (masked like a value)
export const TARGET_POINT = 128; // metric data point attributes

export const EF_ALLOW_ALL_KEYS = 1;

// String list entry: pointer, length, hash32 of the bytes.
export const SL_PTR = 0;
export const SL_LEN = 4;
export const SL_HASH = 8;
export const SL_ROW = 12;

// Action record.
export const AC_OP = 0; // OP_*
export const AC_KEY = 4;
export const AC_KEY_LEN = 8;
export const AC_KEY_HASH = 12;
export const AC_SOURCE = 16; // SRC_*
export const AC_SRC_KEY = 20;
export const AC_SRC_KEY_LEN = 24;
export const AC_SRC_KEY_HASH = 28;
export const AC_TYPE = 32; // literal value type (V_*) or convert target (CONVERT_*)
export const AC_PATTERN_BIT = 36; // delete/hash: key-verdict bit of the action's pattern, or NO_PATTERN
export const AC_VALUE = 40; // u64: int / double bits / bool / string ptr | len << 32
export const AC_ROW = 48;

export const OP_INSERT = 1;
export const OP_UPDATE = 2;
export const OP_UPSERT = 3;
export const OP_DELETE = 4;
export const OP_HASH = 5;
export const OP_CONVERT = 6;
// extract: AC_SRC_KEY = string list of the pattern's group names, AC_SRC_KEY_LEN = their count,
// AC_VALUE = pointer to the pattern's program (compiled with captures), AC_TYPE = the action's
// slot (u32 offset) in each distinct value's extraction block: a state word (0 not matched yet,
// 1 no match, 2 match), then 2 × (1 + groups) i32 match positions relative to the value.
export const OP_EXTRACT = 7;

export const NO_PATTERN = 0xffffffff;

export const SRC_LITERAL = 0;
export const SRC_ATTRIBUTE = 1;
export const SRC_NONE = 2; // from_context without a context: the source never resolves

export const CONVERT_INT = 1;
export const CONVERT_DOUBLE = 2;
export const CONVERT_STRING = 3;

// Match record (include / exclude of the attributes processor).
export const MP_SERVICES = 0; // string list
export const MP_SERVICES_COUNT = 4;
export const MP_NAMES = 8;
export const MP_NAMES_COUNT = 12;
export const MP_KINDS = 16; // bit per span kind
export const MP_ATTRS = 24; // attribute tests (all must hold)
export const MP_ATTRS_COUNT = 28;
export const MP_RESOURCES = 32; // attribute tests on the resource (any)
export const MP_RESOURCES_COUNT = 36;
export const MP_LIBRARIES = 40; // library tests (any)
export const MP_LIBRARIES_COUNT = 44;
export const MP_PRESENT = 48; // MPP_* bits of the properties that were given
export const MP_REGEXP = 52; // 1: the strings are compiled regex programs (match_type regexp), matched unanchored
export const MP_BODIES = 56; // string list (logs: string bodies)
export const MP_BODIES_COUNT = 60;
export const MP_SEVERITY_TEXTS = 64; // string list (logs)
export const MP_SEVERITY_TEXTS_COUNT = 68;
export const MP_SEVERITY_MIN = 72; // logs: lowest SeverityNumber that matches
export const MP_SEVERITY_UNDEFINED = 76; // logs: 1 when SEVERITY_NUMBER_UNSPECIFIED matches
export const MP_METRIC_NAMES = 80; // string list (metrics)
export const MP_METRIC_NAMES_COUNT = 84;
export const MP_SIZE = 88;

export const MPP_SERVICES = 1;
export const MPP_NAMES = 2;
export const MPP_KINDS = 4;
export const MPP_ATTRS = 8;
export const MPP_RESOURCES = 16;
export const MPP_LIBRARIES = 32;
export const MPP_BODIES = 64;
export const MPP_SEVERITY_TEXTS = 128;
export const MPP_SEVERITY_NUMBER = 256;
export const MPP_METRIC_NAMES = 512;

// Attribute test: key, whether a value is given, its type (V_*) and value.
export const AT_KEY = 0;
export const AT_KEY_LEN = 4;
export const AT_KEY_HASH = 8;
export const AT_HAS_VALUE = 12;
export const AT_TYPE = 16;
export const AT_VALUE = 24; // u64 (string: ptr | len << 32)
export const AT_ROW = 32;

// Library test: name, whether a version is given, version.
export const LB_NAME = 0;
export const LB_NAME_LEN = 4;
export const LB_HAS_VERSION = 8;
export const LB_VERSION = 12;
export const LB_VERSION_LEN = 16;
export const LB_ROW = 24;

// Result block (editResult()).
export const ER_SPAN_REPL = 0; // item replacement table (spans, log records or data points) or 0
export const ER_ITEM_REPL = 0;
export const ER_RESOURCE_REPL = 4;
export const ER_SCOPE_REPL = 8;
export const ER_CONTENT = 12; // the block the tables point into
export const ER_SPANS_EDITED = 16; // items (spans, log records, data points) re-written
export const ER_ITEMS_EDITED = 16;
export const ER_RESOURCES_EDITED = 20;
export const ER_SCOPES_EDITED = 24;
export const ER_REDACTED = 28; // redaction: keys removed
export const ER_IGNORED = 32;
export const ER_ALLOWED = 36;
export const ER_MASKED = 40;
export const ER_BODIES_MASKED = 44; // redaction: log bodies masked
export const ER_SIZE = 48;

// Distinct attribute keys of a batch (editCollectKeys): the facade matches each key against the
// plan's key patterns once and writes the verdict bits back.
export const DK_KEY = 0; // pointer to the key bytes
export const DK_KEY_LEN = 4;
export const DK_HASH = 8;
export const DK_BITS = 12; // bit i: pattern i matches this key
export const DK_ROW = 16;

// Distinct string values of a batch, as editAttributes meets them: each is matched against the
// plan's value patterns once (redaction blocked_values / allowed_values, attributes extract) and
// the results kept in its row for the next attribute with the same bytes.
export const DV_PTR = 0;
export const DV_LEN = 4;
export const DV_HASH = 8;
export const DV_NEW = 12; // redaction: arena offset of the masked text; attributes: extraction block offset + 1
export const DV_NEW_LEN = 16;
export const DV_FLAGS = 20; // DVF_* bits
export const DV_ROW = 24;

export const DVF_ALLOWED_DONE = 1; // allowed_values were tried
export const DVF_ALLOWED = 2; // an allowed_values pattern matches
export const DVF_MASK_DONE = 4; // blocked_values were applied
export const DVF_MASKED = 8; // and changed the text (DV_NEW, DV_NEW_LEN)

export const COLLECT_KEYS = 1;
