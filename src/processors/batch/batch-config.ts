// The batch processor's settings, with the collector's defaults and validation messages.
import type { ConfigReader } from '../../config/config-reader.js';

export interface BatchConfig {
  /** Flush once at least this many spans are buffered (a trigger, not a bound). Default 8192. */
  readonly sendBatchSize: number;
  /** Flush whatever is buffered after this long, in ms; 0 sends at once (only splitting applies). Default 200 ms. */
  readonly timeoutMs: number;
  /** Largest batch sent; bigger ones are split keeping resource and scope. 0 = no limit (default). */
  readonly sendBatchMaxSize: number;
}

export const DEFAULT_BATCH_CONFIG: BatchConfig = Object.freeze({ sendBatchSize: 8192, timeoutMs: 200, sendBatchMaxSize: 0 });

const U32 = 0xffffffff;

export function readBatchConfig(r: ConfigReader): BatchConfig {
  const sendBatchSize = r.int('send_batch_size', DEFAULT_BATCH_CONFIG.sendBatchSize, { min: 0, max: U32 });
  const timeout = r.duration('timeout', 200_000_000n);
  if (timeout < 0n) throw r.fail('timeout', 'timeout must be greater or equal to 0');
  const sendBatchMaxSize = r.int('send_batch_max_size', 0, { min: 0, max: U32 });
  if (sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize) {
    throw r.fail('send_batch_max_size', 'send_batch_max_size must be greater or equal to send_batch_size');
  }
  // Client metadata does not exist outside a network receiver: one batcher serves everything. The
  // keys are still validated like the collector does so a pasted config behaves predictably.
  const keys = r.stringList('metadata_keys');
  const seen = new Set<string>();
  for (const k of keys) {
    const low = k.toLowerCase();
    if (seen.has(low)) throw r.fail('metadata_keys', `duplicate entry in metadata_keys: "${k}" (case-insensitive)`);
    seen.add(low);
  }
  r.int('metadata_cardinality_limit', 1000, { min: 0, max: U32 });
  return { sendBatchSize, timeoutMs: Number(timeout) / 1e6, sendBatchMaxSize };
}
