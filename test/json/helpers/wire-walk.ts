// A minimal protobuf wire walker for what the oracle cannot see: Span.flags (16) and Link.flags (6),
// which its schema predates, and the order of fields inside each message.

/** For each message type, which length-delimited fields are sub-messages, and of what type. */
export type WireSchema = Record<string, Record<number, string>>;

export const TRACE_WIRE: WireSchema = {
  Request: { 1: 'ResourceSpans' },
  ResourceSpans: { 1: 'Resource', 2: 'ScopeSpans' },
  Resource: { 1: 'KeyValue', 3: 'EntityRef' },
  EntityRef: {},
  ScopeSpans: { 1: 'Scope', 2: 'Span' },
  Scope: { 3: 'KeyValue' },
  Span: { 9: 'KeyValue', 11: 'Event', 13: 'Link', 15: 'Status' },
  Event: { 3: 'KeyValue' },
  Link: { 4: 'KeyValue' },
  Status: {},
  KeyValue: { 2: 'AnyValue' },
  AnyValue: { 5: 'ArrayValue', 6: 'KeyValueList' },
  ArrayValue: { 1: 'AnyValue' },
  KeyValueList: { 1: 'KeyValue' },
};

export interface WireField {
  readonly type: string;
  readonly no: number;
  readonly wireType: number;
  /** Varint or fixed values as bigint; length-delimited payloads as bytes. */
  readonly value: bigint | Uint8Array;
}

/** Calls `visit` for every field of every message, depth first; throws on malformed wire data. */
export function walkWire(bytes: Uint8Array, type: string, schema: WireSchema, visit: (f: WireField) => void): void {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const b = bytes[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
  };
  const fixed = (n: number): bigint => {
    let v = 0n;
    for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[pos + k]);
    pos += n;
    return v;
  };
  while (pos < bytes.length) {
    const tag = Number(varint());
    const no = tag >>> 3;
    const wireType = tag & 7;
    let value: bigint | Uint8Array;
    if (wireType === 0) value = varint();
    else if (wireType === 1) value = fixed(8);
    else if (wireType === 5) value = fixed(4);
    else if (wireType === 2) {
      const len = Number(varint());
      value = bytes.subarray(pos, pos + len);
      pos += len;
    } else throw new Error(`wire type ${wireType}`);
    if (pos > bytes.length) throw new Error('truncated');
    visit({ type, no, wireType, value });
    const child = schema[type]?.[no];
    if (child !== undefined && value instanceof Uint8Array) walkWire(value, child, schema, visit);
  }
}

/** Field numbers of each message, in wire order; true if every message's are non-decreasing. */
export function fieldsAscending(bytes: Uint8Array, type: string, schema: WireSchema): boolean {
  let ok = true;
  const check = (b: Uint8Array, t: string): void => {
    let last = 0;
    walkWire(b, t, {}, (f) => {
      if (f.no < last) ok = false;
      last = f.no;
      const child = schema[t]?.[f.no];
      if (child !== undefined && f.value instanceof Uint8Array) check(f.value, child);
    });
  };
  check(bytes, type);
  return ok;
}

/** Span.flags and Link.flags in document order (undefined where absent). */
export function traceFlags(bytes: Uint8Array): { spans: (number | undefined)[]; links: (number | undefined)[] } {
  const spans: (number | undefined)[] = [];
  const links: (number | undefined)[] = [];
  const collect = (b: Uint8Array, type: string): void => {
    let flags: number | undefined;
    walkWire(b, type, {}, (f) => {
      if (type === 'Span' && f.no === 16 && f.wireType === 5) flags = Number(f.value);
      if (type === 'Link' && f.no === 6 && f.wireType === 5) flags = Number(f.value);
      const child = TRACE_WIRE[type]?.[f.no];
      if (child !== undefined && f.value instanceof Uint8Array) collect(f.value, child);
    });
    if (type === 'Span') spans.push(flags);
    if (type === 'Link') links.push(flags);
  };
  collect(bytes, 'Request');
  return { spans, links };
}
