// The redaction benchmark's JavaScript baseline: the redaction processor with allow_all_keys,
// blocked_values and allowed_values, done the usual way — protobufjs decode, the same masking on
// every string attribute value of resources, scopes, spans, events and links (left alone when an
// allowed pattern matches; otherwise each blocked pattern's matches replaced by "****" in turn),
// encode. As the JS competitor it uses RegExp (otel-sieve's own code never runs a backtracking
// engine on untrusted input); the bench patterns mean the same in RE2 and in JavaScript, and never
// match the empty string, so the "" that non-string values read as is never masked either.
import { decodeWithProtobufjs, encodeWithProtobufjs } from './protobufjs-pipeline.js';
import type { PbKeyValue } from './protobufjs-pipeline.js';

export interface ValueRedactionPlan {
  readonly blockedValues: readonly string[];
  readonly allowedValues: readonly string[];
}

export function redactValuesWithProtobufjs(bytes: Uint8Array, plan: ValueRedactionPlan): Uint8Array {
  const blocked = plan.blockedValues.map((p) => new RegExp(p, 'gu'));
  const allowed = plan.allowedValues.map((p) => new RegExp(p, 'u'));
  const mask = (attrs: PbKeyValue[] | null | undefined) => {
    for (const kv of attrs ?? []) {
      const value = kv.value?.stringValue;
      if (typeof value !== 'string' || allowed.some((re) => re.test(value))) continue;
      let text = value;
      for (const re of blocked) text = text.replace(re, '****');
      if (text !== value) kv.value = { stringValue: text };
    }
  };
  const req = decodeWithProtobufjs(bytes);
  for (const rs of req.resourceSpans) {
    mask(rs.resource?.attributes);
    for (const ss of rs.scopeSpans) {
      mask(ss.scope?.attributes);
      for (const span of ss.spans) {
        mask(span.attributes);
        for (const e of span.events) mask(e.attributes);
        for (const l of span.links) mask(l.attributes);
      }
    }
  }
  return encodeWithProtobufjs(req);
}
