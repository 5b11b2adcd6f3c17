// The request body as bytes, decompressed with the runtime's own DecompressionStream (the same
// code in workerd, Deno, browsers and Node) and capped both as sent and after decompression, while
// streaming: a gzip bomb is cut off at the cap plus one chunk, never inflated in full.
import { readCapped, StreamTooLargeError } from '../otlp-http/read-capped.js';

/** Over the size limit; `stage` says whether the bytes as sent or as decompressed were too many. */
export class RequestTooLargeError extends Error {
  override name = 'RequestTooLargeError';
  constructor(readonly limit: number, readonly stage: 'sent' | 'decompressed') {
    super(stage === 'sent'
      ? `request body is larger than the limit of ${limit} bytes`
      : `request body is larger than the limit of ${limit} bytes after decompression`);
  }
}

/** A body that cannot be decoded as its Content-Encoding says (or an encoding we do not speak). */
export class RequestEncodingError extends Error {
  override name = 'RequestEncodingError';
}

type Coding = 'identity' | 'gzip' | 'deflate';

/** `Content-Encoding` → the DecompressionStream format; the collector also knows zstd/snappy/lz4, no runtime decodes those natively. */
function codingOf(header: string | null): Coding {
  const v = (header ?? '').trim().toLowerCase();
  if (v === '' || v === 'identity') return 'identity';
  if (v === 'gzip' || v === 'x-gzip') return 'gzip';
  if (v === 'deflate') return 'deflate';
  throw new RequestEncodingError(`unsupported Content-Encoding "${header}"; supported: gzip, deflate, identity`);
}

export async function readRequestBody(request: Request, limit: number): Promise<Uint8Array> {
  const coding = codingOf(request.headers.get('content-encoding'));
  const declared = Number(request.headers.get('content-length') ?? NaN);
  // An honest Content-Length over the cap is refused before reading a byte.
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => {});
    throw new RequestTooLargeError(limit, 'sent');
  }
  const body = request.body;
  if (!body) return new Uint8Array(0);
  if (coding === 'identity') {
    try {
      return await readCapped(body, limit, Number.isFinite(declared) ? declared : 0);
    } catch (err) {
      if (err instanceof StreamTooLargeError) throw new RequestTooLargeError(limit, 'sent');
      throw new RequestEncodingError(`could not read the request body: ${(err as Error)?.message ?? err}`);
    }
  }
  let sent = 0;
  let sentTooLarge = false;
  const counted = body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      sent += chunk.byteLength;
      if (sent > limit) {
        sentTooLarge = true;
        controller.error(new RequestTooLargeError(limit, 'sent'));
      } else controller.enqueue(chunk);
    },
  }));
  const inflated = counted.pipeThrough(new DecompressionStream(coding) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  try {
    return await readCapped(inflated, limit);
  } catch (err) {
    if (err instanceof StreamTooLargeError) throw new RequestTooLargeError(limit, 'decompressed');
    if (sentTooLarge) throw new RequestTooLargeError(limit, 'sent');
    // An empty body needs no decompressing: it is the empty request, whatever the header says.
    if (sent === 0) return new Uint8Array(0);
    throw new RequestEncodingError(`request body is not valid ${coding} (Content-Encoding: ${coding}): ${(err as Error)?.message ?? err}`);
  }
}
