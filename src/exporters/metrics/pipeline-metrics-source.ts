// From a pipeline's connectors to the metrics exporters: one object that is both an
// OtlpMetricsSource (OtlpHttpMetricsExporter.push encodes what it returns) and a PrometheusSource
// (createPrometheusHandler renders it). The data comes from `pipeline.metrics(now)` — or any
// function returning the metrics data model — so the exporters never see a connector.
import type { MetricsData } from '../../metrics/metrics-data.js';
import { dataPointCount } from '../../metrics/metrics-data.js';
import { encodeMetricsProtobuf } from '../../metrics/otlp-metrics-protobuf.js';
import { metricsToOtlpJson } from '../../metrics/otlp-metrics-json.js';
import { renderPrometheusText } from '../../metrics/prometheus-text.js';
import { renderOpenMetricsText } from '../../metrics/openmetrics-text.js';
import type { ExpositionOptions } from '../../metrics/exposition-families.js';
import type { MetricsPayload, OtlpMetricsSource, PrometheusSource } from './metrics-source.js';

/** What holds metrics: the collector-shaped Pipeline (its `metrics(now)`), or anything with that method. */
export interface MetricsCollector {
  metrics(now: number): MetricsData;
}

export interface PipelineMetricsSourceOptions {
  /** How Prometheus text is written (suffixes, target_info, namespace…). Default DEFAULT_EXPOSITION_OPTIONS. */
  exposition?: ExpositionOptions;
  /** The clock for scrapes (push requests carry their own `now`). Default Date.now. */
  now?: () => number;
}

export type PipelineMetricsSource = OtlpMetricsSource & PrometheusSource;

/**
 * A metrics source over `collector` (a Pipeline, or a function of `now`). Each collect() or
 * render() collects once: with delta temporality a collection ends the interval, so give each
 * connector's output to one consumer — or collect on a timer and share the result (a
 * MetricsSnapshot as the collector).
 */
export function pipelineMetricsSource(collector: MetricsCollector | ((now: number) => MetricsData), options: PipelineMetricsSourceOptions = {}): PipelineMetricsSource {
  if (typeof collector !== 'function' && typeof collector?.metrics !== 'function') {
    throw new TypeError('pipelineMetricsSource(collector): expected a Pipeline (with metrics(now)) or a function of now');
  }
  const read = typeof collector === 'function' ? collector : (now: number) => collector.metrics(now);
  const clock = options.now ?? Date.now;
  const exposition = options.exposition ?? {};
  return {
    collect({ encoding, now }): MetricsPayload | null {
      const data = read(now);
      const dataPoints = dataPointCount(data);
      if (dataPoints === 0) return null;
      return { body: encoding === 'protobuf' ? encodeMetricsProtobuf(data) : JSON.stringify(metricsToOtlpJson(data)), dataPoints };
    },
    render(format) {
      const data = read(clock());
      return format === 'openmetrics' ? renderOpenMetricsText(data, exposition) : renderPrometheusText(data, exposition);
    },
  };
}

/**
 * The latest collection, shared by every exporter of a metrics pipeline: the pipeline collects
 * once per flush interval (`update`), pushers send that, scrapers read it — as the collector's
 * Prometheus exporter serves what the pipeline last handed it.
 */
export class MetricsSnapshot implements MetricsCollector {
  private data: MetricsData = { resourceMetrics: [] };
  /** Unix ms of the last update (undefined before the first). */
  updatedAt: number | undefined;

  update(data: MetricsData, now: number): void {
    this.data = data;
    this.updatedAt = now;
  }

  metrics(_now: number): MetricsData {
    return this.data;
  }
}
