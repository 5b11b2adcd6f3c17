// Hand-encoded requests with Span.flags (field 16, fixed32), which the oracle's schema predates.
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
function field(tag: number, body: number[]): number[] {
  return [...varint(tag), ...varint(body.length), ...body];
}

/** One resource with one scope holding one span per (trace id, flags) pair. */
export function flagsRequest(spans: { trace: string; flags?: number }[]): Uint8Array {
  const spanMsgs = spans.flatMap((s, i) => {
    const body = [
      ...field(0x0a, [...Buffer.from(s.trace.padStart(32, '0'), 'hex')]),
      ...field(0x12, [...Buffer.from((i + 1).toString(16).padStart(16, '0'), 'hex')]),
      ...field(0x2a, [...Buffer.from('op')]),
    ];
    if (s.flags !== undefined) {
      const f = Buffer.alloc(4);
      f.writeUInt32LE(s.flags >>> 0);
      body.push(0x85, 0x01, ...f);
    }
    return field(0x12, body);
  });
  return Uint8Array.from(field(0x0a, field(0x12, spanMsgs)));
}
