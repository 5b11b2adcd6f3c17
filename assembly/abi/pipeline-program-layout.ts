// The binary pipeline program (`.pipeline`): a collector-shaped traces pipeline compiled by the
// facade (src/program/) into the very blocks its processors hand the core, so that hosts without
// the TypeScript config layer (the component, the collector plug-ins) run the same core code on
// the same data. Shared by the core's pipeline runner (assembly/pipeline/) and the compiler.
// Valid AssemblyScript and TypeScript: untyped integer constants only. Offsets are bytes from the
// start of the program unless a row says otherwise; everything is little-endian.

export const PROGRAM_MAGIC = 0x5050534f; // "OSPP"
export const PROGRAM_FORMAT_VERSION = 1;

// Header.
export const PG_MAGIC = 0;
export const PG_FORMAT = 4; // PROGRAM_FORMAT_VERSION
export const PG_CORE_ABI = 8; // the core ABI version (abiVersion()) the blocks were laid out for
export const PG_SIZE = 12; // total bytes, header included
export const PG_CHECKSUM = 16; // hash32 of bytes [PG_HEADER_SIZE, PG_SIZE)
export const PG_FLAGS = 20; // reserved, 0
export const PG_LIMITS = 24; // the traceIndex options block (O_* of trace-layout, O_SIZE bytes)
export const PG_MAX_BYTES = 56; // largest input accepted
export const PG_MEMORY_LIMIT = 60; // memory budget a binding sets for its core (0: leave the default)
export const PG_PIPELINE_COUNT = 64;
export const PG_PIPELINES = 68; // PL_* rows
export const PG_STAGE_COUNT = 72;
export const PG_STAGES = 76; // ST_* rows (processors, in pipeline order)
export const PG_CONNECTOR_COUNT = 80;
export const PG_CONNECTORS = 84; // ST_* rows (connectors, in config order)
export const PG_SEGMENT_COUNT = 88;
export const PG_SEGMENTS = 92; // SG_* rows
export const PG_HEADER_SIZE = 96;

// Bounds the runner checks before trusting a program.
export const MAX_PIPELINES = 64;
export const MAX_STAGES = 1024;
export const MAX_CONNECTORS = 32; // a pipeline names its connectors in a u32 bit mask
export const MAX_SEGMENTS = 8192;

// A traces pipeline fed by a receiver: its processors and the connectors it exports to.
export const PL_FIRST_STAGE = 0;
export const PL_STAGE_COUNT = 4;
export const PL_CONNECTORS = 8; // bit i: exports to connector i
export const PL_EXPORTS = 12; // 1: has a real exporter (its output reaches the caller)
export const PL_NAME = 16; // offset of the pipeline id (UTF-8), for messages
export const PL_NAME_LEN = 20;
export const PL_ROW = 24;

// A processor or connector: its kind and the core blocks it is made of (consecutive segments).
export const ST_KIND = 0; // STAGE_* or CONNECTOR_*
export const ST_FLAGS = 4; // SF_*
export const ST_FIRST_SEGMENT = 8;
export const ST_SEGMENT_COUNT = 12;
export const ST_NAME = 16; // offset of the component id (UTF-8), prefixed to its errors
export const ST_NAME_LEN = 20;
export const ST_ROW = 24;

// A block of core memory: copied into an allocation of its own, then every relocation adds the
// address of its target segment (a sibling of the same stage) to the u32 it names.
export const SG_OFFSET = 0;
export const SG_SIZE = 4;
export const SG_RELOCS = 8; // offset of RL_* rows
export const SG_RELOC_COUNT = 12;
export const SG_ROW = 16;

export const RL_AT = 0; // byte offset of the u32 inside the segment
export const RL_TARGET = 4; // segment index relative to the stage's first segment
export const RL_ROW = 8;

// Processor kinds and their segments.
export const STAGE_PROBABILISTIC = 1; // [options (PO_* of probabilistic-layout)]
export const STAGE_ATTRIBUTES = 2; // [edit plan (EP_*), key patterns (KP_*)]
export const STAGE_REDACTION = 3; // [edit plan (EP_*), key patterns (KP_*)]
export const STAGE_TAIL_SAMPLING = 4; // [sampler options (TO_*), leaves (LF_*), policy nodes (PN_*)]
// [filter header (FF_*), then one condition-set block (CS_* of filter-layout) per group, in order]
export const STAGE_FILTER = 5;
// Connector kinds.
export const CONNECTOR_SPANMETRICS = 16; // [configuration (SMC_*), output plan (SO_*)]

// ST_FLAGS bits.
export const SF_NEEDS_TABLE = 1; // attributes: include/exclude read the attribute table
export const SF_NEEDS_ATTRIBUTES = 2; // tail_sampling: leaves read attributes; filter: a condition does (set by the runner from the loaded programs)
export const SF_DROP_PENDING = 4; // tail_sampling: drop_pending_traces_on_shutdown

// The traces filter's condition groups (resource, scope, span, spanevent), in the order they run:
// a header of group rows, each pointing at its condition-set block (segment 1 + group, the very
// block the facade's OttlConditionSet loads) and at the texts a runtime error message needs.
export const FF_GROUP_COUNT = 0;
export const FF_FIRST = 8; // FG_* rows
export const MAX_FILTER_GROUPS = 32;
// Conditions of one group: ottlRun takes at most this many programs per call.
export const MAX_GROUP_CONDITIONS = 256;

export const FG_CONTEXT = 0; // CTX_* of query-layout: resource, scope, span or spanevent
export const FG_RUN_FLAGS = 4; // the ottlRun flags: OR_PROPAGATE | OR_ABORT under error_mode propagate, 0 under ignore/silent
export const FG_CONDITION_COUNT = 8;
export const FG_PROGRAMS = 12; // pointer: the group's condition-set block (its program table)
export const FG_CONTEXT_NAME = 16; // pointer: the context as messages name it ("span", …)
export const FG_CONTEXT_NAME_LEN = 20;
export const FG_TEXTS = 24; // pointer: FT_* rows, one per condition
export const FG_ROW = 32;

// A condition as a runtime error names it.
export const FT_TEXT = 0; // pointer: the condition as written, JSON-quoted (as the facade's message quotes it)
export const FT_TEXT_LEN = 4;
export const FT_SITES = 8; // pointer: FS_* rows, by code word
export const FT_SITE_COUNT = 12;
export const FT_ROW = 16;

// Where in the condition the instruction at a code word came from.
export const FS_PC = 0;
export const FS_LINE = 4;
export const FS_COLUMN = 8;
export const FS_ROW = 12;

// Key patterns of an edit plan, in verdict-bit order: compiled regex programs (regex-layout),
// each 8-byte aligned.
export const KP_COUNT = 0;
export const KP_FIRST = 8;
export const KP_PTR = 0;
export const KP_LEN = 4;
export const KP_ROW = 8;
export const MAX_KEY_PATTERNS = 32;

// spanmetrics output plan: what the facade's collect() builds around the series, for the core's
// OTLP metrics encoder.
export const SO_FLAGS = 0; // SOF_*
export const SO_SCOPE_NAME = 4; // pointer
export const SO_SCOPE_NAME_LEN = 8;
export const SO_METRIC_COUNT = 12;
export const SO_METRICS = 16; // MO_* rows, in output order
export const SO_AGG_COUNT = 20; // same as SMC_AGG_COUNT
export const SO_AGGS = 24; // AO_* rows
export const SO_EXPIRATION_MS = 32; // f64: metrics_expiration (0 = never)
export const SO_SERIES_EXPIRATION_MS = 40; // f64
export const SO_RESOURCE_CACHE_SIZE = 48;
export const SO_TIMESTAMP_CACHE_SIZE = 52;
export const SO_SIZE = 56;

export const SOF_KEEP_RESOURCE_ATTRIBUTES = 1; // the collector copies resource attributes (Tempo does not)
export const SOF_DELTA = 2; // delta temporality (else cumulative)

export const MO_KIND = 0; // MK_*
export const MO_AGG = 4; // the aggregation whose series feed it
export const MO_NAME = 8;
export const MO_NAME_LEN = 12;
export const MO_DESCRIPTION = 16;
export const MO_DESCRIPTION_LEN = 20;
export const MO_UNIT = 24;
export const MO_UNIT_LEN = 28;
export const MO_ROW = 32;

export const MK_CALLS = 0;
export const MK_DURATION = 1;
export const MK_EVENTS = 2;
export const MK_SIZE = 3;

export const AO_DIM_COUNT = 0;
export const AO_DIMS = 4; // DO_* rows, one per dimension of the aggregation's key
export const AO_ROW = 8;

export const DO_SOURCE = 0; // DS_* of derived-metrics-layout
export const DO_LABEL = 4; // the attribute name in the output
export const DO_LABEL_LEN = 8;
export const DO_ROW = 12;

// Results of pipelineRun / pipelineLoad (pipelineError() holds the message).
export const PIPE_OK = 0;
export const PIPE_BAD_PROGRAM = 1; // the program is malformed, from another version, or was refused by the core
export const PIPE_BAD_INPUT = 2; // the input is not a valid ExportTraceServiceRequest (or over maxBytes)
export const PIPE_OUT_OF_MEMORY = 3; // the core's memory budget ran out

// pipelineOutput(): where the last run's output is (valid until the next run or free).
export const RO_TRACES = 0; // ExportTraceServiceRequest bytes (every output batch, concatenated)
export const RO_TRACES_LEN = 4;
export const RO_METRICS = 8; // ExportMetricsServiceRequest bytes (empty without connectors)
export const RO_METRICS_LEN = 12;
export const RO_FLAGS = 16; // ROF_*
export const RO_SIZE = 20;

// RO_FLAGS bits.
export const ROF_UNCHANGED = 1; // the traces output is the input request exactly as it came (a host may pass its own copy on)

// pipelineError(): the message and status of the last failure.
export const PE_TEXT = 0;
export const PE_TEXT_LEN = 4;
export const PE_STATUS = 8; // PIPE_*
export const PE_SIZE = 12;
