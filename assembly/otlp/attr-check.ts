// Validation of attributes during the index pass, without building rows: every KeyValue is checked
// to the same rules the table builder applies (wire types, lengths, nesting depth), so a batch that
// indexed cleanly can always build its attribute table later, and malformed attributes are reported
// when the request arrives, not when someone first looks at them.
import * as E from '../abi/errors';
import { fail, failed, setContext } from '../errors';
import { readVarint, readTag, readLen, readFixed64, skipValue, next, WT_VARINT, WT_FIXED64, WT_LEN } from '../wire/reader';
import { fastKeyValue } from './attr-build';

let maxDepth: u32 = 64;

export function setCheckDepth(limit: u32): void {
  maxDepth = limit;
}

function wrongWireType(tag: u32, at: usize): void {
  fail(E.ERR_WRONG_WIRE_TYPE, at, tag & 7);
}

/** Checks the KeyValue at [cs, ce) (a top-level attribute, depth 1); false on error. */
// @ts-ignore: decorator
@inline export function checkAttribute(cs: usize, ce: usize): bool {
  if (fastKeyValue(0, cs, ce)) return true;
  checkKeyValue(cs, ce, 1);
  return !failed;
}

/** Checks the AnyValue at [cs, ce) (a log record's body: depth 1, like an attribute's value). */
export function checkValue(cs: usize, ce: usize): bool {
  checkAnyValue(cs, ce, 1);
  return !failed;
}

function checkKeyValue(cs: usize, ce: usize, depth: u32): void {
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_KEY_VALUE, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_KEY_VALUE, f);
    if (f == 1 || f == 2) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (f == 2) {
        checkAnyValue(vs, vs + len, depth);
        if (failed) return;
      }
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}

/** Depth as in the table builder: a container deeper than the limit is an error, scalars never are. */
function checkAnyValue(cs: usize, ce: usize, depth: u32): void {
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_ANY_VALUE, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    let wt = tag & 7;
    setContext(E.MSG_ANY_VALUE, f);
    if (f == 1 || f == 7) {
      if (wt != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      p = next + len;
    } else if (f == 2 || f == 3) {
      if (wt != WT_VARINT) return wrongWireType(tag, at);
      readVarint(p, ce);
      if (failed) return;
      p = next;
    } else if (f == 4) {
      if (wt != WT_FIXED64) return wrongWireType(tag, at);
      readFixed64(p, ce);
      if (failed) return;
      p = next;
    } else if (f == 5 || f == 6) {
      if (wt != WT_LEN) return wrongWireType(tag, at);
      if (depth > maxDepth) return fail(E.ERR_DEPTH_LIMIT, at, maxDepth);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      checkValues(vs, vs + len, depth, f == 6);
      if (failed) return;
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}

/** An ArrayValue (values: AnyValue) or KeyValueList (values: KeyValue), elements one level deeper. */
function checkValues(cs: usize, ce: usize, depth: u32, keyValues: bool): void {
  let message = keyValues ? E.MSG_KEY_VALUE_LIST : E.MSG_ARRAY_VALUE;
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(message, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    setContext(message, tag >>> 3);
    if (tag >>> 3 == 1) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (keyValues) checkKeyValue(vs, vs + len, depth + 1);
      else checkAnyValue(vs, vs + len, depth + 1);
      if (failed) return;
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}
