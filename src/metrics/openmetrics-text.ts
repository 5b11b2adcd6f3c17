// OpenMetrics 1.0 text (`application/openmetrics-text; version=1.0.0; charset=utf-8`), written the way
// the Prometheus Go client writes it: counter families named without `_total` and sampled as
// `_total` plus `_created`, histograms with `_bucket`/`_sum`/`_count`/`_created`, `# UNIT` when the
// name carries the unit, exemplars (trace and span ids) on counter samples and histogram buckets,
// `target_info` as an info family, floats with a `.0` when integral, and `# EOF` at the end.
import { expositionFamilies } from './exposition-families.js';
import type { ExpositionOptions, ExpositionExemplar, Labels } from './exposition-families.js';
import type { MetricsData } from './metrics-data.js';
import { formatOpenMetricsFloat } from './go-float.js';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const all = extra ? [...labels, extra] : labels;
  if (!all.length) return '';
  return `{${all.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}

/** Seconds with millisecond precision, as OpenMetrics timestamps are written. */
function seconds(s: number): string {
  return formatOpenMetricsFloat(Math.round(s * 1000) / 1000);
}

function exemplarText(e: ExpositionExemplar | undefined): string {
  if (!e) return '';
  return ` # ${labelText(e.labels) || '{}'} ${formatOpenMetricsFloat(e.value)} ${seconds(e.timestamp)}`;
}

/** Renders the data as OpenMetrics 1.0 text, ending with `# EOF`. */
export function renderOpenMetricsText(data: MetricsData, options: ExpositionOptions = {}): string {
  const timestamps = options.timestamps ?? false;
  let out = '';
  for (const f of expositionFamilies(data, options)) {
    const family = f.type === 'counter' ? f.name.replace(/_total$/, '') : f.type === 'info' ? f.name.replace(/_info$/, '') : f.name;
    if (f.help) out += `# HELP ${family} ${escape(f.help)}\n`;
    out += `# TYPE ${family} ${f.type}\n`;
    if (f.unit) out += `# UNIT ${family} ${f.unit}\n`;
    for (const s of f.series) {
      const ts = timestamps && s.timestampMs ? ` ${seconds(s.timestampMs / 1000)}` : '';
      const labels = labelText(s.labels);
      if (f.type === 'counter') {
        out += `${family}_total${labels} ${formatOpenMetricsFloat(s.value)}${ts}${exemplarText(s.exemplar)}\n`;
        if (s.created !== undefined) out += `${family}_created${labels} ${seconds(s.created)}${ts}\n`;
      } else if (f.type === 'histogram') {
        for (const b of s.buckets) out += `${family}_bucket${labelText(s.labels, ['le', formatOpenMetricsFloat(b.le)])} ${b.count}${ts}${exemplarText(b.exemplar)}\n`;
        out += `${family}_sum${labels} ${formatOpenMetricsFloat(s.sum)}${ts}\n`;
        out += `${family}_count${labels} ${s.count}${ts}\n`;
        if (s.created !== undefined) out += `${family}_created${labels} ${seconds(s.created)}${ts}\n`;
      } else if (f.type === 'info') {
        out += `${family}_info${labels} 1${ts}\n`;
      } else {
        out += `${family}${labels} ${formatOpenMetricsFloat(s.value)}${ts}\n`;
      }
    }
  }
  return `${out}# EOF\n`;
}
