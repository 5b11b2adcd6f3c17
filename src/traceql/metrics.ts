// Metrics queries (spec §9) in the shape of Tempo's query_range response. The time range
// [start, end) is cut into `step` intervals aligned to multiples of step; a span counts in the
// interval holding its start time. Counting functions report every interval (zeros included);
// value functions report intervals that saw a value. Durations are reported in seconds.
import { TraceQLError } from './errors.js';
import type { Evaluator, Spanset } from './evaluate.js';
import type { SpanContext, TValue } from './span-context.js';
import { anyValue } from './search-response.js';
import type { SearchAnyValue } from './search-response.js';
import type { AttributeNode, CompareOp, IntrinsicNode, MetricsFnNode, MetricsNode, SecondStage } from './ast.js';

export interface MetricsLabel {
  key: string;
  value: SearchAnyValue;
}

export interface MetricsSample {
  timestampMs: string;
  value: number;
}

export interface MetricsSeries {
  labels: MetricsLabel[];
  samples: MetricsSample[];
}

export interface QueryRangeResponse {
  series: MetricsSeries[];
}

export interface MetricsRange {
  /** Start of the range, nanoseconds since the epoch (inclusive). */
  start: bigint;
  /** End of the range, nanoseconds since the epoch (exclusive). */
  end: bigint;
  /** Interval length in nanoseconds; omitted or 0: one interval covering the range. */
  step?: bigint;
}

interface Grid {
  start: bigint;
  step: bigint;
  count: number;
}

/** Internal series: values per interval (NaN = no value). */
interface Series {
  labels: MetricsLabel[];
  values: number[];
  counting: boolean;
}

const NS_PER_S = 1e9;

function gridOf(range: MetricsRange): Grid {
  if (range.end <= range.start) throw new TraceQLError(`metrics: end (${range.end}) must be after start (${range.start})`, 1, 1, 'validate');
  const step = range.step && range.step > 0n ? range.step : range.end - range.start;
  const start = range.start - (((range.start % step) + step) % step);
  const count = Number((range.end - start + step - 1n) / step);
  if (count > 11_000) throw new TraceQLError(`metrics: ${count} intervals exceed the limit of 11000 (raise step)`, 1, 1, 'validate');
  return { start, step, count };
}

function numberOf(v: TValue): number | null {
  switch (v.t) {
    case 'int':
      return Number(v.v);
    case 'float':
      return v.v;
    case 'duration':
      return Number(v.v) / NS_PER_S;
    default:
      return null;
  }
}

function labelKey(labels: MetricsLabel[]): string {
  return JSON.stringify(labels);
}

/** Power-of-two bucket holding v (its upper bound), as Tempo's log2 histograms do. */
function log2Bucket(v: number): number {
  if (v <= 0) return 0;
  return Math.pow(2, Math.ceil(Math.log2(v)));
}

/** Quantile from power-of-two buckets, interpolating linearly inside the bucket. */
function log2Quantile(q: number, buckets: Map<number, number>): number {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  if (!total) return NaN;
  const rank = q * total;
  let cum = 0;
  for (const [upper, c] of sorted) {
    if (cum + c >= rank) {
      const lower = upper / 2;
      const frac = c ? (rank - cum) / c : 0;
      return lower + (upper - lower) * frac;
    }
    cum += c;
  }
  return sorted[sorted.length - 1]![0];
}

export class MetricsEvaluator {
  constructor(
    private readonly ctx: SpanContext,
    private readonly ev: Evaluator,
    private readonly range: MetricsRange,
  ) {}

  run(root: MetricsNode): QueryRangeResponse {
    const grid = gridOf(this.range);
    const series = this.node(root, grid);
    return {
      series: series
        .map((s) => ({
          labels: s.labels,
          samples: s.values
            .map((v, i) => ({ v, i }))
            .filter(({ v }) => !Number.isNaN(v))
            .map(({ v, i }) => ({ timestampMs: ((grid.start + BigInt(i) * grid.step) / 1_000_000n).toString(), value: v })),
        }))
        .filter((s) => s.samples.length > 0 || series.length === 1),
    };
  }

  private node(n: MetricsNode, grid: Grid): Series[] {
    switch (n.kind) {
      case 'metricsQuery': {
        const sets = this.ev.pipeline(n.pipeline, null);
        return this.fn(n.fn, sets, grid);
      }
      case 'metricsStaged': {
        let s = this.node(n.expr, grid);
        for (const st of n.stages) s = this.stage(st, s);
        return s;
      }
      case 'metricsMath': {
        const side = (x: MetricsNode | number): Series[] | number => (typeof x === 'number' ? x : this.node(x, grid));
        return this.math(n.op, side(n.lhs), side(n.rhs), grid);
      }
    }
  }

  private intervalOf(startNs: bigint, grid: Grid): number {
    if (startNs < this.range.start || startNs >= this.range.end) return -1;
    const i = Number((startNs - grid.start) / grid.step);
    return i >= 0 && i < grid.count ? i : -1;
  }

  private fieldValues(f: AttributeNode | IntrinsicNode, sets: Spanset[]): TValue[] {
    return this.ev.valuesOf(f, sets);
  }

  private fn(fn: MetricsFnNode, sets: Spanset[], grid: Grid): Series[] {
    const spans = [...new Set(sets.flatMap((s) => s.spans))].sort((a, b) => a - b);
    const starts = spans.map((g) => {
      const { batch, index } = this.ctx.locate(g);
      return batch.span(index).startTimeUnixNano;
    });
    if (fn.fn === 'compare') return this.compare(fn, sets, spans, starts, grid);
    const byValues = fn.by.map((b) => this.fieldValues(b, sets));
    const attrValues = fn.attr ? this.fieldValues(fn.attr, sets) : null;
    const groups = new Map<string, { labels: MetricsLabel[]; idx: number[] }>();
    spans.forEach((g, k) => {
      const labels: MetricsLabel[] = [];
      fn.by.forEach((b, j) => {
        const v = anyValue(byValues[j]![g]!);
        if (v) labels.push({ key: b.text, value: v });
      });
      const key = labelKey(labels);
      let grp = groups.get(key);
      if (!grp) groups.set(key, (grp = { labels, idx: [] }));
      grp.idx.push(k);
    });
    if (groups.size === 0 && (fn.fn === 'rate' || fn.fn === 'count_over_time')) groups.set('[]', { labels: [], idx: [] });
    const out: Series[] = [];
    const stepS = Number(grid.step) / NS_PER_S;
    for (const { labels, idx } of groups.values()) {
      const perInterval: number[][] = Array.from({ length: grid.count }, () => []);
      const counts = new Array<number>(grid.count).fill(0);
      for (const k of idx) {
        const i = this.intervalOf(starts[k]!, grid);
        if (i < 0) continue;
        counts[i]!++;
        if (attrValues) {
          const v = numberOf(attrValues[spans[k]!]!);
          if (v !== null) perInterval[i]!.push(v);
        }
      }
      switch (fn.fn) {
        case 'rate':
          out.push({ labels, values: counts.map((c) => c / stepS), counting: true });
          break;
        case 'count_over_time':
          out.push({ labels, values: counts, counting: true });
          break;
        case 'sum_over_time':
          out.push({ labels, values: perInterval.map((vs) => (vs.length ? vs.reduce((a, b) => a + b, 0) : NaN)), counting: false });
          break;
        case 'avg_over_time':
          out.push({ labels, values: perInterval.map((vs) => (vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : NaN)), counting: false });
          break;
        case 'min_over_time':
          out.push({ labels, values: perInterval.map((vs) => (vs.length ? Math.min(...vs) : NaN)), counting: false });
          break;
        case 'max_over_time':
          out.push({ labels, values: perInterval.map((vs) => (vs.length ? Math.max(...vs) : NaN)), counting: false });
          break;
        case 'quantile_over_time':
          for (const q of fn.quantiles) {
            const values = perInterval.map((vs) => {
              const buckets = new Map<number, number>();
              for (const v of vs) buckets.set(log2Bucket(v), (buckets.get(log2Bucket(v)) ?? 0) + 1);
              return log2Quantile(q, buckets);
            });
            out.push({ labels: [...labels, { key: 'p', value: { doubleValue: q } }], values, counting: false });
          }
          break;
        case 'histogram_over_time': {
          const bucketSet = new Set<number>();
          for (const vs of perInterval) for (const v of vs) bucketSet.add(log2Bucket(v));
          for (const b of [...bucketSet].sort((x, y) => x - y)) {
            const values = perInterval.map((vs) => {
              const c = vs.filter((v) => log2Bucket(v) === b).length;
              return c ? c : NaN;
            });
            out.push({ labels: [...labels, { key: '__bucket', value: { doubleValue: b } }], values, counting: false });
          }
          break;
        }
      }
    }
    return out;
  }

  /** compare(): per attribute value, span counts of the selection (spans matching the filter) and of the baseline (the rest). */
  private compare(fn: MetricsFnNode, sets: Spanset[], spans: number[], starts: bigint[], grid: Grid): Series[] {
    const c = fn.compare!;
    const selected = new Set(this.ev.pipeline({ kind: 'pipeline', elements: [c.filter], pos: fn.pos }, sets).flatMap((s) => s.spans));
    const winStart = c.start;
    const winEnd = c.end;
    // Attributes to compare: every span and resource attribute of the spans, plus name/status/kind.
    const counts = new Map<string, { labels: MetricsLabel[]; values: number[]; total: number }>();
    const totals = new Map<string, { labels: MetricsLabel[]; values: number[] }>();
    const add = (map: Map<string, { labels: MetricsLabel[]; values: number[]; total: number }>, labels: MetricsLabel[], i: number) => {
      const key = labelKey(labels);
      let s = map.get(key);
      if (!s) map.set(key, (s = { labels, values: new Array<number>(grid.count).fill(NaN), total: 0 }));
      s.values[i] = (Number.isNaN(s.values[i]!) ? 0 : s.values[i]!) + 1;
      s.total++;
    };
    spans.forEach((g, k) => {
      const i = this.intervalOf(starts[k]!, grid);
      if (i < 0) return;
      const inWindow = winStart === undefined || (starts[k]! >= winStart && starts[k]! < winEnd!);
      const type = selected.has(g) && inWindow ? 'selection' : 'baseline';
      const { batch, index } = this.ctx.locate(g);
      const view = batch.span(index);
      const attrs: [string, SearchAnyValue][] = [];
      for (const kv of view.attributes) {
        const v = kv.value.type === 'string' ? { stringValue: kv.value.value } : kv.value.type === 'int' ? { intValue: kv.value.value.toString() } : kv.value.type === 'bool' ? { boolValue: kv.value.value } : kv.value.type === 'double' ? { doubleValue: kv.value.value } : null;
        if (v) attrs.push([`span.${kv.key}`, v]);
      }
      for (const kv of view.resource.attributes) {
        const v = kv.value.type === 'string' ? { stringValue: kv.value.value } : kv.value.type === 'int' ? { intValue: kv.value.value.toString() } : kv.value.type === 'bool' ? { boolValue: kv.value.value } : kv.value.type === 'double' ? { doubleValue: kv.value.value } : null;
        if (v) attrs.push([`resource.${kv.key}`, v]);
      }
      attrs.push(['name', { stringValue: view.name }]);
      attrs.push(['status', { stringValue: ['unset', 'ok', 'error'][view.status.code] ?? String(view.status.code) }]);
      attrs.push(['kind', { stringValue: ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'][view.kind] ?? String(view.kind) }]);
      for (const [key, value] of attrs) {
        add(counts, [{ key: '__meta_type', value: { stringValue: type } }, { key, value }], i);
        const tkey = `${type}_total\u0000${key}`;
        let t = totals.get(tkey);
        if (!t) totals.set(tkey, (t = { labels: [{ key: '__meta_type', value: { stringValue: `${type}_total` } }, { key, value: {} }], values: new Array<number>(grid.count).fill(NaN) }));
        t.values[i] = (Number.isNaN(t.values[i]!) ? 0 : t.values[i]!) + 1;
      }
    });
    // Keep the topN values per (type, attribute) by total count.
    const byAttr = new Map<string, { labels: MetricsLabel[]; values: number[]; total: number }[]>();
    for (const s of counts.values()) {
      const k = `${JSON.stringify(s.labels[0])}\u0000${s.labels[1]!.key}`;
      (byAttr.get(k) ?? byAttr.set(k, []).get(k)!).push(s);
    }
    const out: Series[] = [];
    for (const list of byAttr.values()) {
      list.sort((a, b) => b.total - a.total || labelKey(a.labels).localeCompare(labelKey(b.labels)));
      for (const s of list.slice(0, c.topN)) out.push({ labels: s.labels, values: s.values, counting: false });
    }
    for (const t of totals.values()) out.push({ labels: t.labels, values: t.values, counting: false });
    return out;
  }

  private stage(st: SecondStage, series: Series[]): Series[] {
    if (st.kind === 'filter') {
      return series
        .map((s) => ({ ...s, values: s.values.map((v) => (!Number.isNaN(v) && cmp(st.op, v, st.value) ? v : NaN)) }))
        .filter((s) => s.values.some((v) => !Number.isNaN(v)));
    }
    const count = series[0]?.values.length ?? 0;
    const keep = series.map(() => new Array<boolean>(count).fill(false));
    for (let i = 0; i < count; i++) {
      const ranked = series.map((s, k) => ({ k, v: s.values[i]! })).filter((x) => !Number.isNaN(x.v));
      ranked.sort((a, b) => (st.kind === 'topk' ? b.v - a.v : a.v - b.v));
      for (const { k } of ranked.slice(0, st.n)) keep[k]![i] = true;
    }
    return series
      .map((s, k) => ({ ...s, values: s.values.map((v, i) => (keep[k]![i] ? v : NaN)) }))
      .filter((s) => s.values.some((v) => !Number.isNaN(v)));
  }

  private math(op: '+' | '-' | '*' | '/', lhs: Series[] | number, rhs: Series[] | number, grid: Grid): Series[] {
    const apply = (a: number, b: number): number => {
      switch (op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        default:
          return b === 0 ? NaN : a / b;
      }
    };
    if (typeof lhs === 'number' && typeof rhs === 'number') {
      return [{ labels: [], values: new Array<number>(grid.count).fill(apply(lhs, rhs)), counting: true }];
    }
    if (typeof lhs === 'number') return (rhs as Series[]).map((s) => ({ ...s, values: s.values.map((v) => apply(lhs, v)) }));
    if (typeof rhs === 'number') return lhs.map((s) => ({ ...s, values: s.values.map((v) => apply(v, rhs)) }));
    const right = new Map(rhs.map((s) => [labelKey(s.labels), s]));
    const out: Series[] = [];
    for (const s of lhs) {
      const r = right.get(labelKey(s.labels));
      if (!r) continue;
      out.push({ labels: s.labels, values: s.values.map((v, i) => apply(v, r.values[i]!)), counting: s.counting && r.counting });
    }
    return out;
  }
}

function cmp(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}
