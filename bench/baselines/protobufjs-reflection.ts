// protobufjs 7 the fastest way it runs: a Root built from a JSON descriptor, whose Type.decode and
// Type.encode are generated at run time. Same pipeline shape as protobufjs-pipeline.ts (decode →
// filter decoded objects → encode), so the two protobufjs flavours compare directly.
import protobuf from 'protobufjs';
import { otlpTraceDescriptor } from './otlp-trace-descriptor.js';
import { filterDecoded } from './protobufjs-pipeline.js';
import type { PbExportTraceServiceRequest, SpanPredicate } from './protobufjs-pipeline.js';

const root = protobuf.Root.fromJSON(otlpTraceDescriptor);
const Request = root.lookupType('otlp.ExportTraceServiceRequest');

export function decodeWithReflection(bytes: Uint8Array): PbExportTraceServiceRequest {
  return Request.decode(bytes) as unknown as PbExportTraceServiceRequest;
}

export function filterWithReflection(bytes: Uint8Array, keep: SpanPredicate): Uint8Array {
  const decoded = filterDecoded(decodeWithReflection(bytes), keep);
  return Request.encode(decoded as unknown as protobuf.Message).finish();
}
