// The metrics suite: span metrics (explicit and exponential histograms, with and without attribute
// dimensions) and service graphs aggregated in the core, against the same aggregation in JavaScript
// over protobufjs-decoded spans (bench/baselines/js-metrics.ts), in the same run. Two comparisons per
// workload: on the indexed corpus (batches already in the core, objects already decoded: the
// aggregation alone) and from bytes (index + aggregate vs decode + aggregate).
import { TraceBatch } from '../../src/otlp/trace-batch.js';
import { connectorFactories } from '../../src/connectors/index.js';
import type { TracesToMetricsConnector } from '../../src/pipeline/types.js';
import { decodeWithProtobufjs } from '../baselines/protobufjs-pipeline.js';
import type { PbExportTraceServiceRequest } from '../baselines/protobufjs-pipeline.js';
import { JsServiceGraph, JsSpanMetrics } from '../baselines/js-metrics.js';
import type { JsSpanMetricsOptions } from '../baselines/js-metrics.js';
import type { BenchSuite, BenchTask } from '../harness.js';

const DEFAULT_BUCKETS_MS = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000];

interface Workload {
  group: string;
  type: 'spanmetrics' | 'servicegraph';
  config: Record<string, unknown>;
  js: () => { consume(r: PbExportTraceServiceRequest, now: number): void; expire?(now: number): void };
}

const WORKLOADS: Workload[] = [
  {
    group: 'span metrics: 4 default dimensions, explicit buckets',
    type: 'spanmetrics',
    config: {},
    js: () => new JsSpanMetrics({ histogram: DEFAULT_BUCKETS_MS }),
  },
  {
    group: 'span metrics: 4 default dimensions, exponential histogram (160 buckets)',
    type: 'spanmetrics',
    config: { histogram: { exponential: { max_size: 160 } } },
    js: () => new JsSpanMetrics({ histogram: { maxSize: 160 } }),
  },
  {
    group: 'span metrics: 4 default + 2 attribute dimensions, explicit buckets',
    type: 'spanmetrics',
    config: { dimensions: [{ name: 'http.request.method' }, { name: 'http.response.status_code' }] },
    js: () => new JsSpanMetrics({ histogram: DEFAULT_BUCKETS_MS, dimensions: ['http.request.method', 'http.response.status_code'] } satisfies JsSpanMetricsOptions),
  },
  {
    group: 'service graph: client/server pairing, explicit latency buckets',
    type: 'servicegraph',
    config: {},
    js: () => new JsServiceGraph(),
  },
];

export interface MetricsSuiteOptions {
  /** Time spent running our tasks before measuring, so V8 has optimised the WebAssembly. Default 1500 ms. */
  warmupMs?: number;
}

export function metricsSuite(corpus: Uint8Array[], options: MetricsSuiteOptions = {}): BenchSuite {
  const batches = corpus.map((r) => TraceBatch.fromProtobuf(r));
  const spans = batches.reduce((n, b) => n + b.spanCount, 0);
  const bytes = corpus.reduce((n, r) => n + r.length, 0);
  const decoded = corpus.map((r) => decodeWithProtobufjs(r));
  const connectors: TracesToMetricsConnector[] = [];
  const tasks: BenchTask[] = [];
  const add = (name: string, group: string, kind: 'ours' | 'baseline', fn: () => unknown) => tasks.push({ name, group, kind, spans, bytes, fn });

  for (const w of WORKLOADS) {
    const make = (id: string) => {
      const c = connectorFactories[w.type]!(w.config, { id, path: `connectors.${id}` });
      connectors.push(c);
      return c;
    };
    // Time moves 1 s per pass so the service graph's expiry loop runs like it would live.
    const indexed = make(w.type);
    let t1 = 0;
    add('otel-sieve: consume(indexed batch)', `${w.group} — indexed corpus`, 'ours', () => {
      t1 += 1000;
      for (const b of batches) indexed.consume(b, t1);
    });
    const jsIndexed = w.js();
    let t2 = 0;
    add('JS over protobufjs-decoded spans', `${w.group} — indexed corpus`, 'baseline', () => {
      t2 += 1000;
      jsIndexed.expire?.(t2);
      for (const r of decoded) jsIndexed.consume(r, t2);
    });

    const fromBytes = make(`${w.type}/bytes`);
    let t3 = 0;
    add('otel-sieve: index + consume + dispose', `${w.group} — from bytes`, 'ours', () => {
      t3 += 1000;
      for (const r of corpus) {
        const b = TraceBatch.fromProtobuf(r);
        fromBytes.consume(b, t3);
        b.dispose();
      }
    });
    const jsBytes = w.js();
    let t4 = 0;
    add('protobufjs decode + JS aggregation', `${w.group} — from bytes`, 'baseline', () => {
      t4 += 1000;
      jsBytes.expire?.(t4);
      for (const r of corpus) jsBytes.consume(decodeWithProtobufjs(r), t4);
    });
  }

  // V8 compiles WebAssembly with its baseline compiler first and optimises hot functions later; run
  // our tasks until that has happened so that the first group is not measured half-optimised.
  const ours = tasks.filter((t) => t.kind === 'ours');
  const until = performance.now() + (options.warmupMs ?? 1500);
  while (performance.now() < until) for (const t of ours) t.fn();

  return {
    name: 'metrics',
    tasks,
    notes: () => {
      const [spanmetrics, , , servicegraph] = connectors.filter((_, i) => i % 2 === 0) as (TracesToMetricsConnector & { stats(): Record<string, number> })[];
      return {
        'corpus': `${corpus.length} requests, ${spans} spans`,
        'span metrics series (4 default dimensions)': spanmetrics!.stats().series!,
        'service graph series / edges completed': `${servicegraph!.stats().series} / ${servicegraph!.stats().totalEdges}`,
      };
    },
    teardown: () => {
      for (const c of connectors) c.shutdown?.();
      for (const b of batches) b.dispose();
    },
  };
}
