// Pushes derived metrics (span metrics, service graphs) over OTLP/HTTP with the same transport,
// config keys and guarantees as the traces exporter. Push when the connector's flush interval
// says so — from a timer in Node/Deno, from `scheduled` or `ctx.waitUntil` at the edge.
import { resolveOtlpHttpConfig } from '../otlphttp/otlphttp-config.js';
import type { OtlpHttpExporterConfig } from '../otlphttp/otlphttp-config.js';
import { OtlpHttpSender } from '../otlphttp/otlp-http-sender.js';
import type { OtlpHttpSenderOptions } from '../otlphttp/otlp-http-sender.js';
import type { ExportOutcome, ExporterStats } from '../traces-exporter.js';
import type { OtlpMetricsSource } from './metrics-source.js';

export interface OtlpHttpMetricsExporterOptions extends OtlpHttpSenderOptions {
  /** The id in messages and stats. Default `otlphttp/metrics`. */
  id?: string;
}

export class OtlpHttpMetricsExporter {
  readonly id: string;
  private readonly sender: OtlpHttpSender;

  constructor(private readonly source: OtlpMetricsSource, config: OtlpHttpExporterConfig, options: OtlpHttpMetricsExporterOptions = {}) {
    if (!source || typeof source.collect !== 'function') throw new TypeError('OtlpHttpMetricsExporter: source must have collect({ encoding, now })');
    this.id = options.id ?? 'otlphttp/metrics';
    this.sender = new OtlpHttpSender(this.id, 'metrics', resolveOtlpHttpConfig(config, 'metrics', this.id), options);
    this.now = options.now ?? Date.now;
  }

  private readonly now: () => number;

  get url(): string {
    return this.sender.config.url;
  }

  /** Collects from the source and sends it; never rejects (failures are counted and reported). */
  async push(): Promise<ExportOutcome> {
    const encoding = this.sender.config.encoding;
    let payload;
    try {
      payload = await this.source.collect({ encoding, now: this.now() });
    } catch (err) {
      return this.sender.lose('failed', 0, new Error(`collecting metrics failed: ${(err as Error)?.message ?? err}`, { cause: err }));
    }
    if (!payload || payload.dataPoints === 0) return { delivered: 0, lost: 0 };
    const wantBytes = encoding === 'protobuf';
    if (wantBytes !== payload.body instanceof Uint8Array) {
      return this.sender.lose('failed', payload.dataPoints, new Error(`the metrics source returned ${wantBytes ? 'text' : 'bytes'} for encoding ${encoding === 'protobuf' ? 'proto' : 'json'}`));
    }
    return this.sender.send({ body: payload.body, items: payload.dataPoints });
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
