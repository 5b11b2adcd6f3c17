// The contracts between the pipeline and its components. Processors and connectors are built from
// the collector's YAML config by factories registered per component type; time always comes from
// the caller (edge runtimes freeze timers; tests drive time), as Unix milliseconds.
import type { TraceBatch } from '../otlp/trace-batch.js';
import type { LogBatch } from '../otlp/log-batch.js';
import type { MetricBatch } from '../otlp/metric-batch.js';
import type { Signal } from '../config/collector-config.js';
import type { AnyBatch, PendingEdits } from './pending-edits.js';

/** Unix time in milliseconds, supplied by the caller (Date.now() by default). */
export type Millis = number;

/** The batch class of each signal. */
export interface SignalBatches {
  traces: TraceBatch;
  logs: LogBatch;
  metrics: MetricBatch;
}

/** Where a component's config came from, for error messages: `processors.filter/probes`. */
export interface ComponentContext {
  /** The component id as written in the config: `type` or `type/name`. */
  readonly id: string;
  /** The config path of the component's block, e.g. `processors.redaction/pii`. */
  readonly path: string;
  /**
   * The signal of the pipeline the instance is built for (the collector builds one instance per
   * pipeline that lists a processor). Absent means traces, for factories written before logs and
   * metrics existed.
   */
  readonly signal?: Signal;
}

/**
 * A processor of one signal. `process` receives a batch it now owns and returns the batches to
 * pass on (often one; none when everything was dropped or buffered). Buffering processors (batch,
 * tail_sampling) release data from `process` when due and from `flush` when asked to (end of input,
 * shutdown). Returned batches are owned by the caller; a processor disposes what it drops.
 */
export interface SignalProcessor<Batch extends AnyBatch> {
  readonly id: string;
  process(batch: Batch, now: Millis): Batch[];
  /** Releases everything buffered (end of input / shutdown). */
  flush(now: Millis): Batch[];
  /** Work due at `now` without new input (timers): e.g. tail-sampling decisions after decision_wait. */
  tick?(now: Millis): Batch[];
  shutdown?(): void;
  /**
   * Admission control, asked before the pipeline accepts a batch (memory_limiter): throws a
   * retryable DataRefusedError to refuse it. The pipeline asks every processor before any of them
   * sees the batch, so a refusal never loses data that was already accepted.
   */
  admit?(batch: Batch, now: Millis): void;
  /** Self-telemetry counters, named like the collector's (`sampling_trace_dropped_too_early`, …). */
  counters?(): Readonly<Record<string, number>>;
  /**
   * Adds this processor's work to edits pending on a batch (keep masks, replacement content)
   * instead of splicing a new batch; the pipeline splices once after a run of such processors. Must
   * give the same result as process().
   */
  edit?(pending: PendingEdits<Batch>, now: Millis): void;
  /** Whether edit() can follow the edits already pending (false: the pipeline splices first). */
  canEdit?(pending: PendingEdits<Batch>): boolean;
}

/** A traces processor. */
export type TracesProcessor = SignalProcessor<TraceBatch>;
/** A logs processor: its items are log records. */
export type LogsProcessor = SignalProcessor<LogBatch>;
/** A metrics processor: its items are metrics, with data points inside (see PendingEdits). */
export type MetricsProcessor = SignalProcessor<MetricBatch>;

/**
 * A connector from traces to metrics (spanmetrics, servicegraph): an exporter of a traces pipeline
 * and a receiver of a metrics pipeline. `consume` must not retain the batch (the caller disposes it).
 */
export interface TracesToMetricsConnector {
  readonly id: string;
  consume(batch: TraceBatch, now: Millis): void;
  /** Timers: flush intervals, expiry of unpaired edges. */
  tick?(now: Millis): void;
  /**
   * The metrics to export now (cumulative or delta per the connector's config), in the OTLP data
   * model as defined by src/metrics (see there).
   */
  collect(now: Millis): unknown;
  shutdown?(): void;
}
