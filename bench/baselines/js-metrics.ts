// The JavaScript way to derive span metrics and service graphs: walk protobufjs-decoded requests
// (upstream generated code, see protobufjs-pipeline.ts) and aggregate into Maps keyed by strings,
// the way a JS connector would. Written to be fast for what it is — one key string per span, typed
// arrays for buckets, no per-span allocations beyond the key — so the ratios against the core are
// honest. It computes the same things as the connectors (counts, explicit or exponential duration
// histograms, client/server pairing with latency histograms); its own correctness is checked in
// test/bench-metrics.test.ts against our connectors.
import { pbSpanDurationNanos } from './protobufjs-pipeline.js';
import type { PbAnyValue, PbExportTraceServiceRequest, PbKeyValue, PbResourceSpans, PbSpan } from './protobufjs-pipeline.js';

const KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUSES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

function attrString(v: PbAnyValue | null | undefined): string | undefined {
  if (!v) return undefined;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (v.intValue !== null && v.intValue !== undefined) return typeof v.intValue === 'number' ? String(v.intValue) : String(v.intValue.low);
  if (typeof v.boolValue === 'boolean') return String(v.boolValue);
  if (typeof v.doubleValue === 'number') return String(v.doubleValue);
  return undefined;
}

function find(attrs: PbKeyValue[] | undefined, key: string): PbAnyValue | undefined {
  if (!attrs) return undefined;
  for (const kv of attrs) if (kv.key === key) return kv.value ?? undefined;
  return undefined;
}

function serviceName(rs: PbResourceSpans): string | undefined {
  return attrString(find(rs.resource?.attributes, 'service.name'));
}

/** A resource's identity, like the collector's attribute-map hash: its attributes sorted by key. */
export function resourceKey(rs: PbResourceSpans): string {
  const attrs = (rs.resource?.attributes ?? []).map((kv) => `${kv.key ?? ''}=${attrString(kv.value) ?? ''}`);
  return attrs.sort().join('\u0000');
}

/** A base-2 exponential histogram (same algorithm as the core: start at scale 20, downscale to fit). */
export class JsExponentialHistogram {
  scale = 20;
  zeroCount = 0;
  count = 0;
  sum = 0;
  start = 0;
  counts: number[] = [];

  constructor(private readonly maxSize: number) {}

  private index(v: number): number {
    const exp = Math.log2(v);
    if (Number.isInteger(exp)) return exp * 2 ** this.scale - 1;
    return Math.floor(Math.log(v) * Math.LOG2E * 2 ** this.scale);
  }

  record(v: number): void {
    this.count++;
    this.sum += v;
    if (v === 0) {
      this.zeroCount++;
      return;
    }
    let i = this.index(v);
    if (this.counts.length) {
      const lo = Math.min(i, this.start);
      const hi = Math.max(i, this.start + this.counts.length - 1);
      let shift = 0;
      while ((hi >> shift) - (lo >> shift) + 1 > this.maxSize) shift++;
      if (shift) {
        const start = this.start >> shift;
        const merged: number[] = [];
        this.counts.forEach((c, k) => {
          const j = ((this.start + k) >> shift) - start;
          merged[j] = (merged[j] ?? 0) + c;
        });
        for (let k = 0; k < merged.length; k++) merged[k] ??= 0;
        this.counts = merged;
        this.start = start;
        this.scale -= shift;
        i >>= shift;
      }
    } else {
      this.start = i;
      this.counts = [0];
    }
    if (i < this.start) {
      this.counts = [...new Array<number>(this.start - i).fill(0), ...this.counts];
      this.start = i;
    }
    while (i >= this.start + this.counts.length) this.counts.push(0);
    this.counts[i - this.start]!++;
  }
}

export interface JsSpanMetricsOptions {
  /** Extra dimensions (span attributes, then resource attributes). */
  dimensions?: string[];
  /** Explicit bounds in ms, or 'exponential'. */
  histogram: number[] | { maxSize: number };
}

interface JsSeries {
  calls: number;
  explicit?: Float64Array;
  sum: number;
  expo?: JsExponentialHistogram;
}

/**
 * Span metrics (calls + duration per service, name, kind, status and extra dimensions) over decoded
 * requests, per resource like the collector: series are keyed by the resource's identity first.
 */
export class JsSpanMetrics {
  readonly series = new Map<string, JsSeries>();
  private readonly dims: string[];

  constructor(private readonly options: JsSpanMetricsOptions) {
    this.dims = options.dimensions ?? [];
  }

  consume(request: PbExportTraceServiceRequest): void {
    const bounds = Array.isArray(this.options.histogram) ? this.options.histogram : undefined;
    for (const rs of request.resourceSpans) {
      const service = serviceName(rs);
      if (service === undefined) continue;
      const resource = resourceKey(rs);
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          let key = `${resource}\u0002${service}\u0000${span.name ?? ''}\u0000${KINDS[span.kind ?? 0]}\u0000${STATUSES[span.status?.code ?? 0]}`;
          for (const d of this.dims) {
            const v = attrString(find(span.attributes, d) ?? find(rs.resource?.attributes, d));
            key += v === undefined ? '\u0001' : `\u0000${v}`;
          }
          let s = this.series.get(key);
          if (!s) {
            s = { calls: 0, sum: 0 };
            if (bounds) s.explicit = new Float64Array(bounds.length + 1);
            else s.expo = new JsExponentialHistogram((this.options.histogram as { maxSize: number }).maxSize);
            this.series.set(key, s);
          }
          const nanos = pbSpanDurationNanos(span);
          const ms = nanos > 0 ? nanos / 1e6 : 0;
          s.calls++;
          if (bounds) {
            let lo = 0;
            let hi = bounds.length;
            while (lo < hi) {
              const mid = (lo + hi) >>> 1;
              if (bounds[mid]! < ms) lo = mid + 1;
              else hi = mid;
            }
            s.explicit![lo]!++;
            s.sum += ms;
          } else {
            s.expo!.record(ms);
          }
        }
      }
    }
  }
}

const hex = (b: Uint8Array | null): string => {
  if (!b) return '';
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
};

interface JsEdge {
  client?: string;
  server?: string;
  clientLatency: number;
  serverLatency: number;
  failed: boolean;
  connection: string;
  expires: number;
  /** A server span without a parent: its caller is outside the trace. */
  root: boolean;
}

interface JsEdgeSeries {
  total: number;
  failed: number;
  client: Float64Array;
  server: Float64Array;
}

const SG_BOUNDS = [0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15];

function bucket(bounds: number[], v: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Service graph pairing (client/server, producer/consumer, database calls) with a TTL store, over decoded requests. */
export class JsServiceGraph {
  readonly edges = new Map<string, JsEdge>();
  readonly series = new Map<string, JsEdgeSeries>();

  constructor(private readonly ttlMs = 2000, private readonly maxItems = 1000) {}

  private complete(e: JsEdge): void {
    const key = `${e.client}\u0000${e.server}\u0000${e.connection}\u0000${e.failed}`;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { total: 0, failed: 0, client: new Float64Array(SG_BOUNDS.length + 1), server: new Float64Array(SG_BOUNDS.length + 1) }));
    s.total++;
    if (e.failed) s.failed++;
    s.client[bucket(SG_BOUNDS, e.clientLatency)]!++;
    s.server[bucket(SG_BOUNDS, e.serverLatency)]!++;
  }

  consume(request: PbExportTraceServiceRequest, now: number): void {
    for (const rs of request.resourceSpans) {
      const service = serviceName(rs);
      if (service === undefined) continue;
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) this.span(span, service, rs, now);
      }
    }
  }

  private span(span: PbSpan, service: string, rs: PbResourceSpans, now: number): void {
    const kind = span.kind ?? 0;
    const isClient = kind === 3 || kind === 4;
    if (!isClient && kind !== 2 && kind !== 5) return;
    const nanos = pbSpanDurationNanos(span);
    const latency = nanos > 0 ? nanos / 1e9 : 0;
    const failed = span.status?.code === 2;
    let connection = kind === 4 || kind === 5 ? 'messaging_system' : '';
    const key = hex(span.traceId) + hex(isClient ? span.spanId : span.parentSpanId);
    let db: string | undefined;
    if (isClient) {
      db = attrString(find(rs.resource?.attributes, 'db.name') ?? find(span.attributes, 'db.name'));
      if (db !== undefined) connection = 'database';
    }
    let e = this.edges.get(key);
    if (!e) {
      const root = !isClient && !(span.parentSpanId && span.parentSpanId.some((b) => b !== 0));
      e = { clientLatency: 0, serverLatency: 0, failed: false, connection, expires: now + this.ttlMs, root };
      if (db === undefined) {
        if (this.edges.size >= this.maxItems) return;
        this.edges.set(key, e);
      }
    }
    e.connection = connection;
    e.failed ||= failed;
    if (isClient) {
      e.client = service;
      e.clientLatency = latency;
      if (db !== undefined) {
        e.server = db;
        e.serverLatency = latency;
      }
    } else {
      e.server = service;
      e.serverLatency = latency;
    }
    if (e.client && e.server) {
      this.complete(e);
      this.edges.delete(key);
    }
  }

  /** Expires edges past their TTL: root servers become user → server, clients client → unknown. */
  expire(now: number): void {
    for (const [key, e] of this.edges) {
      if (!(now > e.expires)) break;
      this.edges.delete(key);
      if (!e.client && e.root) {
        e.client = 'user';
        e.connection = 'virtual_node';
        this.complete(e);
      } else if (!e.server) {
        e.server = 'unknown';
        e.connection = 'virtual_node';
        this.complete(e);
      }
    }
  }
}
