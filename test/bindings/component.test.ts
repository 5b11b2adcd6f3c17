// The WebAssembly Component (build/bindings, world otel-sieve:processor/pipeline-processor),
// transpiled by jco, called from Node and from workerd: for every case and request, the bytes the
// facade's Pipeline gives; malformed requests and programs come back as the WIT error variant with
// the facade's message, and the instance keeps working.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, compilePipelineProgram } from 'otel-sieve';
import { CASES, PROPAGATE_CASE, bindingInputs, malformedInputs } from './cases.js';
import { BINDINGS, REPO, digests, ensureBindings, outcomeDigests, referenceDecodeError, referenceOutcomes, referenceRun } from './helpers.js';
import type { RunOutcome } from './helpers.js';
import { loadComponent } from '../../bench/bindings/component-loader.js';
import type { ComponentApi, ComponentErrorPayload } from '../../bench/bindings/component-loader.js';
import { startComponentWorkerd } from './harness/component-workerd.js';
import type { ServedWorkerd } from '../runtimes/workerd-serve.js';
import { decodeResults, encodeEnvelope } from './harness/component-envelope.js';
import type { EnvelopeResult } from './harness/component-envelope.js';
import { killAll } from '../runtimes/processes.js';


const COMPONENT_JS = join(BINDINGS, 'component-js');
await init();
const inputs = bindingInputs();
const OOM_REQUEST_BYTES = 1 << 20;

/** Corpus requests concatenated (one valid request: repeated fields merge) up to about `size` bytes. */
function concatRequests(size: number): Uint8Array {
  const corpus = inputs.filter((i) => i.name.startsWith('corpus')).map((i) => i.bytes);
  const parts: Uint8Array[] = [];
  let n = 0;
  for (let k = 0; n < size; k++) {
    parts.push(corpus[k % corpus.length]!);
    n += corpus[k % corpus.length]!.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
let component: () => ComponentApi;

beforeAll(async () => {
  await ensureBindings();
  component = await loadComponent(COMPONENT_JS);
}, 180_000);

function componentError(fn: () => unknown): ComponentErrorPayload {
  try {
    fn();
  } catch (err) {
    const payload = (err as { payload?: ComponentErrorPayload }).payload;
    if (!payload) throw err;
    return payload;
  }
  throw new Error('the call succeeded');
}

describe('component in Node', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const processor = component().pipeline.Processor.create(compilePipelineProgram(c.config));
      const got = inputs.map(({ bytes, now }) => processor.process(bytes, BigInt(now)));
      expect(digests(inputs, got)).toEqual(digests(inputs, referenceRun(c.config, inputs)));
    });
  }

  it('malformed requests: invalid-input with the facade\'s message; the processor goes on', () => {
    const c = CASES.find((x) => x.name.startsWith('tail sampling'))!;
    const processor = component().pipeline.Processor.create(compilePipelineProgram(c.config));
    const first = processor.process(inputs[0]!.bytes, BigInt(inputs[0]!.now));
    for (const bad of malformedInputs()) {
      expect(componentError(() => processor.process(bad.bytes, 0n)), bad.name).toEqual({ tag: 'invalid-input', val: referenceDecodeError(bad.bytes) });
    }
    const second = processor.process(inputs[1]!.bytes, BigInt(inputs[1]!.now));
    expect(digests(inputs, [first, second])).toEqual(digests(inputs, referenceRun(c.config, inputs.slice(0, 2))));
  });

  it('a condition failing under error_mode propagate: invalid-input with the facade\'s message; the processor goes on', () => {
    const processor = component().pipeline.Processor.create(compilePipelineProgram(PROPAGATE_CASE.config));
    const got = inputs.map(({ bytes, now }): RunOutcome => {
      try {
        return processor.process(bytes, BigInt(now));
      } catch (err) {
        const payload = (err as { payload?: ComponentErrorPayload }).payload;
        if (!payload) throw err;
        expect(payload.tag).toBe('invalid-input');
        return { error: payload.val };
      }
    });
    const expected = referenceOutcomes(PROPAGATE_CASE.config, inputs);
    expect(expected.some((o) => 'error' in o)).toBe(true);
    expect(outcomeDigests(inputs, got)).toEqual(outcomeDigests(inputs, expected));
  });

  it('bad programs: invalid-program with the reason; the instance is not poisoned', () => {
    const api = component();
    const program = compilePipelineProgram(CASES[0]!.config);
    const corrupt = program.slice();
    corrupt[corrupt.length - 2]! ^= 1;
    expect(componentError(() => api.pipeline.Processor.create(new Uint8Array(0)))).toEqual({ tag: 'invalid-program', val: 'pipeline program: too short: 0 bytes (the header alone is 96)' });
    expect(componentError(() => api.pipeline.Processor.create(corrupt))).toEqual({ tag: 'invalid-program', val: 'pipeline program: checksum mismatch (the program was corrupted)' });
    expect(componentError(() => api.pipeline.Processor.create(program.subarray(0, 200))).val).toContain('the header says');
    const processor = api.pipeline.Processor.create(program);
    expect(digests(inputs, [processor.process(inputs[0]!.bytes, BigInt(inputs[0]!.now))])).toEqual(digests(inputs, referenceRun(CASES[0]!.config, inputs.slice(0, 1))));
  });

  it('out of memory: the out-of-memory case, and the instance lives on', () => {
    const c = CASES.find((x) => x.name === 'spanmetrics')!;
    // A budget the program and the request's bytes fit in (the canonical ABI's realloc cannot
    // fail), but not the request's index as well: its tables take well over a fifth of it.
    const big = concatRequests(OOM_REQUEST_BYTES);
    const processor = component().pipeline.Processor.create(compilePipelineProgram(c.config, { memoryLimit: Math.round(big.length * 1.2) }));
    const err = componentError(() => processor.process(big, 0n));
    expect(err.tag).toBe('out-of-memory');
    expect(err.val).toMatch(/memory budget cannot hold \d+ more bytes/);
    expect(digests(inputs, [processor.process(inputs[0]!.bytes, BigInt(inputs[0]!.now))])).toEqual(digests(inputs, referenceRun(c.config, inputs.slice(0, 1))));
  });
});

describe('component in workerd', () => {
  let server: ServedWorkerd;
  const runDir = join(REPO, 'test', '.tmp', `bindings-workerd-${process.pid}`);

  beforeAll(async () => {
    server = await startComponentWorkerd(COMPONENT_JS, runDir, 60_000);
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    killAll();
    rmSync(runDir, { recursive: true, force: true });
  });

  async function post(program: Uint8Array, requests: { bytes: Uint8Array; now: number }[]): Promise<EnvelopeResult[]> {
    const res = await fetch(server.url, { method: 'POST', body: encodeEnvelope(program, requests) });
    expect(res.status).toBe(200);
    return decodeResults(new Uint8Array(await res.arrayBuffer()));
  }

  it('every case gives the facade\'s bytes', async () => {
    for (const c of CASES) {
      const results = await post(compilePipelineProgram(c.config), inputs);
      const outputs = results.map((r, i) => {
        if ('error' in r) throw new Error(`${c.name}, ${inputs[i]!.name}: ${r.error.tag}: ${r.error.val}`);
        return r;
      });
      expect(digests(inputs, outputs), c.name).toEqual(digests(inputs, referenceRun(c.config, inputs)));
    }
  }, 60_000);

  it('errors come back as the variant, and the next request works', async () => {
    const c = CASES[0]!;
    const bad = malformedInputs()[1]!;
    const results = await post(compilePipelineProgram(c.config), [{ bytes: bad.bytes, now: 0 }, inputs[0]!]);
    expect(results[0]).toEqual({ error: { tag: 'invalid-input', val: referenceDecodeError(bad.bytes) } });
    expect('traces' in results[1]! && digests(inputs, [results[1]])).toEqual(digests(inputs, referenceRun(c.config, inputs.slice(0, 1))));
    expect(await post(new Uint8Array([1, 2, 3]), [])).toEqual([{ error: { tag: 'invalid-program', val: 'pipeline program: too short: 3 bytes (the header alone is 96)' } }]);
  });

  it('a condition failing under error_mode propagate: invalid-input with the facade\'s message, and the requests after it work', async () => {
    const results = await post(compilePipelineProgram(PROPAGATE_CASE.config), inputs);
    const got = results.map((r): RunOutcome => {
      if (!('error' in r)) return r;
      expect(r.error.tag).toBe('invalid-input');
      return { error: r.error.val };
    });
    expect(outcomeDigests(inputs, got)).toEqual(outcomeDigests(inputs, referenceOutcomes(PROPAGATE_CASE.config, inputs)));
  });
});
