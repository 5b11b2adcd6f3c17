import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import { readTailSamplingConfig } from './tail-sampling-config.js';
import type { TailSamplingConfig } from './tail-sampling-config.js';
import { TailSamplingProcessor } from './tail-sampling-processor.js';
import { regexLeafEvaluator } from './regex-leaf-evaluator.js';

export const tailSamplingProcessorFactory: ProcessorFactory<TailSamplingConfig> = {
  type: 'tail_sampling',
  readConfig: (r) => readTailSamplingConfig(r),
  create: (config, context) => new TailSamplingProcessor(config, context, new Map(config.regexTests.map((t) => [t.id, regexLeafEvaluator(t)]))),
};
