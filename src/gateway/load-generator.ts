// The demo's traffic: realistic microservice traces from the bench corpus generator (10 services,
// errors, slow calls, queues), sent over OTLP/HTTP protobuf to the gateway itself at a steady rate,
// like an SDK's exporter would — a refusal (429/503) pauses sending for its Retry-After and the
// request is retried, as exporters do. Timestamps are current: the generator is re-based on the
// clock every second, so the trace store, Tempo's API and the page see live data.
import { TraceCorpusGenerator } from '../../bench/corpus.js';

export interface LoadGeneratorOptions {
  /** The OTLP/HTTP traces URL (…/v1/traces). */
  url: string;
  /** Target rate. Default 5000 spans/s. */
  spansPerSecond?: number;
  /** Spans per request (an SDK batch). Default 256. */
  spansPerRequest?: number;
  /** Requests in flight at most. Default 4. */
  concurrency?: number;
  /** First PRNG seed (each second's generator uses the next). Default 1. */
  seed?: number;
  /** Clock, Unix ms. Default Date.now. */
  now?: () => number;
}

export interface LoadGeneratorStats {
  /** Spans acknowledged with 200. */
  sent: number;
  /** Requests answered 429/503 (retried after Retry-After). */
  refused: number;
  /** Requests that failed otherwise (network errors, other statuses); not retried. */
  failed: number;
  requests: number;
}

const TICK_MS = 50;

export class LoadGenerator {
  private readonly rate: number;
  private readonly perRequest: number;
  private readonly concurrency: number;
  private readonly now: () => number;
  private generator: TraceCorpusGenerator | undefined;
  private generatorSecond = -1;
  private seed: number;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private scheduled = 0;
  private inFlight = 0;
  private pausedUntil = 0;
  private retry: { body: Uint8Array; spans: number }[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly counts: LoadGeneratorStats = { sent: 0, refused: 0, failed: 0, requests: 0 };

  constructor(private readonly options: LoadGeneratorOptions) {
    this.rate = options.spansPerSecond ?? 5000;
    this.perRequest = options.spansPerRequest ?? 256;
    this.concurrency = options.concurrency ?? 4;
    this.now = options.now ?? Date.now;
    this.seed = options.seed ?? 1;
    if (!(this.rate > 0)) throw new RangeError(`load generator: spansPerSecond must be positive, got ${this.rate}`);
  }

  start(): void {
    this.startedAt = this.now();
    this.timer = setInterval(() => this.pump(), TICK_MS);
  }

  /** Stops sending and waits for requests in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.running]);
  }

  stats(): LoadGeneratorStats {
    return { ...this.counts };
  }

  /** A request of fresh traces, timestamped around now. */
  private nextRequest(): { body: Uint8Array; spans: number } {
    const now = this.now();
    const second = Math.floor(now / 1000);
    if (!this.generator || second !== this.generatorSecond) {
      this.generatorSecond = second;
      this.generator = new TraceCorpusGenerator({ seed: this.seed++, spansPerRequest: this.perRequest, baseTimeUnixNano: BigInt(now) * 1_000_000n });
    }
    return { body: this.generator.nextRequest(false), spans: this.perRequest };
  }

  private pump(): void {
    const now = this.now();
    if (now < this.pausedUntil) return;
    const due = ((now - this.startedAt) / 1000) * this.rate;
    while (this.inFlight < this.concurrency && (this.retry.length || this.scheduled < due)) {
      let payload = this.retry.shift();
      if (!payload) {
        payload = this.nextRequest();
        this.scheduled += payload.spans;
      }
      this.send(payload);
    }
  }

  private send(payload: { body: Uint8Array; spans: number }): void {
    this.inFlight++;
    this.counts.requests++;
    const done = (async () => {
      try {
        const res = await fetch(this.options.url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: payload.body as BodyInit });
        await res.arrayBuffer();
        if (res.status === 200) this.counts.sent += payload.spans;
        else if (res.status === 429 || res.status === 503) {
          this.counts.refused++;
          const after = Number(res.headers.get('retry-after'));
          this.pausedUntil = this.now() + (Number.isFinite(after) && after > 0 ? after * 1000 : 1000);
          this.retry.push(payload);
        } else this.counts.failed++;
      } catch {
        this.counts.failed++;
      } finally {
        this.inFlight--;
      }
    })();
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }
}
