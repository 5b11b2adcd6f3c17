// The metrics pipelines of a config, run on the connectors' flush intervals: each connector is
// collected once when its metrics_flush_interval says so (a delta collection ends the interval, so
// never twice), each metrics pipeline's snapshot becomes the merge of its connectors' latest data,
// and its push exporters send that snapshot; pull exporters (prometheus) serve it between flushes,
// as the collector's Prometheus exporter serves what the pipeline last gave it. Metrics a pipeline
// receives over OTLP are not here: the OTLP handler runs them through the pipeline's processors to
// its batch exporters (pipeline-exporters.ts), like traces and logs.
import type { Pipeline } from '../pipeline/pipeline.js';
import type { TracesToMetricsConnector } from '../pipeline/types.js';
import type { MetricsData } from '../metrics/metrics-data.js';
import { dataPointCount, mergeMetricsData } from '../metrics/metrics-data.js';
import { MetricsSnapshot } from '../exporters/metrics/pipeline-metrics-source.js';
import { createMetricsExporter } from '../exporters/exporter-factory.js';
import type { ExporterFactoryOptions, MetricsPushExporter, PrometheusPullExporter } from '../exporters/exporter-factory.js';

/** What the connectors may offer besides the TracesToMetricsConnector contract. */
interface Scheduled {
  flushIntervalMs?: number;
  isFlushDue?(now: number): boolean;
  expireAll?(now: number): void;
}

export interface MetricsPipelineRun {
  readonly id: string;
  readonly connectors: readonly string[];
  readonly snapshot: MetricsSnapshot;
  readonly push: MetricsPushExporter[];
  readonly pull: PrometheusPullExporter[];
}

/** The collector's default metrics_flush_interval, for connectors that do not say. */
const DEFAULT_FLUSH_MS = 60_000;

export class MetricsLoop {
  readonly pipelines: MetricsPipelineRun[] = [];
  private readonly latest = new Map<string, MetricsData>();
  private readonly pending = new Set<Promise<unknown>>();
  /** What runs differently from the collector here, one message per pipeline (logged at start). */
  readonly warnings: string[] = [];

  constructor(private readonly pipeline: Pipeline, options: ExporterFactoryOptions) {
    const config = pipeline.config;
    for (const p of config.pipelines) {
      if (p.signal !== 'metrics') continue;
      const fromConnectors = p.receivers.filter((id) => pipeline.connectors.has(id));
      if (!fromConnectors.length) continue;
      if (p.processors.length) {
        this.warnings.push(`${p.path}.processors: ${p.processors.join(', ')} run on metrics received over OTLP only; what ${fromConnectors.join(', ')} derive is exported without them in this build`);
      }
      const snapshot = new MetricsSnapshot();
      const run: MetricsPipelineRun = { id: p.id, connectors: fromConnectors, snapshot, push: [], pull: [] };
      for (const id of p.exporters) {
        const c = config.exporters.get(id);
        if (!c) continue; // a connector used as an exporter of a metrics pipeline: nothing to run
        const made = createMetricsExporter(c, snapshot, options);
        if (made.kind === 'push') run.push.push(made.exporter);
        else run.pull.push(made.exporter);
      }
      this.pipelines.push(run);
    }
  }

  private connector(id: string): TracesToMetricsConnector & Scheduled {
    return this.pipeline.connectors.get(id)! as TracesToMetricsConnector & Scheduled;
  }

  /** How often to look (the shortest flush interval), in ms. */
  get intervalMs(): number {
    const all = this.pipelines.flatMap((p) => p.connectors).map((id) => this.connector(id).flushIntervalMs ?? DEFAULT_FLUSH_MS);
    return Math.max(100, Math.min(DEFAULT_FLUSH_MS, ...all));
  }

  /**
   * Collects the connectors that are due (all of them when `force`: shutdown) and pushes the
   * pipelines that got new data; the sends run in the background (see settle()).
   */
  run(now: number, force = false): void {
    const fresh = new Set<string>();
    const wanted = new Set(this.pipelines.flatMap((p) => p.connectors));
    for (const id of wanted) {
      const c = this.connector(id);
      c.tick?.(now);
      const due = force || !this.latest.has(id) || (c.isFlushDue ? c.isFlushDue(now) : true);
      if (!due) continue;
      if (force) c.expireAll?.(now);
      this.latest.set(id, c.collect(now) as MetricsData);
      fresh.add(id);
    }
    for (const p of this.pipelines) {
      if (!p.connectors.some((id) => fresh.has(id))) continue;
      p.snapshot.update(mergeMetricsData(...p.connectors.map((id) => this.latest.get(id) ?? { resourceMetrics: [] })), now);
      for (const e of p.push) {
        const sent = e.push().finally(() => this.pending.delete(sent));
        this.pending.add(sent);
      }
    }
  }

  /** Data points in the latest collection of every pipeline (the progress line's "series"). */
  get series(): number {
    return [...this.latest.values()].reduce((n, d) => n + dataPointCount(d), 0);
  }

  /** The latest data of every connector, merged (the page's overview reads it). */
  latestData(): MetricsData {
    return mergeMetricsData(...this.latest.values());
  }

  /** Waits for sends in flight. */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async shutdown(): Promise<void> {
    await this.settle();
    await Promise.all(this.pipelines.flatMap((p) => p.push).map((e) => e.shutdown()));
  }
}
