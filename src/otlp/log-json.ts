// Strict OTLP/JSON output for logs, in the form the collector writes (rules and shared pieces in
// otlp-json-output.ts). A log record's `body` is always present, as `{}` when absent, because the
// collector's data model holds it by value.
import type { LogRecordView } from './log-views.js';
import type { OtlpJsonAnyValue, OtlpJsonKeyValue, OtlpJsonResource, OtlpJsonScope } from './otlp-json-output.js';
import { anyValueToJSON, attributesToJSON, compact, envelopesToJSON, nanos, nonEmpty, nonZero } from './otlp-json-output.js';
import type { BatchRows } from './value-views.js';

export interface OtlpJsonLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body: OtlpJsonAnyValue;
  attributes?: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: string;
  spanId?: string;
  eventName?: string;
}
export interface OtlpJsonScopeLogs {
  scope: OtlpJsonScope;
  logRecords?: OtlpJsonLogRecord[];
  schemaUrl?: string;
}
export interface OtlpJsonResourceLogs {
  resource: OtlpJsonResource;
  scopeLogs?: OtlpJsonScopeLogs[];
  schemaUrl?: string;
}
export interface OtlpJsonLogs {
  resourceLogs?: OtlpJsonResourceLogs[];
}

export function logRecordToJSON(r: LogRecordView): OtlpJsonLogRecord {
  return compact({
    timeUnixNano: nanos(r.timeUnixNano),
    observedTimeUnixNano: nanos(r.observedTimeUnixNano),
    severityNumber: nonZero(r.severityNumber),
    severityText: nonEmpty(r.severityText),
    body: anyValueToJSON(r.body),
    attributes: attributesToJSON(r.attributes),
    droppedAttributesCount: nonZero(r.droppedAttributesCount),
    flags: nonZero(r.flags),
    traceId: nonEmpty(r.traceId),
    spanId: nonEmpty(r.spanId),
    eventName: nonEmpty(r.eventName),
  });
}

export function logBatchToJSON(batch: BatchRows & { readonly resourceCount: number; logRecord(i: number): LogRecordView }): OtlpJsonLogs {
  return envelopesToJSON(batch, { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' }, (i) => logRecordToJSON(batch.logRecord(i))) as OtlpJsonLogs;
}
