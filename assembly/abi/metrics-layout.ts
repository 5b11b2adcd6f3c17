// Memory layout of an indexed ExportMetricsServiceRequest, shared by the core and the facade. The
// header's common slots, the resource and scope rows and the attribute rows are batch-layout.ts's
// (there the items are metrics); this file holds what is specific to metrics: metric, data point
// and exemplar rows, and the values table.
// Valid AssemblyScript and TypeScript: untyped integer constants only. Strings are (offset, length)
// pairs relative to the start of the input bytes; rows are little-endian and 8-byte aligned.

// Header slots (besides batch-layout's).
export const B_METRIC_COUNT = 24; // = B_ITEM_COUNT
export const B_METRICS = 28; // = B_ITEMS
export const B_POINT_COUNT = 48;
export const B_POINTS = 52;
export const B_EXEMPLAR_COUNT = 56;
export const B_EXEMPLARS = 60;
export const B_VALUE_COUNT = 72; // entries the values table will hold
export const B_VALUES = 76; // 0 until built by metricsIndexValues

// B_FLAGS bit (besides batch-layout's)
export const BATCH_VALUES_BUILT = 4;

// Index options block passed to metricsIndex (u32 each; 0xFFFFFFFF = unlimited).
export const O_MAX_DEPTH = 0;
export const O_MAX_POINTS = 4;
export const O_SIZE = 8;

// Metric types: the number of the Metric.data oneof field that holds the data.
export const MT_NONE = 0;
export const MT_GAUGE = 5;
export const MT_SUM = 7;
export const MT_HISTOGRAM = 9;
export const MT_EXPONENTIAL_HISTOGRAM = 10;
export const MT_SUMMARY = 11;

// Metric row.
export const M_FIELD_START = 0; // offset of the metrics tag in the request
export const M_CONTENT_START = 4;
export const M_CONTENT_END = 8;
export const M_SCOPE = 12;
export const M_RESOURCE = 16;
export const M_NAME_OFF = 20;
export const M_NAME_LEN = 24;
export const M_DESCRIPTION_OFF = 28;
export const M_DESCRIPTION_LEN = 32;
export const M_UNIT_OFF = 36;
export const M_UNIT_LEN = 40;
export const M_NAME_HASH = 44;
export const M_TYPE = 48; // MT_*
export const M_TEMPORALITY = 52; // i32 AggregationTemporality (sum, histograms; 0 otherwise)
export const M_MONOTONIC = 56; // 1 when Sum.is_monotonic is set
// Offset of the first data field that counts: when the data oneof switches member, occurrences
// before the switch are overridden (protobuf oneof semantics). NO_ROW when the metric has no data.
export const M_DATA_FROM = 60;
export const M_POINT_START = 64;
export const M_POINT_COUNT = 68;
export const M_ATTR_START = 72; // the metric's metadata (KeyValues)
export const M_ATTR_COUNT = 76;
export const M_ROW = 80;

// Data point row: one layout for the four kinds (NumberDataPoint for gauges and sums,
// HistogramDataPoint, ExponentialHistogramDataPoint, SummaryDataPoint); the metric's type says which.
export const DP_FIELD_START = 0; // offset of the data_points tag in the request
export const DP_CONTENT_START = 4;
export const DP_CONTENT_END = 8;
export const DP_METRIC = 12;
export const DP_START_TIME = 16; // u64
export const DP_TIME = 24; // u64
export const DP_ATTR_START = 32;
export const DP_ATTR_COUNT = 36;
export const DP_EXEMPLAR_START = 40;
export const DP_EXEMPLAR_COUNT = 44;
export const DP_FLAGS = 48;
export const DP_PRESENCE = 52; // PV_* and P_* bits
export const DP_VALUE = 56; // u64: as_double bits (PV_DOUBLE) or as_int (PV_INT) of a NumberDataPoint
export const DP_COUNT = 64; // u64: histograms and summaries
export const DP_SUM = 72; // f64
export const DP_MIN = 80; // f64
export const DP_MAX = 88; // f64
export const DP_ZERO_COUNT = 96; // u64
export const DP_ZERO_THRESHOLD = 104; // f64
export const DP_SCALE = 112; // i32
export const DP_POSITIVE_OFFSET = 116; // i32
export const DP_NEGATIVE_OFFSET = 120; // i32
// Two lists of values per point, as (first entry, count) in the values table (u64 entries):
// Histogram: bucket_counts and explicit_bounds (f64 bits); ExponentialHistogram: positive and
// negative bucket_counts; Summary: quantile_values as (quantile, value) f64 pairs in list A.
export const DP_LIST_A_START = 124;
export const DP_LIST_A_COUNT = 128; // elements (pairs for quantiles)
export const DP_LIST_B_START = 132;
export const DP_LIST_B_COUNT = 136;
export const DP_ROW = 144;

export const DP_BUCKET_COUNTS_START = DP_LIST_A_START;
export const DP_BUCKET_COUNTS_COUNT = DP_LIST_A_COUNT;
export const DP_EXPLICIT_BOUNDS_START = DP_LIST_B_START;
export const DP_EXPLICIT_BOUNDS_COUNT = DP_LIST_B_COUNT;
export const DP_POSITIVE_START = DP_LIST_A_START;
export const DP_POSITIVE_COUNT = DP_LIST_A_COUNT;
export const DP_NEGATIVE_START = DP_LIST_B_START;
export const DP_NEGATIVE_COUNT = DP_LIST_B_COUNT;
export const DP_QUANTILES_START = DP_LIST_A_START;
export const DP_QUANTILES_COUNT = DP_LIST_A_COUNT;

// Exemplar row.
export const X_FIELD_START = 0;
export const X_CONTENT_START = 4;
export const X_CONTENT_END = 8;
export const X_POINT = 12;
export const X_TIME = 16; // u64
export const X_VALUE = 24; // u64: as_double bits (PV_DOUBLE) or as_int (PV_INT)
export const X_TRACE_ID = 32; // 16 bytes
export const X_SPAN_ID = 48; // 8 bytes
export const X_ATTR_START = 56; // filtered_attributes
export const X_ATTR_COUNT = 60;
export const X_PRESENCE = 64;
export const X_ROW = 72;

// DP_PRESENCE / X_PRESENCE bits
export const PV_DOUBLE = 1; // the value oneof holds as_double (the last of as_double/as_int wins)
export const PV_INT = 2; // … as_int
export const P_SUM = 4; // optional sum present (histograms)
export const P_MIN = 8;
export const P_MAX = 16;
export const P_POSITIVE = 32; // an ExponentialHistogramDataPoint.positive message was present
export const P_NEGATIVE = 64;
export const P_TRACE_ID = 128; // exemplar trace_id present (16 bytes)
export const P_SPAN_ID = 256; // exemplar span_id present (8 bytes)
