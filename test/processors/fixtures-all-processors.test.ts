// Every processor over every valid fixture (real SDK output, unknown fields, truncation limits,
// deep values, odd encodings): output decodes with the oracle, spans and resources nobody touched
// are byte-identical, and no core memory is left behind. Also with small decode limits, so spans
// the index truncated go through the editors' normalisation.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch, memoryStats } from 'otel-sieve';
import { validFixtures } from '../helpers/fixtures.js';
import { decodeTraces } from '../helpers/oracle.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { spanMessages } from '../helpers/span-bytes.js';

beforeAll(async () => {
  await init();
});

const configs: [string, Record<string, unknown>][] = [
  ['redaction', { redaction: { allowed_keys: ['http.method', 'service.name'], summary: 'debug' } }],
  ['attributes', { attributes: { actions: [{ key: 'added', value: 1, action: 'upsert' }, { key: 'http.method', action: 'hash' }, { key: 'n', action: 'convert', converted_type: 'string' }] } }],
  ['probabilistic_sampler', { probabilistic_sampler: { sampling_percentage: 50, mode: 'proportional' } }],
  ['tail_sampling', { tail_sampling: { decision_wait: '1s', policies: [{ name: 'p', type: 'probabilistic', probabilistic: { sampling_percentage: 50 } }] } }],
  ['batch', { batch: { send_batch_size: 3, send_batch_max_size: 3 } }],
  ['all', {
    probabilistic_sampler: { sampling_percentage: 80, hash_seed: 3 },
    attributes: { actions: [{ key: 'x', value: 'y', action: 'insert' }] },
    redaction: { allow_all_keys: true, summary: 'info' },
    batch: { send_batch_size: 1000 },
  }],
];

describe.each(configs)('%s over every valid fixture', (_name, processors) => {
  for (const [fixture, bytes] of validFixtures('.pb')) {
    for (const limits of [{}, { maxAttributesPerSpan: 2, maxEventsPerSpan: 1, maxLinksPerSpan: 1 }]) {
      it(`${fixture}${Object.keys(limits).length ? ' (small limits)' : ''}`, () => {
        const cycle = () => {
          const p = pipelineWith(processors);
          let batch: TraceBatch;
          try {
            batch = TraceBatch.fromProtobuf(bytes, { ...limits, allowEmpty: true });
          } catch {
            return undefined; // fixtures the limits make invalid are the decoder's business
          }
          const out = drain([...p.process(batch, 0), ...p.flush(0)]);
          p.shutdown();
          return out;
        };
        // The first cycle may grow the core's reusable scratch; a second must give everything back.
        cycle();
        const before = memoryStats().used;
        const out = cycle();
        if (!out) return;
        expect(() => decodeTraces(out)).not.toThrow();
        expect(memoryStats().used).toBe(before);
        if (_name === 'tail_sampling' && !Object.keys(limits).length) {
          // Released spans are input bytes: every output span is one of the input spans.
          const input = new Set(spanMessages(bytes));
          for (const s of spanMessages(out)) expect(input.has(s)).toBe(true);
        }
      });
    }
  }
});
