// The otlphttp traces exporter: the collector's exporter of the same name, on fetch, so it runs
// wherever the handler does. Batches are encoded when handed over (protobuf: a copy of the bytes
// the splice encoder produced; JSON: the strict OTLP/JSON text) and sent by the shared transport.
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { ExportOutcome, ExporterStats, TracesExporter } from '../traces-exporter.js';
import { resolveOtlpHttpConfig } from './otlphttp-config.js';
import type { OtlpHttpExporterConfig } from './otlphttp-config.js';
import { OtlpHttpSender } from './otlp-http-sender.js';
import type { OtlpHttpSenderOptions } from './otlp-http-sender.js';

export interface OtlpHttpExporterOptions extends OtlpHttpSenderOptions {
  /** The id in messages and stats, like a collector component id. Default `otlphttp`. */
  id?: string;
}

export class OtlpHttpExporter implements TracesExporter {
  readonly id: string;
  private readonly sender: OtlpHttpSender;

  /** `config` uses the collector's keys (see OtlpHttpExporterConfig); errors name the key. */
  constructor(config: OtlpHttpExporterConfig, options: OtlpHttpExporterOptions = {}) {
    this.id = options.id ?? 'otlphttp';
    this.sender = new OtlpHttpSender(this.id, 'traces', resolveOtlpHttpConfig(config, 'traces', this.id), options);
  }

  /** The URL requests go to. */
  get url(): string {
    return this.sender.config.url;
  }

  get accepting(): boolean {
    return this.sender.accepting;
  }

  /** sending_queue.queue_size, or 0 when the queue is disabled. */
  get queueCapacity(): number {
    const q = this.sender.config.queue;
    return q.enabled ? q.queueSize : 0;
  }

  export(batch: TraceBatch): Promise<ExportOutcome> {
    let spans = 0;
    let body: Uint8Array | string;
    try {
      spans = batch.spanCount;
      if (spans === 0) return Promise.resolve({ delivered: 0, lost: 0 });
      body = this.sender.config.encoding === 'protobuf' ? batch.toProtobuf() : JSON.stringify(batch.toJSON());
    } catch (err) {
      return Promise.resolve(this.sender.lose('failed', spans, new Error(`could not encode the batch: ${(err as Error)?.message ?? err}`, { cause: err })));
    }
    return this.sender.send({ body, items: spans });
  }

  forceFlush(): Promise<void> {
    return this.sender.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.sender.shutdown();
  }

  stats(): ExporterStats {
    return this.sender.stats();
  }
}
