// Reading the metrics data model in tests: metrics by name across resources, attributes as plain
// objects, and a connector built from a config the way the pipeline builds it.
import { connectorFactories, TraceBatch } from 'otel-sieve';
import type { MetricsData, Metric, KeyValue, AnyValue } from 'otel-sieve';
import { traceRequest } from './traces.js';
import type { ResourceSpec } from './traces.js';

export function plain(v: AnyValue): unknown {
  switch (v.type) {
    case 'empty':
      return undefined;
    case 'array':
      return v.value.map(plain);
    case 'kvlist':
      return Object.fromEntries(v.value.map((kv) => [kv.key, plain(kv.value)]));
    default:
      return v.value;
  }
}

export function attrs(list: readonly KeyValue[]): Record<string, unknown> {
  return Object.fromEntries(list.map((kv) => [kv.key, plain(kv.value)]));
}

/** Every metric called `name`, across resources and scopes. */
export function metrics(data: MetricsData, name: string): Metric[] {
  return data.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.filter((m) => m.name === name)));
}

/** The data points of every metric called `name`, in output order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function points(data: MetricsData, name: string): any[] {
  return metrics(data, name).flatMap((m) => m.data.dataPoints);
}

/** Points keyed by a label made of the given attribute values joined with `|`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function byAttrs(data: MetricsData, name: string, keys: string[]): Record<string, any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const out: Record<string, any> = {};
  for (const p of points(data, name)) {
    const a = attrs(p.attributes);
    out[keys.map((k) => String(a[k])).join('|')] = p;
  }
  return out;
}

export function connector(type: 'spanmetrics' | 'servicegraph', config: unknown, id = type) {
  return connectorFactories[type]!(config, { id, path: `connectors.${id}` });
}

/** Feeds one request (built from specs) to a connector at `now`. */
export function feed(c: { consume(b: TraceBatch, now: number): void }, resources: ResourceSpec[], now: number): void {
  const batch = TraceBatch.fromProtobuf(traceRequest(resources));
  try {
    c.consume(batch, now);
  } finally {
    batch.dispose();
  }
}
