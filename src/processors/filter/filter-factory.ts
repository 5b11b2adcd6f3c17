// Factories of the filter processor: the traces one is registered with the pipeline's components;
// the logs and metrics ones have the same shape for pipelines of those signals.
import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import type { LogBatch } from '../../otlp/log-batch.js';
import type { MetricBatch } from '../../otlp/metric-batch.js';
import { readFilterConfig } from './filter-config.js';
import type { FilterConfig } from './filter-config.js';
import { TracesFilterProcessor } from './traces-filter-processor.js';
import { LogsFilterProcessor } from './logs-filter-processor.js';
import { MetricsFilterProcessor } from './metrics-filter-processor.js';
import type { SignalProcessorFactory } from './signal-processor-types.js';

export const filterProcessorFactory: ProcessorFactory<FilterConfig> = {
  type: 'filter',
  readConfig: readFilterConfig,
  create: (config, context) => new TracesFilterProcessor(config, context),
};

export const logsFilterProcessorFactory: SignalProcessorFactory<LogBatch, FilterConfig> = {
  type: 'filter',
  readConfig: readFilterConfig,
  create: (config, context) => new LogsFilterProcessor(config, context),
};

export const metricsFilterProcessorFactory: SignalProcessorFactory<MetricBatch, FilterConfig> = {
  type: 'filter',
  readConfig: readFilterConfig,
  create: (config, context) => new MetricsFilterProcessor(config, context),
};
