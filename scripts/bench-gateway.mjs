// Sustained throughput and latency of `otel-sieve serve` under load: the gateway in its own process
// (the built-in config unless --config says otherwise), autocannon on loopback for a fixed time,
// every request a unique realistic OTLP/protobuf body (bench/otlp-load-bodies.ts). Prints spans/s
// acknowledged with 200, request latency percentiles, the statuses, and the gateway's memory.
// A benchmark, not a test: numbers depend on the machine and what else runs on it.
//
//   node scripts/bench-gateway.mjs [--duration 20] [--connections 16] [--spans 256] [--rate R] [--config C.yaml]
//
// Without --rate the load is closed-loop (each connection sends as soon as it has its answer): the
// most the gateway takes, until its memory_limiter refuses (503). --rate R sends R requests/s
// overall: an open load, for latency at a rate it sustains.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));
const { LoadBodies, spanKeys } = await import(join(root, 'dist', 'bench', 'otlp-load-bodies.js'));

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const duration = Number(opt('duration', '20'));
const connections = Number(opt('connections', '16'));
const spansPerRequest = Number(opt('spans', '256'));
const config = opt('config', undefined);
const rate = opt('rate', undefined);

const dir = mkdtempSync(join(tmpdir(), 'otel-sieve-bench-gateway-'));
const child = spawn(process.execPath, [join(root, 'bin', 'otel-sieve.mjs'), 'serve', '--listen', '127.0.0.1:0', ...(config ? ['--config', resolve(config)] : [])], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
const url = await new Promise((resolveUrl, reject) => {
  child.stdout.setEncoding('utf8').on('data', (d) => {
    out += d;
    const m = /ready at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
    if (m) resolveUrl(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`the gateway exited with ${code}\n${out}`)));
});

const bodies = new LoadBodies(200, spansPerRequest);
let acked = 0;
const statuses = {};
let firstRefusal;
const result = await new Promise((done, fail) => {
  autocannon({
    url,
    connections,
    duration,
    ...(rate ? { overallRate: Number(rate) } : {}),
    requests: [{
      method: 'POST',
      path: '/v1/traces',
      headers: { 'content-type': 'application/x-protobuf' },
      setupRequest: (req, context) => {
        const body = bodies.next();
        context.body = body;
        return { ...req, body };
      },
      onResponse: (status, body, context) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        // The google.rpc.Status message says why (protobuf; its text is readable enough here).
        if (status !== 200 && firstRefusal === undefined) firstRefusal = Buffer.from(body ?? '').toString('latin1').replace(/[^\x20-\x7e]/g, '');
        if (status === 200) acked += spanKeys(context.body).length;
      },
    }],
  }, (err, r) => (err ? fail(err) : done(r)));
});

const metrics = await (await fetch(`${url}/metrics`)).text();
const value = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
const stopAt = Date.now();
child.kill('SIGTERM');
const code = await new Promise((r) => child.once('exit', r));
rmSync(dir, { recursive: true, force: true });

const mib = (b) => (b / 2 ** 20).toFixed(0);
console.log(JSON.stringify({
  config: config ?? 'built-in',
  node: process.version,
  cpus: cpus().length,
  durationSeconds: duration,
  connections,
  spansPerRequest,
  requestRate: rate ? Number(rate) : 'closed loop',
  spansPerSecond: Math.round(acked / duration),
  requestsPerSecond: result.requests.average,
  latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  statuses,
  firstRefusal,
  errors: result.errors,
  tracesDroppedBeforeDecision: value('otelcol_processor_tail_sampling_sampling_trace_dropped_too_early_total'),
  refusedSpans: value('otelcol_receiver_refused_spans_total'),
  coreMemoryPeakMiB: mib(value('otelcol_sieve_core_memory_peak_bytes')),
  rssMiB: mib(value('otelcol_process_memory_rss_bytes')),
  shutdown: { exitCode: code, ms: Date.now() - stopAt },
}, null, 2));
