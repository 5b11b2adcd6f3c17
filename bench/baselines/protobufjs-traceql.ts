// The baseline for the TraceQL benchmarks: the same three queries written the plain JavaScript way
// over protobufjs-decoded request objects (upstream generated code, see protobufjs-pipeline.ts),
// as a tool without an index would run them. Each returns the number of matching spans.
import type { PbAnyValue, PbExportTraceServiceRequest, PbKeyValue, PbLong, PbSpan } from './protobufjs-pipeline.js';

function attr(list: PbKeyValue[], key: string): PbAnyValue | null | undefined {
  for (const kv of list) if (kv.key === key) return kv.value;
  return undefined;
}

function intOf(v: PbLong | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'number' ? v : v.high * 4294967296 + (v.low >>> 0);
}

/** `{ span.http.request.method = "GET" }` */
export function countMethodGet(req: PbExportTraceServiceRequest): number {
  let n = 0;
  for (const rs of req.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const v = attr(span.attributes, 'http.request.method');
        if (v && v.stringValue === 'GET') n++;
      }
    }
  }
  return n;
}

const ROUTE = /^(?:\/api\/.*)$/s;

/** `{ resource.service.name = "frontend" && span.http.response.status_code >= 200 && span.http.route =~ "/api/.*" }` */
export function countThreeConditions(req: PbExportTraceServiceRequest): number {
  let n = 0;
  for (const rs of req.resourceSpans) {
    const svc = rs.resource ? attr(rs.resource.attributes, 'service.name') : undefined;
    const frontend = !!svc && svc.stringValue === 'frontend';
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        if (!frontend) continue;
        const code = attr(span.attributes, 'http.response.status_code');
        const c = code ? intOf(code.intValue) : null;
        if (c === null || c < 200) continue;
        const route = attr(span.attributes, 'http.route');
        if (route && typeof route.stringValue === 'string' && ROUTE.test(route.stringValue)) n++;
      }
    }
  }
  return n;
}

function hex(b: Uint8Array | null): string {
  return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex') : '';
}

/** `{ kind = server } >> { status = error }`: error spans with a server ancestor, per trace. */
export function countServerAncestorErrors(req: PbExportTraceServiceRequest): number {
  const byId = new Map<string, PbSpan>();
  const all: PbSpan[] = [];
  for (const rs of req.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        all.push(span);
        const key = hex(span.traceId) + hex(span.spanId);
        if (!byId.has(key)) byId.set(key, span);
      }
    }
  }
  let n = 0;
  for (const span of all) {
    if ((span.status?.code ?? 0) !== 2) continue;
    const trace = hex(span.traceId);
    let parent = span.parentSpanId && span.parentSpanId.length ? byId.get(trace + hex(span.parentSpanId)) : undefined;
    let depth = 0;
    while (parent && depth++ < 10_000) {
      if (parent.kind === 2) {
        n++;
        break;
      }
      parent = parent.parentSpanId && parent.parentSpanId.length ? byId.get(trace + hex(parent.parentSpanId)) : undefined;
    }
  }
  return n;
}
