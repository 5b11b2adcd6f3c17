// The independent oracle for logs and metrics: upstream-generated protobufjs code for the official
// OTLP schema (see oracle.ts), plus a small wire walker for the fields its schema predates —
// LogRecord.event_name (12) and Metric.metadata (12) — whose KeyValues the oracle's own KeyValue
// type then decodes. And the strict OTLP/JSON we expect from toJSON(), derived from those — written
// independently of src/otlp/*-json.ts so the two can disagree.
import { LogsRequest, MetricsRequest, otlp, toHex, wireFields } from './oracle.js';

export { wireFields } from './oracle.js';
import { expectedAnyValue, expectedKeyValue } from './oracle-json.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type J = Record<string, any>;

const TO_OBJECT = { longs: String, enums: Number, bytes: Uint8Array, defaults: false, arrays: true } as const;

export function encodeLogs(obj: unknown): Uint8Array {
  return LogsRequest.encode(LogsRequest.fromObject(obj)).finish();
}

export function decodeLogs(bytes: Uint8Array): any {
  return LogsRequest.toObject(LogsRequest.decode(bytes), TO_OBJECT);
}

export function encodeMetrics(obj: unknown): Uint8Array {
  return MetricsRequest.encode(MetricsRequest.fromObject(obj)).finish();
}

export function decodeMetrics(bytes: Uint8Array): any {
  return MetricsRequest.toObject(MetricsRequest.decode(bytes), TO_OBJECT);
}

/** The items (log records, metrics) of a request in wire order, as [start, end] byte ranges. */
function items(bytes: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (const [f1, w1, s1, e1] of wireFields(bytes, 0, bytes.length)) {
    if (f1 !== 1 || w1 !== 2) continue;
    for (const [f2, w2, s2, e2] of wireFields(bytes, s1, e1)) {
      if (f2 !== 2 || w2 !== 2) continue;
      for (const [f3, w3, s3, e3] of wireFields(bytes, s2, e2)) if (f3 === 2 && w3 === 2) out.push([s3, e3]);
    }
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** LogRecord.event_name per record, in wire order (the last occurrence wins; undefined when absent). */
export function readEventNames(bytes: Uint8Array): (string | undefined)[] {
  return items(bytes).map(([s, e]) => {
    let name: string | undefined;
    for (const [f, w, vs, ve] of wireFields(bytes, s, e)) if (f === 12 && w === 2) name = utf8.decode(bytes.subarray(vs, ve));
    return name;
  });
}

/** Metric.metadata per metric, in wire order, decoded by the oracle's KeyValue type. */
export function readMetadata(bytes: Uint8Array): J[][] {
  const KeyValue = otlp.common.v1.KeyValue;
  return items(bytes).map(([s, e]) => {
    const list: J[] = [];
    for (const [f, w, vs, ve] of wireFields(bytes, s, e)) {
      if (f === 12 && w === 2) list.push(KeyValue.toObject(KeyValue.decode(bytes.subarray(vs, ve)), TO_OBJECT));
    }
    return list;
  });
}

const nz = (v: any) => (v === undefined || v === null || v === 0 || v === '0' || v === '' || (v instanceof Uint8Array && v.length === 0) ? undefined : v);
const clean = (o: J): J => {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
};
const list = <T>(l: T[] | undefined): T[] | undefined => (l && l.length ? l : undefined);
const attrs = (l: J[] | undefined) => list((l ?? []).map(expectedKeyValue));
/** A double the way strict OTLP/JSON writes it. */
export const dbl = (d: number): number | string =>
  Number.isNaN(d) ? 'NaN' : d === Infinity ? 'Infinity' : d === -Infinity ? '-Infinity' : Object.is(d, -0) ? '-0' : d;
const dblNz = (d: number | undefined | null) => (d === undefined || d === null || d === 0 ? undefined : dbl(d));
const dblOpt = (d: number | undefined | null) => (d === undefined || d === null ? undefined : dbl(d));

function envelopes(req: J, resourcesKey: string, scopesKey: string, itemsKey: string, item: (x: J) => J): J {
  const resources = (req[resourcesKey] ?? []).map((rs: J) => {
    const scopes = (rs[scopesKey] ?? []).map((ss: J) =>
      clean({
        scope: clean({
          name: nz(ss.scope?.name),
          version: nz(ss.scope?.version),
          attributes: attrs(ss.scope?.attributes),
          droppedAttributesCount: nz(ss.scope?.droppedAttributesCount),
        }),
        [itemsKey]: list((ss[itemsKey] ?? []).map(item)),
        schemaUrl: nz(ss.schemaUrl),
      }),
    );
    return clean({
      resource: clean({ attributes: attrs(rs.resource?.attributes), droppedAttributesCount: nz(rs.resource?.droppedAttributesCount) }),
      [scopesKey]: list(scopes),
      schemaUrl: nz(rs.schemaUrl),
    });
  });
  return resources.length ? { [resourcesKey]: resources } : {};
}

/** The toJSON() we expect of a LogBatch for `bytes`. */
export function expectedLogsJson(bytes: Uint8Array): J {
  const names = readEventNames(bytes);
  let i = 0;
  return envelopes(decodeLogs(bytes), 'resourceLogs', 'scopeLogs', 'logRecords', (r) =>
    clean({
      timeUnixNano: nz(r.timeUnixNano),
      observedTimeUnixNano: nz(r.observedTimeUnixNano),
      severityNumber: nz(r.severityNumber),
      severityText: nz(r.severityText),
      body: expectedAnyValue(r.body),
      attributes: attrs(r.attributes),
      droppedAttributesCount: nz(r.droppedAttributesCount),
      flags: nz(r.flags),
      traceId: nz(toHex(r.traceId)),
      spanId: nz(toHex(r.spanId)),
      eventName: nz(names[i++]),
    }),
  );
}

function exemplar(x: J): J {
  return clean({
    filteredAttributes: attrs(x.filteredAttributes),
    timeUnixNano: nz(x.timeUnixNano),
    asDouble: dblOpt(x.asDouble),
    asInt: x.asInt === undefined || x.asInt === null ? undefined : String(x.asInt),
    spanId: nz(toHex(x.spanId)),
    traceId: nz(toHex(x.traceId)),
  });
}

const buckets = (b: J | undefined | null): J => (b ? clean({ offset: nz(b.offset), bucketCounts: list((b.bucketCounts ?? []).map(String)) }) : {});

function point(type: string, p: J): J {
  const common = { attributes: attrs(p.attributes), startTimeUnixNano: nz(p.startTimeUnixNano), timeUnixNano: nz(p.timeUnixNano) };
  const exemplars = list((p.exemplars ?? []).map(exemplar));
  if (type === 'gauge' || type === 'sum') {
    return clean({
      ...common,
      asDouble: dblOpt(p.asDouble),
      asInt: p.asInt === undefined || p.asInt === null ? undefined : String(p.asInt),
      exemplars,
      flags: nz(p.flags),
    });
  }
  if (type === 'histogram') {
    return clean({
      ...common,
      count: nz(p.count),
      sum: dblOpt(p.sum),
      bucketCounts: list((p.bucketCounts ?? []).map(String)),
      explicitBounds: list((p.explicitBounds ?? []).map(dbl)),
      exemplars,
      flags: nz(p.flags),
      min: dblOpt(p.min),
      max: dblOpt(p.max),
    });
  }
  if (type === 'exponentialHistogram') {
    return clean({
      ...common,
      count: nz(p.count),
      sum: dblOpt(p.sum),
      scale: nz(p.scale),
      zeroCount: nz(p.zeroCount),
      positive: buckets(p.positive),
      negative: buckets(p.negative),
      flags: nz(p.flags),
      exemplars,
      min: dblOpt(p.min),
      max: dblOpt(p.max),
      zeroThreshold: dblNz(p.zeroThreshold),
    });
  }
  return clean({
    ...common,
    count: nz(p.count),
    sum: dblNz(p.sum),
    quantileValues: list((p.quantileValues ?? []).map((q: J) => clean({ quantile: dblNz(q.quantile), value: dblNz(q.value) }))),
    flags: nz(p.flags),
  });
}

export const METRIC_TYPES = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

/** The toJSON() we expect of a MetricBatch for `bytes`. */
export function expectedMetricsJson(bytes: Uint8Array): J {
  const metadata = readMetadata(bytes);
  let i = 0;
  return envelopes(decodeMetrics(bytes), 'resourceMetrics', 'scopeMetrics', 'metrics', (m) => {
    const type = METRIC_TYPES.find((t) => m[t] !== undefined && m[t] !== null);
    const out: J = { name: nz(m.name), description: nz(m.description), unit: nz(m.unit) };
    if (type) {
      const d = m[type];
      out[type] = clean({
        dataPoints: list((d.dataPoints ?? []).map((p: J) => point(type, p))),
        aggregationTemporality: type === 'gauge' || type === 'summary' ? undefined : nz(d.aggregationTemporality),
        isMonotonic: type === 'sum' && d.isMonotonic ? true : undefined,
      });
    }
    out.metadata = list(metadata[i++]!.map(expectedKeyValue));
    return clean(out);
  });
}
