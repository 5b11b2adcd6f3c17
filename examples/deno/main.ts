// An OTLP/HTTP endpoint on Deno.serve: point Deno's own OTel exporter (OTEL_DENO=true), an SDK or
// a collector at it; it drops health checks and their children and forwards the rest.
//
//   deno run --allow-net --allow-env --allow-read main.ts
//
// Environment: UPSTREAM_URL (OTLP/HTTP base URL to forward to; without it spans are printed),
// PORT (default 4318; 0 picks a free port), HOSTNAME (default 127.0.0.1).
import { init, createOtlpHandler, DebugExporter, OtlpHttpExporter } from 'otel-sieve';
import type { TraceBatch, TracesExporter, TracesPipelineLike } from 'otel-sieve';

await init();

const dropHealthChecks: TracesPipelineLike = {
  process(batch: TraceBatch) {
    try {
      const health = new Set(batch.spans().filter((s) => /\/health/.test(s.name)).map((s) => s.spanId));
      return [batch.filter((s) => !health.has(s.spanId) && !health.has(s.parentSpanId))];
    } finally {
      batch.dispose();
    }
  },
  flush: () => [],
};

const upstream = Deno.env.get('UPSTREAM_URL');
const exporter: TracesExporter = upstream
  ? new OtlpHttpExporter({ endpoint: upstream, retry_on_failure: { initial_interval: '1s', max_elapsed_time: '60s' } })
  : new DebugExporter({ verbosity: 'normal' });

const handler = createOtlpHandler(dropHealthChecks, { exporters: [exporter] });

// Answer first, export after: Deno keeps running the promises; we track them for shutdown.
const pending = new Set<Promise<unknown>>();
const background = { waitUntil: (p: Promise<unknown>) => void pending.add(p.finally(() => pending.delete(p))) };

const server = Deno.serve({
  hostname: Deno.env.get('HOSTNAME') ?? '127.0.0.1',
  port: Number(Deno.env.get('PORT') ?? 4318),
  onListen: ({ hostname, port }) => console.log(JSON.stringify({ listening: `http://${hostname}:${port}/v1/traces` })),
}, (request) => handler(request, background));

// SIGTERM/SIGINT: stop taking requests, finish exports, exit 0.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  Deno.addSignalListener(signal, async () => {
    await server.shutdown();
    await Promise.all(pending);
    await handler.flush();
    await exporter.shutdown();
    console.log(JSON.stringify({ stopped: true, stats: exporter.stats() }));
    Deno.exit(0);
  });
}
