// Deterministic OTLP log traffic from the same microservice shop the trace corpus models, for
// benchmarks and tests: access logs, application messages with code locations, structured (kvlist)
// bodies, retries and slow queries, errors with exception stack traces, and named events — with the
// severity mix, severity spellings per language, trace correlation (most records carry the trace and
// span id of the request that logged them) and body sizes real services produce.
//
// Everything derives from one seeded PRNG and a fixed base time: the same options give the same bytes
// on every runtime. Ships in dist/ with bench/corpus.ts: imports only from ../src and bench corpus files.
import { ProtoWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../src/wire/proto-writer.js';
import { createRng, corpusDefaults } from './corpus.js';
import type { Rng, CorpusAttribute, CorpusValue } from './corpus.js';
import {
  SHOP_SERVICES, SCHEMA_URL, instanceAttributes, randomId, token, writeAttributes, writeResource, writeScope, writeValue,
} from './corpus-resources.js';
import type { ShopService } from './corpus-resources.js';

export interface LogCorpusOptions {
  /** PRNG seed; the same seed and options always produce identical bytes. */
  seed?: number;
  /** Number of ExportLogsServiceRequest messages. */
  requests?: number;
  /** Log records per request (exact). */
  recordsPerRequest?: number;
  /** Share (0–1) of records logged inside a traced request (trace and span id set). */
  traceCorrelation?: number;
}

export const logCorpusDefaults: Readonly<Required<LogCorpusOptions>> = Object.freeze({
  seed: 1,
  requests: 10,
  recordsPerRequest: 512,
  traceCorrelation: 0.7,
});

/** A body that is a kvlist: the structured-logging shape (JSON loggers, events). */
type Body = { type: 'string'; value: string } | { type: 'kvlist'; value: CorpusAttribute[] };

interface Record_ {
  time: bigint;
  observed: bigint;
  severity: number;
  severityText: string;
  body: Body;
  attributes: CorpusAttribute[];
  traceId: Uint8Array | null;
  spanId: Uint8Array | null;
  flags: number;
  eventName: string;
}

const SEVERITY = { DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 } as const;
type Level = keyof typeof SEVERITY;

/** How each language's logging library spells levels. */
const LEVEL_TEXT: Record<string, Record<Level, string>> = {
  nodejs: { DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error', FATAL: 'fatal' },
  go: { DEBUG: 'DEBUG', INFO: 'INFO', WARN: 'WARN', ERROR: 'ERROR', FATAL: 'ERROR' },
  dotnet: { DEBUG: 'Debug', INFO: 'Information', WARN: 'Warning', ERROR: 'Error', FATAL: 'Critical' },
  rust: { DEBUG: 'DEBUG', INFO: 'INFO', WARN: 'WARN', ERROR: 'ERROR', FATAL: 'ERROR' },
  cpp: { DEBUG: 'debug', INFO: 'info', WARN: 'warning', ERROR: 'error', FATAL: 'critical' },
  python: { DEBUG: 'DEBUG', INFO: 'INFO', WARN: 'WARNING', ERROR: 'ERROR', FATAL: 'CRITICAL' },
  ruby: { DEBUG: 'DEBUG', INFO: 'INFO', WARN: 'WARN', ERROR: 'ERROR', FATAL: 'FATAL' },
  java: { DEBUG: 'DEBUG', INFO: 'INFO', WARN: 'WARN', ERROR: 'ERROR', FATAL: 'FATAL' },
};

/** Logger names (the instrumentation scope of a log record) per language. */
const LOGGERS: Record<string, readonly (readonly [string, string])[]> = {
  nodejs: [['pino', '9.3.2'], ['@opentelemetry/instrumentation-http', '0.53.0']],
  go: [['go.opentelemetry.io/contrib/bridges/otelslog', '0.4.0']],
  dotnet: [['Microsoft.AspNetCore.Hosting.Diagnostics', ''], ['cart.CartService', '']],
  rust: [['opentelemetry-appender-tracing', '0.5.0']],
  cpp: [['currency', '1.1.0']],
  python: [['recommendation_server', ''], ['opentelemetry.sdk._logs', '1.26.0']],
  ruby: [['email_server', '']],
  java: [['shop.accounting.LedgerService', ''], ['org.apache.kafka.clients.consumer.KafkaConsumer', '']],
};

const PATHS = ['/api/products', '/api/products/{id}', '/api/cart', '/api/checkout', '/api/recommendations', '/healthz', '/'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'k6/0.52.0 (https://k6.io/)',
  'kube-probe/1.30',
];
const EXCEPTIONS = [
  ['java.net.SocketTimeoutException', 'Read timed out'],
  ['System.InvalidOperationException', 'Cart is locked by another checkout'],
  ['ConnectionRefusedError', '[Errno 111] Connection refused'],
  ['PG::UniqueViolation', 'duplicate key value violates unique constraint "orders_pkey"'],
  ['Error', 'card declined: insufficient funds'],
  ['context.deadlineExceededError', 'context deadline exceeded'],
] as const;
const FLAGS = ['new-checkout', 'recs-v2', 'dark-mode', 'fast-shipping'];
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

const S = (value: string): CorpusValue => ({ type: 'string', value });
const I = (value: number): CorpusValue => ({ type: 'int', value: Math.trunc(value) });
const D = (value: number): CorpusValue => ({ type: 'double', value });
const B = (value: boolean): CorpusValue => ({ type: 'bool', value });
const kv = (key: string, value: CorpusValue): CorpusAttribute => ({ key, value });

interface Instance {
  readonly service: ShopService;
  readonly attributes: CorpusAttribute[];
}

/**
 * A stream of requests: keeps the clock and the shop's instances across requests, so consecutive
 * requests read like consecutive exports from a gateway.
 */
export class LogCorpusGenerator {
  readonly options: Readonly<Required<LogCorpusOptions>>;
  private readonly rng: Rng;
  private readonly instances: Instance[];
  private clockNs = 0;
  private trace: { traceId: Uint8Array; spanId: Uint8Array; left: number } | null = null;

  constructor(options: LogCorpusOptions = {}) {
    this.options = Object.freeze({ ...logCorpusDefaults, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) });
    const { requests, recordsPerRequest, traceCorrelation, seed } = this.options;
    if (!Number.isInteger(requests) || requests < 0) throw new RangeError(`log corpus option requests must be an integer >= 0, got ${requests}`);
    if (!Number.isInteger(recordsPerRequest) || recordsPerRequest < 1) throw new RangeError(`log corpus option recordsPerRequest must be an integer >= 1, got ${recordsPerRequest}`);
    if (!(traceCorrelation >= 0 && traceCorrelation <= 1)) throw new RangeError(`log corpus option traceCorrelation must be between 0 and 1, got ${traceCorrelation}`);
    this.rng = createRng(seed);
    this.instances = SHOP_SERVICES.flatMap((service) =>
      Array.from({ length: service.name === 'frontend' ? 3 : 1 + this.rng.int(2) }, () => ({ service, attributes: instanceAttributes(this.rng, service) })),
    );
  }

  /** The next request as protobuf bytes. */
  nextRequest(): Uint8Array {
    const n = this.options.recordsPerRequest;
    // Records of one instance cluster, as each SDK's batch processor exports its own: a request
    // holds runs from a handful of instances.
    const byInstance = new Map<Instance, Map<string, Record_[]>>();
    let made = 0;
    while (made < n) {
      const instance = this.rng.pick(this.instances);
      const run = Math.min(n - made, 8 + this.rng.int(40));
      const loggers = LOGGERS[instance.service.language]!;
      let scopes = byInstance.get(instance);
      if (!scopes) byInstance.set(instance, (scopes = new Map()));
      for (let k = 0; k < run; k++) {
        const [name, version] = this.rng.pick(loggers);
        const key = `${name}\u0000${version}`;
        let list = scopes.get(key);
        if (!list) scopes.set(key, (list = []));
        list.push(this.record(instance.service));
      }
      made += run;
    }
    const w = new ProtoWriter(n * 400);
    for (const [instance, scopes] of byInstance) {
      w.fork(1);
      writeResource(w, instance.attributes);
      for (const [key, records] of scopes) {
        const [name, version] = key.split('\u0000') as [string, string];
        w.fork(2);
        writeScope(w, name, version);
        for (const r of records) writeRecord(w, r);
        if (version) w.tag(3, WIRE_LEN).string(SCHEMA_URL);
        w.ldelim();
      }
      w.tag(3, WIRE_LEN).string(SCHEMA_URL);
      w.ldelim();
    }
    return w.finish();
  }

  private level(): Level {
    const x = this.rng.next();
    return x < 0.18 ? 'DEBUG' : x < 0.78 ? 'INFO' : x < 0.9 ? 'WARN' : x < 0.995 ? 'ERROR' : 'FATAL';
  }

  /** The trace context of the request being logged: several records in a row share one. */
  private context(): [Uint8Array, Uint8Array] | null {
    if (!this.rng.chance(this.options.traceCorrelation)) return null;
    if (!this.trace || this.trace.left-- <= 0) this.trace = { traceId: randomId(this.rng, 16), spanId: randomId(this.rng, 8), left: this.rng.int(6) };
    else if (this.rng.chance(0.4)) this.trace.spanId = randomId(this.rng, 8);
    return [this.trace.traceId, this.trace.spanId];
  }

  private record(service: ShopService): Record_ {
    const r = this.rng;
    this.clockNs += 50_000 + r.int(2_000_000);
    const time = corpusDefaults.baseTimeUnixNano + BigInt(this.clockNs);
    const ctx = this.context();
    let level = this.level();
    const attributes: CorpusAttribute[] = [];
    let body: Body;
    let eventName = '';
    const kind = r.next();
    if (level === 'ERROR' || level === 'FATAL') {
      const [type, message] = r.pick(EXCEPTIONS);
      body = { type: 'string', value: `${r.pick(['Failed to place order', 'Charge failed', 'Request failed', 'Unhandled exception'])}: ${message}` };
      attributes.push(kv('exception.type', S(type)), kv('exception.message', S(message)), kv('exception.stacktrace', S(stacktrace(r, type, message))));
      attributes.push(kv('code.function', S(r.pick(['placeOrder', 'chargeCard', 'handle', 'run']))), kv('code.lineno', I(20 + r.int(900))));
    } else if (kind < 0.35 && service.name !== 'accounting') {
      const method = r.chance(0.8) ? 'GET' : 'POST';
      const path = r.pick(PATHS).replace('{id}', token(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10));
      const status = r.chance(0.94) ? 200 : r.pick([301, 404, 429, 500, 503]);
      const ip = `${r.pick([203, 198, 100])}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
      const agent = r.pick(AGENTS);
      const ms = (1 + r.int(400)) / 1.7;
      body = { type: 'string', value: `${ip} - - "${method} ${path} HTTP/1.1" ${status} ${200 + r.int(40000)} "-" "${agent}" ${ms.toFixed(3)}ms` };
      attributes.push(
        kv('http.request.method', S(method)), kv('url.path', S(path)), kv('http.response.status_code', I(status)),
        kv('client.address', S(ip)), kv('user_agent.original', S(agent)), kv('http.server.request.duration', D(ms / 1000)),
      );
      if (status >= 500) level = 'ERROR';
      else if (status >= 400) level = 'WARN';
    } else if (kind < 0.5) {
      // Structured logging: the body is a map (pino/zap/structlog JSON output).
      const items = 1 + r.int(6);
      body = {
        type: 'kvlist',
        value: [
          kv('msg', S(r.pick(['cart updated', 'order placed', 'recommendations served', 'currency converted']))),
          kv('cart_id', S(token(r, LOWER, 12))),
          kv('items', I(items)),
          kv('total', D(Math.round(r.next() * 50000) / 100)),
          kv('currency', S(r.pick(['USD', 'EUR', 'GBP', 'JPY']))),
          kv('user', { type: 'array', value: [S(`u-${token(r, LOWER, 12)}`), S(r.pick(['free', 'plus', 'gold']))] }),
        ],
      };
      attributes.push(kv('thread.id', I(1 + r.int(64))));
    } else if (kind < 0.53) {
      eventName = r.pick(['feature_flag.evaluation', 'session.start', 'browser.page_view']);
      body = { type: 'kvlist', value: [kv('feature_flag.key', S(r.pick(FLAGS))), kv('feature_flag.variant', S(r.pick(['on', 'off']))), kv('enabled', B(r.chance(0.5)))] };
      level = 'INFO';
    } else if (level === 'WARN') {
      const attempt = 1 + r.int(3);
      body = { type: 'string', value: `Retrying ${r.pick(['POST', 'GET'])} http://${r.pick(SHOP_SERVICES).name}.shop.svc.cluster.local:8080/ (attempt ${attempt}/3): deadline exceeded after ${100 * attempt}ms` };
      attributes.push(kv('retry.attempt', I(attempt)), kv('server.address', S(`${r.pick(SHOP_SERVICES).name}.shop.svc.cluster.local`)));
    } else {
      const order = token(r, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 8);
      body = { type: 'string', value: r.pick([
        `Processing order ${order} for user u-${token(r, LOWER, 12)} (${1 + r.int(9)} items)`,
        `Cache miss for product ${token(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10)}, loading from database`,
        `Converted ${(r.next() * 500).toFixed(2)} USD to EUR at rate 0.${900 + r.int(99)}`,
        `Sent order confirmation to ${token(r, LOWER, 6)}@example.com`,
        `Consumer group accounting rebalanced: assigned partitions [orders-${r.int(12)}]`,
      ]) };
      attributes.push(
        kv('code.function', S(r.pick(['PlaceOrder', 'GetProduct', 'Convert', 'send_confirmation', 'onPartitionsAssigned']))),
        kv('code.filepath', S(`src/${r.pick(['server', 'handlers', 'service'])}.${service.language === 'python' ? 'py' : service.language === 'java' ? 'java' : 'ts'}`)),
        kv('code.lineno', I(10 + r.int(600))),
      );
      if (r.chance(0.5)) attributes.push(kv('order.id', S(order)));
    }
    // Records from file-tailing receivers have no event time, only the time they were observed.
    const noTime = r.chance(0.03);
    return {
      time: noTime ? 0n : time,
      observed: time + BigInt(r.int(5_000_000)),
      severity: eventName ? 0 : SEVERITY[level] + (r.chance(0.02) ? 1 : 0),
      severityText: eventName ? '' : LEVEL_TEXT[service.language]![level],
      body,
      attributes,
      traceId: ctx ? ctx[0] : null,
      spanId: ctx ? ctx[1] : null,
      flags: ctx ? 1 : 0,
      eventName,
    };
  }
}

function stacktrace(r: Rng, type: string, message: string): string {
  const frames = 6 + r.int(14);
  const lines = [`${type}: ${message}`];
  for (let i = 0; i < frames; i++) lines.push(`    at ${r.pick(['shop', 'io.grpc', 'org.postgresql', 'node:internal'])}.${r.pick(['Handler', 'Service', 'Client', 'Pool'])}.${r.pick(['run', 'call', 'execute', 'read'])}(${r.pick(['Handler', 'Client', 'Pool'])}.java:${10 + r.int(400)})`);
  return lines.join('\n');
}

function writeRecord(w: ProtoWriter, r: Record_): void {
  w.fork(2);
  if (r.time) w.tag(1, WIRE_FIXED64).fixed64(r.time);
  if (r.severity) w.tag(2, WIRE_VARINT).uint32(r.severity);
  if (r.severityText) w.tag(3, WIRE_LEN).string(r.severityText);
  w.fork(5);
  if (r.body.type === 'string') {
    writeValue(w, r.body);
  } else {
    w.fork(6);
    writeAttributes(w, 1, r.body.value);
    w.ldelim();
  }
  w.ldelim();
  writeAttributes(w, 6, r.attributes);
  if (r.flags) w.tag(8, WIRE_FIXED32).fixed32(r.flags);
  if (r.traceId) w.tag(9, WIRE_LEN).bytes(r.traceId);
  if (r.spanId) w.tag(10, WIRE_LEN).bytes(r.spanId);
  w.tag(11, WIRE_FIXED64).fixed64(r.observed);
  if (r.eventName) w.tag(12, WIRE_LEN).string(r.eventName);
  w.ldelim();
}

/** `options.requests` ExportLogsServiceRequest messages of `options.recordsPerRequest` records each. */
export function generateLogRequests(options: LogCorpusOptions = {}): Uint8Array[] {
  const gen = new LogCorpusGenerator(options);
  return Array.from({ length: gen.options.requests }, () => gen.nextRequest());
}
