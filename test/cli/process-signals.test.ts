// `otel-sieve process` with logs and metrics inputs: the inputs' signal (JSON key, or which decoder
// accepts the protobuf) picks the config's pipelines of that signal; logs that follow their traces
// need the traces too, so a config may run several signals while the inputs hold one; a config
// without a pipeline for the inputs' signal is a usage error (exit 2) naming what to add.
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from 'otel-sieve';
import { runCli } from '../helpers/cli.js';
import { decodedLogs, decodedPoints, logsRequest, metricsRequest } from '../helpers/signal-requests.js';

const dir = mkdtempSync(join(tmpdir(), 'otel-sieve-process-signals-'));

beforeAll(async () => {
  await init();
});

const config = `receivers:
  otlp:
    protocols:
      http: {}
processors:
  redaction:
    allow_all_keys: true
    blocked_key_patterns: ["secret"]
  attributes:
    include:
      match_type: strict
      metric_names: [requests]
    actions:
      - key: env
        value: prod
        action: insert
  batch:
    send_batch_size: 2
exporters:
  debug: {}
service:
  pipelines:
    logs:
      receivers: [otlp]
      processors: [redaction, batch]
      exporters: [debug]
    metrics:
      receivers: [otlp]
      processors: [attributes, batch]
      exporters: [debug]
`;

describe('otel-sieve process with logs and metrics', () => {
  it('runs the logs pipeline over protobuf logs and writes the result; end of input flushes the batch', () => {
    writeFileSync(join(dir, 'c.yaml'), config);
    writeFileSync(join(dir, 'logs.pb'), logsRequest([{ records: [{ body: 'a', attrs: { secret: 'x', ok: 1 } }, { body: 'b' }, { body: 'c', attrs: { secret: 'y' } }] }]));
    const r = runCli(['process', '--config', join(dir, 'c.yaml'), '--input', join(dir, 'logs.pb'), '--output', join(dir, 'out.pb')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = decodedLogs(new Uint8Array(readFileSync(join(dir, 'out.pb'))));
    expect(out.map((l) => [l.body, l.attrs])).toEqual([['a', { secret: '****', ok: 1n }], ['b', {}], ['c', { secret: '****' }]]);
  });

  it('runs the metrics pipeline over OTLP/JSON metrics', () => {
    const pb = metricsRequest([{ metrics: [{ name: 'requests', type: 'sum', points: [{ attrs: { route: '/a' } }] }, { name: 'other', points: [{ attrs: {} }] }] }]);
    writeFileSync(join(dir, 'metrics.pb'), pb);
    expect(runCli(['convert', join(dir, 'metrics.pb'), '--output', join(dir, 'metrics.json')]).code).toBe(0);
    const r = runCli(['process', '--config', join(dir, 'c.yaml'), '--input', join(dir, 'metrics.json'), '--output', join(dir, 'm.pb')]);
    expect(r.code).toBe(0);
    expect(decodedPoints(new Uint8Array(readFileSync(join(dir, 'm.pb')))).map((p) => [p.metric, p.attrs])).toEqual([['requests', { route: '/a', env: 'prod' }], ['other', {}]]);
  });

  it('a config without a pipeline for the inputs\' signal: exit 2 with what to add', () => {
    writeFileSync(join(dir, 'traces-only.yaml'), config.replace(/ {4}logs:[\s\S]*$/, '    traces:\n      receivers: [otlp]\n      processors: [batch]\n      exporters: [debug]\n'));
    const r = runCli(['process', '--config', join(dir, 'traces-only.yaml'), '--input', join(dir, 'logs.pb'), '--output', join(dir, 'x.pb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the inputs hold logs, but ${join(dir, 'traces-only.yaml')} has no logs pipeline taking data from a receiver (add service.pipelines.logs with receivers: [otlp])`);
  });
});
