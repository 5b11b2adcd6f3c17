// Compiled (never run) by sdk-types.test.ts: SieveLogRecordProcessor must be accepted wherever the
// real SDK (sdk-logs 0.2xx) expects a LogRecordProcessor, take the SDK's real exporters, and the
// SDK's records must be our ReadableLogRecords.
import { LoggerProvider, InMemoryLogRecordExporter } from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { SieveLogRecordProcessor } from 'otel-sieve/sdk';
import type { ReadableLogRecord as SieveReadableLogRecord, LogsPipelineLike } from 'otel-sieve/sdk';

declare const pipeline: LogsPipelineLike;

const processor = new SieveLogRecordProcessor({ pipeline, exporter: new OTLPLogExporter() });
const inMemory = new SieveLogRecordProcessor({ pipeline, exporter: new InMemoryLogRecordExporter() });

export const asProcessor: LogRecordProcessor = processor;
export const provider = new LoggerProvider({ processors: [processor, inMemory] });

declare const sdkRecord: ReadableLogRecord;
export const ours: SieveReadableLogRecord = sdkRecord;
