// Export<Signal>ServiceResponse, the body of a 200: empty on full success, `partial_success`
// { rejected_<items> = 1 (int64); error_message = 2 } when something was rejected or there is a
// warning. Written by the handler, read by the exporters (which must not retry a partial success).
import { ProtoWriter } from '../wire/proto-writer.js';
import type { OtlpEncoding } from './otlp-encoding.js';

export type OtlpSignal = 'traces' | 'metrics' | 'logs';

const REJECTED_KEY: Readonly<Record<OtlpSignal, string>> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

export interface PartialSuccess {
  /** Items the server rejected (spans, data points, log records). */
  rejected: number;
  /** Why, or a warning when `rejected` is 0; '' when none. */
  message: string;
}

/** The response body; full success (no partial_success) when `partial` is undefined or empty. */
export function encodeExportResponse(signal: OtlpSignal, partial: PartialSuccess | undefined, encoding: OtlpEncoding): Uint8Array | string {
  const set = partial !== undefined && (partial.rejected > 0 || partial.message !== '');
  if (encoding === 'json') {
    if (!set) return '{}';
    const body: Record<string, unknown> = {};
    // int64 is a decimal string in OTLP/JSON, as the collector writes it.
    if (partial.rejected > 0) body[REJECTED_KEY[signal]] = String(partial.rejected);
    if (partial.message) body.errorMessage = partial.message;
    return JSON.stringify({ partialSuccess: body });
  }
  if (!set) return new Uint8Array(0);
  const w = new ProtoWriter(32 + partial.message.length * 3);
  w.fork(1);
  if (partial.rejected > 0) w.tag(1, 0).int64(BigInt(partial.rejected));
  if (partial.message) w.tag(2, 2).string(partial.message);
  w.ldelim();
  return w.finish();
}

/** A response body that is not a valid Export*ServiceResponse. */
export class ExportResponseError extends Error {
  override name = 'ExportResponseError';
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.b.length) throw new ExportResponseError(`truncated varint at byte ${this.pos}`);
      const byte = this.b[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
    }
    throw new ExportResponseError(`varint longer than 10 bytes at byte ${this.pos}`);
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    if (len > this.b.length - this.pos) throw new ExportResponseError(`length ${len} past the end at byte ${this.pos}`);
    const out = this.b.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.advance(8);
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.advance(4);
    else throw new ExportResponseError(`wire type ${wire} at byte ${this.pos}`);
  }
  private advance(n: number): void {
    if (n > this.b.length - this.pos) throw new ExportResponseError(`truncated fixed-width field at byte ${this.pos}`);
    this.pos += n;
  }
}

function decodeProtobuf(body: Uint8Array): PartialSuccess | undefined {
  const r = new Reader(body);
  let partial: PartialSuccess | undefined;
  while (r.pos < body.length) {
    const tag = Number(r.varint());
    if (tag >>> 3 === 1 && (tag & 7) === 2) {
      const inner = new Reader(r.bytes());
      // Repeated singular messages merge (protobuf semantics); last scalar wins.
      partial ??= { rejected: 0, message: '' };
      while (inner.pos < inner.b.length) {
        const t = Number(inner.varint());
        if (t === 0x08) partial.rejected = Number(BigInt.asIntN(64, inner.varint()));
        else if (t === 0x12) partial.message = utf8.decode(inner.bytes());
        else inner.skip(t & 7);
      }
    } else r.skip(tag & 7);
  }
  return partial;
}

function decodeJson(signal: OtlpSignal, body: Uint8Array): PartialSuccess | undefined {
  const text = utf8.decode(body).trim();
  if (text === '') return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ExportResponseError(`not JSON: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new ExportResponseError('not a JSON object');
  const p = (doc as Record<string, unknown>).partialSuccess ?? (doc as Record<string, unknown>).partial_success;
  if (p === undefined || p === null) return undefined;
  if (typeof p !== 'object') throw new ExportResponseError('partialSuccess is not an object');
  const o = p as Record<string, unknown>;
  const snake = REJECTED_KEY[signal].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const raw = o[REJECTED_KEY[signal]] ?? o[snake] ?? 0;
  const rejected = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof rejected !== 'number' || !Number.isFinite(rejected)) throw new ExportResponseError(`${REJECTED_KEY[signal]} is not a number`);
  const message = o.errorMessage ?? o.error_message ?? '';
  return { rejected, message: typeof message === 'string' ? message : String(message) };
}

/**
 * Reads a response body; undefined means full success (an empty body is one too). The encoding
 * comes from the response's Content-Type, falling back to what was sent.
 */
export function decodeExportResponse(signal: OtlpSignal, body: Uint8Array, encoding: OtlpEncoding): PartialSuccess | undefined {
  if (body.length === 0) return undefined;
  return encoding === 'json' ? decodeJson(signal, body) : decodeProtobuf(body);
}
