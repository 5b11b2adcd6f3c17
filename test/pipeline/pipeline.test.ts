// The pipeline: processors in order on an injectable clock, batch (checklist 41), memory_limiter
// (42), connectors fed from the traces pipeline through the registry, several traces pipelines,
// and the CLI's process command end to end.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Pipeline, TraceBatch, builtinComponents } from 'otel-sieve';
import type { TracesToMetricsConnector } from 'otel-sieve';
import { buildRequest, decodedSpans } from '../helpers/build-request.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { decodeTraces } from '../helpers/oracle.js';
import { MemoryLimiterProcessor } from '../../src/processors/memory-limiter/memory-limiter-processor.js';
import { memoryLimiterProcessorFactory } from '../../src/processors/memory-limiter/memory-limiter-factory.js';
import type { MemoryLimiterConfig } from '../../src/processors/memory-limiter/memory-limiter-config.js';

beforeAll(async () => {
  await init();
});

const spans = (n: number, prefix = 's') => buildRequest([{ attrs: { 'service.name': 'a' }, spans: Array.from({ length: n }, (_, i) => ({ trace: `${prefix.charCodeAt(0).toString(16)}0${i.toString(16)}`, name: `${prefix}${i}` })) }]);
const names = (b: TraceBatch[]) => decodedSpans(drain(b)).map((s) => s.name);

describe('batch processor', () => {
  it('sends once send_batch_size spans are buffered', () => {
    const p = pipelineWith({ batch: { send_batch_size: 5, timeout: '1s' } });
    expect(p.process(TraceBatch.fromProtobuf(spans(3, 'a')), 0)).toEqual([]);
    const out = p.process(TraceBatch.fromProtobuf(spans(3, 'b')), 10);
    expect(out.length).toBe(1);
    expect(names(out)).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2']);
  });
  it('sends on timeout, one chunk per expiry, on the caller clock', () => {
    const p = pipelineWith({ batch: { send_batch_size: 100, timeout: '200ms' } });
    p.process(TraceBatch.fromProtobuf(spans(2)), 0);
    expect(p.tick(199)).toEqual([]);
    expect(names(p.tick(200))).toEqual(['s0', 's1']);
  });
  it('splits at send_batch_max_size keeping resource and scope', () => {
    const p = pipelineWith({ batch: { send_batch_size: 4, send_batch_max_size: 4, timeout: '1s' } });
    const out = p.process(TraceBatch.fromProtobuf(spans(10)), 0);
    expect(out.map((b) => b.spanCount)).toEqual([4, 4]);
    const first = decodeTraces(out[0]!.toProtobuf());
    expect(first.resourceSpans[0].resource.attributes[0].key).toBe('service.name');
    drain(out);
    expect(names(p.flush(0))).toEqual(['s8', 's9']);
  });
  it('timeout 0 sends at once (splitting only)', () => {
    const p = pipelineWith({ batch: { timeout: 0, send_batch_size: 3, send_batch_max_size: 3 } });
    expect(p.process(TraceBatch.fromProtobuf(spans(7)), 0).map((b) => b.spanCount)).toEqual([3, 3, 1]);
  });
  it('defaults: 8192 / 200ms / no max', () => {
    const p = pipelineWith({ batch: {} });
    expect(p.process(TraceBatch.fromProtobuf(spans(10)), 0)).toEqual([]);
    expect(p.tick(200).map((b) => b.spanCount)).toEqual([10]);
  });
  it('flush sends everything buffered', () => {
    const p = pipelineWith({ batch: { send_batch_size: 100 } });
    p.process(TraceBatch.fromProtobuf(spans(3)), 0);
    expect(names(p.flush(0))).toEqual(['s0', 's1', 's2']);
  });
});

describe('memory_limiter', () => {
  // The reader is injected so the test controls "memory in use"; production reads the core's
  // accounted allocator.
  const withReader = (limiter: Record<string, unknown>, read: () => { used: number; cap: number }) => {
    const registry = builtinComponents().registerProcessor({
      ...memoryLimiterProcessorFactory,
      create: (config, ctx) => new MemoryLimiterProcessor(config as MemoryLimiterConfig, ctx, read),
    });
    return Pipeline.fromConfig({
      receivers: { otlp: { protocols: { http: {} } } }, processors: { memory_limiter: limiter }, exporters: { debug: {} },
      service: { pipelines: { traces: { receivers: ['otlp'], processors: ['memory_limiter'], exporters: ['debug'] } } },
    }, { registry });
  };
  const MiB = 1024 * 1024;

  it('refuses with a retryable error above the soft limit and accepts again below it', () => {
    let used = 50 * MiB;
    const p = withReader({ check_interval: '1s', limit_mib: 100, spike_limit_mib: 20 }, () => ({ used, cap: 1024 * MiB }));
    drain(p.process(TraceBatch.fromProtobuf(spans(1)), 0));
    used = 81 * MiB;
    const next = TraceBatch.fromProtobuf(spans(1));
    // Still the old reading until check_interval has passed.
    drain(p.process(TraceBatch.fromProtobuf(spans(1)), 500));
    let err: unknown;
    try {
      p.process(next, 1000);
    } catch (e) {
      err = e;
    }
    expect((err as Error).name).toBe('DataRefusedError');
    expect((err as { retryable: boolean }).retryable).toBe(true);
    expect((err as Error).message).toBe('memory_limiter: data refused due to high memory usage (81.0 MiB in use, soft limit 80.0 MiB); retry after 1000 ms');
    expect(next.isDisposed).toBe(false);
    used = 79 * MiB;
    expect(() => drain(p.process(next, 2000))).not.toThrow();
    expect(p.counters()['traces/memory_limiter']).toMatchObject({ refused_spans: 1, accepted_spans: 3 });
  });
  it('spike defaults to 20 % of the limit; limit_percentage is a share of the core memory cap', () => {
    const p = withReader({ check_interval: '1s', limit_mib: 100 }, () => ({ used: 80 * MiB, cap: 0 }));
    expect(() => p.process(TraceBatch.fromProtobuf(spans(1)), 0)).toThrow('soft limit 80.0 MiB');
    const q = withReader({ check_interval: '1s', limit_percentage: 50, spike_limit_percentage: 10 }, () => ({ used: 399 * MiB, cap: 1000 * MiB }));
    expect(() => drain(q.process(TraceBatch.fromProtobuf(spans(1)), 0))).not.toThrow();
  });
  it('reads the core allocator by default', () => {
    const p = pipelineWith({ memory_limiter: { check_interval: '1s', limit_mib: 10000 } });
    expect(() => drain(p.process(TraceBatch.fromProtobuf(spans(1)), 0))).not.toThrow();
  });
});

describe('pipelines and connectors', () => {
  it('runs processors in the listed order', () => {
    // redaction first removes "secret"; the attributes insert after it survives.
    const p = pipelineWith({
      redaction: { allowed_keys: ['keep'] },
      attributes: { actions: [{ key: 'secret', value: 'back', action: 'insert' }] },
    }, ['redaction', 'attributes']);
    const out = decodedSpans(drain(p.process(TraceBatch.fromProtobuf(buildRequest([{ spans: [{ trace: 'a', attrs: { keep: 1, secret: 'x' } }] }])), 0)));
    expect(out[0]!.attrs).toEqual({ keep: 1n, secret: 'back' });
  });
  it('feeds registered connectors from the traces pipeline and checks them as receivers', () => {
    const seen: number[] = [];
    const registry = builtinComponents().registerConnector({
      type: 'counting',
      readConfig: (r) => ({ label: r.string('label', '') }),
      create: (_c, ctx): TracesToMetricsConnector => ({ id: ctx.id, consume: (b) => void seen.push(b.spanCount), collect: () => seen }),
    });
    const p = Pipeline.fromConfig({
      receivers: { otlp: { protocols: { http: {} } } },
      connectors: { counting: { label: 'x' } },
      exporters: { debug: {}, prometheus: { endpoint: '0.0.0.0:9090' } },
      service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['counting', 'debug'] }, 'metrics/derived': { receivers: ['counting'], exporters: ['prometheus'] } } },
    }, { registry });
    drain(p.process(TraceBatch.fromProtobuf(spans(4)), 0));
    expect(seen).toEqual([4]);
    expect(p.connectors.get('counting')!.collect(0)).toEqual([4]);
  });
  it('gives each traces pipeline its own copy of the input', () => {
    const p = Pipeline.fromConfig({
      receivers: { otlp: { protocols: { http: {} } } },
      processors: { 'attributes/a': { actions: [{ key: 'p', value: 'a', action: 'insert' }] }, 'attributes/b': { actions: [{ key: 'p', value: 'b', action: 'insert' }] } },
      exporters: { debug: {} },
      service: { pipelines: { 'traces/a': { receivers: ['otlp'], processors: ['attributes/a'], exporters: ['debug'] }, 'traces/b': { receivers: ['otlp'], processors: ['attributes/b'], exporters: ['debug'] } } },
    });
    const out = decodedSpans(drain(p.process(TraceBatch.fromProtobuf(spans(1)), 0)));
    expect(out.map((s) => s.attrs.p)).toEqual(['a', 'b']);
  });
  it('routes output by pipeline and counts spans into and out of each processor', () => {
    const p = Pipeline.fromConfig({
      receivers: { otlp: { protocols: { http: {} } } },
      processors: {
        'tail_sampling': { decision_wait: '1s', policies: [{ name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } }] },
        'attributes': { actions: [{ key: 'p', value: 'x', action: 'insert' }] },
      },
      exporters: { debug: {}, 'debug/2': {} },
      service: { pipelines: {
        'traces/sampled': { receivers: ['otlp'], processors: ['tail_sampling', 'attributes'], exporters: ['debug'] },
        'traces/all': { receivers: ['otlp'], processors: ['attributes'], exporters: ['debug/2'] },
      } },
    });
    const req = buildRequest([{ spans: [{ trace: 'a1', status: 2 }, { trace: 'a1' }, { trace: 'b2' }] }]);
    const first = p.processRouted(TraceBatch.fromProtobuf(req), 0);
    expect(first.map((r) => [r.pipeline, r.batch.spanCount])).toEqual([['traces/all', 3]]);
    const decided = p.flushRouted(5_000);
    expect(decided.map((r) => [r.pipeline, r.batch.spanCount])).toEqual([['traces/sampled', 2]]);
    for (const r of [...first, ...decided]) r.batch.dispose();
    expect(p.processorItems()).toEqual([
      { pipeline: 'traces/sampled', signal: 'traces', processor: 'tail_sampling', type: 'tail_sampling', incoming: 3, outgoing: 2 },
      { pipeline: 'traces/sampled', signal: 'traces', processor: 'attributes', type: 'attributes', incoming: 2, outgoing: 2 },
      { pipeline: 'traces/all', signal: 'traces', processor: 'attributes', type: 'attributes', incoming: 3, outgoing: 3 },
    ]);
  });
  it('copies a batch the decode limits truncated (shorter re-written bytes) for the second pipeline', () => {
    const p = Pipeline.fromConfig({
      receivers: { otlp: { protocols: { http: {} } } },
      exporters: { debug: {}, 'debug/2': {} },
      service: { pipelines: { 'traces/a': { receivers: ['otlp'], exporters: ['debug'] }, 'traces/b': { receivers: ['otlp'], exporters: ['debug/2'] } } },
    });
    const attrs = Object.fromEntries(Array.from({ length: 140 }, (_, i) => [`k${i}`, i]));
    const batch = TraceBatch.fromProtobuf(buildRequest([{ spans: [{ trace: 'c3', attrs }] }]));
    const out = p.process(batch, 0);
    expect(out.map((b) => b.span(0).attributes.length)).toEqual([128, 128]);
    expect(out.map((b) => b.span(0).droppedAttributesCount)).toEqual([12, 12]);
    for (const b of out) b.dispose();
  });
  it('uses the clock option when no time is passed', () => {
    let now = 0;
    const p = Pipeline.fromConfig({
      receivers: { otlp: { protocols: { http: {} } } }, processors: { batch: { timeout: '1s', send_batch_size: 100 } }, exporters: { debug: {} },
      service: { pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['debug'] } } },
    }, { clock: () => now });
    p.process(TraceBatch.fromProtobuf(spans(2)));
    expect(p.tick()).toEqual([]);
    now = 1000;
    expect(p.tick().length).toBe(1);
  });
});

describe('otel-sieve process', () => {
  const bin = join(import.meta.dirname, '../../bin/otel-sieve.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'otel-sieve-process-'));
  const config = `receivers:
  otlp:
    protocols:
      grpc: { endpoint: 0.0.0.0:4317 }
      http: { endpoint: 0.0.0.0:4318 }
processors:
  batch: { send_batch_size: 10000, timeout: 10s }
  tail_sampling:
    decision_wait: 30s
    policies:
      - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }
exporters:
  debug: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [tail_sampling, batch]
      exporters: [debug]
`;
  writeFileSync(join(dir, 'c.yaml'), config);
  writeFileSync(join(dir, 'a.pb'), buildRequest([{ spans: [{ trace: 'a', status: 2, name: 'err' }, { trace: 'b', name: 'ok' }] }]));
  writeFileSync(join(dir, 'b.pb'), buildRequest([{ spans: [{ trace: 'a', name: 'late' }] }]));

  it('runs the traces pipeline over the inputs and flushes every buffer at the end', () => {
    execFileSync(process.execPath, [bin, 'process', '--config', join(dir, 'c.yaml'), '--input', join(dir, 'a.pb'), join(dir, 'b.pb'), '--output', join(dir, 'out.pb')]);
    expect(decodedSpans(readFileSync(join(dir, 'out.pb'))).map((s) => s.name)).toEqual(['err', 'late']);
  });
  it('exits 2 with the file, line and column of a config error', () => {
    writeFileSync(join(dir, 'bad.yaml'), config.replace('timeout: 10s', 'timeout: 10'));
    const r = spawnSync(process.execPath, [bin, 'process', '--config', join(dir, 'bad.yaml'), '--input', join(dir, 'a.pb'), '--output', join(dir, 'o.pb')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'bad.yaml')}: line 7, column 45: processors.batch.timeout: expected a duration`);
  });
  it('--metrics-output writes what the connectors derived', () => {
    writeFileSync(join(dir, 'm.yaml'), `receivers: { otlp: { protocols: { http: {} } } }
exporters: { debug: {}, prometheus: { endpoint: 0.0.0.0:9464 } }
connectors: { spanmetrics: {} }
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [spanmetrics, debug] }
    metrics: { receivers: [spanmetrics], exporters: [prometheus] }
`);
    writeFileSync(join(dir, 'svc.pb'), buildRequest([{ attrs: { 'service.name': 'shop' }, spans: [{ trace: 'a', name: 'GET /' }, { trace: 'b', name: 'GET /' }] }]));
    execFileSync(process.execPath, [bin, 'process', '--config', join(dir, 'm.yaml'), '--input', join(dir, 'svc.pb'), '--output', join(dir, 'o.json'), '--metrics-output', join(dir, 'm.prom')]);
    const text = readFileSync(join(dir, 'm.prom'), 'utf8');
    expect(text).toMatch(/traces_span_metrics_calls_total\{[^}]*service_name="shop"[^}]*\} 2/);
  });
  it('--metrics-output without a connector is a usage error', () => {
    const r = spawnSync(process.execPath, [bin, 'process', '--config', join(dir, 'c.yaml'), '--input', join(dir, 'a.pb'), '--output', join(dir, 'o.pb'), '--metrics-output', join(dir, 'm.prom')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no metrics connector configured');
  });
});
