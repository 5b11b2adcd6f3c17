import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import { readProbabilisticSamplerConfig } from './probabilistic-sampler-config.js';
import type { ProbabilisticSamplerConfig } from './probabilistic-sampler-config.js';
import { ProbabilisticSamplerProcessor } from './probabilistic-sampler-processor.js';
import { LogProbabilisticSamplerProcessor } from './log-probabilistic-sampler-processor.js';

export const probabilisticSamplerProcessorFactory: ProcessorFactory<ProbabilisticSamplerConfig> = {
  type: 'probabilistic_sampler',
  // The collector's processor handles traces and logs (not metrics).
  signals: ['traces', 'logs'],
  readConfig: readProbabilisticSamplerConfig,
  create: (config, context) => (context.signal === 'logs' ? new LogProbabilisticSamplerProcessor(config, context) : new ProbabilisticSamplerProcessor(config, context)),
};
