// The exporters of the pipelines the OTLP receiver feeds, built from the config: one instance per
// signal and exporter id, shared by that signal's pipelines that list it (as in the collector,
// which builds an exporter per data type), and each pipeline's list. Traces pipelines take
// `otlphttp`, `debug`, `file` and the trace store; logs pipelines and the OTLP side of metrics
// pipelines take `otlphttp` and `debug`. What connectors derive into metrics pipelines is the
// metrics loop's (metrics-loop.ts), including the `prometheus` pull exporter.
import type { Pipeline } from '../pipeline/pipeline.js';
import type { Signal } from '../config/collector-config.js';
import { ConfigError } from '../config/config-error.js';
import { createSignalExporter, createTracesExporter } from '../exporters/exporter-factory.js';
import type { ExporterFactoryOptions } from '../exporters/exporter-factory.js';
import type { TracesExporter } from '../exporters/traces-exporter.js';
import type { PipelineExporter } from './routed-pipeline.js';

export interface ExporterInstance {
  readonly signal: Signal;
  readonly exporter: PipelineExporter;
}

export interface PipelineExporters {
  /** Every exporter instance once, with the signal it exports, in config order. */
  readonly instances: readonly ExporterInstance[];
  /** Each receiver-fed pipeline's exporters, by signal and pipeline id. */
  readonly byPipeline: { readonly [S in Signal]: ReadonlyMap<string, readonly PipelineExporter[]> };
  /** What the config asks for that is only partly done here, one message each (logged at start). */
  readonly warnings: readonly string[];
}

/**
 * `store` (the trace store) is added to every traces pipeline that exports somewhere. Throws a
 * ConfigError when an exporter cannot take its pipeline's signal, or when a metrics pipeline
 * would accept OTLP metrics that none of its exporters can take.
 */
export function buildPipelineExporters(pipeline: Pipeline, factory: ExporterFactoryOptions, store: TracesExporter | undefined): PipelineExporters {
  const config = pipeline.config;
  const instances: ExporterInstance[] = [];
  const shared = new Map<string, PipelineExporter>();
  const byPipeline = { traces: new Map<string, PipelineExporter[]>(), logs: new Map<string, PipelineExporter[]>(), metrics: new Map<string, PipelineExporter[]>() };
  const warnings: string[] = [];
  const served = new Set(pipeline.signals);

  const instance = (signal: Signal, id: string): PipelineExporter => {
    const key = `${signal}\u0000${id}`;
    let e = shared.get(key);
    if (!e) {
      const c = config.exporters.get(id)!;
      e = signal === 'traces' ? createTracesExporter(c, factory) : createSignalExporter(c, signal, factory);
      shared.set(key, e);
      instances.push({ signal, exporter: e });
    }
    return e;
  };

  for (const p of config.pipelines) {
    const fedByReceiver = p.receivers.some((id) => config.receivers.has(id));
    // Metrics pipelines fed only by connectors, and any pipeline no receiver feeds, are not ours.
    if (p.signal !== 'traces' && !(fedByReceiver && served.has(p.signal))) continue;
    const list: PipelineExporter[] = [];
    const pull: string[] = [];
    for (const id of p.exporters) {
      const c = config.exporters.get(id);
      if (!c) continue; // a connector
      if (p.signal === 'metrics' && c.id.type === 'prometheus') {
        pull.push(id);
        continue;
      }
      list.push(instance(p.signal, id));
    }
    if (pull.length) {
      const names = pull.map((id) => `"${id}"`).join(', ');
      const why = `the prometheus exporter serves only what connectors (spanmetrics, servicegraph) derive; it does not expose metrics received over OTLP in this build`;
      if (!list.length) {
        throw new ConfigError(`${p.path}.exporters`, `${names}: ${why}, and no other exporter of this pipeline takes them; add an otlphttp or debug exporter, or take otlp out of its receivers`, undefined, factory.source);
      }
      warnings.push(`${p.path}.exporters: ${names}: ${why}; those go to ${list.map((e) => e.id).join(', ')} only`);
    }
    // The store keeps the output of every traces pipeline that exports somewhere.
    if (p.signal === 'traces' && store && list.length) list.push(store);
    byPipeline[p.signal].set(p.id, list);
  }
  return { instances, byPipeline, warnings };
}
