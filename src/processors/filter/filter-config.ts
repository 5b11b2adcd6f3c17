// The filter processor's settings, read the way the current collector reads them: error_mode
// (default ignore since the processor.filter.defaultErrorModeIgnore gate went stable), the
// context-inferred `trace_conditions` / `log_conditions` / `metric_conditions`, and the older
// per-context blocks (`traces: {resource, span, spanevent}`, `logs: {resource, log_record}`,
// `metrics: {resource, metric, datapoint}`), which the collector deprecates but still runs. The
// two styles cannot be mixed for one signal. The legacy include/exclude match properties and
// profiles are refused with a message saying so. otel-sieve adds `traceql` (+ `whole_traces`):
// drop the spans a TraceQL search selects, or their whole traces.
import type { ConfigReader } from '../../config/config-reader.js';
import { readConditions, readContextConditions, readErrorMode } from '../ottl-config.js';
import type { ConditionGroup } from '../ottl-config.js';
import type { ErrorMode } from '../../ottl/condition-set.js';
import type { ContextName } from '../../ottl/contexts.js';
import { compile as compileTraceQL } from '../../traceql/query.js';
import type { CompiledQuery } from '../../traceql/query.js';
import { TraceQLError } from '../../traceql/errors.js';

export interface TraceQLDrop {
  readonly query: CompiledQuery;
  /** Drop every span of a trace that has a selected span (instead of only the selected spans). */
  readonly wholeTraces: boolean;
}

export interface FilterConfig {
  readonly errorMode: ErrorMode;
  /** Condition groups per signal, in the order they run. */
  readonly traces: readonly ConditionGroup[];
  readonly logs: readonly ConditionGroup[];
  readonly metrics: readonly ConditionGroup[];
  readonly traceql?: TraceQLDrop;
}

export const TRACE_CONTEXTS: readonly ContextName[] = ['resource', 'scope', 'span', 'spanevent'];
export const LOG_CONTEXTS: readonly ContextName[] = ['resource', 'scope', 'log'];
export const METRIC_CONTEXTS: readonly ContextName[] = ['resource', 'scope', 'metric', 'datapoint'];

const LEGACY_MATCH = 'the include/exclude match properties are deprecated upstream and not supported by otel-sieve: write OTTL conditions instead';

/** The legacy per-context block of a signal: its keys in the order the collector evaluates them. */
function legacyBlock(r: ConfigReader, key: string, contexts: [string, ContextName][], errorMode: ErrorMode, matchKeys: string[]): ConditionGroup[] {
  if (!r.present(key)) {
    r.raw(key);
    return [];
  }
  const b = r.child(key);
  for (const m of matchKeys) if (b.has(m)) throw b.fail(m, `${key}.${m}: ${LEGACY_MATCH}`);
  b.ignore(...matchKeys);
  const groups = contexts.map(([k, ctx]) => readConditions(b, k, ctx, errorMode)).filter((g): g is ConditionGroup => g !== undefined);
  b.done();
  return groups;
}

/** The inferred-context key of a signal, which replaces its legacy block (the collector's messages, "logs.log" included). */
function inferred(r: ConfigReader, signal: string, key: string, legacyKey: string, legacy: ConditionGroup[], legacyNames: string, contexts: readonly ContextName[], errorMode: ErrorMode): ConditionGroup[] {
  const groups = readContextConditions(r, key, contexts, errorMode);
  if (r.has(key) && r.has(legacyKey) && (legacy.length || r.child(legacyKey).keys().length)) {
    throw r.fail(key, `cannot use context inferred ${signal} conditions "${key}" and the settings ${legacyNames} at the same time`);
  }
  return groups.length ? groups : legacy;
}

export function readFilterConfig(r: ConfigReader): FilterConfig {
  const errorMode = readErrorMode(r, 'error_mode', 'ignore');
  if (r.has('spans')) throw r.fail('spans', `spans: ${LEGACY_MATCH}`);
  r.raw('spans');
  for (const k of ['profiles', 'profile_conditions']) {
    if (r.has(k)) throw r.fail(k, 'profiles are not supported by otel-sieve (there is no profiles signal)');
    r.raw(k);
  }
  const tracesLegacy = legacyBlock(r, 'traces', [['resource', 'resource'], ['span', 'span'], ['spanevent', 'spanevent']], errorMode, []);
  const logsLegacy = legacyBlock(r, 'logs', [['resource', 'resource'], ['log_record', 'log']], errorMode, ['include', 'exclude']);
  const metricsLegacy = legacyBlock(r, 'metrics', [['resource', 'resource'], ['metric', 'metric'], ['datapoint', 'datapoint']], errorMode, ['include', 'exclude', 'regexp']);
  const traces = inferred(r, 'trace', 'trace_conditions', 'traces', tracesLegacy, '"traces.resource", "traces.span", "traces.spanevent"', TRACE_CONTEXTS, errorMode);
  const logs = inferred(r, 'log', 'log_conditions', 'logs', logsLegacy, '"logs.resource", "logs.log", "logs.include", "logs.exclude"', LOG_CONTEXTS, errorMode);
  const metrics = inferred(r, 'metric', 'metric_conditions', 'metrics', metricsLegacy, '"metrics.resource", "metrics.metric", "metrics.datapoint", "metrics.include", "metrics.exclude"', METRIC_CONTEXTS, errorMode);

  const text = r.optionalString('traceql');
  const wholeTraces = r.bool('whole_traces', false);
  let traceql: TraceQLDrop | undefined;
  if (text !== undefined) {
    let query: CompiledQuery;
    try {
      query = compileTraceQL(text);
    } catch (err) {
      if (err instanceof TraceQLError) throw r.fail('traceql', `invalid TraceQL query: ${err.message}`);
      throw err;
    }
    if (query.kind !== 'search') throw r.fail('traceql', 'traceql must be a search query (spans to drop), not a metrics query');
    traceql = { query, wholeTraces };
  } else if (wholeTraces) {
    throw r.fail('whole_traces', 'whole_traces needs a traceql query');
  }
  return { errorMode, traces, logs, metrics, traceql };
}
