// createOtlpHandler: an OTLP/HTTP traces endpoint as a web-standard `(Request) => Response`
// function, so one implementation serves workerd, Deno.serve, browsers' service workers, Bun and
// Node (through any Request/Response adapter). It answers exactly as the OTLP spec and the
// collector's receiver do; the work after the response (exporting) goes to the caller's
// `waitUntil` (edge style) or is awaited before answering.
import { TraceBatch } from '../otlp/trace-batch.js';
import { CoreTrapError, InputTooLargeError, OtlpDecodeError } from '../core/errors.js';
import { OtlpJsonError } from '../otlp/json/otlp-json-error.js';
import { encodingOf, contentTypeOf } from '../otlp-http/otlp-encoding.js';
import type { OtlpEncoding } from '../otlp-http/otlp-encoding.js';
import { encodeRpcStatus, grpcCodeForHttpStatus } from '../otlp-http/rpc-status.js';
import { encodeExportResponse } from '../otlp-http/export-response.js';
import { formatRetryAfter } from '../otlp-http/retry-after.js';
import { PipelineRefusedError } from '../integrations/pipeline-refused-error.js';
import { runPipeline, refusalOf, tickPipeline } from '../integrations/pipeline-like.js';
import type { TracesPipelineLike } from '../integrations/pipeline-like.js';
import type { ExportOutcome, TracesExporter } from '../exporters/traces-exporter.js';
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
  /** Exports still running (scheduled through waitUntil or awaited). */
  exportsPending: number;
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
  if (o.path !== undefined && o.path !== null && !(typeof o.path === 'string' && o.path.startsWith('/'))) throw new TypeError(`createOtlpHandler: path must start with "/" (or be null for any path), got ${JSON.stringify(o.path)}`);
  if (o.refusedStatus !== undefined && o.refusedStatus !== 429 && o.refusedStatus !== 503) throw new RangeError(`createOtlpHandler: refusedStatus must be 429 or 503, got ${o.refusedStatus}`);
  const after = o.retryAfterSeconds;
  if (after !== undefined && !(Number.isFinite(after) && after >= 1)) throw new RangeError(`createOtlpHandler: retryAfterSeconds must be at least 1, got ${after}`);
}

export function createOtlpHandler(pipeline: TracesPipelineLike, options: OtlpHandlerOptions = {}): OtlpHandler {
  if (!pipeline || typeof pipeline.process !== 'function' || typeof pipeline.flush !== 'function') {
    throw new TypeError('createOtlpHandler(pipeline): pipeline must have process(batch, now) and flush(now)');
  }
  validate(options);
  const d = DEFAULT_OTLP_HANDLER_OPTIONS;
  const path = options.path === undefined ? d.path : options.path;
  const limit = options.maxRequestBodySize ?? d.maxRequestBodySize;
  const decode = { ...d.decode, ...options.decode };
  const exporters = [...(options.exporters ?? d.exporters)];
  const refusedStatus = options.refusedStatus ?? d.refusedStatus;
  const defaultRetryAfter = options.retryAfterSeconds ?? d.retryAfterSeconds;
  const now = options.now ?? d.now;
  const onError = options.onError ?? d.onError;
  const cors: CorsPolicy | undefined = options.cors ? corsPolicy(options.cors) : undefined;

  const stats: OtlpHandlerStats = { responses: {}, spansAccepted: 0, spansRejected: 0, spansRefused: 0, spansExported: 0, exportsPending: 0 };

  /** Hands batches to every exporter and disposes them; returns when all exporters are done. */
  function exportAll(batches: TraceBatch[]): Promise<unknown> | undefined {
    const work: Promise<ExportOutcome>[] = [];
    for (const batch of batches) {
      try {
        const spans = batch.spanCount;
        if (spans > 0) {
          stats.spansExported += spans;
          for (const exporter of exporters) {
            try {
              work.push(exporter.export(batch));
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

  async function answer(request: Request, context: WaitUntilContext | undefined): Promise<Answer> {
    if (path !== null && new URL(request.url).pathname !== path) return text(404, '404 page not found');
    if (request.method === 'OPTIONS' && cors) return { status: 0, body: null, headers: {} };
    if (request.method !== 'POST') return text(405, '405 method not allowed, supported: [POST]', { allow: 'POST' });
    const encoding = encodingOf(request.headers.get('content-type'));
    if (!encoding) return text(415, '415 unsupported media type, supported: [application/json, application/x-protobuf]');

    let batch: TraceBatch | undefined;
    // Spans of a request that decoded; counted as refused if it is then refused under pressure.
    let decoded = 0;
    try {
      const body = await readRequestBody(request, limit);
      // An empty request succeeds (the spec says SHOULD), without touching the pipeline.
      if (body.length === 0) return { status: 200, body: encodeExportResponse('traces', undefined, encoding), headers: { 'content-type': contentTypeOf(encoding) } };
      const decodeOptions = { ...decode, maxBytes: limit, allowEmpty: true };
      batch = encoding === 'json' ? TraceBatch.fromJSON(body, decodeOptions) : TraceBatch.fromProtobuf(body, decodeOptions);
      // Admission: data we could not hand on is refused now rather than acknowledged and dropped.
      const spans = batch.spanCount;
      decoded = spans;
      const full = exporters.find((e) => !e.accepting);
      if (full) {
        throw new PipelineRefusedError(`exporter ${full.id}: sending queue is full`);
      }
      const at = now();
      const outcome = runPipeline(pipeline, batch, at);
      batch = undefined; // the pipeline owns it now
      stats.spansAccepted += spans;
      stats.spansRejected += outcome.rejectedSpans;
      const released = [...outcome.batches, ...tickPipeline(pipeline, at)];
      const work = exportAll(released);
      if (work) {
        const settled = work.catch((err) => onError(err instanceof Error ? err : new Error(String(err))));
        if (context && typeof context.waitUntil === 'function') context.waitUntil(settled);
        else await settled;
      }
      const partial = outcome.rejectedSpans > 0 || outcome.message ? { rejected: outcome.rejectedSpans, message: outcome.message } : undefined;
      return { status: 200, body: encodeExportResponse('traces', partial, encoding), headers: { 'content-type': contentTypeOf(encoding) } };
    } catch (err) {
      const failed = classify(err, encoding);
      if (failed.status === 429 || failed.status === 503) stats.spansRefused += decoded;
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
    try {
      const work = exportAll(pipeline.flush(now()));
      await work;
    } catch (err) {
      onError(err instanceof Error ? err : new Error(String(err)));
    }
    await Promise.all(exporters.map((e) => e.forceFlush().catch((err: unknown) => onError(err instanceof Error ? err : new Error(String(err))))));
  };

  const tick = async (): Promise<void> => {
    try {
      await exportAll(tickPipeline(pipeline, now()));
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
