// Factories for the components a config may name, keyed by type. The pipeline asks the registry
// to read each component's block (strictly: unknown keys are errors) and later to build it. The
// metrics connectors (spanmetrics, servicegraph) and OTTL-based processors register here too; a
// type nobody registered is a config error naming the types that are available.
import type { ConfigReader } from '../config/config-reader.js';
import type { ComponentContext, TracesProcessor, TracesToMetricsConnector } from './types.js';

export interface ProcessorFactory<C = unknown> {
  readonly type: string;
  /** Reads and validates the component's block; throws ConfigError. The caller calls done(). */
  readConfig(reader: ConfigReader): C;
  create(config: C, context: ComponentContext): TracesProcessor;
}

export interface ConnectorFactory<C = unknown> {
  readonly type: string;
  readConfig(reader: ConfigReader): C;
  create(config: C, context: ComponentContext): TracesToMetricsConnector;
}

export class ComponentRegistry {
  private readonly processors = new Map<string, ProcessorFactory>();
  private readonly connectors = new Map<string, ConnectorFactory>();
  /** Types we know of but cannot run yet, with the reason (e.g. filter needs the OTTL engine). */
  private readonly pending = new Map<string, string>();

  registerProcessor<C>(factory: ProcessorFactory<C>): this {
    this.processors.set(factory.type, factory as ProcessorFactory);
    this.pending.delete(factory.type);
    return this;
  }

  registerConnector<C>(factory: ConnectorFactory<C>): this {
    this.connectors.set(factory.type, factory as ConnectorFactory);
    this.pending.delete(factory.type);
    return this;
  }

  /** Marks a collector component type as known but not supported yet. */
  registerPending(type: string, reason: string): this {
    if (!this.processors.has(type) && !this.connectors.has(type)) this.pending.set(type, reason);
    return this;
  }

  processor(type: string): ProcessorFactory | undefined {
    return this.processors.get(type);
  }

  connector(type: string): ConnectorFactory | undefined {
    return this.connectors.get(type);
  }

  pendingReason(type: string): string | undefined {
    return this.pending.get(type);
  }

  processorTypes(): string[] {
    return [...this.processors.keys()].sort();
  }

  connectorTypes(): string[] {
    return [...this.connectors.keys()].sort();
  }
}
