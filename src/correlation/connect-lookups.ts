// Wires each logs_follow_traces processor to the decision source its config names, once the
// pipeline is built: a tail_sampling instance of a traces pipeline (by processor id, and by
// `traces_pipeline` when several pipelines list it), or a lookup the embedder registered by name.
import { ConfigError } from '../config/config-error.js';
import type { Signal } from '../config/collector-config.js';
import type { RunningPipeline } from '../pipeline/pipeline.js';
import type { SignalBatches } from '../pipeline/types.js';
import { LogsFollowTracesProcessor } from '../processors/logs-follow-traces/logs-follow-traces-processor.js';
import { isTraceLookup } from './trace-lookup.js';
import type { TraceLookup } from './trace-lookup.js';

export function connectTraceLookups(
  running: { readonly [S in Signal]: readonly RunningPipeline<SignalBatches[S]>[] },
  named: Readonly<Record<string, TraceLookup>>,
  source?: string,
): void {
  for (const logs of running.logs) {
    for (const proc of logs.processors) {
      if (!(proc instanceof LogsFollowTracesProcessor)) continue;
      const { decisions, tracesPipeline } = proc.config;
      const path = `processors.${proc.id}.decisions`;
      const given = Object.prototype.hasOwnProperty.call(named, decisions) ? named[decisions] : undefined;
      if (given) {
        if (!isTraceLookup(given)) throw new TypeError(`Pipeline options: traceLookups.${decisions} must have lookupTraces(ids, count, out)`);
        proc.connect(given);
        continue;
      }
      const candidates = running.traces
        .filter((p) => !tracesPipeline || p.config.id === tracesPipeline)
        .flatMap((p) => p.processors.filter((q) => q.id === decisions).map((q) => ({ pipeline: p.config.id, processor: q })));
      if (!candidates.length) {
        const where = tracesPipeline ? `the traces pipeline "${tracesPipeline}"` : 'any traces pipeline';
        throw new ConfigError(path, `"${decisions}" is not a processor of ${where}, nor a trace lookup given to Pipeline.fromConfig (traceLookups)`, undefined, source);
      }
      if (candidates.length > 1) {
        throw new ConfigError(path, `"${decisions}" runs in several traces pipelines (${candidates.map((c) => c.pipeline).join(', ')}); choose one with traces_pipeline`, undefined, source);
      }
      const found = candidates[0]!.processor;
      if (!isTraceLookup(found)) throw new ConfigError(path, `processor "${decisions}" does not decide traces (use a tail_sampling processor)`, undefined, source);
      proc.connect(found);
    }
  }
}
