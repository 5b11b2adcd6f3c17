// The usual JavaScript way to filter OTLP logs and metrics: decode the request into objects with
// protobufjs, drop what the rule drops, encode the survivors — in both protobufjs flavours: the
// upstream-generated static code (@opentelemetry/otlp-transformer@0.52.1, our `otlp-oracle` alias)
// and protobufjs 7 reflection (types built at run time from a JSON descriptor, its fastest mode).
// The generated schema predates LogRecord.event_name and Metric.metadata: it skips them as unknown
// fields, a little less work than a faithful pipeline, so if anything it flatters the baseline.
import protobuf from 'protobufjs';
import oracleRoot from 'otlp-oracle/build/esm/generated/root.js';
import { otlpLogsDescriptor, otlpMetricsDescriptor } from './otlp-signal-descriptors.js';
import { logRuleAccepts } from './signal-rules.js';
import type { LogRule, MetricRule } from './signal-rules.js';
import type { PbKeyValue } from './protobufjs-pipeline.js';

export interface PbLogRecord {
  severityNumber: number | null;
  traceId: Uint8Array | null;
  attributes: PbKeyValue[];
}
export interface PbScopeLogs {
  logRecords: PbLogRecord[];
}
export interface PbResourceLogs {
  scopeLogs: PbScopeLogs[];
}
export interface PbLogsRequest {
  resourceLogs: PbResourceLogs[];
}

export interface PbDataPoint {
  attributes: PbKeyValue[];
}
interface PbData {
  dataPoints: PbDataPoint[];
}
export interface PbMetric {
  name: string | null;
  gauge?: PbData | null;
  sum?: PbData | null;
  histogram?: PbData | null;
  exponentialHistogram?: PbData | null;
  summary?: PbData | null;
}
export interface PbScopeMetrics {
  metrics: PbMetric[];
}
export interface PbResourceMetrics {
  scopeMetrics: PbScopeMetrics[];
}
export interface PbMetricsRequest {
  resourceMetrics: PbResourceMetrics[];
}

interface MessageClass<T> {
  decode(bytes: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}

// root.d.ts types the module as a reflection Root, but the generated code exports plain namespaces.
const collector = (oracleRoot as unknown as {
  opentelemetry: { proto: { collector: { logs: { v1: { ExportLogsServiceRequest: MessageClass<PbLogsRequest> } }; metrics: { v1: { ExportMetricsServiceRequest: MessageClass<PbMetricsRequest> } } } } };
}).opentelemetry.proto.collector;
const GeneratedLogs = collector.logs.v1.ExportLogsServiceRequest;
const GeneratedMetrics = collector.metrics.v1.ExportMetricsServiceRequest;
const ReflectedLogs = protobuf.Root.fromJSON(otlpLogsDescriptor).lookupType('otlp.ExportLogsServiceRequest') as unknown as MessageClass<PbLogsRequest>;
const ReflectedMetrics = protobuf.Root.fromJSON(otlpMetricsDescriptor).lookupType('otlp.ExportMetricsServiceRequest') as unknown as MessageClass<PbMetricsRequest>;

export type Flavour = 'generated' | 'reflection';

export function decodeLogsWith(flavour: Flavour, bytes: Uint8Array): PbLogsRequest {
  return (flavour === 'generated' ? GeneratedLogs : ReflectedLogs).decode(bytes);
}

export function decodeMetricsWith(flavour: Flavour, bytes: Uint8Array): PbMetricsRequest {
  return (flavour === 'generated' ? GeneratedMetrics : ReflectedMetrics).decode(bytes);
}

export function encodeLogsWith(flavour: Flavour, request: PbLogsRequest): Uint8Array {
  return (flavour === 'generated' ? GeneratedLogs : ReflectedLogs).encode(request).finish();
}

export function encodeMetricsWith(flavour: Flavour, request: PbMetricsRequest): Uint8Array {
  return (flavour === 'generated' ? GeneratedMetrics : ReflectedMetrics).encode(request).finish();
}

/** Keeps matching records of decoded objects in place; drops scopes and resources left empty. */
export function filterLogsDecoded(request: PbLogsRequest, rule: LogRule): PbLogsRequest {
  const resources: PbResourceLogs[] = [];
  for (const rl of request.resourceLogs) {
    const scopes: PbScopeLogs[] = [];
    for (const sl of rl.scopeLogs) {
      const records = sl.logRecords.filter((r) => {
        const id = r.traceId;
        return logRuleAccepts(rule, r.severityNumber ?? 0, id && id.length === 16 ? (id[15] as number) : -1);
      });
      if (records.length) {
        sl.logRecords = records;
        scopes.push(sl);
      }
    }
    if (scopes.length) {
      rl.scopeLogs = scopes;
      resources.push(rl);
    }
  }
  request.resourceLogs = resources;
  return request;
}

/** decode → filter → encode for logs. */
export function filterLogsWith(flavour: Flavour, bytes: Uint8Array, rule: LogRule): Uint8Array {
  const type = flavour === 'generated' ? GeneratedLogs : ReflectedLogs;
  return type.encode(filterLogsDecoded(type.decode(bytes), rule)).finish();
}

const DATA = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

function dropsPoint(rule: MetricRule, p: PbDataPoint): boolean {
  if (!rule.dropKey) return false;
  for (const a of p.attributes) if (a.key === rule.dropKey) return a.value?.stringValue === rule.dropValue;
  return false;
}

/** Applies a MetricRule to decoded objects: metrics by name, points by attribute, emptied parents dropped. */
export function filterMetricsDecoded(request: PbMetricsRequest, rule: MetricRule): PbMetricsRequest {
  const resources: PbResourceMetrics[] = [];
  for (const rm of request.resourceMetrics) {
    const scopes: PbScopeMetrics[] = [];
    for (const sm of rm.scopeMetrics) {
      const metrics: PbMetric[] = [];
      for (const m of sm.metrics) {
        if ((m.name ?? '').startsWith(rule.dropNamePrefix)) continue;
        const data = DATA.map((k) => m[k]).find((d) => d);
        if (data && data.dataPoints.length) {
          data.dataPoints = data.dataPoints.filter((p) => !dropsPoint(rule, p));
          if (!data.dataPoints.length) continue;
        }
        metrics.push(m);
      }
      if (metrics.length) {
        sm.metrics = metrics;
        scopes.push(sm);
      }
    }
    if (scopes.length) {
      rm.scopeMetrics = scopes;
      resources.push(rm);
    }
  }
  request.resourceMetrics = resources;
  return request;
}

/** decode → filter → encode for metrics. */
export function filterMetricsWith(flavour: Flavour, bytes: Uint8Array, rule: MetricRule): Uint8Array {
  const type = flavour === 'generated' ? GeneratedMetrics : ReflectedMetrics;
  return type.encode(filterMetricsDecoded(type.decode(bytes), rule)).finish();
}
