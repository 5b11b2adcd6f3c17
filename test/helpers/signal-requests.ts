// Log and metric requests from compact descriptions, written by the independent oracle encoder
// (upstream-generated protobufjs code), and one-pipeline configs around processor blocks for the
// logs and metrics pipelines — the counterparts of build-request.ts and pipeline.ts for traces.
import { Pipeline } from 'otel-sieve';
import type { PipelineOptions } from 'otel-sieve';
import { encodeLogs, encodeMetrics, decodeLogs, decodeMetrics } from './oracle-signals.js';
import { anyValue, kvs, plainAttrs } from './build-request.js';
import type { Attr } from './build-request.js';
import { hex } from './oracle.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface LogSpec {
  body?: Attr | { kvlist: Record<string, Attr> } | { array: Attr[] } | null;
  severity?: number;
  severityText?: string;
  attrs?: Record<string, Attr>;
  /** hex, padded to 32 chars; '' for none. */
  trace?: string;
  span?: string;
  time?: bigint;
}

export interface LogResourceSpec {
  attrs?: Record<string, Attr>;
  scope?: string;
  scopeVersion?: string;
  scopeAttrs?: Record<string, Attr>;
  records: LogSpec[];
}

function bodyValue(b: LogSpec['body']): unknown {
  if (b === undefined || b === null) return undefined;
  if (typeof b === 'object' && 'kvlist' in b) return { kvlistValue: { values: kvs(b.kvlist) } };
  if (typeof b === 'object' && 'array' in b) return { arrayValue: { values: b.array.map(anyValue) } };
  return anyValue(b as Attr);
}

let counter = 1;

export function logsRequest(resources: LogResourceSpec[]): Uint8Array {
  return encodeLogs({
    resourceLogs: resources.map((r) => ({
      resource: { attributes: kvs(r.attrs) },
      scopeLogs: [{
        scope: { name: r.scope ?? 'lib', version: r.scopeVersion ?? '', attributes: kvs(r.scopeAttrs) },
        logRecords: r.records.map((l) => ({
          timeUnixNano: String(l.time ?? 1_717_200_000_000_000_000n + BigInt(counter)),
          observedTimeUnixNano: String(1_717_200_000_000_000_000n + BigInt(counter++)),
          severityNumber: l.severity ?? 0,
          severityText: l.severityText ?? '',
          ...(l.body !== undefined && l.body !== null ? { body: bodyValue(l.body) } : {}),
          attributes: kvs(l.attrs),
          ...(l.trace ? { traceId: hex(l.trace.padStart(32, '0')) } : {}),
          ...(l.span ? { spanId: hex(l.span.padStart(16, '0')) } : {}),
        })),
      }],
    })),
  });
}

export interface DecodedLog {
  body: unknown;
  severity: number;
  severityText: string;
  attrs: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: Record<string, unknown>;
  trace: string;
}

const toHexId = (b: Uint8Array | undefined) => (b && b.length ? Buffer.from(b).toString('hex') : '');

export function plainValue(v: any): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined && v.stringValue !== null) return v.stringValue;
  if (v.boolValue !== undefined && v.boolValue !== null) return v.boolValue;
  if (v.intValue !== undefined && v.intValue !== null) return BigInt(v.intValue);
  if (v.doubleValue !== undefined && v.doubleValue !== null) return v.doubleValue;
  if (v.bytesValue) return Buffer.from(v.bytesValue).toString('hex');
  if (v.kvlistValue) return plainAttrs(v.kvlistValue.values);
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(plainValue);
  return undefined;
}

/** Every record the oracle decodes from `bytes`, flattened with its resource and scope. */
export function decodedLogs(bytes: Uint8Array): DecodedLog[] {
  const req = decodeLogs(bytes);
  return (req.resourceLogs ?? []).flatMap((rl: any) => (rl.scopeLogs ?? []).flatMap((sl: any) => (sl.logRecords ?? []).map((l: any) => ({
    body: plainValue(l.body),
    severity: l.severityNumber ?? 0,
    severityText: l.severityText ?? '',
    attrs: plainAttrs(l.attributes),
    resource: plainAttrs(rl.resource?.attributes),
    scope: plainAttrs(sl.scope?.attributes),
    trace: toHexId(l.traceId),
  }))));
}

export interface PointSpec {
  attrs?: Record<string, Attr>;
  value?: number;
}

export interface MetricSpec {
  name: string;
  type?: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
  points: PointSpec[];
}

export interface MetricResourceSpec {
  attrs?: Record<string, Attr>;
  scope?: string;
  scopeAttrs?: Record<string, Attr>;
  metrics: MetricSpec[];
}

function point(type: NonNullable<MetricSpec['type']>, p: PointSpec, i: number): unknown {
  const base = { attributes: kvs(p.attrs), startTimeUnixNano: '1717200000000000000', timeUnixNano: String(1_717_200_001_000_000_000n + BigInt(i)) };
  const v = p.value ?? i;
  if (type === 'gauge' || type === 'sum') return { ...base, asDouble: v };
  if (type === 'histogram') return { ...base, count: 2, sum: v, bucketCounts: [1, 1], explicitBounds: [1] };
  if (type === 'exponentialHistogram') return { ...base, count: 1, sum: v, scale: 2, zeroCount: 0, positive: { offset: 1, bucketCounts: [1] } };
  return { ...base, count: 1, sum: v, quantileValues: [{ quantile: 0.5, value: v }] };
}

export function metricsRequest(resources: MetricResourceSpec[]): Uint8Array {
  return encodeMetrics({
    resourceMetrics: resources.map((r) => ({
      resource: { attributes: kvs(r.attrs) },
      scopeMetrics: [{
        scope: { name: r.scope ?? 'meter', attributes: kvs(r.scopeAttrs) },
        metrics: r.metrics.map((m) => {
          const type = m.type ?? 'gauge';
          const dataPoints = m.points.map((p, i) => point(type, p, i));
          const data = type === 'sum' ? { dataPoints, aggregationTemporality: 2, isMonotonic: true } : type === 'histogram' || type === 'exponentialHistogram' ? { dataPoints, aggregationTemporality: 2 } : { dataPoints };
          return { name: m.name, unit: '1', [type]: data };
        }),
      }],
    })),
  });
}

export interface DecodedPoint {
  metric: string;
  attrs: Record<string, unknown>;
  resource: Record<string, unknown>;
}

const TYPES = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

export function decodedPoints(bytes: Uint8Array): DecodedPoint[] {
  const req = decodeMetrics(bytes);
  return (req.resourceMetrics ?? []).flatMap((rm: any) => (rm.scopeMetrics ?? []).flatMap((sm: any) => (sm.metrics ?? []).flatMap((m: any) => {
    const type = TYPES.find((t) => m[t]);
    return (type ? m[type].dataPoints ?? [] : []).map((p: any) => ({ metric: m.name, attrs: plainAttrs(p.attributes), resource: plainAttrs(rm.resource?.attributes) }));
  })));
}

/** A collector config with one pipeline of `signal` around processor blocks. */
export function signalPipeline(signal: 'traces' | 'logs' | 'metrics', processors: Record<string, unknown>, order = Object.keys(processors), options: PipelineOptions = {}): Pipeline {
  return Pipeline.fromConfig({
    receivers: { otlp: { protocols: { http: {} } } },
    processors,
    exporters: { debug: {} },
    service: { pipelines: { [signal]: { receivers: ['otlp'], processors: order, exporters: ['debug'] } } },
  }, options);
}

/** Concatenated protobuf of batches of any signal (one request), disposing them. */
export function drainAll(batches: { toProtobuf(): Uint8Array; dispose(): void }[]): Uint8Array {
  const parts = batches.map((b) => {
    const p = b.toProtobuf();
    b.dispose();
    return p;
  });
  return Buffer.concat(parts);
}
