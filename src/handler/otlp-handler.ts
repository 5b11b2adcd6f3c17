// createOtlpHandler: an OTLP/HTTP endpoint — /v1/traces, /v1/logs, /v1/metrics for the signals its
// pipeline runs — as a web-standard `(Request) => Response` function, so one implementation serves
// workerd, Deno.serve, browsers' service workers, Bun and Node (through any Request/Response
// adapter). It answers exactly as the OTLP spec and the collector's receiver do; the work after the
// response (exporting) goes to the caller's `waitUntil` (edge style) or is awaited before answering.
import { TraceBatch } from '../otlp/trace-batch.js';
import { LogBatch } from '../otlp/log-batch.js';
import { MetricBatch } from '../otlp/metric-batch.js';
import { batchItemCount } from '../otlp/batch-concat.js';
import type { Signal } from '../config/collector-config.js';
import { CoreTrapError, InputTooLargeError, OtlpDecodeError } from '../core/errors.js';
import { OtlpJsonError } from '../otlp/json/otlp-json-error.js';
import { encodingOf, contentTypeOf } from '../otlp-http/otlp-encoding.js';
import type { OtlpEncoding } from '../otlp-http/otlp-encoding.js';
import { encodeRpcStatus, grpcCodeForHttpStatus } from '../otlp-http/rpc-status.js';
import { encodeExportResponse } from '../otlp-http/export-response.js';
import { formatRetryAfter } from '../otlp-http/retry-after.js';
import { PipelineRefusedError } from '../integrations/pipeline-refused-error.js';
import { runPipeline, refusalOf, signalPipelines, tickPipeline } from '../integrations/pipeline-like.js';
import type { MultiSignalPipelineLike, OtlpPipelines, SignalPipelineLike, TracesPipelineLike } from '../integrations/pipeline-like.js';
import { exporterSignals } from '../exporters/traces-exporter.js';
import type { ExportOutcome, SignalExporter, TracesExporter } from '../exporters/traces-exporter.js';
import { readRequestBody, RequestEncodingError, RequestTooLargeError } from './read-request-body.js';
import { corsPolicy } from './cors.js';
import type { CorsPolicy } from './cors.js';
import { DEFAULT_OTLP_HANDLER_OPTIONS } from './otlp-handler-options.js';
import type { OtlpHandlerOptions } from './otlp-handler-options.js';

/** The part of a Workers ExecutionContext (or similar) the handler uses. */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}

export interface OtlpHandlerStats {
  /** Requests answered, by HTTP status. */
  responses: Record<number, number>;
  /** Spans in requests the pipeline accepted. */
  spansAccepted: number;
  /** Spans the pipeline rejected as invalid (sent back as partial_success). */
  spansRejected: number;
  /** Spans of decoded requests refused under pressure (answered 429/503; the client retries them). */
  spansRefused: number;
  /** Spans handed to the exporters. */
  spansExported: number;
  /** The same for log records (/v1/logs). */
  logRecordsAccepted: number;
  logRecordsRejected: number;
  logRecordsRefused: number;
  logRecordsExported: number;
  /** The same for metric data points (/v1/metrics). */
  dataPointsAccepted: number;
  dataPointsRejected: number;
  dataPointsRefused: number;
  dataPointsExported: number;
  /** Exports still running (scheduled through waitUntil or awaited). */
  exportsPending: number;
}

type AnyBatch = TraceBatch | LogBatch | MetricBatch;
type AnyExporter = TracesExporter | SignalExporter;

/** Stats keys per signal. */
type StatKey = Exclude<keyof OtlpHandlerStats, 'responses'>;
const STAT_KEYS: Readonly<Record<Signal, { accepted: StatKey; rejected: StatKey; refused: StatKey; exported: StatKey }>> = {
  traces: { accepted: 'spansAccepted', rejected: 'spansRejected', refused: 'spansRefused', exported: 'spansExported' },
  logs: { accepted: 'logRecordsAccepted', rejected: 'logRecordsRejected', refused: 'logRecordsRefused', exported: 'logRecordsExported' },
  metrics: { accepted: 'dataPointsAccepted', rejected: 'dataPointsRejected', refused: 'dataPointsRefused', exported: 'dataPointsExported' },
};

const SIGNAL_ORDER: readonly Signal[] = ['traces', 'logs', 'metrics'];

function decodeAs(signal: Signal, encoding: OtlpEncoding, body: Uint8Array, options: object): AnyBatch {
  if (signal === 'logs') return encoding === 'json' ? LogBatch.fromJSON(body, options) : LogBatch.fromProtobuf(body, options);
  if (signal === 'metrics') return encoding === 'json' ? MetricBatch.fromJSON(body, options) : MetricBatch.fromProtobuf(body, options);
  return encoding === 'json' ? TraceBatch.fromJSON(body, options) : TraceBatch.fromProtobuf(body, options);
}

export type OtlpHandler = ((request: Request, context?: WaitUntilContext | object) => Promise<Response>) & {
  /**
   * Drains the pipeline (every buffer: tail-sampling decisions, batches) into the exporters and
   * waits for them; for shutdown, or `ctx.waitUntil(handler.flush())` at the edge. Never rejects.
   */
  flush(): Promise<void>;
  /**
   * Runs the pipeline's timers at `now()` (tail-sampling decisions after decision_wait, batch
   * timeouts) and exports what they release. Requests run them too; a long-running server calls
   * this from a timer so traces are decided while no request arrives. Never rejects.
   */
  tick(): Promise<void>;
  stats(): OtlpHandlerStats;
};

interface Answer {
  status: number;
  body: Uint8Array | string | null;
  headers: Record<string, string>;
}

const text = (status: number, message: string, headers: Record<string, string> = {}): Answer => ({
  status,
  body: message,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
});

function statusAnswer(status: number, message: string, encoding: OtlpEncoding, headers: Record<string, string> = {}): Answer {
  return { status, body: encodeRpcStatus(grpcCodeForHttpStatus(status), message, encoding), headers: { 'content-type': contentTypeOf(encoding), ...headers } };
}

function validate(o: OtlpHandlerOptions): void {
  const size = o.maxRequestBodySize;
  if (size !== undefined && !(Number.isSafeInteger(size) && size > 0)) throw new RangeError(`createOtlpHandler: maxRequestBodySize must be a positive integer (bytes), got ${size}`);
  for (const key of ['path', 'logsPath', 'metricsPath'] as const) {
    const v = o[key];
    if (v !== undefined && v !== null && !(typeof v === 'string' && v.startsWith('/'))) throw new TypeError(`createOtlpHandler: ${key} must start with "/" (or be null for any path), got ${JSON.stringify(v)}`);
  }
  if (o.refusedStatus !== undefined && o.refusedStatus !== 429 && o.refusedStatus !== 503) throw new RangeError(`createOtlpHandler: refusedStatus must be 429 or 503, got ${o.refusedStatus}`);
  const after = o.retryAfterSeconds;
  if (after !== undefined && !(Number.isFinite(after) && after >= 1)) throw new RangeError(`createOtlpHandler: retryAfterSeconds must be at least 1, got ${after}`);
}

/**
 * `pipeline`: a traces pipeline (`{ process, flush, tick? }`), the collector-shaped Pipeline (every
 * signal its config feeds from a receiver is served), or `{ traces?, logs?, metrics? }`.
 */
export function createOtlpHandler(pipeline: TracesPipelineLike | OtlpPipelines | MultiSignalPipelineLike, options: OtlpHandlerOptions = {}): OtlpHandler {
  const pipelines = signalPipelines(pipeline, 'createOtlpHandler(pipeline)');
  validate(options);
  const d = DEFAULT_OTLP_HANDLER_OPTIONS;
  const served = SIGNAL_ORDER.filter((s) => pipelines[s] !== undefined);
  const paths: Record<Signal, string | null> = {
    traces: options.path === undefined ? d.path : options.path,
    logs: options.logsPath === undefined ? d.logsPath : options.logsPath,
    metrics: options.metricsPath === undefined ? d.metricsPath : options.metricsPath,
  };
  const catchAll = served.filter((s) => paths[s] === null);
  if (catchAll.length > 1) throw new TypeError(`createOtlpHandler: only one signal can serve any path (null), got ${catchAll.join(' and ')}`);
  /** The signal a request path goes to: an exact match, else the signal serving any path. */
  const route = (pathname: string): Signal | undefined => served.find((s) => paths[s] === pathname) ?? catchAll[0];
  const limit = options.maxRequestBodySize ?? d.maxRequestBodySize;
  const decode = { ...d.decode, ...options.decode };
  const exporters: AnyExporter[] = [...(options.exporters ?? d.exporters)];
  const exportersFor = (signal: Signal) => exporters.filter((e) => exporterSignals(e).includes(signal));
  const refusedStatus = options.refusedStatus ?? d.refusedStatus;
  const defaultRetryAfter = options.retryAfterSeconds ?? d.retryAfterSeconds;
  const now = options.now ?? d.now;
  const onError = options.onError ?? d.onError;
  const cors: CorsPolicy | undefined = options.cors ? corsPolicy(options.cors) : undefined;

  const stats: OtlpHandlerStats = {
    responses: {}, spansAccepted: 0, spansRejected: 0, spansRefused: 0, spansExported: 0,
    logRecordsAccepted: 0, logRecordsRejected: 0, logRecordsRefused: 0, logRecordsExported: 0,
    dataPointsAccepted: 0, dataPointsRejected: 0, dataPointsRefused: 0, dataPointsExported: 0, exportsPending: 0,
  };
  const count = (key: StatKey, n: number) => {
    stats[key] += n;
  };

  /** Hands a signal's batches to every exporter of that signal and disposes them; returns when all are done. */
  function exportAll(signal: Signal, batches: AnyBatch[]): Promise<unknown> | undefined {
    const work: Promise<ExportOutcome>[] = [];
    const targets = exportersFor(signal);
    for (const batch of batches) {
      try {
        const items = batchItemCount(batch);
        if (items > 0) {
          count(STAT_KEYS[signal].exported, items);
          for (const exporter of targets) {
            try {
              work.push((exporter as SignalExporter).export(batch));
            } catch (err) {
              onError(new Error(`exporter ${exporter.id} threw from export(): ${(err as Error)?.message ?? err}`, { cause: err }));
            }
          }
        }
      } finally {
        batch.dispose();
      }
    }
    if (!work.length) return undefined;
    stats.exportsPending++;
    return Promise.all(work).finally(() => stats.exportsPending--);
  }

  function refuse(refusal: PipelineRefusedError, encoding: OtlpEncoding): Answer {
    const status = refusal.status ?? refusedStatus;
    const after = refusal.retryAfterSeconds ?? defaultRetryAfter;
    return statusAnswer(status, refusal.message, encoding, { 'retry-after': formatRetryAfter(after) });
  }

  function classify(err: unknown, encoding: OtlpEncoding): Answer {
    if (err instanceof RequestTooLargeError || err instanceof InputTooLargeError) return statusAnswer(413, err.message, encoding);
    if (err instanceof RequestEncodingError) return statusAnswer(400, err.message, encoding);
    if (err instanceof OtlpJsonError) return statusAnswer(err.rule === 'input-too-large' ? 413 : 400, `invalid OTLP/JSON: ${err.message}`, encoding);
    if (err instanceof OtlpDecodeError) {
      // The core's memory budget is exhausted: pressure, not bad data; the client should retry.
      if (err.rule === 'out of memory') return refuse(new PipelineRefusedError(err.message), encoding);
      if (err.rule === 'input too large') return statusAnswer(413, err.message, encoding);
      return statusAnswer(400, `invalid OTLP protobuf: ${err.message}`, encoding);
    }
    const refusal = refusalOf(err);
    if (refusal) return refuse(refusal, encoding);
    const error = err instanceof Error ? err : new Error(String(err));
    onError(error);
    const what = err instanceof CoreTrapError ? 'internal error (the WebAssembly core trapped; it was replaced)' : `internal error: ${error.message}`;
    return statusAnswer(500, what, encoding);
  }

  /** Ticks every served signal (traces first: logs may wait for trace decisions) and exports what that releases. */
  function tickAll(at: number): Promise<unknown>[] {
    const work: Promise<unknown>[] = [];
    for (const s of served) {
      const w = exportAll(s, tickPipeline(pipelines[s] as SignalPipelineLike<AnyBatch>, at));
      if (w) work.push(w);
    }
    return work;
  }

  async function answer(request: Request, context: WaitUntilContext | undefined): Promise<Answer> {
    const signal = route(new URL(request.url).pathname);
    if (!signal) return text(404, '404 page not found');
    const signalPipeline = pipelines[signal] as SignalPipelineLike<AnyBatch>;
    if (request.method === 'OPTIONS' && cors) return { status: 0, body: null, headers: {} };
    if (request.method !== 'POST') return text(405, '405 method not allowed, supported: [POST]', { allow: 'POST' });
    const encoding = encodingOf(request.headers.get('content-type'));
    if (!encoding) return text(415, '415 unsupported media type, supported: [application/json, application/x-protobuf]');

    let batch: AnyBatch | undefined;
    // Items of a request that decoded; counted as refused if it is then refused under pressure.
    let decoded = 0;
    try {
      const body = await readRequestBody(request, limit);
      // An empty request succeeds (the spec says SHOULD), without touching the pipeline.
      if (body.length === 0) return { status: 200, body: encodeExportResponse(signal, undefined, encoding), headers: { 'content-type': contentTypeOf(encoding) } };
      const decodeOptions = { ...decode, maxBytes: limit, allowEmpty: true };
      batch = decodeAs(signal, encoding, body, decodeOptions);
      // Admission: data we could not hand on is refused now rather than acknowledged and dropped.
      const items = batchItemCount(batch);
      decoded = items;
      const full = exportersFor(signal).find((e) => !e.accepting);
      if (full) {
        throw new PipelineRefusedError(`exporter ${full.id}: sending queue is full`);
      }
      const at = now();
      const outcome = runPipeline(signalPipeline, batch, at);
      batch = undefined; // the pipeline owns it now
      count(STAT_KEYS[signal].accepted, items);
      count(STAT_KEYS[signal].rejected, outcome.rejectedSpans);
      const work: Promise<unknown>[] = [];
      const released = exportAll(signal, outcome.batches);
      if (released) work.push(released);
      work.push(...tickAll(at));
      if (work.length) {
        const settled = Promise.all(work).catch((err) => onError(err instanceof Error ? err : new Error(String(err))));
        if (context && typeof context.waitUntil === 'function') context.waitUntil(settled);
        else await settled;
      }
      const partial = outcome.rejectedSpans > 0 || outcome.message ? { rejected: outcome.rejectedSpans, message: outcome.message } : undefined;
      return { status: 200, body: encodeExportResponse(signal, partial, encoding), headers: { 'content-type': contentTypeOf(encoding) } };
    } catch (err) {
      const failed = classify(err, encoding);
      if (failed.status === 429 || failed.status === 503) count(STAT_KEYS[signal].refused, decoded);
      return failed;
    } finally {
      batch?.dispose();
    }
  }

  const handler = async (request: Request, context?: WaitUntilContext | object): Promise<Response> => {
    const ctx = context && typeof (context as WaitUntilContext).waitUntil === 'function' ? (context as WaitUntilContext) : undefined;
    let response: Response;
    const a = await answer(request, ctx);
    if (a.status === 0) response = cors!.preflight(request);
    else {
      const headers = new Headers(a.headers);
      const origin = cors?.allow(request.headers.get('origin'));
      if (origin) {
        headers.set('access-control-allow-origin', origin);
        headers.append('vary', 'Origin');
      }
      response = new Response(a.body as BodyInit | null, { status: a.status, headers });
    }
    stats.responses[response.status] = (stats.responses[response.status] ?? 0) + 1;
    return response;
  };

  const flush = async (): Promise<void> => {
    // Traces first: logs that follow their traces are released by the decisions a traces flush makes.
    const at = now();
    for (const s of served) {
      try {
        await exportAll(s, (pipelines[s] as SignalPipelineLike<AnyBatch>).flush(at));
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
      }
    }
    await Promise.all(exporters.map((e) => e.forceFlush().catch((err: unknown) => onError(err instanceof Error ? err : new Error(String(err))))));
  };

  const tick = async (): Promise<void> => {
    try {
      await Promise.all(tickAll(now()));
    } catch (err) {
      onError(err instanceof Error ? err : new Error(String(err)));
    }
  };

  return Object.assign(handler, {
    flush,
    tick,
    stats: (): OtlpHandlerStats => ({ ...stats, responses: { ...stats.responses } }),
  });
}
