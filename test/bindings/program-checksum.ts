// The core's hash32 (assembly/hash.ts) written again in BigInt arithmetic, to re-seal programs a
// test edits on purpose: the checks behind the checksum must refuse what the checksum no longer
// would. (An independent implementation: the test also checks it against compiled programs.)
import * as PG from '../../assembly/abi/pipeline-program-layout.js';

const M = (1n << 64n) - 1n;

function read(b: Uint8Array, at: number, n: number): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) v |= BigInt(b[at + i]!) << BigInt(8 * i);
  return v;
}

export function hash32(b: Uint8Array): number {
  const n = b.length;
  let h: bigint;
  if (n <= 16) {
    const a = n > 8 ? read(b, 0, 8) : n > 0 ? read(b, 0, n) : 0n;
    const c = n > 8 ? read(b, 8, n - 8) : 0n;
    h = (((a ^ 0x9e3779b97f4a7c15n) * 0xbf58476d1ce4e5b9n) & M) ^ (((c + BigInt(n)) * 0x94d049bb133111ebn) & M);
  } else {
    h = 0x9e3779b97f4a7c15n ^ ((BigInt(n) * 0xc2b2ae3d27d4eb4fn) & M);
    let p = 0;
    for (; p + 8 <= n; p += 8) {
      h = ((h ^ read(b, p, 8)) * 0xbf58476d1ce4e5b9n) & M;
      h ^= h >> 31n;
    }
    if (p < n) h = ((h ^ read(b, p, n - p)) * 0x94d049bb133111ebn) & M;
  }
  h = ((h ^ (h >> 29n)) * 0xff51afd7ed558ccdn) & M;
  return Number((h ^ (h >> 32n)) & 0xffffffffn);
}

/** Writes the checksum a program's body has now. */
export function reseal(program: Uint8Array): Uint8Array {
  new DataView(program.buffer, program.byteOffset).setUint32(PG.PG_CHECKSUM, hash32(program.subarray(PG.PG_HEADER_SIZE)), true);
  return program;
}
