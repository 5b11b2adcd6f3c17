// The OTLP handler gives every exporter of a signal every batch of that signal; a collector config
// gives each pipeline its own exporters. These two pieces join them without changing the handler:
// the pipeline adapter remembers which pipeline released each batch (a WeakMap keyed by the batch
// object — no copy, no per-item work), and one fan-out exporter per signal, the handler's only
// exporter of that signal, hands each batch to that pipeline's exporters.
import type { Pipeline, RoutedBatch } from '../pipeline/pipeline.js';
import type { SignalBatches } from '../pipeline/types.js';
import type { Signal } from '../config/collector-config.js';
import type { TraceBatch } from '../otlp/trace-batch.js';
import type { LogBatch } from '../otlp/log-batch.js';
import type { MetricBatch } from '../otlp/metric-batch.js';
import { batchItemCount } from '../otlp/batch-concat.js';
import type { OtlpPipelines, SignalPipelineLike } from '../integrations/pipeline-like.js';
import { emptyStats } from '../exporters/traces-exporter.js';
import type { ExportOutcome, ExporterStats, SignalExporter, TracesExporter } from '../exporters/traces-exporter.js';

type AnyBatch = TraceBatch | LogBatch | MetricBatch;
/** An exporter of one pipeline: traces-only ones (file, the trace store) or signal exporters. */
export type PipelineExporter = TracesExporter | SignalExporter;

export class RoutedPipeline {
  private readonly origin = new WeakMap<AnyBatch, string>();

  constructor(readonly pipeline: Pipeline) {}

  private tag<Batch extends AnyBatch>(routed: RoutedBatch<Batch>[]): Batch[] {
    return routed.map((r) => {
      this.origin.set(r.batch, r.pipeline);
      return r.batch;
    });
  }

  /** `{ process, tick, flush }` of one signal's pipelines, every output batch tagged with its pipeline. */
  forSignal<S extends Signal>(signal: S): SignalPipelineLike<SignalBatches[S]> {
    const p = this.pipeline;
    return {
      process: (batch, now) => this.tag(p.processSignalRouted(signal, batch, now)),
      tick: (now) => this.tag(p.tickSignalRouted(signal, now)),
      flush: (now) => this.tag(p.flushSignalRouted(signal, now)),
    };
  }

  /** The handler's pipelines: every signal the config feeds from a receiver. */
  served(): OtlpPipelines {
    const out: OtlpPipelines = {};
    for (const s of this.pipeline.signals) {
      if (s === 'traces') out.traces = this.forSignal('traces');
      else if (s === 'logs') out.logs = this.forSignal('logs');
      else out.metrics = this.forSignal('metrics');
    }
    return out;
  }

  /** The pipeline that released `batch`. */
  pipelineOf(batch: AnyBatch): string | undefined {
    return this.origin.get(batch);
  }
}

export class FanOutExporter implements SignalExporter {
  readonly signals: readonly Signal[];
  private readonly counters = emptyStats();

  constructor(
    readonly signal: Signal,
    private readonly routed: RoutedPipeline,
    /** Exporters of each pipeline of `signal`, by pipeline id (the trace store among them for traces). */
    private readonly byPipeline: ReadonlyMap<string, readonly PipelineExporter[]>,
  ) {
    this.signals = [signal];
  }

  private get all(): PipelineExporter[] {
    return [...new Set([...this.byPipeline.values()].flat())];
  }

  /** Named after the exporter whose full queue makes the receiver refuse, so the 503 says which. */
  get id(): string {
    return this.all.find((e) => !e.accepting)?.id ?? 'exporters';
  }

  get accepting(): boolean {
    return this.all.every((e) => e.accepting);
  }

  export(batch: AnyBatch): Promise<ExportOutcome> {
    const items = batchItemCount(batch);
    this.counters.received += items;
    const pipeline = this.routed.pipelineOf(batch);
    const targets = pipeline === undefined ? [] : this.byPipeline.get(pipeline) ?? [];
    if (!targets.length) return Promise.resolve({ delivered: 0, lost: 0 });
    // Each exporter copies what it needs now; the caller disposes the batch when this returns.
    const outcomes = targets.map((e) => (e as SignalExporter).export(batch));
    return Promise.all(outcomes).then((all) => {
      const lost = Math.max(...all.map((o) => o.lost));
      this.counters.delivered += items - lost;
      return { delivered: items - lost, lost, error: all.find((o) => o.error)?.error };
    });
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.all.map((e) => e.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.all.map((e) => e.shutdown()));
  }

  stats(): ExporterStats {
    return { ...this.counters };
  }
}
