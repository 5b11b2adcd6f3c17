// The request body as bytes, decompressed with the runtime's own DecompressionStream (the same
// code in workerd, Deno, browsers and Node) and capped both as sent and after decompression, while
// streaming: a gzip bomb is cut off at the cap plus one chunk, never inflated in full.
//
// When a body is refused, up to DRAIN_LIMIT more of it is read and discarded before answering (as
// Go's net/http does): a server that answers and closes while the client is still sending makes the
// client's write fail (EPIPE), and the client never sees the 413 it should act on.

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

/** Bytes of a refused body still read (and dropped) so the client can receive the answer. */
const DRAIN_LIMIT = 4 * 1024 * 1024;

/** `Content-Encoding` → the DecompressionStream format; the collector also knows zstd/snappy/lz4, no runtime decodes those natively. */
function codingOf(header: string | null): Coding {
  const v = (header ?? '').trim().toLowerCase();
  if (v === '' || v === 'identity') return 'identity';
  if (v === 'gzip' || v === 'x-gzip') return 'gzip';
  if (v === 'deflate') return 'deflate';
  throw new RequestEncodingError(`unsupported Content-Encoding "${header}"; supported: gzip, deflate, identity`);
}

/** Reads and drops up to `budget` bytes, then lets go of the stream. Never throws. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  try {
    while (budget > 0) {
      const { done, value } = await reader.read();
      if (done) return;
      budget -= value.byteLength;
    }
    await reader.cancel();
  } catch {
    // the peer went away; nothing left to drain
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export async function readRequestBody(request: Request, limit: number): Promise<Uint8Array> {
  const coding = codingOf(request.headers.get('content-encoding'));
  const declared = Number(request.headers.get('content-length') ?? NaN);
  const body = request.body;
  if (!body) return new Uint8Array(0);
  const input = body.getReader();
  // An honest Content-Length over the cap is refused without keeping a byte.
  if (Number.isFinite(declared) && declared > limit) {
    await discard(input, DRAIN_LIMIT);
    throw new RequestTooLargeError(limit, 'sent');
  }
  if (coding === 'identity') return readIdentity(input, limit);
  return readCompressed(input, coding, limit);
}

async function readIdentity(input: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await input.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await discard(input, DRAIN_LIMIT);
        throw new RequestTooLargeError(limit, 'sent');
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof RequestTooLargeError) throw err;
    throw new RequestEncodingError(`could not read the request body: ${(err as Error)?.message ?? err}`);
  }
  return concat(chunks, total);
}

async function readCompressed(input: ReadableStreamDefaultReader<Uint8Array>, coding: Coding, limit: number): Promise<Uint8Array> {
  const inflater = new DecompressionStream(coding as CompressionFormat);
  const writer = inflater.writable.getWriter();
  const output = inflater.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  let sent = 0;
  let sentTooLarge = false;
  // Feeds the decompressor; when the body is refused (too large as sent, not decodable, or inflating
  // past the cap) the rest of the input is drained instead of fed.
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await input.read();
        if (done) {
          await writer.close();
          return;
        }
        sent += value.byteLength;
        if (sent > limit) {
          sentTooLarge = true;
          await writer.abort(new RequestTooLargeError(limit, 'sent')).catch(() => {});
          break;
        }
        await writer.write(value as Uint8Array<ArrayBuffer>);
      }
    } catch {
      // the decompressor failed or its output was cancelled: stop feeding it
    }
    await discard(input, DRAIN_LIMIT);
  })();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let failure: unknown;
  try {
    for (;;) {
      const { done, value } = await output.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        failure = new RequestTooLargeError(limit, 'decompressed');
        await output.cancel().catch(() => {});
        break;
      }
      chunks.push(value);
    }
  } catch (err) {
    failure = err;
  }
  await pump;
  if (sentTooLarge) throw new RequestTooLargeError(limit, 'sent');
  if (failure instanceof RequestTooLargeError) throw failure;
  if (failure !== undefined) {
    // An empty body needs no decompressing: it is the empty request, whatever the header says.
    if (sent === 0) return new Uint8Array(0);
    throw new RequestEncodingError(`request body is not valid ${coding} (Content-Encoding: ${coding}): ${(failure as Error)?.message ?? failure}`);
  }
  return concat(chunks, total);
}
