// The request model (what a request holds before it becomes bytes or JSON) of the bench corpus (bench/corpus.ts: the generator and its entry points).

// ---------------------------------------------------------------------------------------------------
// Model: what a request holds, before it becomes bytes or JSON

/** An attribute value; ints are safe integers, arrays hold scalars. */
export type CorpusValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'array'; readonly value: readonly CorpusValue[] };

export interface CorpusAttribute {
  readonly key: string;
  value: CorpusValue;
}

export interface CorpusResource {
  readonly attributes: readonly CorpusAttribute[];
  readonly schemaUrl: string;
}

export interface CorpusScope {
  readonly name: string;
  readonly version: string;
  readonly schemaUrl: string;
}

export interface CorpusEvent {
  readonly timeUnixNano: bigint;
  readonly name: string;
  readonly attributes: readonly CorpusAttribute[];
}

export interface CorpusLink {
  readonly traceId: Uint8Array;
  readonly spanId: Uint8Array;
  readonly traceState: string;
  readonly attributes: readonly CorpusAttribute[];
  readonly flags: number;
}

/** OTLP span kinds (the protobuf enum numbers). */
export const SpanKind = Object.freeze({ UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 });
/** OTLP status codes (the protobuf enum numbers). */
export const StatusCode = Object.freeze({ UNSET: 0, OK: 1, ERROR: 2 });

export interface CorpusSpan {
  readonly traceId: Uint8Array;
  readonly spanId: Uint8Array;
  /** Empty for a root span. */
  readonly parentSpanId: Uint8Array;
  readonly traceState: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: readonly CorpusAttribute[];
  readonly events: readonly CorpusEvent[];
  readonly links: readonly CorpusLink[];
  readonly statusCode: number;
  readonly statusMessage: string;
  /** W3C trace flags in bits 0–7, plus the OTLP "has is_remote" (0x100) and "is_remote" (0x200) bits. */
  readonly flags: number;
  readonly resource: CorpusResource;
  readonly scope: CorpusScope;
}

export interface CorpusScopeSpans {
  readonly scope: CorpusScope;
  readonly spans: readonly CorpusSpan[];
}

export interface CorpusResourceSpans {
  readonly resource: CorpusResource;
  readonly scopeSpans: readonly CorpusScopeSpans[];
}

/** One `ExportTraceServiceRequest`, spans grouped by resource, then scope, in first-seen order. */
export interface CorpusRequest {
  readonly resourceSpans: readonly CorpusResourceSpans[];
  readonly spanCount: number;
}

export const S = (value: string): CorpusValue => ({ type: 'string', value });
export const I = (value: number): CorpusValue => ({ type: 'int', value: Math.trunc(value) });
export const D = (value: number): CorpusValue => ({ type: 'double', value });
export const B = (value: boolean): CorpusValue => ({ type: 'bool', value });
export const SA = (values: readonly string[]): CorpusValue => ({ type: 'array', value: values.map(S) });
export const IA = (values: readonly number[]): CorpusValue => ({ type: 'array', value: values.map(I) });

export class Attrs {
  readonly list: CorpusAttribute[] = [];
  private readonly keys = new Set<string>();

  has(key: string): boolean {
    return this.keys.has(key);
  }
  put(key: string, value: CorpusValue): this {
    if (this.keys.has(key)) {
      const found = this.list.find((a) => a.key === key);
      if (found) found.value = value;
      return this;
    }
    this.keys.add(key);
    this.list.push({ key, value });
    return this;
  }
  s(key: string, v: string): this {
    return this.put(key, S(v));
  }
  i(key: string, v: number): this {
    return this.put(key, I(v));
  }
  d(key: string, v: number): this {
    return this.put(key, D(v));
  }
  b(key: string, v: boolean): this {
    return this.put(key, B(v));
  }
}
