// Writing collected metrics in any of the output formats, chosen by name or by a file's extension
// (the CLI's `--metrics-output M`: `.prom` Prometheus text, `.om` OpenMetrics, `.json` OTLP/JSON,
// `.pb` OTLP protobuf).
import type { MetricsData } from './metrics-data.js';
import type { ExpositionOptions } from './exposition-families.js';
import { encodeMetricsProtobuf } from './otlp-metrics-protobuf.js';
import { metricsToOtlpJson } from './otlp-metrics-json.js';
import { renderPrometheusText, PROMETHEUS_TEXT_CONTENT_TYPE } from './prometheus-text.js';
import { renderOpenMetricsText, OPENMETRICS_CONTENT_TYPE } from './openmetrics-text.js';

export type MetricsFormat = 'prometheus' | 'openmetrics' | 'otlp-json' | 'otlp-protobuf';

const EXTENSIONS: Readonly<Record<string, MetricsFormat>> = Object.freeze({
  '.prom': 'prometheus',
  '.txt': 'prometheus',
  '.om': 'openmetrics',
  '.openmetrics': 'openmetrics',
  '.json': 'otlp-json',
  '.pb': 'otlp-protobuf',
});

/** The HTTP content type of each format. */
export const METRICS_CONTENT_TYPES: Readonly<Record<MetricsFormat, string>> = Object.freeze({
  prometheus: PROMETHEUS_TEXT_CONTENT_TYPE,
  openmetrics: OPENMETRICS_CONTENT_TYPE,
  'otlp-json': 'application/json',
  'otlp-protobuf': 'application/x-protobuf',
});

/** The format a file name asks for, by its extension; throws naming the file and the extensions known. */
export function metricsFormatForPath(path: string): MetricsFormat {
  const dot = path.lastIndexOf('.');
  const ext = dot >= 0 ? path.slice(dot).toLowerCase() : '';
  const format = EXTENSIONS[ext];
  if (!format) throw new RangeError(`${path}: cannot tell the metrics format from the extension ${ext ? JSON.stringify(ext) : '(none)'}; use one of ${Object.keys(EXTENSIONS).join(', ')}`);
  return format;
}

const encoder = new TextEncoder();

/** The data in `format`, as bytes (text formats in UTF-8). */
export function serializeMetrics(data: MetricsData, format: MetricsFormat, options: ExpositionOptions = {}): Uint8Array {
  switch (format) {
    case 'prometheus':
      return encoder.encode(renderPrometheusText(data, options));
    case 'openmetrics':
      return encoder.encode(renderOpenMetricsText(data, options));
    case 'otlp-json':
      return encoder.encode(JSON.stringify(metricsToOtlpJson(data)));
    case 'otlp-protobuf':
      return encodeMetricsProtobuf(data);
  }
}
