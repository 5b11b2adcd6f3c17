// What the integrations (OTLP/HTTP handler, SDK adapters) need from a traces pipeline, as a small
// structural interface: the collector-shaped Pipeline satisfies it, and so does any object with
// these methods (tests and examples use a few lines around TraceBatch.filter). Everything that
// depends on the real Pipeline's details — its result shape, how it refuses data — is read here
// and nowhere else, so that adapting to it touches one file.
import type { TraceBatch } from '../otlp/trace-batch.js';
import type { LogBatch } from '../otlp/log-batch.js';
import type { MetricBatch } from '../otlp/metric-batch.js';
import type { Signal } from '../config/collector-config.js';
import { PipelineRefusedError } from './pipeline-refused-error.js';

type AnyBatch = TraceBatch | LogBatch | MetricBatch;

/**
 * What `process` may return: the batches to export, or those plus a count of spans the pipeline
 * rejected as invalid (reported to OTLP clients as `partial_success`; spans a processor drops on
 * purpose — filtered, sampled out — are not rejections).
 */
export interface PipelineResult<Batch extends AnyBatch = TraceBatch> {
  batches: Batch[];
  /**
   * Items refused as invalid — spans, or log records / data points for those signals; reported
   * as `partial_success.rejected_spans` (`rejected_log_records`, `rejected_data_points`).
   */
  rejectedSpans?: number;
  /** Why (English); with rejectedSpans 0 it is a warning, still sent as partial success. */
  message?: string;
}

/**
 * A traces pipeline as the integrations use it. `process` takes ownership of `batch` when it
 * returns normally and hands back batches the caller owns (and disposes after exporting). To
 * refuse data under pressure it throws a PipelineRefusedError (or any Error with
 * `retryable: true`, see {@link refusalOf}) *before* taking ownership: the caller still owns
 * and disposes the batch, and the client is told to retry.
 */
export interface SignalPipelineLike<Batch extends AnyBatch> {
  process(batch: Batch, now?: number): Batch[] | PipelineResult<Batch>;
  /** Releases everything buffered (end of input, shutdown, SDK forceFlush). */
  flush(now?: number): Batch[];
  /** Work due at `now` without new input (tail-sampling decisions, batch timeouts). */
  tick?(now?: number): Batch[];
}

export type TracesPipelineLike = SignalPipelineLike<TraceBatch>;
/** A logs pipeline as the integrations use it (the same contract; the items are log records). */
export type LogsPipelineLike = SignalPipelineLike<LogBatch>;
/** A metrics pipeline as the integrations use it (the same contract; the items are data points). */
export type MetricsPipelineLike = SignalPipelineLike<MetricBatch>;

/** One pipeline per signal, for integrations that serve several (the OTLP handler). */
export interface OtlpPipelines {
  traces?: TracesPipelineLike;
  logs?: LogsPipelineLike;
  metrics?: MetricsPipelineLike;
}

/**
 * What the collector-shaped Pipeline offers for every signal its config runs: the signals fed by
 * a receiver, and a `{ process, flush, tick }` per signal.
 */
export interface MultiSignalPipelineLike {
  readonly signals: readonly Signal[];
  forSignal(signal: 'traces'): TracesPipelineLike;
  forSignal(signal: 'logs'): LogsPipelineLike;
  forSignal(signal: 'metrics'): MetricsPipelineLike;
}

function isPipelineLike(value: unknown): value is SignalPipelineLike<AnyBatch> {
  const v = value as SignalPipelineLike<AnyBatch> | null;
  return !!v && typeof v.process === 'function' && typeof v.flush === 'function';
}

/**
 * The per-signal pipelines of what a caller gave: a multi-signal Pipeline (every signal its config
 * feeds), an object of per-signal pipelines, or one pipeline-like object (traces). Throws a
 * TypeError naming what is missing.
 */
export function signalPipelines(given: TracesPipelineLike | OtlpPipelines | MultiSignalPipelineLike, what: string): OtlpPipelines {
  const multi = given as MultiSignalPipelineLike;
  if (given && typeof multi.forSignal === 'function' && Array.isArray(multi.signals)) {
    const out: OtlpPipelines = {};
    for (const s of multi.signals) {
      if (s === 'traces') out.traces = multi.forSignal('traces');
      else if (s === 'logs') out.logs = multi.forSignal('logs');
      else out.metrics = multi.forSignal('metrics');
    }
    return out;
  }
  if (isPipelineLike(given)) return { traces: given as TracesPipelineLike };
  const per = given as OtlpPipelines;
  if (given && typeof given === 'object' && (per.traces || per.logs || per.metrics)) {
    for (const s of ['traces', 'logs', 'metrics'] as const) {
      if (per[s] !== undefined && !isPipelineLike(per[s])) throw new TypeError(`${what}: pipelines.${s} must have process(batch, now) and flush(now)`);
    }
    return { ...per };
  }
  throw new TypeError(`${what}: pipeline must have process(batch, now) and flush(now), or be { traces?, logs?, metrics? } of such pipelines`);
}

/** `process` normalised: batches plus rejections (0 when the pipeline reports none). */
export interface ProcessOutcome<Batch extends AnyBatch = TraceBatch> {
  batches: Batch[];
  rejectedSpans: number;
  message: string;
}

/** Runs `pipeline.process`; a refusal comes back as a thrown PipelineRefusedError (see refusalOf). */
export function runPipeline<Batch extends AnyBatch>(pipeline: SignalPipelineLike<Batch>, batch: Batch, now: number): ProcessOutcome<Batch> {
  let result: Batch[] | PipelineResult<Batch>;
  try {
    result = pipeline.process(batch, now);
  } catch (err) {
    throw refusalOf(err) ?? err;
  }
  if (Array.isArray(result)) return { batches: result, rejectedSpans: 0, message: '' };
  if (!result || !Array.isArray(result.batches)) {
    throw new TypeError('pipeline.process() must return an array of batches or { batches, rejectedSpans?, message? }');
  }
  const rejected = result.rejectedSpans ?? 0;
  if (!Number.isInteger(rejected) || rejected < 0) throw new TypeError(`pipeline.process() returned rejectedSpans ${rejected}; expected a non-negative integer`);
  return { batches: result.batches, rejectedSpans: rejected, message: result.message ?? '' };
}

/**
 * Whether `err` is a refusal, as a PipelineRefusedError. Besides our own class this accepts the
 * collector-shaped convention of a retryable error carrying `retryAfterMs` (the memory limiter's
 * DataRefusedError), so pipelines need not import anything from here.
 */
export function refusalOf(err: unknown): PipelineRefusedError | undefined {
  if (err instanceof PipelineRefusedError) return err;
  if (!(err instanceof Error) || (err as { retryable?: unknown }).retryable !== true) return undefined;
  const ms = (err as { retryAfterMs?: unknown }).retryAfterMs;
  const seconds = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  const after = typeof seconds === 'number' ? seconds : typeof ms === 'number' ? ms / 1000 : undefined;
  // DataRefusedError's message already ends in its own "retry after N ms": use its parts when it has them.
  const { component, reason } = err as { component?: unknown; reason?: unknown };
  const why = typeof component === 'string' && typeof reason === 'string' ? `${component}: ${reason}` : err.message;
  const refused = new PipelineRefusedError(why, after === undefined || !Number.isFinite(after) ? undefined : Math.max(1, Math.ceil(after)));
  refused.cause = err;
  return refused;
}

/** Runs `tick` when the pipeline has one (timers advance on every request at the edge). */
export function tickPipeline<Batch extends AnyBatch>(pipeline: SignalPipelineLike<Batch>, now: number): Batch[] {
  return pipeline.tick ? pipeline.tick(now) : [];
}
