// A running collector-shaped pipeline: the traces pipelines of a config, their processors in the
// listed order, and the connectors they export to. Time always comes from the caller (or the
// clock option), so edge runtimes with frozen timers and tests drive it explicitly: tick() runs
// timers (batch timeouts, tail-sampling decisions), flush() drains every buffer.
//
// Receivers and exporters in the config are checked but not started: whoever calls process() is
// the receiver, and whoever takes the returned batches is the exporter.
import type { TraceBatch } from '../otlp/trace-batch.js';
import { readCollectorConfig } from '../config/collector-config.js';
import type { CollectorConfig, PipelineConfig } from '../config/collector-config.js';
import { ConfigError } from '../config/config-error.js';
import { builtinComponents } from './builtin-components.js';
import type { ComponentRegistry } from './component-registry.js';
import type { Millis, TracesProcessor, TracesToMetricsConnector } from './types.js';
import { PendingEdits } from './pending-edits.js';
import type { MetricsData } from '../metrics/metrics-data.js';
import { concatTraceBatches } from '../otlp/trace-concat.js';

export interface PipelineOptions {
  /** Component factories; default: the built-in ones. */
  registry?: ComponentRegistry;
  /** A name for the config (a file name), prefixed to config errors. */
  source?: string;
  /** Where `now` comes from when a call does not pass it. Default Date.now. */
  clock?: () => Millis;
}

/** A batch a traces pipeline released, with that pipeline's id (a gateway routes it to the pipeline's exporters). */
export interface RoutedBatch {
  /** `traces`, `traces/sampled`, … */
  readonly pipeline: string;
  readonly batch: TraceBatch;
}

/** Spans into and out of one processor of one pipeline (the collector's processor incoming/outgoing items). */
export interface ProcessorItems {
  readonly pipeline: string;
  /** The processor id as written: `tail_sampling` or `tail_sampling/errors`. */
  readonly processor: string;
  /** Its type: `tail_sampling`. */
  readonly type: string;
  readonly incoming: number;
  readonly outgoing: number;
}

interface RunningPipeline {
  readonly config: PipelineConfig;
  readonly processors: TracesProcessor[];
  /** Spans into / out of each processor, by index (buffered spans are in neither until released). */
  readonly incoming: number[];
  readonly outgoing: number[];
  readonly connectors: TracesToMetricsConnector[];
  /** Whether any exporter is a real exporter (the caller receives the output). */
  readonly exports: boolean;
  /** Fed by process() (a receiver, not a connector, among its receivers). */
  readonly fed: boolean;
}

export class Pipeline {
  readonly config: CollectorConfig;
  /** The connectors of the config, by id (the metrics side reads them). */
  readonly connectors: ReadonlyMap<string, TracesToMetricsConnector>;
  private readonly traces: RunningPipeline[];
  private readonly clock: () => Millis;
  private spansIn = 0;
  private spansOut = 0;

  private constructor(config: CollectorConfig, registry: ComponentRegistry, clock: () => Millis, source?: string) {
    this.config = config;
    this.clock = clock;
    const connectors = new Map<string, TracesToMetricsConnector>();
    for (const [id, c] of config.connectors) {
      connectors.set(id, registry.connector(c.id.type)!.create(c.config, { id, path: c.path }));
    }
    this.connectors = connectors;
    this.traces = config.pipelines
      .filter((p) => p.signal === 'traces')
      .map((p) => ({
        config: p,
        // The collector builds one processor instance per pipeline that lists it.
        processors: p.processors.map((id) => {
          const c = config.processors.get(id)!;
          return registry.processor(c.id.type)!.create(c.config, { id, path: c.path });
        }),
        incoming: p.processors.map(() => 0),
        outgoing: p.processors.map(() => 0),
        connectors: p.exporters.filter((id) => connectors.has(id)).map((id) => connectors.get(id)!),
        exports: p.exporters.some((id) => config.exporters.has(id)),
        fed: p.receivers.some((id) => config.receivers.has(id)),
      }));
    if (!this.traces.some((p) => p.fed)) {
      throw new ConfigError('service.pipelines', 'no traces pipeline takes data from a receiver (otel-sieve runs traces pipelines; add one with receivers: [otlp])', undefined, source);
    }
  }

  /** Builds the pipeline from collector YAML text or an already-parsed config object. */
  static fromConfig(input: string | object, options: PipelineOptions = {}): Pipeline {
    const registry = options.registry ?? builtinComponents();
    const config = readCollectorConfig(input, registry, options.source);
    return new Pipeline(config, registry, options.clock ?? Date.now, options.source);
  }

  /**
   * Runs a batch through every traces pipeline fed by a receiver and returns what reaches their
   * exporters. The pipeline owns `batch` once this returns; if it throws a DataRefusedError
   * (memory_limiter), the batch was not accepted and the caller still owns it.
   */
  process(batch: TraceBatch, now: Millis = this.clock()): TraceBatch[] {
    return this.processRouted(batch, now).map((r) => r.batch);
  }

  /** process(), with the pipeline each batch came out of (to give it to that pipeline's exporters). */
  processRouted(batch: TraceBatch, now: Millis = this.clock()): RoutedBatch[] {
    const fed = this.traces.filter((p) => p.fed);
    for (const p of fed) for (const proc of p.processors) proc.admit?.(batch, now);
    this.spansIn += batch.spanCount;
    const out: RoutedBatch[] = [];
    fed.forEach((p, i) => {
      // Every pipeline after the first gets its own copy, as the collector fans out a receiver.
      const input = i === fed.length - 1 ? batch : copyBatch(batch);
      out.push(...this.finish(p, this.runFrom(p, 0, [input], now), now));
    });
    return out;
  }

  /** Runs timers due at `now` (batch timeouts, tail-sampling decisions) and returns what they release. */
  tick(now: Millis = this.clock()): TraceBatch[] {
    return this.tickRouted(now).map((r) => r.batch);
  }

  /** tick(), with the pipeline each batch came out of. */
  tickRouted(now: Millis = this.clock()): RoutedBatch[] {
    const out: RoutedBatch[] = [];
    for (const p of this.traces) {
      p.processors.forEach((proc, i) => {
        if (!proc.tick) return;
        out.push(...this.finish(p, this.runFrom(p, i + 1, this.released(p, i, proc.tick(now)), now), now));
      });
      for (const c of p.connectors) c.tick?.(now);
    }
    return out;
  }

  /** Drains every buffer in pipeline order (end of input, shutdown). */
  flush(now: Millis = this.clock()): TraceBatch[] {
    return this.flushRouted(now).map((r) => r.batch);
  }

  /** flush(), with the pipeline each batch came out of. */
  flushRouted(now: Millis = this.clock()): RoutedBatch[] {
    const out: RoutedBatch[] = [];
    for (const p of this.traces) {
      p.processors.forEach((proc, i) => {
        out.push(...this.finish(p, this.runFrom(p, i + 1, this.released(p, i, proc.flush(now)), now), now));
      });
    }
    return out;
  }

  /** Counts what processor `i` released from its buffer (its incoming spans were counted on arrival). */
  private released(p: RunningPipeline, i: number, batches: TraceBatch[]): TraceBatch[] {
    for (const b of batches) p.outgoing[i]! += b.spanCount;
    return batches;
  }

  /**
   * Pushes batches through the processors from index `from` on. Consecutive processors that can
   * edit in place share one set of pending edits per batch, written out by a single splice.
   */
  private runFrom(p: RunningPipeline, from: number, batches: TraceBatch[], now: Millis): TraceBatch[] {
    let current = batches;
    let i = from;
    while (i < p.processors.length && current.length) {
      const proc = p.processors[i]!;
      if (!proc.edit) {
        const next: TraceBatch[] = [];
        for (const b of current) {
          p.incoming[i]! += b.spanCount;
          const out = proc.process(b, now);
          for (const o of out) p.outgoing[i]! += o.spanCount;
          next.push(...out);
        }
        current = next;
        i++;
        continue;
      }
      let end = i;
      while (end < p.processors.length && p.processors[end]!.edit) end++;
      const next: TraceBatch[] = [];
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
            p.incoming[k]! += alive(pending);
            editor.edit!(pending, now);
            p.outgoing[k]! += alive(pending);
            if (pending.kept === 0) break;
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
  private finish(p: RunningPipeline, batches: TraceBatch[], now: Millis): RoutedBatch[] {
    const out: RoutedBatch[] = [];
    for (const b of batches) {
      for (const c of p.connectors) c.consume(b, now);
      if (p.exports && b.spanCount > 0) {
        this.spansOut += b.spanCount;
        out.push({ pipeline: p.config.id, batch: b });
      } else b.dispose();
    }
    return out;
  }

  /** Spans into and out of every processor of every traces pipeline, in config order. */
  processorItems(): ProcessorItems[] {
    const out: ProcessorItems[] = [];
    for (const p of this.traces) {
      p.processors.forEach((proc, i) => {
        out.push({ pipeline: p.config.id, processor: proc.id, type: this.config.processors.get(proc.id)?.id.type ?? proc.id, incoming: p.incoming[i]!, outgoing: p.outgoing[i]! });
      });
    }
    return out;
  }

  /** The processors of each traces pipeline, with their pipeline id (for their own counters). */
  processorsByPipeline(): { pipeline: string; processor: TracesProcessor }[] {
    return this.traces.flatMap((p) => p.processors.map((processor) => ({ pipeline: p.config.id, processor })));
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

  /** Counters of the pipeline and of each processor, keyed `pipeline/processor`. */
  counters(): Record<string, Readonly<Record<string, number>>> {
    const out: Record<string, Readonly<Record<string, number>>> = { pipeline: { spans_in: this.spansIn, spans_out: this.spansOut } };
    for (const p of this.traces) for (const proc of p.processors) if (proc.counters) out[`${p.config.id}/${proc.id}`] = proc.counters();
    return out;
  }

  /** Releases every buffer without forwarding it. */
  shutdown(): void {
    for (const p of this.traces) for (const proc of p.processors) proc.shutdown?.();
    for (const c of this.connectors.values()) c.shutdown?.();
  }
}

/** Spans still kept in a run of edits (kept is -1 while nothing was dropped). */
function alive(pending: PendingEdits): number {
  return pending.kept < 0 ? pending.batch.spanCount : pending.kept;
}

function copyBatch(batch: TraceBatch): TraceBatch {
  // Copied inside core memory after allocating: a view of the source taken before an allocation
  // that grows the memory would be detached (empty) by the time it is copied.
  return concatTraceBatches([batch]);
}
