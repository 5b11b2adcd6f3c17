// The gateway under load (autocannon from npm, loopback, fixed duration): every span acknowledged
// with 200 is exported exactly once, and what is refused (429/503 with Retry-After — too many
// requests in flight, or an exporter's queue full behind a slow destination) is never exported.
// Then SIGTERM in the middle of the load: everything acknowledged reaches the file exporter,
// including what the batch processor and tail sampling were still holding. Throughput is printed
// (a benchmark, not an assertion; the README has the numbers).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll } from '../runtimes/processes.js';
import { eventually, gatewayDir, startGateway } from './helpers/gateway-process.js';
import { LoadBodies, spanKeys } from '../../bench/otlp-load-bodies.js';

afterAll(() => killAll());

/** An OTLP/HTTP destination that counts spans by id, slowly if asked. */
async function countingSink(delayMs: number) {
  const counts = new Map<string, number>();
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      for (const k of spanKeys(Buffer.concat(chunks))) counts.set(k, (counts.get(k) ?? 0) + 1);
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface Load {
  acked: Map<string, number>;
  /** Spans of requests sent but never answered (in flight when the load stopped): may or may not be exported. */
  unanswered: Set<string>;
  statuses: Record<number, number>;
  retryAfter: Set<string>;
  result: autocannon.Result;
}

/** autocannon against `url` for `seconds`, each request a unique body; returns what was acknowledged. */
function load(url: string, bodies: LoadBodies, seconds: number, connections: number, during?: (instance: autocannon.Instance) => void): Promise<Load> {
  const acked = new Map<string, number>();
  const statuses: Record<number, number> = {};
  const retryAfter = new Set<string>();
  const outstanding = new Set<Buffer>();
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url,
      connections,
      duration: seconds,
      timeout: 20,
      requests: [{
        method: 'POST',
        path: '/v1/traces',
        headers: { 'content-type': 'application/x-protobuf' },
        setupRequest: (req, context: Record<string, unknown>) => {
          const body = bodies.next();
          context.body = body;
          outstanding.add(body);
          return { ...req, body };
        },
        onResponse: (status, _body, context: Record<string, unknown>, headers) => {
          outstanding.delete(context.body as Buffer);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 429 || status === 503) retryAfter.add(String(headers?.['retry-after']));
          if (status !== 200) return;
          for (const k of spanKeys(context.body as Buffer)) acked.set(k, (acked.get(k) ?? 0) + 1);
        },
      }],
    }, (err, result) => {
      if (err) return reject(err);
      const unanswered = new Set([...outstanding].flatMap((b) => spanKeys(b)));
      resolve({ acked, unanswered, statuses, retryAfter, result });
    });
    during?.(instance);
  });
}

function report(label: string, l: Load, seconds: number) {
  const spans = [...l.acked.values()].reduce((a, b) => a + b, 0);
  console.log(`${label}: ${Math.round(spans / seconds)} spans/s acknowledged, ${l.result.requests.average} req/s, latency p50 ${l.result.latency.p50} ms, p99 ${l.result.latency.p99} ms, statuses ${JSON.stringify(l.statuses)}`);
}

describe('under load', () => {
  it('acknowledged spans are exported exactly once; a slow destination makes the gateway refuse with Retry-After', async () => {
    const sink = await countingSink(25);
    const dir = gatewayDir('load');
    const gw = await startGateway({
      dir,
      config: `
receivers:
  otlp:
    protocols:
      http:
exporters:
  otlphttp:
    endpoint: ${sink.url}
    compression: none
    sending_queue: { queue_size: 8, num_consumers: 2 }
    retry_on_failure: { enabled: false }
extensions:
  trace_store: { enabled: false }
  gateway: { max_concurrent_requests: 6 }
service:
  extensions: [trace_store, gateway]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [otlphttp]
`,
    });
    try {
      const bodies = new LoadBodies(40, 64);
      const l = await load(gw.url, bodies, 3, 12);
      report('slow destination (25 ms per request, queue of 8)', l, 3);
      expect(l.result.errors).toBe(0);
      expect(l.statuses[200]).toBeGreaterThan(0);
      // The destination takes ~80 requests/s; more arrive: refusals, each with Retry-After.
      expect(l.statuses[503]).toBeGreaterThan(0);
      expect([...l.retryAfter]).toEqual(['1']);
      // Every acknowledged span reaches the sink once; nothing refused does (a request still in
      // flight when the load stopped was never answered, so it may or may not have been taken).
      await eventually(async () => ([...l.acked.keys()].every((k) => sink.counts.has(k)) ? true : undefined), () => `the sink has ${sink.counts.size} of ${l.acked.size} spans`, 30_000);
      expect([...sink.counts.values()].every((n) => n === 1)).toBe(true);
      expect([...l.acked.values()].every((n) => n === 1)).toBe(true);
      expect([...sink.counts.keys()].filter((k) => !l.acked.has(k) && !l.unanswered.has(k))).toEqual([]);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/^otelcol_exporter_queue_capacity\{exporter="otlphttp"\} 8$/m);
      // The server also counted refusals whose answers arrived after autocannon's clock ran out.
      const refused = Number(/^otelcol_receiver_requests_total\{[^}]*http_response_status_code="503"[^}]*\} (\d+)$/m.exec(metrics)?.[1]);
      expect(refused).toBeGreaterThanOrEqual(l.statuses[503]!);
      expect(refused).toBeLessThanOrEqual(l.statuses[503]! + 12);
      // Memory stays inside the configured budget.
      const used = Number(/^otelcol_sieve_core_memory_peak_bytes (\S+)$/m.exec(metrics)![1]);
      const limit = Number(/^otelcol_sieve_core_memory_limit_bytes (\S+)$/m.exec(metrics)![1]);
      expect(used).toBeLessThanOrEqual(limit);
      expect(await gw.stop('SIGTERM')).toBe(0);
    } finally {
      await gw.stop('SIGKILL');
      await sink.close();
    }
  }, 120_000);

  it('SIGTERM mid-load: exits 0 and the file holds every acknowledged span once, buffers included', async () => {
    const dir = gatewayDir('shutdown');
    const gw = await startGateway({
      dir,
      config: `
receivers:
  otlp:
    protocols:
      http:
processors:
  tail_sampling:
    decision_wait: 30s
    policies:
      - { name: everything, type: always_sample }
  batch:
    send_batch_size: 1000000
    timeout: 60s
exporters:
  file:
    path: ${join(dir, 'traces.jsonl')}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [tail_sampling, batch]
      exporters: [file]
`,
    });
    try {
      const bodies = new LoadBodies(40, 32, 23);
      let stopped: Promise<number | null> | undefined;
      const l = await load(gw.url, bodies, 4, 6, (instance) => {
        setTimeout(() => {
          const t0 = Date.now();
          stopped = gw.stop('SIGTERM');
          void stopped.then(() => console.log(`shutdown took ${Date.now() - t0} ms`));
          // The load stops once the gateway is gone.
          void stopped.then(() => instance.stop());
        }, 1500);
      });
      report('SIGTERM mid-load (tail sampling and batch holding everything)', l, 1.5);
      expect(await stopped).toBe(0);
      expect(l.acked.size).toBeGreaterThan(500);
      const written = new Map<string, number>();
      for (const line of readFileSync(join(dir, 'traces.jsonl'), 'utf8').trim().split('\n')) {
        const doc = JSON.parse(line) as { resourceSpans: { scopeSpans: { spans: { traceId: string; spanId: string }[] }[] }[] };
        for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) {
          const k = `${s.traceId}/${s.spanId}`;
          written.set(k, (written.get(k) ?? 0) + 1);
        }
      }
      const missing = [...l.acked.keys()].filter((k) => !written.has(k));
      expect(missing).toEqual([]);
      expect([...written.values()].every((n) => n === 1)).toBe(true);
      // Anything else written was in a request whose answer never reached the client.
      expect([...written.keys()].filter((k) => !l.acked.has(k) && !l.unanswered.has(k))).toEqual([]);
      expect(gw.stderr()).toMatch(/"msg":"stopped"/);
    } finally {
      await gw.stop('SIGKILL');
    }
  }, 120_000);
});
