// The metrics data model as an OTLP ExportMetricsServiceRequest in protobuf (opentelemetry-proto
// metrics/v1, field numbers as in metrics.proto). Written like the collector's marshaler: proto3
// zero values omitted, optional fields (sum, min, max) written when present, repeated numbers packed.
import { ProtoWriter, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../wire/proto-writer.js';
import type { AnyValue, KeyValue } from '../otlp/trace-views.js';
import type {
  MetricsData, ResourceMetrics, ScopeMetrics, Metric, NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint,
  ExponentialBuckets, Exemplar,
} from './metrics-data.js';

function fixed64(w: ProtoWriter, field: number, v: bigint): void {
  if (v === 0n) return;
  w.tag(field, WIRE_FIXED64).fixed64(v);
}

function count64(w: ProtoWriter, field: number, v: number): void {
  if (v) w.tag(field, WIRE_FIXED64).fixed64(BigInt(v));
}

function double(w: ProtoWriter, field: number, v: number | undefined, always = false): void {
  if (v === undefined || (!always && v === 0 && !Object.is(v, -0))) return;
  w.tag(field, WIRE_FIXED64).double(v);
}

function string(w: ProtoWriter, field: number, s: string | undefined): void {
  if (s) w.tag(field, WIRE_LEN).string(s);
}

function hexBytes(w: ProtoWriter, field: number, h: string): void {
  if (!h) return;
  const b = new Uint8Array(h.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  w.tag(field, WIRE_LEN).bytes(b);
}

function anyValue(w: ProtoWriter, v: AnyValue): void {
  switch (v.type) {
    case 'string':
      w.tag(1, WIRE_LEN).string(v.value);
      break;
    case 'bool':
      w.tag(2, WIRE_VARINT).bool(v.value);
      break;
    case 'int':
      w.tag(3, WIRE_VARINT).int64(v.value);
      break;
    case 'double':
      w.tag(4, WIRE_FIXED64).double(v.value);
      break;
    case 'array':
      w.fork(5);
      for (const e of v.value) {
        w.fork(1);
        anyValue(w, e);
        w.ldelim();
      }
      w.ldelim();
      break;
    case 'kvlist':
      w.fork(6);
      for (const kv of v.value) keyValue(w, 1, kv);
      w.ldelim();
      break;
    case 'bytes':
      w.tag(7, WIRE_LEN).bytes(v.value);
      break;
    default:
      break;
  }
}

function keyValue(w: ProtoWriter, field: number, kv: KeyValue): void {
  w.fork(field);
  string(w, 1, kv.key);
  w.fork(2);
  anyValue(w, kv.value);
  w.ldelim();
  w.ldelim();
}

function exemplar(w: ProtoWriter, field: number, e: Exemplar): void {
  w.fork(field);
  fixed64(w, 2, e.timeUnixNano);
  if (typeof e.value === 'bigint') w.tag(6, WIRE_FIXED64).fixed64(e.value);
  else w.tag(3, WIRE_FIXED64).double(e.value);
  hexBytes(w, 4, e.spanId);
  hexBytes(w, 5, e.traceId);
  for (const kv of e.filteredAttributes) keyValue(w, 7, kv);
  w.ldelim();
}

function numberPoint(w: ProtoWriter, p: NumberDataPoint): void {
  w.fork(1);
  fixed64(w, 2, p.startTimeUnixNano);
  fixed64(w, 3, p.timeUnixNano);
  // as_double (4) / as_int (6) are a oneof: written even when zero.
  if (typeof p.value === 'bigint') w.tag(6, WIRE_FIXED64).fixed64(p.value);
  else w.tag(4, WIRE_FIXED64).double(p.value);
  for (const e of p.exemplars) exemplar(w, 5, e);
  for (const kv of p.attributes) keyValue(w, 7, kv);
  if (p.flags) w.tag(8, WIRE_VARINT).uint32(p.flags);
  w.ldelim();
}

function histogramPoint(w: ProtoWriter, p: HistogramDataPoint): void {
  w.fork(1);
  fixed64(w, 2, p.startTimeUnixNano);
  fixed64(w, 3, p.timeUnixNano);
  count64(w, 4, p.count);
  double(w, 5, p.sum, true);
  if (p.bucketCounts.length) {
    w.tag(6, WIRE_LEN).uint32(p.bucketCounts.length * 8);
    for (const c of p.bucketCounts) w.fixed64(BigInt(c));
  }
  if (p.explicitBounds.length) {
    w.tag(7, WIRE_LEN).uint32(p.explicitBounds.length * 8);
    for (const b of p.explicitBounds) w.double(b);
  }
  for (const e of p.exemplars) exemplar(w, 8, e);
  for (const kv of p.attributes) keyValue(w, 9, kv);
  if (p.flags) w.tag(10, WIRE_VARINT).uint32(p.flags);
  double(w, 11, p.min, true);
  double(w, 12, p.max, true);
  w.ldelim();
}

function buckets(w: ProtoWriter, field: number, b: ExponentialBuckets): void {
  // Always present, even empty: pdata's Buckets is a non-nullable message.
  w.fork(field);
  // offset is sint32 (zigzag).
  if (b.offset) w.tag(1, WIRE_VARINT).uint32(((b.offset << 1) ^ (b.offset >> 31)) >>> 0);
  if (b.bucketCounts.length) {
    w.fork(2);
    for (const c of b.bucketCounts) w.uint64(BigInt(c));
    w.ldelim();
  }
  w.ldelim();
}

function exponentialPoint(w: ProtoWriter, p: ExponentialHistogramDataPoint): void {
  w.fork(1);
  for (const kv of p.attributes) keyValue(w, 1, kv);
  fixed64(w, 2, p.startTimeUnixNano);
  fixed64(w, 3, p.timeUnixNano);
  count64(w, 4, p.count);
  double(w, 5, p.sum, true);
  if (p.scale) w.tag(6, WIRE_VARINT).uint32(((p.scale << 1) ^ (p.scale >> 31)) >>> 0);
  count64(w, 7, p.zeroCount);
  buckets(w, 8, p.positive);
  buckets(w, 9, p.negative);
  if (p.flags) w.tag(10, WIRE_VARINT).uint32(p.flags);
  for (const e of p.exemplars) exemplar(w, 11, e);
  double(w, 12, p.min, true);
  double(w, 13, p.max, true);
  double(w, 14, p.zeroThreshold);
  w.ldelim();
}

function metric(w: ProtoWriter, m: Metric): void {
  w.fork(2);
  string(w, 1, m.name);
  string(w, 2, m.description);
  string(w, 3, m.unit);
  const d = m.data;
  switch (d.type) {
    case 'gauge':
      w.fork(5);
      for (const p of d.dataPoints) numberPoint(w, p);
      w.ldelim();
      break;
    case 'sum':
      w.fork(7);
      for (const p of d.dataPoints) numberPoint(w, p);
      w.tag(2, WIRE_VARINT).uint32(d.aggregationTemporality);
      if (d.isMonotonic) w.tag(3, WIRE_VARINT).bool(true);
      w.ldelim();
      break;
    case 'histogram':
      w.fork(9);
      for (const p of d.dataPoints) histogramPoint(w, p);
      w.tag(2, WIRE_VARINT).uint32(d.aggregationTemporality);
      w.ldelim();
      break;
    case 'exponentialHistogram':
      w.fork(10);
      for (const p of d.dataPoints) exponentialPoint(w, p);
      w.tag(2, WIRE_VARINT).uint32(d.aggregationTemporality);
      w.ldelim();
      break;
  }
  w.ldelim();
}

function scopeMetrics(w: ProtoWriter, sm: ScopeMetrics): void {
  w.fork(2);
  w.fork(1);
  string(w, 1, sm.scope.name);
  string(w, 2, sm.scope.version);
  for (const kv of sm.scope.attributes ?? []) keyValue(w, 3, kv);
  w.ldelim();
  for (const m of sm.metrics) metric(w, m);
  string(w, 3, sm.schemaUrl);
  w.ldelim();
}

function resourceMetrics(w: ProtoWriter, rm: ResourceMetrics): void {
  w.fork(1);
  w.fork(1);
  for (const kv of rm.resource.attributes) keyValue(w, 1, kv);
  if (rm.resource.droppedAttributesCount) w.tag(2, WIRE_VARINT).uint32(rm.resource.droppedAttributesCount);
  w.ldelim();
  for (const sm of rm.scopeMetrics) scopeMetrics(w, sm);
  string(w, 3, rm.schemaUrl);
  w.ldelim();
}

/** Encodes the data as an OTLP ExportMetricsServiceRequest (the body of POST /v1/metrics). */
export function encodeMetricsProtobuf(data: MetricsData): Uint8Array {
  const w = new ProtoWriter(4096);
  for (const rm of data.resourceMetrics) resourceMetrics(w, rm);
  return w.finish();
}
