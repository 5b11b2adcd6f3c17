import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import { readTailSamplingConfig } from './tail-sampling-config.js';
import type { TailSamplingConfig } from './tail-sampling-config.js';
import { TailSamplingProcessor } from './tail-sampling-processor.js';
import { regexLeafEvaluator } from './regex-leaf-evaluator.js';
import { ottlLeafEvaluator } from './ottl-leaf-evaluator.js';
import type { ExternalLeafEvaluator } from './tail-sampling-processor.js';

export const tailSamplingProcessorFactory: ProcessorFactory<TailSamplingConfig> = {
  type: 'tail_sampling',
  readConfig: (r) => readTailSamplingConfig(r),
  create: (config, context) => {
    const externals = new Map<string, ExternalLeafEvaluator>(config.regexTests.map((t) => [t.id, regexLeafEvaluator(t)]));
    for (const t of config.ottlTests) externals.set(t.id, ottlLeafEvaluator(t, context.id));
    return new TailSamplingProcessor(config, context, externals);
  },
};
