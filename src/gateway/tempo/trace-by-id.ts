// Tempo's v2 trace-by-id response in protobuf: `TraceByIDResponse { Trace trace = 1; … status = 3;
// message = 4 }`, where Trace is `repeated ResourceSpans = 1` — byte for byte the request the store
// holds. A complete trace leaves status at its default (COMPLETE = 0), so only field 1 is written.

/** `bytes` (an ExportTraceServiceRequest / tempopb.Trace) wrapped as TraceByIDResponse.trace. */
export function encodeTraceByIdV2(trace: Uint8Array): Uint8Array {
  const prefix: number[] = [0x0a];
  let n = trace.length;
  while (n > 0x7f) {
    prefix.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  prefix.push(n);
  const out = new Uint8Array(prefix.length + trace.length);
  out.set(prefix);
  out.set(trace, prefix.length);
  return out;
}
