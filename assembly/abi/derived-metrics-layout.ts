// Memory layouts of the derived-metrics core (span metrics and service graph: series tables,
// histograms, connector state), shared by the core and the facade. Valid AssemblyScript and
// TypeScript: untyped integer constants only. Offsets are byte offsets inside a struct; pointers are
// u32; times are f64 Unix milliseconds (the caller's clock), durations f64 in the configured unit.
// (The layout of an indexed ExportMetricsServiceRequest is metrics-layout.ts.)

// ---------------------------------------------------------------------------------------------
// Canonical values: how an attribute value (or an intrinsic) is written into a series key. The
// key is the series identity and is decoded back into attributes by the facade, so the encoding is
// unambiguous (a tag and lengths everywhere) and keeps the value's type.

export const VK_ABSENT = 0; // the dimension has no value: omitted from the attributes
export const VK_STRING = 1; // u32 length + UTF-8 bytes
export const VK_BOOL = 2; // u8
export const VK_INT = 3; // i64
export const VK_DOUBLE = 4; // f64
export const VK_ARRAY = 5; // u32 count + values
export const VK_KVLIST = 6; // u32 count + (u32 key length + key + value)
export const VK_BYTES = 7; // u32 length + bytes
export const VK_EMPTY = 8; // an AnyValue with nothing set
export const VK_ENUM = 9; // u8: span kind or status code (intrinsics), rendered as SPAN_KIND_* / STATUS_CODE_*
export const VK_OVERFLOW = 255; // a series key made only of this tag is the cardinality overflow series

// ---------------------------------------------------------------------------------------------
// Series table: an open-addressing hash table of fixed-stride records whose keys live in an arena.
// Every record starts with this header; the payload after it depends on the table's owner.

export const T_SLOTS = 0; // u64 per slot: low 32 = key hash, high 32 = record index + 1 (0 = empty)
export const T_SLOT_CAP = 4; // power of two
export const T_RECS = 8;
export const T_REC_COUNT = 12; // records in use (dead ones included until compaction)
export const T_REC_CAP = 16;
export const T_STRIDE = 20;
export const T_ARENA = 24;
export const T_ARENA_LEN = 28;
export const T_ARENA_CAP = 32;
export const T_LIVE = 36; // records not marked dead
export const T_SIZE = 40;

export const R_HASH = 0;
export const R_KEY_OFF = 4; // offset of the key in the arena
export const R_KEY_LEN = 8;
export const R_FLAGS = 12;
export const R_HEADER = 16;

// R_FLAGS bits
export const RF_DEAD = 1; // removed; dropped at the next compaction
export const RF_TOUCHED = 2; // updated since the last collection

// ---------------------------------------------------------------------------------------------
// Exponential histogram (base 2^(2^-scale)), allocated per series; bucket arrays grow up to
// max_size and the histogram downscales when a value does not fit.

export const EH_SCALE = 0; // i32
export const EH_MAX_SIZE = 4; // u32
export const EH_ZERO_COUNT = 8; // u64
export const EH_SUM = 16; // f64
export const EH_COUNT = 24; // u64
export const EH_MIN = 32; // f64
export const EH_MAX = 40; // f64
export const EH_POS = 48; // bucket range (EB_*)
export const EH_NEG = 64; // bucket range (EB_*)
export const EH_SIZE = 80;

export const EB_START = 0; // i32: index of the first bucket held
export const EB_LEN = 4; // u32: buckets held (0 = none)
export const EB_CAP = 8; // u32
export const EB_COUNTS = 12; // pointer to u64[cap]
export const EB_SIZE = 16;

export const EXPO_MAX_SCALE = 20;
export const EXPO_MIN_SCALE = -10;

// Explicit-bucket histogram, inline in a series record: sum, count, min, max, then count+1 u64 counts.
export const XH_SUM = 0; // f64
export const XH_COUNT = 8; // u64
export const XH_MIN = 16; // f64
export const XH_MAX = 24; // f64
export const XH_BUCKETS = 32; // u64[bounds + 1]

// Exemplars, inline in a series record: count, then up to the configured maximum.
export const XS_COUNT = 0; // u32
export const XS_FIRST = 8;
export const XE_TRACE_ID = 0; // 16 bytes
export const XE_SPAN_ID = 16; // 8 bytes
export const XE_VALUE = 24; // f64
export const XE_SIZE = 32;

// ---------------------------------------------------------------------------------------------
// Dimensions: what a series key is made of, in order.

export const DIM_SOURCE = 0; // DS_*
export const DIM_KEY_HASH = 4; // hash32 of the attribute key
export const DIM_KEY_PTR = 8; // the attribute key's bytes (core memory)
export const DIM_KEY_LEN = 12;
export const DIM_DEFAULT_PTR = 16; // a canonical value used when the attribute is missing, or 0
export const DIM_DEFAULT_LEN = 20;
export const DIM_SIZE = 24;

export const DS_ATTRIBUTE = 0;
export const DS_SERVICE_NAME = 1;
export const DS_SPAN_NAME = 2;
export const DS_SPAN_KIND = 3;
export const DS_STATUS_CODE = 4;
export const DS_STATUS_MESSAGE = 5;
export const DS_SCOPE_NAME = 6; // only for scopes listed in include_instrumentation_scope
export const DS_SCOPE_VERSION = 7; // likewise, and only when the version is not empty

// Attribute lookup order for DS_ATTRIBUTE dimensions.
export const LOOKUP_SPAN_FIRST = 0; // span (then event), then resource: the collector's spanmetrics
export const LOOKUP_RESOURCE_FIRST = 1; // resource, then span: servicegraph and Tempo

// A list of attribute keys (resource key attributes, peer attributes, database name attributes,
// instrumentation scopes): count + entries of (hash, ptr, len).
export const KL_COUNT = 0;
export const KL_FIRST = 4;
export const KE_HASH = 0;
export const KE_PTR = 4;
export const KE_LEN = 8;
export const KE_SIZE = 12;

// ---------------------------------------------------------------------------------------------
// spanmetrics: configuration (written by the facade, owned by the state once created).

export const SMC_FLAGS = 0;
export const SMC_RESOURCE_KEYS = 4; // key list (KL_*) or 0: every resource attribute forms the identity
export const SMC_AGG_COUNT = 8;
export const SMC_AGGS = 12; // AGC_* structs
export const SMC_UNIT_NANOS = 16; // f64: nanoseconds per duration unit (1e6 for ms, 1e9 for s)
export const SMC_SCOPES = 24; // key list of instrumentation scope names, or 0
export const SMC_SIZE = 32;

// SMC_FLAGS bits
export const SMF_RESOURCE_FIRST = 1; // Tempo: attribute dimensions look at the resource first
export const SMF_DELTA = 2; // delta temporality: series restart at every collection (start = previous flush)

// smAfterCollect flags.
export const SMA_CLEAR_EXEMPLARS = 1;

// One aggregation (a metric or a few sharing a key): its dimensions and what each series records.
export const AGC_KIND = 0; // AK_* bits
export const AGC_DIM_COUNT = 4;
export const AGC_DIMS = 8; // DIM_* structs
export const AGC_BOUND_COUNT = 12;
export const AGC_BOUNDS = 16; // f64[]
export const AGC_EXPO_MAX_SIZE = 20;
export const AGC_EXEMPLARS = 24; // max exemplars per series, 0 = none
export const AGC_LIMIT = 28; // series per resource before the overflow series, 0 = unlimited
export const AGC_SIZE = 32;

export const AK_COUNT = 1; // a counter: +1 per span (or per event)
export const AK_EXPLICIT = 2; // explicit-bucket duration histogram
export const AK_EXPONENTIAL = 4; // exponential duration histogram
export const AK_PER_EVENT = 8; // one update per span event, event attributes in the lookup
export const AK_SIZE = 16; // Tempo: sum of the span's encoded size in bytes

// spanmetrics state (read by the facade at collection).
export const SMS_CONFIG = 0;
export const SMS_RESOURCES = 4; // series table of resources (RS_* payload)
export const SMS_AGGS = 8; // AGS_* structs, one per AGC
export const SMS_DROPPED = 12; // u32: measurements dropped because the memory budget was exhausted
export const SMS_SKIPPED = 16; // u32: spans skipped because their resource has no service.name
export const SMS_SLOT_COUNT = 20; // attribute dimensions over all aggregations (one lookup slot each)
export const SMS_SLOT_KEYS = 24; // per slot: key ptr, key len (u32 each)
export const SMS_TIMESTAMPS = 28; // delta: series table of the previous flush time per series (TS_* payload)
export const SMS_RESOURCE_CACHE = 32; // Resource message bytes → resource record and lookups (resource-cache.ts)
export const SMS_SIZE = 40;

// Delta start timestamps (the collector's metric_timestamp_cache): keyed by the resource identity
// and the series' dimensions, so they survive the per-flush reset of everything else.
export const TS_TIME = 16; // f64
export const TS_STRIDE = 24;

// Resource record payload (after R_HEADER). The key is the identity (selected attributes sorted by
// key); the full attributes, in their original order, are kept for the output resource.
export const RS_ATTRS_PTR = 16; // canonical kvlist, a block of its own
export const RS_ATTRS_LEN = 20;
export const RS_FIRST_SEEN = 24; // f64
export const RS_LAST_SEEN = 32; // f64
export const RS_SERIES = 40; // u32 per aggregation: series of this resource (cardinality limit)
export const RS_MAX_AGGS = 4;
export const RS_STRIDE = 56;

// Aggregation state.
export const AGS_TABLE = 0; // series table
export const AGS_STRIDE = 4; // record stride (same as the table's)
export const AGS_HIST = 8; // offset of the histogram in a record (XH_* inline, or a u32 pointer to EH_*)
export const AGS_EXEMPLARS = 12; // offset of the exemplars (XS_*) in a record, 0 if none
export const AGS_OVERFLOWED = 16; // u32: measurements that went to an overflow series
export const AGS_SLOT_BASE = 20; // index of this aggregation's first attribute-dimension slot
export const AGS_SIZE = 24;

// Series record payload of an aggregation (after R_HEADER).
export const SR_START = 16; // f64: start of the series' current interval
export const SR_LAST = 24; // f64: last update
export const SR_COUNT = 32; // u64
export const SR_SIZE_SUM = 40; // u64 (AK_SIZE)
export const SR_PAYLOAD = 48; // histogram, then exemplars

// Key layout of an aggregation series: u32 resource record index, then one canonical value per
// dimension (or the single VK_OVERFLOW tag).
export const SK_RESOURCE = 0;
export const SK_DIMS = 4;

// ---------------------------------------------------------------------------------------------
// servicegraph: configuration.

export const SGC_FLAGS = 0;
export const SGC_TTL = 8; // f64 ms
export const SGC_MAX_ITEMS = 16;
export const SGC_DIMS = 20; // key list: extra dimensions
export const SGC_PEERS = 24; // key list: virtual node peer attributes (empty = no virtual nodes)
export const SGC_DB_NAMES = 28; // key list: database name attributes
export const SGC_BOUND_COUNT = 32;
export const SGC_BOUNDS = 36; // f64[] (seconds)
export const SGC_EXPO_MAX_SIZE = 40; // > 0: exponential histograms instead of explicit ones
export const SGC_SIZE = 48;

export const SGF_TEMPO = 1; // Tempo's pairing rules (database naming, peers on both sides, no series for unknown servers)
export const SGF_VIRTUAL_NODE_LABEL = 2; // the virtual_node label
export const SGF_FAILED_LABEL = 4; // the collector's `failed` label in the series key
export const SGF_PREFIX_DIMS = 8; // client_<d>/server_<d> (else one <d> label, Tempo's default)

// Connection types.
export const CT_NONE = 0;
export const CT_MESSAGING = 1;
export const CT_DATABASE = 2;
export const CT_VIRTUAL = 3;

// Virtual node label values.
export const VN_NONE = 0;
export const VN_CLIENT = 1;
export const VN_SERVER = 2;

// servicegraph state.
export const SGS_CONFIG = 0;
export const SGS_SERIES = 4; // series table (GR_* payload)
export const SGS_AUX = 8; // series table of Tempo's unpaired/dropped counters (GX_* payload)
export const SGS_EDGES = 12; // edge pool
export const SGS_EDGE_CAP = 16;
export const SGS_SLOTS = 20; // u32 per slot: edge index + 1, 0 empty, 0xFFFFFFFF deleted
export const SGS_SLOT_CAP = 24;
export const SGS_HEAD = 28; // oldest live edge (FIFO by expiry), 0xFFFFFFFF = none
export const SGS_TAIL = 32;
export const SGS_FREE = 36; // free list of edge records
export const SGS_LIVE = 40; // edges waiting for their other side
export const SGS_TOTAL_EDGES = 44; // u32 counters, like the collector's internal telemetry
export const SGS_EXPIRED_EDGES = 48;
export const SGS_DROPPED_SPANS = 52;
export const SGS_DROPPED_MEMORY = 56; // spans dropped because the memory budget was exhausted
export const SGS_TOMBSTONES = 60;
export const SGS_HIST = 64; // offset of the client histogram in a series record
export const SGS_HIST_SIZE = 68; // bytes per histogram in a record (the server one follows)
export const SGS_RESOURCE_CACHE = 72; // Resource message bytes → service.name and lookups (resource-cache.ts)
export const SGS_SIZE = 80;

// Edge record.
export const ED_TRACE_ID = 0; // 16 bytes
export const ED_SPAN_ID = 16; // 8 bytes
export const ED_FLAGS = 24;
export const ED_CONN = 28; // CT_*
export const ED_EXPIRES = 32; // f64 ms
export const ED_CLIENT_LATENCY = 40; // f64 s
export const ED_SERVER_LATENCY = 48; // f64 s
export const ED_CLIENT = 56; // pointer to the client side's blob (EB layout below), 0 if none yet
export const ED_SERVER = 60;
export const ED_PREV = 64;
export const ED_NEXT = 68;
export const ED_HASH = 72;
export const ED_SIZE = 80;

export const EF_USED = 1;
export const EF_FAILED = 2;

// A side's blob: service (u32 len + bytes), then per configured dimension a canonical value
// (strings for scalars, like the collector's AsString), then the peer: u32 (peer attribute index + 1,
// 0 = none) + u32 len + bytes.

// Series record payload (after R_HEADER).
export const GR_START = 16; // f64
export const GR_LAST = 24; // f64
export const GR_TOTAL = 32; // u64
export const GR_FAILED = 40; // u64
export const GR_HIST = 48; // client histogram, then the server one (SGS_HIST_SIZE each)

// Series key: client (string), server (string), u8 connection type, u8 failed (0/1, or 2 when
// the failed label is off), u8 virtual node label, then per dimension the client and the server
// canonical values.

// Aux counters (Tempo's unpaired and dropped spans): key u8 kind + client + server + u8 conn type.
export const GX_COUNT = 16; // u64
export const GX_START = 24; // f64
export const GX_STRIDE = 32;
export const GXK_UNPAIRED = 1;
export const GXK_DROPPED = 2;
