// Consecutive editing processors share pending edits and one splice: the bytes must be exactly
// what running them one after another (a splice each) gives, and no core memory may be left over.
import { beforeAll, expect, it } from 'vitest';
import { init, TraceBatch, memoryStats } from 'otel-sieve';
import { buildRequest } from '../helpers/build-request.js';
import type { ResourceSpec } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { decodeTraces } from '../helpers/oracle.js';

beforeAll(async () => {
  await init();
});

const stages: [string, Record<string, unknown>][] = [
  ['probabilistic_sampler', { sampling_percentage: 60, hash_seed: 7 }],
  ['attributes', { actions: [{ key: 'secret', action: 'hash' }, { key: 'added', value: 'x', action: 'insert' }, { key: 'gone', action: 'delete' }] }],
  ['redaction', { allowed_keys: ['secret', 'added', 'service.name', 'keep', 'lib.attr'], summary: 'debug' }],
  ['attributes/2', { actions: [{ key: 'after', from_attribute: 'added', action: 'upsert' }] }],
];

const input: ResourceSpec[] = Array.from({ length: 4 }, (_, r) => ({
  attrs: { 'service.name': `svc${r}`, 'host.ip': '10.0.0.1' },
  spans: Array.from({ length: 30 }, (_, i) => ({
    trace: `${(r * 97 + i * 131 + 1).toString(16)}0${i.toString(16)}`,
    traceState: i % 5 === 0 ? 'vendor=1' : undefined,
    attrs: { secret: `s${i}`, gone: 1, keep: i, drop: true },
    events: i % 3 === 0 ? [{ name: 'e', attrs: { keep: 1, noisy: 'x' } }] : [],
    links: i % 4 === 0 ? [{ trace: 'ab', span: '0102030405060708', attrs: { keep: 2, extra: 'y' } }] : [],
  })),
}));

it('fused edits equal the processors run one by one, byte for byte', () => {
  const bytes = buildRequest(input);
  const fused = drain(pipelineWith(Object.fromEntries(stages)).process(TraceBatch.fromProtobuf(bytes), 0));
  let step = [TraceBatch.fromProtobuf(bytes)];
  for (const [id, cfg] of stages) {
    const p = pipelineWith({ [id]: cfg });
    step = step.flatMap((b) => p.process(b, 0));
  }
  const oneByOne = drain(step);
  expect(Buffer.from(fused).equals(Buffer.from(oneByOne))).toBe(true);
  const req = decodeTraces(fused);
  const span = req.resourceSpans[0].scopeSpans[0].spans[0];
  expect(span.traceState).toMatch(/^ot=rv:[0-9a-f]{14};th:/);
  expect(span.attributes.map((kv: { key: string }) => kv.key)).toContain('after');
});

it('leaves no core memory behind', () => {
  const bytes = buildRequest(input);
  const p = pipelineWith(Object.fromEntries(stages));
  drain(p.process(TraceBatch.fromProtobuf(bytes), 0));
  const before = memoryStats().used;
  for (let i = 0; i < 5; i++) drain(p.process(TraceBatch.fromProtobuf(bytes), 0));
  expect(memoryStats().used).toBe(before);
});

it('on generated traffic, every order of editing processors gives what one-by-one gives', async () => {
  const { generateTraceRequests } = await import('../../bench/corpus.js');
  const editors: [string, Record<string, unknown>][] = [
    ['probabilistic_sampler', { sampling_percentage: 70, mode: 'proportional' }],
    ['attributes', { actions: [{ key: 'db.statement', action: 'delete' }, { key: 'client.address', action: 'hash' }, { key: 'tier', value: 'gold', action: 'upsert' }] }],
    ['attributes/kinds', { include: { match_type: 'strict', span_kinds: ['SPAN_KIND_SERVER'] }, actions: [{ key: 'server', value: true, action: 'insert' }] }],
    ['redaction', { allow_all_keys: true, ignored_keys: ['user.email'], blocked_key_patterns: ['^user\\.'], summary: 'info' }],
  ];
  const orders = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2], [2, 3, 0, 1]];
  for (const [seed, order] of orders.map((o, i) => [i + 11, o] as const)) {
    const [bytes] = generateTraceRequests({ seed, requests: 1, spansPerRequest: 256 });
    const chosen = order.map((i) => editors[i]!);
    const fused = drain(pipelineWith(Object.fromEntries(chosen), chosen.map(([id]) => id)).process(TraceBatch.fromProtobuf(bytes!), 0));
    let step = [TraceBatch.fromProtobuf(bytes!)];
    for (const [id, cfg] of chosen) {
      const p = pipelineWith({ [id]: cfg });
      step = step.flatMap((b) => p.process(b, 0));
    }
    expect(Buffer.from(fused).equals(Buffer.from(drain(step)))).toBe(true);
    expect(() => decodeTraces(fused)).not.toThrow();
  }
});
