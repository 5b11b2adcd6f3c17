// An independent reference for tail_sampling's probabilistic policy (upstream: FNV-1a 64 over the
// salt's bytes then the 16 trace-id bytes, sampled when the hash is at most the threshold), so
// tests that run a sampling config can say which traces it must keep without asking our code.

/** FNV-1a 64 over the salt's bytes then the 16 id bytes. */
export function refFnv64(salt: string, idHex: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of [...Buffer.from(salt), ...Buffer.from(idHex, 'hex')]) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h;
}

/** big.Float(MaxUint64) × ratio at 64-bit precision, then truncated. */
export function refThreshold(pct: number): bigint {
  const ratio = pct / 100;
  if (ratio === 0) return 0n;
  if (ratio >= 1) return (1n << 64n) - 1n;
  // ratio = m / 2^k exactly (k ≤ 1074); scale the exact product and round to 64 significant bits.
  let k = 0n;
  let x = ratio;
  while (!Number.isInteger(x)) {
    x *= 2;
    k++;
  }
  const exact = ((1n << 64n) - 1n) * BigInt(x);
  const bits = BigInt(exact.toString(2).length);
  const drop = bits > 64n ? bits - 64n : 0n;
  let q = exact >> drop;
  const rem = exact - (q << drop);
  if (drop > 0n) {
    const half = 1n << (drop - 1n);
    if (rem > half || (rem === half && q % 2n === 1n)) q += 1n;
  }
  return (q << drop) >> k;
}

/** The probabilistic policy's verdict for a trace (salt default: the collector's "default-hash-seed"). */
export function refProbabilisticSampled(traceIdHex: string, pct: number, salt = 'default-hash-seed'): boolean {
  return refFnv64(salt, traceIdHex.padStart(32, '0')) <= refThreshold(pct);
}
