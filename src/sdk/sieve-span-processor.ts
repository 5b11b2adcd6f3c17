// SieveSpanProcessor: a SpanProcessor that groups each trace's local spans until the last of them
// ends (as otel-cf-workers does), then runs the pipeline over whole traces and hands what it keeps
// to the wrapped exporter — so filters and tail decisions see every local span of a trace, and
// dropping a trace drops its children too. Buffers are bounded (spans, open traces); whatever
// cannot be kept is counted and reported, never silently lost.
import { SpanPipelineRunner } from './span-pipeline-runner.js';
import { refusalOf } from '../integrations/pipeline-like.js';
import type { TracesPipelineLike } from '../integrations/pipeline-like.js';
import { logFailure } from '../exporters/traces-exporter.js';
import type { ExportFailure } from '../exporters/traces-exporter.js';
import { EXPORT_SUCCESS } from './sdk-types.js';
import type { ReadableSpan, SpanExporter, SpanLike, SpanProcessor } from './sdk-types.js';

export interface SieveSpanProcessorOptions {
  /** The pipeline whole traces run through. */
  pipeline: TracesPipelineLike;
  /** Where kept spans go (an OTLPTraceExporter, a ConsoleSpanExporter…). */
  exporter: SpanExporter;
  /** Ended spans held at most (in open traces and waiting for export); more are dropped and counted. Default 2048. */
  maxQueueSize?: number;
  /** Spans per pipeline run and export at most; traces are kept whole when they fit. Default 512. */
  maxExportBatchSize?: number;
  /**
   * How long completed traces wait for company before export. 0 exports as soon as a trace
   * completes, with no timer: the setting for edge runtimes, together with
   * `ctx.waitUntil(processor.forceFlush())`. Default 5000, like the BatchSpanProcessor.
   */
  scheduledDelayMillis?: number;
  /** An export not answered within this is counted as failed. Default 30000. */
  exportTimeoutMillis?: number;
  /** Traces with running spans tracked at most; the oldest is released early (with the spans it has). Default 10000. */
  maxOpenTraces?: number;
  /** Original span objects remembered while a buffering pipeline holds them. Default: maxQueueSize. */
  maxRetainedSpans?: number;
  /** The pipeline's clock, Unix ms. Default Date.now. */
  now?: () => number;
  /** Told about spans that were not exported and why. Default: console.warn. */
  onFailure?: (failure: ExportFailure) => void;
}

export const DEFAULT_SIEVE_SPAN_PROCESSOR_OPTIONS = Object.freeze({
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30000,
  maxOpenTraces: 10000,
});

export interface SieveSpanProcessorStats {
  /** Sampled spans that ended while the processor was running. */
  spansEnded: number;
  /** Spans the wrapped exporter acknowledged. */
  spansExported: number;
  /** Spans dropped: queue full, refused by the pipeline, ended after shutdown. */
  spansDropped: number;
  /** Spans lost to a failed or timed-out export, or a pipeline error. */
  spansFailed: number;
  /** Spans the pipeline rejected as invalid. */
  spansRejected: number;
  /** Traces sent on before their last local span ended (too many open traces, too big for one batch, forceFlush). */
  tracesReleasedEarly: number;
  /** Traces with spans still running now. */
  openTraces: number;
  /** Ended spans held now. */
  bufferedSpans: number;
}

interface OpenTrace {
  readonly running: Set<string>;
  ended: ReadableSpan[];
}

function positiveInt(name: string, v: number, min = 1): number {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`SieveSpanProcessor: ${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

export class SieveSpanProcessor implements SpanProcessor {
  private readonly runner: SpanPipelineRunner;
  private readonly exporter: SpanExporter;
  private readonly onFailure: (f: ExportFailure) => void;
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private readonly delay: number;
  private readonly exportTimeout: number;
  private readonly maxOpen: number;
  private readonly open = new Map<string, OpenTrace>();
  /** Completed traces (or released parts), oldest first. */
  private readonly ready: ReadableSpan[][] = [];
  private readyCount = 0;
  private buffered = 0;
  private exporting: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly counters = { spansEnded: 0, spansExported: 0, spansDropped: 0, spansFailed: 0, spansRejected: 0, tracesReleasedEarly: 0 };

  constructor(options: SieveSpanProcessorOptions) {
    if (!options?.exporter || typeof options.exporter.export !== 'function') throw new TypeError('SieveSpanProcessor: options.exporter must be a SpanExporter');
    const d = DEFAULT_SIEVE_SPAN_PROCESSOR_OPTIONS;
    this.maxQueue = positiveInt('maxQueueSize', options.maxQueueSize ?? d.maxQueueSize);
    this.maxBatch = positiveInt('maxExportBatchSize', options.maxExportBatchSize ?? d.maxExportBatchSize);
    if (this.maxBatch > this.maxQueue) throw new RangeError(`SieveSpanProcessor: maxExportBatchSize (${this.maxBatch}) must not exceed maxQueueSize (${this.maxQueue})`);
    this.delay = positiveInt('scheduledDelayMillis', options.scheduledDelayMillis ?? d.scheduledDelayMillis, 0);
    this.exportTimeout = positiveInt('exportTimeoutMillis', options.exportTimeoutMillis ?? d.exportTimeoutMillis);
    this.maxOpen = positiveInt('maxOpenTraces', options.maxOpenTraces ?? d.maxOpenTraces);
    const retained = positiveInt('maxRetainedSpans', options.maxRetainedSpans ?? this.maxQueue, 0);
    this.runner = new SpanPipelineRunner(options.pipeline, retained, options.now ?? Date.now);
    this.exporter = options.exporter;
    this.onFailure = options.onFailure ?? logFailure;
  }

  stats(): SieveSpanProcessorStats {
    return { ...this.counters, openTraces: this.open.size, bufferedSpans: this.buffered };
  }

  private report(kind: ExportFailure['kind'], items: number, error: Error): void {
    if (kind === 'dropped') this.counters.spansDropped += items;
    else if (kind === 'failed') this.counters.spansFailed += items;
    else if (kind === 'rejected') this.counters.spansRejected += items;
    try {
      this.onFailure({ exporter: 'SieveSpanProcessor', kind, items, error });
    } catch {
      // reporting must not break span.end()
    }
  }

  onStart(span: SpanLike, _parentContext: unknown): void {
    if (this.closed) return;
    const ctx = span.spanContext();
    let trace = this.open.get(ctx.traceId);
    if (!trace) {
      if (this.open.size >= this.maxOpen) this.releaseOldest();
      trace = { running: new Set(), ended: [] };
      this.open.set(ctx.traceId, trace);
    }
    trace.running.add(ctx.spanId);
  }

  onEnd(span: ReadableSpan): void {
    if (this.closed) return;
    const ctx = span.spanContext();
    // Unsampled spans are not exported, as with the SDK's own processors.
    if ((ctx.traceFlags & 1) === 0) {
      this.open.get(ctx.traceId)?.running.delete(ctx.spanId);
      this.completeIfDone(ctx.traceId);
      return;
    }
    this.counters.spansEnded++;
    let trace = this.open.get(ctx.traceId);
    trace?.running.delete(ctx.spanId);
    if (this.buffered >= this.maxQueue) {
      this.report('dropped', 1, new Error(`span buffer is full (maxQueueSize ${this.maxQueue}); dropped span ${ctx.spanId} of trace ${ctx.traceId}`));
      this.completeIfDone(ctx.traceId);
      this.schedule(true);
      return;
    }
    if (!trace) {
      // Started before this processor saw it (or its trace was released early): a trace of its own.
      trace = { running: new Set(), ended: [] };
      this.open.set(ctx.traceId, trace);
    }
    trace.ended.push(span);
    this.buffered++;
    if (!this.completeIfDone(ctx.traceId) && trace.ended.length >= this.maxBatch) {
      // Bigger than one export: send what has ended, the rest follows as another part.
      this.counters.tracesReleasedEarly++;
      this.enqueue(trace.ended);
      trace.ended = [];
    }
    this.schedule(false);
  }

  /** Moves a trace whose local spans have all ended to the ready queue. */
  private completeIfDone(traceId: string): boolean {
    const trace = this.open.get(traceId);
    if (!trace || trace.running.size > 0) return false;
    this.open.delete(traceId);
    if (trace.ended.length) this.enqueue(trace.ended);
    return true;
  }

  private releaseOldest(): void {
    const [traceId, trace] = this.open.entries().next().value as [string, OpenTrace];
    this.open.delete(traceId);
    if (trace.ended.length) {
      this.counters.tracesReleasedEarly++;
      this.enqueue(trace.ended);
    }
  }

  private enqueue(spans: ReadableSpan[]): void {
    this.ready.push(spans);
    this.readyCount += spans.length;
  }

  /** Starts an export when due; `pressure` exports now even with a delay configured. */
  private schedule(pressure: boolean): void {
    if (this.exporting) return;
    if (pressure && this.readyCount === 0 && this.open.size) {
      // Full, and nothing complete to send: send the oldest open trace with what it has.
      this.releaseOldestWithSpans();
    }
    if (this.readyCount === 0) return;
    if (pressure || this.delay === 0 || this.readyCount >= this.maxBatch) {
      this.startExport();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.exporting && this.readyCount) this.startExport();
      }, this.delay);
      // Node: a pending export must not keep the process alive (shutdown/forceFlush send it).
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  private releaseOldestWithSpans(): void {
    for (const [traceId, trace] of this.open) {
      if (!trace.ended.length) continue;
      this.counters.tracesReleasedEarly++;
      this.enqueue(trace.ended);
      trace.ended = [];
      if (trace.running.size === 0) this.open.delete(traceId);
      return;
    }
  }

  private startExport(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // Deferred to a microtask: span.end() must not run the pipeline synchronously.
    this.exporting = Promise.resolve()
      .then(() => this.drain())
      .finally(() => {
        this.exporting = undefined;
        if (this.readyCount) this.schedule(this.buffered >= this.maxQueue);
      });
  }

  /** Exports every ready trace, one batch at a time. */
  private async drain(): Promise<void> {
    while (this.ready.length) {
      const batch: ReadableSpan[] = [];
      while (this.ready.length && (batch.length === 0 || batch.length + this.ready[0]!.length <= this.maxBatch)) {
        const group = this.ready.shift()!;
        this.readyCount -= group.length;
        batch.push(...group);
      }
      await this.processAndExport(batch);
    }
  }

  private async processAndExport(spans: ReadableSpan[]): Promise<void> {
    let kept: ReadableSpan[];
    try {
      const result = this.runner.process(spans);
      kept = result.spans;
      if (result.rejected > 0) this.report('rejected', result.rejected, new Error(`the pipeline rejected ${result.rejected} span(s)${result.message ? `: ${result.message}` : ''}`));
    } catch (err) {
      const refusal = refusalOf(err);
      this.report(refusal ? 'dropped' : 'failed', spans.length, refusal ?? (err instanceof Error ? err : new Error(String(err))));
      return;
    } finally {
      this.buffered -= spans.length;
    }
    await this.exportKept(kept);
  }

  private exportKept(spans: ReadableSpan[]): Promise<void> {
    if (!spans.length) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        this.report('failed', spans.length, new Error(`export of ${spans.length} span(s) not answered within ${this.exportTimeout} ms`));
        resolve();
      }, this.exportTimeout);
      const done = (code: number, error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (code === EXPORT_SUCCESS) this.counters.spansExported += spans.length;
        else this.report('failed', spans.length, error ?? new Error('the wrapped exporter reported FAILED'));
        resolve();
      };
      try {
        this.exporter.export(spans, (result) => done(result.code, result.error));
      } catch (err) {
        done(1, err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /**
   * Exports every ended span (as the spec asks, including those of traces still running — they
   * go as a part), then whatever the pipeline buffers, then flushes the wrapped exporter. Never
   * rejects. At the edge: `ctx.waitUntil(processor.forceFlush())` when the request is done.
   */
  async forceFlush(): Promise<void> {
    try {
      for (const [traceId, trace] of this.open) {
        if (trace.ended.length) {
          if (trace.running.size) this.counters.tracesReleasedEarly++;
          this.enqueue(trace.ended);
          trace.ended = [];
        }
        if (trace.running.size === 0) this.open.delete(traceId);
      }
      await this.exporting;
      if (this.ready.length) {
        this.startExport();
        await this.exporting;
      }
      let released: ReadableSpan[] = [];
      try {
        released = this.runner.flush();
      } catch (err) {
        this.report('failed', 0, err instanceof Error ? err : new Error(String(err)));
      }
      for (let i = 0; i < released.length; i += this.maxBatch) await this.exportKept(released.slice(i, i + this.maxBatch));
      await this.exporter.forceFlush?.();
    } catch (err) {
      this.report('failed', 0, err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Flushes everything, then shuts the wrapped exporter down; later spans are ignored. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    await this.forceFlush();
    this.closed = true;
    this.open.clear();
    this.runner.clear();
    try {
      await this.exporter.shutdown();
    } catch (err) {
      this.report('failed', 0, err instanceof Error ? err : new Error(String(err)));
    }
  }
}
