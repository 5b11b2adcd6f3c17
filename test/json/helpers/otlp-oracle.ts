// The independent side of the equivalence tests: upstream-generated protobufjs code for the official
// OTLP schema decodes our output, and a small hand-written mapping (names and kinds only, no field
// numbers) says what a JSON document should decode to. Neither uses our descriptors.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface OracleType {
  decode(bytes: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  fromObject(object: Record<string, unknown>): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}

// Field access is by name on the generated namespace.
const proto = (require('otlp-oracle/build/esm/generated/root.js') as any).opentelemetry.proto;

export const oracle = {
  ExportTraceServiceRequest: proto.collector.trace.v1.ExportTraceServiceRequest as OracleType,
  ExportLogsServiceRequest: proto.collector.logs.v1.ExportLogsServiceRequest as OracleType,
  ExportMetricsServiceRequest: proto.collector.metrics.v1.ExportMetricsServiceRequest as OracleType,
  /** Every message type, by its name relative to `opentelemetry.proto`. */
  type(name: string): OracleType {
    return name.split('.').reduce((ns: any, part) => ns[part], proto) as OracleType;
  },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Plain = Record<string, unknown>;

/** The oracle's reading of `bytes`: longs as decimal strings, enums as numbers, bytes as hex or base64. */
export function oracleDecode(type: OracleType, bytes: Uint8Array): Plain {
  const object = type.toObject(type.decode(bytes), { longs: String, enums: Number, bytes: String, defaults: false });
  return hexIds(object) as Plain;
}

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

function hexIds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(hexIds);
  if (v === null || typeof v !== 'object') return v;
  const out: Plain = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = ID_KEYS.has(k) && typeof x === 'string' ? Buffer.from(x, 'base64').toString('hex') : hexIds(x);
  }
  return out;
}

// ----- What a JSON document means, written from the OTLP/JSON rules, not from our code.

type Kind = 'msg' | 'msgs' | 'str' | 'strs' | 'hex' | 'u64' | 'i64' | 'u32' | 'i32' | 'double' | 'doubles' | 'u64s' | 'bool' | 'bytes' | 'enum' | 'skip';
type Spec = readonly [Kind, string?];

const SPAN_KIND = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODE = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const TEMPORALITY = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'];
const SEVERITY = ['SEVERITY_NUMBER_UNSPECIFIED'];
for (const level of ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']) {
  SEVERITY.push(`SEVERITY_NUMBER_${level}`, `SEVERITY_NUMBER_${level}2`, `SEVERITY_NUMBER_${level}3`, `SEVERITY_NUMBER_${level}4`);
}
const ENUMS: Record<string, readonly string[]> = { SpanKind: SPAN_KIND, StatusCode: STATUS_CODE, Temporality: TEMPORALITY, Severity: SEVERITY };

/** Fields the 0.52.1 schema predates: compared from the bytes instead (see wire-walk.ts). */
const NOT_IN_ORACLE: Spec = ['skip'];

const MESSAGES: Record<string, Record<string, Spec>> = {
  TraceRequest: { resourceSpans: ['msgs', 'ResourceSpans'] },
  ResourceSpans: { resource: ['msg', 'Resource'], scopeSpans: ['msgs', 'ScopeSpans'], schemaUrl: ['str'] },
  Resource: { attributes: ['msgs', 'KeyValue'], droppedAttributesCount: ['u32'], entityRefs: NOT_IN_ORACLE },
  ScopeSpans: { scope: ['msg', 'Scope'], spans: ['msgs', 'Span'], schemaUrl: ['str'] },
  Scope: { name: ['str'], version: ['str'], attributes: ['msgs', 'KeyValue'], droppedAttributesCount: ['u32'] },
  Span: {
    traceId: ['hex'], spanId: ['hex'], traceState: ['str'], parentSpanId: ['hex'], flags: NOT_IN_ORACLE, name: ['str'],
    kind: ['enum', 'SpanKind'], startTimeUnixNano: ['u64'], endTimeUnixNano: ['u64'], attributes: ['msgs', 'KeyValue'],
    droppedAttributesCount: ['u32'], events: ['msgs', 'Event'], droppedEventsCount: ['u32'], links: ['msgs', 'Link'],
    droppedLinksCount: ['u32'], status: ['msg', 'Status'],
  },
  Event: { timeUnixNano: ['u64'], name: ['str'], attributes: ['msgs', 'KeyValue'], droppedAttributesCount: ['u32'] },
  Link: {
    traceId: ['hex'], spanId: ['hex'], traceState: ['str'], attributes: ['msgs', 'KeyValue'], droppedAttributesCount: ['u32'],
    flags: NOT_IN_ORACLE,
  },
  Status: { message: ['str'], code: ['enum', 'StatusCode'] },
  KeyValue: { key: ['str'], value: ['msg', 'AnyValue'] },
  ArrayValue: { values: ['msgs', 'AnyValue'] },
  KeyValueList: { values: ['msgs', 'KeyValue'] },
  // AnyValue is special-cased: its members form a oneof, present even when zero.
  AnyValue: {
    stringValue: ['str'], boolValue: ['bool'], intValue: ['i64'], doubleValue: ['double'], arrayValue: ['msg', 'ArrayValue'],
    kvlistValue: ['msg', 'KeyValueList'], bytesValue: ['bytes'],
  },
  LogsRequest: { resourceLogs: ['msgs', 'ResourceLogs'] },
  ResourceLogs: { resource: ['msg', 'Resource'], scopeLogs: ['msgs', 'ScopeLogs'], schemaUrl: ['str'] },
  ScopeLogs: { scope: ['msg', 'Scope'], logRecords: ['msgs', 'LogRecord'], schemaUrl: ['str'] },
  LogRecord: {
    timeUnixNano: ['u64'], observedTimeUnixNano: ['u64'], severityNumber: ['enum', 'Severity'], severityText: ['str'],
    body: ['msg', 'AnyValue'], attributes: ['msgs', 'KeyValue'], droppedAttributesCount: ['u32'], flags: ['u32'],
    traceId: ['hex'], spanId: ['hex'], eventName: NOT_IN_ORACLE,
  },
  MetricsRequest: { resourceMetrics: ['msgs', 'ResourceMetrics'] },
  ResourceMetrics: { resource: ['msg', 'Resource'], scopeMetrics: ['msgs', 'ScopeMetrics'], schemaUrl: ['str'] },
  ScopeMetrics: { scope: ['msg', 'Scope'], metrics: ['msgs', 'Metric'], schemaUrl: ['str'] },
  Metric: {
    name: ['str'], description: ['str'], unit: ['str'], gauge: ['msg', 'Gauge'], sum: ['msg', 'Sum'],
    histogram: ['msg', 'Histogram'], exponentialHistogram: ['msg', 'ExpHistogram'], summary: ['msg', 'Summary'],
    metadata: NOT_IN_ORACLE,
  },
  Gauge: { dataPoints: ['msgs', 'NumberDataPoint'] },
  Sum: { dataPoints: ['msgs', 'NumberDataPoint'], aggregationTemporality: ['enum', 'Temporality'], isMonotonic: ['bool'] },
  Histogram: { dataPoints: ['msgs', 'HistogramDataPoint'], aggregationTemporality: ['enum', 'Temporality'] },
  ExpHistogram: { dataPoints: ['msgs', 'ExpHistogramDataPoint'], aggregationTemporality: ['enum', 'Temporality'] },
  Summary: { dataPoints: ['msgs', 'SummaryDataPoint'] },
  NumberDataPoint: {
    attributes: ['msgs', 'KeyValue'], startTimeUnixNano: ['u64'], timeUnixNano: ['u64'], asDouble: ['double'],
    asInt: ['i64'], exemplars: ['msgs', 'Exemplar'], flags: ['u32'],
  },
  HistogramDataPoint: {
    attributes: ['msgs', 'KeyValue'], startTimeUnixNano: ['u64'], timeUnixNano: ['u64'], count: ['u64'], sum: ['double'],
    bucketCounts: ['u64s'], explicitBounds: ['doubles'], exemplars: ['msgs', 'Exemplar'], flags: ['u32'], min: ['double'],
    max: ['double'],
  },
  ExpHistogramDataPoint: {
    attributes: ['msgs', 'KeyValue'], startTimeUnixNano: ['u64'], timeUnixNano: ['u64'], count: ['u64'], sum: ['double'],
    scale: ['i32'], zeroCount: ['u64'], positive: ['msg', 'Buckets'], negative: ['msg', 'Buckets'], flags: ['u32'],
    exemplars: ['msgs', 'Exemplar'], min: ['double'], max: ['double'], zeroThreshold: ['double'],
  },
  Buckets: { offset: ['i32'], bucketCounts: ['u64s'] },
  SummaryDataPoint: {
    attributes: ['msgs', 'KeyValue'], startTimeUnixNano: ['u64'], timeUnixNano: ['u64'], count: ['u64'], sum: ['double'],
    quantileValues: ['msgs', 'Quantile'], flags: ['u32'],
  },
  Quantile: { quantile: ['double'], value: ['double'] },
  Exemplar: {
    filteredAttributes: ['msgs', 'KeyValue'], timeUnixNano: ['u64'], asDouble: ['double'], asInt: ['i64'], spanId: ['hex'],
    traceId: ['hex'],
  },
};

/** Members of a oneof or proto3 `optional` fields: written even when zero. */
const PRESENCE: Record<string, ReadonlySet<string>> = {
  AnyValue: new Set(Object.keys(MESSAGES.AnyValue)),
  NumberDataPoint: new Set(['asDouble', 'asInt']),
  Exemplar: new Set(['asDouble', 'asInt']),
  HistogramDataPoint: new Set(['sum', 'min', 'max']),
  ExpHistogramDataPoint: new Set(['sum', 'min', 'max']),
  Metric: new Set(['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary']),
};

const NUMBER_MARK = '\u0001';

/**
 * JSON.parse, except that every number literal is kept as its source text (a string starting with
 * U+0001), so 64-bit integers keep their precision and numbers stay distinguishable from strings.
 */
export function parseKeepingNumbers(text: string): Json {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (m) =>
    m.startsWith('"') ? m : JSON.stringify(NUMBER_MARK + m),
  );
  return JSON.parse(marked) as Json;
}

function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function numberText(v: Json): string {
  if (typeof v !== 'string') throw new Error(`expected a number or string, got ${JSON.stringify(v)}`);
  return v.startsWith(NUMBER_MARK) ? v.slice(1) : v;
}

function integer(v: Json): bigint {
  const text = numberText(v);
  if (!/^-?\d+$/.test(text)) throw new Error(`test mapping only knows plain integers, got ${text}`);
  return BigInt(text);
}

function double(v: Json): number {
  const text = numberText(v);
  return Number(text); // Number("NaN"), Number("Infinity"), Number("-Infinity") are what the rules say
}

/** What the oracle should decode from the JSON document `root` of message type `type`. */
export function expectedFromJson(type: string, root: Json): Plain {
  return expectMessage(type, root);
}

function expectMessage(type: string, json: Json): Plain {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${type}: not an object`);
  const fields = MESSAGES[type];
  const presence = PRESENCE[type];
  const out: Plain = {};
  for (const [rawKey, v] of Object.entries(json)) {
    const key = snakeToCamel(rawKey);
    const spec = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (spec === undefined || v === null || spec[0] === 'skip') continue;
    const always = presence?.has(key) === true;
    const [kind, ref] = spec;
    let value: unknown;
    let zero: boolean;
    switch (kind) {
      case 'msg':
        value = expectMessage(ref as string, v);
        zero = false;
        break;
      case 'msgs':
        value = (v as Json[]).map((e) => (e === null ? {} : expectMessage(ref as string, e)));
        zero = (value as unknown[]).length === 0;
        break;
      case 'str':
        value = v;
        zero = v === '';
        break;
      case 'strs':
        value = v;
        zero = (v as Json[]).length === 0;
        break;
      case 'hex':
        value = (v as string).toLowerCase();
        zero = v === '';
        break;
      case 'u64':
      case 'i64': {
        const n = integer(v);
        value = n.toString();
        zero = n === 0n;
        break;
      }
      case 'u64s':
        value = (v as Json[]).map((e) => integer(e).toString());
        zero = (value as unknown[]).length === 0;
        break;
      case 'u32':
      case 'i32': {
        const n = Number(integer(v));
        value = n;
        zero = n === 0;
        break;
      }
      case 'enum': {
        const text = v as string;
        const n = text.startsWith(NUMBER_MARK) ? Number(text.slice(1)) : ENUMS[ref as string].indexOf(text);
        if (n < 0) throw new Error(`unknown enum name ${text}`);
        value = n;
        zero = n === 0;
        break;
      }
      case 'double': {
        const d = double(v);
        value = d;
        zero = Object.is(d, 0);
        break;
      }
      case 'doubles':
        value = (v as Json[]).map(double);
        zero = (value as unknown[]).length === 0;
        break;
      case 'bool':
        value = v === true;
        zero = v !== true;
        break;
      case 'bytes': {
        const b = Buffer.from(v as string, 'base64'); // Node accepts both alphabets, padded or not
        value = b.toString('base64');
        zero = b.length === 0;
        break;
      }
      default:
        throw new Error(kind);
    }
    if (!zero || always) out[key] = value;
  }
  return out;
}

/** Drops zero scalars outside oneofs: for comparing with producers (the OTel SDK) that write them. */
export function withoutZeros(v: unknown, type = ''): unknown {
  if (Array.isArray(v)) return v.map((e) => withoutZeros(e, type));
  if (v === null || typeof v !== 'object') return v;
  const out: Plain = {};
  for (const [k, x] of Object.entries(v)) {
    const ref = MESSAGES[type]?.[k]?.[1] ?? '';
    const keep = PRESENCE[type]?.has(k) === true;
    if (!keep && (x === 0 || x === '0' || x === '' || x === false || (Array.isArray(x) && x.length === 0))) continue;
    out[k] = withoutZeros(x, ref);
  }
  return out;
}
