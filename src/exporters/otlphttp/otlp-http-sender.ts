// The otlphttp transport shared by the traces and metrics exporters: a bounded queue drained by
// `num_consumers` workers, gzip once per request, and retries with backoff that honour
// Retry-After without ever waiting past max_elapsed_time. Every request ends as delivered,
// rejected (partial success), failed or dropped — counted, and reported to onFailure.
import { Backoff } from './backoff.js';
import { sendAttempt } from './send-attempt.js';
import type { ResolvedOtlpHttpConfig } from './otlphttp-config.js';
import { contentTypeOf } from '../../otlp-http/otlp-encoding.js';
import type { OtlpSignal } from '../../otlp-http/export-response.js';
import { emptyStats, logFailure } from '../traces-exporter.js';
import type { ExportFailure, ExportOutcome, ExporterStats } from '../traces-exporter.js';

/** Options that are not collector config: hooks for the host and for tests. */
export interface OtlpHttpSenderOptions {
  /** The fetch to use. Default globalThis.fetch (looked up at send time). */
  fetch?: typeof fetch;
  /** Response bodies are read up to this many bytes; more is a permanent error. Default 4 MiB (the OTLP spec). */
  maxResponseBodySize?: number;
  /** Requests larger than this (before compression) are not sent (counted as failed). Default 64 MiB (the OTLP spec). */
  maxRequestBodySize?: number;
  /** Where failures and warnings go. Default: one console.warn line each. */
  onFailure?: (failure: ExportFailure) => void;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Clock, Unix ms. Default Date.now. */
  now?: () => number;
}

export const DEFAULT_OTLP_HTTP_SENDER_OPTIONS = Object.freeze({
  maxResponseBodySize: 4 * 1024 * 1024,
  maxRequestBodySize: 64 * 1024 * 1024,
});

export interface Payload {
  /** The encoded Export*ServiceRequest: bytes for protobuf, text for JSON. */
  body: Uint8Array | string;
  /** Spans / data points in it, for the counters. */
  items: number;
}

interface Pending {
  payload: Payload;
  resolve(outcome: ExportOutcome): void;
}

const textEncoder = new TextEncoder();

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class OtlpHttpSender {
  private readonly queue: Pending[] = [];
  private active = 0;
  private closed = false;
  private readonly idle: (() => void)[] = [];
  private readonly counters: ExporterStats = emptyStats();
  private readonly maxResponse: number;
  private readonly maxRequest: number;
  private readonly onFailure: (f: ExportFailure) => void;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    readonly id: string,
    private readonly signal: OtlpSignal,
    readonly config: ResolvedOtlpHttpConfig,
    private readonly options: OtlpHttpSenderOptions = {},
  ) {
    this.maxResponse = options.maxResponseBodySize ?? DEFAULT_OTLP_HTTP_SENDER_OPTIONS.maxResponseBodySize;
    this.maxRequest = options.maxRequestBodySize ?? DEFAULT_OTLP_HTTP_SENDER_OPTIONS.maxRequestBodySize;
    this.onFailure = options.onFailure ?? logFailure;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** False when the queue is full (or the sender is shut down): new data would be dropped. */
  get accepting(): boolean {
    return !this.closed && (!this.config.queue.enabled || this.queue.length < this.config.queue.queueSize);
  }

  stats(): ExporterStats {
    return { ...this.counters, queued: this.queue.length, inFlight: this.active };
  }

  /** Queues a request; the promise settles when it is delivered or given up, and never rejects. */
  send(payload: Payload): Promise<ExportOutcome> {
    this.counters.received += payload.items;
    if (this.closed) return Promise.resolve(this.lose('dropped', payload.items, new Error(`${this.id} is shut down`)));
    if (!this.config.queue.enabled) {
      this.active++;
      return this.deliver(payload).finally(() => this.done());
    }
    if (this.queue.length >= this.config.queue.queueSize) {
      return Promise.resolve(this.lose('dropped', payload.items, new Error(`sending queue is full (queue_size ${this.config.queue.queueSize})`)));
    }
    return new Promise<ExportOutcome>((resolve) => {
      this.queue.push({ payload, resolve });
      this.pump();
    });
  }

  /** Settles when the queue is empty and nothing is in flight. */
  forceFlush(): Promise<void> {
    if (this.queue.length === 0 && this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops taking requests (later ones are dropped, counted), then drains what is queued. */
  shutdown(): Promise<void> {
    this.closed = true;
    return this.forceFlush();
  }

  private pump(): void {
    while (this.active < this.config.queue.numConsumers && this.queue.length) {
      const item = this.queue.shift()!;
      this.active++;
      this.deliver(item.payload).then(item.resolve).finally(() => this.done());
    }
  }

  private done(): void {
    this.active--;
    this.pump();
    if (this.queue.length === 0 && this.active === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Counts and reports items that will not be delivered (also for callers that fail before send()). */
  lose(kind: 'dropped' | 'failed' | 'rejected', items: number, error: Error, delivered = 0): ExportOutcome {
    this.counters[kind] += items;
    this.counters.delivered += delivered;
    try {
      this.onFailure({ exporter: this.id, kind, items, error });
    } catch {
      // A throwing reporter must not turn a counted loss into an unhandled rejection.
    }
    return { delivered, lost: items, error };
  }

  private warn(message: string): void {
    try {
      this.onFailure({ exporter: this.id, kind: 'warning', items: 0, error: new Error(message) });
    } catch {
      // see lose()
    }
  }

  private async deliver(payload: Payload): Promise<ExportOutcome> {
    const { config } = this;
    try {
      const raw = typeof payload.body === 'string' ? textEncoder.encode(payload.body) : payload.body;
      if (raw.length > this.maxRequest) {
        return this.lose('failed', payload.items, new Error(`request of ${raw.length} bytes is over the limit of ${this.maxRequest} bytes; not sent (OTLP clients must not send over-limit requests)`));
      }
      const body = config.gzip ? await gzip(raw) : raw;
      const headers = new Headers(config.headers);
      headers.set('content-type', contentTypeOf(config.encoding));
      if (config.gzip) headers.set('content-encoding', 'gzip');
      const started = this.now();
      const backoff = new Backoff(config.retry, this.random);
      for (let attempt = 1; ; attempt++) {
        const result = await sendAttempt({
          url: config.url,
          signal: this.signal,
          encoding: config.encoding,
          headers,
          body,
          timeoutMs: config.timeoutMs,
          maxResponseBytes: this.maxResponse,
          fetch: this.options.fetch ?? globalThis.fetch,
          now: this.now,
        });
        if (result.kind === 'ok') {
          if (result.warning) this.warn(result.warning);
          const p = result.partial;
          if (p && p.rejected > 0) {
            const rejected = Math.min(p.rejected, payload.items);
            return this.lose('rejected', rejected, new Error(`partial success: the server rejected ${p.rejected} item(s)${p.message ? `: ${p.message}` : ''}`), payload.items - rejected);
          }
          if (p && p.message) this.warn(`partial success with a warning: ${p.message}`);
          this.counters.delivered += payload.items;
          return { delivered: payload.items, lost: 0 };
        }
        if (result.kind === 'permanent') return this.lose('failed', payload.items, result.error);
        if (!config.retry.enabled) return this.lose('failed', payload.items, new Error(`${result.error.message} (retry_on_failure disabled)`, { cause: result.error }));
        // Retry-After can lengthen the wait, never shorten it below the backoff: `0`, a past
        // date or garbage cannot make us hammer the server.
        const wait = Math.max(backoff.next(), result.retryAfterMs ?? 0);
        const elapsed = this.now() - started;
        if (!backoff.fits(elapsed, wait)) {
          return this.lose('failed', payload.items, new Error(`${result.error.message}; giving up after ${attempt} attempt(s): the next wait of ${Math.round(wait)} ms would end past max_elapsed_time (${config.retry.maxElapsedMs} ms)`, { cause: result.error }));
        }
        this.counters.retries++;
        await sleep(wait);
      }
    } catch (err) {
      // Only a bug gets here (everything above reports through results); still never reject.
      return this.lose('failed', payload.items, err instanceof Error ? err : new Error(String(err)));
    }
  }
}
