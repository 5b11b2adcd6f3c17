// The envelope every OTLP export request shares — request → Resource{Spans,Logs,Metrics} (resource,
// scope list, schema_url) → Scope{Spans,Logs,Metrics} (scope, item list, schema_url) — indexed once
// for all three signals. The field numbers are the same in all of them (resource 1, scopes 2,
// schema_url 3; scope 1, items 2, schema_url 3); only the message names in errors differ. The
// signal's indexer supplies a parser for its items (spans, log records, metrics).
//
// Resource and scope rows (abi/batch-layout.ts) are filled in wire order: a first walk over each
// message handles its own fields, a second, unchecked walk over the same bytes (the first validated
// them) parses its children, so every owner's children are contiguous whatever the field order.
//
// This module also owns the running attribute count: attribute row indices are assigned in the order
// resource → scope → items, and the signal's item parser adds its items' attributes through
// addAttr()/setAttrTotal() so that every owner's start index is final before the table is built.
import * as B from '../abi/batch-layout';
import * as E from '../abi/errors';
import { allocZeroed, free } from '../mem/alloc';
import { fail, failed, setContext } from '../errors';
import { readVarint, readTag, readLen, skipValue, skipTrusted, readVarintTrusted, next, WT_VARINT, WT_LEN } from '../wire/reader';
import { checkAttribute } from './attr-check';

/** Parses item `i` of scope `s` and resource `r`: the field's tag at `fieldStart`, content [cs, ce). */
export type ItemParser = (i: u32, s: u32, r: u32, fieldStart: usize, cs: usize, ce: usize) => void;

// Tags of the repeated children: resources in the request, scopes in a resource, items in a scope.
const TAG_CHILDREN: u32 = (2 << 3) | WT_LEN;
const TAG_RESOURCES: u32 = (1 << 3) | WT_LEN;

let IN: usize = 0;
let msgRequest: u32 = 0;
let msgResource: u32 = 0;
let msgScopeList: u32 = 0;

export let resources: usize = 0;
export let scopes: usize = 0;
export let resourceCount: u32 = 0;
export let scopeCount: u32 = 0;
export let itemCount: u32 = 0;
let attrs: u32 = 0;
let parseItem: ItemParser = noItem;

function noItem(i: u32, s: u32, r: u32, fieldStart: usize, cs: usize, ce: usize): void {}

// @ts-ignore: decorator
@inline function rel(p: usize): u32 {
  return <u32>(p - IN);
}

function wrongWireType(tag: u32, at: usize): void {
  fail(E.ERR_WRONG_WIRE_TYPE, at, tag & 7);
}

/** Attributes counted so far: the row index the next attribute will get. */
// @ts-ignore: decorator
@inline export function attrTotal(): u32 {
  return attrs;
}

/** Rolls the attribute count back (an item or child dropped after its attributes were counted). */
// @ts-ignore: decorator
@inline export function setAttrTotal(n: u32): void {
  attrs = n;
}

// @ts-ignore: decorator
@inline export function addAttr(): void {
  attrs++;
}

/** Validates one attribute (a KeyValue at [cs, ce)) and counts it; false on error. */
// @ts-ignore: decorator
@inline export function countAttr(cs: usize, ce: usize): bool {
  if (!checkAttribute(cs, ce)) return false;
  attrs++;
  return true;
}

/**
 * Starts a request: `input` is its first byte, the three message ids name the request, the
 * Resource* and the Scope* messages in errors.
 */
export function envelopeBegin(input: usize, request: u32, resourceList: u32, scopeList: u32): void {
  IN = input;
  msgRequest = request;
  msgResource = resourceList;
  msgScopeList = scopeList;
  resources = scopes = 0;
  resourceCount = scopeCount = itemCount = attrs = 0;
}

// ---------------------------------------------------------------------------------------------
// Counting pass: sizes the resource, scope and item tables exactly, and validates the framing of
// the envelope (the items themselves are validated when parsed).

export function envelopeCount(p: usize, end: usize): void {
  while (p < end) {
    let at = p;
    setContext(msgRequest, 0);
    let tag = readTag(p, end);
    if (failed) return;
    setContext(msgRequest, tag >>> 3);
    if (tag == TAG_RESOURCES) {
      let len = readLen(next, end);
      if (failed) return;
      let cs = next;
      resourceCount++;
      countList(cs, cs + len, msgResource);
      if (failed) return;
      p = cs + len;
    } else {
      if (tag >>> 3 == 1) return wrongWireType(tag, at);
      p = skipValue(next, end, tag, at);
      if (failed) return;
    }
  }
}

/** A Resource* (counting its scopes, recursively) or a Scope* (counting its items). */
function countList(p: usize, end: usize, message: u32): void {
  let isResource = message == msgResource;
  while (p < end) {
    let at = p;
    setContext(message, 0);
    let tag = readTag(p, end);
    if (failed) return;
    setContext(message, tag >>> 3);
    if (tag == TAG_CHILDREN) {
      if (isResource) {
        let len = readLen(next, end);
        if (failed) return;
        let cs = next;
        scopeCount++;
        countList(cs, cs + len, msgScopeList);
        if (failed) return;
        p = cs + len;
        continue;
      }
      itemCount++;
    } else if (tag >>> 3 == 2) {
      return wrongWireType(tag, at);
    }
    p = skipValue(next, end, tag, at);
    if (failed) return;
  }
}

/** Allocates the resource and scope rows for the counts found; false when over budget. */
export function envelopeAllocRows(): bool {
  resources = allocZeroed(<usize>max<u32>(resourceCount, 1) * B.R_ROW);
  scopes = allocZeroed(<usize>max<u32>(scopeCount, 1) * B.S_ROW);
  return resources != 0 && scopes != 0;
}

export function envelopeFreeRows(): void {
  free(resources);
  free(scopes);
  resources = scopes = 0;
}

// ---------------------------------------------------------------------------------------------
// Parsing pass

/** Fills the rows, calling `items` for every item in wire order (numbered from 0). */
export function envelopeParse(p: usize, end: usize, items: ItemParser): void {
  parseItem = items;
  resourceCount = scopeCount = itemCount = 0;
  while (p < end) {
    let at = p;
    setContext(msgRequest, 0);
    let tag = readTag(p, end);
    if (failed) return;
    setContext(msgRequest, tag >>> 3);
    if (tag == TAG_RESOURCES) {
      let len = readLen(next, end);
      if (failed) return;
      let cs = next;
      parseResourceList(at, cs, cs + len);
      if (failed) return;
      p = cs + len;
    } else {
      p = skipValue(next, end, tag, at);
      if (failed) return;
    }
  }
}

/** Copies the envelope's counts and tables into a batch header. */
export function envelopeStoreHeader(header: usize, input: usize, len: usize, depthLimit: u32): void {
  store<u32>(header + B.B_INPUT, <u32>input);
  store<u32>(header + B.B_INPUT_LEN, <u32>len);
  store<u32>(header + B.B_RESOURCE_COUNT, resourceCount);
  store<u32>(header + B.B_RESOURCES, <u32>resources);
  store<u32>(header + B.B_SCOPE_COUNT, scopeCount);
  store<u32>(header + B.B_SCOPES, <u32>scopes);
  store<u32>(header + B.B_ITEM_COUNT, itemCount);
  // Rows to build on demand; B_ATTRS stays 0 until then.
  store<u32>(header + B.B_ATTR_COUNT, attrs);
  store<u32>(header + B.B_DEPTH_LIMIT, depthLimit);
}

function parseResourceList(fieldStart: usize, cs: usize, ce: usize): void {
  let r = resourceCount++;
  let row = resources + <usize>r * B.R_ROW;
  store<u32>(row + B.R_FIELD_START, rel(fieldStart));
  store<u32>(row + B.R_CONTENT_START, rel(cs));
  store<u32>(row + B.R_CONTENT_END, rel(ce));
  store<u32>(row + B.R_ATTR_START, attrs);
  store<u32>(row + B.R_SCOPE_START, scopeCount);
  store<u32>(row + B.R_ITEM_START, itemCount);
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(msgResource, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(msgResource, f);
    if (f == 1 || f == 3) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (f == 1) {
        parseResource(row, at, vs, vs + len);
        if (failed) return;
      } else {
        store<u32>(row + B.R_SCHEMA_URL_OFF, rel(vs));
        store<u32>(row + B.R_SCHEMA_URL_LEN, len);
      }
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
  store<u32>(row + B.R_ATTR_COUNT, attrs - load<u32>(row + B.R_ATTR_START));
  p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == TAG_CHILDREN) {
      let len = <usize>readVarintTrusted(p);
      let vs = next;
      parseScopeList(r, at, vs, vs + len);
      if (failed) return;
      p = vs + len;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
  store<u32>(row + B.R_SCOPE_COUNT, scopeCount - load<u32>(row + B.R_SCOPE_START));
  store<u32>(row + B.R_ITEM_COUNT, itemCount - load<u32>(row + B.R_ITEM_START));
}

/** A Resource message; a second one merges into the first (protobuf semantics, as the collector does). */
function parseResource(row: usize, fieldStart: usize, cs: usize, ce: usize): void {
  if (!(load<u32>(row + B.R_FLAGS) & B.HAS_MESSAGE)) {
    store<u32>(row + B.R_FLAGS, B.HAS_MESSAGE);
    store<u32>(row + B.R_MSG_START, rel(fieldStart));
    store<u32>(row + B.R_MSG_END, rel(ce));
  }
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_RESOURCE, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_RESOURCE, f);
    if (f == 1) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (!countAttr(vs, vs + len)) return;
      p = vs + len;
    } else if (f == 2) {
      if ((tag & 7) != WT_VARINT) return wrongWireType(tag, at);
      store<u32>(row + B.R_DROPPED_ATTRS, <u32>readVarint(p, ce));
      if (failed) return;
      p = next;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}

function parseScopeList(r: u32, fieldStart: usize, cs: usize, ce: usize): void {
  let s = scopeCount++;
  let row = scopes + <usize>s * B.S_ROW;
  store<u32>(row + B.S_FIELD_START, rel(fieldStart));
  store<u32>(row + B.S_CONTENT_START, rel(cs));
  store<u32>(row + B.S_CONTENT_END, rel(ce));
  store<u32>(row + B.S_RESOURCE, r);
  store<u32>(row + B.S_ATTR_START, attrs);
  store<u32>(row + B.S_ITEM_START, itemCount);
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(msgScopeList, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(msgScopeList, f);
    if (f == 1 || f == 3) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (f == 1) {
        parseScope(row, at, vs, vs + len);
        if (failed) return;
      } else {
        store<u32>(row + B.S_SCHEMA_URL_OFF, rel(vs));
        store<u32>(row + B.S_SCHEMA_URL_LEN, len);
      }
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
  store<u32>(row + B.S_ATTR_COUNT, attrs - load<u32>(row + B.S_ATTR_START));
  p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == TAG_CHILDREN) {
      let len = <usize>readVarintTrusted(p);
      let vs = next;
      parseItem(itemCount++, s, r, at, vs, vs + len);
      if (failed) return;
      p = vs + len;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
  row = scopes + <usize>s * B.S_ROW;
  store<u32>(row + B.S_ITEM_COUNT, itemCount - load<u32>(row + B.S_ITEM_START));
}

/** An InstrumentationScope; like Resource, repeated occurrences merge. */
function parseScope(row: usize, fieldStart: usize, cs: usize, ce: usize): void {
  if (!(load<u32>(row + B.S_FLAGS) & B.HAS_MESSAGE)) {
    store<u32>(row + B.S_FLAGS, B.HAS_MESSAGE);
    store<u32>(row + B.S_MSG_START, rel(fieldStart));
    store<u32>(row + B.S_MSG_END, rel(ce));
  }
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(E.MSG_SCOPE, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(E.MSG_SCOPE, f);
    if (f >= 1 && f <= 3) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (f == 1) {
        store<u32>(row + B.S_NAME_OFF, rel(vs));
        store<u32>(row + B.S_NAME_LEN, len);
      } else if (f == 2) {
        store<u32>(row + B.S_VERSION_OFF, rel(vs));
        store<u32>(row + B.S_VERSION_LEN, len);
      } else if (!countAttr(vs, vs + len)) {
        return;
      }
      p = vs + len;
    } else if (f == 4) {
      if ((tag & 7) != WT_VARINT) return wrongWireType(tag, at);
      store<u32>(row + B.S_DROPPED_ATTRS, <u32>readVarint(p, ce));
      if (failed) return;
      p = next;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}
