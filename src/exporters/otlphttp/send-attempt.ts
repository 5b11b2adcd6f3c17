// One OTLP/HTTP request and what its answer means, per the OTLP spec: 2xx is success (perhaps
// partial), 429/502/503/504 and network failures are retryable (honouring Retry-After), every
// other status is permanent. Response bodies are read up to a cap (4 MiB by default); a bigger one
// is a permanent error, so a hostile or broken server cannot exhaust memory.
import { readCapped, StreamTooLargeError } from '../../otlp-http/read-capped.js';
import { decodeExportResponse } from '../../otlp-http/export-response.js';
import type { OtlpSignal, PartialSuccess } from '../../otlp-http/export-response.js';
import { encodingOf } from '../../otlp-http/otlp-encoding.js';
import type { OtlpEncoding } from '../../otlp-http/otlp-encoding.js';
import { rpcStatusMessage } from '../../otlp-http/rpc-status.js';
import { parseRetryAfter } from '../../otlp-http/retry-after.js';

export type AttemptResult =
  | { kind: 'ok'; partial?: PartialSuccess; warning?: string }
  | { kind: 'retryable'; error: Error; retryAfterMs?: number }
  | { kind: 'permanent'; error: Error };

export interface AttemptRequest {
  url: string;
  signal: OtlpSignal;
  encoding: OtlpEncoding;
  headers: Headers;
  body: Uint8Array;
  timeoutMs: number;
  maxResponseBytes: number;
  fetch: typeof fetch;
  now: () => number;
}

const RETRYABLE = new Set([429, 502, 503, 504]);

/** An HTTP failure status with the server's message. */
export class ExportHttpError extends Error {
  override name = 'ExportHttpError';
  constructor(readonly status: number, readonly url: string, message: string) {
    super(`HTTP ${status} from ${url}${message ? `: ${message}` : ''}`);
  }
}

export async function sendAttempt(r: AttemptRequest): Promise<AttemptResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${r.timeoutMs} ms`));
  }, r.timeoutMs);
  try {
    let res: Response;
    try {
      // Called unbound: workerd's fetch throws "Illegal invocation" when `this` is another object.
      const fetchFn = r.fetch;
      res = await fetchFn(r.url, { method: 'POST', headers: r.headers, body: r.body as Uint8Array<ArrayBuffer>, signal: controller.signal });
    } catch (err) {
      // Connection refused, reset, DNS, TLS, or our timeout: the spec says retry with backoff.
      const why = timedOut ? `timed out after ${r.timeoutMs} ms` : `${(err as Error)?.message ?? err}${(err as { cause?: Error })?.cause?.message ? ` (${(err as { cause: Error }).cause.message})` : ''}`;
      return { kind: 'retryable', error: new Error(`request to ${r.url} failed: ${why}`, { cause: err }) };
    }
    let body: Uint8Array;
    try {
      body = res.body ? await readCapped(res.body, r.maxResponseBytes) : new Uint8Array(0);
    } catch (err) {
      if (err instanceof StreamTooLargeError) {
        return { kind: 'permanent', error: new Error(`HTTP ${res.status} from ${r.url}: response body larger than ${r.maxResponseBytes} bytes; not retried (OTLP clients must cap responses)`) };
      }
      if (timedOut) return { kind: 'retryable', error: new Error(`reading the response from ${r.url} timed out after ${r.timeoutMs} ms`) };
      return { kind: 'retryable', error: new Error(`reading the response from ${r.url} failed: ${(err as Error)?.message ?? err}`, { cause: err }) };
    }
    const encoding = encodingOf(res.headers.get('content-type')) ?? r.encoding;
    if (res.status >= 200 && res.status < 300) {
      try {
        return { kind: 'ok', partial: decodeExportResponse(r.signal, body, encoding) };
      } catch (err) {
        // The data arrived (2xx); an unreadable body only costs us the partial-success details.
        return { kind: 'ok', warning: `HTTP ${res.status} from ${r.url} with an unreadable body (${(err as Error).message}); treated as success` };
      }
    }
    const error = new ExportHttpError(res.status, r.url, rpcStatusMessage(body, encoding));
    if (!RETRYABLE.has(res.status)) return { kind: 'permanent', error };
    return { kind: 'retryable', error, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), r.now()) };
  } finally {
    clearTimeout(timer);
  }
}
