// The debug exporter's three verbosities (the collector's layouts), log and metric batches, and log sampling; the file
// exporter's OTLP/JSON lines, append/truncate, size rotation with backup pruning, failures counted.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from 'otel-sieve';
import { FileExporter } from 'otel-sieve/file-exporter';
import { protobufRequest, SAMPLE_SPANS, spanIdHex, traceIdHex } from './helpers/otlp-samples.js';
import { decodeTraces } from '../helpers/oracle.js';
import { logsRequest, metricsRequest } from '../helpers/signal-requests.js';

let dir: string;
beforeAll(async () => {
  await api.init();
  dir = mkdtempSync(join(tmpdir(), 'otel-sieve-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batch(spans = SAMPLE_SPANS): api.TraceBatch {
  return api.TraceBatch.fromProtobuf(protobufRequest(spans));
}

describe('debug exporter', () => {
  it('basic prints one summary line per batch', async () => {
    const out: string[] = [];
    const e = new api.DebugExporter({}, { write: (t) => out.push(t) });
    expect(await e.export(batch())).toEqual({ delivered: 6, lost: 0 });
    expect(out).toEqual(['Traces {"resource spans": 1, "spans": 6}']);
  });

  it('normal adds a line per span: name, trace id, span id, attributes', async () => {
    const out: string[] = [];
    await new api.DebugExporter({ verbosity: 'normal' }, { write: (t) => out.push(t) }).export(batch());
    const lines = out[0]!.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[3]).toBe(`POST /checkout ${traceIdHex(2)} ${spanIdHex(2, 1)} user.email=a@example.com http.status_code=500`);
    expect(lines[1]).toBe(`GET /health ${traceIdHex(1)} ${spanIdHex(1, 1)}`);
  });

  it('detailed dumps resources, scopes and spans in the collector layout', async () => {
    const out: string[] = [];
    await new api.DebugExporter({ verbosity: 'detailed' }, { write: (t) => out.push(t) }).export(batch(SAMPLE_SPANS.slice(2, 4)));
    expect(out[0]).toBe([
      'Traces {"resource spans": 1, "spans": 2}',
      'ResourceSpans #0',
      'Resource SchemaURL: ',
      'Resource attributes:',
      '     -> service.name: Str(checkout)',
      'ScopeSpans #0',
      'ScopeSpans SchemaURL: ',
      'InstrumentationScope samples 1.0.0',
      'Span #0',
      `    Trace ID       : ${traceIdHex(2)}`,
      '    Parent ID      : ',
      `    ID             : ${spanIdHex(2, 1)}`,
      '    Name           : POST /checkout',
      '    Kind           : Server',
      '    Start time     : 2023-11-14 22:13:20.001 +0000 UTC',
      '    End time       : 2023-11-14 22:13:20.006 +0000 UTC',
      '    Status code    : Unset',
      '    Status message : ',
      'Attributes:',
      '     -> user.email: Str(a@example.com)',
      '     -> http.status_code: Int(500)',
      'Span #1',
      `    Trace ID       : ${traceIdHex(2)}`,
      `    Parent ID      : ${spanIdHex(2, 1)}`,
      `    ID             : ${spanIdHex(2, 2)}`,
      '    Name           : charge card',
      '    Kind           : Client',
      '    Start time     : 2023-11-14 22:13:20.002 +0000 UTC',
      '    End time       : 2023-11-14 22:13:20.007 +0000 UTC',
      '    Status code    : Error',
      '    Status message : boom',
    ].join('\n'));
  });

  it('samples output per second like the collector (sampling_initial, sampling_thereafter) but delivers everything', async () => {
    const out: string[] = [];
    let now = 5_000;
    const e = new api.DebugExporter({ sampling_initial: 2, sampling_thereafter: 3 }, { write: (t) => out.push(t), now: () => now });
    for (let i = 0; i < 8; i++) await e.export(batch());
    // 1, 2 (initial), then every third: 5, 8.
    expect(out).toHaveLength(4);
    now = 6_000;
    await e.export(batch());
    expect(out).toHaveLength(5);
    expect(e.stats()).toMatchObject({ received: 54, delivered: 54 });
  });

  it('in a logs or metrics pipeline (signals): the summary line, then a line per record (body, attributes) or per data point', async () => {
    const logs = logsRequest([
      { attrs: { 'service.name': 'a' }, records: [{ body: 'disk full', severity: 17, attrs: { 'disk.id': 3, mount: '/var' } }, { body: { kvlist: { k: 'v' } } }] },
      { records: [{ body: 'done' }] },
    ]);
    const metrics = metricsRequest([{ metrics: [
      { name: 'queue.depth', type: 'gauge', points: [{ attrs: { worker: 'w1' }, value: 4 }, { value: 5.5 }] },
      { name: 'latency', type: 'histogram', points: [{ attrs: { route: '/' }, value: 12 }] },
      { name: 'rpc', type: 'summary', points: [{ value: 2 }] },
    ] }]);
    const out: string[] = [];
    const e = new api.DebugExporter({ verbosity: 'normal' }, { write: (t) => out.push(t), signals: ['logs', 'metrics'] });
    expect(e.signals).toEqual(['logs', 'metrics']);
    expect(await e.export(api.LogBatch.fromProtobuf(logs))).toEqual({ delivered: 3, lost: 0 });
    expect(await e.export(api.MetricBatch.fromProtobuf(metrics))).toEqual({ delivered: 4, lost: 0 });
    expect(out[0]!.split('\n')).toEqual(['Logs {"resource logs": 2, "log records": 3}', 'disk full disk.id=3 mount=/var', '{"k":"v"}', 'done']);
    expect(out[1]!.split('\n')).toEqual([
      'Metrics {"resource metrics": 1, "metrics": 3, "data points": 4}',
      'queue.depth{worker=w1} 4',
      'queue.depth{} 5.5',
      'latency{route=/} count=2 sum=12',
      'rpc{} count=1 sum=2 q0.5=2',
    ]);
    expect(e.stats()).toMatchObject({ received: 7, delivered: 7 });
    const basic: string[] = [];
    await new api.DebugExporter({}, { write: (t) => basic.push(t), signals: ['logs'] }).export(api.LogBatch.fromProtobuf(logs));
    expect(basic).toEqual(['Logs {"resource logs": 2, "log records": 3}']);
    // Without `signals` it takes traces only, as before.
    expect(new api.DebugExporter().signals).toEqual(['traces']);
  });

  it('rejects unknown keys and verbosities', () => {
    expect(() => new api.DebugExporter({ verbosity: 'loud' as 'basic' })).toThrow(/^debug.verbosity: expected basic, normal or detailed, got "loud"$/);
    expect(() => new api.DebugExporter({ loglevel: 'debug' } as object)).toThrow(/^debug: unknown key "loglevel"/);
  });
});

describe('file exporter', () => {
  const keys = (line: string) => {
    const doc = JSON.parse(line);
    return doc.resourceSpans.flatMap((rs: { scopeSpans: { spans: { spanId: string }[] }[] }) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId)));
  };

  it('writes one OTLP/JSON request per line, truncating at start unless append', async () => {
    const path = join(dir, 'a', 'traces.json');
    mkdirSync(join(dir, 'a'));
    writeFileSync(path, 'old line\n');
    const e = new FileExporter({ path });
    expect(await e.export(batch())).toEqual({ delivered: 6, lost: 0 });
    expect(await e.export(batch(SAMPLE_SPANS.slice(0, 1)))).toEqual({ delivered: 1, lost: 0 });
    await e.shutdown();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(keys(lines[0]!)).toEqual(SAMPLE_SPANS.map((s) => spanIdHex(s.trace, s.span)));
    // Each line is exactly the strict OTLP/JSON form of the batch.
    expect(lines[1]).toBe(JSON.stringify(batch(SAMPLE_SPANS.slice(0, 1)).toJSON()));
    const appending = new FileExporter({ path, append: true }, { onFailure: () => {} });
    await appending.export(batch());
    await appending.shutdown();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
    expect(await appending.export(batch())).toMatchObject({ delivered: 0, lost: 6 });
    expect(appending.stats()).toMatchObject({ delivered: 6, dropped: 6 });
  });

  it('rotates by size into timestamped backups and keeps max_backups', async () => {
    const sub = join(dir, 'rot');
    const path = join(sub, 'spans.jsonl');
    let now = Date.parse('2026-11-21T10:00:00.000Z');
    const line = JSON.stringify(batch().toJSON()).length + 1;
    // Room for two lines per file.
    const e = new FileExporter({ path, rotation: { max_megabytes: (2 * line + 10) / (1024 * 1024), max_backups: 2 } }, { now: () => (now += 1000) });
    for (let i = 0; i < 9; i++) expect((await e.export(batch())).delivered).toBe(6);
    await e.shutdown();
    const files = readdirSync(sub).sort();
    expect(files).toEqual(['spans-2026-11-21T10-00-03.000.jsonl', 'spans-2026-11-21T10-00-04.000.jsonl', 'spans.jsonl']);
    expect(readFileSync(join(sub, 'spans.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    for (const f of files.slice(0, 2)) expect(readFileSync(join(sub, f), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    // Every line decodes as OTLP/JSON with all six spans.
    for (const f of files) for (const l of readFileSync(join(sub, f), 'utf8').split('\n').filter(Boolean)) expect(keys(l)).toHaveLength(6);
  });

  it('deletes backups older than max_days', async () => {
    const sub = join(dir, 'days');
    mkdirSync(sub);
    const old = join(sub, 'spans-2020-01-01T00-00-00.000.jsonl');
    writeFileSync(old, '{}\n');
    utimesSync(old, new Date('2020-01-01'), new Date('2020-01-01'));
    const path = join(sub, 'spans.jsonl');
    const e = new FileExporter({ path, rotation: { max_megabytes: 1 / (1024 * 1024), max_days: 1, max_backups: 0 } });
    await e.export(batch());
    await e.export(batch());
    await e.shutdown();
    const files = readdirSync(sub);
    expect(files).not.toContain('spans-2020-01-01T00-00-00.000.jsonl');
    expect(files.filter((f) => f.startsWith('spans-'))).toHaveLength(1);
  });

  it('counts and reports a failed write instead of losing it silently', async () => {
    const failures: api.ExportFailure[] = [];
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const e = new FileExporter({ path: join(blocker, 'traces.json') }, { onFailure: (f) => failures.push(f) });
    const outcome = await e.export(batch());
    expect(outcome.lost).toBe(6);
    expect(outcome.error?.message).toMatch(/^writing .*traces\.json failed: /);
    expect(failures.map((f) => [f.kind, f.items])).toEqual([['failed', 6]]);
    expect(e.stats().failed).toBe(6);
  });

  it('checks its config', () => {
    expect(() => new FileExporter({} as { path: string })).toThrow(/^file.path: required$/);
    expect(() => new FileExporter({ path: 'x', format: 'proto' as 'json' })).toThrow(/only "json"/);
    expect(() => new FileExporter({ path: 'x', compression: 'zstd' } as { path: string })).toThrow(/unknown or unsupported key "compression"/);
    expect(() => new FileExporter({ path: 'x', rotation: { max_megabytes: 0 } })).toThrow(/max_megabytes: expected a positive number/);
  });

  it('decodes back to the same spans with the oracle after a JSON round trip', async () => {
    const path = join(dir, 'oracle.json');
    const e = new FileExporter({ path });
    await e.export(batch());
    await e.shutdown();
    const pb = api.TraceBatch.fromJSON(readFileSync(path, 'utf8').trim()).toProtobuf();
    const doc = decodeTraces(pb);
    expect(doc.resourceSpans[0].scopeSpans[0].spans).toHaveLength(6);
  });
});
