// The page's data (GET /api/sieve/overview): what the span-metrics and service-graph connectors last
// collected, folded into rows the page draws — operations with calls, errors and a latency
// histogram, service-graph edges with requests and failures — plus the gateway's counters and what
// the receiver took per signal. Values are cumulative; the page turns them into rates between two polls.
import type { MetricsData, HistogramDataPoint, NumberDataPoint, KeyValue } from '../metrics/metrics-data.js';
import type { Signal } from '../config/collector-config.js';

export interface OverviewOperation {
  service: string;
  name: string;
  kind: string;
  calls: number;
  errors: number;
  /** Latency histogram in seconds: upper bounds and per-bucket counts (bounds.length + 1). */
  bounds: number[];
  counts: number[];
  sum: number;
}

export interface OverviewEdge {
  client: string;
  server: string;
  connectionType: string;
  requests: number;
  failed: number;
}

/** What the receiver did with one signal's items (spans, log records, data points) since start. */
export interface OverviewSignal {
  /** Acknowledged with 200. */
  accepted: number;
  /** Refused under pressure (429/503). */
  refused: number;
  /** Rejected as invalid (partial success). */
  rejected: number;
  /** Handed by the pipelines to their exporters. */
  exported: number;
}

export interface Overview {
  /** Unix ms of this answer and of the metrics collection it shows. */
  time: number;
  metricsTime: number | null;
  /** Which connectors fed the data (the page explains what is missing). */
  connectors: { spanmetrics: boolean; servicegraph: boolean };
  operations: OverviewOperation[];
  edges: OverviewEdge[];
  gateway: Record<string, number>;
  /** Per signal the OTLP receiver serves (`/v1/traces`, `/v1/logs`, `/v1/metrics`). */
  signals: Partial<Record<Signal, OverviewSignal>>;
}

function attr(list: readonly KeyValue[], key: string): string {
  const v = list.find((kv) => kv.key === key)?.value;
  if (!v || v.type === 'empty' || v.type === 'array' || v.type === 'kvlist' || v.type === 'bytes') return '';
  return String(v.value);
}

const SECONDS: Readonly<Record<string, number>> = { s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };
const shortKind = (k: string) => k.replace(/^SPAN_KIND_/, '').toLowerCase();

/** Folds connector output into page rows; unknown metrics are ignored. */
export function buildOverview(data: MetricsData, metricsTime: number | undefined, gateway: Record<string, number>, now: number, signals: Partial<Record<Signal, OverviewSignal>> = {}): Overview {
  const ops = new Map<string, OverviewOperation>();
  const edges = new Map<string, OverviewEdge>();
  let spanmetrics = false;
  let servicegraph = false;
  const op = (attrs: readonly KeyValue[], resource: readonly KeyValue[]) => {
    const service = attr(attrs, 'service.name') || attr(attrs, 'service') || attr(resource, 'service.name');
    const name = attr(attrs, 'span.name') || attr(attrs, 'span_name');
    const kind = shortKind(attr(attrs, 'span.kind') || attr(attrs, 'span_kind'));
    const key = `${service}\u0000${name}\u0000${kind}`;
    let o = ops.get(key);
    if (!o) ops.set(key, (o = { service, name, kind, calls: 0, errors: 0, bounds: [], counts: [], sum: 0 }));
    return o;
  };
  for (const rm of data.resourceMetrics) {
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) {
        const n = m.name;
        if ((n.endsWith('.calls') || n.endsWith('calls_total') || n === 'calls') && m.data.type === 'sum') {
          spanmetrics = true;
          for (const p of m.data.dataPoints as NumberDataPoint[]) {
            const o = op(p.attributes, rm.resource.attributes);
            const v = Number(p.value);
            o.calls += v;
            const status = attr(p.attributes, 'status.code') || attr(p.attributes, 'status_code');
            if (status === 'STATUS_CODE_ERROR') o.errors += v;
          }
        } else if ((n.endsWith('.duration') || n.endsWith('_latency') || n === 'duration') && m.data.type === 'histogram') {
          spanmetrics = true;
          const scale = SECONDS[m.unit] ?? 1e-3;
          for (const p of m.data.dataPoints as HistogramDataPoint[]) {
            const o = op(p.attributes, rm.resource.attributes);
            const bounds = p.explicitBounds.map((b) => b * scale);
            if (!o.bounds.length) {
              o.bounds = bounds;
              o.counts = p.bucketCounts.map(() => 0);
            }
            if (o.bounds.length === bounds.length) p.bucketCounts.forEach((c, i) => (o.counts[i]! += c));
            o.sum += (p.sum ?? 0) * scale;
          }
        } else if ((n === 'traces_service_graph_request_total' || n === 'traces_service_graph_request_failed_total') && m.data.type === 'sum') {
          servicegraph = true;
          const failedOnly = n.endsWith('failed_total');
          for (const p of m.data.dataPoints as NumberDataPoint[]) {
            const client = attr(p.attributes, 'client');
            const server = attr(p.attributes, 'server');
            const connectionType = attr(p.attributes, 'connection_type');
            const key = `${client}\u0000${server}\u0000${connectionType}`;
            let e = edges.get(key);
            if (!e) edges.set(key, (e = { client, server, connectionType, requests: 0, failed: 0 }));
            if (failedOnly) e.failed += Number(p.value);
            else e.requests += Number(p.value);
          }
        }
      }
    }
  }
  return {
    time: now,
    metricsTime: metricsTime ?? null,
    connectors: { spanmetrics, servicegraph },
    operations: [...ops.values()].sort((a, b) => a.service.localeCompare(b.service) || b.calls - a.calls),
    edges: [...edges.values()].sort((a, b) => b.requests - a.requests),
    gateway,
    signals,
  };
}
