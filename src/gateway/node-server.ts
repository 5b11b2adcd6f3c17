// node:http in front of web-standard handlers: each request's body streams into a `Request`
// (nothing is buffered here; the OTLP handler caps what it reads), the `Response` goes back as it
// is. The server counts requests in flight so shutdown can stop accepting, let them finish, and
// only then close the sockets.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ListenAddress } from './gateway-config.js';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface NodeServer {
  /** The bound address (the real port when 0 was asked). */
  readonly address: ListenAddress;
  /** `http://host:port` (IPv6 hosts in brackets; 0.0.0.0 reported as 127.0.0.1 for clicking). */
  readonly url: string;
  /** Requests being handled now. */
  readonly inFlight: number;
  /** Stops accepting, waits for requests in flight (at most `timeoutMs`), then closes every socket. */
  close(timeoutMs: number): Promise<boolean>;
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's Request needs duplex for a streamed body (not in the DOM types)
    duplex: 'half',
  });
}

async function send(res: ServerResponse, response: Response, closing: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  if (closing) headers.connection = 'close';
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  res.writeHead(response.status, headers);
  res.end(body);
}

export async function startNodeServer(listen: ListenAddress, handler: FetchHandler, onError: (err: Error) => void): Promise<NodeServer> {
  let inFlight = 0;
  let closing = false;
  const idle: (() => void)[] = [];
  let origin = 'http://127.0.0.1';
  const server: Server = createServer((req, res) => {
    inFlight++;
    const done = () => {
      inFlight--;
      if (inFlight === 0) for (const resolve of idle.splice(0)) resolve();
    };
    res.once('close', done);
    let request: Request;
    try {
      request = toRequest(req, origin);
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`bad request: ${(err as Error).message}`);
      return;
    }
    handler(request)
      .then((response) => send(res, response, closing))
      .catch((err: unknown) => {
        onError(err instanceof Error ? err : new Error(String(err)));
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('500 internal error');
      });
  });
  // Clients that send garbage or hang up mid-request are not the server's problem to log loudly.
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the address is in use (another gateway or collector?)' : err.code === 'EACCES' ? 'permission denied' : err.message;
      // The address comes from --listen or the config: a usage problem (exit 2), not a crash.
      reject(Object.assign(new Error(`cannot listen on ${listen.host}:${listen.port}: ${why}`, { cause: err }), { exitCode: 2 }));
    });
    server.listen(listen.port, listen.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const address = { host: listen.host, port: bound.port };
  const shown = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${bound.port}`;
  origin = url;

  return {
    address,
    url,
    get inFlight() {
      return inFlight;
    },
    async close(timeoutMs) {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const drained = inFlight === 0 ? Promise.resolve(true) : new Promise<boolean>((resolve) => {
        idle.push(() => resolve(true));
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const ok = await drained;
      clearTimeout(timer);
      server.closeAllConnections();
      await stopped;
      return ok;
    },
  };
}
