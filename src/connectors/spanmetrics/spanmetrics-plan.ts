// How a spanmetrics configuration maps onto the core: which aggregations (series tables) exist,
// what each records, which dimensions make up their keys (and under which attribute names they come
// out), and which metrics each one feeds. Calls and duration share one aggregation unless they have
// dimensions of their own, so a span costs one key and one lookup in the common case.
import * as M from '../../../assembly/abi/derived-metrics-layout.js';
import type { SpanMetricsConfig, SpanMetricsDimension } from './spanmetrics-config.js';

export interface DimensionPlan {
  readonly source: number; // DS_*
  /** The attribute key looked up (DS_ATTRIBUTE). */
  readonly key?: string;
  readonly default?: string;
  /** The attribute name in the output. */
  readonly label: string;
}

export type SpanMetricKind = 'calls' | 'duration' | 'events' | 'size';

export interface AggregationPlan {
  readonly kind: number; // AK_* bits
  readonly dimensions: readonly DimensionPlan[];
  /** Metrics fed by this aggregation's series. */
  readonly metrics: readonly SpanMetricKind[];
}

export interface MetricPlan {
  readonly kind: SpanMetricKind;
  readonly name: string;
  readonly description: string;
  readonly unit: string;
}

export interface SpanMetricsPlan {
  readonly aggregations: readonly AggregationPlan[];
  /** Output order of the metrics. */
  readonly metrics: readonly MetricPlan[];
  readonly scopeName: string;
  /** Attribute dimensions are looked up in the resource first (Tempo) rather than the span first. */
  readonly resourceFirst: boolean;
  /** null: every resource attribute identifies a resource; a list: only those (possibly none). */
  readonly resourceKeys: readonly string[] | null;
  /** Resource attributes are copied to the output (the collector) or dropped (Tempo). */
  readonly keepResourceAttributes: boolean;
}

const TEMPO_INTRINSICS = ['service', 'span_name', 'span_kind', 'status_code', 'status_message'];

/** Tempo's label sanitising: anything but [a-zA-Z0-9_] becomes `_`; a clash with an intrinsic gets `__`. */
export function tempoLabel(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return TEMPO_INTRINSICS.includes(s) ? `__${s}` : s;
}

export function planSpanMetrics(cfg: SpanMetricsConfig): SpanMetricsPlan {
  const tempo = cfg.profile === 'tempo';
  const excluded = new Set(cfg.excludeDimensions);
  const intrinsic = (name: string, source: number, tempoName: string): DimensionPlan[] =>
    excluded.has(name) ? [] : [{ source, label: tempo ? tempoName : name }];
  const base: DimensionPlan[] = [
    ...intrinsic('service.name', M.DS_SERVICE_NAME, 'service'),
    ...intrinsic('span.name', M.DS_SPAN_NAME, 'span_name'),
    ...intrinsic('span.kind', M.DS_SPAN_KIND, 'span_kind'),
    ...intrinsic('status.code', M.DS_STATUS_CODE, 'status_code'),
  ];
  const attr = (d: SpanMetricsDimension): DimensionPlan => ({
    source: M.DS_ATTRIBUTE,
    key: d.name,
    label: tempo ? tempoLabel(d.name) : d.name,
    ...(d.default !== undefined ? { default: d.default } : {}),
  });
  const scope: DimensionPlan[] = cfg.includeInstrumentationScope.length
    ? [
        { source: M.DS_SCOPE_NAME, label: 'span.instrumentation.scope.name' },
        { source: M.DS_SCOPE_VERSION, label: 'span.instrumentation.scope.version' },
      ]
    : [];
  const dims = (extra: readonly SpanMetricsDimension[]): DimensionPlan[] => [...base, ...cfg.dimensions.map(attr), ...extra.map(attr), ...scope];

  const histKind = cfg.histogram.disable ? 0 : cfg.histogram.type === 'exponential' ? M.AK_EXPONENTIAL : M.AK_EXPLICIT;
  const aggregations: AggregationPlan[] = [];
  if (histKind && cfg.callsDimensions.length === 0 && cfg.histogram.dimensions.length === 0) {
    aggregations.push({
      kind: M.AK_COUNT | histKind | (tempo ? M.AK_SIZE : 0),
      dimensions: dims([]),
      metrics: tempo ? ['calls', 'duration', 'size'] : ['calls', 'duration'],
    });
  } else {
    aggregations.push({ kind: M.AK_COUNT | (tempo ? M.AK_SIZE : 0), dimensions: dims(cfg.callsDimensions), metrics: tempo ? ['calls', 'size'] : ['calls'] });
    if (histKind) aggregations.push({ kind: histKind, dimensions: dims(cfg.histogram.dimensions), metrics: ['duration'] });
  }
  if (cfg.events.enabled) {
    aggregations.push({ kind: M.AK_COUNT | M.AK_PER_EVENT, dimensions: dims(cfg.events.dimensions), metrics: ['events'] });
  }

  const name = (n: string) => (cfg.namespace ? `${cfg.namespace}.${n}` : n);
  const metrics: MetricPlan[] = tempo
    ? [
        { kind: 'calls', name: 'traces_spanmetrics_calls_total', description: 'Total count of the spans', unit: '' },
        // No unit: Tempo's names are Prometheus names already, and a unit would add `_seconds`.
        ...(histKind ? [{ kind: 'duration' as const, name: 'traces_spanmetrics_latency', description: 'Latency of the spans in seconds', unit: '' }] : []),
        { kind: 'size', name: 'traces_spanmetrics_size_total', description: 'Total size of the spans in bytes', unit: '' },
      ]
    : [
        { kind: 'calls', name: name('calls'), description: 'Count of spans per set of dimensions', unit: '' },
        ...(histKind ? [{ kind: 'duration' as const, name: name('duration'), description: 'Duration of spans per set of dimensions', unit: cfg.histogram.unit }] : []),
        ...(cfg.events.enabled ? [{ kind: 'events' as const, name: name('events'), description: 'Count of span events per set of dimensions', unit: '' }] : []),
      ];

  return {
    aggregations,
    metrics,
    scopeName: tempo ? 'tempo.metrics_generator.span_metrics' : 'spanmetricsconnector',
    resourceFirst: tempo,
    resourceKeys: tempo ? [] : cfg.resourceMetricsKeyAttributes.length ? cfg.resourceMetricsKeyAttributes : null,
    keepResourceAttributes: !tempo,
  };
}
