// The processor benchmarks compare like with like: on the bench corpus, otel-sieve's pipelines and
// their protobufjs baselines keep the same spans with the same attributes and tracestate
// (checked with the independent oracle), so the timings measure the same work.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Pipeline, TraceBatch } from 'otel-sieve';
import { generateTraceRequests } from '../bench/corpus.js';
import { SCRUB_CONFIG, TAIL_CONFIG, REDACT_CONFIG, REDACT_VALUES, FILTER_CONFIG, FILTER_REDACTION_CONFIG } from '../bench/suites/processors.js';
import { filterAndRedactWithProtobufjs, filterWithProtobufjsPredicate } from '../bench/baselines/protobufjs-filter.js';
import { sampleAndScrubWithProtobufjs } from '../bench/baselines/protobufjs-processors.js';
import { redactValuesWithProtobufjs } from '../bench/baselines/protobufjs-redaction.js';
import { decodeTraces } from './helpers/oracle.js';
import { tailSampleWithProtobufjs } from '../bench/baselines/protobufjs-tail-sampling.js';
import { decodedSpans } from './helpers/build-request.js';
import { drain } from './helpers/pipeline.js';

beforeAll(async () => {
  await init();
});

const corpus = generateTraceRequests({ seed: 3, requests: 3, spansPerRequest: 512 });
const view = (bytes: Uint8Array) => decodedSpans(bytes).map((s) => ({ id: `${s.trace}/${s.span}`, traceState: s.raw.traceState ?? '', attrs: s.attrs }));

/** A decoded request with bytes as hex (protobufjs hands out Buffers or Uint8Arrays depending on its input). */
const plain = (req: unknown): unknown =>
  JSON.parse(
    JSON.stringify(req, (_k, v) => {
      if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
      if (v && v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data).toString('hex');
      return v;
    }),
  );

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
  it('filter (OTTL) ≡ the hand-written protobufjs predicate; it drops about 30 %', () => {
    const p = Pipeline.fromConfig(FILTER_CONFIG);
    let total = 0;
    let kept = 0;
    for (const bytes of corpus) {
      const ours = view(drain(p.process(TraceBatch.fromProtobuf(bytes), 0)));
      expect(ours).toEqual(view(filterWithProtobufjsPredicate(bytes)));
      total += decodedSpans(bytes).length;
      kept += ours.length;
    }
    expect(1 - kept / total).toBeGreaterThan(0.25);
    expect(1 - kept / total).toBeLessThan(0.35);
  });
  it('filter + redaction ≡ protobufjs filter + mask (every attribute map)', () => {
    const p = Pipeline.fromConfig(FILTER_REDACTION_CONFIG);
    for (const bytes of corpus) {
      const ours = drain(p.process(TraceBatch.fromProtobuf(bytes), 0));
      const theirs = filterAndRedactWithProtobufjs(bytes);
      expect(view(ours)).toEqual(view(theirs));
      expect(view(ours).some((s) => s.attrs['session.id'] === '****')).toBe(true);
      // resources, scopes, events and links too: the whole requests decode alike
      expect(plain(decodeTraces(ours))).toEqual(plain(decodeTraces(theirs)));
    }
  });
  it('redaction blocked_values / allowed_values ≡ protobufjs + JS RegExp masking, on every attribute map', () => {
    const p = Pipeline.fromConfig(REDACT_CONFIG);
    // Every attribute value of the request, in order, as JSON: resource, scope, span, event, link.
    const values = (bytes: Uint8Array) => JSON.stringify(decodeTraces(bytes).resourceSpans, (k, v) => (k === 'traceId' || k === 'spanId' || k === 'parentSpanId' ? undefined : v));
    let masked = 0;
    for (const bytes of corpus) {
      const ours = drain(p.process(TraceBatch.fromProtobuf(bytes), 0));
      const theirs = redactValuesWithProtobufjs(bytes, REDACT_VALUES);
      expect(values(ours)).toBe(values(theirs));
      masked += (values(ours).match(/\*\*\*\*/g) ?? []).length;
      expect(values(ours)).toContain('@corp.example');
    }
    expect(masked).toBeGreaterThan(500);
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
