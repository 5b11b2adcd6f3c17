// `otel-sieve convert` and the CLI's contract: formats by extension, stdin/stdout, merging inputs,
// exit codes (0 ok, 2 bad input or usage) and messages naming the file and position.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, TraceBatch } from 'otel-sieve';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { expectedJson } from '../helpers/oracle-json.js';

const dir = mkdtempSync(join(tmpdir(), 'otel-sieve-cli-'));
const shopPb = join(FIXTURES, 'sdk/shop.pb');
const minimalPb = join(FIXTURES, 'sdk/minimal.pb');

beforeAll(async () => {
  await init();
});

describe('otel-sieve convert', () => {
  it('protobuf → JSON → protobuf gives back the same spans', () => {
    const json = join(dir, 'shop.json');
    const pb = join(dir, 'shop.pb');
    expect(runCli(['convert', shopPb, '--output', json]).code).toBe(0);
    expect(runCli(['convert', json, '--output', pb]).code).toBe(0);
    const original = TraceBatch.fromProtobuf(new Uint8Array(readFileSync(shopPb)));
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(original)));
    // The SDK writes explicit zeros that proto3 omits; compare what the oracle decodes, normalised.
    expect(expectedJson(new Uint8Array(readFileSync(pb)))).toEqual(expectedJson(new Uint8Array(readFileSync(shopPb))));
  });

  it('several inputs merge into one request; .jsonl writes one request per line', () => {
    const merged = join(dir, 'merged.pb');
    const lines = join(dir, 'lines.jsonl');
    expect(runCli(['convert', shopPb, minimalPb, '--output', merged]).code).toBe(0);
    expect(runCli(['convert', shopPb, minimalPb, '--output', lines]).code).toBe(0);
    const n = (f: string) => TraceBatch.fromProtobuf(new Uint8Array(readFileSync(f))).spanCount;
    expect(TraceBatch.fromProtobuf(new Uint8Array(readFileSync(merged))).spanCount).toBe(n(shopPb) + n(minimalPb));
    const text = readFileSync(lines, 'utf8').trimEnd().split('\n');
    expect(text.length).toBe(2);
    const back = join(dir, 'back.pb');
    expect(runCli(['convert', lines, '--output', back]).code).toBe(0);
    expect(expectedJson(new Uint8Array(readFileSync(back)))).toEqual(expectedJson(new Uint8Array(readFileSync(merged))));
  });

  it('stdin and stdout: protobuf in (sniffed), JSON out by default', () => {
    const r = runCli(['convert', '-', '--output', '-'], { input: readFileSync(minimalPb) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(TraceBatch.fromProtobuf(new Uint8Array(readFileSync(minimalPb))))));
    const back = runCli(['convert', '-', '--output', '-'], { input: r.stdout });
    expect(back.code).toBe(0);
    expect(expectedJson(new Uint8Array(back.stdoutBytes))).toEqual(expectedJson(new Uint8Array(readFileSync(minimalPb))));
  });

  it('malformed protobuf: exit 2, the file, byte offset and rule', () => {
    const bad = join(dir, 'bad.pb');
    writeFileSync(bad, Uint8Array.from([0x0a, 0x05, 0x00]));
    const r = runCli(['convert', bad, '--output', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`otel-sieve convert: ${bad}: byte 1 (ExportTraceServiceRequest field 1): length past end — length prefix says 5 bytes but the enclosing message ends sooner (input is 3 bytes)\n`);
  });

  it('malformed JSON lines: exit 2 with the file line and column', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"resourceSpans":[]}\n\n{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"xyz"}]}]}]}\n');
    const r = runCli(['convert', bad, '--output', join(dir, 'x.pb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`otel-sieve convert: ${bad}: line 3, column 54 (resourceSpans[0].scopeSpans[0].spans[0].spanId): span id must be 16 hex digits, got 3\n`);
  });

  it('usage errors exit 2', () => {
    expect(runCli(['convert', shopPb]).code).toBe(2);
    expect(runCli(['convert', shopPb]).stderr).toContain('--output is required');
    expect(runCli(['convert', shopPb, '--output', join(dir, 'x.txt')]).stderr).toContain('cannot tell the format of');
    expect(runCli(['convert', join(dir, 'missing.pb'), '--output', join(dir, 'x.json')]).stderr).toContain('cannot read (ENOENT)');
    expect(runCli(['frobnicate']).code).toBe(2);
    expect(runCli(['convert', '--bogus']).stderr).toContain('unknown option --bogus');
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: otel-sieve <command>');
    expect(runCli([]).code).toBe(2);
  });
});
