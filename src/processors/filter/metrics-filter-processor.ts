// The filter processor for metrics: OTTL conditions on resources, scopes, metrics and data points
// (metrics.metric / metrics.datapoint / metric_conditions, with HasAttrOnDatapoint and
// HasAttrKeyOnDatapoint). Untouched metrics are copied byte for byte, metrics that lose points are
// re-emitted, and a metric left without data points is dropped, as the collector does.
import type { MetricBatch } from '../../otlp/metric-batch.js';
import type { ComponentContext } from '../../pipeline/types.js';
import type { FilterConfig } from './filter-config.js';
import type { FilterOutcome } from './filter-run.js';
import { SignalFilterProcessor } from './signal-filter-processor.js';
import type { MetricsProcessor } from '../../pipeline/types.js';

export class MetricsFilterProcessor extends SignalFilterProcessor<MetricBatch> implements MetricsProcessor {
  private readonly counts = { metrics: 0, points: 0, errors: 0 };

  constructor(config: FilterConfig, context: ComponentContext) {
    super(config.metrics, context);
  }

  protected itemCount(batch: MetricBatch): number {
    return batch.metricCount;
  }

  protected splice(batch: MetricBatch, outcome: FilterOutcome): MetricBatch {
    return batch.splice(batch.headerPtr, outcome.keep, outcome.childKeep);
  }

  /**
   * datapoints.filtered is the collector's counter: every point that does not go on, whether a
   * datapoint condition or its metric's, resource's or scope's dropped it. metrics.filtered (ours)
   * counts metrics, emptied ones included.
   */
  protected count(before: MetricBatch, after: MetricBatch | undefined, outcome: FilterOutcome): void {
    this.counts.errors += outcome.errors;
    this.counts.metrics += before.metricCount - (after?.metricCount ?? 0);
    this.counts.points += before.dataPointCount - (after?.dataPointCount ?? 0);
  }

  counters(): Readonly<Record<string, number>> {
    return { 'metrics.filtered': this.counts.metrics, 'datapoints.filtered': this.counts.points, condition_errors: this.counts.errors };
  }
}
