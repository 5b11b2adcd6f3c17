// The OTLP/HTTP handler's behaviour table: every request the tests send, in every runtime, and what
// the answer must be. Bodies are built once here (protobuf by the independent oracle); responses
// are decoded with protobufjs reflection (google.rpc.Status) and the oracle's
// ExportTraceServiceResponse, independently of our encoders.
import { createGzip, deflateSync, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { jsonRequest, protobufRequest, SAMPLE_SPANS } from './helpers/otlp-samples.js';

const require = createRequire(import.meta.url);
const oracle = require('otlp-oracle/build/esm/generated/root.js').opentelemetry.proto.collector.trace.v1;

const RpcStatus = new protobuf.Type('Status')
  .add(new protobuf.Field('code', 1, 'int32'))
  .add(new protobuf.Field('message', 2, 'string'));
new protobuf.Root().define('google.rpc').add(RpcStatus);

export const LIMIT = 1 << 20;
export const PROTO = 'application/x-protobuf';
export const JSON_TYPE = 'application/json';

export interface HandlerCase {
  name: string;
  /** Which pipeline of harness/pipelines.mjs (header x-test-pipeline). Default drop-health. */
  pipeline?: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  expect: Described;
  /** Where a runtime's own decompressor decides differently (documented in docs/INTEGRATIONS.md). */
  expectIn?: Partial<Record<'node' | 'workerd', Described>>;
}

/** A response reduced to what the spec and the collector fix. */
export interface Described {
  status: number;
  contentType: string | null;
  headers?: Record<string, string>;
  body:
    | { kind: 'empty' }
    | { kind: 'text'; text: string }
    | { kind: 'status'; code: number; message: string | RegExp }
    | { kind: 'export'; rejectedSpans: number; errorMessage: string };
}

const HEADERS_OF_INTEREST = ['retry-after', 'allow', 'access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age'];

/** Reads a response into the Described form; `sent` is the encoding the request used. */
export async function describe(res: { status: number; headers: Headers; arrayBuffer(): Promise<ArrayBuffer> }): Promise<Described> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const contentType = res.headers.get('content-type');
  const headers: Record<string, string> = {};
  for (const h of HEADERS_OF_INTEREST) {
    const v = res.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  const isJson = contentType === JSON_TYPE;
  const isProto = contentType === PROTO;
  let body: Described['body'];
  if (res.status === 200 && (isJson || isProto)) {
    let partial: { rejectedSpans?: unknown; errorMessage?: string } | undefined;
    if (isJson) partial = (JSON.parse(new TextDecoder().decode(bytes)) as { partialSuccess?: typeof partial }).partialSuccess;
    else {
      const msg = oracle.ExportTraceServiceResponse.toObject(oracle.ExportTraceServiceResponse.decode(bytes), { longs: String });
      partial = msg.partialSuccess;
      if (bytes.length === 0) body = { kind: 'empty' };
    }
    body ??= partial === undefined ? (isJson ? { kind: 'export', rejectedSpans: 0, errorMessage: '' } : { kind: 'empty' }) : {
      kind: 'export',
      rejectedSpans: Number(partial.rejectedSpans ?? 0),
      errorMessage: partial.errorMessage ?? '',
    };
    // JSON int64 must be a string in OTLP/JSON.
    if (isJson && partial?.rejectedSpans !== undefined && typeof partial.rejectedSpans !== 'string') throw new Error(`rejectedSpans is not a string: ${JSON.stringify(partial)}`);
  } else if (isJson) {
    const o = JSON.parse(new TextDecoder().decode(bytes)) as { code?: number; message?: string };
    body = { kind: 'status', code: o.code ?? 0, message: o.message ?? '' };
  } else if (isProto) {
    const o = RpcStatus.toObject(RpcStatus.decode(bytes)) as { code?: number; message?: string };
    body = { kind: 'status', code: o.code ?? 0, message: o.message ?? '' };
  } else if (bytes.length === 0) body = { kind: 'empty' };
  else body = { kind: 'text', text: new TextDecoder().decode(bytes) };
  return { status: res.status, contentType, headers, body };
}

async function gzipOfZeros(megabytes: number): Promise<Uint8Array> {
  const gz = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gz.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => gz.on('end', resolve));
  const zero = Buffer.alloc(1 << 20);
  for (let i = 0; i < megabytes; i++) if (!gz.write(zero)) await new Promise((resolve) => gz.once('drain', resolve));
  gz.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

const ok = (contentType: string, body: Described['body'] = contentType === JSON_TYPE ? { kind: 'export', rejectedSpans: 0, errorMessage: '' } : { kind: 'empty' }): Described => ({ status: 200, contentType, headers: {}, body });
const status = (code: number, contentType: string, grpc: number, message: string | RegExp, headers: Record<string, string> = {}): Described => ({ status: code, contentType, headers, body: { kind: 'status', code: grpc, message } });

export interface Bodies {
  bomb: Uint8Array;
}

export async function makeBodies(): Promise<Bodies> {
  return { bomb: await gzipOfZeros(300) };
}

export function handlerCases(bodies: Bodies): HandlerCase[] {
  const pb = protobufRequest(SAMPLE_SPANS);
  const json = jsonRequest(SAMPLE_SPANS);
  const half = Math.floor(SAMPLE_SPANS.length / 2);
  const firstHalf = protobufRequest(SAMPLE_SPANS.slice(0, half));
  const secondHalf = protobufRequest(SAMPLE_SPANS.slice(half));
  const unnamed = protobufRequest([...SAMPLE_SPANS, { trace: 9, span: 1, name: '' }, { trace: 9, span: 2, parent: 1, name: '' }]);
  const deepJson = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${'a'.repeat(32)}","spanId":"${'b'.repeat(16)}","name":"deep","attributes":[{"key":"k","value":${'{"arrayValue":{"values":['.repeat(80)}{"stringValue":"x"}${']}}'.repeat(80)}}]}]}]}]}`;
  const p = (headers: Record<string, string>) => ({ 'content-type': PROTO, ...headers });
  const j = (headers: Record<string, string>) => ({ 'content-type': JSON_TYPE, ...headers });
  return [
    // Content types and encodings that succeed.
    { name: 'protobuf', headers: p({}), body: pb, expect: ok(PROTO) },
    { name: 'json', headers: j({}), body: json, expect: ok(JSON_TYPE) },
    { name: 'json with charset', headers: { 'content-type': 'application/json; charset=utf-8' }, body: json, expect: ok(JSON_TYPE) },
    { name: 'media type in another case', headers: { 'content-type': 'Application/X-Protobuf' }, body: pb, expect: ok(PROTO) },
    { name: 'protobuf gzip', headers: p({ 'content-encoding': 'gzip' }), body: new Uint8Array(gzipSync(pb)), expect: ok(PROTO) },
    { name: 'json gzip', headers: j({ 'content-encoding': 'gzip' }), body: new Uint8Array(gzipSync(json)), expect: ok(JSON_TYPE) },
    { name: 'protobuf deflate (zlib)', headers: p({ 'content-encoding': 'deflate' }), body: new Uint8Array(deflateSync(pb)), expect: ok(PROTO) },
    {
      name: 'two gzip members concatenated (two requests merge)',
      headers: p({ 'content-encoding': 'gzip' }),
      body: new Uint8Array(Buffer.concat([gzipSync(firstHalf), gzipSync(secondHalf)])),
      expect: ok(PROTO),
      // workerd's DecompressionStream stops after the first member and rejects the rest.
      expectIn: { workerd: status(400, PROTO, 3, /^request body is not valid gzip \(Content-Encoding: gzip\): Trailing bytes after end of compressed data/) },
    },
    { name: 'empty protobuf body', headers: p({}), body: new Uint8Array(0), expect: ok(PROTO) },
    { name: 'empty json body', headers: j({}), body: '', expect: ok(JSON_TYPE) },
    { name: 'empty body under gzip', headers: p({ 'content-encoding': 'gzip' }), body: new Uint8Array(0), expect: ok(PROTO) },
    // Partial success.
    {
      name: 'partial success (protobuf)', pipeline: 'reject-unnamed', headers: p({}), body: unnamed,
      expect: ok(PROTO, { kind: 'export', rejectedSpans: 2, errorMessage: '2 span(s) without a name' }),
    },
    {
      name: 'partial success (json)', pipeline: 'reject-unnamed', headers: j({}), body: jsonRequest([...SAMPLE_SPANS, { trace: 9, span: 1, name: '' }]),
      expect: ok(JSON_TYPE, { kind: 'export', rejectedSpans: 1, errorMessage: '1 span(s) without a name' }),
    },
    { name: 'warning only', pipeline: 'warn', headers: j({}), body: json, expect: ok(JSON_TYPE, { kind: 'export', rejectedSpans: 0, errorMessage: 'attribute values were truncated' }) },
    // Envelope errors, with the collector's exact texts.
    { name: 'GET', method: 'GET', headers: {}, expect: { status: 405, contentType: 'text/plain; charset=utf-8', headers: { allow: 'POST' }, body: { kind: 'text', text: '405 method not allowed, supported: [POST]' } } },
    { name: 'PUT', method: 'PUT', headers: p({}), body: pb, expect: { status: 405, contentType: 'text/plain; charset=utf-8', headers: { allow: 'POST' }, body: { kind: 'text', text: '405 method not allowed, supported: [POST]' } } },
    {
      name: 'no content type', headers: {}, body: pb,
      expect: { status: 415, contentType: 'text/plain; charset=utf-8', headers: {}, body: { kind: 'text', text: '415 unsupported media type, supported: [application/json, application/x-protobuf]' } },
    },
    {
      name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: json,
      expect: { status: 415, contentType: 'text/plain; charset=utf-8', headers: {}, body: { kind: 'text', text: '415 unsupported media type, supported: [application/json, application/x-protobuf]' } },
    },
    {
      name: 'application/protobuf is not the OTLP type', headers: { 'content-type': 'application/protobuf' }, body: pb,
      expect: { status: 415, contentType: 'text/plain; charset=utf-8', headers: {}, body: { kind: 'text', text: '415 unsupported media type, supported: [application/json, application/x-protobuf]' } },
    },
    { name: 'another path', path: '/v1/metrics', headers: p({}), body: pb, expect: { status: 404, contentType: 'text/plain; charset=utf-8', headers: {}, body: { kind: 'text', text: '404 page not found' } } },
    // Malformed payloads: 400 with a Status naming where.
    {
      name: 'malformed protobuf', headers: p({}), body: new Uint8Array([0x0a, 0x7f, 0x0a, 0x00]),
      expect: status(400, PROTO, 3, /^invalid OTLP protobuf: byte 1 \(ExportTraceServiceRequest field 1\): length past end/),
    },
    { name: 'malformed json', headers: j({}), body: '{"resourceSpans":[{]}', expect: status(400, JSON_TYPE, 3, /^invalid OTLP\/JSON: line 1, column 20 \(resourceSpans\[0\]\): /) },
    {
      name: 'json with a short trace id', headers: j({}), body: '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abc","spanId":"0102030405060708"}]}]}]}',
      expect: status(400, JSON_TYPE, 3, /line 1, column \d+ \(resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId\)/),
    },
    { name: 'json nested past the depth limit', headers: j({}), body: deepJson, expect: status(400, JSON_TYPE, 3, /AnyValue nesting deeper than 64 \(maxAnyValueDepth\)$/) },
    { name: 'gzip header over bytes that are not gzip', headers: p({ 'content-encoding': 'gzip' }), body: pb, expect: status(400, PROTO, 3, /^request body is not valid gzip \(Content-Encoding: gzip\)/) },
    { name: 'unsupported content encoding', headers: j({ 'content-encoding': 'br' }), body: json, expect: status(400, JSON_TYPE, 3, 'unsupported Content-Encoding "br"; supported: gzip, deflate, identity') },
    // Limits.
    { name: 'body over the limit', headers: p({}), body: new Uint8Array(LIMIT + 1), expect: status(413, PROTO, 2, `request body is larger than the limit of ${LIMIT} bytes`) },
    {
      name: 'decompression bomb (300 MB of zeros)', headers: p({ 'content-encoding': 'gzip' }), body: bodies.bomb,
      expect: status(413, PROTO, 2, `request body is larger than the limit of ${LIMIT} bytes after decompression`),
    },
    {
      name: 'gzip of a gzip bomb', headers: p({ 'content-encoding': 'gzip' }), body: new Uint8Array(gzipSync(bodies.bomb)),
      expect: status(400, PROTO, 3, /^invalid OTLP protobuf: byte 0 \(ExportTraceServiceRequest field 3\): invalid wire type — wire type 7 does not exist/),
    },
    // Refusals under pressure: retryable, with Retry-After.
    { name: 'refused (503)', pipeline: 'refuse', headers: p({}), body: pb, expect: status(503, PROTO, 14, 'data refused: memory_limiter: usage over the soft limit; retry after 7 s', { 'retry-after': '7' }) },
    { name: 'refused (429, json)', pipeline: 'refuse-429', headers: j({}), body: json, expect: status(429, JSON_TYPE, 8, 'data refused: rate limit; retry after 2 s', { 'retry-after': '2' }) },
    {
      name: "refused the memory limiter's way", pipeline: 'collector-refusal', headers: p({}), body: pb,
      expect: status(503, PROTO, 14, 'data refused: memory_limiter: usage 410 MiB over the soft limit of 400 MiB; retry after 3 s', { 'retry-after': '3' }),
    },
    { name: 'a pipeline bug is a 500', pipeline: 'broken', headers: j({}), body: json, expect: status(500, JSON_TYPE, 2, 'internal error: a bug in a processor') },
    // CORS.
    {
      name: 'CORS preflight', method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-tenant' },
      expect: {
        status: 204, contentType: null, body: { kind: 'empty' },
        headers: { 'access-control-allow-origin': 'https://app.example', 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type, content-encoding, accept, accept-encoding, x-requested-with, x-tenant', 'access-control-max-age': '600' },
      },
    },
    {
      name: 'CORS preflight from another origin', method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      expect: { status: 403, contentType: 'text/plain', headers: {}, body: { kind: 'text', text: '403 CORS preflight refused: origin or method not allowed' } },
    },
    { name: 'CORS POST', headers: j({ origin: 'https://app.example' }), body: json, expect: { ...ok(JSON_TYPE), headers: { 'access-control-allow-origin': 'https://app.example' } } },
  ];
}

/**
 * The runtime's own words after our message (zlib's "incorrect header check", workerd's
 * "Decompression failed.") differ by runtime; comparisons across runtimes mask them.
 */
export function withoutRuntimeDetail(d: Described): Described {
  if (d.body.kind !== 'status' || typeof d.body.message !== 'string') return d;
  return { ...d, body: { ...d.body, message: d.body.message.replace(/^(request body is not valid \w+ \(Content-Encoding: \w+\)): .*$/s, '$1: …') } };
}

/** Matches a described response against an expectation (RegExp messages allowed). */
export function matches(actual: Described, expected: Described): boolean {
  if (actual.status !== expected.status || actual.contentType !== expected.contentType) return false;
  if (JSON.stringify(actual.headers ?? {}) !== JSON.stringify(expected.headers ?? {})) return false;
  const a = actual.body;
  const e = expected.body;
  if (a.kind !== e.kind) return false;
  if (a.kind === 'status' && e.kind === 'status') {
    return a.code === e.code && (typeof e.message === 'string' ? a.message === e.message : e.message.test(a.message));
  }
  return JSON.stringify(a) === JSON.stringify(e);
}
