// The bindings against the facade, on the same work: one request through a pipeline program —
// processed, flushed, metrics collected — per iteration.
//
// - per call: a one-span request through a pipeline with no processor and no connector, so what
//   is measured is each binding's fixed cost (copies in and out, the component's canonical-ABI
//   glue, a host's buffer handover);
// - throughput: 512-span requests through the scrub pipeline (probabilistic_sampler +
//   attributes) and through tail sampling + span metrics (end-of-batch flush, OTLP metrics out).
//
// The baseline of each group is the facade's TypeScript Pipeline doing the same calls
// (fromProtobuf, process, flush, metrics, toProtobuf). The otelwasm rows run under this
// repository's Node hosts (bench/bindings/otelwasm-hosts.ts): a collector's Go host (wazero) has
// its own costs, so they show the plug-in's side of the work, not a collector's.
// Needs the built bindings (npm run build:bindings); see bench/run-bindings.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTraceRequests } from '../corpus.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { TraceBatch } from '../../src/otlp/trace-batch.js';
import { encodeMetricsProtobuf } from '../../src/metrics/otlp-metrics-protobuf.js';
import { compilePipelineProgram } from '../../src/program/compile-program.js';
import { PipelineProgramRunner } from '../../src/program/program-runner.js';
import { toBase64 } from '../../src/otlp/trace-json.js';
import { loadComponent } from '../bindings/component-loader.js';
import { PullHost, V1Host } from '../bindings/otelwasm-hosts.js';
import { SCRUB_CONFIG } from './processors.js';
import type { BenchSuite, BenchTask } from '../harness.js';

const PASS_THROUGH = {
  receivers: { otlp: { protocols: { http: {} } } },
  exporters: { debug: {} },
  service: { pipelines: { traces: { receivers: ['otlp'], processors: [], exporters: ['debug'] } } },
};

const TAIL_AND_METRICS = {
  receivers: { otlp: { protocols: { http: {} } } },
  processors: {
    tail_sampling: {
      decision_wait: '5s',
      policies: [
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: 500 } },
        { name: 'some', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
      ],
    },
  },
  connectors: { spanmetrics: {} },
  exporters: { debug: {} },
  service: {
    pipelines: {
      traces: { receivers: ['otlp'], processors: ['tail_sampling'], exporters: ['debug', 'spanmetrics'] },
      metrics: { receivers: ['spanmetrics'], exporters: ['debug'] },
    },
  },
};

/** Cycles through requests, advancing the clock a second per call (tail-sampling ticks run). */
function feed(requests: readonly Uint8Array[]) {
  let i = 0;
  let now = 1_717_200_000_000;
  return () => {
    const r = requests[i++ % requests.length]!;
    now += 1000;
    return { r, now };
  };
}

export interface BindingsBenchOptions {
  /** build/bindings. */
  artefacts: string;
  /** Requests of 512 spans in the throughput corpus. Default 8. */
  requests?: number;
}

export async function bindingsSuite(options: BindingsBenchOptions): Promise<BenchSuite> {
  const dir = options.artefacts;
  const component = await loadComponent(join(dir, 'component-js'));
  const pullModule = new WebAssembly.Module(readFileSync(join(dir, 'otel-sieve-otelwasm.wasm')));
  const v1Module = new WebAssembly.Module(readFileSync(join(dir, 'otel-sieve-otelwasm-v1.wasm')));
  const corpus = generateTraceRequests({ seed: 7, requests: options.requests ?? 8, spansPerRequest: 512 });
  const tiny = generateTraceRequests({ seed: 7, requests: 1, spansPerRequest: 1 });
  const runners: PipelineProgramRunner[] = [];
  const pipelines: Pipeline[] = [];
  const tasks: BenchTask[] = [];

  const group = (name: string, config: object, requests: readonly Uint8Array[]) => {
    const spans = requests.reduce((n, r) => n + TraceBatch.fromProtobuf(r).spanCount, 0) / requests.length;
    const bytes = requests.reduce((n, r) => n + r.length, 0) / requests.length;
    const program = compilePipelineProgram(config);
    const pluginConfig = { program: toBase64(program) };
    const task = (task: string, kind: 'ours' | 'baseline', fn: () => unknown) => tasks.push({ name: task, group: name, kind, spans, bytes, fn });

    const pipeline = Pipeline.fromConfig(config);
    pipelines.push(pipeline);
    const nextTs = feed(requests);
    task('facade: TypeScript Pipeline', 'baseline', () => {
      const { r, now } = nextTs();
      const out = pipeline.process(TraceBatch.fromProtobuf(r, { allowEmpty: true }), now);
      out.push(...pipeline.flush(now));
      for (const b of out) {
        b.toProtobuf();
        b.dispose();
      }
      return encodeMetricsProtobuf(pipeline.metrics(now));
    });

    const runner = PipelineProgramRunner.load(program);
    runners.push(runner);
    const nextProgram = feed(requests);
    task('facade: program runner', 'ours', () => {
      const { r, now } = nextProgram();
      return runner.process(r, now);
    });

    const processor = component().pipeline.Processor.create(program);
    const nextComponent = feed(requests);
    task('component (jco transpile, Node)', 'ours', () => {
      const { r, now } = nextComponent();
      return processor.process(r, BigInt(now));
    });

    const pull = new PullHost(pullModule, pluginConfig);
    const nextPull = feed(requests);
    task('otelwasm pull ABI (Node host)', 'ours', () => {
      const { r, now } = nextPull();
      const res = pull.processTraces(r, now);
      if (res.status !== 0) throw new Error(res.reason);
      return res;
    });

    const v1 = new V1Host(v1Module, pluginConfig, 'otelwasm');
    if (v1.startComponent(0).status !== 0) throw new Error('otelwasm v1: start failed');
    const nextV1 = feed(requests);
    task('otelwasm ABI v1 (Node host)', 'ours', () => {
      const { r, now } = nextV1();
      const res = v1.consume('traces', r, now);
      if (res.status !== 0) throw new Error(res.reason);
      return res;
    });
  };

  group('per call: 1 span, no processor', PASS_THROUGH, tiny);
  group('scrub: probabilistic_sampler + attributes, 512 spans', SCRUB_CONFIG, corpus);
  group('tail_sampling + spanmetrics (flush, OTLP metrics), 512 spans', TAIL_AND_METRICS, corpus);

  return {
    name: 'bindings',
    tasks,
    notes: () => ({
      'component.wasm bytes': readFileSync(join(dir, 'otel-sieve-processor.component.wasm')).length,
      'otelwasm (pull) .wasm bytes': readFileSync(join(dir, 'otel-sieve-otelwasm.wasm')).length,
      'otelwasm (v1) .wasm bytes': readFileSync(join(dir, 'otel-sieve-otelwasm-v1.wasm')).length,
    }),
    teardown: () => {
      for (const r of runners) r.dispose();
      for (const p of pipelines) p.shutdown();
    },
  };
}
