// The otlphttp exporter: the collector's exporter of the same name, on fetch, so it runs wherever
// the handler does — for traces, logs and metrics, each to its own URL (`endpoint` + /v1/<signal>,
// or `traces_endpoint` / `logs_endpoint` / `metrics_endpoint`) with its own queue. Batches are
// encoded when handed over (protobuf: a copy of the bytes the splice encoder produced; JSON: the
// strict OTLP/JSON text) and sent by the shared transport.
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { LogBatch } from '../../otlp/log-batch.js';
import type { MetricBatch } from '../../otlp/metric-batch.js';
import { batchSignal } from '../../otlp/batch-signal.js';
import { batchItemCount } from '../../otlp/batch-concat.js';
import type { Signal } from '../../config/collector-config.js';
import { emptyStats } from '../traces-exporter.js';
import type { ExportOutcome, ExporterStats, SignalExporter } from '../traces-exporter.js';
import { resolveOtlpHttpConfig } from './otlphttp-config.js';
import type { OtlpHttpExporterConfig } from './otlphttp-config.js';
import { OtlpHttpSender } from './otlp-http-sender.js';
import type { OtlpHttpSenderOptions } from './otlp-http-sender.js';

export interface OtlpHttpExporterOptions extends OtlpHttpSenderOptions {
  /** The id in messages and stats, like a collector component id. Default `otlphttp`. */
  id?: string;
}

export class OtlpHttpExporter implements SignalExporter {
  readonly id: string;
  /** The signals the config gives a URL for (`endpoint` gives all three). */
  readonly signals: readonly Signal[];
  private readonly senders = new Map<Signal, OtlpHttpSender>();

  /** `config` uses the collector's keys (see OtlpHttpExporterConfig); errors name the key. */
  constructor(config: OtlpHttpExporterConfig, options: OtlpHttpExporterOptions = {}) {
    this.id = options.id ?? 'otlphttp';
    let first: unknown;
    for (const signal of ['traces', 'logs', 'metrics'] as const) {
      try {
        this.senders.set(signal, new OtlpHttpSender(this.id, signal, resolveOtlpHttpConfig(config, signal, this.id), options));
      } catch (err) {
        // A signal without a URL is simply not exported; other config errors are errors.
        if (!(err instanceof TypeError && /either endpoint or \w+_endpoint must be specified/.test(err.message))) throw err;
        first ??= err;
      }
    }
    if (!this.senders.size) throw first;
    this.signals = [...this.senders.keys()];
  }

  /** The URL requests go to (traces' when it has one, else the first signal's). */
  get url(): string {
    return (this.senders.get('traces') ?? [...this.senders.values()][0]!).config.url;
  }

  /** The URL of one signal, or undefined when the config gives it none. */
  urlFor(signal: Signal): string | undefined {
    return this.senders.get(signal)?.config.url;
  }

  get accepting(): boolean {
    for (const s of this.senders.values()) if (!s.accepting) return false;
    return true;
  }

  /** sending_queue.queue_size (one queue per signal, all of that size), or 0 when the queue is disabled. */
  get queueCapacity(): number {
    const q = [...this.senders.values()][0]!.config.queue;
    return q.enabled ? q.queueSize : 0;
  }

  export(batch: TraceBatch | LogBatch | MetricBatch): Promise<ExportOutcome> {
    let items = 0;
    let body: Uint8Array | string;
    const signal = batchSignal(batch);
    const sender = this.senders.get(signal);
    try {
      items = batchItemCount(batch);
      if (!sender) {
        const any = [...this.senders.values()][0]!;
        return Promise.resolve(any.lose('dropped', items, new Error(`${this.id} has no URL for ${signal} (set endpoint or ${signal}_endpoint)`)));
      }
      if (items === 0) return Promise.resolve({ delivered: 0, lost: 0 });
      body = sender.config.encoding === 'protobuf' ? batch.toProtobuf() : JSON.stringify(batch.toJSON());
    } catch (err) {
      return Promise.resolve((sender ?? [...this.senders.values()][0]!).lose('failed', items, new Error(`could not encode the batch: ${(err as Error)?.message ?? err}`, { cause: err })));
    }
    return sender.send({ body, items });
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.senders.values()].map((s) => s.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.senders.values()].map((s) => s.shutdown()));
  }

  /** Counters summed over the signals (items are spans, log records and data points). */
  stats(): ExporterStats {
    const total = emptyStats();
    for (const s of this.senders.values()) {
      const c = s.stats();
      for (const k of Object.keys(total) as (keyof ExporterStats)[]) total[k] += c[k];
    }
    return total;
  }
}
