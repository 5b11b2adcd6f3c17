import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import { readProbabilisticSamplerConfig } from './probabilistic-sampler-config.js';
import type { ProbabilisticSamplerConfig } from './probabilistic-sampler-config.js';
import { ProbabilisticSamplerProcessor } from './probabilistic-sampler-processor.js';

export const probabilisticSamplerProcessorFactory: ProcessorFactory<ProbabilisticSamplerConfig> = {
  type: 'probabilistic_sampler',
  readConfig: readProbabilisticSamplerConfig,
  create: (config, context) => new ProbabilisticSamplerProcessor(config, context),
};
