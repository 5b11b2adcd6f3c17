import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import { readMemoryLimiterConfig } from './memory-limiter-config.js';
import type { MemoryLimiterConfig } from './memory-limiter-config.js';
import { MemoryLimiterProcessor } from './memory-limiter-processor.js';

export const memoryLimiterProcessorFactory: ProcessorFactory<MemoryLimiterConfig> = {
  type: 'memory_limiter',
  signals: ['traces', 'logs', 'metrics'],
  readConfig: readMemoryLimiterConfig,
  create: (config, context) => new MemoryLimiterProcessor(config, context),
};
