// A Cloudflare Worker that receives OTLP/HTTP from browsers (protobuf or JSON, gzip or not),
// drops noise, tail-samples and redacts in the edge, and forwards what is left to an upstream
// OTLP endpoint (a collector, Grafana Cloud, Honeycomb…) after the response, via ctx.waitUntil.
//
// Configure with wrangler vars/secrets: UPSTREAM_URL (required, an OTLP/HTTP base URL),
// UPSTREAM_AUTHORIZATION (optional secret), ALLOWED_ORIGINS (comma-separated, default "*").
import * as sieve from 'otel-sieve';
import { edgePipeline } from './edge-pipeline.js';

let handler;

function createHandler(env) {
  const upstream = new sieve.OtlpHttpExporter({
    endpoint: env.UPSTREAM_URL,
    headers: env.UPSTREAM_AUTHORIZATION ? { authorization: env.UPSTREAM_AUTHORIZATION } : {},
    // The isolate's waitUntil is the queue: each request sends its own data within its context.
    sending_queue: { enabled: false },
    // waitUntil gives about 30 s after the response; retry within that.
    retry_on_failure: { initial_interval: '500ms', max_interval: '5s', max_elapsed_time: '20s' },
    timeout: '10s',
  });
  return sieve.createOtlpHandler(
    edgePipeline(sieve, { slowMs: 1000, sampleRatio: 0.1, redactKeys: ['user.email', 'enduser.id', 'http.request.header.authorization'] }),
    {
      exporters: [upstream],
      cors: { allowedOrigins: (env.ALLOWED_ORIGINS ?? '*').split(',').map((o) => o.trim()) },
      // Browsers batch small; keep requests small too (the spec allows up to 64 MiB).
      maxRequestBodySize: 4 * 1024 * 1024,
    },
  );
}

export default {
  async fetch(request, env, ctx) {
    await sieve.init();
    handler ??= createHandler(env);
    return handler(request, ctx);
  },
};
