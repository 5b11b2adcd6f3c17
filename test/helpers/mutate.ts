// Seeded mutation of protobuf payloads for the fuzz tests: a small PRNG (failures reproduce from the
// seed) and byte-level mutators that reach every error class of a decoder.

/** sfc32: a small seeded PRNG so failures reproduce. */
export function rng(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export type Mutator = (b: Uint8Array, r: () => number) => Uint8Array;
export const int = (r: () => number, n: number) => Math.floor(r() * n);

export const mutators: Mutator[] = [
  (b, r) => { const c = b.slice(); c[int(r, c.length)] ^= 1 << int(r, 8); return c; }, // bit flip
  (b, r) => { const c = b.slice(); c[int(r, c.length)] = int(r, 256); return c; }, // byte set
  (b, r) => b.slice(0, int(r, b.length)), // truncate
  (b, r) => { const at = int(r, b.length); return Uint8Array.from([...b.subarray(0, at), int(r, 256), ...b.subarray(at)]); }, // insert
  (b, r) => { const at = int(r, b.length); return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + int(r, 4))]); }, // delete
  (b, r) => { const c = b.slice(); const at = int(r, c.length); c[at] = [0x00, 0x7f, 0x80, 0xff, 0x0f, 0x08][int(r, 6)]!; return c; }, // boundary bytes
  (b, r) => { // duplicate a chunk (repeated fields, merges)
    const at = int(r, b.length); const len = 1 + int(r, 32);
    return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at, at + len), ...b.subarray(at)]);
  },
  (b, r) => { const c = b.slice(); for (let i = 0; i < 8; i++) c[int(r, c.length)] ^= 0xff; return c; }, // burst
];

/** One or two mutations of a randomly chosen seed payload. */
export function mutate(seeds: Uint8Array[], r: () => number): Uint8Array {
  const seed = seeds[int(r, seeds.length)]!;
  let input = mutators[int(r, mutators.length)]!(seed, r);
  if (r() < 0.3) input = mutators[int(r, mutators.length)]!(input, r);
  return input;
}
