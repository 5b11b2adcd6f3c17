// Decode limits are receive-time limits (the SDK's and receiver's span limits): they cut what a
// client sent, once. What processors add afterwards is not cut again, however the output is read
// later — raw bytes, or indexed again by a later stage (here tail_sampling indexes the output of
// the attributes processor; the span's own view indexes it too).
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Pipeline, TraceBatch } from 'otel-sieve';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import { drain } from '../helpers/pipeline.js';

beforeAll(async () => {
  await init();
});

const receiver = { otlp: { protocols: { http: {} } } };

describe('decode limits apply once, at receive time', () => {
  const bytes = buildRequest([{ attrs: { 'service.name': 'api' }, spans: [{ trace: 'a', attrs: { a: 1, b: 2, c: 3 } }] }]);
  const config = (processors: Record<string, unknown>) => ({
    receivers: receiver, processors, exporters: { debug: {} },
    service: { pipelines: { traces: { receivers: ['otlp'], processors: Object.keys(processors), exporters: ['debug'] } } },
  });

  it('attributes a processor inserts survive a later stage that indexes the batch', () => {
    const p = Pipeline.fromConfig(config({
      attributes: { actions: [{ key: 'x', value: 'added', action: 'insert' }, { key: 'y', value: 'added', action: 'insert' }] },
      tail_sampling: { decision_wait: '1s', policies: [{ name: 'all', type: 'always_sample' }] },
    }));
    p.process(TraceBatch.fromProtobuf(bytes, { maxAttributesPerSpan: 2 }), 0).forEach((b) => b.dispose());
    const out = p.flush(0);
    // The output read through its own index: the view sees every attribute the bytes hold.
    expect(out[0]!.span(0).attributes.map((kv) => kv.key)).toEqual(['a', 'b', 'x', 'y']);
    const [span] = decodedSpans(drain(out));
    expect(span!.attrs).toEqual({ a: 1n, b: 2n, x: 'added', y: 'added' });
    // The one attribute the limit cut at receive time stays counted.
    expect(span!.raw.droppedAttributesCount).toBe(1);
    p.shutdown();
  });
});
