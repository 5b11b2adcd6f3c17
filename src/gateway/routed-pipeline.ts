// The OTLP handler gives every exporter every batch; a collector config gives each traces pipeline
// its own exporters. These two pieces join them without changing the handler: the pipeline adapter
// remembers which pipeline released each batch (a WeakMap keyed by the batch object — no copy, no
// per-span work), and the fan-out exporter, the handler's only exporter, hands each batch to that
// pipeline's exporters.
import type { Pipeline, RoutedBatch } from '../pipeline/pipeline.js';
import type { TraceBatch } from '../otlp/trace-batch.js';
import type { TracesPipelineLike } from '../integrations/pipeline-like.js';
import { emptyStats } from '../exporters/traces-exporter.js';
import type { ExportOutcome, ExporterStats, TracesExporter } from '../exporters/traces-exporter.js';

export class RoutedPipeline implements TracesPipelineLike {
  private readonly origin = new WeakMap<TraceBatch, string>();

  constructor(readonly pipeline: Pipeline) {}

  private tag(routed: RoutedBatch[]): TraceBatch[] {
    return routed.map((r) => {
      this.origin.set(r.batch, r.pipeline);
      return r.batch;
    });
  }

  process(batch: TraceBatch, now?: number): TraceBatch[] {
    return this.tag(this.pipeline.processRouted(batch, now));
  }

  tick(now?: number): TraceBatch[] {
    return this.tag(this.pipeline.tickRouted(now));
  }

  flush(now?: number): TraceBatch[] {
    return this.tag(this.pipeline.flushRouted(now));
  }

  /** The traces pipeline that released `batch`. */
  pipelineOf(batch: TraceBatch): string | undefined {
    return this.origin.get(batch);
  }
}

export class FanOutExporter implements TracesExporter {
  private readonly counters = emptyStats();

  constructor(
    private readonly routed: RoutedPipeline,
    /** Exporters of each traces pipeline, by pipeline id (the trace store among them). */
    private readonly byPipeline: ReadonlyMap<string, readonly TracesExporter[]>,
  ) {}

  private get all(): TracesExporter[] {
    return [...new Set([...this.byPipeline.values()].flat())];
  }

  /** Named after the exporter whose full queue makes the receiver refuse, so the 503 says which. */
  get id(): string {
    return this.all.find((e) => !e.accepting)?.id ?? 'exporters';
  }

  get accepting(): boolean {
    return this.all.every((e) => e.accepting);
  }

  export(batch: TraceBatch): Promise<ExportOutcome> {
    const spans = batch.spanCount;
    this.counters.received += spans;
    const pipeline = this.routed.pipelineOf(batch);
    const targets = pipeline === undefined ? [] : this.byPipeline.get(pipeline) ?? [];
    if (!targets.length) return Promise.resolve({ delivered: 0, lost: 0 });
    // Each exporter copies what it needs now; the caller disposes the batch when this returns.
    const outcomes = targets.map((e) => e.export(batch));
    return Promise.all(outcomes).then((all) => {
      const lost = Math.max(...all.map((o) => o.lost));
      this.counters.delivered += spans - lost;
      return { delivered: spans - lost, lost, error: all.find((o) => o.error)?.error };
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
