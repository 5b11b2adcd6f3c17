// The processor benchmarks compare like with like: on the bench corpus, otel-sieve's pipelines and
// their protobufjs baselines keep the same spans with the same attributes and tracestate
// (checked with the independent oracle), so the timings measure the same work.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Pipeline, TraceBatch } from 'otel-sieve';
import { generateTraceRequests } from '../bench/corpus.js';
import { SCRUB_CONFIG, TAIL_CONFIG } from '../bench/suites/processors.js';
import { sampleAndScrubWithProtobufjs } from '../bench/baselines/protobufjs-processors.js';
import { tailSampleWithProtobufjs } from '../bench/baselines/protobufjs-tail-sampling.js';
import { decodedSpans } from './helpers/build-request.js';
import { drain } from './helpers/pipeline.js';

beforeAll(async () => {
  await init();
});

const corpus = generateTraceRequests({ seed: 3, requests: 3, spansPerRequest: 512 });
const view = (bytes: Uint8Array) => decodedSpans(bytes).map((s) => ({ id: `${s.trace}/${s.span}`, traceState: s.raw.traceState ?? '', attrs: s.attrs }));

describe('processor benchmark baselines do the same work', () => {
  it('probabilistic_sampler + attributes ≡ protobufjs sample + scrub', () => {
    const p = Pipeline.fromConfig(SCRUB_CONFIG);
    for (const bytes of corpus) {
      const ours = view(drain(p.process(TraceBatch.fromProtobuf(bytes), 0)));
      const theirs = view(sampleAndScrubWithProtobufjs(bytes, { percent: 70, seed: 0, deleteKeys: ['db.statement', 'user.email'], hashKeys: ['client.address'] }));
      expect(ours.length).toBeGreaterThan(200);
      expect(ours).toEqual(theirs);
    }
  });
  it('tail_sampling ≡ the protobufjs tail sampler (same kept traces)', () => {
    const p = Pipeline.fromConfig(TAIL_CONFIG);
    const out: TraceBatch[] = [];
    corpus.forEach((bytes, i) => out.push(...p.process(TraceBatch.fromProtobuf(bytes), i * 100)));
    out.push(...p.flush(1000));
    const ours = new Set(decodedSpans(drain(out)).map((s) => s.trace));
    const theirs = new Set(tailSampleWithProtobufjs(corpus, { latencyMs: 500, percent: 10, salt: 'default-hash-seed' }).flatMap((b) => decodedSpans(b).map((s) => s.trace)));
    expect(ours.size).toBeGreaterThan(0);
    expect([...ours].sort()).toEqual([...theirs].sort());
  });
});
