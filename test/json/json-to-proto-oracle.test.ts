// (a) Oracle equivalence: our protobuf, decoded by upstream-generated code for the official OTLP
// schema, equals what the JSON says (read from the JSON text by an independent mapping).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { otlpJsonToProtobuf } from '../../src/otlp/json/json-to-proto.js';
import type { MessageDescriptor } from '../../src/otlp/schema/descriptor.js';
import * as common from '../../src/otlp/schema/common.js';
import * as logs from '../../src/otlp/schema/logs.js';
import * as metrics from '../../src/otlp/schema/metrics.js';
import * as resource from '../../src/otlp/schema/resource.js';
import * as trace from '../../src/otlp/schema/trace.js';
import { traceRequestJson } from './helpers/otlp-json-arbitrary.js';
import { expectedFromJson, oracle, oracleDecode, parseKeepingNumbers } from './helpers/otlp-oracle.js';
import type { Plain } from './helpers/otlp-oracle.js';
import { fieldsAscending, TRACE_WIRE, traceFlags } from './helpers/wire-walk.js';

type Json = ReturnType<typeof parseKeepingNumbers>;

/** Span and link flags in document order, from the JSON (the oracle's schema predates them). */
function expectedFlags(root: Json): { spans: (number | undefined)[]; links: (number | undefined)[] } {
  const spans: (number | undefined)[] = [];
  const links: (number | undefined)[] = [];
  const obj = (v: Json) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
  const arr = (o: Record<string, Json>, camel: string, snake: string) => (o[camel] ?? o[snake] ?? []) as Json[];
  const flags = (o: Record<string, Json>) => {
    const v = o.flags;
    if (v === null || v === undefined) return undefined;
    const n = Number(String(v).replace('\u0001', ''));
    return n === 0 ? undefined : n;
  };
  for (const rs of arr(obj(root), 'resourceSpans', 'resource_spans')) {
    for (const ss of arr(obj(rs), 'scopeSpans', 'scope_spans')) {
      for (const s of arr(obj(ss), 'spans', 'spans')) {
        for (const l of arr(obj(s), 'links', 'links')) links.push(flags(obj(l)));
        spans.push(flags(obj(s)));
      }
    }
  }
  return { spans, links };
}

describe('traces: oracle equivalence', () => {
  test('random documents decode to what their JSON says, fields in ascending order, flags intact', () => {
    fc.assert(
      fc.property(traceRequestJson, (text) => {
        const bytes = otlpJsonToProtobuf(text, trace.ExportTraceServiceRequest);
        const json = parseKeepingNumbers(text);
        expect(oracleDecode(oracle.ExportTraceServiceRequest, bytes)).toEqual(expectedFromJson('TraceRequest', json));
        expect(traceFlags(bytes)).toEqual(expectedFlags(json));
        expect(fieldsAscending(bytes, 'Request', TRACE_WIRE)).toBe(true);
        expect(otlpJsonToProtobuf(new TextEncoder().encode(text), trace.ExportTraceServiceRequest)).toEqual(bytes);
      }),
      { seed: 20260101, numRuns: 400 },
    );
  });

  test('the specification example is byte-identical to the oracle encoding of its meaning', () => {
    // opentelemetry-proto examples/trace.json, abridged: upper-case hex, enum as number.
    const text = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},
      "scopeSpans":[{"scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute","value":{"stringValue":"some scope attribute"}}]},
      "spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"EEE19B7EC3C1B173",
      "name":"I'm a server span","startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000","kind":2,
      "attributes":[{"key":"my.span.attr","value":{"stringValue":"some value"}}]}]}]}]}`;
    const ours = otlpJsonToProtobuf(text, trace.ExportTraceServiceRequest);
    const meaning = expectedFromJson('TraceRequest', parseKeepingNumbers(text));
    expect(ours).toEqual(oracleEncode(oracle.ExportTraceServiceRequest, meaning));
  });
});

/** The oracle's own (field-number ordered) encoding of a decoded-style object. */
function oracleEncode(type: typeof oracle.ExportTraceServiceRequest, meaning: Plain): Uint8Array {
  const toOracle = (v: unknown, key = ''): unknown => {
    if (Array.isArray(v)) return v.map((e) => toOracle(e));
    if (v === null || typeof v !== 'object') {
      return ['traceId', 'spanId', 'parentSpanId'].includes(key) ? Buffer.from(v as string, 'hex').toString('base64') : v;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toOracle(x, k)]));
  };
  return new Uint8Array(type.encode(type.fromObject(toOracle(meaning) as Plain)).finish());
}

describe('logs and metrics: oracle equivalence', () => {
  test('a logs document', () => {
    const text = `{"resource_logs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
      "scopeLogs":[{"scope":{"name":"app"},"logRecords":[
        {"timeUnixNano":"1700000000000000001","observed_time_unix_nano":1700000000000000002,"severityNumber":"SEVERITY_NUMBER_WARN2",
         "severityText":"WARN","body":{"kvlistValue":{"values":[{"key":"msg","value":{"stringValue":"disk ½ full"}},{"key":"n","value":{"intValue":"-7"}}]}},
         "attributes":[{"key":"bytes","value":{"bytesValue":"3q2-7w"}}],"droppedAttributesCount":3,"flags":1,
         "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","eventName":"disk.low"},
        {"severity_number":17,"body":{"doubleValue":"NaN"}},
        {"body":{}}
      ],"schemaUrl":"https://x/1"}]}]}`;
    const bytes = otlpJsonToProtobuf(text, logs.ExportLogsServiceRequest);
    expect(oracleDecode(oracle.ExportLogsServiceRequest, bytes)).toEqual(expectedFromJson('LogsRequest', parseKeepingNumbers(text)));
  });

  test('a metrics document with every data point type', () => {
    const attrs = `"attributes":[{"key":"host","value":{"stringValue":"a"}}]`;
    const ex = `"exemplars":[{"timeUnixNano":"5","asDouble":0,"spanId":"EEE19B7EC3C1B174","traceId":"5B8EFFF798038103D269B633813FC60C","filteredAttributes":[{"key":"k","value":{"boolValue":false}}]},{"as_int":"-9223372036854775808"}]`;
    const text = `{"resourceMetrics":[{"resource":{},"scopeMetrics":[{"scope":{"name":"m"},"metrics":[
      {"name":"g","unit":"1","gauge":{"dataPoints":[{${attrs},"timeUnixNano":"10","asInt":"0",${ex}},{"asDouble":-0.0,"flags":1}]}},
      {"name":"s","description":"d","sum":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","isMonotonic":true,"dataPoints":[{"startTimeUnixNano":"1","timeUnixNano":"2","asDouble":"Infinity"}]}},
      {"name":"h","histogram":{"aggregation_temporality":1,"data_points":[{"count":"18446744073709551615","sum":0,"bucketCounts":["1",2,"0",18446744073709551615],"explicitBounds":[0,2.5,"1e3","-Infinity"],"min":-1,"max":1e300}]}},
      {"name":"e","exponentialHistogram":{"dataPoints":[{"count":3,"scale":-3,"zeroCount":"1","zeroThreshold":1e-9,"positive":{"offset":-5,"bucketCounts":["1","2",18446744073709551615]},"negative":{"bucketCounts":[]},"flags":0}]}},
      {"name":"q","summary":{"dataPoints":[{"count":"4","sum":10.5,"quantileValues":[{"quantile":0.5,"value":1},{"quantile":1,"value":"NaN"}]}]}}
    ]}]}]}`;
    const bytes = otlpJsonToProtobuf(text, metrics.ExportMetricsServiceRequest);
    expect(oracleDecode(oracle.ExportMetricsServiceRequest, bytes)).toEqual(expectedFromJson('MetricsRequest', parseKeepingNumbers(text)));
  });
});

describe('descriptors agree with the official schema', () => {
  // For every field the oracle knows, encode just that field with the oracle and read the tag back.
  const cases: [string, MessageDescriptor][] = [];
  const modules: [string, Record<string, unknown>][] = [
    ['common.v1', common],
    ['resource.v1', resource],
    ['trace.v1', trace],
    ['logs.v1', logs],
    ['metrics.v1', metrics],
  ];
  for (const [, mod] of modules) {
    for (const value of Object.values(mod)) {
      if (value !== null && typeof value === 'object' && 'fields' in value) cases.push([(value as MessageDescriptor).typeName, value as MessageDescriptor]);
    }
  }
  // Fields newer than the oracle's 0.52.1 schema (checked against opentelemetry-proto by hand).
  const newer = new Set([
    'opentelemetry.proto.trace.v1.Span.flags',
    'opentelemetry.proto.trace.v1.Span.Link.flags',
    'opentelemetry.proto.resource.v1.Resource.entity_refs',
    'opentelemetry.proto.logs.v1.LogRecord.event_name',
    'opentelemetry.proto.metrics.v1.Metric.metadata',
  ]);
  const wireOf: Record<string, number> = {
    message: 2, string: 2, bytes: 2, 'hex-id': 2, bool: 0, int32: 0, sint32: 0, uint32: 0, int64: 0, uint64: 0,
    enum: 0, fixed32: 5, fixed64: 1, sfixed64: 1, double: 1,
  };
  test.each(cases.filter(([name]) => name !== 'opentelemetry.proto.common.v1.EntityRef'))('%s', (typeName, desc) => {
    const type = oracle.type(typeName.replace(/^opentelemetry\.proto\./, ''));
    for (const f of desc.fields) {
      if (newer.has(`${typeName}.${f.name}`)) continue;
      let v: unknown;
      if (f.kind === 'message') v = {};
      else if (f.kind === 'string') v = 'x';
      else if (f.kind === 'bytes' || f.kind === 'hex-id') v = new Uint8Array([1]);
      else if (f.kind === 'bool') v = true;
      else v = 1;
      const bytes = type.encode(type.fromObject({ [f.jsonName]: f.repeated ? [v] : v })).finish();
      expect(bytes.length, `${typeName}.${f.jsonName} unknown to the oracle`).toBeGreaterThan(0);
      const tag = bytes[0] | (bytes[0] >= 0x80 ? (bytes[1] & 0x7f) << 7 : 0);
      expect([tag >>> 3, tag & 7], `${typeName}.${f.name}`).toEqual([f.no, f.packed ? 2 : wireOf[f.kind]]);
    }
  });
});
