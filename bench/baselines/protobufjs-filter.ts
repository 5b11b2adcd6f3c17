// The filter benchmarks' JavaScript baseline: the filter processor's conditions written as the
// JavaScript predicate a developer would hand-code over protobufjs objects (linear attribute
// lookups, a RegExp, the duration from the two Longs), and redaction's blocked_key_patterns as a
// value mask over every attribute map the processor visits (resource, scope, span, events, links).
// decode → filter (+ mask) → encode, like otel-sieve's filter (+ redaction) pipeline.
import { decodeWithProtobufjs, encodeWithProtobufjs, filterDecoded, pbSpanDurationNanos } from './protobufjs-pipeline.js';
import type { PbKeyValue, PbResourceSpans, PbSpan } from './protobufjs-pipeline.js';

/**
 * The bench's drop conditions (~30 % of the corpus' spans), as OTTL for the filter processor. The
 * predicate below is the same test.
 */
export const DROP_CONDITIONS: readonly string[] = [
  'kind == SPAN_KIND_INTERNAL and end_time_unix_nano - start_time_unix_nano < 1000000',
  'IsMatch(attributes["url.path"], "^/(health|ready|metrics)")',
  'attributes["db.system"] == "redis"',
  'resource.attributes["service.name"] == "email" and status.code != STATUS_CODE_ERROR',
];

/** Keys whose values redaction masks (blocked_key_patterns anchored on each). */
export const MASKED_KEYS: readonly string[] = ['db.statement', 'client.address', 'session.id'];

const MASK = '****';
const PROBE = /^\/(health|ready|metrics)/;

function stringAttr(attrs: PbKeyValue[], key: string): string | undefined {
  for (const kv of attrs) if (kv.key === key) return typeof kv.value?.stringValue === 'string' ? kv.value.stringValue : undefined;
  return undefined;
}

/** true: the span goes (one of DROP_CONDITIONS holds). */
export function dropPredicate(span: PbSpan, rs: PbResourceSpans): boolean {
  if (span.kind === 1 && pbSpanDurationNanos(span) < 1_000_000) return true;
  const path = stringAttr(span.attributes, 'url.path');
  if (path !== undefined && PROBE.test(path)) return true;
  if (stringAttr(span.attributes, 'db.system') === 'redis') return true;
  return stringAttr(rs.resource?.attributes ?? [], 'service.name') === 'email' && (span.status?.code ?? 0) !== 2;
}

function mask(attrs: PbKeyValue[], keys: ReadonlySet<string>): void {
  for (const kv of attrs) if (keys.has(kv.key ?? '') && kv.value) kv.value = { stringValue: MASK };
}

/** decode → drop by DROP_CONDITIONS → encode. */
export function filterWithProtobufjsPredicate(bytes: Uint8Array): Uint8Array {
  return encodeWithProtobufjs(filterDecoded(decodeWithProtobufjs(bytes), (span, _ss, rs) => !dropPredicate(span, rs)));
}

/** decode → drop by DROP_CONDITIONS → mask MASKED_KEYS everywhere → encode. */
export function filterAndRedactWithProtobufjs(bytes: Uint8Array): Uint8Array {
  const keys = new Set(MASKED_KEYS);
  const req = filterDecoded(decodeWithProtobufjs(bytes), (span, _ss, rs) => !dropPredicate(span, rs));
  for (const rs of req.resourceSpans) {
    if (rs.resource) mask(rs.resource.attributes, keys);
    for (const ss of rs.scopeSpans) {
      if (ss.scope) mask(ss.scope.attributes, keys);
      for (const span of ss.spans) {
        mask(span.attributes, keys);
        for (const e of span.events) mask(e.attributes, keys);
        for (const l of span.links) mask(l.attributes, keys);
      }
    }
  }
  return encodeWithProtobufjs(req);
}
