// The raw bytes of every Span message in a request, in wire order, found by a minimal protobuf
// walk written for the tests (independent of the core), to check that untouched spans come out
// byte for byte.

function varint(b: Uint8Array, p: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (;;) {
    const c = b[p++]!;
    v += (c & 0x7f) * mul;
    if (c < 0x80) return [v, p];
    mul *= 128;
  }
}

function* lenFields(b: Uint8Array, start: number, end: number, field: number): Generator<[number, number]> {
  let p = start;
  while (p < end) {
    const [tag, q] = varint(b, p);
    const wt = tag & 7;
    if (wt === 2) {
      const [len, r] = varint(b, q);
      if (tag >>> 3 === field) yield [r, r + len];
      p = r + len;
    } else if (wt === 0) p = varint(b, q)[1];
    else if (wt === 1) p = q + 8;
    else if (wt === 5) p = q + 4;
    else throw new Error(`unsupported wire type ${wt}`);
  }
}

export function spanMessages(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (const [s1, e1] of lenFields(bytes, 0, bytes.length, 1)) {
    for (const [s2, e2] of lenFields(bytes, s1, e1, 2)) {
      for (const [s3, e3] of lenFields(bytes, s2, e2, 2)) out.push(Buffer.from(bytes.subarray(s3, e3)).toString('hex'));
    }
  }
  return out;
}
