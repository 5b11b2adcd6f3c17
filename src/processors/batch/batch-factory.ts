import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import { readBatchConfig } from './batch-config.js';
import type { BatchConfig } from './batch-config.js';
import { BatchProcessor } from './batch-processor.js';

export const batchProcessorFactory: ProcessorFactory<BatchConfig> = {
  type: 'batch',
  signals: ['traces', 'logs', 'metrics'],
  readConfig: readBatchConfig,
  create: (config, context) => new BatchProcessor(config, context),
};
