// Reading strings, ids and AnyValues out of an indexed batch — the pieces every signal's lazy views
// share. Rows are absolute addresses in WebAssembly memory; strings are read from the batch's
// input bytes, values from its attribute table (built on first use).
import * as B from '../../assembly/abi/batch-layout.js';
import type { Core } from '../core/core.js';

/** What the views need from a batch (TraceBatch, LogBatch and MetricBatch all provide it). */
export interface BatchRows {
  /** @internal */ readonly core: Core;
  /** @internal */ readonly inputPtr: number;
  /** @internal */ attrRow(i: number): number;
  /** @internal */ nestedRow(i: number): number;
  /** @internal */ resourceRow(i: number): number;
  /** @internal */ scopeRow(i: number): number;
}

export type AnyValue =
  | { readonly type: 'empty' }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'bytes'; readonly value: Uint8Array }
  | { readonly type: 'array'; readonly value: readonly AnyValue[] }
  | { readonly type: 'kvlist'; readonly value: readonly KeyValue[] };

export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

// ignoreBOM: a leading U+FEFF is data in an attribute, not a byte-order mark to strip.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });

export function readString(b: BatchRows, off: number, len: number): string {
  if (len === 0) return '';
  const start = b.inputPtr + off;
  return utf8.decode(b.core.u8.subarray(start, start + len));
}

/** A string stored in a row as (offset, length) at `at` and `at + 4`. */
export function readStringAt(b: BatchRows, row: number, at: number): string {
  const dv = b.core.dv;
  return readString(b, dv.getUint32(row + at, true), dv.getUint32(row + at + 4, true));
}

export function readHex(b: BatchRows, at: number, size: number): string {
  const u8 = b.core.u8;
  let s = '';
  for (let i = 0; i < size; i++) s += HEX[u8[at + i]!];
  return s;
}

/** The AnyValue of an attribute or nested row. */
export function readValue(b: BatchRows, row: number): AnyValue {
  const dv = b.core.dv;
  const type = dv.getUint32(row + B.A_TYPE, true);
  switch (type) {
    case B.V_STRING:
      return { type: 'string', value: readString(b, dv.getUint32(row + B.A_VALUE, true), dv.getUint32(row + B.A_VALUE + 4, true)) };
    case B.V_BOOL:
      return { type: 'bool', value: dv.getUint32(row + B.A_VALUE, true) !== 0 };
    case B.V_INT:
      return { type: 'int', value: dv.getBigInt64(row + B.A_VALUE, true) };
    case B.V_DOUBLE:
      return { type: 'double', value: dv.getFloat64(row + B.A_VALUE, true) };
    case B.V_BYTES: {
      const start = b.inputPtr + dv.getUint32(row + B.A_VALUE, true);
      return { type: 'bytes', value: b.core.u8.slice(start, start + dv.getUint32(row + B.A_VALUE + 4, true)) };
    }
    case B.V_ARRAY: {
      const first = dv.getUint32(row + B.A_VALUE, true);
      const count = dv.getUint32(row + B.A_VALUE + 4, true);
      const values: AnyValue[] = [];
      for (let i = 0; i < count; i++) values.push(readValue(b, b.nestedRow(first + i)));
      return { type: 'array', value: values };
    }
    case B.V_KVLIST: {
      const first = dv.getUint32(row + B.A_VALUE, true);
      const count = dv.getUint32(row + B.A_VALUE + 4, true);
      const values: KeyValue[] = [];
      for (let i = 0; i < count; i++) values.push(readKeyValue(b, b.nestedRow(first + i)));
      return { type: 'kvlist', value: values };
    }
    default:
      return EMPTY_VALUE;
  }
}

function readKeyValue(b: BatchRows, row: number): KeyValue {
  const dv = b.core.dv;
  return {
    key: readString(b, dv.getUint32(row + B.A_KEY_OFF, true), dv.getUint32(row + B.A_KEY_LEN, true)),
    value: readValue(b, row),
  };
}

/** Reads `count` top-level attributes starting at attribute row `first`. */
export function readAttributes(b: BatchRows, first: number, count: number): KeyValue[] {
  const out: KeyValue[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = readKeyValue(b, b.attrRow(first + i));
  return out;
}

/** Reads the attributes whose (start, count) a row holds at `at` and `at + 4`. */
export function readAttributesAt(b: BatchRows, row: number, at: number): KeyValue[] {
  const dv = b.core.dv;
  return readAttributes(b, dv.getUint32(row + at, true), dv.getUint32(row + at + 4, true));
}

/** Finds the first attribute with `key` among `count` rows from `first`. */
export function findAttribute(b: BatchRows, first: number, count: number, key: string): AnyValue | undefined {
  for (let i = 0; i < count; i++) {
    const row = b.attrRow(first + i);
    const dv = b.core.dv;
    const len = dv.getUint32(row + B.A_KEY_LEN, true);
    // A UTF-16 unit takes 1 to 3 UTF-8 bytes: skip keys that cannot match before decoding them.
    if (len < key.length || len > key.length * 3) continue;
    if (readString(b, dv.getUint32(row + B.A_KEY_OFF, true), len) === key) return readValue(b, row);
  }
  return undefined;
}

/** findAttribute over the (start, count) a row holds at `at` and `at + 4`. */
export function findAttributeAt(b: BatchRows, row: number, at: number, key: string): AnyValue | undefined {
  const dv = b.core.dv;
  return findAttribute(b, dv.getUint32(row + at, true), dv.getUint32(row + at + 4, true), key);
}

/**
 * Converts an AnyValue to a plain JS value: int → bigint, double → number, kvlist → an object
 * without prototype (keys like `__proto__` arrive from untrusted input and stay plain keys; the
 * last of duplicate keys wins).
 */
export function plainValue(v: AnyValue): unknown {
  switch (v.type) {
    case 'empty':
      return undefined;
    case 'array':
      return v.value.map(plainValue);
    case 'kvlist': {
      const o: Record<string, unknown> = Object.create(null);
      for (const kv of v.value) o[kv.key] = plainValue(kv.value);
      return o;
    }
    default:
      return v.value;
  }
}
