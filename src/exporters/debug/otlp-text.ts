// Text renderings of a batch in the collector debug exporter's layouts: `normal` is one line per
// span (name, trace id, span id, attributes), `detailed` the full otlptext dump (resources, scopes,
// spans with events and links). Values print as the collector prints them: Str(…), Int(…), …
import type { TraceBatch } from '../../otlp/trace-batch.js';
import type { AnyValue, KeyValue } from '../../otlp/trace-views.js';

const KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS = ['Unset', 'Ok', 'Error'];

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** pdata's AsString(): scalars as text, arrays and maps as JSON of their raw values. */
function raw(v: AnyValue): unknown {
  switch (v.type) {
    case 'empty':
      return null;
    case 'int':
      return Number(v.value);
    case 'bytes':
      return base64(v.value);
    case 'array':
      return v.value.map(raw);
    case 'kvlist': {
      const o: Record<string, unknown> = Object.create(null);
      for (const kv of v.value) o[kv.key] = raw(kv.value);
      return o;
    }
    default:
      return v.value;
  }
}

export function valueText(v: AnyValue): string {
  switch (v.type) {
    case 'empty':
      return 'Empty()';
    case 'string':
      return `Str(${v.value})`;
    case 'bool':
      return `Bool(${v.value})`;
    case 'int':
      return `Int(${v.value})`;
    case 'double':
      return `Double(${Number.isInteger(v.value) ? v.value.toFixed(0) : String(v.value)})`;
    case 'bytes':
      return `Bytes(${base64(v.value)})`;
    case 'array':
      return `Slice(${JSON.stringify(raw(v))})`;
    case 'kvlist':
      return `Map(${JSON.stringify(raw(v))})`;
  }
}

/** Go's time.Time.String() in UTC: `2020-02-11 20:26:12.000000321 +0000 UTC`, fraction trimmed. */
export function goTime(nanos: bigint): string {
  const ms = Number(nanos / 1_000_000n);
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = String(nanos % 1_000_000_000n).padStart(9, '0').replace(/0+$/, '');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac ? `.${frac}` : ''} +0000 UTC`;
}

function attributeLines(out: string[], title: string, attrs: KeyValue[], indent = ''): void {
  if (!attrs.length) return;
  out.push(`${indent}${title}:`);
  for (const kv of attrs) out.push(`${indent}     -> ${kv.key}: ${valueText(kv.value)}`);
}

export function normalText(batch: TraceBatch): string[] {
  return batch.spans().map((s) => {
    const attrs = s.attributes.map((kv) => `${kv.key}=${valueText(kv.value).replace(/^\w+\((.*)\)$/s, '$1')}`);
    return [s.name, s.traceId, s.spanId, ...attrs].join(' ');
  });
}

export function detailedText(batch: TraceBatch): string[] {
  const out: string[] = [];
  for (let r = 0; r < batch.resourceCount; r++) {
    const res = batch.resource(r);
    out.push(`ResourceSpans #${r}`, `Resource SchemaURL: ${res.schemaUrl}`);
    attributeLines(out, 'Resource attributes', res.attributes);
    for (let j = 0; j < res.scopeCount; j++) {
      const scope = batch.scope(res.firstScope + j);
      out.push(`ScopeSpans #${j}`, `ScopeSpans SchemaURL: ${scope.schemaUrl}`, `InstrumentationScope ${scope.name} ${scope.version}`);
      attributeLines(out, 'InstrumentationScope attributes', scope.attributes);
      for (let k = 0; k < scope.spanCount; k++) {
        const s = batch.span(scope.firstSpan + k);
        const status = s.status;
        out.push(
          `Span #${k}`,
          `    Trace ID       : ${s.traceId}`,
          `    Parent ID      : ${s.parentSpanId}`,
          `    ID             : ${s.spanId}`,
          `    Name           : ${s.name}`,
          `    Kind           : ${KINDS[s.kind] ?? String(s.kind)}`,
        );
        if (s.traceState) out.push(`    TraceState     : ${s.traceState}`);
        out.push(
          `    Start time     : ${goTime(s.startTimeUnixNano)}`,
          `    End time       : ${goTime(s.endTimeUnixNano)}`,
          `    Status code    : ${STATUS[status.code] ?? String(status.code)}`,
          `    Status message : ${status.message}`,
        );
        if (s.droppedAttributesCount) out.push(`    DroppedAttributesCount: ${s.droppedAttributesCount}`);
        attributeLines(out, 'Attributes', s.attributes);
        const events = s.events;
        if (events.length) out.push('Events:');
        events.forEach((e, i) => {
          out.push(`SpanEvent #${i}`, `     -> Name: ${e.name}`, `     -> Timestamp: ${goTime(e.timeUnixNano)}`, `     -> DroppedAttributesCount: ${e.droppedAttributesCount}`);
          if (e.attributes.length) {
            out.push('     -> Attributes::');
            for (const kv of e.attributes) out.push(`          -> ${kv.key}: ${valueText(kv.value)}`);
          }
        });
        if (s.droppedEventsCount) out.push(`    DroppedEventsCount: ${s.droppedEventsCount}`);
        const links = s.links;
        if (links.length) out.push('Links:');
        links.forEach((l, i) => {
          out.push(`SpanLink #${i}`, `     -> Trace ID: ${l.traceId}`, `     -> ID: ${l.spanId}`, `     -> TraceState: ${l.traceState}`, `     -> DroppedAttributesCount: ${l.droppedAttributesCount}`);
          if (l.attributes.length) {
            out.push('     -> Attributes::');
            for (const kv of l.attributes) out.push(`          -> ${kv.key}: ${valueText(kv.value)}`);
          }
        });
        if (s.droppedLinksCount) out.push(`    DroppedLinksCount: ${s.droppedLinksCount}`);
      }
    }
  }
  return out;
}
