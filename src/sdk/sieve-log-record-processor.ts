// SieveLogRecordProcessor: a LogRecordProcessor for the OpenTelemetry JS SDK (sdk-logs 0.2xx and
// 3.x) that takes the BatchLogRecordProcessor's place: it queues emitted records, runs each batch
// through a logs pipeline (redaction, attributes, probabilistic sampling, logs following their
// traces…) in one core call per processor, and passes what the pipeline keeps to the SDK exporter
// you already use. Bounds are the BatchLogRecordProcessor's; a full queue drops the newest record,
// counted and reported.
import { LogPipelineRunner } from './log-pipeline-runner.js';
import { refusalOf } from '../integrations/pipeline-like.js';
import type { LogsPipelineLike } from '../integrations/pipeline-like.js';
import { logFailure } from '../exporters/traces-exporter.js';
import type { ExportFailure } from '../exporters/traces-exporter.js';
import { EXPORT_FAILED, EXPORT_SUCCESS } from './sdk-types.js';
import type { ExportResult } from './sdk-types.js';
import type { LogRecordExporter, LogRecordProcessor, ReadableLogRecord } from './sdk-log-types.js';

export interface SieveLogRecordProcessorOptions {
  /** The logs pipeline every batch runs through (a Pipeline's forSignal('logs'), or any LogsPipelineLike). */
  pipeline: LogsPipelineLike;
  /** Where kept records go (an OTLPLogExporter, a ConsoleLogRecordExporter…). */
  exporter: LogRecordExporter;
  /** Records queued at most; more are dropped (counted). Default 2048 (the BatchLogRecordProcessor's). */
  maxQueueSize?: number;
  /** Records per pipeline run and export. Default 512. */
  maxExportBatchSize?: number;
  /** Delay before a partial batch is processed; 0 processes at the next microtask. Default 1000 ms. */
  scheduledDelayMillis?: number;
  /** Original record objects remembered while the pipeline holds their data. Default 2048. */
  maxRetainedRecords?: number;
  /** The pipeline's clock, Unix ms. Default Date.now. */
  now?: () => number;
  /** Told about records that were not exported and why. Default: console.warn. */
  onFailure?: (failure: ExportFailure) => void;
}

export const DEFAULT_SIEVE_LOG_RECORD_PROCESSOR_OPTIONS = Object.freeze({
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 1000,
  maxRetainedRecords: 2048,
});

export interface SieveLogRecordProcessorStats {
  /** Records emitted to the processor. */
  emitted: number;
  /** Records dropped because the queue was full or the processor was shut down. */
  dropped: number;
  /** Records the pipeline kept and handed to the exporter. */
  exported: number;
  /** Records the wrapped exporter reported as failed. */
  failed: number;
  /** Records queued now. */
  queued: number;
}

function positiveInt(v: number, name: string, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`SieveLogRecordProcessor: ${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

export class SieveLogRecordProcessor implements LogRecordProcessor {
  private readonly runner: LogPipelineRunner;
  private readonly exporter: LogRecordExporter;
  private readonly onFailure: (f: ExportFailure) => void;
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private readonly delay: number;
  private queue: ReadableLogRecord[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private readonly counts = { emitted: 0, dropped: 0, exported: 0, failed: 0 };

  constructor(options: SieveLogRecordProcessorOptions) {
    if (!options?.exporter || typeof options.exporter.export !== 'function') throw new TypeError('SieveLogRecordProcessor: options.exporter must be a LogRecordExporter');
    const d = DEFAULT_SIEVE_LOG_RECORD_PROCESSOR_OPTIONS;
    this.maxQueue = positiveInt(options.maxQueueSize ?? d.maxQueueSize, 'maxQueueSize', 1);
    this.maxBatch = positiveInt(options.maxExportBatchSize ?? d.maxExportBatchSize, 'maxExportBatchSize', 1);
    if (this.maxBatch > this.maxQueue) throw new RangeError(`SieveLogRecordProcessor: maxExportBatchSize (${this.maxBatch}) must not exceed maxQueueSize (${this.maxQueue})`);
    this.delay = positiveInt(options.scheduledDelayMillis ?? d.scheduledDelayMillis, 'scheduledDelayMillis', 0);
    this.runner = new LogPipelineRunner(options.pipeline, positiveInt(options.maxRetainedRecords ?? d.maxRetainedRecords, 'maxRetainedRecords', 0), options.now ?? Date.now);
    this.exporter = options.exporter;
    this.onFailure = options.onFailure ?? logFailure;
  }

  private report(kind: ExportFailure['kind'], items: number, error: Error): void {
    try {
      this.onFailure({ exporter: 'SieveLogRecordProcessor', kind, items, error });
    } catch {
      // reporting must not break the logging path
    }
  }

  onEmit(logRecord: ReadableLogRecord): void {
    this.counts.emitted++;
    if (this.closed || this.queue.length >= this.maxQueue) {
      this.counts.dropped++;
      this.report('dropped', 1, new Error(this.closed ? 'SieveLogRecordProcessor is shut down' : `queue is full (maxQueueSize ${this.maxQueue})`));
      return;
    }
    this.queue.push(logRecord);
    if (this.queue.length >= this.maxBatch) this.schedule(0);
    else this.schedule(this.delay);
  }

  private schedule(delay: number): void {
    if (delay === 0) {
      if (this.scheduled) return;
      this.scheduled = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      queueMicrotask(() => {
        this.scheduled = false;
        this.drain(false);
      });
      return;
    }
    if (this.timer !== undefined || this.scheduled) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain(false);
    }, delay);
    // A pending flush must not keep a Node process alive (the BatchLogRecordProcessor's unref).
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Runs queued records through the pipeline in batches of maxExportBatchSize and exports what it keeps. */
  private drain(all: boolean): void {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      let kept: ReadableLogRecord[];
      try {
        const result = this.runner.process(batch);
        kept = result.records;
        if (result.rejected > 0) this.report('rejected', result.rejected, new Error(`the pipeline rejected ${result.rejected} log record(s)${result.message ? `: ${result.message}` : ''}`));
      } catch (err) {
        const refusal = refusalOf(err);
        this.counts.dropped += batch.length;
        this.report(refusal ? 'dropped' : 'failed', batch.length, refusal ?? (err instanceof Error ? err : new Error(String(err))));
        continue;
      }
      this.forward(kept);
      if (!all) break;
    }
    if (this.queue.length) this.schedule(this.queue.length >= this.maxBatch ? 0 : this.delay);
  }

  private forward(records: ReadableLogRecord[]): Promise<void> {
    if (!records.length) return Promise.resolve();
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    this.inFlight.add(done);
    const finish = (result: ExportResult) => {
      this.inFlight.delete(done);
      if (result.code === EXPORT_SUCCESS) this.counts.exported += records.length;
      else {
        this.counts.failed += records.length;
        this.report('failed', records.length, result.error ?? new Error('the wrapped exporter reported FAILED'));
      }
      settle();
    };
    try {
      this.exporter.export(records, finish);
    } catch (err) {
      finish({ code: EXPORT_FAILED, error: err instanceof Error ? err : new Error(String(err)) });
    }
    return done;
  }

  /** Processes every queued record, then releases what the pipeline buffers, and waits for the exports; never rejects. */
  async forceFlush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.drain(true);
    try {
      await this.forward(this.runner.flush());
    } catch (err) {
      this.report('failed', 0, err instanceof Error ? err : new Error(String(err)));
    }
    await Promise.all([...this.inFlight]);
    try {
      await this.exporter.forceFlush?.();
    } catch (err) {
      this.report('failed', 0, err instanceof Error ? err : new Error(String(err)));
    }
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    await this.forceFlush();
    this.closed = true;
    this.runner.clear();
    try {
      await this.exporter.shutdown();
    } catch (err) {
      this.report('failed', 0, err instanceof Error ? err : new Error(String(err)));
    }
  }

  stats(): SieveLogRecordProcessorStats {
    return { ...this.counts, queued: this.queue.length };
  }
}
