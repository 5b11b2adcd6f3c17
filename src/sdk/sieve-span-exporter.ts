// SieveSpanExporter: a SpanExporter that runs the pipeline over each export and passes what it
// keeps to the wrapped exporter — the exporter-wrapper pattern the OTel maintainers recommend for
// filtering, usable under any span processor (BatchSpanProcessor, SimpleSpanProcessor). It sees
// whatever its processor hands it; for decisions on whole traces use SieveSpanProcessor.
import { SpanPipelineRunner } from './span-pipeline-runner.js';
import { refusalOf } from '../integrations/pipeline-like.js';
import type { TracesPipelineLike } from '../integrations/pipeline-like.js';
import { logFailure } from '../exporters/traces-exporter.js';
import type { ExportFailure } from '../exporters/traces-exporter.js';
import { EXPORT_FAILED, EXPORT_SUCCESS } from './sdk-types.js';
import type { ExportResult, ReadableSpan, SpanExporter } from './sdk-types.js';

export interface SieveSpanExporterOptions {
  /** The pipeline each export runs through. */
  pipeline: TracesPipelineLike;
  /** Where kept spans go (an OTLPTraceExporter, a ConsoleSpanExporter…). */
  exporter: SpanExporter;
  /**
   * Original span objects remembered while the pipeline holds their data (a tail sampler may
   * release them later); past this, released spans are rebuilt from their bytes. Default 2048.
   */
  maxRetainedSpans?: number;
  /** The pipeline's clock, Unix ms. Default Date.now. */
  now?: () => number;
  /** Told about spans that were not exported and why. Default: console.warn. */
  onFailure?: (failure: ExportFailure) => void;
}

export const DEFAULT_SIEVE_SPAN_EXPORTER_OPTIONS = Object.freeze({ maxRetainedSpans: 2048 });

export class SieveSpanExporter implements SpanExporter {
  private readonly runner: SpanPipelineRunner;
  private readonly exporter: SpanExporter;
  private readonly onFailure: (f: ExportFailure) => void;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(options: SieveSpanExporterOptions) {
    if (!options?.exporter || typeof options.exporter.export !== 'function') throw new TypeError('SieveSpanExporter: options.exporter must be a SpanExporter');
    const max = options.maxRetainedSpans ?? DEFAULT_SIEVE_SPAN_EXPORTER_OPTIONS.maxRetainedSpans;
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`SieveSpanExporter: maxRetainedSpans must be a non-negative integer, got ${max}`);
    this.runner = new SpanPipelineRunner(options.pipeline, max, options.now ?? Date.now);
    this.exporter = options.exporter;
    this.onFailure = options.onFailure ?? logFailure;
  }

  private report(kind: ExportFailure['kind'], items: number, error: Error): void {
    try {
      this.onFailure({ exporter: 'SieveSpanExporter', kind, items, error });
    } catch {
      // reporting must not break the export path
    }
  }

  /** Hands spans to the wrapped exporter and settles with its result. */
  private forward(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    this.inFlight.add(done);
    const finish = (result: ExportResult) => {
      this.inFlight.delete(done);
      settle();
      if (result.code !== EXPORT_SUCCESS) this.report('failed', spans.length, result.error ?? new Error('the wrapped exporter reported FAILED'));
      resultCallback(result);
    };
    try {
      this.exporter.export(spans, finish);
    } catch (err) {
      finish({ code: EXPORT_FAILED, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.closed) {
      const error = new Error('SieveSpanExporter is shut down');
      this.report('dropped', spans.length, error);
      resultCallback({ code: EXPORT_FAILED, error });
      return;
    }
    let kept: ReadableSpan[];
    try {
      const result = this.runner.process(spans);
      kept = result.spans;
      if (result.rejected > 0) this.report('rejected', result.rejected, new Error(`the pipeline rejected ${result.rejected} span(s)${result.message ? `: ${result.message}` : ''}`));
    } catch (err) {
      const refusal = refusalOf(err);
      const error = refusal ?? (err instanceof Error ? err : new Error(String(err)));
      this.report(refusal ? 'dropped' : 'failed', spans.length, error);
      resultCallback({ code: EXPORT_FAILED, error });
      return;
    }
    // Dropping spans is the pipeline's job, not a failure: nothing left means success.
    if (!kept.length) {
      resultCallback({ code: EXPORT_SUCCESS });
      return;
    }
    this.forward(kept, resultCallback);
  }

  /** Releases what the pipeline buffers to the wrapped exporter and waits for every export; never rejects. */
  async forceFlush(): Promise<void> {
    let released: ReadableSpan[] = [];
    try {
      released = this.runner.flush();
    } catch (err) {
      this.report('failed', 0, err instanceof Error ? err : new Error(String(err)));
    }
    if (released.length) await new Promise<void>((resolve) => this.forward(released, () => resolve()));
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
}
