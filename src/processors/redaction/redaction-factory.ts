import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import { readRedactionConfig } from './redaction-config.js';
import type { RedactionConfig } from './redaction-config.js';
import { RedactionProcessor } from './redaction-processor.js';

export const redactionProcessorFactory: ProcessorFactory<RedactionConfig> = {
  type: 'redaction',
  signals: ['traces', 'logs', 'metrics'],
  readConfig: readRedactionConfig,
  create: (config, context) => new RedactionProcessor(config, context),
};
