// Options of createOtlpHandler, field by field, with their defaults.
import type { DecodeOptions } from '../otlp/decode-options.js';
import type { SignalExporter, TracesExporter } from '../exporters/traces-exporter.js';
import type { CorsOptions } from './cors.js';

export interface OtlpHandlerOptions {
  /**
   * The URL path served (the collector's `traces_url_path`); other paths get 404. `null` serves
   * any path, for mounting the handler under your own router. Default `/v1/traces`.
   */
  path?: string | null;
  /** The path of logs (the collector's `logs_url_path`), when the pipeline runs logs. Default `/v1/logs`; `null` = any path. */
  logsPath?: string | null;
  /** The path of metrics (`metrics_url_path`), when the pipeline runs metrics. Default `/v1/metrics`; `null` = any path. */
  metricsPath?: string | null;
  /**
   * The largest request body in bytes, both as sent and after decompression (the collector's
   * `max_request_body_size`); over it the answer is 413. Default 20 MiB, like the collector
   * (the OTLP spec recommends at most 64 MiB).
   */
  maxRequestBodySize?: number;
  /**
   * Decode limits for every request: attributes/events/links per span (extras are dropped and
   * counted, as the SDKs do), AnyValue depth, spans per request. Default: DEFAULT_DECODE_OPTIONS.
   * The byte limit is `maxRequestBodySize`.
   */
  decode?: Omit<DecodeOptions, 'maxBytes' | 'allowEmpty' | 'source'>;
  /**
   * Where the pipeline's output goes: every exporter gets every output batch of the signals it
   * takes (`signals`; traces when it does not say). Default none (the output is discarded, e.g.
   * when a connector is all you need).
   */
  exporters?: readonly (TracesExporter | SignalExporter)[];
  /**
   * The status for data the pipeline refuses under pressure (or when an exporter's queue is full):
   * 503 as the collector answers its memory limiter, or 429. A refusal may choose its own.
   * Default 503.
   */
  refusedStatus?: 429 | 503;
  /** Retry-After (seconds) sent with a refusal that suggests none. Default 1. */
  retryAfterSeconds?: number;
  /** CORS for pages posting from other origins. Default `null`: none (OPTIONS gets 405). */
  cors?: CorsOptions | null;
  /** The pipeline's clock, Unix milliseconds. Default `Date.now`. */
  now?: () => number;
  /**
   * Told about what the client cannot see: unexpected errors (answered 500) and exports that
   * failed after the response (also counted by the exporters). Default: console.error.
   */
  onError?: (error: Error) => void;
}

export const DEFAULT_OTLP_HANDLER_OPTIONS: Readonly<Required<Omit<OtlpHandlerOptions, 'decode' | 'exporters' | 'cors'>> & {
  decode: Readonly<NonNullable<OtlpHandlerOptions['decode']>>;
  exporters: readonly (TracesExporter | SignalExporter)[];
  cors: null;
}> = Object.freeze({
  path: '/v1/traces',
  logsPath: '/v1/logs',
  metricsPath: '/v1/metrics',
  maxRequestBodySize: 20 * 1024 * 1024,
  decode: Object.freeze({}),
  exporters: Object.freeze([]) as readonly (TracesExporter | SignalExporter)[],
  refusedStatus: 503,
  retryAfterSeconds: 1,
  cors: null,
  now: () => Date.now(),
  onError: (error: Error) => console.error(`otel-sieve OTLP handler: ${error.stack ?? error.message}`),
});
