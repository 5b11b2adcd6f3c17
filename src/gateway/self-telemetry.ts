// The gateway's own telemetry, as the collector exposes it (a gateway must be watched): receivers'
// accepted/refused spans, log records and metric points, processors' items in and out and what
// they dropped (with the reason), exporters' sent/failed items per signal and queue sizes, tail sampling's traces in memory and decisions by
// policy, the trace store, memory in use. Built as the metrics data model so the same Prometheus
// and OpenMetrics renderers write it; OpenTelemetry names with units give the collector's
// Prometheus names (`otelcol_receiver_accepted_spans` + `{spans}` counter →
// `otelcol_receiver_accepted_spans_total`). The README lists every metric.
import type { KeyValue, Metric, MetricsData, NumberDataPoint } from '../metrics/metrics-data.js';
import { AGGREGATION_TEMPORALITY_CUMULATIVE, millisToNanos } from '../metrics/metrics-data.js';
import type { ProcessorItems } from '../pipeline/pipeline.js';
import type { Signal } from '../config/collector-config.js';
import type { ExporterStats } from '../exporters/traces-exporter.js';
import type { TraceStoreStats } from './trace-store/trace-store.js';
import type { CoreMemoryStats } from '../core/init.js';

type Labels = Record<string, string>;

export interface ProcessorTelemetry {
  items: ProcessorItems;
  /** The processor's own counters (TracesProcessor.counters()). */
  counters: Readonly<Record<string, number>>;
}

export interface ExporterTelemetry {
  id: string;
  signal: Signal;
  stats: ExporterStats;
  /** Batches (requests) the queue may hold; undefined without a queue. */
  queueCapacity?: number;
}

export interface GatewayTelemetryInput {
  /** Unix ms now and at start. */
  now: number;
  startedAt: number;
  instanceId: string;
  version: string;
  receiver: {
    id: string;
    /** Items per signal the receiver serves (spans, log records, data points). */
    signals: Partial<Readonly<Record<Signal, ReceiverCounts>>>;
    responses: Readonly<Record<number, number>>;
    inFlight: number;
    maxInFlight: number;
  };
  processors: readonly ProcessorTelemetry[];
  exporters: readonly ExporterTelemetry[];
  store?: TraceStoreStats;
  core: CoreMemoryStats;
  process: { rss: number; heapUsed: number; cpuSeconds: number };
}

export interface ReceiverCounts {
  accepted: number;
  refused: number;
  rejected: number;
}

/** The collector's item names per signal, as its metric names spell them. */
const ITEM_NAMES: Readonly<Record<Signal, { metric: string; unit: string; what: string }>> = {
  traces: { metric: 'spans', unit: '{spans}', what: 'Spans' },
  logs: { metric: 'log_records', unit: '{records}', what: 'Log records' },
  metrics: { metric: 'metric_points', unit: '{datapoints}', what: 'Data points' },
};
const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];

const kvs = (labels: Labels): KeyValue[] => Object.entries(labels).map(([key, value]) => ({ key, value: { type: 'string', value } }));

/** Collects one metric's points; families with no points are left out. */
class Metrics {
  private readonly out: Metric[] = [];
  constructor(private readonly start: bigint, private readonly time: bigint) {}

  private points(values: readonly [Labels, number][], integer: boolean): NumberDataPoint[] {
    return values.map(([labels, v]) => ({
      attributes: kvs(labels),
      startTimeUnixNano: this.start,
      timeUnixNano: this.time,
      exemplars: [],
      value: integer ? BigInt(Math.max(0, Math.round(v))) : v,
    }));
  }

  counter(name: string, description: string, unit: string, values: readonly [Labels, number][]): void {
    if (!values.length) return;
    this.out.push({ name, description, unit, data: { type: 'sum', aggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE, isMonotonic: true, dataPoints: this.points(values, unit !== 's') } });
  }

  gauge(name: string, description: string, unit: string, values: readonly [Labels, number][]): void {
    if (!values.length) return;
    this.out.push({ name, description, unit, data: { type: 'gauge', dataPoints: this.points(values, false) } });
  }

  metrics(): Metric[] {
    return this.out;
  }
}

/** The batch processor's counter of what it holds, per signal (its item names). */
const BATCH_BUFFERED: Readonly<Record<Signal, string>> = { traces: 'buffered_spans', logs: 'buffered_log_records', metrics: 'buffered_data_points' };

/** Items the processor holds in a buffer, released later (neither passed on nor dropped yet). */
function buffered(p: ProcessorTelemetry): number {
  const c = p.counters;
  switch (p.items.type) {
    case 'batch':
      return c[BATCH_BUFFERED[p.items.signal]] ?? 0;
    case 'logs_follow_traces':
      return c.log_records_waiting ?? 0;
    default:
      return 0;
  }
}

/** Why items (spans, log records, data points) a processor did not pass on were dropped, and how many. */
export function processorDropped(p: ProcessorTelemetry): [string, number] {
  const { type, incoming, outgoing } = p.items;
  const c = p.counters;
  switch (type) {
    case 'tail_sampling':
      // Not sampled by the policies, or evicted before a decision (see sampling_trace_dropped_too_early).
      return ['not_sampled', c.spans_dropped ?? 0];
    case 'probabilistic_sampler':
    case 'logs_follow_traces':
      // logs_follow_traces drops the records of traces that were not sampled.
      return ['not_sampled', incoming - outgoing - buffered(p)];
    default:
      return ['filtered', incoming - outgoing - buffered(p)];
  }
}

/**
 * One entry per exporter and signal: an exporter id used both for connector-derived metrics and for
 * metrics received over OTLP runs as two instances (two queues); their counts are summed.
 */
function mergedExporters(list: readonly ExporterTelemetry[]): ExporterTelemetry[] {
  const out = new Map<string, ExporterTelemetry>();
  for (const e of list) {
    const key = `${e.signal}\u0000${e.id}`;
    const seen = out.get(key);
    if (!seen) {
      out.set(key, { ...e, stats: { ...e.stats } });
      continue;
    }
    for (const k of Object.keys(seen.stats) as (keyof ExporterStats)[]) seen.stats[k] += e.stats[k];
    if (e.queueCapacity !== undefined) seen.queueCapacity = (seen.queueCapacity ?? 0) + e.queueCapacity;
  }
  return [...out.values()];
}

const POLICY = /^count_traces_sampled\{policy=(.*),sampled=(true|false)\}$/;

export function gatewayTelemetry(input: GatewayTelemetryInput): MetricsData {
  const m = new Metrics(millisToNanos(input.startedAt), millisToNanos(input.now));
  const r = input.receiver;
  const recv = { receiver: r.id, transport: 'http' };
  // Per signal the receiver serves; the traces names stay what they always were.
  for (const signal of SIGNALS) {
    const counts = r.signals[signal];
    if (!counts) continue;
    const { metric, unit, what } = ITEM_NAMES[signal];
    m.counter(`otelcol_receiver_accepted_${metric}`, `${what} the receiver pushed into the pipelines (acknowledged with 200).`, unit, [[recv, counts.accepted]]);
    m.counter(`otelcol_receiver_refused_${metric}`, `${what} of decoded requests the pipelines refused under pressure (answered 429/503 with Retry-After).`, unit, [[recv, counts.refused]]);
    m.counter(`otelcol_receiver_rejected_${metric}`, `${what} the pipelines rejected as invalid (reported to the client as partial success).`, unit, [[recv, counts.rejected]]);
  }
  m.counter('otelcol_receiver_requests', 'OTLP requests answered, by HTTP status.', '{requests}', Object.entries(r.responses).map(([code, n]) => [{ ...recv, http_response_status_code: code }, n]));
  m.gauge('otelcol_receiver_requests_in_flight', 'OTLP requests being handled now.', '{requests}', [[recv, r.inFlight]]);
  m.gauge('otelcol_receiver_requests_in_flight_limit', 'OTLP requests handled at once at most; more are answered 503.', '{requests}', [[recv, r.maxInFlight]]);

  const proc = (p: ProcessorTelemetry) => ({ processor: p.items.processor, pipeline: p.items.pipeline, otel_signal: p.items.signal });
  m.counter('otelcol_processor_incoming_items', 'Items (spans, log records, data points) handed to the processor.', '{items}', input.processors.map((p) => [proc(p), p.items.incoming]));
  m.counter('otelcol_processor_outgoing_items', 'Items the processor passed on.', '{items}', input.processors.map((p) => [proc(p), p.items.outgoing]));
  for (const signal of SIGNALS) {
    const { metric, unit, what } = ITEM_NAMES[signal];
    const of = input.processors.filter((p) => p.items.signal === signal);
    m.counter(`otelcol_processor_dropped_${metric}`, `${what} the processor did not pass on, by reason (not_sampled, filtered).`, unit, of.map((p) => {
      const [reason, n] = processorDropped(p);
      return [{ processor: p.items.processor, pipeline: p.items.pipeline, reason }, n];
    }));
  }

  const tail = input.processors.filter((p) => p.items.type === 'tail_sampling');
  const tl = (p: ProcessorTelemetry, extra: Labels = {}) => ({ processor: p.items.processor, pipeline: p.items.pipeline, ...extra });
  m.gauge('otelcol_processor_tail_sampling_sampling_traces_on_memory', 'Traces the tail sampler holds, waiting for a decision or kept for late spans.', '{traces}', tail.map((p) => [tl(p), p.counters.sampling_traces_on_memory ?? 0]));
  m.counter('otelcol_processor_tail_sampling_count_traces_sampled', 'Decisions per top-level policy: traces it voted to sample (sampled="true") or not.', '{traces}', tail.flatMap((p) =>
    Object.entries(p.counters).flatMap(([k, n]) => {
      const hit = POLICY.exec(k);
      return hit ? [[tl(p, { policy: hit[1]!, sampled: hit[2]! }), n] as [Labels, number]] : [];
    })));
  m.counter('otelcol_processor_tail_sampling_global_count_traces_sampled', 'Final decisions: traces sampled or not.', '{traces}', tail.flatMap((p) => [
    [tl(p, { sampled: 'true' }), p.counters.global_count_traces_sampled ?? 0],
    [tl(p, { sampled: 'false' }), (p.counters.global_count_traces_not_sampled ?? 0) + (p.counters.global_count_traces_dropped ?? 0)],
  ] as [Labels, number][]));
  m.counter('otelcol_processor_tail_sampling_new_trace_id_received', 'Traces seen for the first time.', '{traces}', tail.map((p) => [tl(p), p.counters.new_trace_id_received ?? 0]));
  m.counter('otelcol_processor_tail_sampling_sampling_trace_dropped_too_early', 'Traces evicted (num_traces) before their decision.', '{traces}', tail.map((p) => [tl(p), p.counters.sampling_trace_dropped_too_early ?? 0]));

  const limiters = input.processors.filter((p) => p.items.type === 'memory_limiter');
  for (const signal of SIGNALS) {
    const { metric, unit, what } = ITEM_NAMES[signal];
    m.counter(`otelcol_processor_refused_${metric}`, `${what} the memory limiter refused (the receiver answered 503).`, unit, limiters.filter((p) => p.items.signal === signal).map((p) => [tl(p), p.counters[`refused_${metric}`] ?? 0]));
  }

  const exporters = mergedExporters(input.exporters);
  const ex = (e: ExporterTelemetry) => ({ exporter: e.id });
  for (const signal of SIGNALS) {
    const { metric, unit, what } = ITEM_NAMES[signal];
    const of = exporters.filter((e) => e.signal === signal);
    m.counter(`otelcol_exporter_sent_${metric}`, `${what} the destination accepted.`, unit, of.map((e) => [ex(e), e.stats.delivered]));
    m.counter(`otelcol_exporter_send_failed_${metric}`, `${what} given up on (errors, retries exhausted) or rejected by the destination.`, unit, of.map((e) => [ex(e), e.stats.failed + e.stats.rejected]));
    m.counter(`otelcol_exporter_enqueue_failed_${metric}`, `${what} dropped without an attempt (queue full, shut down, too large).`, unit, of.map((e) => [ex(e), e.stats.dropped]));
  }
  // Traces queues keep their one label; logs and metrics ones say their data_type (as the
  // collector's do), since an exporter id can run one queue per signal.
  const queued = exporters.filter((e) => e.queueCapacity !== undefined);
  const q = (e: ExporterTelemetry) => (e.signal === 'traces' ? ex(e) : { ...ex(e), data_type: e.signal });
  m.gauge('otelcol_exporter_queue_size', 'Batches (requests) waiting in or being sent from the exporter\'s queue.', '{batches}', queued.map((e) => [q(e), e.stats.queued + e.stats.inFlight]));
  m.gauge('otelcol_exporter_queue_capacity', 'Batches the exporter\'s queue holds at most; when full the receiver refuses data.', '{batches}', queued.map((e) => [q(e), e.queueCapacity!]));

  const s = input.store;
  if (s) {
    m.gauge('otelcol_trace_store_blocks', 'Blocks the trace store holds.', '{blocks}', [[{}, s.blocks]]);
    m.gauge('otelcol_trace_store_spans', 'Spans the trace store holds.', '{spans}', [[{}, s.spans]]);
    m.gauge('otelcol_trace_store_size', 'Core memory the trace store holds.', 'By', [[{}, s.bytes]]);
    m.gauge('otelcol_trace_store_capacity', 'Core memory the trace store may hold (max_size_mib).', 'By', [[{}, s.maxBytes]]);
    m.counter('otelcol_trace_store_evicted_spans', 'Spans evicted from the trace store, by reason (size, age).', '{spans}', (['size', 'age'] as const).map((reason) => [{ reason }, s.evicted[reason].spans]));
    m.counter('otelcol_trace_store_evicted_blocks', 'Blocks evicted from the trace store, by reason.', '{blocks}', (['size', 'age'] as const).map((reason) => [{ reason }, s.evicted[reason].blocks]));
    m.counter('otelcol_trace_store_lookups', 'Trace-by-id lookups, by whether the trace was found.', '{lookups}', [[{ found: 'true' }, s.lookups.found], [{ found: 'false' }, s.lookups.requests - s.lookups.found]]);
    m.counter('otelcol_trace_store_block_checks', 'Blocks considered by lookups: ruled out by the bloom filter, scanned, or scanned for nothing (a bloom false positive).', '{blocks}', [
      [{ result: 'bloom_negative' }, s.lookups.bloomNegative], [{ result: 'scanned' }, s.lookups.scanned], [{ result: 'false_positive' }, s.lookups.falsePositive],
    ]);
    m.counter('otelcol_trace_store_dropped_spans', 'Spans the trace store could not copy (core memory exhausted).', '{spans}', [[{}, s.droppedSpans]]);
  }

  m.gauge('otelcol_sieve_core_memory_used', 'Bytes the WebAssembly core has allocated.', 'By', [[{}, input.core.used]]);
  m.gauge('otelcol_sieve_core_memory_peak', 'Most bytes the WebAssembly core has had allocated.', 'By', [[{}, input.core.peak]]);
  m.gauge('otelcol_sieve_core_memory_limit', 'The WebAssembly core\'s memory budget.', 'By', [[{}, input.core.limit]]);
  m.gauge('otelcol_process_memory_rss', 'Resident set size of the process.', 'By', [[{}, input.process.rss]]);
  m.gauge('otelcol_process_runtime_heap_alloc_bytes', 'JavaScript heap in use.', 'By', [[{}, input.process.heapUsed]]);
  m.counter('otelcol_process_cpu_seconds', 'CPU time (user and system) used by the process.', 's', [[{}, input.process.cpuSeconds]]);
  m.counter('otelcol_process_uptime', 'Time since the gateway started.', 's', [[{}, (input.now - input.startedAt) / 1000]]);

  return {
    resourceMetrics: [{
      resource: { attributes: kvs({ 'service.name': 'otel-sieve', 'service.version': input.version, 'service.instance.id': input.instanceId }) },
      scopeMetrics: [{ scope: { name: 'otel-sieve/gateway', version: input.version }, metrics: m.metrics() }],
    }],
  };
}
