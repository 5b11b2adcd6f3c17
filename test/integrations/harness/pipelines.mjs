// Small real pipelines built from TraceBatch.filter/select, used by the tests in Node and by the
// workerd harness alike (plain JS for that reason). `api` is the otel-sieve module of the host.

/** A processor-like stage: the pipeline owns the input and returns what it keeps. */
function stage(fn) {
  return {
    process(batch) {
      try {
        return fn(batch);
      } finally {
        batch.dispose();
      }
    },
    flush() {
      return [];
    },
  };
}

/** Drops health checks and everything under them (children of a dropped span in the same batch). */
export function dropHealthChecks() {
  return stage((batch) => {
    const dropped = new Set();
    for (const s of batch) if (/\/health/.test(s.name)) dropped.add(s.traceId + s.spanId);
    const keep = batch.spans().map((s) => !dropped.has(s.traceId + s.spanId) && !dropped.has(s.traceId + s.parentSpanId));
    return [batch.select(keep)];
  });
}

/** A tail decision within the batch: keeps every span of a trace that has an error span. */
export function keepErrorTraces() {
  return stage((batch) => {
    const failed = new Set();
    for (const s of batch) if (s.status.code === 2) failed.add(s.traceId);
    return [batch.filter((s) => failed.has(s.traceId))];
  });
}

/** Rejects spans without a name as invalid (a partial success), keeps the rest. */
export function rejectUnnamed() {
  return {
    process(batch) {
      try {
        const unnamed = batch.spans().filter((s) => s.name === '').length;
        return { batches: [batch.filter((s) => s.name !== '')], rejectedSpans: unnamed, message: unnamed ? `${unnamed} span(s) without a name` : '' };
      } finally {
        batch.dispose();
      }
    },
    flush: () => [],
  };
}

/** Keeps everything and warns (partial success with no rejected spans). */
export function warnOnly() {
  return {
    process: (batch) => ({ batches: [batch], rejectedSpans: 0, message: 'attribute values were truncated' }),
    flush: () => [],
  };
}

/** Holds everything until flush(): a stand-in for tail sampling's buffering. */
export function holdUntilFlush() {
  const held = [];
  return {
    process(batch) {
      held.push(batch);
      return [];
    },
    flush: () => held.splice(0),
  };
}

export function makePipelines(api) {
  return {
    'drop-health': dropHealthChecks(),
    'keep-errors': keepErrorTraces(),
    'reject-unnamed': rejectUnnamed(),
    warn: warnOnly(),
    refuse: {
      process() {
        throw new api.PipelineRefusedError('memory_limiter: usage over the soft limit', 7);
      },
      flush: () => [],
    },
    'refuse-429': {
      process() {
        throw new api.PipelineRefusedError('rate limit', 2, 429);
      },
      flush: () => [],
    },
    // The collector-shaped refusal (the memory limiter's DataRefusedError): no import needed.
    'collector-refusal': {
      process() {
        // The fields of the processors' DataRefusedError (component, reason, retryable, retryAfterMs).
        const err = new Error('memory_limiter: data refused due to high memory usage (usage 410 MiB over the soft limit of 400 MiB); retry after 2500 ms');
        err.component = 'memory_limiter';
        err.reason = 'usage 410 MiB over the soft limit of 400 MiB';
        err.retryable = true;
        err.retryAfterMs = 2500;
        throw err;
      },
      flush: () => [],
    },
    broken: {
      process() {
        throw new TypeError('a bug in a processor');
      },
      flush: () => [],
    },
  };
}

/** The handler options every runtime uses for the behaviour table. */
export const HANDLER_OPTIONS = {
  maxRequestBodySize: 1 << 20,
  cors: { allowedOrigins: ['https://app.example'], allowedHeaders: ['x-tenant'], maxAge: 600 },
};

/** An exporter that records the ids it was given (`trace/span`, hex), for comparing by id. */
export function memoryExporter() {
  const ids = [];
  return {
    id: 'memory',
    accepting: true,
    ids,
    export(batch) {
      for (const s of batch) ids.push(`${s.traceId}/${s.spanId}`);
      return Promise.resolve({ delivered: batch.spanCount, lost: 0 });
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    stats: () => ({ received: ids.length, delivered: ids.length, dropped: 0, failed: 0, rejected: 0, retries: 0, queued: 0, inFlight: 0 }),
  };
}
