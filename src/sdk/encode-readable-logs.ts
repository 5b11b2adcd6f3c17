// ReadableLogRecord[] → ExportLogsServiceRequest protobuf, written as the SDK's own OTLP log
// exporters write it (records grouped by Resource object, then by InstrumentationScope object;
// the same fields present or omitted), so the pipeline sees exactly what the wrapped exporter
// would have sent.
import { ProtoWriter } from '../wire/proto-writer.js';
import type { HrTime, InstrumentationScope, Resource } from './sdk-types.js';
import type { ReadableLogRecord } from './sdk-log-types.js';
import { anyValueField, attributeFields, hexBytes } from './encode-readable-spans.js';

export interface EncodedLogs {
  bytes: Uint8Array;
  /** The input records in the order they appear in `bytes`. */
  records: ReadableLogRecord[];
}

function hrNanos(t: HrTime): bigint {
  return BigInt(Math.trunc(t[0])) * 1_000_000_000n + BigInt(Math.trunc(t[1]));
}

function scope(w: ProtoWriter, sc: InstrumentationScope): void {
  w.fork(1);
  w.tag(1, 2).string(sc.name);
  if (sc.version) w.tag(2, 2).string(sc.version);
  attributeFields(w, sc.attributes, 3);
  if (sc.droppedAttributesCount) w.tag(4, 0).uint32(sc.droppedAttributesCount);
  w.ldelim();
}

function resource(w: ProtoWriter, r: Resource): void {
  w.fork(1);
  attributeFields(w, r.attributes, 1);
  w.tag(2, 0).uint32(0);
  w.ldelim();
}

function record(w: ProtoWriter, l: ReadableLogRecord): void {
  w.fork(2);
  w.tag(1, 1).fixed64(hrNanos(l.hrTime));
  if (l.severityNumber) w.tag(2, 0).int32(l.severityNumber);
  if (l.severityText) w.tag(3, 2).string(l.severityText);
  if (l.body !== undefined) {
    w.fork(5);
    anyValueField(w, l.body);
    w.ldelim();
  }
  attributeFields(w, l.attributes, 6);
  if (l.droppedAttributesCount) w.tag(7, 0).uint32(l.droppedAttributesCount);
  const ctx = l.spanContext;
  if (ctx) {
    if (ctx.traceFlags) w.tag(8, 5).fixed32(ctx.traceFlags >>> 0);
    w.tag(9, 2).bytes(hexBytes(ctx.traceId, 16, 'log record trace id'));
    w.tag(10, 2).bytes(hexBytes(ctx.spanId, 8, 'log record span id'));
  }
  w.tag(11, 1).fixed64(hrNanos(l.hrTimeObserved));
  if (l.eventName) w.tag(12, 2).string(l.eventName);
  w.ldelim();
}

/** Encodes records into one request; throws a TypeError naming a malformed id. */
export function encodeReadableLogs(input: readonly ReadableLogRecord[]): EncodedLogs {
  const byResource = new Map<Resource, Map<InstrumentationScope, ReadableLogRecord[]>>();
  for (const l of input) {
    let scopes = byResource.get(l.resource);
    if (!scopes) byResource.set(l.resource, (scopes = new Map()));
    let list = scopes.get(l.instrumentationScope);
    if (!list) scopes.set(l.instrumentationScope, (list = []));
    list.push(l);
  }
  const w = new ProtoWriter(1024 + input.length * 256);
  const records: ReadableLogRecord[] = [];
  for (const [res, scopes] of byResource) {
    w.fork(1);
    resource(w, res);
    for (const [sc, list] of scopes) {
      w.fork(2);
      scope(w, sc);
      for (const l of list) {
        record(w, l);
        records.push(l);
      }
      if (sc.schemaUrl) w.tag(3, 2).string(sc.schemaUrl);
      w.ldelim();
    }
    if (res.schemaUrl) w.tag(3, 2).string(res.schemaUrl);
    w.ldelim();
  }
  return { bytes: w.finish(), records };
}
