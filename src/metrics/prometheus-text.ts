// Prometheus text exposition format 0.0.4 (what `/metrics` serves with
// `text/plain; version=0.0.4; charset=utf-8`), written the way the Prometheus Go client writes it:
// HELP and TYPE lines, labels sorted with `le` last, Go float formatting, no exemplars (the format
// has none), timestamps in milliseconds only when asked for.
import { expositionFamilies } from './exposition-families.js';
import type { ExpositionOptions, Labels } from './exposition-families.js';
import type { MetricsData } from './metrics-data.js';
import { formatGoFloat } from './go-float.js';

export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const all = extra ? [...labels, extra] : labels;
  if (!all.length) return '';
  return `{${all.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

/** Renders the data in the Prometheus text format 0.0.4. */
export function renderPrometheusText(data: MetricsData, options: ExpositionOptions = {}): string {
  const timestamps = options.timestamps ?? false;
  let out = '';
  for (const f of expositionFamilies(data, options)) {
    if (f.help) out += `# HELP ${f.name} ${escapeHelp(f.help)}\n`;
    out += `# TYPE ${f.name} ${f.type === 'info' ? 'gauge' : f.type}\n`;
    for (const s of f.series) {
      const ts = timestamps && s.timestampMs ? ` ${s.timestampMs}` : '';
      if (f.type !== 'histogram') {
        out += `${f.name}${labelText(s.labels)} ${formatGoFloat(s.value)}${ts}\n`;
        continue;
      }
      for (const b of s.buckets) out += `${f.name}_bucket${labelText(s.labels, ['le', formatGoFloat(b.le)])} ${b.count}${ts}\n`;
      out += `${f.name}_sum${labelText(s.labels)} ${formatGoFloat(s.sum)}${ts}\n`;
      out += `${f.name}_count${labelText(s.labels)} ${s.count}${ts}\n`;
    }
  }
  return out;
}
