// Runs SDK spans through a pipeline: encode as the SDK's exporter would, index in the core, hand
// the batch to the pipeline, and turn what comes out back into ReadableSpans. Shared by the span
// processor and the exporter wrapper; the pipeline glue itself lives in integrations/.
import { TraceBatch } from '../otlp/trace-batch.js';
import { runPipeline, tickPipeline } from '../integrations/pipeline-like.js';
import type { TracesPipelineLike } from '../integrations/pipeline-like.js';
import { encodeReadableSpans } from './encode-readable-spans.js';
import { SpanMatcher } from './span-matcher.js';
import type { ReadableSpan } from './sdk-types.js';

/**
 * The SDK has already applied its own span limits; the core must not truncate again (that would
 * make unchanged spans look edited). The depth cap stays finite: it bounds the core's recursion.
 */
const SDK_DECODE_OPTIONS = Object.freeze({
  maxDepth: 512,
  maxAttributesPerSpan: Infinity,
  maxEventsPerSpan: Infinity,
  maxLinksPerSpan: Infinity,
  maxAttributesPerEvent: Infinity,
  maxAttributesPerLink: Infinity,
  allowEmpty: true,
});

export interface RunnerResult {
  /** The spans to export now (possibly including spans of earlier calls a buffering pipeline released). */
  spans: ReadableSpan[];
  /** Spans the pipeline rejected as invalid. */
  rejected: number;
  message: string;
}

export class SpanPipelineRunner {
  private readonly matcher: SpanMatcher;

  constructor(private readonly pipeline: TracesPipelineLike, maxRetainedSpans: number, private readonly now: () => number) {
    if (!pipeline || typeof pipeline.process !== 'function' || typeof pipeline.flush !== 'function') {
      throw new TypeError('pipeline must have process(batch, now) and flush(now)');
    }
    this.matcher = new SpanMatcher(maxRetainedSpans);
  }

  /** Throws a PipelineRefusedError when the pipeline refuses (nothing was taken), other errors as they come. */
  process(spans: readonly ReadableSpan[]): RunnerResult {
    if (!spans.length) return { spans: this.tick(), rejected: 0, message: '' };
    const encoded = encodeReadableSpans(spans);
    const batch = TraceBatch.fromProtobuf(encoded.bytes, SDK_DECODE_OPTIONS);
    let entries;
    try {
      entries = this.matcher.prepare(encoded, batch);
    } catch (err) {
      batch.dispose();
      throw err;
    }
    this.matcher.remember(entries);
    const at = this.now();
    let outcome;
    try {
      outcome = runPipeline(this.pipeline, batch, at);
    } catch (err) {
      this.matcher.forget(entries);
      batch.dispose();
      throw err;
    }
    return { spans: this.collect([...outcome.batches, ...tickPipeline(this.pipeline, at)]), rejected: outcome.rejectedSpans, message: outcome.message };
  }

  /** Timers due now (tail-sampling decisions) without new spans. */
  tick(): ReadableSpan[] {
    return this.collect(tickPipeline(this.pipeline, this.now()));
  }

  /** Everything the pipeline buffers. */
  flush(): ReadableSpan[] {
    return this.collect(this.pipeline.flush(this.now()));
  }

  clear(): void {
    this.matcher.clear();
  }

  private collect(batches: TraceBatch[]): ReadableSpan[] {
    const out: ReadableSpan[] = [];
    try {
      for (const b of batches) out.push(...this.matcher.spansOf(b));
    } finally {
      for (const b of batches) b.dispose();
    }
    return out;
  }
}
