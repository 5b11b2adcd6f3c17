// From the metrics data model to Prometheus metric families, shared by the text (0.0.4) and
// OpenMetrics renderers: names and labels translated, resources turned into `job`/`instance` labels
// and a `target_info` family (what the collector's Prometheus exporter does), exponential histograms
// turned into classic buckets (losslessly: their bucket boundaries become `le` values), series
// sorted so the text is deterministic, and duplicate label sets merged (a scrape may not repeat one).
import type { KeyValue } from '../otlp/trace-views.js';
import { AGGREGATION_TEMPORALITY_DELTA } from './metrics-data.js';
import type { MetricsData, Metric, Exemplar, HistogramDataPoint, ExponentialHistogramDataPoint } from './metrics-data.js';
import { valueAsString } from './canonical-values.js';
import { prometheusLabelName, prometheusMetricName, prometheusUnit } from './prometheus-naming.js';

/** Options of the Prometheus and OpenMetrics renderers; defaults in DEFAULT_EXPOSITION_OPTIONS. */
export interface ExpositionOptions {
  /** Append unit words and `_total` (the collector exporter's add_metric_suffixes). Default true. */
  addMetricSuffixes?: boolean;
  /** `job`/`instance` labels from service.name/namespace/instance.id, and a `target_info` series per resource. Default true. */
  targetInfo?: boolean;
  /** Copy every resource attribute onto every series (resource_to_telemetry_conversion). Default false. */
  resourceToTelemetry?: boolean;
  /** Sample timestamps (the data point time). Default false, as scrapers expect. */
  timestamps?: boolean;
  /** A prefix for every metric name. Default none. */
  namespace?: string;
  /** Told about metrics that cannot be exposed (delta temporality, a type clash with an earlier family). */
  onDropped?: (metric: string, reason: string) => void;
}

export const DEFAULT_EXPOSITION_OPTIONS: Readonly<Required<Omit<ExpositionOptions, 'onDropped'>>> = Object.freeze({
  addMetricSuffixes: true,
  targetInfo: true,
  resourceToTelemetry: false,
  timestamps: false,
  namespace: '',
});

export type Labels = [string, string][];

export interface ExpositionExemplar {
  labels: Labels;
  value: number;
  /** Seconds since the epoch. */
  timestamp: number;
}

export interface ExpositionSeries {
  labels: Labels;
  /** counter / gauge / info value. */
  value: number;
  /** Histograms: cumulative bucket counts by upper bound (the last bound is +Inf). */
  buckets: { le: number; count: number; exemplar?: ExpositionExemplar }[];
  sum: number;
  count: number;
  /** Start of the series, seconds (OpenMetrics `_created`); undefined when unknown. */
  created?: number;
  /** Data point time, milliseconds. */
  timestampMs: number;
  exemplar?: ExpositionExemplar;
}

export interface ExpositionFamily {
  /** The metric name (counters: with `_total` when suffixes are on). */
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'info';
  help: string;
  /** The Prometheus unit word when the name ends with it (OpenMetrics `# UNIT`). */
  unit: string;
  series: ExpositionSeries[];
}

const nanosToSeconds = (n: bigint): number => Number(n / 1000n) / 1e6;
const nanosToMillis = (n: bigint): number => Number(n / 1_000_000n);

const EXEMPLAR_MAX_RUNES = 128;

function exemplarOf(e: Exemplar): ExpositionExemplar | undefined {
  const labels: Labels = [];
  if (e.traceId) labels.push(['trace_id', e.traceId]);
  if (e.spanId) labels.push(['span_id', e.spanId]);
  for (const kv of e.filteredAttributes) labels.push([prometheusLabelName(kv.key), valueAsString(kv.value)]);
  // OpenMetrics limits an exemplar's label set to 128 UTF-8 characters; a longer one is left out.
  let runes = 0;
  for (const [k, v] of labels) runes += [...k].length + [...v].length;
  if (runes > EXEMPLAR_MAX_RUNES) return undefined;
  return { labels, value: typeof e.value === 'bigint' ? Number(e.value) : e.value, timestamp: nanosToSeconds(e.timeUnixNano) };
}

/** Attributes as labels: sanitised names; values of names that collide after sanitising joined with `;`. */
function labelsOf(attributes: readonly KeyValue[]): Map<string, string> {
  const byName = new Map<string, { key: string; value: string }[]>();
  for (const kv of attributes) {
    const name = prometheusLabelName(kv.key);
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push({ key: kv.key, value: valueAsString(kv.value) });
  }
  const out = new Map<string, string>();
  for (const [name, list] of byName) {
    list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    out.set(name, list.map((e) => e.value).join(';'));
  }
  return out;
}

function attr(attributes: readonly KeyValue[], key: string): string | undefined {
  const kv = attributes.find((a) => a.key === key);
  return kv ? valueAsString(kv.value) : undefined;
}

const SERVICE_KEYS = new Set(['service.name', 'service.namespace', 'service.instance.id']);

function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [ka, va] = a[i]!;
    const [kb, vb] = b[i]!;
    if (ka !== kb) return ka < kb ? -1 : 1;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return a.length - b.length;
}

/** Cumulative classic buckets of an exponential histogram: every boundary base^i becomes an `le`. */
function exponentialBuckets(p: ExponentialHistogramDataPoint): { le: number; count: number }[] {
  const base = 2 ** (2 ** -p.scale);
  const raw: { le: number; count: number }[] = [];
  // Negative bucket i holds [-base^(i+1), -base^i): its upper bound is -base^i; most negative first.
  for (let i = p.negative.bucketCounts.length - 1; i >= 0; i--) raw.push({ le: -(base ** (p.negative.offset + i)), count: p.negative.bucketCounts[i]! });
  if (p.zeroCount || p.negative.bucketCounts.length) raw.push({ le: p.zeroThreshold ?? 0, count: p.zeroCount });
  p.positive.bucketCounts.forEach((c, i) => raw.push({ le: base ** (p.positive.offset + i + 1), count: c }));
  let acc = 0;
  return raw.map((b) => ({ le: b.le, count: (acc += b.count) }));
}

function explicitBuckets(p: HistogramDataPoint): { le: number; count: number }[] {
  let acc = 0;
  return p.explicitBounds.map((le, i) => ({ le, count: (acc += p.bucketCounts[i] ?? 0) }));
}

/** Builds the families of `data` (sorted by name, series sorted by labels). */
export function expositionFamilies(data: MetricsData, options: ExpositionOptions = {}): ExpositionFamily[] {
  const o = { ...DEFAULT_EXPOSITION_OPTIONS, ...options };
  const families = new Map<string, ExpositionFamily>();
  const index = new Map<ExpositionFamily, Map<string, ExpositionSeries>>();
  const dropped = (metric: string, reason: string) => options.onDropped?.(metric, reason);

  const seriesFor = (family: ExpositionFamily, labels: Map<string, string>, timestampMs: number, created: number | undefined): { s: ExpositionSeries; fresh: boolean } => {
    const sorted: Labels = [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const sig = JSON.stringify(sorted);
    let map = index.get(family);
    if (!map) index.set(family, (map = new Map()));
    const existing = map.get(sig);
    if (existing) return { s: existing, fresh: false };
    const s: ExpositionSeries = { labels: sorted, value: 0, buckets: [], sum: 0, count: 0, created, timestampMs };
    map.set(sig, s);
    family.series.push(s);
    return { s, fresh: true };
  };

  const familyFor = (name: string, type: ExpositionFamily['type'], help: string, unit: string, metric: string): ExpositionFamily | undefined => {
    const f = families.get(name);
    if (f) {
      if (f.type !== type) {
        dropped(metric, `its Prometheus name ${name} is already a ${f.type}`);
        return undefined;
      }
      if (!f.help && help) f.help = help;
      return f;
    }
    const created: ExpositionFamily = { name, type, help, unit, series: [] };
    families.set(name, created);
    return created;
  };

  for (const rm of data.resourceMetrics) {
    const resAttrs = rm.resource.attributes;
    const resLabels = new Map<string, string>();
    if (o.targetInfo) {
      const service = attr(resAttrs, 'service.name');
      const namespace = attr(resAttrs, 'service.namespace');
      const instance = attr(resAttrs, 'service.instance.id');
      if (service !== undefined) resLabels.set('job', namespace ? `${namespace}/${service}` : service);
      if (instance !== undefined) resLabels.set('instance', instance);
      const rest = resAttrs.filter((kv) => !SERVICE_KEYS.has(kv.key));
      if (resLabels.size && rest.length) {
        const f = familyFor(prometheusMetricName({ name: 'target_info', unit: '', kind: 'gauge' }, false, o.namespace), 'info', 'Target metadata', '', 'target_info');
        if (f) {
          const labels = labelsOf(rest);
          for (const [k, v] of resLabels) labels.set(k, v);
          // Stamped like the resource's first data point (when timestamps are written).
          const first = rm.scopeMetrics.flatMap((sm) => sm.metrics).find((m) => m.data.dataPoints.length)?.data.dataPoints[0];
          seriesFor(f, labels, first ? nanosToMillis(first.timeUnixNano) : 0, undefined).s.value = 1;
        }
      }
    }
    if (o.resourceToTelemetry) for (const [k, v] of labelsOf(resAttrs)) if (!resLabels.has(k)) resLabels.set(k, v);

    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) addMetric(m, resLabels);
    }
  }

  function addMetric(m: Metric, resLabels: Map<string, string>): void {
    const d = m.data;
    if ((d.type === 'sum' || d.type === 'histogram' || d.type === 'exponentialHistogram') && d.aggregationTemporality === AGGREGATION_TEMPORALITY_DELTA) {
      dropped(m.name, 'delta temporality (Prometheus needs cumulative values)');
      return;
    }
    const kind = d.type === 'sum' ? (d.isMonotonic ? 'counter' : 'gauge') : d.type === 'gauge' ? 'gauge' : 'histogram';
    const name = prometheusMetricName({ name: m.name, unit: m.unit, kind }, o.addMetricSuffixes, o.namespace);
    const unitWord = o.addMetricSuffixes ? prometheusUnit(m.unit) : '';
    const base = kind === 'counter' ? name.replace(/_total$/, '') : name;
    const unit = unitWord && base.endsWith(`_${unitWord}`) ? unitWord : '';
    const family = familyFor(name, kind, m.description, unit, m.name);
    if (!family) return;
    const withResource = (attrs: readonly KeyValue[]): Map<string, string> => {
      const labels = labelsOf(attrs);
      for (const [k, v] of resLabels) if (!labels.has(k)) labels.set(k, v);
      return labels;
    };
    if (d.type === 'sum' || d.type === 'gauge') {
      for (const p of d.dataPoints) {
        const created = d.type === 'sum' && p.startTimeUnixNano ? nanosToSeconds(p.startTimeUnixNano) : undefined;
        const { s, fresh } = seriesFor(family, withResource(p.attributes), nanosToMillis(p.timeUnixNano), created);
        const v = typeof p.value === 'bigint' ? Number(p.value) : p.value;
        // A repeated label set: counters add up (both are counts since their start); gauges keep the first.
        if (fresh) s.value = v;
        else if (kind === 'counter') s.value += v;
        if (!s.exemplar && p.exemplars[0]) s.exemplar = exemplarOf(p.exemplars[0]);
      }
      return;
    }
    for (const p of d.dataPoints) {
      const buckets = d.type === 'histogram' ? explicitBuckets(p as HistogramDataPoint) : exponentialBuckets(p as ExponentialHistogramDataPoint);
      const { s, fresh } = seriesFor(family, withResource(p.attributes), nanosToMillis(p.timeUnixNano), p.startTimeUnixNano ? nanosToSeconds(p.startTimeUnixNano) : undefined);
      if (fresh) {
        s.buckets = [...buckets, { le: Infinity, count: p.count }];
        s.sum = p.sum ?? 0;
        s.count = p.count;
      } else if (d.type === 'histogram' && s.buckets.length === buckets.length + 1 && buckets.every((b, i) => b.le === s.buckets[i]!.le)) {
        buckets.forEach((b, i) => (s.buckets[i]!.count += b.count));
        s.buckets[buckets.length]!.count += p.count;
        s.sum += p.sum ?? 0;
        s.count += p.count;
      } else {
        dropped(m.name, 'a data point repeats the label set of another with different buckets');
        continue;
      }
      // One exemplar per bucket line: the first one whose value falls in the bucket.
      for (const e of p.exemplars) {
        const ex = exemplarOf(e);
        if (!ex) continue;
        const b = s.buckets.find((bucket) => ex.value <= bucket.le);
        if (b && !b.exemplar) b.exemplar = ex;
      }
    }
  }

  const out = [...families.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of out) f.series.sort((a, b) => compareLabels(a.labels, b.labels));
  return out;
}
