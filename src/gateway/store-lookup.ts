// The gateway's trace store as a trace decision source for logs_follow_traces
// (`decisions: trace_store`): the pipeline is built before the store (the store's settings are read
// from the pipeline's config), so the pipeline gets this stand-in, which answers through the store
// once the gateway has built it.
import { TRACE_UNKNOWN } from '../correlation/trace-lookup.js';
import type { TraceLookup } from '../correlation/trace-lookup.js';
import type { CollectorConfig } from '../config/collector-config.js';
import { ConfigError } from '../config/config-error.js';

/** The name logs_follow_traces uses for the store in `decisions`. */
export const STORE_LOOKUP_NAME = 'trace_store';

export class StoreLookup implements TraceLookup {
  private target: TraceLookup | undefined;

  /** Answers through `store` from now on. */
  attach(store: TraceLookup): void {
    this.target = store;
  }

  lookupTraces(ids: Uint8Array, count: number, out: Uint8Array): void {
    if (this.target) this.target.lookupTraces(ids, count, out);
    else out.fill(TRACE_UNKNOWN, 0, count);
  }
}

/** Refuses a config whose logs_follow_traces reads the store while the store is disabled. */
export function checkStoreLookupUse(config: CollectorConfig, storeEnabled: boolean, source?: string): void {
  if (storeEnabled) return;
  for (const [id, c] of config.processors) {
    if (c.id.type !== 'logs_follow_traces') continue;
    if ((c.config as { decisions?: string }).decisions !== STORE_LOOKUP_NAME) continue;
    throw new ConfigError(`${c.path}.decisions`, `processor "${id}" reads decisions from the trace store, which is disabled (extensions.trace_store.enabled: false)`, undefined, source);
  }
}
