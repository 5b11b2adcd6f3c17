// Throughput of OTLP/JSON → protobuf against JSON.parse alone (which builds objects and writes no
// protobuf at all). Run: npx vitest bench --run test/json/json-to-proto.bench.ts
// MB/s = hz × the payload size printed in each name.
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { bench, describe } from 'vitest';
import { otlpJsonToProtobuf } from '../../src/otlp/json/json-to-proto.js';
import { ExportTraceServiceRequest } from '../../src/otlp/schema/trace.js';
import { oracle, oracleDecode } from './helpers/otlp-oracle.js';
import { makeSdkSpans } from './helpers/sdk-spans.js';

const decoder = new TextDecoder();

// As the OTel JS SDK writes it: intValue as numbers, zero counts spelled out.
const sdkBytes = JsonTraceSerializer.serializeRequest(makeSdkSpans(6000, 3)) as Uint8Array;
const sdkText = decoder.decode(sdkBytes);
// As the collector writes it: int64 as strings, zero values omitted.
const collectorText = JSON.stringify(oracleDecode(oracle.ExportTraceServiceRequest, otlpJsonToProtobuf(sdkBytes, ExportTraceServiceRequest)));
const collectorBytes = new TextEncoder().encode(collectorText);

const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

describe(`OTel JS SDK JSON, 6000 spans, ${mb(sdkBytes.length)}`, () => {
  bench('JSON.parse(string)', () => {
    JSON.parse(sdkText);
  });
  bench('JSON.parse(TextDecoder.decode(bytes))', () => {
    JSON.parse(decoder.decode(sdkBytes));
  });
  bench('otlpJsonToProtobuf(bytes)', () => {
    otlpJsonToProtobuf(sdkBytes, ExportTraceServiceRequest);
  });
  bench('otlpJsonToProtobuf(string)', () => {
    otlpJsonToProtobuf(sdkText, ExportTraceServiceRequest);
  });
});

describe(`collector-style JSON, 6000 spans, ${mb(collectorBytes.length)}`, () => {
  bench('JSON.parse(string)', () => {
    JSON.parse(collectorText);
  });
  bench('otlpJsonToProtobuf(bytes)', () => {
    otlpJsonToProtobuf(collectorBytes, ExportTraceServiceRequest);
  });
  bench('otlpJsonToProtobuf(string)', () => {
    otlpJsonToProtobuf(collectorText, ExportTraceServiceRequest);
  });
});
