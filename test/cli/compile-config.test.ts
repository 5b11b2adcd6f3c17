// `otel-sieve compile-config`: the program it writes is the one compilePipelineProgram gives (a
// compile is deterministic), runs like the config's Pipeline, comes as base64 for plugin_config on
// request, and bad configs, refused components and bad flags exit 2 with the reason.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, compilePipelineProgram, PipelineProgramRunner } from 'otel-sieve';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import * as PG from '../../assembly/abi/pipeline-program-layout.js';

const dir = mkdtempSync(join(tmpdir(), 'otel-sieve-compile-'));
const CONFIG = `receivers:
  otlp:
    protocols: { http: {} }
processors:
  probabilistic_sampler: { sampling_percentage: 50 }
  redaction: { allow_all_keys: true, blocked_key_patterns: ['^http'] }
connectors:
  spanmetrics: {}
exporters:
  debug: {}
service:
  pipelines:
    traces: { receivers: [otlp], processors: [probabilistic_sampler, redaction], exporters: [debug, spanmetrics] }
    metrics: { receivers: [spanmetrics], exporters: [debug] }
`;
const configPath = join(dir, 'c.yaml');

beforeAll(async () => {
  await init();
  writeFileSync(configPath, CONFIG);
});

describe('otel-sieve compile-config', () => {
  it('writes the program compilePipelineProgram gives, which runs', () => {
    const out = join(dir, 'c.pipeline');
    const r = runCli(['compile-config', '--config', configPath, '--output', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const program = new Uint8Array(readFileSync(out));
    expect(Buffer.from(program).equals(Buffer.from(compilePipelineProgram(CONFIG)))).toBe(true);
    const runner = PipelineProgramRunner.load(program);
    const { metrics } = runner.process(new Uint8Array(readFileSync(join(FIXTURES, 'sdk/shop.pb'))), 1_717_200_000_000);
    runner.dispose();
    expect(metrics.length).toBeGreaterThan(0);
  });

  it('--base64 to stdout: the text for plugin_config.program', () => {
    const r = runCli(['compile-config', '--config', configPath, '--output', '-', '--base64']);
    expect(r.code).toBe(0);
    expect(Buffer.from(r.stdout.trim(), 'base64').equals(Buffer.from(compilePipelineProgram(CONFIG)))).toBe(true);
  });

  it('--memory-limit lands in the program header', () => {
    const out = join(dir, 'limited.pipeline');
    expect(runCli(['compile-config', '--config', configPath, '--output', out, '--memory-limit', '8388608']).code).toBe(0);
    expect(readFileSync(out).readUInt32LE(PG.PG_MEMORY_LIMIT)).toBe(8388608);
  });

  it.each([
    ['a config error', 'processors:\n  redaction:\n    allow_all_keyz: true\n', /^otel-sieve compile-config: .*c2\.yaml: line 3, column 5: processors\.redaction/],
    ['a component a program cannot carry', CONFIG.replace('probabilistic_sampler: { sampling_percentage: 50 }', 'batch: {}').replace('processors: [probabilistic_sampler, redaction]', 'processors: [batch, redaction]'), /processors\.batch: batch is not part of a pipeline program/],
  ])('%s exits 2 with the reason', (_name, text, message) => {
    const path = join(dir, 'c2.yaml');
    writeFileSync(path, text);
    const r = runCli(['compile-config', '--config', path, '--output', join(dir, 'x.pipeline')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    [['--output', 'x'], '--config is required'],
    [['--config', 'c.yaml'], '--output is required'],
    [['--config', 'c.yaml', '--output', 'x', '--memory-limit', 'lots'], '--memory-limit must be a whole number of bytes'],
    [['--config', join(dir, 'missing.yaml'), '--output', 'x'], 'missing.yaml: cannot read (ENOENT)'],
  ])('usage: %j', (args, message) => {
    const r = runCli(['compile-config', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
