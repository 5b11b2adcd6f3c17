// Runs SDK log records through a logs pipeline: encode as the SDK's exporter would, index in the
// core, hand the batch to the pipeline, and turn what comes out back into ReadableLogRecords. Records
// the pipeline kept unchanged come back as the SDK's own objects (found by their encoded bytes);
// records it edited, or released after the originals were forgotten, are rebuilt from the bytes.
import { LogBatch } from '../otlp/log-batch.js';
import type { LogRecordView } from '../otlp/log-views.js';
import type { ScopeViewBase } from '../otlp/envelope-views.js';
import { runPipeline, tickPipeline } from '../integrations/pipeline-like.js';
import type { LogsPipelineLike } from '../integrations/pipeline-like.js';
import { encodeReadableLogs } from './encode-readable-logs.js';
import { attributesOf, jsValue, PlainResource } from './readable-span-from-view.js';
import type { InstrumentationScope, Resource, SpanContext } from './sdk-types.js';
import type { ReadableLogRecord } from './sdk-log-types.js';

/** The SDK applied its own limits: the core must not truncate again (edits would appear). */
const SDK_DECODE_OPTIONS = Object.freeze({ maxDepth: 512, maxAttributesPerLogRecord: Infinity, allowEmpty: true });

export interface LogRunnerResult {
  records: ReadableLogRecord[];
  rejected: number;
  message: string;
}

interface Retained {
  bytes: Uint8Array;
  record: ReadableLogRecord;
}

/** FNV-1a over a record's bytes: a map key; equality is checked on the bytes themselves. */
function keyOf(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h ^ (end - start)) >>> 0;
}

function hr(nanos: bigint): [number, number] {
  const n = nanos < 0n ? 0n : nanos;
  return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
}

function scopeOf(s: ScopeViewBase): InstrumentationScope {
  const attrs = s.attributes;
  return {
    name: s.name,
    ...(s.version ? { version: s.version } : {}),
    ...(s.schemaUrl ? { schemaUrl: s.schemaUrl } : {}),
    ...(attrs.length ? { attributes: attributesOf(attrs) } : {}),
    ...(s.droppedAttributesCount ? { droppedAttributesCount: s.droppedAttributesCount } : {}),
  };
}

/** Plain-data ReadableLogRecord of a record view; `resource` and `scope` are shared per batch. */
function recordFromView(v: LogRecordView, resource: Resource, instrumentationScope: InstrumentationScope): ReadableLogRecord {
  const traceId = v.traceId;
  const spanContext: SpanContext | undefined = traceId ? { traceId, spanId: v.spanId, traceFlags: v.flags & 0xff, isRemote: false } : undefined;
  return {
    hrTime: hr(v.timeUnixNano),
    hrTimeObserved: hr(v.observedTimeUnixNano),
    ...(spanContext ? { spanContext } : {}),
    ...(v.severityText ? { severityText: v.severityText } : {}),
    ...(v.severityNumber ? { severityNumber: v.severityNumber } : {}),
    ...(v.hasBody ? { body: jsValue(v.body) } : {}),
    ...(v.eventName ? { eventName: v.eventName } : {}),
    resource,
    instrumentationScope,
    attributes: attributesOf(v.attributes),
    droppedAttributesCount: v.droppedAttributesCount,
  };
}

export class LogPipelineRunner {
  /** Originals by the key of their encoded bytes, oldest first (bounded by maxRetained). */
  private readonly retained = new Map<number, Retained[]>();
  private readonly order: number[] = [];
  private size = 0;

  constructor(private readonly pipeline: LogsPipelineLike, private readonly maxRetained: number, private readonly now: () => number) {
    if (!pipeline || typeof pipeline.process !== 'function' || typeof pipeline.flush !== 'function') {
      throw new TypeError('pipeline must have process(batch, now) and flush(now)');
    }
  }

  /** Throws a PipelineRefusedError when the pipeline refuses (nothing was taken), other errors as they come. */
  process(records: readonly ReadableLogRecord[]): LogRunnerResult {
    if (!records.length) return { records: this.tick(), rejected: 0, message: '' };
    const encoded = encodeReadableLogs(records);
    const batch = LogBatch.fromProtobuf(encoded.bytes, SDK_DECODE_OPTIONS);
    const remembered: number[] = [];
    try {
      for (let i = 0; i < batch.logRecordCount; i++) {
        const [start, end] = batch.logRecord(i).byteRange;
        const key = keyOf(encoded.bytes, start, end);
        this.remember(key, { bytes: encoded.bytes.subarray(start, end), record: encoded.records[i]! });
        remembered.push(key);
      }
    } catch (err) {
      batch.dispose();
      throw err;
    }
    const at = this.now();
    let outcome;
    try {
      outcome = runPipeline(this.pipeline, batch, at);
    } catch (err) {
      // Refused: nothing was taken, so nothing will come back for these records.
      for (const key of remembered) this.forgetOne(key);
      batch.dispose();
      throw err;
    }
    return { records: this.collect([...outcome.batches, ...tickPipeline(this.pipeline, at)]), rejected: outcome.rejectedSpans, message: outcome.message };
  }

  tick(): ReadableLogRecord[] {
    return this.collect(tickPipeline(this.pipeline, this.now()));
  }

  flush(): ReadableLogRecord[] {
    return this.collect(this.pipeline.flush(this.now()));
  }

  clear(): void {
    this.retained.clear();
    this.order.length = 0;
    this.size = 0;
  }

  private remember(key: number, entry: Retained): void {
    let list = this.retained.get(key);
    if (!list) this.retained.set(key, (list = []));
    list.push(entry);
    this.order.push(key);
    this.size++;
    while (this.size > this.maxRetained && this.order.length) this.forgetOne(this.order.shift()!);
  }

  private forgetOne(key: number): void {
    const list = this.retained.get(key);
    if (!list?.length) return;
    list.shift();
    this.size--;
    if (!list.length) this.retained.delete(key);
  }

  /** The original whose bytes equal [start, end) of `bytes`, taken out of the retained set. */
  private take(key: number, bytes: Uint8Array, start: number, end: number): ReadableLogRecord | undefined {
    const list = this.retained.get(key);
    if (!list) return undefined;
    const at = list.findIndex((r) => r.bytes.length === end - start && r.bytes.every((b, i) => b === bytes[start + i]));
    if (at < 0) return undefined;
    const [found] = list.splice(at, 1);
    this.size--;
    if (!list.length) this.retained.delete(key);
    const pos = this.order.indexOf(key);
    if (pos >= 0) this.order.splice(pos, 1);
    return found!.record;
  }

  private collect(batches: LogBatch[]): ReadableLogRecord[] {
    const out: ReadableLogRecord[] = [];
    try {
      for (const b of batches) {
        const bytes = b.toProtobuf();
        const resources = new Map<number, Resource>();
        const scopes = new Map<number, InstrumentationScope>();
        for (let i = 0; i < b.logRecordCount; i++) {
          const v = b.logRecord(i);
          const [start, end] = v.byteRange;
          const original = this.take(keyOf(bytes, start, end), bytes, start, end);
          if (original) {
            out.push(original);
            continue;
          }
          const r = v.resource;
          const s = v.scope;
          let resource = resources.get(r.index);
          if (!resource) resources.set(r.index, (resource = new PlainResource(attributesOf(r.attributes), r.schemaUrl || undefined)));
          let scope = scopes.get(s.index);
          if (!scope) scopes.set(s.index, (scope = scopeOf(s)));
          out.push(recordFromView(v, resource, scope));
        }
      }
    } finally {
      for (const b of batches) b.dispose();
    }
    return out;
  }
}
