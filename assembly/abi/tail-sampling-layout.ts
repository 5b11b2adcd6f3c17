// Layouts shared by the tail sampler in the core and its facade (untyped integer constants only).

// Leaf predicate record: evaluated per span at ingest; the results are OR-ed into the trace's bits.
export const LF_TYPE = 0;
export const LF_KEY = 4; // pointer to key bytes
export const LF_KEY_LEN = 8;
export const LF_KEY_HASH = 12;
export const LF_A = 16; // i64
export const LF_B = 24; // i64
export const LF_LIST = 32; // pointer to (ptr u32, len u32) pairs
export const LF_LIST_COUNT = 36;
export const LF_EXTRA = 40; // u32
export const LF_ROW = 48;

export const LEAF_STATUS = 1; // extra: bit (1 << code) per accepted status code
export const LEAF_NUMERIC = 2; // key, a = min, b = max (inclusive), resource or span
export const LEAF_STRING = 3; // key, list of values, resource or span (empty span values never match)
export const LEAF_BOOL = 4; // key, extra = value, resource or span
export const LEAF_TRACE_STATE = 5; // key, list of values, any span's W3C tracestate
export const LEAF_TRACE_FLAGS = 6; // span flags sampled bit
export const LEAF_LATENCY = 7; // a = threshold ms, b = upper ms (0 = none), on the trace's running span
export const LEAF_EXTERNAL = 8; // set from the per-span bits passed to tsIngest (OTTL, other regex engines)
export const LEAF_STRING_REGEX = 9; // key, list of compiled regex programs (ptr, len), resource or span

// Policy node record: evaluated per trace at decision time.
export const PN_TYPE = 0;
export const PN_LEAF = 4; // leaf bit index
export const PN_INVERT = 8;
export const PN_CHILD = 12; // first child node index
export const PN_CHILDREN = 16;
export const PN_A = 24; // i64/u64/f64 parameter
export const PN_B = 32;
export const PN_STATE_A = 40; // f64/i64 running state (tokens, window)
export const PN_STATE_B = 48;
export const PN_ALLOC = 56; // i64: composite sub-policy allocation (spans/s)
export const PN_USED = 64; // i64: composite sub-policy spans used in the current second
export const PN_SAMPLED = 72; // u32 count of traces this node sampled (top level)
export const PN_NOT_SAMPLED = 76;
export const PN_STARTED = 80; // u32: stateful policy initialised
export const PN_ERRORS = 84; // u32 count of traces this node could not evaluate (top level)
export const PN_ROW = 88;

export const POLICY_ALWAYS = 1;
export const POLICY_LEAF = 2; // sampled iff the leaf bit is set (invert: iff not set); b = error bit + 1 (0 = none): set → Error
export const POLICY_PROBABILISTIC = 3; // a = threshold (u64), b = salt ptr | len << 32
export const POLICY_SPAN_COUNT = 4; // a = min, b = max (0 = none)
export const POLICY_RATE_LIMITING = 5; // a = spans/s (f64), b = burst (f64)
export const POLICY_BYTES_LIMITING = 6; // a = bytes/s (f64), b = burst (f64)
export const POLICY_AND = 7;
export const POLICY_NOT = 8;
export const POLICY_DROP = 9;
export const POLICY_COMPOSITE = 10; // a = max total spans/s; children carry PN_ALLOC

export const DECISION_NOT_SAMPLED = 0;
export const DECISION_SAMPLED = 1;
export const DECISION_DROPPED = 2;
// A policy that failed to evaluate (an OTTL condition error under propagate): it does not vote,
// `and` and `drop` do not hold, `not` passes the error on, composite tries the next sub-policy.
export const DECISION_ERROR = 3;

// Sampler options block passed to tsCreate.
export const TO_CAPACITY = 0; // num_traces
export const TO_WAIT_TICKS = 4; // decision_wait in whole seconds (>= 1)
export const TO_ROOT_WAIT_TICKS = 8; // decision_wait_after_root_received (0 = off)
export const TO_FLAGS = 12;
export const TO_SAMPLED_CACHE = 16; // sampled_cache_size (0 = none)
export const TO_NOT_SAMPLED_CACHE = 20;
export const TO_LEAVES = 24; // pointer to leaf records (owned by the sampler from now on)
export const TO_LEAF_COUNT = 28;
export const TO_NODES = 32; // pointer to policy nodes (owned)
export const TO_NODE_COUNT = 36;
export const TO_TOP_COUNT = 40; // the first TO_TOP_COUNT nodes are the top-level policies
export const TO_MAX_BYTES = 48; // u64 maximum_trace_size_bytes (0 = off)
export const TO_SIZE = 56;

export const TSF_SAMPLE_ON_FIRST_MATCH = 1;
export const TSF_BLOCK_ON_OVERFLOW = 2;
export const TSF_DROP_PENDING_ON_SHUTDOWN = 4;

// Counters (u64 each) at tsCounters(state).
export const TC_NEW_TRACES = 0;
export const TC_DROPPED_TOO_EARLY = 8;
export const TC_LATE_FORWARDED = 16;
export const TC_LATE_DROPPED = 24;
export const TC_CACHE_SAMPLED = 32;
export const TC_CACHE_NOT_SAMPLED = 40;
export const TC_SAMPLED = 48;
export const TC_NOT_SAMPLED = 56;
export const TC_DROPPED = 64;
export const TC_TOO_LARGE = 72;
export const TC_ON_MEMORY = 80;
export const TC_SPANS_FORWARDED = 88;
export const TC_SPANS_DROPPED = 96;
export const TC_SIZE = 104;

// Per batch slot report entry (tsReport): slot u32, spans to forward now u32, spans still pending u32, mask ptr u32.
export const TR_SLOT = 0;
export const TR_FORWARD = 4;
export const TR_PENDING = 8;
export const TR_MASK = 12;
export const TR_ROW = 16;
