// Finding attributes by key in a batch's attribute table (built by traceIndexAttributes). Keys are
// compared by hash first, then bytes; the first match wins, like pdata's Map.Get.
import * as L from '../abi/trace-layout';
import { bytesEqual } from '../hash';

/** The attribute row with `key` among `count` rows from `start`, or 0. */
export function findAttr(header: usize, start: u32, count: u32, key: usize, keyLen: u32, keyHash: u32): usize {
  let attrs = <usize>load<u32>(header + L.B_ATTRS);
  let input = <usize>load<u32>(header + L.B_INPUT);
  let row = attrs + <usize>start * L.A_ROW;
  let end = row + <usize>count * L.A_ROW;
  while (row < end) {
    if (load<u32>(row + L.A_KEY_HASH) == keyHash && load<u32>(row + L.A_KEY_LEN) == keyLen) {
      if (bytesEqual(input + load<u32>(row + L.A_KEY_OFF), key, keyLen)) return row;
    }
    row += L.A_ROW;
  }
  return 0;
}

/** The span's own attribute `key`, or 0. */
// @ts-ignore: decorator
@inline export function spanAttr(header: usize, span: usize, key: usize, keyLen: u32, keyHash: u32): usize {
  return findAttr(header, load<u32>(span + L.SP_ATTR_START), load<u32>(span + L.SP_ATTR_COUNT), key, keyLen, keyHash);
}

/** The attribute `key` of the span's resource, or 0. */
// @ts-ignore: decorator
@inline export function resourceAttr(header: usize, span: usize, key: usize, keyLen: u32, keyHash: u32): usize {
  let r = <usize>load<u32>(header + L.B_RESOURCES) + <usize>load<u32>(span + L.SP_RESOURCE) * L.R_ROW;
  return findAttr(header, load<u32>(r + L.R_ATTR_START), load<u32>(r + L.R_ATTR_COUNT), key, keyLen, keyHash);
}

/** pdata's Value.Int(): the int, or 0 for any other type. */
// @ts-ignore: decorator
@inline export function valueInt(row: usize): i64 {
  return load<u32>(row + L.A_TYPE) == L.V_INT ? load<i64>(row + L.A_VALUE) : 0;
}

/** pdata's Value.Bool(): the bool, or false for any other type. */
// @ts-ignore: decorator
@inline export function valueBool(row: usize): bool {
  return load<u32>(row + L.A_TYPE) == L.V_BOOL && load<u64>(row + L.A_VALUE) != 0;
}

/** Pointer to a string value's bytes (absolute) and its length; length 0 for non-strings. */
// @ts-ignore: decorator
@inline export function stringPtr(header: usize, row: usize): usize {
  return <usize>load<u32>(header + L.B_INPUT) + <usize>(<u32>load<u64>(row + L.A_VALUE));
}

// @ts-ignore: decorator
@inline export function stringLen(row: usize): u32 {
  return load<u32>(row + L.A_TYPE) == L.V_STRING ? <u32>(load<u64>(row + L.A_VALUE) >> 32) : 0;
}
