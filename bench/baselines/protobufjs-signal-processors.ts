// The logs and metrics processor benchmarks' JavaScript baseline: the same pipelines otel-sieve runs
// (bench/suites/signals.ts), done the usual way — protobufjs decode, work on objects, encode — in
// both protobufjs flavours. Logs: probabilistic_sampler (hash_seed over the trace id, fail_closed:
// records without one are dropped; kept ones get the collector's `sampling.randomness` and
// `sampling.threshold` attributes), attributes (delete, SHA-256, insert), redaction (blocked key
// patterns masked "****"). Metrics: attributes on every data point of every kind (delete, insert),
// then redaction. The decisions follow the collector; the test suite checks both produce the same.
import { createHash } from 'node:crypto';
import { decodeLogsWith, decodeMetricsWith, encodeLogsWith, encodeMetricsWith } from './protobufjs-signals.js';
import { fnv32a, hex14 } from './protobufjs-processors.js';
import type { Flavour, PbLogsRequest, PbMetricsRequest, PbResourceLogs, PbScopeLogs } from './protobufjs-signals.js';
import type { PbKeyValue } from './protobufjs-pipeline.js';

export interface LogScrubPlan {
  /** probabilistic_sampler sampling_percentage (hash_seed mode, trace id randomness). */
  readonly percent: number;
  readonly seed: number;
  readonly deleteKeys: readonly string[];
  readonly hashKeys: readonly string[];
  /** insert: set when absent. */
  readonly insert: readonly [string, string];
  /** redaction blocked_key_patterns (RE2 syntax that JavaScript reads the same way). */
  readonly maskKeyPatterns: readonly string[];
}

export interface MetricScrubPlan {
  readonly deleteKeys: readonly string[];
  readonly insert: readonly [string, string];
  readonly maskKeyPatterns: readonly string[];
}

/** Attribute edits as the attributes then redaction processors make them, in place. */
function editAttributes(attrs: PbKeyValue[], del: ReadonlySet<string>, hash: ReadonlySet<string>, insert: readonly [string, string], masks: readonly RegExp[]): PbKeyValue[] {
  const out: PbKeyValue[] = [];
  let hasInsert = false;
  for (const kv of attrs) {
    const key = kv.key ?? '';
    if (del.has(key)) continue;
    if (key === insert[0]) hasInsert = true;
    if (hash.has(key) && kv.value && typeof kv.value.stringValue === 'string') {
      kv.value = { stringValue: kv.value.stringValue ? createHash('sha256').update(kv.value.stringValue).digest('hex') : '' };
    }
    out.push(kv);
  }
  if (!hasInsert) out.push({ key: insert[0], value: { stringValue: insert[1] } });
  for (const kv of out) if (masks.some((re) => re.test(kv.key ?? ''))) kv.value = { stringValue: '****' };
  return out;
}

/** Logs: sample, edit, redact, encode. */
export function scrubLogsWithProtobufjs(flavour: Flavour, bytes: Uint8Array, plan: LogScrubPlan): Uint8Array {
  const scaled = Math.trunc(Math.fround(Math.fround(Math.min(plan.percent, 100)) * Math.fround(163.84)));
  const th = hex14(BigInt(16384 - scaled) << 42n).replace(/0+$/, '') || '0';
  const del = new Set(plan.deleteKeys);
  const hash = new Set(plan.hashKeys);
  const masks = plan.maskKeyPatterns.map((p) => new RegExp(p));
  const req: PbLogsRequest = decodeLogsWith(flavour, bytes);
  const resources: PbResourceLogs[] = [];
  for (const rl of req.resourceLogs) {
    const scopes: PbScopeLogs[] = [];
    for (const sl of rl.scopeLogs) {
      const kept = [];
      for (const r of sl.logRecords) {
        const id = r.traceId ?? new Uint8Array(0);
        if (id.length !== 16 || id.every((b) => b === 0)) continue; // missing randomness: fail_closed
        const h = fnv32a(plan.seed, id);
        const bucket = h & 0x3fff;
        if (bucket >= scaled) continue;
        const unused = BigInt(h >>> 14);
        const rv = ((16383n - BigInt(bucket)) << 42n) | (((unused ^ (unused << 10n)) & 0xfffffffn) << 14n) | BigInt(bucket);
        r.attributes.push({ key: 'sampling.randomness', value: { stringValue: hex14(rv) } }, { key: 'sampling.threshold', value: { stringValue: th } });
        r.attributes = editAttributes(r.attributes, del, hash, plan.insert, masks);
        kept.push(r);
      }
      if (kept.length) {
        sl.logRecords = kept;
        scopes.push(sl);
      }
    }
    if (scopes.length) {
      rl.scopeLogs = scopes;
      resources.push(rl);
    }
  }
  req.resourceLogs = resources;
  return encodeLogsWith(flavour, req);
}

const DATA = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

/** Metrics: edit and redact every data point's attributes, encode. */
export function scrubMetricsWithProtobufjs(flavour: Flavour, bytes: Uint8Array, plan: MetricScrubPlan): Uint8Array {
  const del = new Set(plan.deleteKeys);
  const masks = plan.maskKeyPatterns.map((p) => new RegExp(p));
  const req: PbMetricsRequest = decodeMetricsWith(flavour, bytes);
  for (const rm of req.resourceMetrics) {
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) {
        const data = DATA.map((k) => m[k]).find((d) => d);
        if (!data) continue;
        for (const p of data.dataPoints) p.attributes = editAttributes(p.attributes, del, new Set(), plan.insert, masks);
      }
    }
  }
  return encodeMetricsWith(flavour, req);
}
