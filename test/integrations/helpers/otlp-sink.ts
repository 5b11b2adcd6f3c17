// A local OTLP/HTTP server on 127.0.0.1 that records what it receives (decompressed, decoded by the
// independent oracle) and answers as a script says: success, partial success, 429 with
// Retry-After, 5xx, 400, a hang, an endless or huge body, a gzip bomb. The upstream of exporter
// and end-to-end tests.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeTraces, toHex } from '../../helpers/oracle.js';

export interface SinkRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as sent (compressed if it was). */
  raw: Buffer;
  /** The body decompressed. */
  body: Buffer;
}

export interface SinkReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Never answer (the client's timeout must fire); the socket is destroyed at close(). */
  hang?: boolean;
  /** Answer a body of this many bytes, streamed. */
  hugeBody?: number;
  /** Answer a gzip-encoded body that inflates to this many zero bytes. */
  gzipBomb?: number;
}

export type Responder = (req: SinkRequest, index: number) => SinkReply | Promise<SinkReply>;

export interface Sink {
  url: string;
  requests: SinkRequest[];
  /** Span keys (`traceId/spanId`, hex) of every traces request received, in arrival order. */
  spanKeys(): string[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

/** Span keys in a traces request body (protobuf or OTLP/JSON by Content-Type). */
export function keysOfRequest(req: SinkRequest): string[] {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    const doc = JSON.parse(req.body.toString('utf8')) as { resourceSpans?: { scopeSpans?: { spans?: { traceId: string; spanId: string }[] }[] }[] };
    return (doc.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => `${s.traceId.toLowerCase()}/${s.spanId.toLowerCase()}`)));
  }
  const doc = decodeTraces(req.body);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (doc.resourceSpans ?? []).flatMap((rs: any) => (rs.scopeSpans ?? []).flatMap((ss: any) => (ss.spans ?? []).map((s: any) => `${toHex(s.traceId)}/${toHex(s.spanId)}`)));
}

export async function startSink(responder: Responder = () => ({ status: 200 })): Promise<Sink> {
  let respond = responder;
  const requests: SinkRequest[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const entry: SinkRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body };
      const index = requests.push(entry) - 1;
      let reply: SinkReply;
      try {
        reply = await respond(entry, index);
      } catch (err) {
        reply = { status: 500, body: String(err) };
      }
      if (reply.hang) {
        open.add(res);
        return;
      }
      const headers = { ...(reply.headers ?? {}) };
      if (reply.gzipBomb !== undefined) {
        res.writeHead(reply.status ?? 200, { ...headers, 'content-encoding': 'gzip', 'content-type': headers['content-type'] ?? 'application/x-protobuf' });
        res.end(gzipSync(Buffer.alloc(reply.gzipBomb), { level: 9 }));
        return;
      }
      if (reply.hugeBody !== undefined) {
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/x-protobuf', ...headers });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        let left = reply.hugeBody;
        const pump = () => {
          while (left > 0) {
            const n = Math.min(left, chunk.length);
            left -= n;
            if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => {});
        pump();
        return;
      }
      res.writeHead(reply.status ?? 200, headers);
      res.end(reply.body ?? '');
    });
  });
  server.on('clientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    spanKeys: () => requests.filter((r) => r.path.endsWith('/v1/traces') || r.path.includes('traces')).flatMap(keysOfRequest),
    respond: (r) => (respond = r),
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
