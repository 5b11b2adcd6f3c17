// The debug exporter in a metrics pipeline: each push writes the collector's summary line
// (`Metrics {"resource metrics": 1, "metrics": 5, "data points": 40}`), and with verbosity normal
// or detailed one line per data point (`name{k=v,…} value`, histograms as count/sum). It takes the
// data model from a collector (a MetricsSnapshot or a Pipeline) so it never decodes bytes.
import type { MetricsData, Metric } from '../../metrics/metrics-data.js';
import { dataPointCount } from '../../metrics/metrics-data.js';
import { valueAsString } from '../../metrics/canonical-values.js';
import type { MetricsCollector } from '../metrics/pipeline-metrics-source.js';
import { emptyStats } from '../traces-exporter.js';
import type { ExportOutcome, ExporterStats } from '../traces-exporter.js';
import { DEFAULT_DEBUG_EXPORTER_CONFIG } from './debug-exporter.js';
import type { DebugExporterConfig, DebugExporterOptions } from './debug-exporter.js';

function pointLines(m: Metric): string[] {
  const out: string[] = [];
  for (const p of m.data.dataPoints) {
    const labels = p.attributes.map((kv) => `${kv.key}=${valueAsString(kv.value)}`).join(',');
    const head = `${m.name}{${labels}}`;
    if ('value' in p) out.push(`${head} ${p.value}`);
    else out.push(`${head} count=${p.count}${p.sum === undefined ? '' : ` sum=${p.sum}`}`);
  }
  return out;
}

export class DebugMetricsExporter {
  readonly id: string;
  private readonly verbosity: 'basic' | 'normal' | 'detailed';
  private readonly write: (text: string) => void;
  private readonly now: () => number;
  private readonly counters = emptyStats();

  constructor(private readonly source: MetricsCollector, config: DebugExporterConfig = {}, options: DebugExporterOptions = {}) {
    this.id = options.id ?? 'debug';
    const verbosity = config.verbosity ?? DEFAULT_DEBUG_EXPORTER_CONFIG.verbosity;
    if (!['basic', 'normal', 'detailed'].includes(verbosity)) throw new TypeError(`${this.id}.verbosity: expected basic, normal or detailed, got ${JSON.stringify(verbosity)}`);
    this.verbosity = verbosity;
    this.write = options.write ?? ((text) => console.log(text));
    this.now = options.now ?? Date.now;
  }

  /** Writes what the source holds now; never rejects. */
  push(): Promise<ExportOutcome> {
    let data: MetricsData;
    try {
      data = this.source.metrics(this.now());
    } catch (err) {
      return Promise.resolve({ delivered: 0, lost: 0, error: err instanceof Error ? err : new Error(String(err)) });
    }
    const points = dataPointCount(data);
    if (points === 0) return Promise.resolve({ delivered: 0, lost: 0 });
    const metrics = data.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
    const lines = [`Metrics {"resource metrics": ${data.resourceMetrics.length}, "metrics": ${metrics.length}, "data points": ${points}}`];
    if (this.verbosity !== 'basic') for (const m of metrics) lines.push(...pointLines(m));
    this.write(lines.join('\n'));
    this.counters.received += points;
    this.counters.delivered += points;
    return Promise.resolve({ delivered: points, lost: 0 });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  stats(): ExporterStats {
    return { ...this.counters };
  }
}
