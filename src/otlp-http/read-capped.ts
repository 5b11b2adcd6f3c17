// Reads a byte stream into one buffer, stopping as soon as it passes a limit: the stream is
// cancelled at that point, so at most the limit plus one chunk is ever held (a decompression bomb
// or an endless response costs no more than that).

/** The stream held more than `limit` bytes; `read` is how many had arrived when reading stopped. */
export class StreamTooLargeError extends Error {
  override name = 'StreamTooLargeError';
  constructor(readonly limit: number, readonly read: number) {
    super(`more than ${limit} bytes`);
  }
}

export async function readCapped(stream: ReadableStream<Uint8Array>, limit: number, sizeHint = 0): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // A trustworthy size (Content-Length of an identity body) lets us copy once into the final buffer.
  let out = sizeHint > 0 && sizeHint <= limit ? new Uint8Array(sizeHint) : undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw new StreamTooLargeError(limit, total);
      }
      if (out && total <= out.length) out.set(value, total - value.byteLength);
      else {
        if (out) {
          // The hint was wrong (more bytes than announced): fall back to collecting chunks.
          chunks.push(out.subarray(0, total - value.byteLength));
          out = undefined;
        }
        chunks.push(value);
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (out) return total === out.length ? out : out.subarray(0, total);
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}
