// A running collector-shaped pipeline: the traces, logs and metrics pipelines of a config, their
// processors in the listed order, and the connectors they export to. Time always comes from the
// caller (or the clock option), so edge runtimes with frozen timers and tests drive it explicitly:
// tick() runs timers (batch timeouts, tail-sampling decisions), flush() drains every buffer.
//
// Receivers and exporters in the config are checked but not started: whoever calls process*() is
// the receiver, and whoever takes the returned batches is the exporter.
import type { TraceBatch } from '../otlp/trace-batch.js';
import type { LogBatch } from '../otlp/log-batch.js';
import type { MetricBatch } from '../otlp/metric-batch.js';
import { readCollectorConfig } from '../config/collector-config.js';
import type { CollectorConfig, PipelineConfig, Signal } from '../config/collector-config.js';
import { ConfigError } from '../config/config-error.js';
import { builtinComponents } from './builtin-components.js';
import { factorySignals } from './component-registry.js';
import type { ComponentRegistry } from './component-registry.js';
import type { Millis, SignalBatches, SignalProcessor, TracesToMetricsConnector } from './types.js';
import { PendingEdits, knownCountsOf } from './pending-edits.js';
import type { AnyBatch } from './pending-edits.js';
import type { MetricsData } from '../metrics/metrics-data.js';
import type { TraceLookup } from '../correlation/trace-lookup.js';
import { connectTraceLookups } from '../correlation/connect-lookups.js';

export interface PipelineOptions {
  /** Component factories; default: the built-in ones. */
  registry?: ComponentRegistry;
  /** A name for the config (a file name), prefixed to config errors. */
  source?: string;
  /** Where `now` comes from when a call does not pass it. Default Date.now. */
  clock?: () => Millis;
  /**
   * Trace decision sources besides the config's tail_sampling processors, by name, for the
   * logs_follow_traces processor's `decisions` key (e.g. a gateway's trace store).
   */
  traceLookups?: Readonly<Record<string, TraceLookup>>;
}

/** A pipeline for one signal as the integrations use it (see integrations/pipeline-like.ts). */
export interface SignalPipeline<Batch extends AnyBatch> {
  process(batch: Batch, now?: Millis): Batch[];
  flush(now?: Millis): Batch[];
  tick(now?: Millis): Batch[];
}

/** @internal A running pipeline of one signal. */
export interface RunningPipeline<Batch extends AnyBatch> {
  readonly config: PipelineConfig;
  readonly processors: SignalProcessor<Batch>[];
  readonly connectors: TracesToMetricsConnector[];
  /** Whether any exporter is a real exporter (the caller receives the output). */
  readonly exports: boolean;
  /** Fed by process*() (a receiver, not a connector, among its receivers). */
  readonly fed: boolean;
}

/** What a signal's batches count, for the pipeline counters (the collector's item names). */
const ITEMS: Readonly<Record<Signal, string>> = { traces: 'spans', logs: 'log_records', metrics: 'data_points' };

function itemCount(batch: AnyBatch): number {
  const known = knownCountsOf(batch);
  if (known) return known.items;
  if ('spanCount' in batch) return batch.spanCount;
  if ('logRecordCount' in batch) return batch.logRecordCount;
  return batch.dataPointCount;
}

/** Whether a batch holds anything worth passing on (metrics: a metric, even without points). */
function hasItems(batch: AnyBatch): boolean {
  const known = knownCountsOf(batch);
  if (known) return (known.metrics ?? known.items) > 0;
  return 'metricCount' in batch ? batch.metricCount > 0 : itemCount(batch) > 0;
}

export class Pipeline {
  readonly config: CollectorConfig;
  /** The connectors of the config, by id (the metrics side reads them). */
  readonly connectors: ReadonlyMap<string, TracesToMetricsConnector>;
  private readonly running: { [S in Signal]: RunningPipeline<SignalBatches[S]>[] };
  private readonly clock: () => Millis;
  private readonly itemsIn: Record<Signal, number> = { traces: 0, logs: 0, metrics: 0 };
  private readonly itemsOut: Record<Signal, number> = { traces: 0, logs: 0, metrics: 0 };

  private constructor(config: CollectorConfig, registry: ComponentRegistry, clock: () => Millis, source?: string, lookups: Readonly<Record<string, TraceLookup>> = {}) {
    this.config = config;
    this.clock = clock;
    const connectors = new Map<string, TracesToMetricsConnector>();
    for (const [id, c] of config.connectors) {
      connectors.set(id, registry.connector(c.id.type)!.create(c.config, { id, path: c.path }));
    }
    this.connectors = connectors;
    const build = <S extends Signal>(signal: S): RunningPipeline<SignalBatches[S]>[] =>
      config.pipelines
        .filter((p) => p.signal === signal)
        .map((p) => ({
          config: p,
          // The collector builds one processor instance per pipeline that lists it.
          processors: p.processors.map((id, i) => {
            const c = config.processors.get(id)!;
            const factory = registry.processor(c.id.type)!;
            if (!factorySignals(factory).includes(signal)) {
              const at = `${p.path}.processors[${i}]`;
              const pending = registry.pendingSignalReason(c.id.type, signal);
              if (pending) throw new ConfigError(at, `processor "${id}" is not supported yet in ${signal} pipelines: ${pending}`, undefined, source);
              throw new ConfigError(at, `processor "${id}" cannot be used in a ${signal} pipeline: ${c.id.type} handles ${factorySignals(factory).join(' and ')} (the collector: telemetry type is not supported)`, undefined, source);
            }
            return factory.create(c.config, { id, path: c.path, signal }) as SignalProcessor<SignalBatches[S]>;
          }),
          connectors: signal === 'traces' ? p.exporters.filter((id) => connectors.has(id)).map((id) => connectors.get(id)!) : [],
          exports: p.exporters.some((id) => config.exporters.has(id)),
          fed: p.receivers.some((id) => config.receivers.has(id)),
        }));
    this.running = { traces: build('traces'), logs: build('logs'), metrics: build('metrics') };
    if (!this.signals.length) {
      throw new ConfigError('service.pipelines', 'no pipeline takes data from a receiver (add receivers: [otlp] to a traces, logs or metrics pipeline)', undefined, source);
    }
    connectTraceLookups(this.running, lookups, source);
  }

  /** Builds the pipeline from collector YAML text or an already-parsed config object. */
  static fromConfig(input: string | object, options: PipelineOptions = {}): Pipeline {
    const registry = options.registry ?? builtinComponents();
    const config = readCollectorConfig(input, registry, options.source);
    return new Pipeline(config, registry, options.clock ?? Date.now, options.source, options.traceLookups);
  }

  /** The signals with a pipeline that takes data from a receiver, in the order traces, logs, metrics. */
  get signals(): Signal[] {
    return (['traces', 'logs', 'metrics'] as const).filter((s) => this.running[s].some((p) => p.fed));
  }

  /**
   * Runs a batch through every traces pipeline fed by a receiver and returns what reaches their
   * exporters. The pipeline owns `batch` once this returns; if it throws a DataRefusedError
   * (memory_limiter), the batch was not accepted and the caller still owns it.
   */
  process(batch: TraceBatch, now: Millis = this.clock()): TraceBatch[] {
    return this.processSignal('traces', batch, now);
  }

  /** process() for logs: every logs pipeline fed by a receiver. */
  processLogs(batch: LogBatch, now: Millis = this.clock()): LogBatch[] {
    return this.processSignal('logs', batch, now);
  }

  /** process() for metrics: every metrics pipeline fed by a receiver. */
  processMetrics(batch: MetricBatch, now: Millis = this.clock()): MetricBatch[] {
    return this.processSignal('metrics', batch, now);
  }

  /** process() for the signal of `signal`. */
  processSignal<S extends Signal>(signal: S, batch: SignalBatches[S], now: Millis = this.clock()): SignalBatches[S][] {
    const fed = this.running[signal].filter((p) => p.fed);
    if (!fed.length) throw new TypeError(`process: no ${signal} pipeline takes data from a receiver in this config`);
    for (const p of fed) for (const proc of p.processors) proc.admit?.(batch, now);
    this.itemsIn[signal] += itemCount(batch);
    const out: SignalBatches[S][] = [];
    fed.forEach((p, i) => {
      // Every pipeline after the first gets its own copy, as the collector fans out a receiver.
      const input = i === fed.length - 1 ? batch : copyBatch(batch);
      out.push(...this.finish(signal, p, this.runFrom(p, 0, [input], now), now));
    });
    return out;
  }

  /** Runs the traces timers due at `now` (batch timeouts, tail-sampling decisions) and returns what they release. */
  tick(now: Millis = this.clock()): TraceBatch[] {
    const out = this.tickSignal('traces', now);
    for (const p of this.running.traces) for (const c of p.connectors) c.tick?.(now);
    return out;
  }

  /** tick() for logs (batch timeouts, logs waiting for their trace's decision). */
  tickLogs(now: Millis = this.clock()): LogBatch[] {
    return this.tickSignal('logs', now);
  }

  /** tick() for metrics. */
  tickMetrics(now: Millis = this.clock()): MetricBatch[] {
    return this.tickSignal('metrics', now);
  }

  private tickSignal<S extends Signal>(signal: S, now: Millis): SignalBatches[S][] {
    const out: SignalBatches[S][] = [];
    for (const p of this.running[signal]) {
      p.processors.forEach((proc, i) => {
        if (!proc.tick) return;
        out.push(...this.finish(signal, p, this.runFrom(p, i + 1, proc.tick(now), now), now));
      });
    }
    return out;
  }

  /** Drains every traces buffer in pipeline order (end of input, shutdown). */
  flush(now: Millis = this.clock()): TraceBatch[] {
    return this.flushSignal('traces', now);
  }

  /**
   * Drains every logs buffer. Flush traces first: logs waiting for their trace's decision are
   * released by the decisions a traces flush makes.
   */
  flushLogs(now: Millis = this.clock()): LogBatch[] {
    return this.flushSignal('logs', now);
  }

  /** Drains every metrics buffer. */
  flushMetrics(now: Millis = this.clock()): MetricBatch[] {
    return this.flushSignal('metrics', now);
  }

  private flushSignal<S extends Signal>(signal: S, now: Millis): SignalBatches[S][] {
    const out: SignalBatches[S][] = [];
    for (const p of this.running[signal]) {
      p.processors.forEach((proc, i) => {
        out.push(...this.finish(signal, p, this.runFrom(p, i + 1, proc.flush(now), now), now));
      });
    }
    return out;
  }

  /** This pipeline for one signal: `{ process, flush, tick }`, as the OTLP handler and SDK adapters take it. */
  forSignal<S extends Signal>(signal: S): SignalPipeline<SignalBatches[S]> {
    return {
      process: (batch, now = this.clock()) => this.processSignal(signal, batch, now),
      flush: (now = this.clock()) => (signal === 'traces' ? this.flush(now) : this.flushSignal(signal, now)) as SignalBatches[S][],
      tick: (now = this.clock()) => (signal === 'traces' ? this.tick(now) : this.tickSignal(signal, now)) as SignalBatches[S][],
    };
  }

  /**
   * Pushes batches through the processors from index `from` on. Consecutive processors that can
   * edit in place share one set of pending edits per batch, written out by a single splice.
   */
  private runFrom<Batch extends AnyBatch>(p: RunningPipeline<Batch>, from: number, batches: Batch[], now: Millis): Batch[] {
    let current = batches;
    let i = from;
    while (i < p.processors.length && current.length) {
      const proc = p.processors[i]!;
      if (!proc.edit) {
        const next: Batch[] = [];
        for (const b of current) next.push(...proc.process(b, now));
        current = next;
        i++;
        continue;
      }
      let end = i;
      while (end < p.processors.length && p.processors[end]!.edit) end++;
      const next: Batch[] = [];
      for (const b of current) {
        let pending = PendingEdits.begin(b);
        try {
          for (let k = i; k < end; k++) {
            const editor = p.processors[k]!;
            if (editor.canEdit && !editor.canEdit(pending)) {
              const mid = pending.materialize();
              if (!mid) break;
              pending = PendingEdits.begin(mid);
            }
            editor.edit!(pending, now);
            if (pending.empty) break;
          }
        } catch (err) {
          pending.release();
          pending.batch.dispose();
          throw err;
        }
        const out = pending.materialize();
        if (out) next.push(out);
      }
      current = next;
      i = end;
    }
    return current;
  }

  /** Hands the pipeline's output to its connectors and to the caller (when it has exporters). */
  private finish<Batch extends AnyBatch>(signal: Signal, p: RunningPipeline<Batch>, batches: Batch[], now: Millis): Batch[] {
    const out: Batch[] = [];
    for (const b of batches) {
      for (const c of p.connectors) c.consume(b as TraceBatch, now);
      if (p.exports && hasItems(b)) {
        this.itemsOut[signal] += itemCount(b);
        out.push(b);
      } else b.dispose();
    }
    return out;
  }

  /**
   * The metrics the connectors hold now (timers run first), merged into one MetricsData — what a
   * metrics pipeline receiving from them would export.
   */
  metrics(now: Millis = this.clock()): MetricsData {
    const resourceMetrics: MetricsData['resourceMetrics'] = [];
    for (const c of this.connectors.values()) {
      c.tick?.(now);
      const data = c.collect(now) as MetricsData | undefined;
      if (data?.resourceMetrics) resourceMetrics.push(...data.resourceMetrics);
    }
    return { resourceMetrics };
  }

  /**
   * Counters of the pipeline (items in and out per signal, by the collector's item names) and of
   * each processor, keyed `pipeline/processor` (`traces/batch`, `logs/redaction`, …).
   */
  counters(): Record<string, Readonly<Record<string, number>>> {
    const pipeline: Record<string, number> = {};
    for (const s of ['traces', 'logs', 'metrics'] as const) {
      pipeline[`${ITEMS[s]}_in`] = this.itemsIn[s];
      pipeline[`${ITEMS[s]}_out`] = this.itemsOut[s];
    }
    const out: Record<string, Readonly<Record<string, number>>> = { pipeline };
    for (const s of ['traces', 'logs', 'metrics'] as const) {
      for (const p of this.running[s]) for (const proc of p.processors) if (proc.counters) out[`${p.config.id}/${proc.id}`] = proc.counters();
    }
    return out;
  }

  /** Releases every buffer without forwarding it. */
  shutdown(): void {
    for (const s of ['traces', 'logs', 'metrics'] as const) for (const p of this.running[s]) for (const proc of p.processors) proc.shutdown?.();
    for (const c of this.connectors.values()) c.shutdown?.();
  }
}

function copyBatch<Batch extends AnyBatch>(batch: Batch): Batch {
  return (batch.constructor as unknown as { fromProtobuf(bytes: Uint8Array, options: object): Batch }).fromProtobuf(batch.protobufView(), { allowEmpty: true });
}
