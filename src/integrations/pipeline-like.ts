// What the integrations (OTLP/HTTP handler, SDK adapters) need from a traces pipeline, as a small
// structural interface: the collector-shaped Pipeline satisfies it, and so does any object with
// these methods (tests and examples use a few lines around TraceBatch.filter). Everything that
// depends on the real Pipeline's details — its result shape, how it refuses data — is read here
// and nowhere else, so that adapting to it touches one file.
import type { TraceBatch } from '../otlp/trace-batch.js';
import { PipelineRefusedError } from './pipeline-refused-error.js';

/**
 * What `process` may return: the batches to export, or those plus a count of spans the pipeline
 * rejected as invalid (reported to OTLP clients as `partial_success`; spans a processor drops on
 * purpose — filtered, sampled out — are not rejections).
 */
export interface PipelineResult {
  batches: TraceBatch[];
  /** Spans refused as invalid; reported as `partial_success.rejected_spans`. */
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
export interface TracesPipelineLike {
  process(batch: TraceBatch, now?: number): TraceBatch[] | PipelineResult;
  /** Releases everything buffered (end of input, shutdown, SDK forceFlush). */
  flush(now?: number): TraceBatch[];
  /** Work due at `now` without new input (tail-sampling decisions, batch timeouts). */
  tick?(now?: number): TraceBatch[];
}

/** `process` normalised: batches plus rejections (0 when the pipeline reports none). */
export interface ProcessOutcome {
  batches: TraceBatch[];
  rejectedSpans: number;
  message: string;
}

/** Runs `pipeline.process`; a refusal comes back as a thrown PipelineRefusedError (see refusalOf). */
export function runPipeline(pipeline: TracesPipelineLike, batch: TraceBatch, now: number): ProcessOutcome {
  let result: TraceBatch[] | PipelineResult;
  try {
    result = pipeline.process(batch, now);
  } catch (err) {
    throw refusalOf(err) ?? err;
  }
  if (Array.isArray(result)) return { batches: result, rejectedSpans: 0, message: '' };
  if (!result || !Array.isArray(result.batches)) {
    throw new TypeError('pipeline.process() must return TraceBatch[] or { batches: TraceBatch[], rejectedSpans?, message? }');
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
export function tickPipeline(pipeline: TracesPipelineLike, now: number): TraceBatch[] {
  return pipeline.tick ? pipeline.tick(now) : [];
}
