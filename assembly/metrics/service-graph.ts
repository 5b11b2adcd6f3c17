// The servicegraph aggregation: pairs CLIENT/PRODUCER spans (keyed by trace id + span id) with
// SERVER/CONSUMER spans (keyed by trace id + parent span id) in an edge store that outlives batches,
// and records request counts and client/server latency histograms per edge series when a pair
// completes, or as a virtual node when an unpaired edge expires.
//
// The edge store is an open-addressing table of indices into a pool of fixed-size edge records,
// bounded by store.max_items; live edges also form a list in insertion order, which is expiry order
// (every edge gets the same TTL), so expiry pops from the head. Each side of an edge keeps its
// strings (service, dimension values, peer) in a small blob of its own, copied out of the batch.
import * as M from '../abi/derived-metrics-layout';
import * as L from '../abi/trace-layout';
import * as E from '../abi/errors';
import { alloc, allocZeroed, realloc, free } from '../mem/alloc';
import { clearError, failPlain } from '../errors';
import { hash32, bytesEqual } from '../hash';
import {
  tableNew, tableFree, tableFind, tableInsert, tableRecord, tableCount, tableKill, tableCompact,
} from './series-table';
import { explicitRecord, explicitSize } from './explicit-histogram';
import { expoNew, expoFree, expoRecord } from './exponential-histogram';
import { kb, kbLen, kbReset, kbU8, kbU32, kbBytes, kbString, kbFailed, kbReserve } from './key-buffer';
import { anyValueString, strPtr, strLen } from './attribute-values';
import { resourceFind, foundStart, foundEnd, foundHasValue, TAG_ATTRIBUTE_IN_SPAN } from './batch-resources';
import { scanAttributes, appendLookup, isFound, FOUND_SIZE, F_FOUND, F_VALUE } from './attribute-scan';
import { canonSkip, canonNonEmpty, canonPresent } from './canonical-value';
import { scratch, scratchRetain, scratchRelease } from './scratch';
import { singleResource, cacheFind, cacheAdd, cacheRecord, rcMsgStart, RC_VALUE, RC_SVC_OFF, RC_SVC_LEN, RC_SLOTS } from './resource-cache';

const NONE: u32 = 0xffffffff;
const DELETED: u32 = 0xffffffff;

const KIND_SERVER: u32 = 2;
const KIND_CLIENT: u32 = 3;
const KIND_PRODUCER: u32 = 4;
const KIND_CONSUMER: u32 = 5;
const STATUS_ERROR: u32 = 2;

const SERVICE_NAME = memory.data<u8>([115, 101, 114, 118, 105, 99, 101, 46, 110, 97, 109, 101]);
// Canonical string values used for virtual nodes.
const USER = memory.data<u8>([1, 4, 0, 0, 0, 117, 115, 101, 114]);
const UNKNOWN = memory.data<u8>([1, 7, 0, 0, 0, 117, 110, 107, 110, 111, 119, 110]);
// Tempo's database server naming reads these span attributes.
const PEER_SERVICE = memory.data<u8>([112, 101, 101, 114, 46, 115, 101, 114, 118, 105, 99, 101]); // peer.service
const SERVER_ADDRESS = memory.data<u8>([115, 101, 114, 118, 101, 114, 46, 97, 100, 100, 114, 101, 115, 115]); // server.address
const NET_PEER_ADDRESS = memory.data<u8>([110, 101, 116, 119, 111, 114, 107, 46, 112, 101, 101, 114, 46, 97, 100, 100, 114, 101, 115, 115]); // network.peer.address
const NET_PEER_PORT = memory.data<u8>([110, 101, 116, 119, 111, 114, 107, 46, 112, 101, 101, 114, 46, 112, 111, 114, 116]); // network.peer.port
const TEMPO_KEYS: u32 = 4;

// Scratch slots (shared numbering with span-metrics: calls never overlap).
const S_RES_MAP: u32 = 0;
const S_RES_SVC: u32 = 1;
const S_RES_FOUND: u32 = 2;
const S_SPAN_FOUND: u32 = 3;
const S_SLOT_KEYS: u32 = 4;

// The call in progress.
let IN: usize = 0;
let nowMs: f64 = 0;
let resMap: usize = 0;
let resSvc: usize = 0;
let resFound: usize = 0;
let spanFound: usize = 0;
let slotKeys: usize = 0;
let nDims: u32 = 0;
let nDb: u32 = 0;
let nPeers: u32 = 0;
let nSlots: u32 = 0;
/** Lookup results per batch resource: one per dimension, peer and database slot (peers unused there). */
let resSlots: u32 = 0;
// Slot layout: dimensions, peers, database names, Tempo's fixed keys — so that a SERVER span (which
// needs dimensions, and for Tempo peers) scans only a prefix of the slots.
let peerBase: u32 = 0;
let dbBase: u32 = 0;
let tempoBase: u32 = 0;
const EDGE_KEY = memory.data(40);

// @ts-ignore: decorator
@inline function keyListCount(kl: usize): u32 {
  return kl ? load<u32>(kl + M.KL_COUNT) : 0;
}

// @ts-ignore: decorator
@inline function keyListEntry(kl: usize, i: u32): usize {
  return kl + M.KL_FIRST + <usize>i * M.KE_SIZE;
}

// @ts-ignore: decorator
@inline function edge(state: usize, i: u32): usize {
  return <usize>load<u32>(state + M.SGS_EDGES) + <usize>i * M.ED_SIZE;
}

function histSize(cfg: usize): u32 {
  return load<u32>(cfg + M.SGC_EXPO_MAX_SIZE) > 0 ? 8 : explicitSize(load<u32>(cfg + M.SGC_BOUND_COUNT));
}

function nextPow2(n: u32): u32 {
  let c: u32 = 16;
  while (c < n) c <<= 1;
  return c;
}

/** Creates a servicegraph state from a configuration block (SGC_* layout, one allocation it now owns). */
export function sgCreate(config: usize): usize {
  clearError();
  let maxItems = load<u32>(config + M.SGC_MAX_ITEMS);
  if (load<u32>(config + M.SGC_EXPO_MAX_SIZE) == 1 || maxItems == 0) {
    failPlain(E.ERR_BAD_ARGUMENT, <u64>load<u32>(config + M.SGC_EXPO_MAX_SIZE));
    return 0;
  }
  let state = allocZeroed(M.SGS_SIZE);
  let hs = histSize(config);
  let stride = (<u32>M.GR_HIST + 2 * hs + 7) & ~7;
  let series = tableNew(stride);
  let aux = tableNew(M.GX_STRIDE);
  let edgeCap = min<u32>(max<u32>(maxItems, 1), 1024);
  let edges = allocZeroed(<usize>edgeCap * M.ED_SIZE);
  let slotCap = nextPow2(max<u32>(maxItems, 8) * 2);
  let slots = allocZeroed(<usize>slotCap * 4);
  // Resource lookups cached per Resource message: the dimensions and database names.
  let lookups = keyListCount(<usize>load<u32>(config + M.SGC_DIMS)) + keyListCount(<usize>load<u32>(config + M.SGC_PEERS)) + keyListCount(<usize>load<u32>(config + M.SGC_DB_NAMES));
  let rcache = tableNew((RC_SLOTS + lookups * 12 + 7) & ~7);
  if (!state || !series || !aux || !edges || !slots || !rcache) {
    tableFree(rcache);
    tableFree(series);
    tableFree(aux);
    free(edges);
    free(slots);
    free(state);
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>slotCap * 4);
    return 0;
  }
  store<u32>(state + M.SGS_CONFIG, <u32>config);
  store<u32>(state + M.SGS_SERIES, <u32>series);
  store<u32>(state + M.SGS_AUX, <u32>aux);
  store<u32>(state + M.SGS_EDGES, <u32>edges);
  store<u32>(state + M.SGS_EDGE_CAP, edgeCap);
  store<u32>(state + M.SGS_SLOTS, <u32>slots);
  store<u32>(state + M.SGS_SLOT_CAP, slotCap);
  store<u32>(state + M.SGS_HEAD, NONE);
  store<u32>(state + M.SGS_TAIL, NONE);
  store<u32>(state + M.SGS_HIST, M.GR_HIST);
  store<u32>(state + M.SGS_HIST_SIZE, hs);
  store<u32>(state + M.SGS_RESOURCE_CACHE, <u32>rcache);
  // Free list through ED_NEXT.
  for (let i: u32 = 0; i < edgeCap; i++) store<u32>(edges + <usize>i * M.ED_SIZE + M.ED_NEXT, i + 1 < edgeCap ? i + 1 : NONE);
  store<u32>(state + M.SGS_FREE, 0);
  scratchRetain();
  return state;
}

function freeSeriesHistograms(state: usize, series: usize): void {
  let cfg = <usize>load<u32>(state + M.SGS_CONFIG);
  if (load<u32>(cfg + M.SGC_EXPO_MAX_SIZE) == 0) return;
  let n = tableCount(series);
  for (let i: u32 = 0; i < n; i++) {
    let rec = tableRecord(series, i);
    expoFree(<usize>load<u32>(rec + M.GR_HIST));
    expoFree(<usize>load<u32>(rec + M.GR_HIST + 8));
    store<u64>(rec + M.GR_HIST, 0);
    store<u64>(rec + M.GR_HIST + 8, 0);
  }
}

export function sgFree(state: usize): void {
  if (!state) return;
  let cap = load<u32>(state + M.SGS_EDGE_CAP);
  for (let i: u32 = 0; i < cap; i++) {
    let e = edge(state, i);
    if (!(load<u32>(e + M.ED_FLAGS) & M.EF_USED)) continue;
    free(<usize>load<u32>(e + M.ED_CLIENT));
    free(<usize>load<u32>(e + M.ED_SERVER));
  }
  let series = <usize>load<u32>(state + M.SGS_SERIES);
  freeSeriesHistograms(state, series);
  tableFree(series);
  tableFree(<usize>load<u32>(state + M.SGS_AUX));
  tableFree(<usize>load<u32>(state + M.SGS_RESOURCE_CACHE));
  free(<usize>load<u32>(state + M.SGS_EDGES));
  free(<usize>load<u32>(state + M.SGS_SLOTS));
  free(<usize>load<u32>(state + M.SGS_CONFIG));
  free(state);
  scratchRelease();
}

// ---------------------------------------------------------------------------------------------
// Edge store

function edgeFind(state: usize, key: usize, h: u32): u32 {
  let slots = <usize>load<u32>(state + M.SGS_SLOTS);
  let mask = load<u32>(state + M.SGS_SLOT_CAP) - 1;
  let i = h & mask;
  while (true) {
    let ref = load<u32>(slots + <usize>i * 4);
    if (ref == 0) return NONE;
    if (ref != DELETED) {
      let e = edge(state, ref - 1);
      if (load<u32>(e + M.ED_HASH) == h && bytesEqual(e + M.ED_TRACE_ID, key, 24)) return ref - 1;
    }
    i = (i + 1) & mask;
  }
  return NONE;
}

/** Rebuilds the slots without tombstones. */
function rehashEdges(state: usize): void {
  let slots = <usize>load<u32>(state + M.SGS_SLOTS);
  let cap = load<u32>(state + M.SGS_SLOT_CAP);
  let mask = cap - 1;
  memory.fill(slots, 0, <usize>cap * 4);
  let i = load<u32>(state + M.SGS_HEAD);
  while (i != NONE) {
    let e = edge(state, i);
    let j = load<u32>(e + M.ED_HASH) & mask;
    while (load<u32>(slots + <usize>j * 4) != 0) j = (j + 1) & mask;
    store<u32>(slots + <usize>j * 4, i + 1);
    i = load<u32>(e + M.ED_NEXT);
  }
  store<u32>(state + M.SGS_TOMBSTONES, 0);
}

/** Takes a free edge record (growing the pool up to max_items); NONE when out of memory. */
function edgeAlloc(state: usize): u32 {
  let free0 = load<u32>(state + M.SGS_FREE);
  if (free0 == NONE) {
    let cap = load<u32>(state + M.SGS_EDGE_CAP);
    let cfg = <usize>load<u32>(state + M.SGS_CONFIG);
    let newCap = min<u32>(max<u32>(cap * 2, 16), max<u32>(load<u32>(cfg + M.SGC_MAX_ITEMS), cap + 1));
    let p = realloc(<usize>load<u32>(state + M.SGS_EDGES), <usize>newCap * M.ED_SIZE);
    if (!p) return NONE;
    memory.fill(p + <usize>cap * M.ED_SIZE, 0, <usize>(newCap - cap) * M.ED_SIZE);
    for (let i = cap; i < newCap; i++) store<u32>(p + <usize>i * M.ED_SIZE + M.ED_NEXT, i + 1 < newCap ? i + 1 : NONE);
    store<u32>(state + M.SGS_EDGES, <u32>p);
    store<u32>(state + M.SGS_EDGE_CAP, newCap);
    free0 = cap;
  }
  store<u32>(state + M.SGS_FREE, load<u32>(edge(state, free0) + M.ED_NEXT));
  return free0;
}

/** Stores a new edge for key (24 bytes at EDGE_KEY), at the tail of the expiry list. */
function edgeInsert(state: usize, h: u32, expires: f64): u32 {
  let i = edgeAlloc(state);
  if (i == NONE) return NONE;
  let e = edge(state, i);
  memory.fill(e, 0, M.ED_SIZE);
  memory.copy(e + M.ED_TRACE_ID, EDGE_KEY, 24);
  store<u32>(e + M.ED_FLAGS, M.EF_USED);
  store<u32>(e + M.ED_HASH, h);
  store<f64>(e + M.ED_EXPIRES, expires);
  let tail = load<u32>(state + M.SGS_TAIL);
  store<u32>(e + M.ED_PREV, tail);
  store<u32>(e + M.ED_NEXT, NONE);
  if (tail == NONE) store<u32>(state + M.SGS_HEAD, i);
  else store<u32>(edge(state, tail) + M.ED_NEXT, i);
  store<u32>(state + M.SGS_TAIL, i);
  let slots = <usize>load<u32>(state + M.SGS_SLOTS);
  let mask = load<u32>(state + M.SGS_SLOT_CAP) - 1;
  let j = h & mask;
  while (true) {
    let ref = load<u32>(slots + <usize>j * 4);
    if (ref == 0 || ref == DELETED) {
      if (ref == DELETED) store<u32>(state + M.SGS_TOMBSTONES, load<u32>(state + M.SGS_TOMBSTONES) - 1);
      store<u32>(slots + <usize>j * 4, i + 1);
      break;
    }
    j = (j + 1) & mask;
  }
  store<u32>(state + M.SGS_LIVE, load<u32>(state + M.SGS_LIVE) + 1);
  return i;
}

/** Removes edge i from the store (its blobs must have been taken or freed by the caller). */
function edgeRemove(state: usize, i: u32): void {
  let e = edge(state, i);
  let slots = <usize>load<u32>(state + M.SGS_SLOTS);
  let cap = load<u32>(state + M.SGS_SLOT_CAP);
  let mask = cap - 1;
  let j = load<u32>(e + M.ED_HASH) & mask;
  while (load<u32>(slots + <usize>j * 4) != i + 1) j = (j + 1) & mask;
  store<u32>(slots + <usize>j * 4, DELETED);
  let prev = load<u32>(e + M.ED_PREV);
  let nxt = load<u32>(e + M.ED_NEXT);
  if (prev == NONE) store<u32>(state + M.SGS_HEAD, nxt);
  else store<u32>(edge(state, prev) + M.ED_NEXT, nxt);
  if (nxt == NONE) store<u32>(state + M.SGS_TAIL, prev);
  else store<u32>(edge(state, nxt) + M.ED_PREV, prev);
  store<u32>(e + M.ED_FLAGS, 0);
  store<u32>(e + M.ED_CLIENT, 0);
  store<u32>(e + M.ED_SERVER, 0);
  store<u32>(e + M.ED_NEXT, load<u32>(state + M.SGS_FREE));
  store<u32>(state + M.SGS_FREE, i);
  store<u32>(state + M.SGS_LIVE, load<u32>(state + M.SGS_LIVE) - 1);
  let tomb = load<u32>(state + M.SGS_TOMBSTONES) + 1;
  store<u32>(state + M.SGS_TOMBSTONES, tomb);
  if (tomb > cap / 4) rehashEdges(state);
}

// ---------------------------------------------------------------------------------------------
// Side blobs: service (canonical), dimension values (canonical, as strings), peer (u32 index + 1,
// then the canonical value when the index is not 0).

/** Address of dimension d's value in a blob (skipping the service and the dimensions before it). */
function blobDim(blob: usize, d: u32): usize {
  let p = canonSkip(blob);
  for (let i: u32 = 0; i < d; i++) p = canonSkip(p);
  return p;
}

/** Address of the peer field in a blob. */
function blobPeer(blob: usize): usize {
  return blobDim(blob, nDims);
}

/** Copies the key buffer into a new blob; 0 when out of memory. */
function kbToBlob(): usize {
  if (kbFailed) return 0;
  let b = alloc(kbLen);
  if (b) memory.copy(b, kb, kbLen);
  return b;
}

/** Appends resource-then-span lookup of slot s (resource slots are the first resSlots). */
function appendResourceThenSpan(r: u32, s: u32): bool {
  if (s < resSlots && appendLookup(resFound + (<usize>r * <usize>resSlots + <usize>s) * FOUND_SIZE, true)) return true;
  return appendLookup(spanFound + <usize>s * FOUND_SIZE, true);
}

/** Appends the first peer attribute found on the span (config order), or the 0 marker. */
function appendPeer(): void {
  let base = peerBase;
  for (let p: u32 = 0; p < nPeers; p++) {
    let at = spanFound + <usize>(base + p) * FOUND_SIZE;
    if (isFound(at)) {
      kbU32(p + 1);
      appendLookup(at, true);
      return;
    }
  }
  kbU32(0);
}

/** The blob of a span's side: its service, its dimension values and (when wanted) its peer. */
function buildSideBlob(r: u32, withPeer: bool): usize {
  kbReset();
  kbString(M.VK_STRING, <usize>load<u32>(resSvc + <usize>r * 8), load<u32>(resSvc + <usize>r * 8 + 4));
  for (let d: u32 = 0; d < nDims; d++) if (!appendResourceThenSpan(r, d)) kbU8(M.VK_ABSENT);
  if (withPeer) appendPeer();
  else kbU32(0);
  return kbToBlob();
}

/**
 * Appends Tempo's database server name: peer.service, then server.address, then
 * network.peer.address(:network.peer.port), then the database attribute's value (slot dbSlot).
 */
function appendTempoDbServer(r: u32, dbSlot: u32): void {
  let t = tempoBase;
  if (appendLookup(spanFound + <usize>t * FOUND_SIZE, true)) return;
  if (appendLookup(spanFound + <usize>(t + 1) * FOUND_SIZE, true)) return;
  let s0 = kbLen;
  if (appendLookup(spanFound + <usize>(t + 2) * FOUND_SIZE, true)) {
    if (kbFailed || load<u8>(kb + s0) != M.VK_STRING) return;
    let s1 = kbLen;
    if (appendLookup(spanFound + <usize>(t + 3) * FOUND_SIZE, true)) {
      if (kbFailed || load<u8>(kb + s1) != M.VK_STRING) {
        kbLen = s1;
        return;
      }
      let alen = load<u32>(kb + s0 + 1);
      let plen = load<u32>(kb + s1 + 1);
      store<u8>(kb + s1, 58); // ':'
      memory.copy(kb + s1 + 1, kb + s1 + 5, plen);
      store<u32>(kb + s0 + 1, alen + 1 + plen);
      kbLen = s0 + 5 + alen + 1 + plen;
    }
    return;
  }
  appendResourceThenSpan(r, dbSlot);
}

/** The database slot (resource first, then span, per configured key in order) found for this span, or NONE. */
function findDatabase(r: u32): u32 {
  for (let b: u32 = 0; b < nDb; b++) {
    let s = dbBase + b;
    if (isFound(resFound + (<usize>r * <usize>resSlots + <usize>s) * FOUND_SIZE)) return s;
    if (isFound(spanFound + <usize>s * FOUND_SIZE)) return s;
  }
  return NONE;
}

// ---------------------------------------------------------------------------------------------
// Series

function bumpAux(state: usize, kind: u32, client: usize, server: usize, conn: u32): void {
  kbReset();
  kbU8(kind);
  kbBytes(client, <u32>(canonSkip(client) - client));
  kbBytes(server, <u32>(canonSkip(server) - server));
  kbU8(conn);
  if (kbFailed) return;
  let aux = <usize>load<u32>(state + M.SGS_AUX);
  let h = hash32(kb, kbLen);
  let idx = tableFind(aux, kb, kbLen, h);
  if (idx < 0) {
    idx = tableInsert(aux, kb, kbLen, h);
    if (idx < 0) return;
    store<f64>(tableRecord(aux, <u32>idx) + M.GX_START, nowMs);
  }
  let rec = tableRecord(aux, <u32>idx);
  store<u64>(rec + M.GX_COUNT, load<u64>(rec + M.GX_COUNT) + 1);
}

const EMPTY_STRING = memory.data<u8>([1, 0, 0, 0, 0]);

/**
 * Records one request on the edge series for (client, server, conn, failed, virtual node label),
 * the dimensions coming from the side blobs (either may be 0), and both latencies (seconds).
 */
function recordEdge(
  state: usize, clientSvc: usize, serverSvc: usize, clientBlob: usize, serverBlob: usize,
  conn: u32, failed: bool, vn: u32, clientLatency: f64, serverLatency: f64,
): void {
  let cfg = <usize>load<u32>(state + M.SGS_CONFIG);
  let flags = load<u32>(cfg + M.SGC_FLAGS);
  kbReset();
  kbBytes(clientSvc, <u32>(canonSkip(clientSvc) - clientSvc));
  kbBytes(serverSvc, <u32>(canonSkip(serverSvc) - serverSvc));
  kbU8(conn);
  kbU8(flags & M.SGF_FAILED_LABEL ? (failed ? 1 : 0) : 2);
  kbU8(vn);
  for (let d: u32 = 0; d < nDims; d++) {
    let c = clientBlob ? blobDim(clientBlob, d) : 0;
    let s = serverBlob ? blobDim(serverBlob, d) : 0;
    if (flags & M.SGF_PREFIX_DIMS) {
      if (c) kbBytes(c, <u32>(canonSkip(c) - c));
      else kbU8(M.VK_ABSENT);
      if (s) kbBytes(s, <u32>(canonSkip(s) - s));
      else kbU8(M.VK_ABSENT);
    } else {
      // One label per dimension (Tempo without enable_client_server_prefix): the server side's value wins.
      let v = s && canonPresent(s) ? s : c;
      if (v) kbBytes(v, <u32>(canonSkip(v) - v));
      else kbU8(M.VK_ABSENT);
    }
  }
  if (kbFailed) {
    store<u32>(state + M.SGS_DROPPED_MEMORY, load<u32>(state + M.SGS_DROPPED_MEMORY) + 1);
    return;
  }
  let series = <usize>load<u32>(state + M.SGS_SERIES);
  let h = hash32(kb, kbLen);
  let idx = tableFind(series, kb, kbLen, h);
  let expoMax = load<u32>(cfg + M.SGC_EXPO_MAX_SIZE);
  if (idx < 0) {
    let ch: usize = 0;
    let sh: usize = 0;
    if (expoMax > 0) {
      ch = expoNew(expoMax);
      sh = expoNew(expoMax);
    }
    if (expoMax > 0 && (!ch || !sh)) idx = -1;
    else idx = tableInsert(series, kb, kbLen, h);
    if (idx < 0) {
      expoFree(ch);
      expoFree(sh);
      store<u32>(state + M.SGS_DROPPED_MEMORY, load<u32>(state + M.SGS_DROPPED_MEMORY) + 1);
      return;
    }
    let rec = tableRecord(series, <u32>idx);
    store<f64>(rec + M.GR_START, nowMs);
    if (expoMax > 0) {
      store<u32>(rec + M.GR_HIST, <u32>ch);
      store<u32>(rec + M.GR_HIST + 8, <u32>sh);
    }
  }
  let rec = tableRecord(series, <u32>idx);
  if (expoMax > 0) {
    if (!expoRecord(<usize>load<u32>(rec + M.GR_HIST), clientLatency) || !expoRecord(<usize>load<u32>(rec + M.GR_HIST + 8), serverLatency)) {
      store<u32>(state + M.SGS_DROPPED_MEMORY, load<u32>(state + M.SGS_DROPPED_MEMORY) + 1);
    }
  } else {
    let hs = <usize>load<u32>(state + M.SGS_HIST_SIZE);
    let bounds = <usize>load<u32>(cfg + M.SGC_BOUNDS);
    let nb = load<u32>(cfg + M.SGC_BOUND_COUNT);
    explicitRecord(rec + M.GR_HIST, bounds, nb, clientLatency);
    explicitRecord(rec + M.GR_HIST + hs, bounds, nb, serverLatency);
  }
  store<u64>(rec + M.GR_TOTAL, load<u64>(rec + M.GR_TOTAL) + 1);
  if (failed) store<u64>(rec + M.GR_FAILED, load<u64>(rec + M.GR_FAILED) + 1);
  store<f64>(rec + M.GR_LAST, nowMs);
  store<u32>(rec + M.R_FLAGS, load<u32>(rec + M.R_FLAGS) | M.RF_TOUCHED);
}

/** Records a stored, complete edge and removes it. */
function completeEdge(state: usize, i: u32): void {
  let e = edge(state, i);
  let cb = <usize>load<u32>(e + M.ED_CLIENT);
  let sb = <usize>load<u32>(e + M.ED_SERVER);
  recordEdge(state, cb, sb, cb, sb, load<u32>(e + M.ED_CONN), (load<u32>(e + M.ED_FLAGS) & M.EF_FAILED) != 0, M.VN_NONE,
    load<f64>(e + M.ED_CLIENT_LATENCY), load<f64>(e + M.ED_SERVER_LATENCY));
  free(cb);
  free(sb);
  edgeRemove(state, i);
}

// ---------------------------------------------------------------------------------------------
// Per batch

function prepareResources(state: usize, header: usize): void {
  let nRes = load<u32>(header + L.B_RESOURCE_COUNT);
  let resources = <usize>load<u32>(header + L.B_RESOURCES);
  let cache = <usize>load<u32>(state + M.SGS_RESOURCE_CACHE);
  for (let r: u32 = 0; r < nRes; r++) {
    let rrow = resources + <usize>r * L.R_ROW;
    let cacheable = singleResource(IN, rrow);
    if (cacheable) {
      let ci = cacheFind(cache);
      if (ci >= 0) {
        fromCache(cacheRecord(cache, ci), r);
        continue;
      }
    }
    prepareResourceSlowly(rrow, r);
    if (cacheable) {
      let ci = cacheAdd(cache);
      if (ci >= 0) toCache(cacheRecord(cache, ci), r);
    }
  }
}

function fromCache(c: usize, r: u32): void {
  let has = load<u32>(c + RC_VALUE);
  store<u32>(resMap + <usize>r * 4, has);
  if (!has) return;
  store<u32>(resSvc + <usize>r * 8, <u32>(rcMsgStart + <usize>load<u32>(c + RC_SVC_OFF)));
  store<u32>(resSvc + <usize>r * 8 + 4, load<u32>(c + RC_SVC_LEN));
  for (let s: u32 = 0; s < resSlots; s++) {
    let at = resFound + (<usize>r * <usize>resSlots + <usize>s) * FOUND_SIZE;
    let from = c + RC_SLOTS + <usize>s * 12;
    store<u32>(at, <u32>(rcMsgStart + <usize>load<u32>(from)));
    store<u32>(at + 4, <u32>(rcMsgStart + <usize>load<u32>(from + 4)));
    store<u32>(at + 8, load<u32>(from + 8));
  }
}

function toCache(c: usize, r: u32): void {
  let has = load<u32>(resMap + <usize>r * 4);
  store<u32>(c + RC_VALUE, has);
  if (!has) return;
  store<u32>(c + RC_SVC_OFF, <u32>(<usize>load<u32>(resSvc + <usize>r * 8) - rcMsgStart));
  store<u32>(c + RC_SVC_LEN, load<u32>(resSvc + <usize>r * 8 + 4));
  for (let s: u32 = 0; s < resSlots; s++) {
    let at = resFound + (<usize>r * <usize>resSlots + <usize>s) * FOUND_SIZE;
    let to = c + RC_SLOTS + <usize>s * 12;
    let flags = load<u32>(at + 8);
    store<u32>(to + 8, flags);
    if (!flags) continue;
    store<u32>(to, <u32>(<usize>load<u32>(at) - rcMsgStart));
    store<u32>(to + 4, <u32>(<usize>load<u32>(at + 4) - rcMsgStart));
  }
}

function prepareResourceSlowly(rrow: usize, r: u32): void {
  if (!resourceFind(IN, rrow, SERVICE_NAME, 12)) {
    store<u32>(resMap + <usize>r * 4, 0);
    return;
  }
  store<u32>(resMap + <usize>r * 4, 1);
  if (foundHasValue) anyValueString(foundStart, foundEnd);
  else anyValueString(0, 0);
  store<u32>(resSvc + <usize>r * 8, <u32>strPtr);
  store<u32>(resSvc + <usize>r * 8 + 4, strLen);
  for (let s: u32 = 0; s < resSlots; s++) {
    let at = resFound + (<usize>r * <usize>resSlots + <usize>s) * FOUND_SIZE;
    // Peer attributes are read from spans only.
    if (s >= peerBase && s < dbBase) {
      store<u32>(at + 8, 0);
      continue;
    }
    if (resourceFind(IN, rrow, <usize>load<u32>(slotKeys + <usize>s * 8), load<u32>(slotKeys + <usize>s * 8 + 4))) {
      store<u32>(at, <u32>foundStart);
      store<u32>(at + 4, <u32>foundEnd);
      store<u32>(at + 8, F_FOUND | (foundHasValue ? F_VALUE : 0));
    } else {
      store<u32>(at + 8, 0);
    }
  }
}

/** Lays out the lookup slots: dimensions, database names, peers, then Tempo's fixed keys. */
function prepareSlots(cfg: usize): bool {
  let dims = <usize>load<u32>(cfg + M.SGC_DIMS);
  let dbs = <usize>load<u32>(cfg + M.SGC_DB_NAMES);
  let peers = <usize>load<u32>(cfg + M.SGC_PEERS);
  let tempo = (load<u32>(cfg + M.SGC_FLAGS) & M.SGF_TEMPO) != 0;
  nDims = keyListCount(dims);
  nDb = keyListCount(dbs);
  nPeers = keyListCount(peers);
  peerBase = nDims;
  dbBase = nDims + nPeers;
  tempoBase = dbBase + nDb;
  resSlots = tempoBase;
  nSlots = tempoBase + (tempo ? TEMPO_KEYS : 0);
  slotKeys = scratch(S_SLOT_KEYS, <usize>nSlots * 8 + 8);
  if (!slotKeys) return false;
  let s: u32 = 0;
  for (let i: u32 = 0; i < nDims; i++, s++) {
    store<u32>(slotKeys + <usize>s * 8, load<u32>(keyListEntry(dims, i) + M.KE_PTR));
    store<u32>(slotKeys + <usize>s * 8 + 4, load<u32>(keyListEntry(dims, i) + M.KE_LEN));
  }
  for (let i: u32 = 0; i < nPeers; i++, s++) {
    store<u32>(slotKeys + <usize>s * 8, load<u32>(keyListEntry(peers, i) + M.KE_PTR));
    store<u32>(slotKeys + <usize>s * 8 + 4, load<u32>(keyListEntry(peers, i) + M.KE_LEN));
  }
  for (let i: u32 = 0; i < nDb; i++, s++) {
    store<u32>(slotKeys + <usize>s * 8, load<u32>(keyListEntry(dbs, i) + M.KE_PTR));
    store<u32>(slotKeys + <usize>s * 8 + 4, load<u32>(keyListEntry(dbs, i) + M.KE_LEN));
  }
  if (tempo) {
    store<u32>(slotKeys + <usize>s * 8, <u32>PEER_SERVICE);
    store<u32>(slotKeys + <usize>s * 8 + 4, 12);
    store<u32>(slotKeys + <usize>(s + 1) * 8, <u32>SERVER_ADDRESS);
    store<u32>(slotKeys + <usize>(s + 1) * 8 + 4, 14);
    store<u32>(slotKeys + <usize>(s + 2) * 8, <u32>NET_PEER_ADDRESS);
    store<u32>(slotKeys + <usize>(s + 2) * 8 + 4, 20);
    store<u32>(slotKeys + <usize>(s + 3) * 8, <u32>NET_PEER_PORT);
    store<u32>(slotKeys + <usize>(s + 3) * 8 + 4, 17);
  }
  return true;
}

function countDropped(state: usize, at: i32): void {
  store<u32>(state + at, load<u32>(state + at) + 1);
}

/**
 * Pairs every CLIENT/PRODUCER/SERVER/CONSUMER span of the indexed batch at `header` at time `now`
 * (Unix ms): completes edges whose other side is stored, stores the rest (refusing new edges when
 * max_items are waiting). Returns 0, or an error code when per-batch scratch could not be allocated.
 */
export function sgConsume(state: usize, header: usize, now: f64): u32 {
  clearError();
  let cfg = <usize>load<u32>(state + M.SGS_CONFIG);
  let flags = load<u32>(cfg + M.SGC_FLAGS);
  let tempo = (flags & M.SGF_TEMPO) != 0;
  IN = <usize>load<u32>(header + L.B_INPUT);
  nowMs = now;
  let nRes = load<u32>(header + L.B_RESOURCE_COUNT);
  if (!prepareSlots(cfg)) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>nSlots * 8);
    return E.ERR_OUT_OF_MEMORY;
  }
  resMap = scratch(S_RES_MAP, <usize>nRes * 4 + 4);
  resSvc = scratch(S_RES_SVC, <usize>nRes * 8 + 8);
  resFound = scratch(S_RES_FOUND, <usize>nRes * <usize>resSlots * FOUND_SIZE + 4);
  spanFound = scratch(S_SPAN_FOUND, <usize>nSlots * FOUND_SIZE + 4);
  if (!resMap || !resSvc || !resFound || !spanFound || !kbReserve(256)) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>nRes * <u64>resSlots * FOUND_SIZE);
    return E.ERR_OUT_OF_MEMORY;
  }
  prepareResources(state, header);
  let ttl = load<f64>(cfg + M.SGC_TTL);
  let maxItems = load<u32>(cfg + M.SGC_MAX_ITEMS);
  let spans = <usize>load<u32>(header + L.B_SPANS);
  let nSpans = load<u32>(header + L.B_SPAN_COUNT);
  for (let i: u32 = 0; i < nSpans; i++) {
    let row = spans + <usize>i * L.SP_ROW;
    let kind = load<u32>(row + L.SP_KIND);
    let isClient = kind == KIND_CLIENT || kind == KIND_PRODUCER;
    if (!isClient && kind != KIND_SERVER && kind != KIND_CONSUMER) continue;
    let r = load<u32>(row + L.SP_RESOURCE);
    if (!load<u32>(resMap + <usize>r * 4)) continue;
    let conn: u32 = kind == KIND_PRODUCER || kind == KIND_CONSUMER ? M.CT_MESSAGING : M.CT_NONE;
    let failed = load<u32>(row + L.SP_STATUS_CODE) == STATUS_ERROR;
    let st = load<u64>(row + L.SP_START);
    let en = load<u64>(row + L.SP_END);
    // Negative durations record 0 (Tempo clamps; the collector would wrap around to ~584 years).
    let latency = en > st ? <f64>(en - st) / 1e9 : 0.0;
    memory.copy(EDGE_KEY, row + L.SP_TRACE_ID, 16);
    memory.copy(EDGE_KEY + 16, row + (isClient ? L.SP_SPAN_ID : L.SP_PARENT_ID), 8);
    let h = hash32(EDGE_KEY, 24);

    // A SERVER span needs its dimensions (and for Tempo its peer); a CLIENT span everything.
    let scanTo = isClient ? nSlots : tempo ? dbBase : peerBase;
    scanAttributes(IN + <usize>load<u32>(row + L.SP_CONTENT_START), IN + <usize>load<u32>(row + L.SP_CONTENT_END),
      TAG_ATTRIBUTE_IN_SPAN, load<u32>(row + L.SP_ATTR_COUNT), slotKeys, spanFound, 0, scanTo);
    let blob = buildSideBlob(r, isClient || tempo);
    if (!blob) {
      countDropped(state, M.SGS_DROPPED_MEMORY);
      continue;
    }
    let dbBlob: usize = 0;
    if (isClient) {
      let dbSlot = findDatabase(r);
      if (dbSlot != NONE) {
        // A database call has no server span: the client span completes the edge, the database
        // standing in as the server with the client's latency.
        kbReset();
        if (tempo) appendTempoDbServer(r, dbSlot);
        else appendResourceThenSpan(r, dbSlot);
        for (let d: u32 = 0; d < nDims; d++) kbU8(M.VK_ABSENT);
        kbU32(0);
        dbBlob = kbToBlob();
        if (!dbBlob) {
          free(blob);
          countDropped(state, M.SGS_DROPPED_MEMORY);
          continue;
        }
        conn = M.CT_DATABASE;
      }
    }

    let ei = edgeFind(state, EDGE_KEY, h);
    if (ei == NONE) {
      if (dbBlob) {
        store<u32>(state + M.SGS_TOTAL_EDGES, load<u32>(state + M.SGS_TOTAL_EDGES) + 1);
        recordEdge(state, blob, dbBlob, blob, dbBlob, conn, failed, M.VN_NONE, latency, latency);
        free(blob);
        free(dbBlob);
        continue;
      }
      if (load<u32>(state + M.SGS_LIVE) >= maxItems) {
        countDropped(state, M.SGS_DROPPED_SPANS);
        if (tempo) bumpAux(state, M.GXK_DROPPED, isClient ? blob : EMPTY_STRING, isClient ? EMPTY_STRING : blob, conn);
        free(blob);
        continue;
      }
      ei = edgeInsert(state, h, now + ttl);
      if (ei == NONE) {
        free(blob);
        countDropped(state, M.SGS_DROPPED_MEMORY);
        continue;
      }
      store<u32>(state + M.SGS_TOTAL_EDGES, load<u32>(state + M.SGS_TOTAL_EDGES) + 1);
    }
    let e = edge(state, ei);
    store<u32>(e + M.ED_CONN, conn);
    if (failed) store<u32>(e + M.ED_FLAGS, load<u32>(e + M.ED_FLAGS) | M.EF_FAILED);
    if (isClient) {
      free(<usize>load<u32>(e + M.ED_CLIENT));
      store<u32>(e + M.ED_CLIENT, <u32>blob);
      store<f64>(e + M.ED_CLIENT_LATENCY, latency);
      if (dbBlob) {
        free(<usize>load<u32>(e + M.ED_SERVER));
        store<u32>(e + M.ED_SERVER, <u32>dbBlob);
        store<f64>(e + M.ED_SERVER_LATENCY, latency);
      }
    } else {
      free(<usize>load<u32>(e + M.ED_SERVER));
      store<u32>(e + M.ED_SERVER, <u32>blob);
      store<f64>(e + M.ED_SERVER_LATENCY, latency);
    }
    let cb = <usize>load<u32>(e + M.ED_CLIENT);
    let sb = <usize>load<u32>(e + M.ED_SERVER);
    if (cb && sb && canonNonEmpty(cb) && canonNonEmpty(sb)) completeEdge(state, ei);
  }
  return 0;
}

/** The peer value of a side blob (canonical), or 0 when the side recorded none. */
function peerOf(blob: usize): usize {
  if (!blob) return 0;
  let p = blobPeer(blob);
  return load<u32>(p) ? p + 4 : 0;
}

/**
 * Expires every stored edge whose TTL has passed at `now` (oldest first): an edge missing its
 * client whose server span was a root becomes a `user` → server virtual-node request; one missing
 * its server becomes client → peer (the collector: the first peer attribute, else `unknown`; Tempo:
 * only when a peer attribute is there). Others only count as expired (Tempo: unpaired).
 * With `all` set, every stored edge expires now, whatever its TTL (end of input).
 */
export function sgExpire(state: usize, now: f64, all: u32): u32 {
  clearError();
  let cfg = <usize>load<u32>(state + M.SGS_CONFIG);
  let flags = load<u32>(cfg + M.SGC_FLAGS);
  let tempo = (flags & M.SGF_TEMPO) != 0;
  nowMs = now;
  if (!prepareSlots(cfg)) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>nSlots * 8);
    return E.ERR_OUT_OF_MEMORY;
  }
  let virtualNodes = nPeers > 0;
  let label = (flags & M.SGF_VIRTUAL_NODE_LABEL) != 0;
  while (true) {
    let i = load<u32>(state + M.SGS_HEAD);
    if (i == NONE) break;
    let e = edge(state, i);
    if (!all && !(now > load<f64>(e + M.ED_EXPIRES))) break;
    store<u32>(state + M.SGS_EXPIRED_EDGES, load<u32>(state + M.SGS_EXPIRED_EDGES) + 1);
    let cb = <usize>load<u32>(e + M.ED_CLIENT);
    let sb = <usize>load<u32>(e + M.ED_SERVER);
    let failed = (load<u32>(e + M.ED_FLAGS) & M.EF_FAILED) != 0;
    let clientMissing = !cb || !canonNonEmpty(cb);
    let serverMissing = !sb || !canonNonEmpty(sb);
    let root = load<u64>(e + M.ED_SPAN_ID) == 0;
    let recorded = false;
    if (virtualNodes) {
      if (clientMissing && root) {
        let peer = tempo ? peerOf(sb) : 0;
        recordEdge(state, peer ? peer : USER, sb, 0, sb, M.CT_VIRTUAL, failed, label ? M.VN_CLIENT : M.VN_NONE,
          0, load<f64>(e + M.ED_SERVER_LATENCY));
        recorded = true;
      } else if (serverMissing) {
        let peer = peerOf(cb);
        if (peer || !tempo) {
          recordEdge(state, cb, peer ? peer : UNKNOWN, cb, 0, M.CT_VIRTUAL, failed, label ? M.VN_SERVER : M.VN_NONE,
            load<f64>(e + M.ED_CLIENT_LATENCY), 0);
          recorded = true;
        }
      }
    }
    if (!recorded && tempo) {
      bumpAux(state, M.GXK_UNPAIRED, cb ? cb : EMPTY_STRING, sb ? sb : EMPTY_STRING, load<u32>(e + M.ED_CONN));
    }
    free(cb);
    free(sb);
    edgeRemove(state, i);
  }
  return 0;
}

/** Drops series (and aux counters) not updated since `now - staleMs` (the collector's cache loop). */
export function sgCleanSeries(state: usize, now: f64, staleMs: f64): void {
  let cfg = <usize>load<u32>(state + M.SGS_CONFIG);
  let expo = load<u32>(cfg + M.SGC_EXPO_MAX_SIZE) > 0;
  let series = <usize>load<u32>(state + M.SGS_SERIES);
  let n = tableCount(series);
  let killed = false;
  for (let i: u32 = 0; i < n; i++) {
    let rec = tableRecord(series, i);
    if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) continue;
    if (load<f64>(rec + M.GR_LAST) + staleMs < now) {
      if (expo) {
        expoFree(<usize>load<u32>(rec + M.GR_HIST));
        expoFree(<usize>load<u32>(rec + M.GR_HIST + 8));
      }
      tableKill(series, i);
      killed = true;
    }
  }
  if (killed) tableCompact(series, 0);
}
