// The binary envelope the workerd test worker speaks (component-worker.mjs): a program, then the
// requests with their clocks; back come the outputs or the error of each call, in order. Binary,
// so the bytes the component returns reach the test untouched.
export interface EnvelopeRequest {
  readonly bytes: Uint8Array;
  readonly now: number;
}

export type EnvelopeResult = { readonly traces: Uint8Array; readonly metrics: Uint8Array } | { readonly error: { readonly tag: string; readonly val: string } };

/** [u32 program length][program][u32 count]{[f64 now][u32 length][bytes]}* */
export function encodeEnvelope(program: Uint8Array, requests: readonly EnvelopeRequest[]): Uint8Array {
  const size = 8 + program.length + requests.reduce((n, r) => n + 12 + r.bytes.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let at = 0;
  dv.setUint32(at, program.length, true);
  out.set(program, at + 4);
  at += 4 + program.length;
  dv.setUint32(at, requests.length, true);
  at += 4;
  for (const r of requests) {
    dv.setFloat64(at, r.now, true);
    dv.setUint32(at + 8, r.bytes.length, true);
    out.set(r.bytes, at + 12);
    at += 12 + r.bytes.length;
  }
  return out;
}

/** {[u8 0][u32 n][traces][u32 n][metrics] | [u8 1][u32 n][tag][u32 n][message]}* */
export function decodeResults(body: Uint8Array): EnvelopeResult[] {
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const text = new TextDecoder();
  const results: EnvelopeResult[] = [];
  let at = 0;
  const chunk = () => {
    const n = dv.getUint32(at, true);
    const b = body.slice(at + 4, at + 4 + n);
    at += 4 + n;
    return b;
  };
  while (at < body.length) {
    const kind = body[at++];
    if (kind === 0) {
      const traces = chunk();
      results.push({ traces, metrics: chunk() });
    } else {
      const tag = text.decode(chunk());
      results.push({ error: { tag, val: text.decode(chunk()) } });
    }
  }
  return results;
}
