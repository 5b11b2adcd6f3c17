// Pipeline programs in the facade: a config compiled to a program and run by the core's runner
// gives, request after request, the bytes the TypeScript Pipeline gives (traces and derived
// metrics); malformed requests and programs are refused with the errors the bindings report.
import { describe, expect, it } from 'vitest';
import { init, compilePipelineProgram, PipelineProgramRunner, PipelineProgramError, TraceBatch, registerRegexEngine, coreRegexEngine, memoryStats, ConfigError } from 'otel-sieve';
import * as PG from '../../assembly/abi/pipeline-program-layout.js';
import * as Q from '../../assembly/abi/query-layout.js';
import { CASES, PROPAGATE_CASE, bindingInputs, malformedInputs, traces } from './cases.js';
import { digests, outcomeDigests, referenceDecodeError, referenceOutcomes, referenceRun } from './helpers.js';
import { hash32, reseal } from './program-checksum.js';
import type { RunOutcome, RunOutput } from './helpers.js';
import type { BindingInput } from './cases.js';

await init();
const inputs = bindingInputs();

function runProgram(program: Uint8Array, list: readonly BindingInput[]): RunOutput[] {
  const runner = PipelineProgramRunner.load(program);
  try {
    return list.map(({ bytes, now }) => runner.process(bytes, now));
  } finally {
    runner.dispose();
  }
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

describe('a compiled program gives the Pipeline\'s bytes', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const expected = referenceRun(c.config, inputs);
      // The config must do something to the traffic, or the comparison proves little.
      expect(expected.some((o, i) => o.metrics.length > 0 || !same(o.traces, inputs[i]!.bytes))).toBe(true);
      const got = runProgram(compilePipelineProgram(c.config), inputs);
      expect(digests(inputs, got)).toEqual(digests(inputs, expected));
    });
  }

  it('carries the decode limits it was compiled with', () => {
    const decode = { maxAttributesPerSpan: 3, maxEventsPerSpan: 1, maxLinksPerSpan: 0 };
    const c = CASES.find((x) => x.name === 'redaction')!;
    const expected = referenceRun(c.config, inputs, decode);
    expect(digests(inputs, runProgram(compilePipelineProgram(c.config, { decode }), inputs))).toEqual(digests(inputs, expected));
    expect(digests(inputs, expected)).not.toEqual(digests(inputs, referenceRun(c.config, inputs)));
  });

  it('passes an untouched request on as it came (ROF_UNCHANGED lets a host skip the copy)', () => {
    const c = CASES.find((x) => x.name === 'spanmetrics')!;
    const out = runProgram(compilePipelineProgram(c.config), inputs.slice(0, 2));
    out.forEach((o, i) => expect(same(o.traces, inputs[i]!.bytes)).toBe(true));
  });

  it('gives its memory back: many runs, then dispose', () => {
    const c = CASES.find((x) => x.name.startsWith('everything'))!;
    const before = memoryStats().used;
    const runner = PipelineProgramRunner.load(compilePipelineProgram(c.config));
    for (const { bytes, now } of inputs) runner.process(bytes, now);
    const afterOne = memoryStats().used;
    for (const { bytes, now } of inputs) runner.process(bytes, now + 60_000);
    // Span-metrics series and decision caches are state; a second pass over the same traffic adds little.
    expect(memoryStats().used - afterOne).toBeLessThan(256 * 1024);
    runner.dispose();
    expect(memoryStats().used).toBeLessThanOrEqual(before + 64 * 1024);
  });
});

describe('filters hold no memory between requests', () => {
  it.each([CASES.find((x) => x.name.startsWith('filter: span and span-event'))!, PROPAGATE_CASE])('$name', (c) => {
    const before = memoryStats().used;
    const runner = PipelineProgramRunner.load(compilePipelineProgram(c.config));
    const pass = (shift: number) => {
      for (const { bytes, now } of inputs) {
        try {
          runner.process(bytes, now + shift);
        } catch (err) {
          // Failed requests (error_mode propagate) must not leave their masks behind either.
          expect((err as PipelineProgramError).reason).toBe('input');
        }
      }
      return memoryStats().used;
    };
    const first = pass(0);
    // The runner's output and error buffers are sized by the first pass; a second pass adds nothing.
    expect(pass(60_000)).toBeLessThanOrEqual(first);
    runner.dispose();
    expect(memoryStats().used).toBeLessThanOrEqual(before + 64 * 1024);
  });
});

describe('errors', () => {
  const c = CASES.find((x) => x.name.startsWith('tail sampling'))!;
  const program = compilePipelineProgram(c.config);

  it('a malformed request: the facade\'s decode error, and the runner goes on as before', () => {
    const runner = PipelineProgramRunner.load(program);
    const expected = referenceRun(c.config, inputs.slice(0, 3));
    const got: RunOutput[] = [runner.process(inputs[0]!.bytes, inputs[0]!.now)];
    for (const bad of malformedInputs()) {
      let err: unknown;
      try {
        runner.process(bad.bytes, inputs[1]!.now);
      } catch (e) {
        err = e;
      }
      expect(err, bad.name).toBeInstanceOf(PipelineProgramError);
      expect((err as PipelineProgramError).reason).toBe('input');
      expect((err as Error).message).toBe(referenceDecodeError(bad.bytes));
    }
    got.push(runner.process(inputs[1]!.bytes, inputs[1]!.now), runner.process(inputs[2]!.bytes, inputs[2]!.now));
    runner.dispose();
    expect(digests(inputs, got)).toEqual(digests(inputs, expected));
  });

  it('a request over maxBytes: the facade\'s InputTooLargeError text', () => {
    const runner = PipelineProgramRunner.load(compilePipelineProgram(c.config, { decode: { maxBytes: 100 } }));
    let facade = '';
    try {
      TraceBatch.fromProtobuf(inputs[0]!.bytes, { maxBytes: 100 });
    } catch (e) {
      facade = (e as Error).message;
    }
    expect(facade).toContain('over the limit of 100 bytes');
    expect(() => runner.process(inputs[0]!.bytes, 0)).toThrow(facade);
    runner.dispose();
  });

  const patched = (edit: (dv: DataView, bytes: Uint8Array) => void) => {
    // Versions are checked before the checksum, so a patched header is reported as what it is.
    const bytes = program.slice();
    edit(new DataView(bytes.buffer), bytes);
    return bytes;
  };

  const loadError = (bytes: Uint8Array): PipelineProgramError => {
    try {
      PipelineProgramRunner.load(bytes).dispose();
    } catch (e) {
      return e as PipelineProgramError;
    }
    throw new Error('the program loaded');
  };

  it.each([
    ['empty', new Uint8Array(0), 'too short: 0 bytes'],
    ['truncated', program.subarray(0, program.length - 1), 'the header says'],
    ['not a program', new TextEncoder().encode('receivers: {}\n'.repeat(10)), 'not an otel-sieve pipeline program'],
    ['corrupted body', patched((_, b) => (b[b.length - 3]! ^= 0x40)), 'checksum mismatch'],
    ['another format version', patched((dv) => dv.setUint32(PG.PG_FORMAT, 9, true)), 'format version 9'],
    ['another core ABI', patched((dv) => dv.setUint32(PG.PG_CORE_ABI, 7, true)), 'core ABI 7'],
  ])('a bad program (%s) is refused with a reason', (_name, bytes, reason) => {
    const err = loadError(bytes);
    expect(err).toBeInstanceOf(PipelineProgramError);
    expect(err.reason).toBe('program');
    expect(err.message).toContain('pipeline program: ');
    expect(err.message).toContain(reason);
  });
});

describe('error_mode propagate: a failing condition fails the request, as in the Pipeline', () => {
  /** Per request: the runner's output, or its error (which must be about the input). */
  function programOutcomes(config: object): RunOutcome[] {
    const runner = PipelineProgramRunner.load(compilePipelineProgram(config));
    try {
      return inputs.map(({ bytes, now }): RunOutcome => {
        try {
          return runner.process(bytes, now);
        } catch (err) {
          expect(err).toBeInstanceOf(PipelineProgramError);
          expect((err as PipelineProgramError).reason).toBe('input');
          return { error: (err as Error).message };
        }
      });
    } finally {
      runner.dispose();
    }
  }

  it('the Pipeline\'s message for the failing requests, its bytes for the others: the runner goes on', () => {
    const expected = referenceOutcomes(PROPAGATE_CASE.config, inputs);
    expect(expected.some((o) => 'error' in o)).toBe(true);
    expect(expected.some((o) => !('error' in o))).toBe(true);
    expect(outcomeDigests(inputs, programOutcomes(PROPAGATE_CASE.config))).toEqual(outcomeDigests(inputs, expected));
  });

  // One condition per runtime failure the messages name (the runner writes them in the core).
  it.each([
    ['Substring past the end', 'Substring(name, 0, 40) == "x"'],
    ['math on a string or nil', 'attributes["http.route"] * 2 == 1'],
    ['division by zero', 'attributes["http.response.status_code"] != nil and attributes["http.response.status_code"] / 0 == 1'],
    ['indexing a string', 'attributes["http.route"]["x"] == "y"'],
    ['unary minus', '-attributes["http.route"] == 1'],
    ['a converter argument', 'Len(attributes["http.response.status_code"]) > 1'],
    ['NaN as a string', 'String(attributes["nan"]) == "x"'],
    ['time math', 'attributes["http.response.status_code"] - start_time == 1'],
    ['a span event condition', 'Substring(name, 0, 40) == "x"', 'spanevent'],
    ['a resource condition', 'Substring(attributes["service.name"], 0, 40) == "x"', 'resource'],
  ])('%s', (_name, condition, context = 'span') => {
    const config = traces({ 'filter/strict': { error_mode: 'propagate', traces: { [context]: [condition] } } });
    const expected = referenceOutcomes(config, inputs);
    expect(expected.some((o) => 'error' in o)).toBe(true);
    expect(outcomeDigests(inputs, programOutcomes(config))).toEqual(outcomeDigests(inputs, expected));
  });
});

describe('structure is checked, not only the checksum', () => {
  const tail = compilePipelineProgram(CASES.find((x) => x.name.startsWith('tail sampling'))!.config);
  const keys = compilePipelineProgram(CASES.find((x) => x.name.startsWith('key patterns'))!.config);
  // One filter stage: the header (segment 0), then the span and spanevent groups' condition blocks.
  const filter = compilePipelineProgram(CASES.find((x) => x.name.startsWith('filter: span and span-event'))!.config);
  const u32 = (p: Uint8Array, at: number) => new DataView(p.buffer, p.byteOffset).getUint32(at, true);
  const set = (p: Uint8Array, at: number, v: number) => new DataView(p.buffer, p.byteOffset).setUint32(at, v, true);
  /** Row `i` of segment table / first stage of a program. */
  const segment = (p: Uint8Array, i: number) => u32(p, PG.PG_SEGMENTS) + i * PG.SG_ROW;
  const stage = (p: Uint8Array, i: number) => u32(p, PG.PG_STAGES) + i * PG.ST_ROW;
  /** The first relocation of segment `i` whose target is `target`. */
  const reloc = (p: Uint8Array, i: number, target: number) => {
    const sg = segment(p, i);
    for (let r = 0; r < u32(p, sg + PG.SG_RELOC_COUNT); r++) {
      const at = u32(p, sg + PG.SG_RELOCS) + r * PG.RL_ROW;
      if (u32(p, at + PG.RL_TARGET) === target) return at;
    }
    throw new Error(`segment ${i} has no relocation to ${target}`);
  };
  /** The FG_* row of filter group `g` (the filter is the program's first stage). */
  const filterGroup = (p: Uint8Array, g: number) => u32(p, segment(p, 0) + PG.SG_OFFSET) + PG.FF_FIRST + g * PG.FG_ROW;
  /** Program `k` of the condition block in segment `i` (its table holds offsets into the block). */
  const ottlProgram = (p: Uint8Array, i: number, k: number) => u32(p, segment(p, i) + PG.SG_OFFSET) + u32(p, u32(p, segment(p, i) + PG.SG_OFFSET) + k * 4);
  const edited = (p: Uint8Array, edit: (q: Uint8Array) => void) => {
    const q = p.slice();
    edit(q);
    return reseal(q);
  };
  const refused = (p: Uint8Array): string => {
    try {
      PipelineProgramRunner.load(p).dispose();
    } catch (e) {
      expect(e).toBeInstanceOf(PipelineProgramError);
      return (e as Error).message;
    }
    throw new Error('the program loaded');
  };

  it('the checksum is the core\'s hash32 (the re-sealing below is sound)', () => {
    expect(hash32(tail.subarray(PG.PG_HEADER_SIZE))).toBe(u32(tail, PG.PG_CHECKSUM));
    expect(Buffer.from(reseal(tail.slice())).equals(Buffer.from(tail))).toBe(true);
  });

  it.each<[string, () => Uint8Array, string]>([
    ['a processor kind nobody knows', () => edited(tail, (q) => set(q, stage(q, 0) + PG.ST_KIND, 99)), 'unknown processor kind 99'],
    ['a segment past the end', () => edited(tail, (q) => set(q, segment(q, 1) + PG.SG_OFFSET, q.length - 4)), 'lies outside the program'],
    ['a relocation past its segment', () => edited(tail, (q) => set(q, reloc(q, 0, 1) + PG.RL_AT, u32(q, segment(q, 0) + PG.SG_SIZE))), 'a relocation points outside its segment'],
    ['a relocation into a block of another kind', () => edited(tail, (q) => set(q, reloc(q, 2, 1) + PG.RL_TARGET, 0)), 'a relocation points into a block of another kind'],
    ['the sampler options pointing at the wrong block', () => edited(tail, (q) => { const leaves = reloc(q, 0, 1); const nodes = reloc(q, 0, 2); set(q, leaves + PG.RL_TARGET, 2); set(q, nodes + PG.RL_TARGET, 1); }), 'the tail sampling policies do not fit their blocks'],
    ['a connector the program does not have', () => edited(tail, (q) => set(q, u32(q, PG.PG_PIPELINES) + PG.PL_CONNECTORS, 4)), 'names connectors the program does not have'],
    ['a filter group count that does not match its blocks', () => edited(filter, (q) => { const h = u32(q, segment(q, 0) + PG.SG_OFFSET); set(q, h + PG.FF_GROUP_COUNT, 3); }), 'the filter\'s condition groups do not match its blocks'],
    ['a filter group pointing at another group\'s conditions', () => edited(filter, (q) => { const a = reloc(q, 0, 1); const b = reloc(q, 0, 2); set(q, a + PG.RL_TARGET, 2); set(q, b + PG.RL_TARGET, 1); }), 'the filter\'s condition groups do not match its blocks'],
    ['a filter group of a logs context', () => edited(filter, (q) => set(q, filterGroup(q, 0) + PG.FG_CONTEXT, Q.CTX_LOG)), 'the filter\'s condition groups do not match its blocks'],
    ['a filter group with unknown run flags', () => edited(filter, (q) => set(q, filterGroup(q, 0) + PG.FG_RUN_FLAGS, 8)), 'the filter\'s condition groups do not match its blocks'],
    ['a condition text past its block', () => edited(filter, (q) => { const h = u32(q, segment(q, 0) + PG.SG_OFFSET); const texts = h + u32(q, filterGroup(q, 0) + PG.FG_TEXTS); set(q, texts + PG.FT_TEXT_LEN, 1 << 20); }), 'the filter\'s condition groups do not match its blocks'],
    ['a condition block pointing into the header', () => edited(filter, (q) => set(q, reloc(q, 1, 1) + PG.RL_TARGET, 0)), 'a relocation points into a block of another kind'],
    ['a corrupted OTTL program (bad opcode)', () => edited(filter, (q) => { const p = ottlProgram(q, 1, 0); set(q, p + u32(q, p + Q.P_CODE), 0xff); }), 'an OTTL condition program failed the core\'s program checks'],
    ['an OTTL program that claims to be loaded', () => edited(filter, (q) => set(q, ottlProgram(q, 1, 0) + Q.P_LOADED, 1)), 'an OTTL condition program failed the core\'s program checks'],
    ['an OTTL program of another context', () => edited(filter, (q) => set(q, ottlProgram(q, 1, 1) + Q.P_CONTEXT, Q.CTX_SPANEVENT)), 'an OTTL condition program failed the core\'s program checks'],
    ['OTTL programs out of order', () => edited(filter, (q) => { const sg = u32(q, segment(q, 1) + PG.SG_OFFSET); const a = u32(q, sg); set(q, sg, u32(q, sg + 4)); set(q, sg + 4, a); }), 'an OTTL condition program failed the core\'s program checks'],
    ['a broken key-pattern regex', () => edited(keys, (q) => { const sg = segment(q, 1); const prog = u32(q, sg + PG.SG_OFFSET) + u32(q, u32(q, sg + PG.SG_OFFSET) + PG.KP_FIRST + PG.KP_PTR); set(q, prog, 0); }), 'a key pattern failed the regex program checks'],
  ])('%s', (_name, make, message) => {
    expect(refused(make())).toContain(message);
  });
});

describe('what a program cannot carry is refused at compile time', () => {
  const base = (processors: Record<string, unknown>, connectors: Record<string, unknown> = {}) => ({
    receivers: { otlp: { protocols: { http: {} } } },
    processors,
    connectors,
    exporters: { debug: {} },
    service: { pipelines: { traces: { receivers: ['otlp'], processors: Object.keys(processors), exporters: ['debug', ...Object.keys(connectors)] }, ...(Object.keys(connectors).length ? { metrics: { receivers: Object.keys(connectors), exporters: ['debug'] } } : {}) } },
  });
  it.each([
    ['batch', base({ batch: {} }), 'processors.batch: batch is not part of a pipeline program'],
    ['memory_limiter', base({ memory_limiter: { limit_mib: 100, check_interval: '1s' } }), 'processors.memory_limiter: memory_limiter is not part of a pipeline program'],
    ['servicegraph', base({}, { servicegraph: {} }), 'connectors.servicegraph: servicegraph is not supported in a pipeline program yet'],
    ['block_on_overflow', base({ tail_sampling: { block_on_overflow: true, policies: [{ name: 'a', type: 'always_sample' }] } }), 'block_on_overflow cannot refuse a batch'],
    ['filter with a TraceQL drop', base({ 'filter/tql': { traceql: '{ span.http.route = "/api/cart" }' } }), 'processors.filter/tql.traceql: the TraceQL drop (otel-sieve\'s traceql extension) is evaluated in JavaScript'],
    ['filter with a TraceQL drop of whole traces, beside OTTL conditions', base({ filter: { traces: { span: ['name == "x"'] }, traceql: '{ status = error }', whole_traces: true } }), 'processors.filter.traceql: the TraceQL drop'],
    ['filter with more condition groups than a program holds', base({ filter: { trace_conditions: Array.from({ length: PG.MAX_FILTER_GROUPS + 1 }, (_, i) => ({ context: 'span', conditions: [`name == "${i}"`] })) } }), `processors.filter: at most ${PG.MAX_FILTER_GROUPS} trace condition groups`],
  ])('%s', (_name, config, message) => {
    expect(() => compilePipelineProgram(config)).toThrow(ConfigError);
    expect(() => compilePipelineProgram(config)).toThrow(message);
  });

  it('config errors are the Pipeline\'s own (position and path)', () => {
    expect(() => compilePipelineProgram('processors:\n  attributes:\n    actionz: []\n', { source: 'c.yaml' })).toThrow(/^c\.yaml: line 3, column 5: processors\.attributes/);
  });

  it('regexes must be compiled for the core engine', () => {
    registerRegexEngine({ compile: () => ({ test: () => true }) });
    try {
      expect(() => compilePipelineProgram(CASES[0]!.config)).toThrow('another engine is registered');
    } finally {
      registerRegexEngine(coreRegexEngine);
    }
  });
});
