// Factories for the components a config may name, keyed by type. The pipeline asks the registry
// to read each component's block (strictly: unknown keys are errors) and later to build it. The
// metrics connectors (spanmetrics, servicegraph) and OTTL-based processors register here too; a
// type nobody registered is a config error naming the types that are available.
import type { ConfigReader } from '../config/config-reader.js';
import type { Signal } from '../config/collector-config.js';
import type { AnyBatch } from './pending-edits.js';
import type { ComponentContext, SignalProcessor, TracesToMetricsConnector } from './types.js';

export interface ProcessorFactory<C = unknown> {
  readonly type: string;
  /**
   * The signals the processor handles; a pipeline of another signal that lists it is a config
   * error (the collector's "telemetry type is not supported"). Default: traces only.
   */
  readonly signals?: readonly Signal[];
  /** Reads and validates the component's block; throws ConfigError. The caller calls done(). */
  readConfig(reader: ConfigReader): C;
  /** Builds an instance for a pipeline of `context.signal` (traces when absent). */
  create(config: C, context: ComponentContext): SignalProcessor<AnyBatch>;
}

/** The signals a factory handles (traces when it does not say). */
export function factorySignals(factory: ProcessorFactory): readonly Signal[] {
  return factory.signals ?? ['traces'];
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
  /** `type signal` pairs a registered type does not handle yet, with the reason. */
  private readonly pendingSignals = new Map<string, string>();

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

  /**
   * Marks a signal as known but not handled yet by a type (whether or not the type itself is
   * registered): a pipeline of that signal listing it gets "not supported yet" with the reason,
   * unless the registered factory handles the signal by then.
   */
  registerPendingSignal(type: string, signal: Signal, reason: string): this {
    this.pendingSignals.set(`${type} ${signal}`, reason);
    return this;
  }

  pendingSignalReason(type: string, signal: Signal): string | undefined {
    return this.pendingSignals.get(`${type} ${signal}`);
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
