// memory_limiter settings with the collector's defaults and checks.
import type { ConfigReader } from '../../config/config-reader.js';

export interface MemoryLimiterConfig {
  /** How often the memory reading is refreshed, ms (> 0). */
  readonly checkIntervalMs: number;
  /** Hard limit in MiB (0 = use limitPercentage). */
  readonly limitMib: number;
  /** Headroom below the hard limit in MiB; 0 means 20 % of the limit. */
  readonly spikeLimitMib: number;
  /** Hard limit as a percentage of the core's memory cap (1..100; 0 = unused). */
  readonly limitPercentage: number;
  readonly spikeLimitPercentage: number;
}

const MIB_MAX = 0xffffffff;

export function readMemoryLimiterConfig(r: ConfigReader): MemoryLimiterConfig {
  const checkInterval = r.duration('check_interval', 0n);
  const limitMib = r.int('limit_mib', 0, { min: 0, max: MIB_MAX });
  const spikeLimitMib = r.int('spike_limit_mib', 0, { min: 0, max: MIB_MAX });
  const limitPercentage = r.int('limit_percentage', 0, { min: 0, max: MIB_MAX });
  const spikeLimitPercentage = r.int('spike_limit_percentage', 0, { min: 0, max: MIB_MAX });
  // Garbage collection cannot be forced from JavaScript; the keys are accepted (and checked) so a
  // pasted collector config loads, and have no effect.
  const minSoft = r.duration('min_gc_interval_when_soft_limited', 10_000_000_000n);
  const minHard = r.duration('min_gc_interval_when_hard_limited', 0n);
  r.duration('max_gc_interval_when_soft_limited', 30_000_000_000n);
  r.duration('max_gc_interval_when_hard_limited', 30_000_000_000n);
  if (checkInterval <= 0n) throw r.fail('check_interval', "'check_interval' must be greater than zero");
  if (limitMib === 0 && limitPercentage === 0) throw r.error("'limit_mib' or 'limit_percentage' must be greater than zero");
  if (limitMib > 0 && spikeLimitMib >= limitMib) throw r.fail('spike_limit_mib', "'spike_limit_mib' must be smaller than 'limit_mib'");
  if (limitMib === 0 && (limitPercentage > 100 || spikeLimitPercentage >= limitPercentage)) {
    throw r.fail('limit_percentage', "'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred, and 'spike_limit_percentage' smaller than 'limit_percentage'");
  }
  if (minSoft < minHard) throw r.fail('min_gc_interval_when_soft_limited', "'min_gc_interval_when_soft_limited' should be larger than 'min_gc_interval_when_hard_limited'");
  return { checkIntervalMs: Number(checkInterval) / 1e6, limitMib, spikeLimitMib, limitPercentage, spikeLimitPercentage };
}
