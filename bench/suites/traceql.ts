// The TraceQL suite: three queries over an indexed batch of the bench corpus (one request made of
// the whole corpus, so traces are complete), each against the same query written over
// protobufjs-decoded objects. Both sides are timed on evaluation alone: our index and their decode
// are built once, outside the loop (the core suite measures those).
import { TraceBatch } from '../../src/otlp/trace-batch.js';
import { compile } from '../../src/traceql/query.js';
import { decodeWithProtobufjs } from '../baselines/protobufjs-pipeline.js';
import { countMethodGet, countThreeConditions, countServerAncestorErrors } from '../baselines/protobufjs-traceql.js';
import type { BenchSuite, BenchTask } from '../harness.js';

export const TRACEQL_QUERIES = Object.freeze({
  equality: '{ span.http.request.method = "GET" }',
  threeConditions: '{ resource.service.name = "frontend" && span.http.response.status_code >= 200 && span.http.route =~ "/api/.*" }',
  structural: '{ kind = server } >> { status = error }',
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function traceqlSuite(corpus: Uint8Array[]): BenchSuite {
  // Concatenated requests are one valid request: every trace's spans in one batch.
  const bytes = concat(corpus);
  const batch = TraceBatch.fromProtobuf(bytes);
  batch.ensureAttributes();
  const decoded = decodeWithProtobufjs(bytes);
  const spans = batch.spanCount;
  const tasks: BenchTask[] = [];
  const pairs: [keyof typeof TRACEQL_QUERIES, string, (r: typeof decoded) => number][] = [
    ['equality', 'single attribute equality', countMethodGet],
    ['threeConditions', '3 conditions with a regex', countThreeConditions],
    ['structural', 'structural >> (descendant)', countServerAncestorErrors],
  ];
  const checks: Record<string, string> = {};
  for (const [key, group, baseline] of pairs) {
    const q = compile(TRACEQL_QUERIES[key]);
    const ours = q.count(batch).spans;
    const theirs = baseline(decoded);
    // The comparison only means something if both find the same spans.
    if (ours !== theirs) throw new Error(`traceql bench: ${key} matched ${ours} spans, the baseline ${theirs}`);
    checks[`${key} matches`] = `${ours} of ${spans} spans`;
    tasks.push({ name: `otel-sieve: ${TRACEQL_QUERIES[key]}`.slice(0, 48), group: `traceql ${group}`, kind: 'ours', spans, bytes: bytes.length, fn: () => q.count(batch) });
    tasks.push({ name: 'protobufjs objects, plain JS', group: `traceql ${group}`, kind: 'baseline', spans, bytes: bytes.length, fn: () => baseline(decoded) });
  }
  return {
    name: 'traceql',
    tasks,
    notes: () => checks,
    teardown: () => batch.dispose(),
  };
}
