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
import { failPlain, failed, setContext, setInputBase, clearError } from '../errors';
import { wrongWireType } from './index-util';
import { readVarint, readTag, readLen, skipValue, skipTrusted, readVarintTrusted, next, WT_VARINT, WT_LEN } from '../wire/reader';
import { checkAttribute, setCheckDepth } from './attr-check';

/** Parses item `i` of scope `s` and resource `r`: the field's tag at `fieldStart`, content [cs, ce). */
export type ItemParser = (i: u32, s: u32, r: u32, fieldStart: usize, cs: usize, ce: usize) => void;

// Tags of the repeated children: resources in the request, scopes in a resource, items in a scope.
const TAG_CHILDREN: u32 = (2 << 3) | WT_LEN;
const TAG_RESOURCES: u32 = (1 << 3) | WT_LEN;

let IN: usize = 0;
let msgRequest: u32 = 0;
let msgResource: u32 = 0;
let msgScopeList: u32 = 0;

let resources: usize = 0;
let scopes: usize = 0;
let resourceCount: u32 = 0;
let scopeCount: u32 = 0;
/** Items (spans, log records, metrics) counted or parsed so far: all of them once counting is done. */
export let itemCount: u32 = 0;
let attrs: u32 = 0;
let parseItem: ItemParser = noItem;

function noItem(i: u32, s: u32, r: u32, fieldStart: usize, cs: usize, ce: usize): void {}

// @ts-ignore: decorator
@inline function rel(p: usize): u32 {
  return <u32>(p - IN);
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
function envelopeBegin(input: usize, request: u32, resourceList: u32, scopeList: u32): void {
  IN = input;
  msgRequest = request;
  msgResource = resourceList;
  msgScopeList = scopeList;
  resources = scopes = 0;
  resourceCount = scopeCount = itemCount = attrs = 0;
}

/** Sizes and allocates a signal's own tables once the items are counted (itemCount); false on failure, with the error recorded (a count limit) or not (out of memory). */
export type TablesAllocator = (inputLength: usize) => bool;
/** Frees whatever the signal's allocator made, after a failure. */
export type TablesReleaser = () => void;

/**
 * The index pass every signal runs: validates and counts the envelope, lets the signal allocate its
 * tables, parses every item with `items`, and returns a header with the shared slots filled — or 0
 * with the error recorded, the rows and the signal's tables released (the input stays the caller's).
 * `request`, `resourceList` and `scopeList` are the message ids errors name.
 */
export function indexEnvelope(
  input: usize, len: usize, depthLimit: u32, request: u32, resourceList: u32, scopeList: u32,
  allocTables: TablesAllocator, items: ItemParser, releaseTables: TablesReleaser,
): usize {
  clearError();
  setInputBase(input);
  setCheckDepth(depthLimit);
  envelopeBegin(input, request, resourceList, scopeList);
  let end = input + len;
  envelopeCount(input, end);
  if (failed) return 0;
  let header = allocZeroed(B.B_HEADER_SIZE);
  if (!header || !envelopeAllocRows() || !allocTables(len)) {
    free(header);
    envelopeFreeRows();
    releaseTables();
    if (!failed) failPlain(E.ERR_OUT_OF_MEMORY, len);
    return 0;
  }
  envelopeParse(input, end, items);
  if (failed) {
    free(header);
    envelopeFreeRows();
    releaseTables();
    return 0;
  }
  envelopeStoreHeader(header, input, len, depthLimit);
  return header;
}

// ---------------------------------------------------------------------------------------------
// Counting pass: sizes the resource, scope and item tables exactly, and validates the framing of
// the envelope (the items themselves are validated when parsed).

function envelopeCount(p: usize, end: usize): void {
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
function envelopeAllocRows(): bool {
  resources = allocZeroed(<usize>max<u32>(resourceCount, 1) * B.R_ROW);
  scopes = allocZeroed(<usize>max<u32>(scopeCount, 1) * B.S_ROW);
  return resources != 0 && scopes != 0;
}

function envelopeFreeRows(): void {
  free(resources);
  free(scopes);
  resources = scopes = 0;
}

// ---------------------------------------------------------------------------------------------
// Parsing pass

/** Fills the rows, calling `items` for every item in wire order (numbered from 0). */
function envelopeParse(p: usize, end: usize, items: ItemParser): void {
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
function envelopeStoreHeader(header: usize, input: usize, len: usize, depthLimit: u32): void {
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

/** Parses a Resource or InstrumentationScope message into the row of its Resource* / Scope*. */
type MessageParser = (row: usize, fieldStart: usize, cs: usize, ce: usize) => void;
/** Parses a child field (a Scope* of a Resource*, an item of a Scope*). */
type ChildParser = (fieldStart: usize, cs: usize, ce: usize) => void;

// The resource and scope whose children a second walk is visiting.
let currentResource: u32 = 0;
let currentScope: u32 = 0;

/**
 * The fields a Resource* or Scope* message has of its own: its Resource or InstrumentationScope
 * (field 1, handed to `message`) and its schema_url (field 3, stored at `schemaAt` in the row);
 * its children (field 2) are left for forEachChild, everything else is validated and skipped.
 */
function parseOwnFields(row: usize, cs: usize, ce: usize, context: u32, schemaAt: usize, message: MessageParser): void {
  let p = cs;
  while (p < ce) {
    let at = p;
    setContext(context, 0);
    let tag = readTag(p, ce);
    if (failed) return;
    p = next;
    let f = tag >>> 3;
    setContext(context, f);
    if (f == 1 || f == 3) {
      if ((tag & 7) != WT_LEN) return wrongWireType(tag, at);
      let len = readLen(p, ce);
      if (failed) return;
      let vs = next;
      if (f == 1) {
        message(row, at, vs, vs + len);
        if (failed) return;
      } else {
        store<u32>(row + schemaAt, rel(vs));
        store<u32>(row + schemaAt + 4, len);
      }
      p = vs + len;
    } else {
      p = skipValue(p, ce, tag, at);
      if (failed) return;
    }
  }
}

/** Calls `child` for every child field (2) of [cs, ce) in wire order: an unchecked second walk. */
function forEachChild(cs: usize, ce: usize, child: ChildParser): void {
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    p = next;
    if (tag == TAG_CHILDREN) {
      let len = <usize>readVarintTrusted(p);
      let vs = next;
      child(at, vs, vs + len);
      if (failed) return;
      p = vs + len;
    } else {
      p = skipTrusted(p, tag & 7);
    }
  }
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
  parseOwnFields(row, cs, ce, msgResource, B.R_SCHEMA_URL_OFF, parseResource);
  if (failed) return;
  store<u32>(row + B.R_ATTR_COUNT, attrs - load<u32>(row + B.R_ATTR_START));
  currentResource = r;
  forEachChild(cs, ce, parseScopeList);
  if (failed) return;
  store<u32>(row + B.R_SCOPE_COUNT, scopeCount - load<u32>(row + B.R_SCOPE_START));
  store<u32>(row + B.R_ITEM_COUNT, itemCount - load<u32>(row + B.R_ITEM_START));
}

function parseScopeList(fieldStart: usize, cs: usize, ce: usize): void {
  let s = scopeCount++;
  let row = scopes + <usize>s * B.S_ROW;
  store<u32>(row + B.S_FIELD_START, rel(fieldStart));
  store<u32>(row + B.S_CONTENT_START, rel(cs));
  store<u32>(row + B.S_CONTENT_END, rel(ce));
  store<u32>(row + B.S_RESOURCE, currentResource);
  store<u32>(row + B.S_ATTR_START, attrs);
  store<u32>(row + B.S_ITEM_START, itemCount);
  parseOwnFields(row, cs, ce, msgScopeList, B.S_SCHEMA_URL_OFF, parseScope);
  if (failed) return;
  store<u32>(row + B.S_ATTR_COUNT, attrs - load<u32>(row + B.S_ATTR_START));
  currentScope = s;
  forEachChild(cs, ce, parseItemField);
  if (failed) return;
  store<u32>(row + B.S_ITEM_COUNT, itemCount - load<u32>(row + B.S_ITEM_START));
}

function parseItemField(fieldStart: usize, cs: usize, ce: usize): void {
  parseItem(itemCount++, currentScope, currentResource, fieldStart, cs, ce);
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
