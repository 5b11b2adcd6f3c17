// Processor benchmarks as throughput tasks a harness can run (see runProcessorBenchmarks below for
// a tinybench runner): each task processes a fixed amount of work per run and says how much, so
// results are spans or lookups per second and each group's ratio is otel-sieve ÷ baseline.
//
// - scrub: probabilistic_sampler (hash_seed 70 %: drops ~30 %, rewrites the tracestate of kept
//   spans) + attributes (delete db.statement and user.email, SHA-256 client.address) against
//   protobufjs doing the same. Input bytes in, output bytes out, for both.
// - filter_redaction: the filter processor (four OTTL conditions dropping ~30 % of spans: short
//   internal spans, health probes, redis calls, the email service's non-errors) + redaction
//   (blocked_key_patterns masking three keys), one splice, against protobufjs decode → the same
//   test hand-written → mask → encode.
// - ottl_filter: the same filter alone (OTTL throughput, conditions evaluated in the core's VM)
//   against protobufjs decode → hand-written predicate → encode.
// - redact_values: redaction with blocked_values (card numbers, e-mail addresses, IPv4 addresses,
//   masked as "****") and an allowed_values exception, on every attribute map, against protobufjs
//   with the same masking in JavaScript RegExp.
// - tail_sampling: three policies (status ERROR, latency ≥ 500 ms, probabilistic 10 %) over the
//   corpus, ingest to release, in spans per second.
// - bloom: bulk lookups of 16-byte trace ids in the core's split-block filter against a JS bloom
//   filter over hex strings.
import { Bench } from 'tinybench';
import { generateTraceRequests } from '../corpus.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { AttributesProcessor } from '../../src/processors/attributes/attributes-processor.js';
import { keepMask } from './core.js';
import { filterDecoded, decodeWithProtobufjs, encodeWithProtobufjs, predicateFromRule } from '../baselines/protobufjs-pipeline.js';
import type { PbKeyValue } from '../baselines/protobufjs-pipeline.js';
import type { KeepRule } from '../baselines/keep-rule.js';
import { createHash } from 'node:crypto';
import { TraceBatch } from '../../src/otlp/trace-batch.js';
import { BloomFilter } from '../../src/bloom/bloom-filter.js';
import { sampleAndScrubWithProtobufjs } from '../baselines/protobufjs-processors.js';
import type { ScrubPlan } from '../baselines/protobufjs-processors.js';
import { JsBloom } from '../baselines/js-bloom.js';
import { tailSampleWithProtobufjs } from '../baselines/protobufjs-tail-sampling.js';
import { DROP_CONDITIONS, MASKED_KEYS, filterAndRedactWithProtobufjs, filterWithProtobufjsPredicate } from '../baselines/protobufjs-filter.js';
import { redactValuesWithProtobufjs } from '../baselines/protobufjs-redaction.js';
import type { ValueRedactionPlan } from '../baselines/protobufjs-redaction.js';
import type { BenchSuite } from '../harness.js';

export interface ThroughputTask {
  /** Tasks in one group do the same work; the baseline is the one with `baseline: true`. */
  readonly group: string;
  readonly name: string;
  readonly baseline?: boolean;
  readonly unit: 'spans' | 'lookups';
  /** Units processed by one call of fn. */
  readonly units: number;
  readonly fn: () => void;
}

export interface ProcessorBenchOptions {
  /** Requests of 512 spans in the corpus (default 20). */
  requests?: number;
  /** Bloom lookups per run (default 1 000 000). */
  lookups?: number;
}

const SCRUB: ScrubPlan = { percent: 70, seed: 0, deleteKeys: ['db.statement', 'user.email'], hashKeys: ['client.address'] };

export const SCRUB_CONFIG = {
  receivers: { otlp: { protocols: { http: {} } } },
  processors: {
    probabilistic_sampler: { mode: 'hash_seed', sampling_percentage: SCRUB.percent, hash_seed: SCRUB.seed },
    attributes: { actions: [...SCRUB.deleteKeys.map((key) => ({ key, action: 'delete' })), ...SCRUB.hashKeys.map((key) => ({ key, action: 'hash' }))] },
  },
  exporters: { debug: {} },
  service: { pipelines: { traces: { receivers: ['otlp'], processors: ['probabilistic_sampler', 'attributes'], exporters: ['debug'] } } },
};

const regexQuote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const FILTER_REDACTION_CONFIG = {
  receivers: { otlp: { protocols: { http: {} } } },
  processors: {
    filter: { error_mode: 'ignore', traces: { span: [...DROP_CONDITIONS] } },
    redaction: { allow_all_keys: true, blocked_key_patterns: MASKED_KEYS.map((k) => `^${regexQuote(k)}$`) },
  },
  exporters: { debug: {} },
  service: { pipelines: { traces: { receivers: ['otlp'], processors: ['filter', 'redaction'], exporters: ['debug'] } } },
};

export const FILTER_CONFIG = {
  ...FILTER_REDACTION_CONFIG,
  processors: { filter: FILTER_REDACTION_CONFIG.processors.filter },
  service: { pipelines: { traces: { receivers: ['otlp'], processors: ['filter'], exporters: ['debug'] } } },
};

export const REDACT_VALUES: ValueRedactionPlan = {
  blockedValues: ['4[0-9]{12}(?:[0-9]{3})?', '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}', '(?:[0-9]{1,3}\\.){3}[0-9]{1,3}'],
  allowedValues: ['@corp\\.example$'],
};

export const REDACT_CONFIG = {
  receivers: { otlp: { protocols: { http: {} } } },
  processors: { redaction: { allow_all_keys: true, blocked_values: REDACT_VALUES.blockedValues, allowed_values: REDACT_VALUES.allowedValues } },
  exporters: { debug: {} },
  service: { pipelines: { traces: { receivers: ['otlp'], processors: ['redaction'], exporters: ['debug'] } } },
};

export const TAIL_CONFIG = {
  receivers: { otlp: { protocols: { http: {} } } },
  processors: {
    tail_sampling: {
      decision_wait: '1s',
      num_traces: 50000,
      policies: [
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: 500 } },
        { name: 'some', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
      ],
    },
  },
  exporters: { debug: {} },
  service: { pipelines: { traces: { receivers: ['otlp'], processors: ['tail_sampling'], exporters: ['debug'] } } },
};

/**
 * The drop of the filter-shaped pipeline until the OTTL filter exists: keep spans whose trace id's
 * last byte is below 179 (~70 % of traces, whole traces), decided on the span table like the core
 * suite's keep rules.
 */
const DROP_30: KeepRule = { keepErrors: false, minDurationNanos: Infinity, traceIdByteIndex: 15, traceIdByteBelow: 179 };
const keep30 = predicateFromRule(DROP_30);

/** protobufjs: decode, keep by DROP_30, delete and hash the scrub keys, encode. */
function filterAndScrubWithProtobufjs(bytes: Uint8Array): Uint8Array {
  const req = filterDecoded(decodeWithProtobufjs(bytes), keep30);
  const del = new Set(SCRUB.deleteKeys);
  const hash = new Set(SCRUB.hashKeys);
  for (const rs of req.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) {
    const attrs: PbKeyValue[] = [];
    for (const kv of span.attributes) {
      if (del.has(kv.key ?? '')) continue;
      if (hash.has(kv.key ?? '') && kv.value && typeof kv.value.stringValue === 'string') {
        kv.value = { stringValue: kv.value.stringValue ? createHash('sha256').update(kv.value.stringValue).digest('hex') : '' };
      }
      attrs.push(kv);
    }
    span.attributes = attrs;
  }
  return encodeWithProtobufjs(req);
}

/** Results are summed here so no engine can discard the work as unused. */
export let benchSink = 0;

/** The tasks over `requests` (512-span requests of the bench corpus); the core must be initialised first. */
export function processorTasks(options: ProcessorBenchOptions = {}, requests = generateTraceRequests({ requests: options.requests ?? 20, spansPerRequest: 512 })): ThroughputTask[] {
  let spans = 0;
  for (const r of requests) {
    const b = TraceBatch.fromProtobuf(r);
    spans += b.spanCount;
    b.dispose();
  }
  const scrub = Pipeline.fromConfig(SCRUB_CONFIG);
  const filterRedaction = Pipeline.fromConfig(FILTER_REDACTION_CONFIG);
  const filter = Pipeline.fromConfig(FILTER_CONFIG);
  /** Runs `p` over the requests, summing output sizes (protobufView: the bytes an exporter sends). */
  const through = (p: Pipeline) => {
    for (const bytes of requests) {
      for (const out of p.process(TraceBatch.fromProtobuf(bytes), 0)) {
        benchSink += out.protobufView().length;
        out.dispose();
      }
    }
  };
  const redact = Pipeline.fromConfig(REDACT_CONFIG);
  const scrubEdit = new AttributesProcessor({ actions: [...SCRUB.deleteKeys.map((key) => ({ action: 'delete' as const, key })), ...SCRUB.hashKeys.map((key) => ({ action: 'hash' as const, key }))] }, { id: 'attributes', path: 'processors.attributes' });
  const mask = new Uint8Array(65536);
  // A million lookups on the full corpus; proportionally fewer on small test corpora.
  const lookups = options.lookups ?? Math.min(1_000_000, spans * 100);
  const ids = new Uint8Array(lookups * 16);
  for (let i = 0; i < ids.length; i += 4) new DataView(ids.buffer).setUint32(i, Math.imul(i + 1, 0x9e3779b1) ^ (i >>> 7), true);
  const bloom = BloomFilter.create({ expectedItems: lookups, falsePositiveRate: 0.01 });
  bloom.addAll(ids.subarray(0, (lookups / 2) * 16), 16);
  const hexIds = Array.from({ length: lookups }, (_, i) => Buffer.from(ids.subarray(i * 16, i * 16 + 16)).toString('hex'));
  const jsBloom = new JsBloom(lookups, 0.01);
  for (let i = 0; i < lookups / 2; i++) jsBloom.add(hexIds[i]!);
  const tasks: ThroughputTask[] = [
    {
      group: 'scrub', name: 'otel-sieve probabilistic_sampler + attributes', unit: 'spans', units: spans,
      fn: () => {
        for (const bytes of requests) {
          // protobufView(): the bytes an exporter sends, without another copy out of the core.
          for (const out of scrub.process(TraceBatch.fromProtobuf(bytes), 0)) {
            benchSink += out.protobufView().length;
            out.dispose();
          }
        }
      },
    },
    {
      group: 'scrub', name: 'protobufjs decode → sample + scrub → encode', baseline: true, unit: 'spans', units: spans,
      fn: () => {
        for (const bytes of requests) benchSink += sampleAndScrubWithProtobufjs(bytes, SCRUB).length;
      },
    },
    {
      group: 'filter_scrub', name: 'otel-sieve keep mask (drop ~30 %) + attributes, one splice', unit: 'spans', units: spans,
      fn: () => {
        for (const bytes of requests) {
          const batch = TraceBatch.fromProtobuf(bytes);
          for (const out of scrubEdit.processKept(batch, keepMask(batch, DROP_30, mask.subarray(0, batch.spanCount)))) {
            benchSink += out.protobufView().length;
            out.dispose();
          }
        }
      },
    },
    {
      group: 'filter_scrub', name: 'protobufjs decode → filter + scrub → encode', baseline: true, unit: 'spans', units: spans,
      fn: () => {
        for (const bytes of requests) benchSink += filterAndScrubWithProtobufjs(bytes).length;
      },
    },
    {
      group: 'filter_redaction', name: 'otel-sieve filter (4 OTTL conditions, drop ~30 %) + redaction (mask 3 keys), one splice', unit: 'spans', units: spans,
      fn: () => through(filterRedaction),
    },
    {
      group: 'filter_redaction', name: 'protobufjs decode → hand-written filter + mask → encode', baseline: true, unit: 'spans', units: spans,
      fn: () => {
        for (const bytes of requests) benchSink += filterAndRedactWithProtobufjs(bytes).length;
      },
    },
    {
      group: 'ottl_filter', name: 'otel-sieve filter (4 OTTL conditions in the core VM)', unit: 'spans', units: spans,
      fn: () => through(filter),
    },
    {
      group: 'ottl_filter', name: 'protobufjs decode → hand-written predicate → encode', baseline: true, unit: 'spans', units: spans,
      fn: () => {
        for (const bytes of requests) benchSink += filterWithProtobufjsPredicate(bytes).length;
      },
    },
    {
      group: 'redact_values', name: 'otel-sieve redaction (blocked_values, allowed_values)', unit: 'spans', units: spans,
      fn: () => {
        for (const bytes of requests) {
          for (const out of redact.process(TraceBatch.fromProtobuf(bytes), 0)) {
            benchSink += out.protobufView().length;
            out.dispose();
          }
        }
      },
    },
    {
      group: 'redact_values', name: 'protobufjs decode → mask values (JS RegExp) → encode', baseline: true, unit: 'spans', units: spans,
      fn: () => {
        for (const bytes of requests) benchSink += redactValuesWithProtobufjs(bytes, REDACT_VALUES).length;
      },
    },
    {
      group: 'tail_sampling', name: 'otel-sieve tail_sampling (3 policies), ingest → decide → release', unit: 'spans', units: spans,
      fn: () => {
        const p = Pipeline.fromConfig(TAIL_CONFIG);
        let now = 0;
        for (const bytes of requests) {
          for (const out of p.process(TraceBatch.fromProtobuf(bytes), (now += 100))) {
            benchSink += out.spanCount;
            out.dispose();
          }
        }
        for (const out of p.flush(now)) {
          benchSink += out.spanCount;
          out.dispose();
        }
        p.shutdown();
      },
    },
    {
      group: 'tail_sampling', name: 'protobufjs decode → group by trace → 3 policies → encode', baseline: true, unit: 'spans', units: spans,
      fn: () => {
        for (const out of tailSampleWithProtobufjs(requests, { latencyMs: 500, percent: 10, salt: 'default-hash-seed' })) benchSink += out.length;
      },
    },
    {
      group: 'bloom', name: 'otel-sieve BloomFilter.hasAll (16-byte ids, SIMD)', unit: 'lookups', units: lookups,
      fn: () => {
        // In request-sized slices (64 Ki ids), the way a caller checks the ids of each batch.
        for (let off = 0; off < lookups; off += 65536) benchSink += bloom.hasAll(ids.subarray(off * 16, Math.min(lookups, off + 65536) * 16), 16);
      },
    },
    {
      group: 'bloom', name: 'JS bloom filter over hex strings', baseline: true, unit: 'lookups', units: lookups,
      fn: () => {
        let hits = 0;
        for (let i = 0; i < hexIds.length; i++) if (jsBloom.has(hexIds[i]!)) hits++;
        benchSink += hits;
      },
    },
  ];
  return tasks;
}

export interface ThroughputResult {
  readonly group: string;
  readonly name: string;
  readonly unit: string;
  /** Units per second (mean over the samples). */
  readonly perSecond: number;
  /** perSecond ÷ the group's baseline, when the group has one. */
  readonly ratio?: number;
}

/** Runs the tasks with tinybench and returns throughput and ratios. */
export async function runProcessorBenchmarks(options: ProcessorBenchOptions & { time?: number } = {}): Promise<ThroughputResult[]> {
  const tasks = processorTasks(options);
  const bench = new Bench({ time: options.time ?? 2000, warmup: true });
  for (const t of tasks) bench.add(t.name, t.fn);
  await bench.run();
  const perSecond = new Map<string, number>();
  for (const task of bench.tasks) {
    const t = tasks.find((x) => x.name === task.name)!;
    const r = task.result as { latency?: { mean: number } };
    perSecond.set(t.name, r.latency ? (t.units / r.latency.mean) * 1000 : 0);
  }
  return tasks.map((t) => {
    const base = tasks.find((b) => b.group === t.group && b.baseline);
    const ps = perSecond.get(t.name)!;
    return { group: t.group, name: t.name, unit: t.unit, perSecond: ps, ...(base && !t.baseline ? { ratio: ps / perSecond.get(base.name)! } : {}) };
  });
}

/** The same tasks as a suite of `otel-sieve bench` (bench/harness.ts); bloom rows count lookups as "spans". */
export function processorsSuite(corpus: Uint8Array[]): BenchSuite {
  const bytes = corpus.reduce((n, r) => n + r.length, 0);
  return {
    name: 'processors',
    tasks: processorTasks({}, corpus).map((t) => ({
      name: t.name,
      group: t.group,
      kind: t.baseline ? ('baseline' as const) : ('ours' as const),
      spans: t.units,
      bytes: t.unit === 'spans' ? bytes : t.units * 16,
      fn: t.fn,
    })),
  };
}
