// `/api/v2/traces/<id>?q={…}`: only the spans of the trace that match one spanset filter, plus
// (keep_hierarchy, the default) their ancestors so the result is still a tree a waterfall can draw.
// Tempo refuses anything but a single `{ … }` filter; so does this.
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { CompiledQuery } from '../../traceql/query.js';
import { TraceQLError } from '../../traceql/errors.js';

/** A new batch with the matching spans (and their ancestors); the caller disposes both. */
export function filterTraceSpans(batch: TraceBatch, query: CompiledQuery, keepHierarchy: boolean): TraceBatch {
  const root = query.query.root;
  const elements = root.kind === 'pipeline' ? root.elements : [];
  if (elements.length !== 1 || elements[0]!.kind !== 'filter') {
    throw new TraceQLError('q must be a single spanset filter such as { .http.status_code = 500 } (pipelines, structural operators and metrics are not supported here)', 1, 1, 'unsupported');
  }
  const keep = new Set(query.spansets([batch]).flatMap((s) => s.spanIds));
  // One trace: views per span are cheap here and keep the walk simple.
  const spans = batch.spans();
  if (keepHierarchy) {
    const parentOf = new Map(spans.map((s) => [s.spanId, s.parentSpanId]));
    for (const id of [...keep]) {
      let parent = parentOf.get(id);
      while (parent && !keep.has(parent) && parentOf.has(parent)) {
        keep.add(parent);
        parent = parentOf.get(parent);
      }
    }
  }
  return batch.select(spans.map((s) => (keep.has(s.spanId) ? 1 : 0)));
}
