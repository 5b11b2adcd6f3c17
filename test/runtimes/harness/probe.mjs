// The computation every runtime performs on every input, written for any host with WebAssembly,
// WebCrypto and atob (Node, Deno, workerd, browsers). `api` is the module the host resolved for
// the bare specifier `otel-sieve`; the harnesses copy this file beside themselves.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let s = '';
  for (const b of digest) s += HEX[b];
  return s;
}

export function fromBase64(b64) {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** TraceQL queries every runtime answers on every valid input. */
export const TRACEQL_PROBES = [
  '{ status = error } >> { } | select(resource.service.name)',
  '{ name =~ "(?i).*(get|post).*" || span.http.route =~ "/api/.+" }',
  '{ } | by(kind) | count() > 1',
  '{ kind = server } !>> { duration > 1ms }',
];

/** A deterministic predicate that keeps some spans and drops others. */
export const keepSpan = (span) => span.name.length % 2 === 0;

/** The same probe for a log or metric request: count, strict JSON, bytes, and a filter's output. */
async function probeSignal(api, bytes, signal) {
  let batch;
  let filtered;
  try {
    batch = signal === 'logs' ? api.LogBatch.fromProtobuf(bytes) : api.MetricBatch.fromProtobuf(bytes);
    const count = signal === 'logs' ? batch.logRecordCount : batch.dataPointCount;
    const json = JSON.stringify(batch.toJSON());
    const protobuf = batch.toProtobuf();
    filtered = signal === 'logs' ? batch.filter((r) => r.severityNumber >= 13) : batch.filterDataPoints((p, i) => i % 3 !== 0);
    const filteredProtobuf = filtered.toProtobuf();
    return {
      ok: true,
      signal,
      itemCount: count,
      jsonSha256: await sha256(new TextEncoder().encode(json)),
      protobufSha256: await sha256(protobuf),
      filteredItemCount: signal === 'logs' ? filtered.logRecordCount : filtered.dataPointCount,
      filteredSha256: await sha256(filteredProtobuf),
    };
  } catch (err) {
    return { ok: false, signal, error: { name: err?.name, message: String(err?.message ?? err), rule: err?.rule, offset: err?.offset } };
  } finally {
    filtered?.dispose();
    batch?.dispose();
  }
}

export async function probeBytes(api, bytes, signal) {
  if (signal === 'logs' || signal === 'metrics') return probeSignal(api, bytes, signal);
  let batch;
  let filtered;
  try {
    batch = api.TraceBatch.fromProtobuf(bytes);
    const json = JSON.stringify(batch.toJSON());
    const protobuf = batch.toProtobuf();
    filtered = batch.filter(keepSpan);
    const filteredProtobuf = filtered.toProtobuf();
    // TraceQL through the core (VM, regex engine, trees) must answer the same everywhere.
    const traceqlAnswers = TRACEQL_PROBES.map((q) => JSON.stringify(api.traceql.compile(q).search([batch], { spss: 0, limit: 0 })));
    return {
      ok: true,
      spanCount: batch.spanCount,
      jsonLength: json.length,
      jsonSha256: await sha256(new TextEncoder().encode(json)),
      protobufLength: protobuf.length,
      protobufSha256: await sha256(protobuf),
      filteredSpanCount: filtered.spanCount,
      filteredLength: filteredProtobuf.length,
      filteredSha256: await sha256(filteredProtobuf),
      traceqlSha256: await sha256(new TextEncoder().encode(traceqlAnswers.join('\n'))),
    };
  } catch (err) {
    return {
      ok: false,
      error: { name: err?.name, message: String(err?.message ?? err), rule: err?.rule, offset: err?.offset },
    };
  } finally {
    filtered?.dispose();
    batch?.dispose();
  }
}

export async function probeCases(api, cases) {
  const results = [];
  for (const c of cases) results.push({ name: c.name, ...(await probeBytes(api, fromBase64(c.b64), c.signal)) });
  return results;
}
