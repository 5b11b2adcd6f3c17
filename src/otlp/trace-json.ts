// Strict OTLP/JSON output for traces, in the form the collector writes (the rules and the shared
// pieces are in otlp-json-output.ts). A span's `status` is always present, as `{}` when empty.
import type { TraceBatch } from './trace-batch.js';
import type { SpanView, EventView, LinkView } from './trace-views.js';
import type { OtlpJsonKeyValue, OtlpJsonResource, OtlpJsonScope } from './otlp-json-output.js';
import { attributesToJSON as attributes, compact, envelopesToJSON, nanos, nonEmpty, nonZero } from './otlp-json-output.js';

// The shared pieces moved to otlp-json-output.ts; re-exported for existing imports.
export { toBase64, jsonDouble, anyValueToJSON, keyValueToJSON } from './otlp-json-output.js';
export type { OtlpJsonAnyValue, OtlpJsonKeyValue, OtlpJsonResource, OtlpJsonScope } from './otlp-json-output.js';

export interface OtlpJsonEvent {
  timeUnixNano?: string;
  name?: string;
  attributes?: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
}
export interface OtlpJsonLink {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}
export interface OtlpJsonSpan {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  parentSpanId?: string;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
  events?: OtlpJsonEvent[];
  droppedEventsCount?: number;
  links?: OtlpJsonLink[];
  droppedLinksCount?: number;
  status: { message?: string; code?: number };
}
export interface OtlpJsonScopeSpans {
  scope: OtlpJsonScope;
  spans?: OtlpJsonSpan[];
  schemaUrl?: string;
}
export interface OtlpJsonResourceSpans {
  resource: OtlpJsonResource;
  scopeSpans?: OtlpJsonScopeSpans[];
  schemaUrl?: string;
}
export interface OtlpJsonTraces {
  resourceSpans?: OtlpJsonResourceSpans[];
}

function eventToJSON(e: EventView): OtlpJsonEvent {
  return compact({
    timeUnixNano: nanos(e.timeUnixNano),
    name: nonEmpty(e.name),
    attributes: attributes(e.attributes),
    droppedAttributesCount: nonZero(e.droppedAttributesCount),
  });
}

function linkToJSON(l: LinkView): OtlpJsonLink {
  return compact({
    traceId: nonEmpty(l.traceId),
    spanId: nonEmpty(l.spanId),
    traceState: nonEmpty(l.traceState),
    attributes: attributes(l.attributes),
    droppedAttributesCount: nonZero(l.droppedAttributesCount),
    flags: nonZero(l.flags),
  });
}

export function spanToJSON(s: SpanView): OtlpJsonSpan {
  const status = s.status;
  const events = s.events;
  const links = s.links;
  return compact({
    traceId: nonEmpty(s.traceId),
    spanId: nonEmpty(s.spanId),
    traceState: nonEmpty(s.traceState),
    parentSpanId: nonEmpty(s.parentSpanId),
    flags: nonZero(s.flags),
    name: nonEmpty(s.name),
    kind: nonZero(s.kind),
    startTimeUnixNano: nanos(s.startTimeUnixNano),
    endTimeUnixNano: nanos(s.endTimeUnixNano),
    attributes: attributes(s.attributes),
    droppedAttributesCount: nonZero(s.droppedAttributesCount),
    events: events.length ? events.map(eventToJSON) : undefined,
    droppedEventsCount: nonZero(s.droppedEventsCount),
    links: links.length ? links.map(linkToJSON) : undefined,
    droppedLinksCount: nonZero(s.droppedLinksCount),
    status: compact({ message: nonEmpty(status.message), code: nonZero(status.code) }),
  });
}

export function traceBatchToJSON(batch: TraceBatch): OtlpJsonTraces {
  return envelopesToJSON(batch, { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' }, (i) => spanToJSON(batch.span(i))) as OtlpJsonTraces;
}
