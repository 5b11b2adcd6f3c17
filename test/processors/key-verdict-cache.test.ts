// Key patterns matched in the core (the plan carries their programs; verdicts cached with the plan
// across batches) give what the facade's verdicts give with another RE2 engine behind the seam
// (re2js, matched in JavaScript): the same output bytes over many batches — more distinct keys than
// the cache keeps, so it starts over on the way — and the cache's memory is returned at shutdown.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch, memoryStats, registerRegexEngine, coreRegexEngine } from 'otel-sieve';
import { buildRequest } from '../helpers/build-request.js';
import type { ResourceSpec } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { re2Engine } from '../helpers/re2-engine.js';

beforeAll(async () => {
  await init();
});

afterEach(() => {
  registerRegexEngine(coreRegexEngine);
});

/** Batch i: 40 spans with keys shared by every batch and keys seen only in this batch. */
function batches(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const spans = Array.from({ length: 40 }, (_, k) => ({
      trace: (i * 40 + k + 1).toString(16),
      attrs: { 'user.email': `u${k}@example.com`, 'http.route': '/a', [`session.${i}.${k}`]: 'secret', [`app.${i}.${k}.token`]: 'x', [`k\u00e9y.${k % 3}`]: k },
    }));
    return buildRequest([{ attrs: { 'service.name': 'api', [`host.${i}`]: 'h' }, spans }] as ResourceSpec[]);
  });
}

const CONFIG = {
  redaction: { allow_all_keys: true, blocked_key_patterns: ['^user\\.', '^session\\.', 'token$', '^k.y\\.1$'], ignored_key_patterns: ['^host\\.'], summary: 'debug' },
  attributes: { actions: [{ pattern: '^http\\.', action: 'hash' }, { pattern: '^app\\.[0-9]+\\.1\\.', action: 'delete' }] },
};

function run(inputs: readonly Uint8Array[]): Uint8Array[] {
  const p = pipelineWith(CONFIG);
  try {
    return inputs.map((bytes) => drain(p.process(TraceBatch.fromProtobuf(bytes), 0)));
  } finally {
    p.shutdown();
  }
}

describe('key verdicts matched in the core', () => {
  it('equal the facade\'s verdicts with another engine, over more distinct keys than the cache keeps', () => {
    // 260 batches × ~81 new keys each ≈ 21 000 distinct keys: the cache (8 192 keys) starts over twice.
    const inputs = batches(260);
    const inCore = run(inputs);
    registerRegexEngine(re2Engine);
    const inJs = run(inputs);
    expect(inCore.length).toBe(inJs.length);
    inCore.forEach((bytes, i) => expect(Buffer.from(bytes).equals(Buffer.from(inJs[i]!)), `batch ${i}`).toBe(true));
    // And the patterns did something: masked values and hashed routes.
    const text = Buffer.from(inCore[3]!).toString('latin1');
    expect(text).toContain('****');
    expect(text).not.toContain('/a');
  });

  it('gives the cache\'s memory back at shutdown', () => {
    const before = memoryStats().used;
    const outs = run(batches(30));
    expect(outs.length).toBe(30);
    expect(memoryStats().used).toBe(before);
  });
});
