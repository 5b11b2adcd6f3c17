// The traces → metrics connectors, by the component type used in the collector's config
// (`connectors: { spanmetrics/red: …, servicegraph: … }`). The pipeline's config layer looks the
// type up here and calls the factory with the parsed block and where it came from.
import type { ComponentContext, TracesToMetricsConnector } from '../pipeline/types.js';
import { createSpanMetricsConnector } from './spanmetrics/spanmetrics-connector.js';
import { createServiceGraphConnector } from './servicegraph/servicegraph-connector.js';

/** Builds a connector from its parsed config block; throws ConnectorConfigError naming the key path. */
export type TracesToMetricsConnectorFactory = (config: unknown, ctx: ComponentContext) => TracesToMetricsConnector;

export const connectorFactories: Readonly<Record<string, TracesToMetricsConnectorFactory>> = Object.freeze({
  spanmetrics: createSpanMetricsConnector,
  servicegraph: createServiceGraphConnector,
});
