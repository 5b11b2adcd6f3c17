// opentelemetry/proto/logs/v1/logs.proto and collector/logs/v1/logs_service.proto
import { AnyValue, InstrumentationScope, KeyValue } from './common.js';
import { defineEnum, defineMessage } from './descriptor.js';
import { Resource } from './resource.js';

const PKG = 'opentelemetry.proto.logs.v1';

const severities: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((level, i) => {
  for (let k = 1; k <= 4; k++) severities[`SEVERITY_NUMBER_${level}${k === 1 ? '' : k}`] = i * 4 + k;
});

/** SEVERITY_NUMBER_TRACE = 1 … SEVERITY_NUMBER_FATAL4 = 24. */
export const SeverityNumber = defineEnum(`${PKG}.SeverityNumber`, severities);

export const LogRecord = defineMessage(`${PKG}.LogRecord`, [
  [1, 'time_unix_nano', 'fixed64'],
  [2, 'severity_number', 'enum', { enum: SeverityNumber }],
  [3, 'severity_text', 'string'],
  // Field 4 is reserved.
  [5, 'body', 'message', { message: () => AnyValue }],
  [6, 'attributes', 'message', { repeated: true, message: () => KeyValue }],
  [7, 'dropped_attributes_count', 'uint32'],
  [8, 'flags', 'fixed32'],
  [9, 'trace_id', 'hex-id', { idBytes: 16 }],
  [10, 'span_id', 'hex-id', { idBytes: 8 }],
  [11, 'observed_time_unix_nano', 'fixed64'],
  [12, 'event_name', 'string'],
]);

export const ScopeLogs = defineMessage(`${PKG}.ScopeLogs`, [
  [1, 'scope', 'message', { message: () => InstrumentationScope }],
  [2, 'log_records', 'message', { repeated: true, message: () => LogRecord }],
  [3, 'schema_url', 'string'],
]);

export const ResourceLogs = defineMessage(`${PKG}.ResourceLogs`, [
  [1, 'resource', 'message', { message: () => Resource }],
  [2, 'scope_logs', 'message', { repeated: true, message: () => ScopeLogs }],
  [3, 'schema_url', 'string'],
]);

export const LogsData = defineMessage(`${PKG}.LogsData`, [
  [1, 'resource_logs', 'message', { repeated: true, message: () => ResourceLogs }],
]);

const SERVICE = 'opentelemetry.proto.collector.logs.v1';

export const ExportLogsServiceRequest = defineMessage(`${SERVICE}.ExportLogsServiceRequest`, [
  [1, 'resource_logs', 'message', { repeated: true, message: () => ResourceLogs }],
]);

export const ExportLogsPartialSuccess = defineMessage(`${SERVICE}.ExportLogsPartialSuccess`, [
  [1, 'rejected_log_records', 'int64'],
  [2, 'error_message', 'string'],
]);

export const ExportLogsServiceResponse = defineMessage(`${SERVICE}.ExportLogsServiceResponse`, [
  [1, 'partial_success', 'message', { message: () => ExportLogsPartialSuccess }],
]);
