// Admission before a body is read: a slow chunked upload (no Content-Length, so it is counted at
// max_request_body_size) holds the byte budget; meanwhile another request is answered 503 with
// Retry-After, and is accepted again once the upload is done. Both counted on /metrics.
import { afterAll, describe, expect, it } from 'vitest';
import { killAll } from '../runtimes/processes.js';
import { buildRequest } from '../helpers/build-request.js';
import { gatewayDir, startGateway } from './helpers/gateway-process.js';

afterAll(() => killAll());

describe('admission', () => {
  it('a request that would pass max_bytes_in_flight_mib waits for nothing: 503 + Retry-After, before its body is read', async () => {
    const gw = await startGateway({
      dir: gatewayDir('admission'),
      config: `
receivers:
  otlp:
    protocols:
      http:
exporters:
  debug: { verbosity: basic, sampling_initial: 0 }
extensions:
  trace_store: { enabled: false }
  gateway: { max_bytes_in_flight_mib: 1 }
service:
  extensions: [trace_store, gateway]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [debug]
`,
    });
    try {
      const body = buildRequest([{ spans: [{ trace: 'a1' }, { trace: 'a1' }] }]);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // A chunked upload that sends half its body, then waits.
      const slow = fetch(`${gw.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(body.subarray(0, 10));
            await held;
            controller.enqueue(body.subarray(10));
            controller.close();
          },
        }),
        // @ts-expect-error Node's fetch needs duplex for a streamed body
        duplex: 'half',
      });
      await new Promise((r) => setTimeout(r, 300));
      const post = () => fetch(`${gw.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: body as BodyInit });
      const refused = await post();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      release();
      expect((await slow).status).toBe(200);
      expect((await post()).status).toBe(200);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/^otelcol_receiver_requests_total\{[^}]*http_response_status_code="503"[^}]*\} 1$/m);
      expect(metrics).toMatch(/^otelcol_receiver_accepted_spans_total\{[^}]*\} 4$/m);
      expect(await gw.stop('SIGTERM')).toBe(0);
    } finally {
      await gw.stop('SIGKILL');
    }
  }, 60_000);
});
