// The processor contract for logs and metrics, shaped like TracesProcessor (pipeline/types.ts):
// the filter's log and metric components implement it and export factories with the same
// readConfig/create shape, for the Pipeline to register once it runs logs and metrics pipelines.
import type { ConfigReader } from '../../config/config-reader.js';
import type { LogBatch } from '../../otlp/log-batch.js';
import type { MetricBatch } from '../../otlp/metric-batch.js';
import type { ComponentContext, Millis } from '../../pipeline/types.js';

/** A processor of one signal's batches: `process` owns the batch it gets and returns what goes on. */
export interface SignalProcessor<Batch> {
  readonly id: string;
  process(batch: Batch, now: Millis): Batch[];
  flush(now: Millis): Batch[];
  shutdown?(): void;
  counters?(): Readonly<Record<string, number>>;
}

export type LogsProcessor = SignalProcessor<LogBatch>;
export type MetricsProcessor = SignalProcessor<MetricBatch>;

export interface SignalProcessorFactory<Batch, C = unknown> {
  readonly type: string;
  readConfig(reader: ConfigReader): C;
  create(config: C, context: ComponentContext): SignalProcessor<Batch>;
}
