// Tempo's HTTP query API over the trace store, with Tempo's paths, parameters and response shapes,
// so Grafana's Tempo data source can point at the gateway: /api/echo, /ready, /api/search,
// /api/traces/<id> and /api/v2/traces/<id> (OTLP JSON, or protobuf when asked), the tag APIs (v1
// and v2), and /api/metrics/query_range. Facts about the shapes are from Tempo's documentation and
// tempopb (no code of Tempo's is used).
import type { TraceBatch } from '../../otlp/trace-batch.js';
import { TraceQLError } from '../../traceql/errors.js';
import { parseGoDuration } from '../../config/duration.js';
import type { TraceStore, NanoRange } from '../trace-store/trace-store.js';
import { traceIdBytes } from '../trace-store/trace-store.js';
import { TAG_SCOPES, tagTarget } from '../trace-store/tag-scan.js';
import { filterTraceSpans } from './trace-filter.js';
import { encodeTraceByIdV2 } from './trace-by-id.js';

export interface TempoApiOptions {
  /** Most bytes of values one tag-values request returns (Tempo's max_bytes_per_tag_values_query). Default 1 MB. */
  maxTagValuesBytes?: number;
  /** Clock (Unix ms) for `since`. Default Date.now. */
  now?: () => number;
}

const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/protobuf';

/** Intrinsics Tempo lists in the `intrinsic` scope of the tag APIs (those this TraceQL reads). */
export const INTRINSIC_TAGS = ['duration', 'event:name', 'kind', 'name', 'rootName', 'rootServiceName', 'span:duration', 'span:kind', 'span:name', 'span:status', 'span:statusMessage', 'status', 'statusMessage', 'trace:duration', 'trace:rootName', 'trace:rootService', 'traceDuration'];

class BadRequest extends Error {}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE } });
const text = (body: string, status: number) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

function intParam(url: URL, name: string, fallback: number): number {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return fallback;
  if (!/^\d+$/.test(v)) throw new BadRequest(`invalid ${name}: ${JSON.stringify(v)} is not a non-negative integer`);
  return Number(v);
}

/** Unix seconds, nanoseconds, or RFC3339, as Tempo accepts them; nanoseconds out. */
export function parseTime(v: string, name: string): bigint {
  if (/^\d+$/.test(v)) {
    const n = BigInt(v);
    // A count this large cannot be seconds (year 33658): Tempo reads it as nanoseconds.
    return n > 1_000_000_000_000n ? n : n * 1_000_000_000n;
  }
  if (/^\d+\.\d+$/.test(v)) return BigInt(Math.round(Number(v) * 1e9));
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new BadRequest(`invalid ${name}: ${JSON.stringify(v)} (use Unix seconds, nanoseconds or RFC3339)`);
  return BigInt(ms) * 1_000_000n;
}

function rangeParam(url: URL): NanoRange | undefined {
  const start = url.searchParams.get('start');
  const end = url.searchParams.get('end');
  if (!start || !end) return undefined;
  const range = { start: parseTime(start, 'start'), end: parseTime(end, 'end') };
  if (range.end < range.start) throw new BadRequest('invalid range: end is before start');
  return range;
}

function duration(v: string | null, name: string): bigint | undefined {
  if (v === null || v === '') return undefined;
  try {
    return parseGoDuration(v);
  } catch (err) {
    throw new BadRequest(`invalid ${name}: ${(err as Error).message}`);
  }
}

/** TraceQL string literal: quotes and backslashes escaped. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** RE2 metacharacters escaped, for a literal inside a regex. */
function regexLiteral(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * Tempo's tag search (`tags=k=v k2="v 2"`, logfmt, values matched case-insensitively as
 * substrings) as the equivalent TraceQL filter.
 */
export function tagsToTraceQL(tags: string): string {
  const conds: string[] = [];
  const re = /\s*([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/y;
  let at = 0;
  while (at < tags.length) {
    re.lastIndex = at;
    const m = re.exec(tags);
    if (!m) {
      if (tags.slice(at).trim() === '') break;
      throw new BadRequest(`invalid tags: cannot read logfmt at ${JSON.stringify(tags.slice(at, at + 20))}`);
    }
    at = re.lastIndex;
    const key = m[1]!;
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    const attr = /^[\w.-]+$/.test(key) ? `.${key}` : `.${quote(key)}`;
    conds.push(`${attr} =~ ${quote(`(?i).*${regexLiteral(value)}.*`)}`);
  }
  return conds.length ? `{ ${conds.join(' && ')} }` : '{ }';
}

function wantsProtobuf(request: Request): boolean {
  return /application\/(x-)?protobuf/i.test(request.headers.get('accept') ?? '');
}

/** Handles Tempo's routes; returns undefined for paths it does not serve. */
export function createTempoApi(store: TraceStore, options: TempoApiOptions = {}): (request: Request, url: URL) => Promise<Response | undefined> {
  const maxTagBytes = options.maxTagValuesBytes ?? 1_000_000;
  const clock = options.now ?? Date.now;

  function search(url: URL): Response {
    const tags = url.searchParams.get('tags');
    let q = url.searchParams.get('q') ?? '';
    if (!q.trim()) q = tags ? tagsToTraceQL(tags) : '{ }';
    const minDur = duration(url.searchParams.get('minDuration'), 'minDuration');
    const maxDur = duration(url.searchParams.get('maxDuration'), 'maxDuration');
    const limit = intParam(url, 'limit', 20);
    const spss = intParam(url, 'spss', 3);
    const filtered = minDur !== undefined || maxDur !== undefined;
    const result = store.search(q, { spss, limit: filtered ? 0 : limit, range: rangeParam(url) });
    if (filtered) {
      const ms = (t: { durationMs: number }) => BigInt(t.durationMs) * 1_000_000n;
      result.traces = result.traces.filter((t) => (minDur === undefined || ms(t) >= minDur) && (maxDur === undefined || ms(t) <= maxDur));
      if (limit > 0) result.traces = result.traces.slice(0, limit);
    }
    return json(result);
  }

  function traceById(request: Request, url: URL, id: string, v2: boolean): Response {
    const bytes = traceIdBytes(id);
    if (!bytes) return text(`invalid trace id: ${JSON.stringify(id)} (expected up to 32 hex digits)`, 400);
    let batch: TraceBatch | undefined = store.lookup(bytes);
    if (!batch) return text('trace not found', 404);
    try {
      const q = v2 ? url.searchParams.get('q') : null;
      if (q && q.trim()) {
        const filtered = filterTraceSpans(batch, store.compiled(q), url.searchParams.get('keep_hierarchy') !== 'false');
        batch.dispose();
        batch = filtered;
      }
      if (wantsProtobuf(request)) {
        // tempopb.Trace is `repeated ResourceSpans = 1`, byte for byte an ExportTraceServiceRequest.
        const body = v2 ? encodeTraceByIdV2(batch.protobufView()) : batch.toProtobuf();
        return new Response(body as BodyInit, { status: 200, headers: { 'content-type': PROTOBUF_TYPE } });
      }
      const resourceSpans = batch.toJSON().resourceSpans ?? [];
      return json(v2 ? { trace: { resourceSpans } } : { batches: resourceSpans });
    } finally {
      batch.dispose();
    }
  }

  function tags(url: URL, v2: boolean): Response {
    const scope = url.searchParams.get('scope') ?? '';
    if (scope && scope !== 'all' && scope !== 'intrinsic' && !(TAG_SCOPES as readonly string[]).includes(scope)) {
      throw new BadRequest(`invalid scope ${JSON.stringify(scope)} (expected resource, span, event, link, instrumentation, intrinsic or all)`);
    }
    const limit = intParam(url, 'limit', 0);
    const cut = (list: string[]) => (limit > 0 ? list.slice(0, limit) : list);
    const keys = store.tagKeys(rangeParam(url));
    const wanted = (s: string) => !scope || scope === 'all' || scope === s;
    if (!v2) {
      // v1 without a scope lists resource and span tags together, as Tempo does.
      const names = new Set<string>();
      for (const s of TAG_SCOPES) if (scope ? wanted(s) : s === 'resource' || s === 'span') for (const k of keys.get(s) ?? []) names.add(k);
      if (scope === 'intrinsic') for (const k of INTRINSIC_TAGS) names.add(k);
      return json({ tagNames: cut([...names].sort()) });
    }
    const scopes: { name: string; tags: string[] }[] = [];
    for (const s of TAG_SCOPES) {
      const list = keys.get(s) ?? [];
      if (wanted(s) && list.length) scopes.push({ name: s, tags: cut(list) });
    }
    if (wanted('intrinsic')) scopes.push({ name: 'intrinsic', tags: cut([...INTRINSIC_TAGS]) });
    return json({ scopes });
  }

  function tagValues(url: URL, tag: string, v2: boolean): Response {
    const target = tagTarget(tag, !v2);
    if (!target) throw new BadRequest(`invalid tag ${JSON.stringify(tag)} (expected a TraceQL identifier such as resource.service.name, .http.method or name)`);
    // `q` narrows Tempo's values to matching spans; like Tempo with a query it cannot use, the
    // gateway answers the whole list.
    const limit = intParam(url, 'limit', 0);
    let values = store.tagValues(target, maxTagBytes, rangeParam(url));
    if (limit > 0) values = values.slice(0, limit);
    return json(v2 ? { tagValues: values } : { tagValues: values.map((v) => v.value) });
  }

  function queryRange(url: URL): Response {
    const q = url.searchParams.get('q') ?? url.searchParams.get('query') ?? '';
    if (!q.trim()) throw new BadRequest('missing q (a TraceQL metrics query)');
    const nowNs = BigInt(clock()) * 1_000_000n;
    const since = duration(url.searchParams.get('since'), 'since');
    let range = rangeParam(url);
    if (!range) range = { start: nowNs - (since ?? 3_600_000_000_000n), end: nowNs };
    let step = duration(url.searchParams.get('step'), 'step');
    if (step === undefined || step <= 0n) {
      // About 100 points over the range, in whole seconds (Tempo picks a step from the range too).
      const span = range.end - range.start;
      step = span <= 0n ? 1_000_000_000n : ((span / 100n + 999_999_999n) / 1_000_000_000n) * 1_000_000_000n;
    }
    return json(store.metrics(q, { start: range.start, end: range.end === range.start ? range.end + 1n : range.end, step }));
  }

  return async (request, url) => {
    const path = url.pathname;
    if (path === '/api/echo') return text('echo', 200);
    if (path === '/ready') return text('ready', 200);
    if (!path.startsWith('/api/')) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') return text('405 method not allowed, supported: [GET]', 405);
    try {
      if (path === '/api/search') return search(url);
      let m = /^\/api\/(v2\/)?traces\/([^/]+)$/.exec(path);
      if (m) return traceById(request, url, decodeURIComponent(m[2]!), m[1] !== undefined);
      m = /^\/api\/(v2\/)?search\/tags$/.exec(path);
      if (m) return tags(url, m[1] !== undefined);
      m = /^\/api\/(v2\/)?search\/tag\/([^/]+)\/values$/.exec(path);
      if (m) return tagValues(url, decodeURIComponent(m[2]!), m[1] !== undefined);
      if (path === '/api/metrics/query_range') return queryRange(url);
      return undefined;
    } catch (err) {
      if (err instanceof BadRequest) return text(err.message, 400);
      if (err instanceof TraceQLError) return text(`invalid TraceQL query: ${err.message}`, 400);
      throw err;
    }
  };
}
