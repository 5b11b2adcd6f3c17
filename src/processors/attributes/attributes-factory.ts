import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import { readAttributesConfig } from './attributes-config.js';
import type { AttributesConfig } from './attributes-config.js';
import { AttributesProcessor } from './attributes-processor.js';

export const attributesProcessorFactory: ProcessorFactory<AttributesConfig> = {
  type: 'attributes',
  signals: ['traces', 'logs', 'metrics'],
  readConfig: readAttributesConfig,
  create: (config, context) => new AttributesProcessor(config, context),
};
