// The trace store: recent kept traces in bounded core memory, for Tempo's query API and the page.
// It is an exporter of every traces pipeline (it copies what it is given), holds blocks — the
// newest taking batches, older ones sealed — and forgets the oldest beyond its size or age, counting
// what it evicts. A lookup by id asks each block's bloom filter before scanning it; TraceQL runs
// over the batches of the blocks that overlap the asked time range, as one pool of spans.
import { TRACE_KEPT, TRACE_UNKNOWN } from '../../correlation/trace-lookup.js';
import type { TraceLookup } from '../../correlation/trace-lookup.js';
import { concatTraceBatches } from '../../otlp/trace-concat.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { compile } from '../../traceql/query.js';
import type { CompiledQuery } from '../../traceql/query.js';
import { TraceQLError } from '../../traceql/errors.js';
import type { SearchResponse } from '../../traceql/search-response.js';
import type { QueryRangeResponse } from '../../traceql/metrics.js';
import { emptyStats } from '../../exporters/traces-exporter.js';
import type { ExportOutcome, ExporterStats, TracesExporter } from '../../exporters/traces-exporter.js';
import { StoreBlock } from './store-block.js';
import { TagValueSet, addTagValues } from './tag-scan.js';
import type { TagScope, TagTarget, TagValue } from './tag-scan.js';
import type { TraceStoreConfig } from './trace-store-config.js';

export type EvictionReason = 'size' | 'age';

export interface TraceStoreStats {
  blocks: number;
  spans: number;
  bytes: number;
  maxBytes: number;
  /** Evicted so far, by reason. */
  evicted: Record<EvictionReason, { blocks: number; spans: number; bytes: number }>;
  /** Lookups by id: blocks the bloom ruled out, blocks scanned, scans that found nothing (false positives). */
  lookups: { requests: number; bloomNegative: number; scanned: number; falsePositive: number; found: number };
  /** Batches the store could not copy (core memory exhausted); their spans are not queryable. */
  droppedSpans: number;
}

/** A time range in Unix nanoseconds (both inclusive). */
export interface NanoRange {
  start: bigint;
  end: bigint;
}

export interface StoreSearchOptions {
  spss: number;
  limit: number;
  range?: NanoRange;
}

export interface StoreSearchResult extends SearchResponse {
  metrics: { inspectedBytes: string; inspectedSpans: number; totalBlocks: number; completedJobs: number; totalJobs: number };
}

/** Parses a hex trace id as Tempo does: up to 32 hex digits, left-padded with zeros. */
export function traceIdBytes(hex: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F]{1,32}$/.test(hex)) return undefined;
  const full = hex.padStart(32, '0');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(full.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const QUERY_CACHE = 64;
/** Bytes per id added to a block's bloom, for sizing it (ids are added once per run of a trace). */
const BYTES_PER_ID = 512;

export class TraceStore implements TracesExporter, TraceLookup {
  readonly id = 'trace_store';
  readonly accepting = true;
  private readonly blocks: StoreBlock[] = [];
  private head: StoreBlock | undefined;
  private nextId = 1;
  private readonly counters = emptyStats();
  private readonly evicted: TraceStoreStats['evicted'] = { size: { blocks: 0, spans: 0, bytes: 0 }, age: { blocks: 0, spans: 0, bytes: 0 } };
  private readonly lookupCounts: TraceStoreStats['lookups'] = { requests: 0, bloomNegative: 0, scanned: 0, falsePositive: 0, found: 0 };
  private readonly queries = new Map<string, CompiledQuery>();
  private closed = false;

  constructor(readonly config: TraceStoreConfig, private readonly now: () => number = Date.now) {}

  /** Copies the batch into the newest block (the caller disposes its own); never rejects. */
  export(batch: TraceBatch): Promise<ExportOutcome> {
    const spans = batch.spanCount;
    this.counters.received += spans;
    if (this.closed || spans === 0) return Promise.resolve({ delivered: 0, lost: 0 });
    const now = this.now();
    let copy: TraceBatch | undefined;
    let head: StoreBlock;
    try {
      copy = concatTraceBatches([batch]);
      head = this.headBlock(now);
      head.add(copy, now);
      copy = undefined; // the block owns it
    } catch (err) {
      // Core memory is exhausted (the copy, a bloom filter): the spans went to the other
      // exporters; only the store's copy is lost, and counted.
      copy?.dispose();
      this.counters.dropped += spans;
      return Promise.resolve({ delivered: 0, lost: spans, error: err instanceof Error ? err : new Error(String(err)) });
    }
    this.counters.delivered += spans;
    if (head.bytes >= this.config.blockBytes) this.sealHead();
    this.enforceSize();
    return Promise.resolve({ delivered: spans, lost: 0 });
  }

  private headBlock(now: number): StoreBlock {
    if (!this.head) {
      this.head = new StoreBlock(this.nextId++, now, Math.max(1024, Math.ceil(this.config.blockBytes / BYTES_PER_ID)), this.config.bloomFalsePositiveRate);
      this.blocks.push(this.head);
    }
    return this.head;
  }

  private sealHead(): void {
    this.head?.seal();
    this.head = undefined;
  }

  /** Seals the newest block when it is old enough, evicts by age and size; call about once a second. */
  tick(now = this.now()): void {
    if (this.head && now - this.head.createdAt >= this.config.blockDurationMs) this.sealHead();
    while (this.blocks.length && now - this.blocks[0]!.updatedAt > this.config.maxAgeMs) this.evictOldest('age');
    // Searches build attribute tables, which hold memory too.
    for (const b of this.blocks) b.remeasure();
    this.enforceSize();
  }

  private enforceSize(): void {
    let total = this.blocks.reduce((n, b) => n + b.bytes, 0);
    while (total > this.config.maxBytes && this.blocks.length) {
      const gone = this.blocks[0]!;
      total -= gone.bytes;
      this.evictOldest('size');
    }
  }

  private evictOldest(reason: EvictionReason): void {
    const block = this.blocks.shift()!;
    if (block === this.head) this.head = undefined;
    const e = this.evicted[reason];
    e.blocks++;
    e.spans += block.spans;
    e.bytes += block.bytes;
    block.dispose();
  }

  /** The spans of a trace (one batch the caller owns), or undefined when the store has none. */
  lookup(traceId: Uint8Array): TraceBatch | undefined {
    this.lookupCounts.requests++;
    const found: TraceBatch[] = [];
    try {
      for (const block of this.blocks) {
        if (!block.mayContain(traceId)) {
          this.lookupCounts.bloomNegative++;
          continue;
        }
        this.lookupCounts.scanned++;
        const parts = block.find(traceId);
        if (!parts.length) this.lookupCounts.falsePositive++;
        found.push(...parts);
      }
      if (!found.length) return undefined;
      this.lookupCounts.found++;
      return found.length === 1 ? found.pop() : concatTraceBatches(found);
    } finally {
      for (const b of found) b.dispose();
    }
  }

  /**
   * TraceLookup for logs_follow_traces (`decisions: trace_store` in the gateway): a trace the store
   * holds was kept, so its log records are kept (TRACE_KEPT); anything else is unknown to the store
   * (it never sees drops), so those records wait out the processor's `wait` and then follow its
   * `undecided` setting. Answered from the blocks' bloom filters — one probe per block, no scan — so
   * a trace the store does not hold reads as kept at the filters' false-positive rate
   * (bloom_false_positive_rate, default 1 %).
   */
  lookupTraces(ids: Uint8Array, count: number, out: Uint8Array): void {
    // One bulk probe per block (a core call over every id), not one call per record.
    const hits = new Uint8Array(count);
    const scratch = new Uint8Array(count);
    for (const block of this.blocks) block.mayContainAll(ids, count, hits, scratch);
    for (let i = 0; i < count; i++) out[i] = hits[i] ? TRACE_KEPT : TRACE_UNKNOWN;
  }

  /** A compiled query from a small cache (a dashboard repeats the same few). Throws TraceQLError. */
  compiled(text: string): CompiledQuery {
    let q = this.queries.get(text);
    if (q) {
      this.queries.delete(text);
      this.queries.set(text, q);
      return q;
    }
    q = compile(text);
    this.queries.set(text, q);
    if (this.queries.size > QUERY_CACHE) this.queries.delete(this.queries.keys().next().value!);
    return q;
  }

  private blocksIn(range: NanoRange | undefined): StoreBlock[] {
    return range ? this.blocks.filter((b) => b.overlaps(range.start, range.end)) : this.blocks.filter((b) => b.spans > 0);
  }

  /** TraceQL search over the blocks overlapping `range`, in Tempo's response shape. */
  search(query: string, options: StoreSearchOptions): StoreSearchResult {
    const q = this.compiled(query);
    const blocks = this.blocksIn(options.range);
    const batches = blocks.flatMap((b) => b.batches());
    const metrics = {
      inspectedBytes: String(batches.reduce((n, b) => n + b.byteLength, 0)),
      inspectedSpans: batches.reduce((n, b) => n + b.spanCount, 0),
      totalBlocks: blocks.length,
      completedJobs: blocks.length,
      totalJobs: blocks.length,
    };
    if (q.kind !== 'search') throw new TraceQLError('this is a metrics query: use /api/metrics/query_range', 1, 1, 'validate');
    if (!batches.length) return { traces: [], metrics };
    const range = options.range;
    if (!range) return { ...q.search(batches, { spss: options.spss, limit: options.limit }), metrics };
    // Traces overlapping the range: filter the full result, then apply the limit.
    const all = q.search(batches, { spss: options.spss, limit: 0 }).traces.filter((t) => {
      const start = BigInt(t.startTimeUnixNano);
      const end = start + BigInt(t.durationMs) * 1_000_000n;
      return start <= range.end && end >= range.start;
    });
    return { traces: options.limit > 0 ? all.slice(0, options.limit) : all, metrics };
  }

  /** A TraceQL metrics query over [start, end) in steps (Tempo's query_range shape). */
  metrics(query: string, range: { start: bigint; end: bigint; step?: bigint }): QueryRangeResponse {
    const q = this.compiled(query);
    const batches = this.blocksIn({ start: range.start, end: range.end }).flatMap((b) => b.batches());
    return q.metrics(batches, range);
  }

  /** Attribute keys per scope, over the blocks overlapping `range`. */
  tagKeys(range?: NanoRange): Map<TagScope, string[]> {
    const all = new Map<TagScope, Set<string>>();
    for (const block of this.blocksIn(range)) {
      const keys = block.tagKeys();
      for (const scope of ['resource', 'span', 'event', 'link', 'instrumentation'] as const) {
        let set = all.get(scope);
        if (!set) all.set(scope, (set = new Set()));
        for (const k of keys.keys(scope)) set.add(k);
      }
    }
    return new Map([...all].map(([scope, set]) => [scope, [...set].sort()]));
  }

  /** Distinct values of a tag, newest blocks first, up to `maxBytes` of values. */
  tagValues(target: TagTarget, maxBytes: number, range?: NanoRange): TagValue[] {
    const out = new TagValueSet(maxBytes);
    const blocks = this.blocksIn(range).reverse();
    for (const block of blocks) {
      for (const b of block.batches()) if (!addTagValues(b, target, out)) return out.values();
    }
    return out.values();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Frees every block; later exports are ignored. */
  shutdown(): Promise<void> {
    this.closed = true;
    for (const b of this.blocks) b.dispose();
    this.blocks.length = 0;
    this.head = undefined;
    return Promise.resolve();
  }

  stats(): ExporterStats {
    return { ...this.counters };
  }

  storeStats(): TraceStoreStats {
    return {
      blocks: this.blocks.length,
      spans: this.blocks.reduce((n, b) => n + b.spans, 0),
      bytes: this.blocks.reduce((n, b) => n + b.bytes, 0),
      maxBytes: this.config.maxBytes,
      evicted: { size: { ...this.evicted.size }, age: { ...this.evicted.age } },
      lookups: { ...this.lookupCounts },
      droppedSpans: this.counters.dropped,
    };
  }
}

