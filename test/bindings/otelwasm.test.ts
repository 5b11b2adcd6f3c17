// The otelwasm plug-ins under Node hosts that follow the Go host (harness/otelwasm-host.ts): the
// main-branch pull ABI with both buffer conventions, and ABI v1 with both import module names.
// For every case and request the host forwards the bytes the facade's Pipeline gives; plugin_config
// errors, malformed requests and memory exhaustion come back as statuses with reasons, never traps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, compilePipelineProgram } from 'otel-sieve';
import { CASES, PROPAGATE_CASE, bindingInputs, malformedInputs } from './cases.js';
import { BINDINGS, digests, ensureBindings, outcomeDigests, referenceDecodeError, referenceOutcomes, referenceRun } from './helpers.js';
import type { RunOutcome, RunOutput } from './helpers.js';
import { PullHost, V1Host } from '../../bench/bindings/otelwasm-hosts.js';
import type { BufferConvention, HostResult, V1ImportModule } from '../../bench/bindings/otelwasm-hosts.js';
import { TraceRequest } from '../helpers/oracle.js';

/** What the Go host does with a result: unmarshal it (here with upstream's generated decoder). */
const decode = (bytes: Uint8Array) => TraceRequest.decode(bytes);

await init();
const inputs = bindingInputs();
let pullModule: WebAssembly.Module;
const v1Modules = new Map<V1ImportModule, WebAssembly.Module>();

beforeAll(async () => {
  await ensureBindings();
  pullModule = new WebAssembly.Module(readFileSync(join(BINDINGS, 'otel-sieve-otelwasm.wasm')));
  v1Modules.set('otelwasm', new WebAssembly.Module(readFileSync(join(BINDINGS, 'otel-sieve-otelwasm-v1.wasm'))));
  v1Modules.set('opentelemetry.io/wasm', new WebAssembly.Module(readFileSync(join(BINDINGS, 'otel-sieve-otelwasm-v1-opentelemetry-io.wasm'))));
}, 180_000);

/** plugin_config as a collector user writes it: the program in base64. */
const pluginConfig = (program: Uint8Array) => ({ program: Buffer.from(program).toString('base64') });

/** Traces forwarded per request; a failed call is an error naming the status and reason. */
function forwarded(results: HostResult[]): RunOutput[] {
  return results.map((r, i) => {
    if (r.status !== 0) throw new Error(`${inputs[i]!.name}: status ${r.status}: ${r.reason}`);
    return { traces: r.traces, metrics: new Uint8Array(0) };
  });
}

/** The reference with metrics left out: a traces processor has no channel for them (see bindings/README.md). */
function referenceTraces(config: object): RunOutput[] {
  return referenceRun(config, inputs).map((o) => ({ traces: o.traces, metrics: new Uint8Array(0) }));
}

function v1Host(config: unknown, module: V1ImportModule = 'otelwasm'): V1Host {
  return new V1Host(v1Modules.get(module)!, config, module, decode);
}

describe.each<BufferConvention>(['zero-if-too-small', 'needed-size'])('pull ABI (main branch), host convention %s', (convention) => {
  for (const c of CASES) {
    it(c.name, () => {
      const host = new PullHost(pullModule, pluginConfig(compilePipelineProgram(c.config)), convention, decode);
      const got = forwarded(inputs.map(({ bytes, now }) => host.processTraces(bytes, now)));
      expect(digests(inputs, got)).toEqual(digests(inputs, referenceTraces(c.config)));
    });
  }
});

describe.each<V1ImportModule>(['otelwasm', 'opentelemetry.io/wasm'])('ABI v1, host module %s', (module) => {
  for (const c of CASES) {
    it(c.name, () => {
      const host = v1Host(pluginConfig(compilePipelineProgram(c.config)), module);
      expect(host.startComponent(0)).toMatchObject({ status: 0, reason: '' });
      const got = forwarded(inputs.map(({ bytes, now }) => host.consume('traces', bytes, now)));
      expect(digests(inputs, got)).toEqual(digests(inputs, referenceTraces(c.config)));
      expect(host.shutdown()).toBe(0);
    });
  }
});

describe('modules', () => {
  it('are reactors importing only their host\'s functions and WASI\'s clock', () => {
    const imports = (m: WebAssembly.Module) => WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`).sort();
    for (const m of [pullModule, ...v1Modules.values()]) {
      const names = WebAssembly.Module.exports(m).map((e) => e.name);
      expect(names).toContain('_initialize');
      expect(names).toContain('memory');
    }
    expect(imports(pullModule)).toEqual([
      'opentelemetry.io/wasm.currentLogs', 'opentelemetry.io/wasm.currentMetrics', 'opentelemetry.io/wasm.currentTraces', 'opentelemetry.io/wasm.getPluginConfig',
      'opentelemetry.io/wasm.setResultLogs', 'opentelemetry.io/wasm.setResultMetrics', 'opentelemetry.io/wasm.setResultStatusReason', 'opentelemetry.io/wasm.setResultTraces',
      'wasi_snapshot_preview1.clock_time_get',
    ]);
    for (const [module, m] of v1Modules) {
      expect(imports(m)).toEqual([
        `${module}.otelwasm_get_plugin_config`, `${module}.otelwasm_set_result_traces`, `${module}.otelwasm_set_status_reason`, 'wasi_snapshot_preview1.clock_time_get',
      ]);
    }
  });
});

describe('buffer conventions and result handover', () => {
  const c = CASES.find((x) => x.name === 'spanmetrics')!;
  const program = compilePipelineProgram(c.config);
  const large = inputs.find((i) => i.bytes.length > 64 * 1024)!;

  it('pull, zero-if-too-small: a batch over the first buffer is read after growing it', () => {
    const host = new PullHost(pullModule, pluginConfig(program), 'zero-if-too-small', decode);
    const r = host.processTraces(large.bytes, large.now);
    expect(r.status).toBe(0);
    expect(host.log.readCalls.length).toBeGreaterThan(1);
    expect(host.log.readCalls[0]).toBeLessThan(large.bytes.length);
    expect(host.log.readCalls.at(-1)).toBeGreaterThanOrEqual(large.bytes.length);
    expect(Buffer.from(r.traces).equals(Buffer.from(large.bytes))).toBe(true);
    // The next read starts from the size that fitted.
    host.log.readCalls.length = 0;
    host.processTraces(large.bytes, large.now);
    expect(host.log.readCalls).toHaveLength(1);
  });

  it('pull, zero-if-too-small: an empty batch is asked for up to the input limit, then read as empty', () => {
    const host = new PullHost(pullModule, pluginConfig(compilePipelineProgram(c.config, { decode: { maxBytes: 1 << 20 } })), 'zero-if-too-small', decode);
    const r = host.processTraces(new Uint8Array(0), 0);
    expect(r).toMatchObject({ status: 0, resultSet: true });
    expect(r.traces).toHaveLength(0);
    expect(host.log.readCalls.at(-1)).toBe((1 << 20) + 1);
  });

  it('pull, needed-size: the guest takes the size the host asks for', () => {
    const host = new PullHost(pullModule, pluginConfig(program), 'needed-size', decode);
    const r = host.processTraces(large.bytes, large.now);
    expect(r.status).toBe(0);
    expect(host.log.readCalls).toEqual([64 * 1024, large.bytes.length]);
  });

  it('pull: plugin_config is pulled once, grown like a batch', () => {
    const host = new PullHost(pullModule, pluginConfig(program), 'zero-if-too-small', decode);
    host.processTraces(inputs[0]!.bytes, 0);
    host.processTraces(inputs[1]!.bytes, 0);
    const config = JSON.stringify(pluginConfig(program)).length;
    expect(host.log.configCalls.at(-1)).toBeGreaterThanOrEqual(config);
    expect(host.log.configCalls.filter((n) => n >= config)).toHaveLength(1);
  });

  it('pull: metrics and logs go on unchanged (a result is always set: not setting one would empty them)', () => {
    const host = new PullHost(pullModule, pluginConfig(program), 'zero-if-too-small', decode);
    const data = new Uint8Array([0x0a, 0x03, 0x0a, 0x01, 0x00]);
    for (const signal of ['metrics', 'logs'] as const) {
      const r = host.processOther(signal, data, 0);
      expect(r).toMatchObject({ status: 0, resultSet: true });
      expect([...r.traces]).toEqual([...data]);
    }
  });

  it('v1: a request the pipeline leaves as it came passes through (no result set)', () => {
    const host = v1Host(pluginConfig(program));
    host.startComponent(0);
    const r = host.consume('traces', inputs[0]!.bytes, inputs[0]!.now);
    expect(r).toMatchObject({ status: 0, resultSet: false });
    expect(host.log.allocations).toBe(1);
    const sampled = v1Host(pluginConfig(compilePipelineProgram(CASES.find((x) => x.name === 'probabilistic hash_seed')!.config)));
    sampled.startComponent(0);
    expect(sampled.consume('traces', inputs[0]!.bytes, inputs[0]!.now).resultSet).toBe(true);
  });

  it('v1: plugin_config larger than the first buffer is read at the size the host returns', () => {
    const host = v1Host(pluginConfig(compilePipelineProgram(CASES.find((x) => x.name.startsWith('everything'))!.config)));
    expect(host.startComponent(0).status).toBe(0);
    expect(host.log.configCalls).toHaveLength(2);
    expect(host.log.configCalls[1]).toBeGreaterThan(host.log.configCalls[0]!);
  });

  it('v1: an empty batch arrives without an allocation and gives an empty request', () => {
    const host = v1Host(pluginConfig(program));
    host.startComponent(0);
    const r = host.consume('traces', new Uint8Array(0), 0);
    expect(r.status).toBe(0);
    expect(r.traces).toHaveLength(0);
    expect(host.log.allocations).toBe(0);
  });

  it('v1: metrics and logs pass through (no result set)', () => {
    const host = v1Host(pluginConfig(program));
    host.startComponent(0);
    for (const signal of ['metrics', 'logs'] as const) expect(host.consume(signal, new Uint8Array([0x0a, 0x00]), 0)).toMatchObject({ status: 0, resultSet: false });
  });
});

describe('errors are statuses with reasons', () => {
  const c = CASES.find((x) => x.name.startsWith('tail sampling'))!;
  const program = compilePipelineProgram(c.config);
  const corrupt = program.slice();
  corrupt[corrupt.length - 5]! ^= 2;
  const badConfigs: [string, unknown, string][] = [
    ['no plugin_config', undefined, 'plugin_config is empty'],
    ['no program', {}, 'plugin_config.program is missing'],
    ['an unknown key', { program: 'AAAA', path: '/x' }, 'plugin_config: unknown key "path" (known keys: program)'],
    ['a program that is not a string', { program: 7 }, 'plugin_config.program must be a string'],
    ['not base64', { program: 'not base64!' }, 'plugin_config.program is not base64'],
    ['a corrupted program', pluginConfig(corrupt), 'pipeline program: checksum mismatch (the program was corrupted)'],
  ];

  it.each(badConfigs)('pull: %s → INVALID_ARGUMENT', (_name, config, reason) => {
    const host = new PullHost(pullModule, config, 'zero-if-too-small', decode);
    const r = host.processTraces(inputs[0]!.bytes, 0);
    expect(r.status).toBe(2);
    expect(r.reason).toContain(reason);
  });

  it.each(badConfigs)('v1: %s → start fails with the reason, consume refuses', (_name, config, reason) => {
    const host = v1Host(config);
    const started = host.startComponent(0);
    expect(started.status).toBe(1);
    expect(started.reason).toContain(reason);
    const r = host.consume('traces', inputs[0]!.bytes, 0);
    expect(r.status).toBe(1);
    expect(r.reason).toContain('before a successful otelwasm_start');
  });

  it('arbitrary plugin_config text never traps: a status and a reason, or a loaded program', () => {
    // Fragments of JSON, base64 and broken programs, glued at random (seeded).
    let seed = 0x5eed;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const valid = Buffer.from(program).toString('base64');
    const fragments = ['{', '}', '"program"', ':', '"', ',', ' ', 'null', '"x"', '[1]', '\\', '\\u0041', 'é', '\u0000', valid, valid.slice(0, rand(valid.length)), 'AAAA', '====', '"AAAA"', `"${valid}"`];
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: 1 + rand(8) }, () => fragments[rand(fragments.length)]).join('');
      const raw = new TextEncoder().encode(text);
      const v1 = v1Host(raw);
      const started = v1.startComponent(0);
      expect([0, 1], text).toContain(started.status);
      if (started.status) expect(started.reason.length, text).toBeGreaterThan(0);
      const pull = new PullHost(pullModule, raw, 'needed-size', decode);
      const r = pull.processTraces(inputs[0]!.bytes, 0);
      expect([0, 2], text).toContain(r.status);
      expect(r.status === 0, text).toBe(started.status === 0);
    }
  });

  it('malformed requests: the facade\'s decode error as the reason; the plug-in goes on', () => {
    const pull = new PullHost(pullModule, pluginConfig(program), 'zero-if-too-small', decode);
    const v1 = v1Host(pluginConfig(program));
    v1.startComponent(0);
    for (const bad of malformedInputs()) {
      const expected = referenceDecodeError(bad.bytes);
      expect(pull.processTraces(bad.bytes, 0), bad.name).toMatchObject({ status: 2, reason: expected });
      expect(v1.consume('traces', bad.bytes, 0), bad.name).toMatchObject({ status: 1, reason: expected });
    }
    const expected = digests(inputs, referenceTraces(c.config).slice(0, 3));
    expect(digests(inputs, forwarded(inputs.slice(0, 3).map(({ bytes, now }) => pull.processTraces(bytes, now))))).toEqual(expected);
    expect(digests(inputs, forwarded(inputs.slice(0, 3).map(({ bytes, now }) => v1.consume('traces', bytes, now))))).toEqual(expected);
  });

  it('a condition failing under error_mode propagate: the facade\'s message as the reason (pull: 2, v1: 1); the plug-in goes on', () => {
    const config = pluginConfig(compilePipelineProgram(PROPAGATE_CASE.config));
    const pull = new PullHost(pullModule, config, 'zero-if-too-small', decode);
    const v1 = v1Host(config);
    expect(v1.startComponent(0).status).toBe(0);
    const outcome = (r: HostResult, failure: number): RunOutcome => {
      if (r.status === 0) return { traces: r.traces, metrics: new Uint8Array(0) };
      expect(r.status).toBe(failure);
      return { error: r.reason };
    };
    const expected = referenceOutcomes(PROPAGATE_CASE.config, inputs).map((o): RunOutcome => ('error' in o ? o : { traces: o.traces, metrics: new Uint8Array(0) }));
    expect(expected.some((o) => 'error' in o)).toBe(true);
    expect(outcomeDigests(inputs, inputs.map(({ bytes, now }) => outcome(pull.processTraces(bytes, now), 2)))).toEqual(outcomeDigests(inputs, expected));
    expect(outcomeDigests(inputs, inputs.map(({ bytes, now }) => outcome(v1.consume('traces', bytes, now), 1)))).toEqual(outcomeDigests(inputs, expected));
  });

  it('memory: a budget the request\'s index does not fit in is ERROR (pull: 1, not 2), and the plug-in goes on', () => {
    const big = inputs.filter((i) => i.name.startsWith('corpus')).map((i) => i.bytes);
    const request = Buffer.concat([...big, ...big, ...big]);
    const tight = pluginConfig(compilePipelineProgram(c.config, { memoryLimit: Math.round(request.length * 1.3) }));
    const pull = new PullHost(pullModule, tight, 'zero-if-too-small', decode);
    const v1 = v1Host(tight);
    expect(v1.startComponent(0).status).toBe(0);
    const p = pull.processTraces(request, 0);
    // The pull guest may already fail to grow its read buffer; either way the budget is named.
    expect(p.status).toBe(1);
    expect(p.reason).toMatch(/memory budget/);
    const v = v1.consume('traces', request, 0);
    expect(v.status).toBe(1);
    expect(v.reason).toMatch(/memory budget cannot hold \d+ more bytes/);
    expect(pull.processTraces(inputs[0]!.bytes, inputs[0]!.now).status).toBe(0);
    expect(v1.consume('traces', inputs[0]!.bytes, inputs[0]!.now).status).toBe(0);
  });
});
