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
import { concatBatches } from '../otlp/batch-concat.js';

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

/** A batch a pipeline released, with that pipeline's id (a gateway routes it to the pipeline's exporters). */
export interface RoutedBatch<Batch extends AnyBatch = TraceBatch> {
  /** `traces`, `traces/sampled`, `logs`, … */
  readonly pipeline: string;
  readonly batch: Batch;
}

/**
 * Items (spans, log records, data points) into and out of one processor of one pipeline (the
 * collector's processor incoming/outgoing items).
 */
export interface ProcessorItems {
  readonly pipeline: string;
  readonly signal: Signal;
  /** The processor id as written: `tail_sampling` or `tail_sampling/errors`. */
  readonly processor: string;
  /** Its type: `tail_sampling`. */
  readonly type: string;
  readonly incoming: number;
  readonly outgoing: number;
}

/** @internal A running pipeline of one signal. */
export interface RunningPipeline<Batch extends AnyBatch> {
  readonly config: PipelineConfig;
  readonly processors: SignalProcessor<Batch>[];
  /** Items into / out of each processor, by index (buffered items are in neither until released). */
  readonly incoming: number[];
  readonly outgoing: number[];
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
          incoming: p.processors.map(() => 0),
          outgoing: p.processors.map(() => 0),
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

  /** process(), with the pipeline each batch came out of (to give it to that pipeline's exporters). */
  processRouted(batch: TraceBatch, now: Millis = this.clock()): RoutedBatch[] {
    return this.processSignalRouted('traces', batch, now);
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
    return this.processSignalRouted(signal, batch, now).map((r) => r.batch);
  }

  /** processSignal(), with the pipeline each batch came out of. */
  processSignalRouted<S extends Signal>(signal: S, batch: SignalBatches[S], now: Millis = this.clock()): RoutedBatch<SignalBatches[S]>[] {
    const fed = this.running[signal].filter((p) => p.fed);
    if (!fed.length) throw new TypeError(`process: no ${signal} pipeline takes data from a receiver in this config`);
    for (const p of fed) for (const proc of p.processors) proc.admit?.(batch, now);
    this.itemsIn[signal] += itemCount(batch);
    const out: RoutedBatch<SignalBatches[S]>[] = [];
    fed.forEach((p, i) => {
      // Every pipeline after the first gets its own copy, as the collector fans out a receiver.
      const input = i === fed.length - 1 ? batch : copyBatch(batch);
      out.push(...this.finish(signal, p, this.runFrom(p, 0, [input], now), now));
    });
    return out;
  }

  /** Runs the traces timers due at `now` (batch timeouts, tail-sampling decisions) and returns what they release. */
  tick(now: Millis = this.clock()): TraceBatch[] {
    return this.tickRouted(now).map((r) => r.batch);
  }

  /** tick(), with the pipeline each batch came out of. */
  tickRouted(now: Millis = this.clock()): RoutedBatch[] {
    // Processors' timers first, then the connectors' (flush intervals see what the timers released).
    const out = this.runTimers('traces', now);
    for (const p of this.running.traces) for (const c of p.connectors) c.tick?.(now);
    return out;
  }

  /** tick() for logs (batch timeouts, logs waiting for their trace's decision). */
  tickLogs(now: Millis = this.clock()): LogBatch[] {
    return this.tickSignalRouted('logs', now).map((r) => r.batch);
  }

  /** tick() for metrics. */
  tickMetrics(now: Millis = this.clock()): MetricBatch[] {
    return this.tickSignalRouted('metrics', now).map((r) => r.batch);
  }

  /** The timers of one signal's pipelines (traces: connectors' timers too), with each batch's pipeline. */
  tickSignalRouted<S extends Signal>(signal: S, now: Millis = this.clock()): RoutedBatch<SignalBatches[S]>[] {
    return signal === 'traces' ? (this.tickRouted(now) as RoutedBatch<SignalBatches[S]>[]) : this.runTimers(signal, now);
  }

  private runTimers<S extends Signal>(signal: S, now: Millis): RoutedBatch<SignalBatches[S]>[] {
    const out: RoutedBatch<SignalBatches[S]>[] = [];
    for (const p of this.running[signal]) {
      p.processors.forEach((proc, i) => {
        if (!proc.tick) return;
        out.push(...this.finish(signal, p, this.runFrom(p, i + 1, this.released(p, i, proc.tick(now)), now), now));
      });
    }
    return out;
  }

  /** Drains every traces buffer in pipeline order (end of input, shutdown). */
  flush(now: Millis = this.clock()): TraceBatch[] {
    return this.flushRouted(now).map((r) => r.batch);
  }

  /** flush(), with the pipeline each batch came out of. */
  flushRouted(now: Millis = this.clock()): RoutedBatch[] {
    return this.flushSignalRouted('traces', now);
  }

  /**
   * Drains every logs buffer. Flush traces first: logs waiting for their trace's decision are
   * released by the decisions a traces flush makes.
   */
  flushLogs(now: Millis = this.clock()): LogBatch[] {
    return this.flushSignalRouted('logs', now).map((r) => r.batch);
  }

  /** Drains every metrics buffer. */
  flushMetrics(now: Millis = this.clock()): MetricBatch[] {
    return this.flushSignalRouted('metrics', now).map((r) => r.batch);
  }

  /** Drains one signal's buffers, with each batch's pipeline. */
  flushSignalRouted<S extends Signal>(signal: S, now: Millis = this.clock()): RoutedBatch<SignalBatches[S]>[] {
    const out: RoutedBatch<SignalBatches[S]>[] = [];
    for (const p of this.running[signal]) {
      p.processors.forEach((proc, i) => {
        out.push(...this.finish(signal, p, this.runFrom(p, i + 1, this.released(p, i, proc.flush(now)), now), now));
      });
    }
    return out;
  }

  /** Counts what processor `i` released from its buffer (its incoming items were counted on arrival). */
  private released<Batch extends AnyBatch>(p: RunningPipeline<Batch>, i: number, batches: Batch[]): Batch[] {
    for (const b of batches) p.outgoing[i]! += itemCount(b);
    return batches;
  }

  /** This pipeline for one signal: `{ process, flush, tick }`, as the OTLP handler and SDK adapters take it. */
  forSignal<S extends Signal>(signal: S): SignalPipeline<SignalBatches[S]> {
    return {
      process: (batch, now = this.clock()) => this.processSignal(signal, batch, now),
      flush: (now = this.clock()) => this.flushSignalRouted(signal, now).map((r) => r.batch),
      tick: (now = this.clock()) => this.tickSignalRouted(signal, now).map((r) => r.batch),
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
        for (const b of current) {
          p.incoming[i]! += itemCount(b);
          const out = proc.process(b, now);
          for (const o of out) p.outgoing[i]! += itemCount(o);
          next.push(...out);
        }
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
            p.incoming[k]! += pending.liveItems();
            editor.edit!(pending, now);
            p.outgoing[k]! += pending.liveItems();
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
  private finish<Batch extends AnyBatch>(signal: Signal, p: RunningPipeline<Batch>, batches: Batch[], now: Millis): RoutedBatch<Batch>[] {
    const out: RoutedBatch<Batch>[] = [];
    for (const b of batches) {
      for (const c of p.connectors) c.consume(b as TraceBatch, now);
      if (p.exports && hasItems(b)) {
        this.itemsOut[signal] += itemCount(b);
        out.push({ pipeline: p.config.id, batch: b });
      } else b.dispose();
    }
    return out;
  }

  /** Items into and out of every processor of every pipeline (traces, logs, metrics), in config order. */
  processorItems(): ProcessorItems[] {
    const out: ProcessorItems[] = [];
    for (const signal of ['traces', 'logs', 'metrics'] as const) {
      for (const p of this.running[signal]) {
        (p.processors as SignalProcessor<AnyBatch>[]).forEach((proc, i) => {
          const type = this.config.processors.get(proc.id)?.id.type ?? proc.id;
          out.push({ pipeline: p.config.id, signal, processor: proc.id, type, incoming: p.incoming[i]!, outgoing: p.outgoing[i]! });
        });
      }
    }
    return out;
  }

  /** The processors of each pipeline, with their pipeline id and signal (for their own counters). */
  processorsByPipeline(): { pipeline: string; signal: Signal; processor: SignalProcessor<AnyBatch> }[] {
    return (['traces', 'logs', 'metrics'] as const).flatMap((signal) =>
      this.running[signal].flatMap((p) => (p.processors as SignalProcessor<AnyBatch>[]).map((processor) => ({ pipeline: p.config.id, signal, processor }))));
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
  // Copied inside core memory after allocating: a view of the source taken before an allocation
  // that grows the memory would be detached (empty) by the time it is copied.
  return concatBatches([batch]);
}
