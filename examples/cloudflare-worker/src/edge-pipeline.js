// The worker's processing, written with what otel-sieve offers today (TraceBatch.filter/select
// and the JSON views); the collector-shaped Pipeline with `redaction` and `tail_sampling`
// processors replaces it when it lands (see docs/INTEGRATIONS.md).
//
// Per request batch (browsers export whole page-load traces in one request):
//  1. drop health checks and everything under them;
//  2. tail-sample: keep every trace that has an error or a root slower than `slowMs`, plus a
//     deterministic `sampleRatio` of the rest, chosen by trace id (the same trace gets the same
//     decision in every worker, like probabilistic_sampler's hash of the trace id);
//  3. redact: remove the attributes in `redactKeys` from the spans that carry them.

/** The 56 low bits of the trace id as a fraction in [0, 1): W3C random trace ids are uniform there. */
function traceRandomness(traceId) {
  return parseInt(traceId.slice(-14), 16) / 2 ** 56;
}

export function edgePipeline(sieve, { slowMs = 1000, sampleRatio = 0.1, redactKeys = [] } = {}) {
  const slowNanos = BigInt(Math.round(slowMs * 1e6));
  return {
    process(batch) {
      try {
        const spans = batch.spans();
        const health = new Set();
        const keepTrace = new Set();
        for (const s of spans) {
          if (/\/health/.test(s.name)) health.add(s.spanId);
          if (s.status.code === 2 || (s.parentSpanId === '' && s.durationNanos >= slowNanos)) keepTrace.add(s.traceId);
        }
        const keep = spans.map((s) => !health.has(s.spanId) && !health.has(s.parentSpanId)
          && (keepTrace.has(s.traceId) || traceRandomness(s.traceId) < sampleRatio));
        const sensitive = spans.map((s, i) => keep[i] && redactKeys.length > 0 && s.attributes.some((a) => redactKeys.includes(a.key)));
        // Spans without secrets leave byte for byte; the few with secrets are rewritten.
        const clean = batch.select(keep.map((k, i) => k && !sensitive[i]));
        if (!sensitive.includes(true)) return [clean];
        const dirty = batch.select(sensitive);
        const json = dirty.toJSON();
        dirty.dispose();
        for (const rs of json.resourceSpans ?? []) {
          for (const ss of rs.scopeSpans ?? []) {
            for (const span of ss.spans ?? []) span.attributes = (span.attributes ?? []).filter((a) => !redactKeys.includes(a.key));
          }
        }
        return [clean, sieve.TraceBatch.fromJSON(json)];
      } finally {
        batch.dispose();
      }
    },
    flush: () => [],
  };
}
