// A `prometheus` exporter with its own endpoint gets its own listener (as in the collector), with
// the exporter's options (namespace); the gateway's /metrics then has only its own telemetry.
import { afterAll, describe, expect, it } from 'vitest';
import { killAll } from '../runtimes/processes.js';
import { eventually, gatewayDir, startGateway } from './helpers/gateway-process.js';
import { sendShopTraffic } from './helpers/sdk-traffic.js';

afterAll(() => killAll());

describe('prometheus exporter with an endpoint', () => {
  it('serves the derived metrics on its own port, with its namespace', async () => {
    const gw = await startGateway({
      dir: gatewayDir('prometheus'),
      config: `
receivers:
  otlp:
    protocols:
      http:
connectors:
  spanmetrics:
    histogram: { unit: s }
    metrics_flush_interval: 1s
exporters:
  debug: { sampling_initial: 0 }
  prometheus:
    endpoint: 127.0.0.1:0
    namespace: shop
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [debug, spanmetrics] }
    metrics: { receivers: [spanmetrics], exporters: [prometheus] }
`,
    });
    try {
      const line = await eventually(async () => /"msg":"prometheus exporter listening".*"url":"(http:\/\/127\.0\.0\.1:\d+\/metrics)"/.exec(gw.stderr())?.[1], () => gw.stderr());
      expect(line).not.toBe(`${gw.url}/metrics`);
      const sent = await sendShopTraffic(`${gw.url}/v1/traces`, 3);
      const text = await eventually(async () => {
        const t = await (await fetch(line)).text();
        return /^shop_traces_span_metrics_calls_total\{/m.test(t) ? t : undefined;
      }, () => `no derived metrics at ${line}`);
      const total = [...text.matchAll(/^shop_traces_span_metrics_calls_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
      expect(total).toBe(sent.length);
      const own = await (await fetch(`${gw.url}/metrics`)).text();
      expect(own).toMatch(/^otelcol_receiver_accepted_spans_total\{/m);
      expect(own).not.toMatch(/span_metrics/);
      expect(await gw.stop('SIGTERM')).toBe(0);
    } finally {
      await gw.stop('SIGKILL');
    }
  }, 60_000);
});
