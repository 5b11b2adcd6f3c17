// The components otel-sieve ships, in one registry. Add a factory here (one line) to make its type
// usable in configs.
import { ComponentRegistry } from './component-registry.js';
import { batchProcessorFactory } from '../processors/batch/batch-factory.js';
import { memoryLimiterProcessorFactory } from '../processors/memory-limiter/memory-limiter-factory.js';
import { tailSamplingProcessorFactory } from '../processors/tail-sampling/tail-sampling-factory.js';
import { probabilisticSamplerProcessorFactory } from '../processors/probabilistic-sampler/probabilistic-sampler-factory.js';
import { attributesProcessorFactory } from '../processors/attributes/attributes-factory.js';
import { redactionProcessorFactory } from '../processors/redaction/redaction-factory.js';
import { logsFollowTracesProcessorFactory } from '../processors/logs-follow-traces/logs-follow-traces-factory.js';
import { filterProcessorFactory } from '../processors/filter/filter-factory.js';

import { connectorFactories } from '../connectors/index.js';
import { parseSpanMetricsConfig } from '../connectors/spanmetrics/spanmetrics-config.js';
import { parseServiceGraphConfig } from '../connectors/servicegraph/servicegraph-config.js';
import { ConnectorConfigError } from '../connectors/config/connector-config-error.js';
import { configNodeToPlain, positionAtPath } from '../config/config-node.js';
import type { ConfigReader } from '../config/config-reader.js';

const TRANSFORM_PENDING = 'the transform processor (OTTL statements that edit telemetry) is not part of this build yet; filter and the ottl_condition policy are';

const CONNECTOR_VALIDATORS: Readonly<Record<string, (value: unknown, path: string) => unknown>> = {
  spanmetrics: parseSpanMetricsConfig,
  servicegraph: parseServiceGraphConfig,
};

/**
 * The metrics connectors validate plain objects themselves; their errors name the key path,
 * which is turned back into a line and column here.
 */
function readConnectorBlock(type: string, r: ConfigReader): unknown {
  const plain = configNodeToPlain(r.node) ?? {};
  try {
    CONNECTOR_VALIDATORS[type]?.(plain, r.path);
  } catch (err) {
    if (!(err instanceof ConnectorConfigError)) throw err;
    const rel = err.path.startsWith(r.path) ? err.path.slice(r.path.length).replace(/^\./, '') : '';
    throw r.error(err.problem, positionAtPath(r.node, rel), err.path);
  }
  r.ignore(...r.keys());
  return plain;
}

export function builtinComponents(): ComponentRegistry {
  const registry = new ComponentRegistry();
  registry.registerProcessor(batchProcessorFactory);
  registry.registerProcessor(memoryLimiterProcessorFactory);
  registry.registerProcessor(tailSamplingProcessorFactory);
  registry.registerProcessor(probabilisticSamplerProcessorFactory);
  registry.registerProcessor(attributesProcessorFactory);
  registry.registerProcessor(redactionProcessorFactory);
  registry.registerProcessor(filterProcessorFactory);
  registry.registerPending('transform', TRANSFORM_PENDING);
  registry.registerProcessor(logsFollowTracesProcessorFactory);
  for (const [type, create] of Object.entries(connectorFactories)) {
    registry.registerConnector({ type, readConfig: (r) => readConnectorBlock(type, r), create });
  }
  return registry;
}
