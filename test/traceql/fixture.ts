// The conformance trace set: OTLP/JSON for several services with every attribute type, arrays,
// events, links, a trace id with leading zeros, an int above 2^53, an orphan subtree, a trace with
// two roots and a trace split across two requests. Span names are unique, so expected results are
// written as span names. Converted to protobuf with the independent oracle (test/helpers/oracle.ts).
import { encodeTraces } from '../helpers/oracle.js';

type Json = Record<string, unknown>;
const MS = 1_000_000n;
export const BASE = 1_700_000_000_000_000_000n;

const s = (v: string) => ({ stringValue: v });
const i = (v: number | bigint) => ({ intValue: String(v) });
const d = (v: number) => ({ doubleValue: v });
const b = (v: boolean) => ({ boolValue: v });
const arr = (...values: Json[]) => ({ arrayValue: { values } });
const kv = (key: string, value: Json) => ({ key, value });

export const T1 = '000000000000000000000000000abc06';
export const T2 = '5b8efff798038103d269b633813fc60c';
export const T3 = '0af7651916cd43dd8448eb211c80319c';
export const T4 = 'f0000000000000000000000000000004';
export const T5 = '11111111111111111111111111111111';

interface SpanSpec {
  trace: string;
  id: string;
  parent?: string;
  name: string;
  kind?: number;
  status?: { code?: number; message?: string };
  start: bigint; // ms offset from BASE
  dur: bigint; // ms
  attrs?: Json[];
  events?: { name: string; at: bigint; attrs?: Json[] }[];
  links?: { trace: string; span: string; attrs?: Json[] }[];
}

function span(x: SpanSpec): Json {
  const start = BASE + x.start * MS;
  return {
    traceId: x.trace,
    spanId: x.id,
    ...(x.parent ? { parentSpanId: x.parent } : {}),
    name: x.name,
    kind: x.kind ?? 0,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + x.dur * MS),
    attributes: x.attrs ?? [],
    events: (x.events ?? []).map((e) => ({ name: e.name, timeUnixNano: String(start + e.at * MS), attributes: e.attrs ?? [] })),
    links: (x.links ?? []).map((l) => ({ traceId: l.trace, spanId: l.span, attributes: l.attrs ?? [] })),
    ...(x.status ? { status: x.status } : {}),
  };
}

function rs(resource: Json[], scope: Json, spans: SpanSpec[]): Json {
  return { resource: { attributes: resource }, scopeSpans: [{ scope, spans: spans.map(span) }] };
}

const httpScope = { name: 'io.opentelemetry.http', version: '1.2.3', attributes: [kv('lang', s('go'))] };
const dbScope = { name: 'db-lib', version: '0.1.0', attributes: [] };

/** Request 1 (every trace but T5's second half). */
export const REQUEST_1: Json = {
  resourceSpans: [
    rs(
      [kv('service.name', s('frontend')), kv('deployment.environment', s('prod')), kv('res.num', i(7)), kv('shared', s('from-resource')), kv('only.resource', s('r'))],
      httpScope,
      [
        {
          trace: T1, id: '00000000000000a1', name: 'GET /cart', kind: 2, start: 0n, dur: 100n,
          attrs: [
            kv('http.method', s('GET')), kv('http.status_code', i(200)), kv('ratio', d(0.5)), kv('flag', b(true)),
            kv('tags', arr(s('a'), s('b'))), kv('nums', arr(i(1), i(2), i(3))), kv('single', arr(s('only'))), kv('mixed', arr(i(1), s('x'))),
            kv('empty.arr', arr()), kv('big', i(9007199254740993n)), kv('attr with space', s('yes')), kv('retries', i(3)), kv('shared', s('from-span')),
            kv('kv', { kvlistValue: { values: [kv('inner', s('v'))] } }), kv('bytes', { bytesValue: 'AQI=' }), kv('neg', i(-5)),
            kv('flags', arr(b(true), b(false))), kv('floats', arr(d(1.5), d(2.5))),
          ],
        },
        {
          trace: T1, id: '00000000000000a2', parent: '00000000000000a1', name: 'cart.get', kind: 3, status: { code: 2, message: 'boom' }, start: 5n, dur: 40n,
          attrs: [kv('http.method', s('POST')), kv('retries', i(2)), kv('http.status_code', i(503))],
          events: [
            { name: 'retry', at: 1n, attrs: [kv('exception.type', s('X')), kv('attempt', i(1))] },
            { name: 'log', at: 2n, attrs: [kv('attempt', i(2)), kv('exception.type', s('Y'))] },
          ],
        },
        {
          trace: T1, id: '00000000000000a3', parent: '00000000000000a1', name: 'render', kind: 1, status: { code: 1 }, start: 50n, dur: 10n,
          attrs: [kv('foo.bar', s('baz')), kv('retries-1', i(5)), kv('a+1', s('plus')), kv('x y', s('spaced')), kv('quote"d', s('q')), kv('ratio', d(2)), kv('ünï', s('日本語'))],
        },
      ],
    ),
    rs(
      [kv('service.name', s('cart')), kv('res.num', i(8))],
      dbScope,
      [
        {
          trace: T1, id: '00000000000000a4', parent: '00000000000000a2', name: 'db.query', kind: 3, start: 10n, dur: 20n,
          attrs: [kv('db.system', s('postgresql')), kv('db.statement', s('SELECT * FROM carts\nWHERE id = 1'))],
          links: [{ trace: T2, span: '00000000000000b1', attrs: [kv('rel', s('follows'))] }, { trace: T3, span: '00000000000000c1', attrs: [kv('rel', s('caused-by'))] }],
        },
        {
          trace: T1, id: '00000000000000a5', parent: '00000000000000a2', name: 'cart.serve', kind: 2, status: { code: 2 }, start: 8n, dur: 30n,
          attrs: [kv('http.method', s('POST')), kv('code', i(500)), kv('shared', s('cart-span'))],
        },
      ],
    ),
    rs(
      [kv('service.name', s('checkout'))],
      httpScope,
      [
        { trace: T2, id: '00000000000000b1', name: 'POST /checkout', kind: 2, status: { code: 1 }, start: 1000n, dur: 2000n, attrs: [kv('http.method', s('POST')), kv('http.status_code', i(201))] },
        { trace: T2, id: '00000000000000b2', parent: '00000000000000b1', name: 'payment', kind: 4, start: 1100n, dur: 5n, attrs: [kv('messaging.system', s('kafka'))] },
        { trace: T2, id: '00000000000000b3', parent: '00000000000000b2', name: 'payment.consume', kind: 5, status: { code: 2, message: 'declined' }, start: 1200n, dur: 300n },
        { trace: T2, id: '00000000000000b4', parent: 'ffffffffffffffff', name: 'orphan', kind: 1, start: 1300n, dur: 1n },
        { trace: T2, id: '00000000000000b5', parent: '00000000000000b4', name: 'orphan.child', kind: 1, start: 1301n, dur: 1n },
      ],
    ),
    rs(
      [kv('service.name', s('legacy')), kv('ratio', d(2))],
      { name: '', version: '', attributes: [] },
      [
        { trace: T3, id: '00000000000000c1', name: 'lonely', kind: 0, start: 5000n, dur: 86_400_000n, attrs: [kv('http.status_code', s('200')), kv('ratio', d(2.0)), kv('only.resource', s('span-wins'))] },
      ],
    ),
    rs(
      [kv('service.name', s('batch'))],
      { name: 'batch-lib', version: '2.0', attributes: [kv('lang', s('rust'))] },
      [
        { trace: T4, id: '00000000000000d1', name: 'job.a', kind: 1, start: 7000n, dur: 50n, attrs: [kv('job', s('a'))] },
        { trace: T4, id: '00000000000000d2', name: 'job.b', kind: 1, start: 7010n, dur: 60n, attrs: [kv('job', s('b'))] },
        { trace: T4, id: '00000000000000d3', parent: '00000000000000d1', name: 'job.a.step', kind: 1, start: 7020n, dur: 5n, attrs: [kv('job', s('a'))] },
        { trace: T5, id: '00000000000000e2', parent: '00000000000000e1', name: 'split.child', kind: 3, start: 9010n, dur: 5n, attrs: [kv('part', i(2))] },
      ],
    ),
  ],
};

/** Request 2: the root of T5, whose child arrived in request 1. */
export const REQUEST_2: Json = {
  resourceSpans: [
    rs([kv('service.name', s('splitter'))], httpScope, [
      { trace: T5, id: '00000000000000e1', name: 'split.root', kind: 2, start: 9000n, dur: 20n, attrs: [kv('part', i(1))] },
    ]),
  ],
};

function hexToBytes(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

/** OTLP/JSON → the oracle's object form (hex ids → bytes, base64 bytes values → bytes). */
function toOracle(x: unknown, key = ''): unknown {
  if (Array.isArray(x)) return x.map((v) => toOracle(v));
  if (x && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) o[k] = toOracle(v, k);
    return o;
  }
  if (typeof x === 'string' && (key === 'traceId' || key === 'spanId' || key === 'parentSpanId')) return hexToBytes(x);
  if (typeof x === 'string' && key === 'bytesValue') return Uint8Array.from(Buffer.from(x, 'base64'));
  return x;
}

export function encodeJsonTraces(json: Json): Uint8Array {
  return encodeTraces(toOracle(json));
}
