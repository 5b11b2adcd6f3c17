// The independent oracle: protobufjs code generated upstream from the official OTLP schema
// (@opentelemetry/otlp-transformer@0.52.1). It is CommonJS despite its path, hence createRequire.
// Its schema predates Span.flags (16) and Link.flags (6): those are read from the bytes by
// readFlags() below, a walker written independently of the core.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const root: any = require('otlp-oracle/build/esm/generated/root.js');

export const otlp = root.opentelemetry.proto;
export const TraceRequest = otlp.collector.trace.v1.ExportTraceServiceRequest;
export const LogsRequest = otlp.collector.logs.v1.ExportLogsServiceRequest;
export const MetricsRequest = otlp.collector.metrics.v1.ExportMetricsServiceRequest;

export const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
export const toHex = (b: Uint8Array | undefined | null): string => (b ? Buffer.from(b).toString('hex') : '');

/** Encodes a request given in the oracle's object form (fromObject accepts hex-free Uint8Array ids). */
export function encodeTraces(obj: unknown): Uint8Array {
  return TraceRequest.encode(TraceRequest.fromObject(obj)).finish();
}

/** Decodes with the oracle; 64-bit values as decimal strings, bytes as Uint8Array. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function decodeTraces(bytes: Uint8Array): any {
  const msg = TraceRequest.decode(bytes);
  return TraceRequest.toObject(msg, { longs: String, enums: Number, bytes: Uint8Array, defaults: false, arrays: true });
}

function varint(b: Uint8Array, p: number): [bigint, number] {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    const c = b[p++]!;
    v |= BigInt(c & 0x7f) << shift;
    if (c < 0x80) return [v, p];
    shift += 7n;
  }
}

/** Iterates the fields of a message: [field, wireType, valueStart, valueEnd]. */
export function* wireFields(b: Uint8Array, start: number, end: number): Generator<[number, number, number, number]> {
  let p = start;
  while (p < end) {
    const [tag, q] = varint(b, p);
    const f = Number(tag >> 3n);
    const wt = Number(tag & 7n);
    if (wt === 0) {
      const [, r] = varint(b, q);
      yield [f, wt, q, r];
      p = r;
    } else if (wt === 1) {
      yield [f, wt, q, q + 8];
      p = q + 8;
    } else if (wt === 5) {
      yield [f, wt, q, q + 4];
      p = q + 4;
    } else if (wt === 2) {
      const [len, r] = varint(b, q);
      yield [f, wt, r, r + Number(len)];
      p = r + Number(len);
    } else {
      throw new Error(`test walker: unsupported wire type ${wt}`);
    }
  }
}

/**
 * Span.flags and Link.flags per span in wire order: [{ flags?: number, links: (number|undefined)[] }].
 */
export function readFlags(bytes: Uint8Array): { flags: number | undefined; links: (number | undefined)[] }[] {
  const out: { flags: number | undefined; links: (number | undefined)[] }[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const [f1, w1, s1, e1] of wireFields(bytes, 0, bytes.length)) {
    if (f1 !== 1 || w1 !== 2) continue;
    for (const [f2, w2, s2, e2] of wireFields(bytes, s1, e1)) {
      if (f2 !== 2 || w2 !== 2) continue;
      for (const [f3, w3, s3, e3] of wireFields(bytes, s2, e2)) {
        if (f3 !== 2 || w3 !== 2) continue;
        let flags: number | undefined;
        const links: (number | undefined)[] = [];
        for (const [f4, w4, s4, e4] of wireFields(bytes, s3, e3)) {
          if (f4 === 16 && w4 === 5) flags = dv.getUint32(s4, true);
          if (f4 === 13 && w4 === 2) {
            let lf: number | undefined;
            for (const [f5, w5, s5] of wireFields(bytes, s4, e4)) if (f5 === 6 && w5 === 5) lf = dv.getUint32(s5, true);
            links.push(lf);
          }
        }
        out.push({ flags, links });
      }
    }
  }
  return out;
}
