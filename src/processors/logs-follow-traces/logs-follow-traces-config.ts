// logs_follow_traces — otel-sieve's own processor, not the collector's: a logs pipeline applies the
// tail-sampling decision of each record's trace (kept with the trace, dropped with it). Settings
// with their defaults; see docs/PROCESSORS.md "Logs follow traces".
import type { ConfigReader } from '../../config/config-reader.js';

export type Disposition = 'keep' | 'drop';

export interface LogsFollowTracesConfig {
  /**
   * Where decisions come from: the id of a tail_sampling processor in a traces pipeline, or the
   * name of a TraceLookup given in PipelineOptions.traceLookups (e.g. a trace store).
   */
  readonly decisions: string;
  /** The traces pipeline whose instance of `decisions` to use, when several list it ('' = the only one). */
  readonly tracesPipeline: string;
  /** How long a record waits for its trace's decision, in ms. Default 35 s (decision_wait 30 s + ticks). */
  readonly waitMs: number;
  /** Most records waiting at once; beyond it the oldest are settled as undecided. Default 10 000. */
  readonly maxPendingRecords: number;
  /** What happens to records whose trace was not decided in time (or that overflowed). Default keep. */
  readonly undecided: Disposition;
  /** What happens to records without a trace id. Default keep. */
  readonly withoutTraceId: Disposition;
}

export const DEFAULT_LOGS_FOLLOW_TRACES_CONFIG = Object.freeze({
  tracesPipeline: '',
  waitMs: 35_000,
  maxPendingRecords: 10_000,
  undecided: 'keep' as Disposition,
  withoutTraceId: 'keep' as Disposition,
});

export function readLogsFollowTracesConfig(r: ConfigReader): LogsFollowTracesConfig {
  const d = DEFAULT_LOGS_FOLLOW_TRACES_CONFIG;
  const decisions = r.string('decisions', '');
  if (!decisions) throw r.fail('decisions', '"decisions" must name a tail_sampling processor of a traces pipeline (or a trace lookup given to Pipeline.fromConfig)');
  const tracesPipeline = r.string('traces_pipeline', d.tracesPipeline);
  const wait = r.duration('wait', BigInt(d.waitMs) * 1_000_000n);
  if (wait <= 0n) throw r.fail('wait', 'wait must be greater than zero');
  const maxPendingRecords = r.int('max_pending_records', d.maxPendingRecords, { min: 1, max: 0xffffffff });
  const undecided = r.oneOf('undecided', ['keep', 'drop'] as const, d.undecided);
  const withoutTraceId = r.oneOf('without_trace_id', ['keep', 'drop'] as const, d.withoutTraceId);
  return { decisions, tracesPipeline, waitMs: Number(wait) / 1e6, maxPendingRecords, undecided, withoutTraceId };
}
