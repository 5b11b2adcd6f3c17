// The debug exporter's text for log and metric batches, in the collector's layouts: the summary
// line (`Logs {"resource logs": 1, "log records": 3}`, `Metrics {"resource metrics": 1,
// "metrics": 2, "data points": 5}`) and, for `normal`, one line per log record (body, then its
// attributes as key=value) or per data point (`name{k=v,…} value`; histograms and summaries as
// count=/sum=). The traces layouts are in otlp-text.ts.
import type { LogBatch } from '../../otlp/log-batch.js';
import type { MetricBatch } from '../../otlp/metric-batch.js';
import type { DataPointView } from '../../otlp/metric-views.js';
import type { AnyValue, KeyValue } from '../../otlp/value-views.js';
import { valueText } from './otlp-text.js';

/** pdata's AsString() for one value: valueText without its type wrapper (`Str(x)` → `x`). */
function plain(v: AnyValue): string {
  return valueText(v).replace(/^\w+\((.*)\)$/s, '$1');
}

const pairs = (attrs: readonly KeyValue[]) => attrs.map((kv) => `${kv.key}=${plain(kv.value)}`);

export function logsSummary(batch: LogBatch): string {
  return `Logs {"resource logs": ${batch.resourceCount}, "log records": ${batch.logRecordCount}}`;
}

export function metricsSummary(batch: MetricBatch): string {
  return `Metrics {"resource metrics": ${batch.resourceCount}, "metrics": ${batch.metricCount}, "data points": ${batch.dataPointCount}}`;
}

export function normalLogText(batch: LogBatch): string[] {
  return batch.logRecords().map((r) => [r.hasBody ? plain(r.body) : '', ...pairs(r.attributes)].join(' '));
}

function pointValue(p: DataPointView): string {
  switch (p.type) {
    case 'number':
      return p.valueType === 'int' ? String(p.asInt) : String(p.asDouble);
    case 'histogram':
    case 'exponentialHistogram':
      return `count=${p.count}${p.sum === undefined ? '' : ` sum=${p.sum}`}`;
    case 'summary':
      return [`count=${p.count}`, `sum=${p.sum}`, ...p.quantileValues.map((q) => `q${q.quantile}=${q.value}`)].join(' ');
  }
}

export function normalMetricText(batch: MetricBatch): string[] {
  return batch.dataPoints().map((p) => `${p.metric.name}{${pairs(p.attributes).join(',')}} ${pointValue(p)}`);
}
