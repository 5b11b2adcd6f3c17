// google.rpc.Status, the body of every OTLP/HTTP failure, in the request's encoding:
// `message Status { int32 code = 1; string message = 2; repeated Any details = 3; }`.
// The gRPC code follows the collector's mapping from the HTTP status (clients should not branch
// on it, the spec says, but some log it).
import { ProtoWriter } from '../wire/proto-writer.js';
import type { OtlpEncoding } from './otlp-encoding.js';

/** gRPC status codes used here. */
export const GRPC_UNKNOWN = 2;
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_NOT_FOUND_UNIMPLEMENTED = 12;
export const GRPC_RESOURCE_EXHAUSTED = 8;
export const GRPC_UNAVAILABLE = 14;

/** The collector's HTTP → gRPC mapping (grpc's http-grpc-status-mapping with its two exceptions). */
export function grpcCodeForHttpStatus(status: number): number {
  switch (status) {
    case 400:
      return GRPC_INVALID_ARGUMENT;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return GRPC_NOT_FOUND_UNIMPLEMENTED;
    case 429:
      return GRPC_RESOURCE_EXHAUSTED;
    case 502:
    case 503:
    case 504:
      return GRPC_UNAVAILABLE;
    default:
      return GRPC_UNKNOWN;
  }
}

export function encodeRpcStatus(code: number, message: string, encoding: OtlpEncoding): Uint8Array | string {
  if (encoding === 'json') return JSON.stringify(code === 0 ? { message } : { code, message });
  const w = new ProtoWriter(16 + message.length * 3);
  if (code !== 0) w.tag(1, 0).int32(code);
  if (message) w.tag(2, 2).string(message);
  return w.finish();
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * The message of a failure body, for error reports: Status.message from protobuf or JSON, else the
 * body as text. Never throws (the body is whatever the server sent), at most `max` characters.
 */
export function rpcStatusMessage(body: Uint8Array, encoding: OtlpEncoding, max = 512): string {
  const clip = (s: string) => (s.length > max ? `${s.slice(0, max)}…` : s);
  if (body.length === 0) return '';
  if (encoding === 'json') {
    const text = utf8.decode(body);
    try {
      const o = JSON.parse(text) as { message?: unknown };
      if (o && typeof o.message === 'string') return clip(o.message);
    } catch {
      // not JSON: fall through
    }
    return clip(text.trim());
  }
  // Status.message is field 2; walk the top level without trusting lengths.
  let i = 0;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; shift < 35 && i < body.length; shift += 7) {
      const b = body[i++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
    return -1;
  };
  while (i < body.length) {
    const tag = varint();
    if (tag < 0) break;
    const wire = tag & 7;
    if (wire === 0) {
      if (varint() < 0) break;
    } else if (wire === 2) {
      const len = varint();
      if (len < 0 || len > body.length - i) break;
      if (tag >>> 3 === 2) return clip(utf8.decode(body.subarray(i, i + len)));
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else break;
  }
  return clip(utf8.decode(body).replace(/[^\x20-\x7e]+/g, ' ').trim());
}
