// The tail-sampling probabilistic policy's threshold: floor(MaxUint64 × ratio) computed as Go's
// big.Float does it — the product rounded to 64 significant bits (nearest even), then truncated to
// an integer and clamped to [0, MaxUint64].

const MAX_U64 = (1n << 64n) - 1n;

/** The float64's exact value as mantissa × 2^exponent. */
function decompose(x: number): [bigint, number] {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return [mant, -1074];
  mant |= 1n << 52n;
  return [mant, exp - 1075];
}

export function probabilisticThreshold(ratio: number): bigint {
  if (!(ratio > 0)) return 0n;
  if (!Number.isFinite(ratio)) return MAX_U64;
  const [m, e] = decompose(ratio);
  let num = MAX_U64 * m;
  let shift = 0;
  const bits = num.toString(2).length;
  if (bits > 64) {
    shift = bits - 64;
    const q = num >> BigInt(shift);
    const rem = num & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    num = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  const exp = e + shift;
  const value = exp >= 0 ? num << BigInt(exp) : num >> BigInt(-exp);
  return value > MAX_U64 ? MAX_U64 : value;
}
