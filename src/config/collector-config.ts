// The collector's config document: receivers, processors, exporters, connectors, extensions and
// service.pipelines, validated the way the collector validates it (unknown keys, undefined or
// unused-in-the-wrong-way components, duplicate references) with errors naming path and position.
// Component blocks are read by their factories from the registry.
import { ConfigError } from './config-error.js';
import { ConfigReader } from './config-reader.js';
import { parseYamlConfig, objectToConfigNode } from './config-node.js';
import type { ConfigNode } from './config-node.js';
import { parseComponentId } from './component-id.js';
import type { ComponentId } from './component-id.js';
import { checkExporter, checkReceiver, EXPORTER_TYPES, RECEIVER_TYPES } from './component-shapes.js';
import type { ComponentRegistry } from '../pipeline/component-registry.js';

export type Signal = 'traces' | 'metrics' | 'logs';

export interface ComponentConfig {
  readonly id: ComponentId;
  /** Config path of the block: `processors.batch/2`. */
  readonly path: string;
  /** What the factory read (processors and connectors); undefined for receivers/exporters/extensions. */
  readonly config: unknown;
  /**
   * The block as written, with positions: whoever starts a receiver, exporter or extension (the
   * gateway) reads it strictly with a ConfigReader, so its errors point at the line too.
   */
  readonly node: ConfigNode;
}

export interface PipelineConfig {
  /** `traces`, `traces/x`, `metrics/derived`, … */
  readonly id: string;
  readonly signal: Signal;
  readonly path: string;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

export interface CollectorConfig {
  readonly receivers: ReadonlyMap<string, ComponentConfig>;
  readonly processors: ReadonlyMap<string, ComponentConfig>;
  readonly exporters: ReadonlyMap<string, ComponentConfig>;
  readonly connectors: ReadonlyMap<string, ComponentConfig>;
  readonly extensions: ReadonlyMap<string, ComponentConfig>;
  readonly pipelines: readonly PipelineConfig[];
  /** `service.telemetry` as written (log level, …), for whoever runs the service (the gateway). */
  readonly telemetry?: ConfigNode;
}

const TOP_LEVEL = ['receivers', 'processors', 'exporters', 'connectors', 'extensions', 'service'] as const;
const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

/** Parses YAML text or takes an already-parsed object. */
export function configNodeFrom(input: string | object, source?: string): ConfigNode {
  if (typeof input === 'string') return parseYamlConfig(input, source);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new ConfigError('', 'the config must be a map (YAML text or an object)', undefined, source);
  return objectToConfigNode(input);
}

function readSection(
  root: ConfigReader,
  section: string,
  readBlock: (id: ComponentId, reader: ConfigReader) => unknown,
): Map<string, ComponentConfig> {
  const out = new Map<string, ComponentConfig>();
  const block = root.child(section);
  for (const key of block.keys()) {
    const parsed = parseComponentId(key);
    if (typeof parsed === 'string') throw block.error(parsed, block.keyPosition(key), `${section}.${key}`);
    const reader = block.child(key);
    const config = readBlock(parsed, reader);
    out.set(parsed.id, { id: parsed, path: `${section}.${key}`, config, node: reader.node });
  }
  return out;
}

export function readCollectorConfig(input: string | object, registry: ComponentRegistry, source?: string): CollectorConfig {
  const root = new ConfigReader(configNodeFrom(input, source), '', source);
  for (const key of root.keys()) {
    if (!(TOP_LEVEL as readonly string[]).includes(key)) {
      throw root.error(`unknown top-level key "${key}" (known keys: ${TOP_LEVEL.join(', ')})`, root.keyPosition(key), key);
    }
  }

  const receivers = readSection(root, 'receivers', (id, r) => {
    if (!RECEIVER_TYPES.includes(id.type)) {
      throw r.error(`unsupported receiver type "${id.type}" (otel-sieve reads OTLP; supported: ${RECEIVER_TYPES.join(', ')})`, undefined);
    }
    checkReceiver(id.type, r);
    return undefined;
  });
  const processors = readSection(root, 'processors', (id, r) => {
    const factory = registry.processor(id.type);
    if (!factory) {
      const pending = registry.pendingReason(id.type);
      if (pending) throw r.error(`processor type "${id.type}" is not supported yet: ${pending}`);
      throw r.error(`unknown processor type "${id.type}" (supported: ${registry.processorTypes().join(', ')})`);
    }
    const config = factory.readConfig(r);
    r.done();
    return config;
  });
  const exporters = readSection(root, 'exporters', (id, r) => {
    if (!EXPORTER_TYPES.includes(id.type)) {
      throw r.error(`unsupported exporter type "${id.type}" (--output and --metrics-output stand in for exporters; supported: ${EXPORTER_TYPES.join(', ')})`);
    }
    checkExporter(id.type, r);
    return undefined;
  });
  const connectors = readSection(root, 'connectors', (id, r) => {
    const factory = registry.connector(id.type);
    if (!factory) {
      const pending = registry.pendingReason(id.type);
      if (pending) throw r.error(`connector type "${id.type}" is not supported yet: ${pending}`);
      const known = registry.connectorTypes();
      throw r.error(`unknown connector type "${id.type}" (${known.length ? `supported: ${known.join(', ')}` : 'no connector types are registered'})`);
    }
    const config = factory.readConfig(r);
    r.done();
    return config;
  });
  // Extensions are never run; their blocks belong to components we do not have, so only their ids
  // are checked (service.extensions must name defined ones).
  const extensions = readSection(root, 'extensions', (_id, r) => {
    r.ignore(...r.keys());
    return undefined;
  });

  const service = root.child('service');
  const serviceExtensions = service.stringList('extensions');
  serviceExtensions.forEach((ext, i) => {
    if (!extensions.has(ext)) throw service.error(`extension "${ext}" is not defined in extensions`, undefined, `service.extensions[${i}]`);
  });
  const telemetry = service.raw('telemetry');
  const pipelinesBlock = service.child('pipelines');
  const pipelines: PipelineConfig[] = [];
  for (const key of pipelinesBlock.keys()) {
    const parsed = parseComponentId(key);
    const path = `service.pipelines.${key}`;
    if (typeof parsed === 'string') throw pipelinesBlock.error(parsed, pipelinesBlock.keyPosition(key), path);
    if (!SIGNALS.includes(parsed.type as Signal)) {
      throw pipelinesBlock.error(`unknown pipeline signal "${parsed.type}" (expected traces, metrics or logs, optionally followed by /name)`, pipelinesBlock.keyPosition(key), path);
    }
    const p = pipelinesBlock.child(key);
    const spec = {
      id: parsed.id,
      signal: parsed.type as Signal,
      path,
      receivers: p.stringList('receivers'),
      processors: p.stringList('processors'),
      exporters: p.stringList('exporters'),
    };
    p.done();
    if (!spec.receivers.length) throw p.error('a pipeline must have at least one receiver', pipelinesBlock.positionOf(key));
    if (!spec.exporters.length) throw p.error('a pipeline must have at least one exporter', pipelinesBlock.positionOf(key));
    const refs = (list: readonly string[], kind: string, ...sections: [string, ReadonlyMap<string, ComponentConfig>][]) => {
      const seen = new Set<string>();
      list.forEach((ref, i) => {
        const at = `${path}.${kind}[${i}]`;
        const pos = listItemPosition(p, kind, i);
        if (seen.has(ref)) throw p.error(`references ${kind.slice(0, -1)} "${ref}" more than once`, pos, at);
        seen.add(ref);
        if (!sections.some(([, m]) => m.has(ref))) {
          throw p.error(`${kind.slice(0, -1)} "${ref}" is not defined in ${sections.map(([s]) => s).join(' or ')}`, pos, at);
        }
      });
    };
    refs(spec.receivers, 'receivers', ['receivers', receivers], ['connectors', connectors]);
    refs(spec.processors, 'processors', ['processors', processors]);
    refs(spec.exporters, 'exporters', ['exporters', exporters], ['connectors', connectors]);
    pipelines.push(spec);
  }
  pipelinesBlock.done();
  service.done();
  if (!pipelines.length) throw service.error('no pipelines are defined (service.pipelines is empty)', service.positionOf('pipelines'), 'service.pipelines');

  // Connectors join pipelines: one used as an exporter must feed some pipeline as a receiver, and
  // the other way round, or data would vanish (the collector refuses both).
  for (const [id, c] of connectors) {
    const asExporter = pipelines.filter((p) => p.exporters.includes(id));
    const asReceiver = pipelines.filter((p) => p.receivers.includes(id));
    if (asExporter.length && !asReceiver.length) {
      throw new ConfigError(c.path, `connector "${id}" is used as an exporter in ${asExporter[0]!.path} but not as a receiver in any pipeline`, undefined, source);
    }
    if (asReceiver.length && !asExporter.length) {
      throw new ConfigError(c.path, `connector "${id}" is used as a receiver in ${asReceiver[0]!.path} but not as an exporter in any pipeline`, undefined, source);
    }
  }
  return { receivers, processors, exporters, connectors, extensions, pipelines, telemetry };
}

function listItemPosition(reader: ConfigReader, key: string, i: number) {
  const n = reader.node.kind === 'map' ? reader.node.entries.get(key)?.node : undefined;
  return n?.kind === 'list' ? n.items[i]?.position : undefined;
}
