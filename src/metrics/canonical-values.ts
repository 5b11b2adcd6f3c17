// Decoding the canonical values the metrics core writes into series keys (VK_* in
// assembly/abi/derived-metrics-layout.ts) back into attribute values. Keys are copied out of core memory
// first, so decoding never holds a view across a core call.
import * as M from '../../assembly/abi/derived-metrics-layout.js';
import type { AnyValue, KeyValue } from '../otlp/trace-views.js';
import { toBase64 } from '../otlp/trace-json.js';

// ignoreBOM: a leading U+FEFF is data, as in the span views.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** One decoded canonical value: absent, an enum (span kind / status code), or an attribute value. */
export type CanonicalValue =
  | { readonly kind: 'absent' }
  | { readonly kind: 'overflow' }
  | { readonly kind: 'enum'; readonly code: number }
  | { readonly kind: 'value'; readonly value: AnyValue };

const ABSENT: CanonicalValue = Object.freeze({ kind: 'absent' });
const OVERFLOW: CanonicalValue = Object.freeze({ kind: 'overflow' });

/** A cursor over a key's bytes. */
export class CanonicalReader {
  private readonly dv: DataView;
  pos: number;

  constructor(readonly bytes: Uint8Array, pos = 0) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
  }

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  u8(): number {
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  string(): string {
    const n = this.u32();
    const s = n ? utf8.decode(this.bytes.subarray(this.pos, this.pos + n)) : '';
    this.pos += n;
    return s;
  }

  next(): CanonicalValue {
    const tag = this.u8();
    switch (tag) {
      case M.VK_ABSENT:
        return ABSENT;
      case M.VK_OVERFLOW:
        return OVERFLOW;
      case M.VK_ENUM:
        return { kind: 'enum', code: this.dv.getInt32((this.pos += 4) - 4, true) };
      default:
        return { kind: 'value', value: this.valueOfTag(tag) };
    }
  }

  /** The next value, which must be an attribute value (inside arrays and kvlists). */
  value(): AnyValue {
    return this.valueOfTag(this.u8());
  }

  private valueOfTag(tag: number): AnyValue {
    switch (tag) {
      case M.VK_STRING:
        return { type: 'string', value: this.string() };
      case M.VK_BOOL:
        return { type: 'bool', value: this.u8() !== 0 };
      case M.VK_INT: {
        const v = this.dv.getBigInt64(this.pos, true);
        this.pos += 8;
        return { type: 'int', value: v };
      }
      case M.VK_DOUBLE: {
        const v = this.dv.getFloat64(this.pos, true);
        this.pos += 8;
        return { type: 'double', value: v };
      }
      case M.VK_BYTES: {
        const n = this.u32();
        const v = this.bytes.slice(this.pos, this.pos + n);
        this.pos += n;
        return { type: 'bytes', value: v };
      }
      case M.VK_ARRAY: {
        const n = this.u32();
        const values: AnyValue[] = [];
        for (let i = 0; i < n; i++) values.push(this.value());
        return { type: 'array', value: values };
      }
      case M.VK_KVLIST: {
        const n = this.u32();
        const values: KeyValue[] = [];
        for (let i = 0; i < n; i++) {
          const key = this.string();
          values.push({ key, value: this.value() });
        }
        return { type: 'kvlist', value: values };
      }
      case M.VK_EMPTY:
        return { type: 'empty' };
      default:
        throw new Error(`metrics core: unknown canonical value tag ${tag} at key offset ${this.pos - 1} (a facade/core version mismatch)`);
    }
  }
}

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** The collector's traceutil.SpanKindStr: names for the known kinds, "" for anything else. */
export function spanKindName(code: number): string {
  return SPAN_KINDS[code] ?? '';
}

/** The collector's traceutil.StatusCodeStr. */
export function statusCodeName(code: number): string {
  return STATUS_CODES[code] ?? '';
}

/**
 * pdata's Value.AsString(): strings as they are, numbers as ECMAScript prints them (Go formats
 * doubles "as if by ES6 number to string conversion"), bytes as base64, containers as JSON.
 */
export function valueAsString(v: AnyValue): string {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'int':
      return v.value.toString();
    case 'double':
      return String(v.value);
    case 'bytes':
      return toBase64(v.value);
    case 'empty':
      return '';
    default:
      return JSON.stringify(rawJson(v));
  }
}

function rawJson(v: AnyValue): unknown {
  switch (v.type) {
    case 'array':
      return v.value.map(rawJson);
    case 'kvlist': {
      const o: Record<string, unknown> = {};
      for (const kv of v.value) Object.defineProperty(o, kv.key, { value: rawJson(kv.value), enumerable: true, writable: true, configurable: true });
      return o;
    }
    case 'int':
      return Number(v.value);
    case 'bytes':
      return toBase64(v.value);
    case 'empty':
      return null;
    default:
      return v.value;
  }
}
