// Deterministic OTLP metric traffic from the same microservice shop the trace corpus models, for
// benchmarks and tests: each request holds whole exports of several service instances, with the
// instruments real SDKs and receivers produce — request-duration histograms with the semantic
// conventions' bucket bounds and trace exemplars, request and byte counters (monotonic sums),
// active-request up-down counters (non-monotonic sums), runtime gauges, database latency as
// exponential histograms, and Prometheus-style summaries from a scraped legacy service — in both
// temporalities, series multiplied by route, method and status like the real thing.
//
// Everything derives from one seeded PRNG and a fixed base time: the same options give the same
// bytes on every runtime. Ships in dist/ with bench/corpus.ts.
import { ProtoWriter, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../src/wire/proto-writer.js';
import { createRng, corpusDefaults } from './corpus.js';
import type { Rng, CorpusAttribute, CorpusValue } from './corpus.js';
import { SHOP_SERVICES, SCHEMA_URL, instanceAttributes, randomId, writeAttributes, writeResource, writeScope } from './corpus-resources.js';
import type { ShopService } from './corpus-resources.js';

export interface MetricCorpusOptions {
  /** PRNG seed; the same seed and options always produce identical bytes. */
  seed?: number;
  /** Number of ExportMetricsServiceRequest messages. */
  requests?: number;
  /** Data points per request (exact; the last metric of a request is cut to fit). */
  pointsPerRequest?: number;
}

export const metricCorpusDefaults: Readonly<Required<MetricCorpusOptions>> = Object.freeze({
  seed: 1,
  requests: 10,
  pointsPerRequest: 512,
});

const S = (value: string): CorpusValue => ({ type: 'string', value });
const I = (value: number): CorpusValue => ({ type: 'int', value: Math.trunc(value) });
const kv = (key: string, value: CorpusValue): CorpusAttribute => ({ key, value });

/** The semantic conventions' advisory bounds for http.server.request.duration, in seconds. */
const DURATION_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const ROUTES = ['/api/products', '/api/products/{id}', '/api/cart', '/api/checkout', '/api/recommendations', '/healthz'];
const MS = 1_000_000;

type Point =
  | { kind: 'number'; attrs: CorpusAttribute[]; start: bigint; time: bigint; value: number; int: boolean; exemplar: Exemplar | null }
  | { kind: 'histogram'; attrs: CorpusAttribute[]; start: bigint; time: bigint; counts: number[]; sum: number; min: number; max: number; exemplars: Exemplar[] }
  | { kind: 'exponential'; attrs: CorpusAttribute[]; start: bigint; time: bigint; scale: number; zeroCount: number; offset: number; counts: number[]; sum: number; min: number; max: number; exemplars: Exemplar[] }
  | { kind: 'summary'; attrs: CorpusAttribute[]; start: bigint; time: bigint; count: number; sum: number; quantiles: [number, number][] };

interface Exemplar {
  time: bigint;
  value: number;
  traceId: Uint8Array;
  spanId: Uint8Array;
  filtered: CorpusAttribute[];
}

interface Metric {
  name: string;
  description: string;
  unit: string;
  /** Metric.data field number: 5 gauge, 7 sum, 9 histogram, 10 exponential histogram, 11 summary. */
  type: 5 | 7 | 9 | 10 | 11;
  temporality: number;
  monotonic: boolean;
  points: Point[];
}

interface Instance {
  readonly service: ShopService;
  readonly attributes: CorpusAttribute[];
  readonly startNs: bigint;
  /** Deltas for some SDKs (.NET and Go exporters configured for delta backends), cumulative for the rest. */
  readonly temporality: number;
  /** A legacy service scraped by a Prometheus receiver: summaries instead of histograms. */
  readonly scraped: boolean;
}

export class MetricCorpusGenerator {
  readonly options: Readonly<Required<MetricCorpusOptions>>;
  private readonly rng: Rng;
  private readonly instances: Instance[];
  private clockNs = 0n;
  private next = 0;

  constructor(options: MetricCorpusOptions = {}) {
    this.options = Object.freeze({ ...metricCorpusDefaults, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) });
    const { requests, pointsPerRequest, seed } = this.options;
    if (!Number.isInteger(requests) || requests < 0) throw new RangeError(`metric corpus option requests must be an integer >= 0, got ${requests}`);
    if (!Number.isInteger(pointsPerRequest) || pointsPerRequest < 1) throw new RangeError(`metric corpus option pointsPerRequest must be an integer >= 1, got ${pointsPerRequest}`);
    this.rng = createRng(seed);
    this.instances = SHOP_SERVICES.flatMap((service) =>
      Array.from({ length: service.name === 'frontend' ? 3 : 1 + this.rng.int(2) }, () => ({
        service,
        attributes: instanceAttributes(this.rng, service),
        startNs: corpusDefaults.baseTimeUnixNano - BigInt(this.rng.int(3600)) * 1_000_000_000n,
        temporality: service.language === 'dotnet' || service.name === 'checkout' ? 1 : 2,
        scraped: service.language === 'cpp' || service.language === 'ruby',
      })),
    );
  }

  /** The next request as protobuf bytes: whole instance exports until the point budget is spent. */
  nextRequest(): Uint8Array {
    this.clockNs += 10_000_000_000n;
    const budget = this.options.pointsPerRequest;
    const w = new ProtoWriter(budget * 300);
    let left = budget;
    while (left > 0) {
      const instance = this.instances[this.next++ % this.instances.length]!;
      const scopes = this.export(instance);
      w.fork(1);
      writeResource(w, instance.attributes);
      for (const [scope, metrics] of scopes) {
        if (left <= 0) break;
        w.fork(2);
        writeScope(w, scope[0], scope[1]);
        for (const m of metrics) {
          if (left <= 0) break;
          if (m.points.length > left) m.points.length = left;
          left -= m.points.length;
          writeMetric(w, m);
        }
        w.tag(3, WIRE_LEN).string(SCHEMA_URL);
        w.ldelim();
      }
      w.ldelim();
    }
    return w.finish();
  }

  private exemplars(attrsTime: bigint, value: number, p: number): Exemplar[] {
    if (!this.rng.chance(p)) return [];
    return [{
      time: attrsTime - BigInt(this.rng.int(9_000) * MS),
      value,
      traceId: randomId(this.rng, 16),
      spanId: randomId(this.rng, 8),
      filtered: this.rng.chance(0.3) ? [kv('user.tier', S(this.rng.pick(['free', 'plus', 'gold'])))] : [],
    }];
  }

  private latencyHistogram(attrs: CorpusAttribute[], start: bigint, time: bigint, scale: number): Point {
    const r = this.rng;
    const counts = new Array<number>(DURATION_BOUNDS.length + 1).fill(0);
    const n = 5 + r.int(400) * scale;
    let sum = 0;
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < Math.min(n, 60); i++) {
      const v = 0.02 * Math.exp(0.9 * r.normal());
      const weight = Math.ceil(n / 60);
      let b = DURATION_BOUNDS.findIndex((bound) => v <= bound);
      if (b < 0) b = DURATION_BOUNDS.length;
      counts[b]! += weight;
      sum += v * weight;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return { kind: 'histogram', attrs, start, time, counts, sum, min, max, exemplars: this.exemplars(time, max, 0.25) };
  }

  private expHistogram(attrs: CorpusAttribute[], start: bigint, time: bigint): Point {
    const r = this.rng;
    const scale = 3 + r.int(3);
    const base = 2 ** (2 ** -scale);
    const counts = new Map<number, number>();
    let zeroCount = 0;
    let sum = 0;
    let min = Infinity;
    let max = 0;
    const n = 20 + r.int(200);
    for (let i = 0; i < n; i++) {
      const v = r.chance(0.01) ? 0 : 0.003 * Math.exp(0.7 * r.normal());
      if (v === 0) {
        zeroCount++;
        continue;
      }
      const index = Math.ceil(Math.log(v) / Math.log(base)) - 1;
      counts.set(index, (counts.get(index) ?? 0) + 1);
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const keys = [...counts.keys()];
    const offset = keys.length ? Math.min(...keys) : 0;
    const list = new Array<number>(keys.length ? Math.max(...keys) - offset + 1 : 0).fill(0);
    for (const [k, c] of counts) list[k - offset] = c;
    return { kind: 'exponential', attrs, start, time, scale, zeroCount, offset, counts: list, sum, min, max, exemplars: this.exemplars(time, max, 0.1) };
  }

  /** One instance's export: its instruments, grouped by instrumentation scope. */
  private export(instance: Instance): Map<readonly [string, string], Metric[]> {
    const r = this.rng;
    const time = corpusDefaults.baseTimeUnixNano + this.clockNs;
    const delta = instance.temporality === 1;
    const start = delta ? time - 10_000_000_000n : instance.startNs;
    const http: Metric[] = [];
    const duration: Metric = { name: 'http.server.request.duration', description: 'Duration of HTTP server requests.', unit: 's', type: 9, temporality: instance.temporality, monotonic: false, points: [] };
    const requests: Metric = { name: 'http.server.requests', description: '', unit: '{request}', type: 7, temporality: instance.temporality, monotonic: true, points: [] };
    const active: Metric = { name: 'http.server.active_requests', description: 'Number of active HTTP server requests.', unit: '{request}', type: 7, temporality: 2, monotonic: false, points: [] };
    const routes = instance.service.name === 'frontend' ? ROUTES : ROUTES.slice(0, 2 + r.int(3));
    for (const route of routes) {
      for (const method of route === '/healthz' ? ['GET'] : ['GET', 'POST']) {
        for (const status of r.chance(0.3) ? [200, 500] : [200]) {
          const attrs = [kv('http.request.method', S(method)), kv('http.route', S(route)), kv('http.response.status_code', I(status)), kv('url.scheme', S('http'))];
          const scale = delta ? 1 : 1 + Number((time - instance.startNs) / 60_000_000_000n);
          if (instance.scraped) {
            const count = 10 + r.int(500) * scale;
            const q = (p: number) => 0.01 * Math.exp(1.5 * p + 0.2 * r.normal());
            duration.points.push({ kind: 'summary', attrs, start, time, count, sum: count * 0.03, quantiles: [[0.5, q(0.5)], [0.9, q(0.9)], [0.99, q(0.99)]] });
          } else {
            duration.points.push(this.latencyHistogram(attrs, start, time, scale));
          }
          requests.points.push({ kind: 'number', attrs, start, time, value: 1 + r.int(300) * scale, int: true, exemplar: null });
        }
      }
    }
    for (const method of ['GET', 'POST']) {
      active.points.push({ kind: 'number', attrs: [kv('http.request.method', S(method)), kv('url.scheme', S('http'))], start: instance.startNs, time, value: r.int(30), int: true, exemplar: null });
    }
    if (instance.scraped) {
      duration.type = 11;
      duration.name = 'http_server_request_duration_seconds';
      duration.unit = '';
    }
    http.push(duration, requests, active);
    const runtime: Metric[] = [
      { name: 'process.runtime.memory', description: 'Process memory in use.', unit: 'By', type: 5, temporality: 0, monotonic: false, points: ['heap', 'non_heap', 'stack'].map((t) => ({ kind: 'number', attrs: [kv('memory.type', S(t))], start: 0n, time, value: Math.round(2 ** 20 * (8 + r.int(400))), int: true, exemplar: null })) },
      { name: 'process.cpu.utilization', description: '', unit: '1', type: 5, temporality: 0, monotonic: false, points: [{ kind: 'number', attrs: [], start: 0n, time, value: r.next() * 0.9, int: false, exemplar: null }] },
      { name: 'process.cpu.time', description: 'Total CPU seconds.', unit: 's', type: 7, temporality: instance.temporality, monotonic: true, points: ['user', 'system'].map((m) => ({ kind: 'number', attrs: [kv('cpu.mode', S(m))], start, time, value: r.next() * 100, int: false, exemplar: null })) },
    ];
    const scopes = new Map<readonly [string, string], Metric[]>();
    scopes.set([`io.opentelemetry.${instance.service.language}.http`, '2.6.0'], http);
    scopes.set(['io.opentelemetry.runtime-telemetry', '1.2.0'], runtime);
    if (['product-catalog', 'accounting', 'cart', 'recommendation'].includes(instance.service.name)) {
      const db: Metric = { name: 'db.client.operation.duration', description: 'Duration of database client operations.', unit: 's', type: 10, temporality: instance.temporality, monotonic: false, points: [] };
      for (const op of ['SELECT', 'INSERT', 'UPDATE']) db.points.push(this.expHistogram([kv('db.system', S('postgresql')), kv('db.operation.name', S(op))], start, time));
      const pool: Metric = { name: 'db.client.connection.count', description: '', unit: '{connection}', type: 7, temporality: 2, monotonic: false, points: ['idle', 'used'].map((s) => ({ kind: 'number', attrs: [kv('db.client.connection.state', S(s)), kv('db.client.connection.pool.name', S('main'))], start: instance.startNs, time, value: r.int(20), int: true, exemplar: null })) };
      scopes.set(['io.opentelemetry.jdbc', '2.6.0-alpha'], [db, pool]);
    }
    return scopes;
  }
}

function writeExemplars(w: ProtoWriter, field: number, list: Exemplar[]): void {
  for (const x of list) {
    w.fork(field);
    writeAttributes(w, 7, x.filtered);
    w.tag(2, WIRE_FIXED64).fixed64(x.time);
    w.tag(3, WIRE_FIXED64).double(x.value);
    w.tag(4, WIRE_LEN).bytes(x.spanId);
    w.tag(5, WIRE_LEN).bytes(x.traceId);
    w.ldelim();
  }
}

function writePoint(w: ProtoWriter, p: Point): void {
  w.fork(1);
  switch (p.kind) {
    case 'number':
      if (p.start) w.tag(2, WIRE_FIXED64).fixed64(p.start);
      w.tag(3, WIRE_FIXED64).fixed64(p.time);
      if (p.int) w.tag(6, WIRE_FIXED64).fixed64(BigInt(Math.trunc(p.value)));
      else w.tag(4, WIRE_FIXED64).double(p.value);
      writeAttributes(w, 7, p.attrs);
      break;
    case 'histogram': {
      w.tag(2, WIRE_FIXED64).fixed64(p.start);
      w.tag(3, WIRE_FIXED64).fixed64(p.time);
      w.tag(4, WIRE_FIXED64).fixed64(BigInt(p.counts.reduce((a, b) => a + b, 0)));
      w.tag(5, WIRE_FIXED64).double(p.sum);
      w.tag(6, WIRE_LEN).uint32(p.counts.length * 8);
      for (const c of p.counts) w.fixed64(BigInt(c));
      w.tag(7, WIRE_LEN).uint32(DURATION_BOUNDS.length * 8);
      for (const b of DURATION_BOUNDS) w.double(b);
      writeExemplars(w, 8, p.exemplars);
      writeAttributes(w, 9, p.attrs);
      w.tag(11, WIRE_FIXED64).double(p.min);
      w.tag(12, WIRE_FIXED64).double(p.max);
      break;
    }
    case 'exponential': {
      writeAttributes(w, 1, p.attrs);
      w.tag(2, WIRE_FIXED64).fixed64(p.start);
      w.tag(3, WIRE_FIXED64).fixed64(p.time);
      w.tag(4, WIRE_FIXED64).fixed64(BigInt(p.counts.reduce((a, b) => a + b, 0) + p.zeroCount));
      w.tag(5, WIRE_FIXED64).double(p.sum);
      w.tag(6, WIRE_VARINT).uint32(((p.scale << 1) ^ (p.scale >> 31)) >>> 0);
      w.tag(7, WIRE_FIXED64).fixed64(BigInt(p.zeroCount));
      const body = new ProtoWriter(16 + p.counts.length * 2);
      body.tag(1, WIRE_VARINT).uint32(((p.offset << 1) ^ (p.offset >> 31)) >>> 0);
      const packed = new ProtoWriter(p.counts.length * 2);
      for (const c of p.counts) packed.uint32(c);
      body.tag(2, WIRE_LEN).bytes(packed.finish());
      w.tag(8, WIRE_LEN).bytes(body.finish());
      w.tag(9, WIRE_LEN).bytes(new Uint8Array(0));
      writeExemplars(w, 11, p.exemplars);
      w.tag(12, WIRE_FIXED64).double(p.min);
      w.tag(13, WIRE_FIXED64).double(p.max);
      break;
    }
    case 'summary':
      w.tag(2, WIRE_FIXED64).fixed64(p.start);
      w.tag(3, WIRE_FIXED64).fixed64(p.time);
      w.tag(4, WIRE_FIXED64).fixed64(BigInt(p.count));
      w.tag(5, WIRE_FIXED64).double(p.sum);
      for (const [q, v] of p.quantiles) w.fork(6).tag(1, WIRE_FIXED64).double(q).tag(2, WIRE_FIXED64).double(v).ldelim();
      writeAttributes(w, 7, p.attrs);
      break;
  }
  w.ldelim();
}

function writeMetric(w: ProtoWriter, m: Metric): void {
  w.fork(2);
  w.tag(1, WIRE_LEN).string(m.name);
  if (m.description) w.tag(2, WIRE_LEN).string(m.description);
  if (m.unit) w.tag(3, WIRE_LEN).string(m.unit);
  w.fork(m.type);
  for (const p of m.points) writePoint(w, p);
  if (m.type !== 5 && m.type !== 11 && m.temporality) w.tag(2, WIRE_VARINT).uint32(m.temporality);
  if (m.type === 7 && m.monotonic) w.tag(3, WIRE_VARINT).bool(true);
  w.ldelim();
  w.ldelim();
}

/** `options.requests` ExportMetricsServiceRequest messages of `options.pointsPerRequest` data points each. */
export function generateMetricRequests(options: MetricCorpusOptions = {}): Uint8Array[] {
  const gen = new MetricCorpusGenerator(options);
  return Array.from({ length: gen.options.requests }, () => gen.nextRequest());
}
