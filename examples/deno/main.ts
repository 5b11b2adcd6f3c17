// An OTLP/HTTP endpoint on Deno.serve: point Deno's own OTel exporter (OTEL_DENO=true), an SDK or
// a collector at it. A collector-shaped pipeline drops health-check traces whole (tail sampling
// with a drop policy), removes cookies from what it keeps, and forwards the rest.
//
//   deno run --allow-net --allow-env --allow-read main.ts
//
// Environment: UPSTREAM_URL (OTLP/HTTP base URL to forward to; without it spans are printed),
// PORT (default 4318; 0 picks a free port), HOSTNAME (default 127.0.0.1).
import { init, createOtlpHandler, createTracesExporters, Pipeline } from 'otel-sieve';

await init();

const upstream = Deno.env.get('UPSTREAM_URL');
const pipeline = Pipeline.fromConfig({
  receivers: { otlp: { protocols: { http: {} } } },
  processors: {
    tail_sampling: {
      decision_wait: '1s',
      policies: [
        {
          name: 'drop-health-checks',
          type: 'drop',
          drop: { drop_sub_policy: [{ name: 'health-route', type: 'string_attribute', string_attribute: { key: 'http.route', values: ['/health'] } }] },
        },
        { name: 'keep-the-rest', type: 'always_sample' },
      ],
    },
    attributes: { actions: [{ key: 'http.request.header.cookie', action: 'delete' }] },
  },
  exporters: upstream
    ? { otlphttp: { endpoint: upstream, retry_on_failure: { initial_interval: '1s', max_elapsed_time: '60s' } } }
    : { debug: { verbosity: 'normal' } },
  service: { pipelines: { traces: { receivers: ['otlp'], processors: ['tail_sampling', 'attributes'], exporters: [upstream ? 'otlphttp' : 'debug'] } } },
});

// The exporters of the config's `exporters:` block, started (file needs otel-sieve/file-exporter).
const exporter = [...createTracesExporters(pipeline.config).values()][0]!;
const handler = createOtlpHandler(pipeline, { exporters: [exporter] });

// Answer first, export after: Deno keeps running the promises; we track them for shutdown.
const pending = new Set<Promise<unknown>>();
const background = { waitUntil: (p: Promise<unknown>) => void pending.add(p.finally(() => pending.delete(p))) };

// Tail sampling decides a trace decision_wait after its first span: run the timers even when no
// request comes in.
const timers = setInterval(() => background.waitUntil(handler.tick()), 1000);

const server = Deno.serve({
  hostname: Deno.env.get('HOSTNAME') ?? '127.0.0.1',
  port: Number(Deno.env.get('PORT') ?? 4318),
  onListen: ({ hostname, port }) => console.log(JSON.stringify({ listening: `http://${hostname}:${port}/v1/traces` })),
}, (request) => handler(request, background));

// SIGTERM/SIGINT: stop taking requests, decide what tail sampling holds, finish exports, exit 0.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  Deno.addSignalListener(signal, async () => {
    clearInterval(timers);
    await server.shutdown();
    await Promise.all(pending);
    await handler.flush();
    await exporter.shutdown();
    console.log(JSON.stringify({ stopped: true, stats: exporter.stats() }));
    Deno.exit(0);
  });
}
