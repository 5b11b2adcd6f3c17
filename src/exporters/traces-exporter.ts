// The contract between whoever has processed traces (the OTLP/HTTP handler, the SDK adapters,
// a CLI) and where they go. An exporter takes what it needs from a batch synchronously — the
// caller disposes the batch right after — and reports how it ended through a promise that never
// rejects. Nothing is lost silently: every item that is not delivered is counted in stats() and
// reported to `onFailure`.
import type { TraceBatch } from '../otlp/trace-batch.js';
import type { LogBatch } from '../otlp/log-batch.js';
import type { MetricBatch } from '../otlp/metric-batch.js';
import type { Signal } from '../config/collector-config.js';

/** How one export ended. */
export interface ExportOutcome {
  /** Items (spans) the destination accepted. */
  readonly delivered: number;
  /** Items not delivered: dropped, failed, or rejected by the server (a partial success). */
  readonly lost: number;
  /** Why some were lost (undefined when none were). */
  readonly error?: Error;
}

/** Counters since the exporter was created; items are spans for traces, data points for metrics. */
export interface ExporterStats {
  /** Items handed to export(). */
  received: number;
  /** Items the destination accepted. */
  delivered: number;
  /** Items dropped without an attempt: queue full, after shutdown, over the request size limit. */
  dropped: number;
  /** Items given up on: permanent errors, retries exhausted, timeouts past the deadline. */
  failed: number;
  /** Items the server rejected in a partial success. */
  rejected: number;
  /** Retried attempts. */
  retries: number;
  /** Requests waiting in the queue now. */
  queued: number;
  /** Requests being sent (or waiting to be retried) now. */
  inFlight: number;
}

/** Something that did not reach its destination. */
export interface ExportFailure {
  /** The exporter's id, e.g. `otlphttp`. */
  readonly exporter: string;
  /** dropped/failed/rejected lose items; a warning (a partial success rejecting none, an unreadable 200 body) loses none. */
  readonly kind: 'dropped' | 'failed' | 'rejected' | 'warning';
  /** How many items were lost (0 for a warning). */
  readonly items: number;
  readonly error: Error;
}

export interface TracesExporter {
  /** Its id in messages, like a collector component id (`otlphttp`, `debug`, `file/archive`). */
  readonly id: string;
  /** The signals it takes (see SignalExporter); absent means traces only. */
  readonly signals?: readonly Signal[];
  /**
   * Exports a batch. The exporter copies what it needs before returning (the caller disposes the
   * batch next); the promise settles when the data was delivered or given up, and never rejects.
   */
  export(batch: TraceBatch): Promise<ExportOutcome>;
  /**
   * False while the exporter cannot take more without dropping (its queue is full). A receiver
   * checks it before accepting data, and answers 503 with Retry-After instead of acknowledging
   * data it would then drop.
   */
  readonly accepting: boolean;
  /**
   * How many batches (requests) may wait in the exporter's queue, when it has one: reported as the
   * collector's `otelcol_exporter_queue_capacity` next to `stats().queued + stats().inFlight`.
   */
  readonly queueCapacity?: number;
  /** Settles when everything handed over so far was delivered or given up; never rejects. */
  forceFlush(): Promise<void>;
  /** Stops accepting (later exports are dropped and counted), then flushes; never rejects. */
  shutdown(): Promise<void>;
  stats(): ExporterStats;
}

/**
 * An exporter of the signals it lists: `export` receives TraceBatch, LogBatch or MetricBatch of
 * those signals only. Items are spans, log records or data points.
 */
export interface SignalExporter extends Omit<TracesExporter, 'export' | 'signals'> {
  readonly signals: readonly Signal[];
  export(batch: TraceBatch | LogBatch | MetricBatch): Promise<ExportOutcome>;
}

/** The signals an exporter takes. */
export function exporterSignals(exporter: TracesExporter | SignalExporter): readonly Signal[] {
  return exporter.signals ?? ['traces'];
}

/** A fresh zeroed stats object. */
export function emptyStats(): ExporterStats {
  return { received: 0, delivered: 0, dropped: 0, failed: 0, rejected: 0, retries: 0, queued: 0, inFlight: 0 };
}

/** The default failure report: one line on the console, naming the exporter, the count and why. */
export function logFailure(f: ExportFailure): void {
  console.warn(f.kind === 'warning' ? `otel-sieve ${f.exporter}: warning: ${f.error.message}` : `otel-sieve ${f.exporter}: ${f.kind} ${f.items} item(s): ${f.error.message}`);
}
