// The OTTL contexts otel-sieve evaluates — resource, scope, span, spanevent, log, metric and
// datapoint — with the paths each owns (as the collector's ctx* packages define them), the
// contexts reachable from each (a span's resource and scope, a data point's metric…), their enum
// symbols, and the inference priority the collector uses for context-qualified conditions.
import * as Q from '../../assembly/abi/query-layout.js';

export type ContextName = 'resource' | 'scope' | 'span' | 'spanevent' | 'log' | 'metric' | 'datapoint';

export const CONTEXT_IDS: Readonly<Record<ContextName, number>> = {
  resource: Q.CTX_RESOURCE,
  scope: Q.CTX_SCOPE,
  span: Q.CTX_SPAN,
  spanevent: Q.CTX_SPANEVENT,
  log: Q.CTX_LOG,
  metric: Q.CTX_METRIC,
  datapoint: Q.CTX_DATAPOINT,
};

/** The collector's inference order: the first referenced context in this list wins. */
export const INFERENCE_PRIORITY: readonly ContextName[] = ['log', 'datapoint', 'metric', 'spanevent', 'span', 'resource', 'scope'];

/** Path prefixes that name a context (`instrumentation_scope` is the scope's other name). */
export const CONTEXT_PREFIXES: Readonly<Record<string, ContextName>> = {
  resource: 'resource',
  scope: 'scope',
  instrumentation_scope: 'scope',
  span: 'span',
  spanevent: 'spanevent',
  log: 'log',
  metric: 'metric',
  datapoint: 'datapoint',
};

/**
 * Contexts whose paths a context can read besides its own, nearest first. In unqualified (legacy)
 * conditions they are written as the first path segment: `resource.attributes`,
 * `instrumentation_scope.name`, `span.name` in spanevent, `metric.name` in datapoint.
 */
export const REACHABLE: Readonly<Record<ContextName, readonly ContextName[]>> = {
  resource: [],
  scope: ['resource'],
  span: ['resource', 'scope'],
  spanevent: ['span', 'resource', 'scope'],
  log: ['resource', 'scope'],
  metric: ['resource', 'scope'],
  datapoint: ['metric', 'resource', 'scope'],
};

/** How a context is written as the first segment of an unqualified path. */
export const LEGACY_SEGMENT: Readonly<Record<ContextName, string>> = {
  resource: 'resource',
  scope: 'instrumentation_scope',
  span: 'span',
  spanevent: 'spanevent',
  log: 'log',
  metric: 'metric',
  datapoint: 'datapoint',
};

/** The static type a path or value has (what the collector's getter returns). */
export type OttlType = 'any' | 'string' | 'int' | 'float' | 'bool' | 'nil' | 'bytes' | 'map' | 'list' | 'traceid' | 'spanid' | 'time' | 'duration';

/** A field of a context: read by an intrinsic, an attribute map, or a key lookup. */
export type FieldSpec =
  | { readonly kind: 'field'; readonly id: number; readonly type: OttlType; readonly sub?: Readonly<Record<string, { id: number; type: OttlType }>> }
  | { readonly kind: 'attributes'; readonly scope: number }
  | { readonly kind: 'body' }
  | { readonly kind: 'trace_state' };

const f = (id: number, type: OttlType, sub?: Record<string, { id: number; type: OttlType }>): FieldSpec => ({ kind: 'field', id, type, sub });
const ids = (id: number, stringId: number, type: OttlType): FieldSpec => f(id, type, { string: { id: stringId, type: 'string' } });

export const FIELDS: Readonly<Record<ContextName, Readonly<Record<string, FieldSpec>>>> = {
  resource: {
    attributes: { kind: 'attributes', scope: Q.SC_RESOURCE },
    dropped_attributes_count: f(Q.IN_RESOURCE_DROPPED_ATTRS, 'int'),
    schema_url: f(Q.IN_RESOURCE_SCHEMA_URL, 'string'),
  },
  scope: {
    name: f(Q.IN_SCOPE_NAME_OTTL, 'string'),
    version: f(Q.IN_SCOPE_VERSION_OTTL, 'string'),
    attributes: { kind: 'attributes', scope: Q.SC_SCOPE },
    dropped_attributes_count: f(Q.IN_SCOPE_DROPPED_ATTRS, 'int'),
    schema_url: f(Q.IN_SCOPE_SCHEMA_URL, 'string'),
  },
  span: {
    trace_id: ids(Q.IN_SPAN_TRACE_ID, Q.IN_SPAN_TRACE_ID_STRING, 'traceid'),
    span_id: ids(Q.IN_SPAN_SPAN_ID, Q.IN_SPAN_SPAN_ID_STRING, 'spanid'),
    parent_span_id: ids(Q.IN_SPAN_PARENT_ID, Q.IN_SPAN_PARENT_ID_STRING, 'spanid'),
    trace_state: { kind: 'trace_state' },
    name: f(Q.IN_SPAN_NAME, 'string'),
    kind: f(Q.IN_SPAN_KIND, 'int', { string: { id: Q.IN_SPAN_KIND_STRING, type: 'string' }, deprecated_string: { id: Q.IN_SPAN_KIND_DEPRECATED, type: 'string' } }),
    start_time_unix_nano: f(Q.IN_SPAN_START_NANOS, 'int'),
    end_time_unix_nano: f(Q.IN_SPAN_END_NANOS, 'int'),
    start_time: f(Q.IN_SPAN_START_TIME, 'time'),
    end_time: f(Q.IN_SPAN_END_TIME, 'time'),
    attributes: { kind: 'attributes', scope: Q.SC_SPAN },
    dropped_attributes_count: f(Q.IN_SPAN_DROPPED_ATTRS, 'int'),
    dropped_events_count: f(Q.IN_SPAN_DROPPED_EVENTS, 'int'),
    dropped_links_count: f(Q.IN_SPAN_DROPPED_LINKS, 'int'),
    status: f(-1, 'any', { code: { id: Q.IN_SPAN_STATUS_CODE, type: 'int' }, message: { id: Q.IN_SPAN_STATUS_MESSAGE, type: 'string' } }),
  },
  spanevent: {
    name: f(Q.IN_EVENT_NAME_OTTL, 'string'),
    time_unix_nano: f(Q.IN_EVENT_TIME_NANOS, 'int'),
    time: f(Q.IN_EVENT_TIME, 'time'),
    attributes: { kind: 'attributes', scope: Q.SC_EVENT },
    dropped_attributes_count: f(Q.IN_EVENT_DROPPED_ATTRS, 'int'),
  },
  log: {
    time_unix_nano: f(Q.IN_LOG_TIME_NANOS, 'int'),
    observed_time_unix_nano: f(Q.IN_LOG_OBSERVED_NANOS, 'int'),
    time: f(Q.IN_LOG_TIME, 'time'),
    observed_time: f(Q.IN_LOG_OBSERVED_TIME, 'time'),
    severity_number: f(Q.IN_LOG_SEVERITY_NUMBER, 'int'),
    severity_text: f(Q.IN_LOG_SEVERITY_TEXT, 'string'),
    body: { kind: 'body' },
    attributes: { kind: 'attributes', scope: Q.SC_LOG },
    dropped_attributes_count: f(Q.IN_LOG_DROPPED_ATTRS, 'int'),
    flags: f(Q.IN_LOG_FLAGS, 'int'),
    trace_id: ids(Q.IN_LOG_TRACE_ID, Q.IN_LOG_TRACE_ID_STRING, 'traceid'),
    span_id: ids(Q.IN_LOG_SPAN_ID, Q.IN_LOG_SPAN_ID_STRING, 'spanid'),
    event_name: f(Q.IN_LOG_EVENT_NAME, 'string'),
  },
  metric: {
    name: f(Q.IN_METRIC_NAME, 'string'),
    description: f(Q.IN_METRIC_DESCRIPTION, 'string'),
    unit: f(Q.IN_METRIC_UNIT, 'string'),
    type: f(Q.IN_METRIC_TYPE, 'int'),
    aggregation_temporality: f(Q.IN_METRIC_TEMPORALITY, 'any'),
    is_monotonic: f(Q.IN_METRIC_MONOTONIC, 'any'),
    metadata: { kind: 'attributes', scope: Q.SC_METRIC },
  },
  datapoint: {
    attributes: { kind: 'attributes', scope: Q.SC_POINT },
    start_time_unix_nano: f(Q.IN_POINT_START_NANOS, 'int'),
    time_unix_nano: f(Q.IN_POINT_TIME_NANOS, 'int'),
    start_time: f(Q.IN_POINT_START_TIME, 'time'),
    time: f(Q.IN_POINT_TIME, 'time'),
    value_double: f(Q.IN_POINT_VALUE_DOUBLE, 'any'),
    value_int: f(Q.IN_POINT_VALUE_INT, 'any'),
    flags: f(Q.IN_POINT_FLAGS, 'int'),
    count: f(Q.IN_POINT_COUNT, 'any'),
    sum: f(Q.IN_POINT_SUM, 'any'),
    scale: f(Q.IN_POINT_SCALE, 'any'),
    zero_count: f(Q.IN_POINT_ZERO_COUNT, 'any'),
    positive: f(-1, 'any', { offset: { id: Q.IN_POINT_POSITIVE_OFFSET, type: 'any' } }),
    negative: f(-1, 'any', { offset: { id: Q.IN_POINT_NEGATIVE_OFFSET, type: 'any' } }),
  },
};

/**
 * Paths the collector knows that otel-sieve does not evaluate, with why: they are sub-messages
 * or repeated fields a condition cannot compare meaningfully yet.
 */
export const UNSUPPORTED_FIELDS: Readonly<Partial<Record<ContextName, Readonly<Record<string, string>>>>> = {
  span: { events: 'span events are filtered with spanevent conditions', links: 'span links are not readable in conditions', status: 'compare status.code or status.message' },
  metric: { data_points: 'data points are filtered with datapoint conditions' },
  datapoint: {
    exemplars: 'exemplars are not readable in conditions',
    bucket_counts: 'repeated point values are not readable in conditions',
    explicit_bounds: 'repeated point values are not readable in conditions',
    quantile_values: 'repeated point values are not readable in conditions',
    positive: 'only positive.offset is readable',
    negative: 'only negative.offset is readable',
  },
};

const SEVERITIES: [string, number][] = [['UNSPECIFIED', 0]];
for (const [name, base] of [['TRACE', 1], ['DEBUG', 5], ['INFO', 9], ['WARN', 13], ['ERROR', 17], ['FATAL', 21]] as const) {
  SEVERITIES.push([name, base], [`${name}2`, base + 1], [`${name}3`, base + 2], [`${name}4`, base + 3]);
}

const SPAN_ENUMS: Record<string, bigint> = {
  SPAN_KIND_UNSPECIFIED: 0n,
  SPAN_KIND_INTERNAL: 1n,
  SPAN_KIND_SERVER: 2n,
  SPAN_KIND_CLIENT: 3n,
  SPAN_KIND_PRODUCER: 4n,
  SPAN_KIND_CONSUMER: 5n,
  STATUS_CODE_UNSET: 0n,
  STATUS_CODE_OK: 1n,
  STATUS_CODE_ERROR: 2n,
};
const METRIC_ENUMS: Record<string, bigint> = {
  METRIC_DATA_TYPE_NONE: 0n,
  METRIC_DATA_TYPE_GAUGE: 1n,
  METRIC_DATA_TYPE_SUM: 2n,
  METRIC_DATA_TYPE_HISTOGRAM: 3n,
  METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM: 4n,
  METRIC_DATA_TYPE_SUMMARY: 5n,
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0n,
  AGGREGATION_TEMPORALITY_DELTA: 1n,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2n,
};

/** Enum symbols per context (resolved when the condition is compiled, to int64). */
export const ENUMS: Readonly<Record<ContextName, Readonly<Record<string, bigint>>>> = {
  resource: {},
  scope: {},
  span: SPAN_ENUMS,
  spanevent: SPAN_ENUMS,
  log: Object.fromEntries(SEVERITIES.map(([n, v]) => [`SEVERITY_NUMBER_${n}`, BigInt(v)])),
  metric: METRIC_ENUMS,
  datapoint: { ...METRIC_ENUMS, FLAG_NONE: 0n, FLAG_NO_RECORDED_VALUE: 1n },
};
