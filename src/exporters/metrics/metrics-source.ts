// What the metrics exporters need from whoever computes metrics (the span-metrics and
// service-graph connectors): encoded output on demand. The exporters own transport only; the
// data model and its encodings belong to src/metrics.
import type { OtlpEncoding } from '../../otlp-http/otlp-encoding.js';

/** An encoded ExportMetricsServiceRequest and how many data points it carries (for the counters). */
export interface MetricsPayload {
  /** Protobuf bytes when asked for 'protobuf', OTLP/JSON text when asked for 'json'. */
  body: Uint8Array | string;
  dataPoints: number;
}

/** Produces the metrics to push now; null (or 0 data points) when there is nothing to send. */
export interface OtlpMetricsSource {
  collect(request: { encoding: OtlpEncoding; now: number }): MetricsPayload | null | Promise<MetricsPayload | null>;
}

/** Renders the current metrics as exposition text. */
export interface PrometheusSource {
  /**
   * `prometheus`: text format 0.0.4; `openmetrics`: OpenMetrics 1.0 (with exemplars and `# EOF`).
   * A source that cannot write OpenMetrics may throw for it; set `openMetrics: false` on the handler.
   */
  render(format: 'prometheus' | 'openmetrics'): string | Promise<string>;
}
