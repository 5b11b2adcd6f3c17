// Shapes evaluated spansets as Tempo's search response (GET /api/search): traces newest first,
// at most `limit` of them, each spanset cut to `spss` spans with the full count in `matched`.
// Field names and types are Tempo's: ids and nanosecond times are strings, trace ids lose their
// leading zeros, span ids are 16 hex digits, attributes are OTLP/JSON KeyValues.
import type { SpanContext, TValue } from './span-context.js';
import type { Spanset, Evaluator } from './evaluate.js';
import type { AttributeNode, FieldExpr, IntrinsicNode } from './ast.js';

export interface SearchAnyValue {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: SearchAnyValue[] };
}

export interface SearchKeyValue {
  key: string;
  value: SearchAnyValue;
}

export interface SearchSpan {
  spanID: string;
  name: string;
  startTimeUnixNano: string;
  durationNanos: string;
  attributes: SearchKeyValue[];
}

export interface SearchSpanSet {
  spans: SearchSpan[];
  matched: number;
}

export interface SearchTrace {
  traceID: string;
  rootServiceName: string;
  rootTraceName: string;
  startTimeUnixNano: string;
  durationMs: number;
  spanSets: SearchSpanSet[];
}

export interface SearchResponse {
  traces: SearchTrace[];
}

const STATUS = ['unset', 'ok', 'error'];
const KIND = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
/** Intrinsics Tempo reports in span fields or not at all, rather than as attributes. */
const NOT_ATTRIBUTES = new Set(['span:name', 'span:duration', 'trace:duration', 'trace:rootName', 'trace:rootService', 'trace:id', 'span:id']);

export function anyValue(v: TValue): SearchAnyValue | null {
  switch (v.t) {
    case 'nil':
      return null;
    case 'string':
      return { stringValue: v.v };
    case 'int':
      return { intValue: v.v.toString() };
    case 'duration':
      return { intValue: v.v.toString() };
    case 'float':
      return { doubleValue: v.v };
    case 'bool':
      return { boolValue: v.v };
    case 'status':
      return { stringValue: STATUS[v.v] ?? String(v.v) };
    case 'kind':
      return { stringValue: KIND[v.v] ?? String(v.v) };
    case 'array':
      return { arrayValue: { values: v.v.map((x) => anyValue(x) ?? {}) } };
  }
}

/** The attributes and intrinsics a query reads, in first-use order, deduplicated by text. */
export function outputFields(exprs: FieldExpr[]): (AttributeNode | IntrinsicNode)[] {
  const out: (AttributeNode | IntrinsicNode)[] = [];
  const seen = new Set<string>();
  const walk = (e: FieldExpr) => {
    if (e.kind === 'attribute' || e.kind === 'intrinsic') {
      const key = e.kind === 'attribute' ? `${e.scope}.${e.name}` : e.intrinsic;
      if (e.kind === 'intrinsic' && NOT_ATTRIBUTES.has(e.intrinsic)) return;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(e);
      }
    } else if (e.kind === 'binary') {
      walk(e.lhs);
      walk(e.rhs);
    } else if (e.kind === 'unary') {
      walk(e.expr);
    }
  };
  exprs.forEach(walk);
  return out;
}

function fieldKey(f: AttributeNode | IntrinsicNode): string {
  return f.kind === 'attribute' ? f.name : f.text;
}

export function buildSearchResponse(
  ctx: SpanContext, ev: Evaluator, sets: Spanset[], fields: (AttributeNode | IntrinsicNode)[], spss: number, limit: number,
): SearchResponse {
  const byTrace = new Map<number, Spanset[]>();
  for (const s of sets) {
    if (!s.spans.length) continue;
    let list = byTrace.get(s.trace);
    if (!list) byTrace.set(s.trace, (list = []));
    list.push(s);
  }
  let traces = [...byTrace.keys()].map((t) => ({ t, info: ctx.traceInfo(t) }));
  traces.sort((a, b) => (a.info.start > b.info.start ? -1 : a.info.start < b.info.start ? 1 : a.t - b.t));
  if (limit > 0) traces = traces.slice(0, limit);
  // Spans shown: the first spss of each spanset.
  const shown: Spanset[] = [];
  for (const { t } of traces) {
    for (const s of byTrace.get(t)!) shown.push({ trace: t, spans: spss > 0 ? s.spans.slice(0, spss) : s.spans });
  }
  const fieldValues = fields.map((f) => ev.valuesOf(f, shown));
  const out: SearchTrace[] = [];
  for (const { t, info } of traces) {
    const spanSets: SearchSpanSet[] = [];
    for (const s of byTrace.get(t)!) {
      const spans = (spss > 0 ? s.spans.slice(0, spss) : s.spans).map((g) => {
        const { batch, index } = ctx.locate(g);
        const view = batch.span(index);
        const attributes: SearchKeyValue[] = [];
        const keys = new Set<string>();
        fields.forEach((f, i) => {
          const v = anyValue(fieldValues[i]![g]!);
          const key = fieldKey(f);
          if (v && !keys.has(key)) {
            keys.add(key);
            attributes.push({ key, value: v });
          }
        });
        return {
          spanID: view.spanId.padStart(16, '0'),
          name: view.name,
          startTimeUnixNano: view.startTimeUnixNano.toString(),
          durationNanos: (view.endTimeUnixNano >= view.startTimeUnixNano ? view.endTimeUnixNano - view.startTimeUnixNano : 0n).toString(),
          attributes,
        };
      });
      spanSets.push({ spans, matched: s.spans.length });
    }
    let rootServiceName = '<root span not yet received>';
    let rootTraceName = '';
    if (info.root >= 0) {
      const { batch, index } = ctx.locate(info.root);
      const root = batch.span(index);
      rootTraceName = root.name;
      const svc = root.resource.attribute('service.name');
      if (svc && svc.type === 'string') rootServiceName = svc.value;
    }
    const any = byTrace.get(t)![0]!.spans[0]!;
    const { batch, index } = ctx.locate(any);
    out.push({
      traceID: batch.span(index).traceId.replace(/^0+/, ''),
      rootServiceName,
      rootTraceName,
      startTimeUnixNano: info.start.toString(),
      durationMs: Number((info.end > info.start ? info.end - info.start : 0n) / 1_000_000n),
      spanSets,
    });
  }
  return { traces: out };
}
