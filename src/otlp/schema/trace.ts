// opentelemetry/proto/trace/v1/trace.proto and collector/trace/v1/trace_service.proto
import { InstrumentationScope, KeyValue } from './common.js';
import { defineEnum, defineMessage } from './descriptor.js';
import { Resource } from './resource.js';

const PKG = 'opentelemetry.proto.trace.v1';

export const SpanKind = defineEnum(`${PKG}.Span.SpanKind`, {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
});

export const StatusCode = defineEnum(`${PKG}.Status.StatusCode`, {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
});

export const Status = defineMessage(`${PKG}.Status`, [
  // Field 1 is reserved (the deprecated `deprecated_code`).
  [2, 'message', 'string'],
  [3, 'code', 'enum', { enum: StatusCode }],
]);

export const SpanEvent = defineMessage(`${PKG}.Span.Event`, [
  [1, 'time_unix_nano', 'fixed64'],
  [2, 'name', 'string'],
  [3, 'attributes', 'message', { repeated: true, message: () => KeyValue }],
  [4, 'dropped_attributes_count', 'uint32'],
]);

export const SpanLink = defineMessage(`${PKG}.Span.Link`, [
  [1, 'trace_id', 'hex-id', { idBytes: 16 }],
  [2, 'span_id', 'hex-id', { idBytes: 8 }],
  [3, 'trace_state', 'string'],
  [4, 'attributes', 'message', { repeated: true, message: () => KeyValue }],
  [5, 'dropped_attributes_count', 'uint32'],
  [6, 'flags', 'fixed32'],
]);

export const Span = defineMessage(`${PKG}.Span`, [
  [1, 'trace_id', 'hex-id', { idBytes: 16 }],
  [2, 'span_id', 'hex-id', { idBytes: 8 }],
  [3, 'trace_state', 'string'],
  [4, 'parent_span_id', 'hex-id', { idBytes: 8 }],
  [5, 'name', 'string'],
  [6, 'kind', 'enum', { enum: SpanKind }],
  [7, 'start_time_unix_nano', 'fixed64'],
  [8, 'end_time_unix_nano', 'fixed64'],
  [9, 'attributes', 'message', { repeated: true, message: () => KeyValue }],
  [10, 'dropped_attributes_count', 'uint32'],
  [11, 'events', 'message', { repeated: true, message: () => SpanEvent }],
  [12, 'dropped_events_count', 'uint32'],
  [13, 'links', 'message', { repeated: true, message: () => SpanLink }],
  [14, 'dropped_links_count', 'uint32'],
  [15, 'status', 'message', { message: () => Status }],
  [16, 'flags', 'fixed32'],
]);

export const ScopeSpans = defineMessage(`${PKG}.ScopeSpans`, [
  [1, 'scope', 'message', { message: () => InstrumentationScope }],
  [2, 'spans', 'message', { repeated: true, message: () => Span }],
  [3, 'schema_url', 'string'],
]);

export const ResourceSpans = defineMessage(`${PKG}.ResourceSpans`, [
  [1, 'resource', 'message', { message: () => Resource }],
  [2, 'scope_spans', 'message', { repeated: true, message: () => ScopeSpans }],
  [3, 'schema_url', 'string'],
]);

export const TracesData = defineMessage(`${PKG}.TracesData`, [
  [1, 'resource_spans', 'message', { repeated: true, message: () => ResourceSpans }],
]);

const SERVICE = 'opentelemetry.proto.collector.trace.v1';

export const ExportTraceServiceRequest = defineMessage(`${SERVICE}.ExportTraceServiceRequest`, [
  [1, 'resource_spans', 'message', { repeated: true, message: () => ResourceSpans }],
]);

export const ExportTracePartialSuccess = defineMessage(`${SERVICE}.ExportTracePartialSuccess`, [
  [1, 'rejected_spans', 'int64'],
  [2, 'error_message', 'string'],
]);

export const ExportTraceServiceResponse = defineMessage(`${SERVICE}.ExportTraceServiceResponse`, [
  [1, 'partial_success', 'message', { message: () => ExportTracePartialSuccess }],
]);
