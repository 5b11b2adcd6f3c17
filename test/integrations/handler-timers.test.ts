// The handler's long-running-server hooks: tick() runs the pipeline's timers (tail-sampling
// decisions) and exports what they release while no request arrives; stats() counts the spans of
// requests refused under pressure.
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from 'otel-sieve';
import { buildRequest } from '../helpers/build-request.js';

beforeAll(async () => {
  await api.init();
});

/** An exporter that records span counts, and can say its queue is full. */
function recorder() {
  const got: number[] = [];
  let accepting = true;
  const exporter: api.TracesExporter = {
    id: 'recorder',
    get accepting() {
      return accepting;
    },
    export(batch) {
      got.push(batch.spanCount);
      return Promise.resolve({ delivered: batch.spanCount, lost: 0 });
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    stats: () => ({ received: 0, delivered: 0, dropped: 0, failed: 0, rejected: 0, retries: 0, queued: 0, inFlight: 0 }),
  };
  return { exporter, got, full: (v: boolean) => (accepting = !v) };
}

const post = (body: Uint8Array) => new Request('http://x/v1/traces', { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: body as BodyInit });

describe('handler timers and refusals', () => {
  it('tick() exports tail-sampling decisions that come due without a request', async () => {
    let clock = 10_000;
    const pipeline = api.Pipeline.fromConfig({
      receivers: { otlp: { protocols: { http: {} } } },
      processors: { tail_sampling: { decision_wait: '1s', policies: [{ name: 'all', type: 'always_sample' }] } },
      exporters: { debug: {} },
      service: { pipelines: { traces: { receivers: ['otlp'], processors: ['tail_sampling'], exporters: ['debug'] } } },
    });
    const r = recorder();
    const handler = api.createOtlpHandler(pipeline, { exporters: [r.exporter], now: () => clock });
    const res = await handler(post(buildRequest([{ spans: [{ trace: 'a1' }, { trace: 'a1' }, { trace: 'b2' }] }])));
    expect(res.status).toBe(200);
    expect(r.got).toEqual([]);
    await handler.tick();
    expect(r.got).toEqual([]);
    clock += 5_000;
    await handler.tick();
    expect(r.got.reduce((a, b) => a + b, 0)).toBe(3);
    expect(handler.stats()).toMatchObject({ spansAccepted: 3, spansExported: 3, spansRefused: 0 });
  });

  it('counts the spans of requests refused because an exporter is full', async () => {
    const r = recorder();
    const handler = api.createOtlpHandler({ process: (b) => [b], flush: () => [] }, { exporters: [r.exporter] });
    r.full(true);
    const res = await handler(post(buildRequest([{ spans: [{ trace: 'c1' }, { trace: 'c2' }] }])));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    r.full(false);
    expect((await handler(post(buildRequest([{ spans: [{ trace: 'd1' }] }])))).status).toBe(200);
    expect(handler.stats()).toMatchObject({ spansAccepted: 1, spansRefused: 2, responses: { 200: 1, 503: 1 } });
  });
});
