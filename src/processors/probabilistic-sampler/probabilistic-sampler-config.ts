// probabilistic_sampler settings (traces and logs), with the collector's defaults, validation messages and
// the threshold arithmetic done once at config time: hash_seed's float32 scaling truncated toward
// zero, equalizing's OTEP 235 threshold at the configured precision.
import * as P from '../../../assembly/abi/probabilistic-layout.js';
import type { ConfigReader } from '../../config/config-reader.js';

export type SamplerMode = 'hash_seed' | 'proportional' | 'equalizing';

export interface ProbabilisticSamplerConfig {
  readonly samplingPercentage: number;
  readonly hashSeed: number;
  /** The mode as configured ('' = chosen: hash_seed, the upstream default). */
  readonly mode: SamplerMode | '';
  readonly samplingPrecision: number;
  readonly failClosed: boolean;
  /**
   * Logs: hash the trace id (`traceID`, default) or only the from_attribute value (`record`; an
   * explicit '' acts the same, as upstream where only `traceID` enables the trace id).
   */
  readonly attributeSource: 'traceID' | 'record' | '';
  /** Logs: the attribute hashed for randomness when there is no trace id (or with `record`); '' = none. */
  readonly fromAttribute: string;
  /** Logs: an attribute whose value is a sampling percentage overriding the decision; '' = none. */
  readonly samplingPriority: string;
}

export const MAX_ADJUSTED = 1n << 56n;
const MIN_PROBABILITY = 2 ** -56;

/** The exponent of Go's math.Frexp (x = f × 2^e with 0.5 <= |f| < 1), read from the bits. */
function frexpExp(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const e = (dv.getUint16(0) >> 4) & 0x7ff;
  if (e === 0) return frexpExp(x * 2 ** 54) - 54;
  return e - 1022;
}

/** pkg/sampling ProbabilityToThresholdWithPrecision (the error case returns undefined). */
export function probabilityToThreshold(fraction: number, precision: number): bigint | undefined {
  if (precision === 0) precision = 14;
  if (!(fraction >= MIN_PROBABILITY && fraction <= 1)) return undefined;
  if (fraction === 1) return 0n;
  const expF = frexpExp(fraction);
  const expR = frexpExp(1 - fraction);
  precision = Math.min(14, Math.max(precision + Math.trunc(expF / -4), precision + Math.trunc(expR / -4)));
  const scaled = BigInt(Math.round(fraction * 2 ** 56));
  let t = MAX_ADJUSTED - scaled;
  const shift = BigInt(4 * (14 - precision));
  if (shift !== 0n) {
    t += 1n << (shift - 1n);
    t >>= shift;
    t <<= shift;
  }
  return t;
}

/** The sampler's resolved mode and constants for the core. */
export interface SamplerPlan {
  readonly mode: number;
  readonly threshold: bigint;
  readonly ratio: number;
}

export function planSampler(c: ProbabilisticSamplerConfig): SamplerPlan {
  const pct = Math.fround(Math.min(c.samplingPercentage, 100));
  const mode = c.mode || 'hash_seed';
  if (pct === 0) return { mode: P.PMODE_NEVER, threshold: MAX_ADJUSTED, ratio: 0 };
  let ratio = pct / 100;
  if (ratio < MIN_PROBABILITY) ratio = MIN_PROBABILITY;
  if (mode === 'hash_seed') {
    // uint32(pct * percentageScaleFactor), multiplied in float32 and truncated toward zero.
    const scaled = Math.trunc(Math.fround(pct * Math.fround(16384 / 100)));
    if (scaled === 0) return { mode: P.PMODE_NEVER, threshold: MAX_ADJUSTED, ratio: 0 };
    return { mode: P.PMODE_HASH_SEED, threshold: BigInt(16384 - scaled) << 42n, ratio };
  }
  if (mode === 'equalizing') return { mode: P.PMODE_EQUALIZING, threshold: probabilityToThreshold(ratio, c.samplingPrecision)!, ratio };
  return { mode: P.PMODE_PROPORTIONAL, threshold: 0n, ratio };
}

function pctText(v: number): string {
  return `${v.toFixed(6)}%`;
}

export function readProbabilisticSamplerConfig(r: ConfigReader): ProbabilisticSamplerConfig {
  const samplingPercentage = Math.fround(r.float('sampling_percentage', 0));
  const hashSeed = r.int('hash_seed', 0, { min: 0, max: 0xffffffff });
  const mode = r.oneOf('mode', ['hash_seed', 'proportional', 'equalizing', ''] as const, '');
  const samplingPrecision = r.int('sampling_precision', 4, { min: 0 });
  const failClosed = r.bool('fail_closed', true);
  // Logs-only settings; traces ignore them.
  const source = r.string('attribute_source', 'traceID');
  const fromAttribute = r.string('from_attribute', '');
  const samplingPriority = r.string('sampling_priority', '');
  const ratio = samplingPercentage / 100;
  if (ratio < 0) throw r.fail('sampling_percentage', `sampling rate is negative: ${pctText(samplingPercentage)}`);
  if (ratio > 0 && ratio < MIN_PROBABILITY) throw r.fail('sampling_percentage', `sampling rate is too small: ${samplingPercentage}%`);
  if (source !== '' && source !== 'traceID' && source !== 'record') throw r.fail('attribute_source', `invalid attribute source: ${source}. Expected: traceID or record`);
  if (samplingPrecision === 0) throw r.fail('sampling_precision', 'invalid sampling precision: 0');
  if (samplingPrecision > 14) throw r.fail('sampling_precision', `sampling precision is too great, should be <= 14: ${samplingPrecision}`);
  // Like upstream: an unset mode with a non-zero seed (or, for logs, a record source) is hash_seed
  // — which is also the default mode.
  return {
    samplingPercentage, hashSeed, mode: mode === '' && hashSeed !== 0 ? 'hash_seed' : mode, samplingPrecision, failClosed,
    attributeSource: source as 'traceID' | 'record' | '', fromAttribute, samplingPriority,
  };
}
