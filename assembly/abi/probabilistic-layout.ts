// Options block of the probabilistic sampler core call (shared with the facade).
export const PO_MODE = 0; // PMODE_*
export const PO_SEED = 4; // hash_seed (u32)
export const PO_FAIL_CLOSED = 8;
export const PO_PRECISION = 12; // sampling_precision, hex digits 1..14
export const PO_THRESHOLD = 16; // u64: fixed 56-bit threshold (hash_seed, equalizing)
export const PO_RATIO = 24; // f64: proportional ratio
export const PO_PRIORITY_KEY = 32; // pointer to "sampling.priority" (logs: the sampling_priority attribute; length 0 = none)
export const PO_PRIORITY_KEY_LEN = 36;
export const PO_PRIORITY_KEY_HASH = 40;
export const PO_FROM_KEY = 48; // logs: pointer to the from_attribute key (length 0 = none)
export const PO_FROM_KEY_LEN = 52;
export const PO_LOG_FLAGS = 56; // logs: PLF_* bits
export const PO_SIZE = 64;

// PO_LOG_FLAGS bits
export const PLF_TRACE_ID = 1; // attribute_source traceID: hash the trace id when there is one

export const PMODE_HASH_SEED = 0;
export const PMODE_PROPORTIONAL = 1;
export const PMODE_EQUALIZING = 2;
export const PMODE_NEVER = 3;

// Result block (psResult()): keep mask pointer, span replacement table pointer (or 0), kept count,
// counters, and the content block the replacements live in.
export const PR_KEEP = 0;
export const PR_REPL = 4;
export const PR_KEPT = 8;
export const PR_PRIORITY_DROPPED = 12;
export const PR_PRIORITY_KEPT = 16;
export const PR_ERRORS = 20; // spans with a sampling error (missing randomness, bad tracestate, inconsistent th)
export const PR_REWRITTEN = 24;
export const PR_CONTENT = 28; // the block the replacement table points into (rewritten spans)
export const PR_SIZE = 32;
