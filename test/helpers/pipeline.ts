// Builds a one-pipeline collector config around a processor block, for processor tests.
import { Pipeline } from 'otel-sieve';
import type { TraceBatch } from 'otel-sieve';

export function pipelineWith(processors: Record<string, unknown>, order = Object.keys(processors)): Pipeline {
  return Pipeline.fromConfig({
    receivers: { otlp: { protocols: { http: {} } } },
    processors,
    exporters: { debug: {} },
    service: { pipelines: { traces: { receivers: ['otlp'], processors: order, exporters: ['debug'] } } },
  });
}

/** Concatenated protobuf of batches (one request), disposing them. */
export function drain(batches: TraceBatch[]): Uint8Array {
  const parts = batches.map((b) => {
    const p = b.toProtobuf();
    b.dispose();
    return p;
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
