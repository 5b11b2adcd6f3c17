// One block of the trace store (Tempo's model in miniature): the batches that arrived during a
// window, a bloom filter over their trace ids kept in the core, and the time range their spans
// cover. The newest block takes batches as they come; once sealed its batches are joined into one
// (one table, one scan) and it never changes again, so what is computed about it can be cached.
import { BloomFilter } from '../../bloom/bloom-filter.js';
import { concatTraceBatches } from '../../otlp/trace-concat.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { TagKeySet } from './tag-scan.js';

const NONE = 0xffff_ffff_ffff_ffffn;

export class StoreBlock {
  private parts: TraceBatch[] = [];
  private readonly bloom: BloomFilter;
  private sealedTags: TagKeySet | undefined;
  /** Spans held. */
  spans = 0;
  /** Core memory held by the batches (input and tables), bytes. */
  bytes = 0;
  /** Earliest span start and latest span end, Unix ns (NONE / 0 while empty). */
  minStartNs = NONE;
  maxEndNs = 0n;
  /** Unix ms of the first and the latest batch. */
  readonly createdAt: number;
  updatedAt: number;
  sealed = false;

  constructor(readonly id: number, now: number, expectedIds: number, falsePositiveRate: number) {
    this.createdAt = now;
    this.updatedAt = now;
    this.bloom = BloomFilter.create({ expectedItems: expectedIds, falsePositiveRate });
    this.bytes = this.bloom.byteLength;
  }

  /** Takes ownership of `batch` (a copy the store made): its ids into the bloom, its times into the range. */
  add(batch: TraceBatch, now: number): void {
    const core = batch.core;
    const header = batch.headerPtr;
    const bloom = this.bloom.corePointer;
    core.call('storeAddTraceIds', (ex) => ex.storeAddTraceIds(bloom, header));
    const out = core.scratch(16);
    if (!out) throw new RangeError('trace store: no core memory for a 16-byte scratch area');
    core.call('storeTimeRange', (ex) => ex.storeTimeRange(header, out));
    const dv = core.dv;
    const lo = dv.getBigUint64(out, true);
    const hi = dv.getBigUint64(out + 8, true);
    if (batch.spanCount > 0) {
      if (lo < this.minStartNs) this.minStartNs = lo;
      if (hi > this.maxEndNs) this.maxEndNs = hi;
    }
    this.parts.push(batch);
    this.spans += batch.spanCount;
    this.bytes += batch.memoryFootprint;
    this.updatedAt = now;
  }

  /** Freezes the block and joins its batches into one (when core memory allows: else they stay apart). */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    if (this.parts.length > 1) {
      let joined: TraceBatch | undefined;
      try {
        joined = concatTraceBatches(this.parts);
      } catch {
        // Out of core memory: the parts answer queries just as well, only slower.
      }
      if (joined) {
        for (const p of this.parts) p.dispose();
        this.parts = [joined];
      }
    }
    this.remeasure();
  }

  /** Re-reads the memory held (attribute tables are built on first search and count too). */
  remeasure(): number {
    this.bytes = this.parts.reduce((n, b) => n + b.memoryFootprint, 0) + this.bloom.byteLength;
    return this.bytes;
  }

  /** Whether any span may belong to the trace (false means certainly not). */
  mayContain(traceId: Uint8Array): boolean {
    return this.bloom.has(traceId);
  }

  /** For each of `count` 16-byte trace ids stored back to back, sets out[i] to 1 when the block may hold it (bits already set stay). */
  mayContainAll(ids: Uint8Array, count: number, out: Uint8Array, scratch: Uint8Array): void {
    this.bloom.hasAll(ids.subarray(0, 16 * count), 16, scratch);
    for (let i = 0; i < count; i++) out[i]! |= scratch[i]!;
  }

  /** Whether the block's spans overlap [startNs, endNs]. */
  overlaps(startNs: bigint, endNs: bigint): boolean {
    return this.spans > 0 && this.minStartNs <= endNs && this.maxEndNs >= startNs;
  }

  /** The spans of one trace, as new batches the caller owns (empty when the bloom lied). */
  find(traceId: Uint8Array): TraceBatch[] {
    const out: TraceBatch[] = [];
    for (const part of this.parts) {
      const n = part.spanCount;
      if (!n) continue;
      const core = part.core;
      const header = part.headerPtr;
      const at = core.scratch(16 + n);
      if (!at) throw new RangeError(`trace store: no core memory for a ${n}-span mask`);
      core.u8.set(traceId, at);
      const hits = core.call('storeMatchTraceId', (ex) => ex.storeMatchTraceId(header, at, at + 16) >>> 0);
      if (!hits) continue;
      const mask = core.u8.slice(at + 16, at + 16 + n);
      out.push(part.select(mask));
    }
    return out;
  }

  /** The block's batches (read-only use: search, tags). */
  batches(): readonly TraceBatch[] {
    return this.parts;
  }

  /** Distinct attribute keys per scope; cached once sealed. */
  tagKeys(): TagKeySet {
    if (this.sealedTags) return this.sealedTags;
    const keys = new TagKeySet();
    for (const p of this.parts) keys.addBatch(p);
    if (this.sealed) this.sealedTags = keys;
    return keys;
  }

  dispose(): void {
    for (const p of this.parts) p.dispose();
    this.parts = [];
    this.bloom.dispose();
  }
}
