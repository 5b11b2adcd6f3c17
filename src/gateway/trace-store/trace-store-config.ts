// The trace store's settings: the `trace_store` extension block of a gateway config (an extension
// because it is a service-level feature outside the pipelines, like the collector's health_check).
// Without the block the store is on with these defaults; `enabled: false` turns it off.
import type { ConfigReader } from '../../config/config-reader.js';

export interface TraceStoreConfig {
  /** Keep recent traces at all. Default true. */
  readonly enabled: boolean;
  /** Bytes of core memory the store may hold (blocks are evicted oldest first beyond it). Default 128 MiB. */
  readonly maxBytes: number;
  /** Blocks whose newest data is older than this are evicted, in ms. Default 1 h. */
  readonly maxAgeMs: number;
  /** A block is sealed (concatenated, immutable) at this size… Default 4 MiB. */
  readonly blockBytes: number;
  /** …or this long after its first batch, in ms. Default 30 s. */
  readonly blockDurationMs: number;
  /** False-positive rate of each block's bloom filter over trace ids. Default 0.01. */
  readonly bloomFalsePositiveRate: number;
}

export const DEFAULT_TRACE_STORE_CONFIG: TraceStoreConfig = Object.freeze({
  enabled: true,
  maxBytes: 128 * 1024 * 1024,
  maxAgeMs: 60 * 60 * 1000,
  blockBytes: 4 * 1024 * 1024,
  blockDurationMs: 30_000,
  bloomFalsePositiveRate: 0.01,
});

const MIB = 1024 * 1024;
const NS_PER_MS = 1_000_000n;

/** Reads `extensions.trace_store` strictly (unknown keys are errors naming the key). */
export function readTraceStoreConfig(r: ConfigReader): TraceStoreConfig {
  const d = DEFAULT_TRACE_STORE_CONFIG;
  const enabled = r.bool('enabled', d.enabled);
  const maxBytes = r.int('max_size_mib', d.maxBytes / MIB, { min: 1, max: 1 << 20 }) * MIB;
  const maxAgeMs = Number(r.duration('max_age', BigInt(d.maxAgeMs) * NS_PER_MS) / NS_PER_MS);
  const blockBytes = r.int('block_size_mib', d.blockBytes / MIB, { min: 1, max: 1024 }) * MIB;
  const blockDurationMs = Number(r.duration('block_duration', BigInt(d.blockDurationMs) * NS_PER_MS) / NS_PER_MS);
  const bloomFalsePositiveRate = r.float('bloom_false_positive_rate', d.bloomFalsePositiveRate, { min: 1e-9, max: 0.5 });
  if (maxAgeMs <= 0) throw r.fail('max_age', 'must be positive');
  if (blockDurationMs <= 0) throw r.fail('block_duration', 'must be positive');
  if (blockBytes > maxBytes) throw r.fail('block_size_mib', `must not exceed max_size_mib (${maxBytes / MIB})`);
  r.done();
  return { enabled, maxBytes, maxAgeMs, blockBytes, blockDurationMs, bloomFalsePositiveRate };
}
