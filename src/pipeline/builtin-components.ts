// The components otel-sieve ships, in one registry. Add a factory here (one line) to make its type
// usable in configs.
import { ComponentRegistry } from './component-registry.js';
import { batchProcessorFactory } from '../processors/batch/batch-factory.js';
import { memoryLimiterProcessorFactory } from '../processors/memory-limiter/memory-limiter-factory.js';
import { tailSamplingProcessorFactory } from '../processors/tail-sampling/tail-sampling-factory.js';
import { probabilisticSamplerProcessorFactory } from '../processors/probabilistic-sampler/probabilistic-sampler-factory.js';
import { attributesProcessorFactory } from '../processors/attributes/attributes-factory.js';
import { redactionProcessorFactory } from '../processors/redaction/redaction-factory.js';

const OTTL_PENDING = 'it needs the OTTL condition engine, which is not part of this build yet';

export function builtinComponents(): ComponentRegistry {
  const registry = new ComponentRegistry();
  registry.registerProcessor(batchProcessorFactory);
  registry.registerProcessor(memoryLimiterProcessorFactory);
  registry.registerProcessor(tailSamplingProcessorFactory);
  registry.registerProcessor(probabilisticSamplerProcessorFactory);
  registry.registerProcessor(attributesProcessorFactory);
  registry.registerProcessor(redactionProcessorFactory);
  registry.registerPending('filter', OTTL_PENDING);
  registry.registerPending('transform', OTTL_PENDING);
  registry.registerPending('spanmetrics', 'the spanmetrics connector is not part of this build yet');
  registry.registerPending('servicegraph', 'the servicegraph connector is not part of this build yet');
  return registry;
}
