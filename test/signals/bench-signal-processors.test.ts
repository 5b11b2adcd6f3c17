// The logs and metrics processor benchmarks compare like with like only if otel-sieve's pipelines
// and the protobufjs baselines produce the same requests: checked on the benchmark corpus, decoded
// by the independent oracle.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from 'otel-sieve';
import { generateLogRequests } from '../../bench/corpus-logs.js';
import { generateMetricRequests } from '../../bench/corpus-metrics.js';
import { scrubLogsWithProtobufjs, scrubMetricsWithProtobufjs } from '../../bench/baselines/protobufjs-signal-processors.js';
import { LOG_SCRUB, LOG_SCRUB_CONFIG, METRIC_SCRUB, METRIC_SCRUB_CONFIG, runSignalPipeline } from '../../dist/bench/suites/signals.js';
import { Pipeline } from '../../dist/src/pipeline/pipeline.js';
import { decodeLogs, decodeMetrics } from '../helpers/oracle-signals.js';

beforeAll(async () => {
  await init();
});

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Decoded requests compared as plain data (bytes as hex: decoders give Buffers or Uint8Arrays). */
const normal = (x: any) => JSON.parse(JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('hex') : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));

describe('benchmark pipelines equal their baselines', () => {
  it('logs: probabilistic_sampler + attributes + redaction', () => {
    const p = Pipeline.fromConfig(LOG_SCRUB_CONFIG);
    let kept = 0;
    for (const bytes of generateLogRequests({ seed: 3, requests: 3, recordsPerRequest: 512 })) {
      const ours = runSignalPipeline(p, 'logs', bytes, true)!;
      for (const flavour of ['generated', 'reflection'] as const) {
        expect(normal(decodeLogs(ours))).toEqual(normal(decodeLogs(scrubLogsWithProtobufjs(flavour, bytes, LOG_SCRUB))));
      }
      kept += decodeLogs(ours).resourceLogs.flatMap((rl: any) => rl.scopeLogs.flatMap((sl: any) => sl.logRecords)).length;
    }
    // The sampler keeps ~70 % of the ~70 % traced records: the comparison covers drops and edits.
    expect(kept).toBeGreaterThan(3 * 512 * 0.3);
    expect(kept).toBeLessThan(3 * 512 * 0.7);
  });
  it('metrics: attributes + redaction on every data point', () => {
    const p = Pipeline.fromConfig(METRIC_SCRUB_CONFIG);
    for (const bytes of generateMetricRequests({ seed: 3, requests: 3, pointsPerRequest: 512 })) {
      const ours = runSignalPipeline(p, 'metrics', bytes, true)!;
      for (const flavour of ['generated', 'reflection'] as const) {
        expect(normal(decodeMetrics(ours))).toEqual(normal(decodeMetrics(scrubMetricsWithProtobufjs(flavour, bytes, METRIC_SCRUB))));
      }
    }
  });
});
