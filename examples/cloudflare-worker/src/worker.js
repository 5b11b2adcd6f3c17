// A Cloudflare Worker that receives OTLP/HTTP from browsers (protobuf or JSON, gzip or not),
// tail-samples and redacts at the edge with a collector-shaped config (pipeline-config.js), and
// forwards what is kept to an upstream OTLP endpoint (a collector, Grafana Cloud, Honeycomb…)
// after the response, via ctx.waitUntil.
//
// Configure with wrangler vars/secrets: UPSTREAM_URL (required, an OTLP/HTTP base URL),
// UPSTREAM_AUTHORIZATION (optional secret), ALLOWED_ORIGINS (comma-separated, default "*").
import * as sieve from 'otel-sieve';
import { pipelineConfig } from './pipeline-config.js';

let handler;

function createHandler(env) {
  const config = pipelineConfig(env);
  return sieve.createOtlpHandler(sieve.Pipeline.fromConfig(config), {
    exporters: [new sieve.OtlpHttpExporter(config.exporters.otlphttp)],
    cors: { allowedOrigins: (env.ALLOWED_ORIGINS ?? '*').split(',').map((o) => o.trim()) },
    // Browsers batch small; keep requests small too (the spec allows up to 64 MiB).
    maxRequestBodySize: 4 * 1024 * 1024,
  });
}

export default {
  async fetch(request, env, ctx) {
    await sieve.init();
    handler ??= createHandler(env);
    const response = await handler(request, ctx);
    // Tail sampling holds each trace until it is decided: decide now, export after the response.
    if (request.method === 'POST') ctx.waitUntil(handler.flush());
    return response;
  },
};
