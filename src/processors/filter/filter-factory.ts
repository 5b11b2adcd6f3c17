// The filter processor's factory: one component type for all three signals, as in the collector;
// the instance built for a pipeline reads the part of the config for that pipeline's signal
// (`traces.*`, `logs.*`, `metrics.*`, or the inferred `*_conditions`). The per-signal factories
// are the same thing with a fixed signal, for callers that build processors by hand.
import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import type { ConfigReader } from '../../config/config-reader.js';
import type { ComponentContext, LogsProcessor, MetricsProcessor } from '../../pipeline/types.js';
import { readFilterConfig } from './filter-config.js';
import type { FilterConfig } from './filter-config.js';
import { TracesFilterProcessor } from './traces-filter-processor.js';
import { LogsFilterProcessor } from './logs-filter-processor.js';
import { MetricsFilterProcessor } from './metrics-filter-processor.js';

export const filterProcessorFactory: ProcessorFactory<FilterConfig> = {
  type: 'filter',
  signals: ['traces', 'logs', 'metrics'],
  readConfig: readFilterConfig,
  create: (config, context) => {
    switch (context.signal ?? 'traces') {
      case 'logs':
        return new LogsFilterProcessor(config, context);
      case 'metrics':
        return new MetricsFilterProcessor(config, context);
      default:
        return new TracesFilterProcessor(config, context);
    }
  },
};

/** The filter processor for a logs pipeline. */
export const logsFilterProcessorFactory = {
  type: 'filter',
  readConfig: (reader: ConfigReader): FilterConfig => readFilterConfig(reader),
  create: (config: FilterConfig, context: ComponentContext): LogsProcessor => new LogsFilterProcessor(config, { ...context, signal: 'logs' }),
} as const;

/** The filter processor for a metrics pipeline. */
export const metricsFilterProcessorFactory = {
  type: 'filter',
  readConfig: (reader: ConfigReader): FilterConfig => readFilterConfig(reader),
  create: (config: FilterConfig, context: ComponentContext): MetricsProcessor => new MetricsFilterProcessor(config, { ...context, signal: 'metrics' }),
} as const;
