// `otel-sieve bench`: generates the corpus, runs every suite with its baselines in one process, and
// prints the table (or JSON). Suites live in bench/suites/; each returns tinybench tasks.
// The Node entry registers where core.wasm lives.
import { init } from '../src/entry/node.js';
import { generateTraceRequests } from './corpus.js';
import { runSuites, formatReport } from './harness.js';
import type { BenchSuite, BenchReport } from './harness.js';
import { coreSuite } from './suites/core.js';
import { processorsSuite } from './suites/processors.js';
import { traceqlSuite } from './suites/traceql.js';
import { metricsSuite } from './suites/metrics.js';
import { signalsSuite } from './suites/signals.js';
import { generateLogRequests } from './corpus-logs.js';
import { generateMetricRequests } from './corpus-metrics.js';

export interface BenchOptions {
  /** Measuring time per task in ms. Default 1000. */
  time?: number;
  /** Requests of 512 spans (log records, data points) in each corpus. Default 20. */
  requests?: number;
  /** Only suites whose name matches. */
  suite?: string;
  json?: boolean;
  progress?: (line: string) => void;
}

export async function runBench(options: BenchOptions = {}): Promise<{ report: BenchReport; text: string }> {
  await init();
  const requests = options.requests ?? 20;
  const corpus = generateTraceRequests({ seed: 1, requests, spansPerRequest: 512 });
  const suites: BenchSuite[] = [
    coreSuite(corpus),
    processorsSuite(corpus),
    traceqlSuite(corpus),
    metricsSuite(corpus),
    signalsSuite(generateLogRequests({ seed: 1, requests, recordsPerRequest: 512 }), generateMetricRequests({ seed: 1, requests, pointsPerRequest: 512 })),
  ];
  const report = await runSuites(suites, {
    time: options.time ?? 1000,
    suite: options.suite ? new RegExp(options.suite) : undefined,
    progress: options.progress,
  });
  return { report, text: options.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report) };
}
