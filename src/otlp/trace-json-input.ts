// OTLP/JSON → protobuf for TraceBatch.fromJSON (otlp-json-input.ts with the trace request schema).
import { otlpJsonInputToProtobuf } from './otlp-json-input.js';
import { ExportTraceServiceRequest } from './schema/trace.js';
import type { DecodeOptions } from './decode-options.js';

export function traceJsonToProtobuf(input: string | Uint8Array | object, options: DecodeOptions): Uint8Array {
  return otlpJsonInputToProtobuf(input, options, ExportTraceServiceRequest);
}
