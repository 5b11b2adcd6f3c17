// The OpenTelemetry JS SDK's logs interfaces (@opentelemetry/sdk-logs 0.2xx; unchanged in 3.x but
// for the ReadWriteLogRecord name), restated structurally so the adapters import nothing from
// @opentelemetry/* at runtime and work with either line. Field docs are the SDK's semantics.
import type { Attributes, ExportResult, HrTime, InstrumentationScope, Resource, SpanContext } from './sdk-types.js';

/** A log body: any AnyValue the SDK accepts (strings, numbers, booleans, bytes, arrays, maps). */
export type LogBody = unknown;

export interface ReadableLogRecord {
  readonly hrTime: HrTime;
  readonly hrTimeObserved: HrTime;
  readonly spanContext?: SpanContext;
  readonly severityText?: string;
  /** SeverityNumber: 1–24 (TRACE … FATAL4); undefined when not set. */
  readonly severityNumber?: number;
  readonly body?: LogBody;
  readonly eventName?: string;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
}

export interface LogRecordExporter {
  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export interface LogRecordProcessor {
  forceFlush(options?: { timeoutMillis?: number }): Promise<void>;
  /** `logRecord` is the SDK's ReadWriteLogRecord (SdkLogRecord in 0.2xx); it is read, never written. */
  onEmit(logRecord: ReadableLogRecord, context?: unknown): void;
  shutdown(): Promise<void>;
}
