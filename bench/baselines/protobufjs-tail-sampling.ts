// The tail-sampling benchmark's JavaScript baseline: protobufjs-decoded requests, spans grouped by
// hex trace id in a Map, the same three policies (status ERROR, latency ≥ threshold over the
// trace, probabilistic FNV-1a-64 of salt and trace id), kept spans re-encoded per request.
import { decodeWithProtobufjs, encodeWithProtobufjs, pbTimeToNumber } from './protobufjs-pipeline.js';
import type { PbExportTraceServiceRequest, PbSpan } from './protobufjs-pipeline.js';

interface TraceState {
  error: boolean;
  minStart: number;
  maxEnd: number;
  id: Uint8Array;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
};

function fnv64(salt: Uint8Array, id: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of salt) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  for (const b of id) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h;
}

export interface TailPlan {
  readonly latencyMs: number;
  readonly percent: number;
  readonly salt: string;
}

/** Ingests every request, decides every trace, returns the re-encoded requests with kept spans. */
export function tailSampleWithProtobufjs(requests: Uint8Array[], plan: TailPlan): Uint8Array[] {
  const traces = new Map<string, TraceState>();
  const decoded: PbExportTraceServiceRequest[] = [];
  for (const bytes of requests) {
    const req = decodeWithProtobufjs(bytes);
    decoded.push(req);
    for (const rs of req.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) {
      const id = span.traceId ?? new Uint8Array(16);
      const key = hex(id);
      let t = traces.get(key);
      if (!t) traces.set(key, (t = { error: false, minStart: 0, maxEnd: 0, id }));
      const s = pbTimeToNumber(span.startTimeUnixNano);
      const e = pbTimeToNumber(span.endTimeUnixNano);
      if (t.minStart === 0 || s < t.minStart) t.minStart = s;
      if (t.maxEnd === 0 || e > t.maxEnd) t.maxEnd = e;
      if (span.status?.code === 2) t.error = true;
    }
  }
  const salt = new TextEncoder().encode(plan.salt);
  // big.Float threshold of the percentage, computed once (close enough for a timing baseline).
  const threshold = BigInt(Math.floor((plan.percent / 100) * 2 ** 53)) << 11n;
  const keep = new Set<string>();
  for (const [key, t] of traces) {
    if (t.error || (t.maxEnd - t.minStart) / 1e6 >= plan.latencyMs || fnv64(salt, t.id) <= threshold) keep.add(key);
  }
  return decoded.map((req) => {
    for (const rs of req.resourceSpans) for (const ss of rs.scopeSpans) ss.spans = ss.spans.filter((s: PbSpan) => keep.has(hex(s.traceId ?? new Uint8Array(16))));
    return encodeWithProtobufjs(req);
  });
}
