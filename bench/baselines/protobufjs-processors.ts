// The processors benchmark's JavaScript baseline: the same pipeline as otel-sieve's
// probabilistic_sampler (hash_seed, fail_closed) + attributes (delete, delete, hash) done the usual
// way — protobufjs decode, work on objects, encode. Its sampling arithmetic follows the collector
// (FNV-1a-32 over the little-endian seed and the trace id, 14-bit buckets, `ot=rv:…;th:…` added to
// the tracestate of kept spans); its tracestate handling covers the shapes the bench corpus has.
import { createHash } from 'node:crypto';
import { decodeWithProtobufjs, encodeWithProtobufjs } from './protobufjs-pipeline.js';
import type { PbKeyValue } from './protobufjs-pipeline.js';

export interface ScrubPlan {
  /** sampling_percentage */
  readonly percent: number;
  readonly seed: number;
  readonly deleteKeys: readonly string[];
  readonly hashKeys: readonly string[];
}

/** FNV-1a-32 over the little-endian seed and the id (the hash_seed sampler's hash). */
export function fnv32a(seed: number, id: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 4; i++) h = Math.imul(h ^ ((seed >>> (8 * i)) & 0xff), 0x01000193);
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id[i]!, 0x01000193);
  return h >>> 0;
}

export const hex14 = (v: bigint): string => v.toString(16).padStart(14, '0');

export function sampleAndScrubWithProtobufjs(bytes: Uint8Array, plan: ScrubPlan): Uint8Array {
  const scaled = Math.trunc(Math.fround(Math.fround(Math.min(plan.percent, 100)) * Math.fround(163.84)));
  const th = hex14(BigInt(16384 - scaled) << 42n).replace(/0+$/, '') || '0';
  const del = new Set(plan.deleteKeys);
  const hash = new Set(plan.hashKeys);
  const req = decodeWithProtobufjs(bytes);
  const resources = [];
  for (const rs of req.resourceSpans) {
    const scopes = [];
    for (const ss of rs.scopeSpans) {
      const kept = [];
      for (const span of ss.spans) {
        const id = span.traceId ?? new Uint8Array(0);
        if (id.every((b) => b === 0)) continue; // missing randomness: fail_closed
        const ts = span.traceState ?? '';
        if (/(^|,)\s*ot=/.test(ts)) continue; // rv/th already present: hash_seed refuses (fail_closed)
        const h = fnv32a(plan.seed, id);
        const bucket = h & 0x3fff;
        if (bucket >= scaled) continue;
        const unused = BigInt(h >>> 14);
        const rv = ((16383n - BigInt(bucket)) << 42n) | (((unused ^ (unused << 10n)) & 0xfffffffn) << 14n) | BigInt(bucket);
        span.traceState = `ot=rv:${hex14(rv)};th:${th}${ts ? `,${ts}` : ''}`;
        const attrs: PbKeyValue[] = [];
        for (const kv of span.attributes) {
          if (del.has(kv.key ?? '')) continue;
          if (hash.has(kv.key ?? '') && kv.value && typeof kv.value.stringValue === 'string') {
            kv.value = { stringValue: kv.value.stringValue ? createHash('sha256').update(kv.value.stringValue).digest('hex') : '' };
          }
          attrs.push(kv);
        }
        span.attributes = attrs;
        kept.push(span);
      }
      if (kept.length) {
        ss.spans = kept;
        scopes.push(ss);
      }
    }
    if (scopes.length) {
      rs.scopeSpans = scopes;
      resources.push(rs);
    }
  }
  req.resourceSpans = resources;
  return encodeWithProtobufjs(req);
}
