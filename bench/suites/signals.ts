// The logs and metrics suite: indexing, decode → filter → encode, and processor pipelines
// (probabilistic_sampler, attributes, redaction through Pipeline.processLogs / processMetrics),
// against protobufjs in both flavours on the same corpus and rules (baselines/signal-rules.ts,
// baselines/protobufjs-signal-processors.ts). Ours decides by reading the core's tables (no object
// per record or data point) and writes through the splice encoders.
import * as LG from '../../assembly/abi/logs-layout.js';
import * as M from '../../assembly/abi/metrics-layout.js';
import * as B from '../../assembly/abi/batch-layout.js';
import { LogBatch } from '../../src/otlp/log-batch.js';
import { MetricBatch } from '../../src/otlp/metric-batch.js';
import { getCore } from '../../src/core/init.js';
import { logRules, logRuleAccepts, metricRules } from '../baselines/signal-rules.js';
import type { LogRule, MetricRule } from '../baselines/signal-rules.js';
import { decodeLogsWith, decodeMetricsWith, filterLogsWith, filterMetricsWith } from '../baselines/protobufjs-signals.js';
import { scrubLogsWithProtobufjs, scrubMetricsWithProtobufjs } from '../baselines/protobufjs-signal-processors.js';
import type { LogScrubPlan, MetricScrubPlan } from '../baselines/protobufjs-signal-processors.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { BenchSuite, BenchTask } from '../harness.js';

/** The logs processor pipeline of the benchmark, as data for both implementations. */
export const LOG_SCRUB: LogScrubPlan = Object.freeze({
  percent: 70,
  seed: 0,
  deleteKeys: ['exception.stacktrace'],
  hashKeys: ['client.address'],
  insert: ['deployment.tier', 'gold'] as const,
  maskKeyPatterns: ['^user_agent\\.'],
});

export const METRIC_SCRUB: MetricScrubPlan = Object.freeze({
  deleteKeys: ['url.scheme'],
  insert: ['region', 'eu'] as const,
  maskKeyPatterns: ['^user\\.'],
});

const RECEIVER = { otlp: { protocols: { http: {} } } };

/** The same pipelines as collector configs (what a user would paste). */
export const LOG_SCRUB_CONFIG = {
  receivers: RECEIVER,
  processors: {
    probabilistic_sampler: { mode: 'hash_seed', sampling_percentage: LOG_SCRUB.percent, hash_seed: LOG_SCRUB.seed },
    attributes: {
      actions: [
        ...LOG_SCRUB.deleteKeys.map((key) => ({ key, action: 'delete' })),
        ...LOG_SCRUB.hashKeys.map((key) => ({ key, action: 'hash' })),
        { key: LOG_SCRUB.insert[0], value: LOG_SCRUB.insert[1], action: 'insert' },
      ],
    },
    redaction: { allow_all_keys: true, blocked_key_patterns: [...LOG_SCRUB.maskKeyPatterns] },
  },
  exporters: { debug: {} },
  service: { pipelines: { logs: { receivers: ['otlp'], processors: ['probabilistic_sampler', 'attributes', 'redaction'], exporters: ['debug'] } } },
};

export const METRIC_SCRUB_CONFIG = {
  receivers: RECEIVER,
  processors: {
    attributes: { actions: [...METRIC_SCRUB.deleteKeys.map((key) => ({ key, action: 'delete' })), { key: METRIC_SCRUB.insert[0], value: METRIC_SCRUB.insert[1], action: 'insert' }] },
    redaction: { allow_all_keys: true, blocked_key_patterns: [...METRIC_SCRUB.maskKeyPatterns] },
  },
  exporters: { debug: {} },
  service: { pipelines: { metrics: { receivers: ['otlp'], processors: ['attributes', 'redaction'], exporters: ['debug'] } } },
};

/** One request through a logs or metrics Pipeline, as protobuf (a copy) or a short-lived view. */
export function runSignalPipeline(pipeline: Pipeline, signal: 'logs' | 'metrics', bytes: Uint8Array, copy: boolean): Uint8Array | undefined {
  const out = signal === 'logs' ? pipeline.processLogs(LogBatch.fromProtobuf(bytes), 0) : pipeline.processMetrics(MetricBatch.fromProtobuf(bytes), 0);
  let last: Uint8Array | undefined;
  for (const b of out) {
    last = copy ? b.toProtobuf() : b.protobufView();
    b.dispose();
  }
  return last;
}

/** Applies a log rule by reading the log record table. */
export function logKeepMask(batch: LogBatch, rule: LogRule, mask: Uint8Array): Uint8Array {
  const n = batch.logRecordCount;
  const dv = getCore().dv;
  for (let i = 0; i < n; i++) {
    const row = batch.recordRow(i);
    const traced = (dv.getUint32(row + LG.LR_PRESENCE, true) & LG.P_TRACE_ID) !== 0;
    mask[i] = logRuleAccepts(rule, dv.getInt32(row + LG.LR_SEVERITY, true), traced ? dv.getUint8(row + LG.LR_TRACE_ID + 15) : -1) ? 1 : 0;
  }
  return mask;
}

/** A rule's strings as UTF-8, with the key's hash as the attribute rows store it. */
export interface MetricNeedles {
  prefix: Uint8Array;
  key: Uint8Array;
  keyHash: number;
  value: Uint8Array;
}

export function metricNeedles(rule: MetricRule): MetricNeedles {
  const enc = new TextEncoder();
  const key = enc.encode(rule.dropKey);
  const core = getCore();
  const at = core.scratch(key.length + 16);
  core.u8.fill(0, at, at + key.length + 16);
  core.u8.set(key, at);
  return { prefix: enc.encode(rule.dropNamePrefix), key, keyHash: core.exports.hash32(at, key.length) >>> 0, value: enc.encode(rule.dropValue) };
}

function bytesAt(u8: Uint8Array, at: number, needle: Uint8Array): boolean {
  for (let k = 0; k < needle.length; k++) if (u8[at + k] !== needle[k]) return false;
  return true;
}

/**
 * Applies a metric rule by reading the metric and data point tables and the attribute table (built
 * here: the point condition reads attributes). Fills one mask per metric and one per data point.
 */
export function metricKeepMasks(batch: MetricBatch, n: MetricNeedles, metricMask: Uint8Array, pointMask: Uint8Array): void {
  // Only a data point condition needs the attribute table.
  if (n.key.length) batch.ensureAttributes();
  const core = getCore();
  const dv = core.dv;
  const u8 = core.u8;
  const input = batch.inputPtr;
  for (let i = 0; i < batch.metricCount; i++) {
    const row = batch.metricRow(i);
    const len = dv.getUint32(row + M.M_NAME_LEN, true);
    metricMask[i] = len >= n.prefix.length && bytesAt(u8, input + dv.getUint32(row + M.M_NAME_OFF, true), n.prefix) ? 0 : 1;
  }
  if (!n.key.length) {
    pointMask.fill(1);
    return;
  }
  for (let k = 0; k < batch.dataPointCount; k++) {
    const row = batch.pointRow(k);
    const first = dv.getUint32(row + M.DP_ATTR_START, true);
    const count = dv.getUint32(row + M.DP_ATTR_COUNT, true);
    let keep = 1;
    for (let a = first; a < first + count; a++) {
      const arow = batch.attrRow(a);
      if (dv.getUint32(arow + B.A_KEY_HASH, true) !== n.keyHash || dv.getUint32(arow + B.A_KEY_LEN, true) !== n.key.length) continue;
      if (!bytesAt(u8, input + dv.getUint32(arow + B.A_KEY_OFF, true), n.key)) continue;
      keep = dv.getUint32(arow + B.A_TYPE, true) === B.V_STRING
        && dv.getUint32(arow + B.A_VALUE + 4, true) === n.value.length
        && bytesAt(u8, input + dv.getUint32(arow + B.A_VALUE, true), n.value) ? 0 : 1;
      break;
    }
    pointMask[k] = keep;
  }
}

export function signalsSuite(logs: Uint8Array[], metrics: Uint8Array[]): BenchSuite {
  const records = logs.reduce((n, r) => n + LogBatch.fromProtobuf(r).logRecordCount, 0);
  const points = metrics.reduce((n, r) => n + MetricBatch.fromProtobuf(r).dataPointCount, 0);
  const logBytes = logs.reduce((n, r) => n + r.length, 0);
  const metricBytes = metrics.reduce((n, r) => n + r.length, 0);
  const mask = new Uint8Array(65536);
  const pointMask = new Uint8Array(65536);
  const tasks: BenchTask[] = [];
  const logTask = (name: string, kind: 'ours' | 'baseline', group: string, fn: () => unknown) =>
    tasks.push({ name, group, kind, spans: records, bytes: logBytes, unit: 'log records', fn });
  const metricTask = (name: string, kind: 'ours' | 'baseline', group: string, fn: () => unknown) =>
    tasks.push({ name, group, kind, spans: points, bytes: metricBytes, unit: 'data points', fn });

  const logIndex = 'logs — index: every field validated';
  logTask('otel-sieve: index (log record table)', 'ours', logIndex, () => {
    for (const r of logs) LogBatch.fromProtobuf(r).dispose();
  });
  logTask('otel-sieve: index + attribute table (bodies too)', 'ours', logIndex, () => {
    for (const r of logs) {
      const b = LogBatch.fromProtobuf(r);
      b.ensureAttributes();
      b.dispose();
    }
  });
  logTask('protobufjs 7 (reflection): decode', 'baseline', logIndex, () => {
    for (const r of logs) decodeLogsWith('reflection', r);
  });
  logTask('protobufjs (upstream generated code): decode', 'baseline', logIndex, () => {
    for (const r of logs) decodeLogsWith('generated', r);
  });

  for (const [label, rule] of [
    ['keep WARN and above (~22%)', logRules.warnAndAbove],
    ['sample traced logs by trace id (~65%)', logRules.halfByTraceId],
  ] as const) {
    const g = `logs — decode → ${label} → encode`;
    for (const copy of [true, false]) {
      logTask(copy ? 'otel-sieve: index → mask → splice → toProtobuf()' : 'otel-sieve: … → protobufView() (no copy out)', 'ours', g, () => {
        for (const r of logs) {
          const b = LogBatch.fromProtobuf(r);
          const kept = b.select(logKeepMask(b, rule, mask.subarray(0, b.logRecordCount)));
          if (copy) kept.toProtobuf();
          else kept.protobufView();
          kept.dispose();
          b.dispose();
        }
      });
    }
    logTask('protobufjs 7 (reflection): decode → filter → encode', 'baseline', g, () => {
      for (const r of logs) filterLogsWith('reflection', r, rule);
    });
    logTask('protobufjs (upstream generated code): decode → filter → encode', 'baseline', g, () => {
      for (const r of logs) filterLogsWith('generated', r, rule);
    });
  }

  const metricIndex = 'metrics — index: every field validated';
  metricTask('otel-sieve: index (metric, point, exemplar tables)', 'ours', metricIndex, () => {
    for (const r of metrics) MetricBatch.fromProtobuf(r).dispose();
  });
  metricTask('otel-sieve: index + attribute and values tables', 'ours', metricIndex, () => {
    for (const r of metrics) {
      const b = MetricBatch.fromProtobuf(r);
      b.ensureAttributes();
      b.ensureValues();
      b.dispose();
    }
  });
  metricTask('protobufjs 7 (reflection): decode', 'baseline', metricIndex, () => {
    for (const r of metrics) decodeMetricsWith('reflection', r);
  });
  metricTask('protobufjs (upstream generated code): decode', 'baseline', metricIndex, () => {
    for (const r of metrics) decodeMetricsWith('generated', r);
  });

  for (const [label, rule] of [
    ['drop runtime metrics (by name)', metricRules.runtime],
    ['drop runtime metrics and /healthz points (by attribute)', metricRules.runtimeAndHealthChecks],
  ] as const) {
    const needles = metricNeedles(rule);
    const g = `metrics — decode → ${label} → encode`;
    for (const copy of [true, false]) {
      metricTask(copy ? 'otel-sieve: index → masks → splice → toProtobuf()' : 'otel-sieve: … → protobufView() (no copy out)', 'ours', g, () => {
        for (const r of metrics) {
          const b = MetricBatch.fromProtobuf(r);
          const mm = mask.subarray(0, b.metricCount);
          const pm = pointMask.subarray(0, b.dataPointCount);
          metricKeepMasks(b, needles, mm, pm);
          const kept = rule.dropKey ? b.select(mm, pm) : b.select(mm);
          if (copy) kept.toProtobuf();
          else kept.protobufView();
          kept.dispose();
          b.dispose();
        }
      });
    }
    metricTask('protobufjs 7 (reflection): decode → filter → encode', 'baseline', g, () => {
      for (const r of metrics) filterMetricsWith('reflection', r, rule);
    });
    metricTask('protobufjs (upstream generated code): decode → filter → encode', 'baseline', g, () => {
      for (const r of metrics) filterMetricsWith('generated', r, rule);
    });
  }

  const logPipeline = Pipeline.fromConfig(LOG_SCRUB_CONFIG);
  const gl = 'logs — decode → probabilistic_sampler + attributes + redaction → encode';
  for (const copy of [true, false]) {
    logTask(copy ? 'otel-sieve: Pipeline.processLogs → toProtobuf()' : 'otel-sieve: Pipeline.processLogs → protobufView()', 'ours', gl, () => {
      for (const r of logs) runSignalPipeline(logPipeline, 'logs', r, copy);
    });
  }
  logTask('protobufjs 7 (reflection): decode → sample, edit, redact → encode', 'baseline', gl, () => {
    for (const r of logs) scrubLogsWithProtobufjs('reflection', r, LOG_SCRUB);
  });
  logTask('protobufjs (upstream generated code): decode → sample, edit, redact → encode', 'baseline', gl, () => {
    for (const r of logs) scrubLogsWithProtobufjs('generated', r, LOG_SCRUB);
  });

  const metricPipeline = Pipeline.fromConfig(METRIC_SCRUB_CONFIG);
  const gm = 'metrics — decode → attributes + redaction on every data point → encode';
  for (const copy of [true, false]) {
    metricTask(copy ? 'otel-sieve: Pipeline.processMetrics → toProtobuf()' : 'otel-sieve: Pipeline.processMetrics → protobufView()', 'ours', gm, () => {
      for (const r of metrics) runSignalPipeline(metricPipeline, 'metrics', r, copy);
    });
  }
  metricTask('protobufjs 7 (reflection): decode → edit, redact → encode', 'baseline', gm, () => {
    for (const r of metrics) scrubMetricsWithProtobufjs('reflection', r, METRIC_SCRUB);
  });
  metricTask('protobufjs (upstream generated code): decode → edit, redact → encode', 'baseline', gm, () => {
    for (const r of metrics) scrubMetricsWithProtobufjs('generated', r, METRIC_SCRUB);
  });

  return {
    name: 'signals',
    teardown: () => {
      logPipeline.shutdown();
      metricPipeline.shutdown();
    },
    tasks,
    notes: () => {
      const held = logs.map((r) => LogBatch.fromProtobuf(r));
      const logTables = held.reduce((n, b) => n + b.memoryFootprint, 0) - logBytes;
      held.forEach((b) => b.dispose());
      const heldM = metrics.map((r) => MetricBatch.fromProtobuf(r));
      const metricTables = heldM.reduce((n, b) => n + b.memoryFootprint, 0) - metricBytes;
      heldM.forEach((b) => b.dispose());
      return {
        'logs corpus': `${logs.length} requests, ${records} records, ${(logBytes / 1e6).toFixed(1)} MB, ${(logBytes / records).toFixed(0)} B/record`,
        'metrics corpus': `${metrics.length} requests, ${points} data points, ${(metricBytes / 1e6).toFixed(1)} MB, ${(metricBytes / points).toFixed(0)} B/point`,
        'memory held per log record beyond the input (index only)': `${(logTables / records).toFixed(0)} B`,
        'memory held per data point beyond the input (index only)': `${(metricTables / points).toFixed(0)} B`,
      };
    },
  };
}
