// The core suite: indexing, and decode → keep → encode, against protobufjs (both flavours) and the
// hand-written wire walker, on the same corpus and keep rules (bench/baselines/keep-rule.ts).
import * as L from '../../assembly/abi/trace-layout.js';
import { TraceBatch } from '../../src/otlp/trace-batch.js';
import { getCore } from '../../src/core/init.js';
import { keepRules, keepRuleAccepts } from '../baselines/keep-rule.js';
import type { KeepRule } from '../baselines/keep-rule.js';
import { decodeWithProtobufjs, filterWithProtobufjs, predicateFromRule } from '../baselines/protobufjs-pipeline.js';
import { decodeWithReflection, filterWithReflection } from '../baselines/protobufjs-reflection.js';
import { indexTraceRequest, filterTraceRequest, SpanTable } from '../baselines/js-wire-walker.js';
import { measureRetainedBytes } from '../memory.js';
import type { BenchSuite, BenchTask } from '../harness.js';

/**
 * Applies a keep rule by reading the span table's rows directly (no object per span). Until
 * compiled filters exist in the core this is how a caller decides on ids, status and times.
 */
export function keepMask(batch: TraceBatch, rule: KeepRule, mask: Uint8Array): Uint8Array {
  const n = batch.spanCount;
  const dv = getCore().dv;
  for (let i = 0; i < n; i++) {
    const row = batch.spanRow(i);
    const presence = dv.getUint32(row + L.SP_PRESENCE, true);
    const byte = presence & L.P_TRACE_ID ? dv.getUint8(row + L.SP_TRACE_ID + rule.traceIdByteIndex) : -1;
    // Two 32-bit halves instead of BigInt: exact for any realistic duration, and allocation-free.
    const duration = (dv.getUint32(row + L.SP_END + 4, true) - dv.getUint32(row + L.SP_START + 4, true)) * 4294967296
      + (dv.getUint32(row + L.SP_END, true) - dv.getUint32(row + L.SP_START, true));
    mask[i] = keepRuleAccepts(rule, dv.getInt32(row + L.SP_STATUS_CODE, true), duration, byte) ? 1 : 0;
  }
  return mask;
}

export function coreSuite(corpus: Uint8Array[]): BenchSuite {
  const spans = corpus.reduce((n, r) => n + TraceBatch.fromProtobuf(r).spanCount, 0);
  const bytes = corpus.reduce((n, r) => n + r.length, 0);
  const table = new SpanTable();
  const mask = new Uint8Array(65536);
  const tasks: BenchTask[] = [];
  const group = (name: string, kind: 'ours' | 'baseline', groupName: string, fn: () => unknown) =>
    tasks.push({ name, group: groupName, kind, spans, bytes, fn });

  const index = 'index: every field validated';
  group('otel-sieve: index (span table)', 'ours', index, () => {
    for (const r of corpus) TraceBatch.fromProtobuf(r).dispose();
  });
  group('otel-sieve: index + attribute table', 'ours', index, () => {
    for (const r of corpus) {
      const b = TraceBatch.fromProtobuf(r);
      b.ensureAttributes();
      b.dispose();
    }
  });
  group('protobufjs 7 (reflection): decode', 'baseline', index, () => {
    for (const r of corpus) decodeWithReflection(r);
  });
  group('protobufjs (upstream generated code): decode', 'baseline', index, () => {
    for (const r of corpus) decodeWithProtobufjs(r);
  });
  group('JS wire walker: index', 'baseline', index, () => {
    for (const r of corpus) indexTraceRequest(r, table);
  });

  for (const [label, rule] of [
    ['keep ~50% (by trace id)', keepRules.halfByTraceId],
    ['keep errors and slow spans (~3%)', keepRules.errorsOrSlow],
  ] as const) {
    const g = `decode → ${label} → encode`;
    const pred = predicateFromRule(rule);
    group('otel-sieve: index → mask → splice → toProtobuf()', 'ours', g, () => {
      for (const r of corpus) {
        const b = TraceBatch.fromProtobuf(r);
        const kept = b.select(keepMask(b, rule, mask.subarray(0, b.spanCount)));
        kept.toProtobuf();
        kept.dispose();
        b.dispose();
      }
    });
    group('otel-sieve: … → protobufView() (no copy out)', 'ours', g, () => {
      for (const r of corpus) {
        const b = TraceBatch.fromProtobuf(r);
        const kept = b.select(keepMask(b, rule, mask.subarray(0, b.spanCount)));
        kept.protobufView();
        kept.dispose();
        b.dispose();
      }
    });
    group('protobufjs 7 (reflection): decode → filter → encode', 'baseline', g, () => {
      for (const r of corpus) filterWithReflection(r, pred);
    });
    group('protobufjs (upstream generated code): decode → filter → encode', 'baseline', g, () => {
      for (const r of corpus) filterWithProtobufjs(r, pred);
    });
    // Same guarantees as ours: every field validated before anything is kept.
    group('JS wire walker: validate every field → decide → splice', 'baseline', g, () => {
      for (const r of corpus) {
        indexTraceRequest(r, table);
        filterTraceRequest(r, rule);
      }
    });
    // Less work than ours: reads only the fields the rule needs, stops reading a span once decided,
    // and passes malformed spans through unvalidated.
    group('JS wire walker: skim (no validation) → decide → splice', 'baseline', g, () => {
      for (const r of corpus) filterTraceRequest(r, rule);
    });
  }

  return {
    name: 'core',
    tasks,
    notes: () => {
      const held = corpus.map((r) => TraceBatch.fromProtobuf(r));
      const input = corpus.reduce((n, r) => n + r.length, 0);
      const tableOnly = held.reduce((n, b) => n + b.memoryFootprint, 0) - input;
      held.forEach((b) => b.ensureAttributes());
      const withAttrs = held.reduce((n, b) => n + b.memoryFootprint, 0) - input;
      held.forEach((b) => b.dispose());
      const pbjs = measureRetainedBytes(() => corpus.map((r) => decodeWithReflection(r)));
      return {
        'corpus': `${corpus.length} requests, ${spans} spans, ${(input / 1e6).toFixed(1)} MB, ${(input / spans).toFixed(0)} B/span`,
        'memory held per span beyond the input: otel-sieve span table': `${(tableOnly / spans).toFixed(0)} B`,
        'memory held per span beyond the input: with the attribute table': `${(withAttrs / spans).toFixed(0)} B`,
        'memory held per decoded span: protobufjs 7': pbjs === undefined ? 'needs --expose-gc' : `${(pbjs / spans).toFixed(0)} B`,
      };
    },
  };
}
