// The spanmetrics aggregation: one call per batch reads every span row (kind, status, times, name,
// and the attributes a dimension needs, straight from the bytes) and updates every series.
//
// A connector state holds a table of resources (identity → full attributes, first/last seen) and
// one series table per aggregation (a metric, or calls + duration when they share dimensions). A
// series key is the resource's record index followed by the canonical dimension values; the facade
// decodes keys back into attributes when it collects, so no per-series attribute map exists.
import * as M from '../abi/derived-metrics-layout';
import * as L from '../abi/trace-layout';
import * as E from '../abi/errors';
import { alloc, allocZeroed, free } from '../mem/alloc';
import { clearError, failPlain } from '../errors';
import { hash32, bytesEqual } from '../hash';
import { readVarintTrusted, skipTrusted, next } from '../wire/reader';
import {
  tableNew, tableFree, tableFind, tableInsert, tableFindOrInsert, tableRecord, tableCount, tableKey, tableKill,
  tableCompact, tableClear,
} from './series-table';
import { explicitRecord, explicitSize } from './explicit-histogram';
import { expoNew, expoFree, expoRecord } from './exponential-histogram';
import { exemplarAdd, exemplarsSize } from './exemplars';
import { kb, kbLen, kbReset, kbU8, kbU32, kbBytes, kbString, kbFailed, kbReserve } from './key-buffer';
import {
  parseKeyValue, kvKeyPtr, kvKeyLen, kvValStart, kvValEnd, kvHasValue, appendAnyValue, anyValueString, strPtr, strLen,
} from './attribute-values';
import {
  resourceFind, foundStart, foundEnd, foundHasValue, listResourceAttributes, listCount, listEntry, sortListByKey,
  LE_KEY, LE_KEY_LEN, LE_VAL, LE_VAL_END, LE_HAS_VALUE, LE_SIZE, TAG_ATTRIBUTE_IN_SPAN, TAG_ATTRIBUTE_IN_EVENT,
} from './batch-resources';
import { scratch, scratchRetain, scratchRelease } from './scratch';
import { scanAttributes, appendLookup, F_FOUND, F_VALUE, FOUND_SIZE } from './attribute-scan';
import {
  singleResource, cacheNew, cacheFind, cacheAdd, cacheRecord, rcMsgStart, rcMsgEnd, RC_VALUE, RC_SVC_OFF, RC_SVC_LEN, RC_SLOTS,
} from './resource-cache';
import { tableFree as cacheFree, tableClear as cacheClear } from './series-table';

const NONE: u32 = 0xffffffff;
const SERVICE_NAME = memory.data<u8>([115, 101, 114, 118, 105, 99, 101, 46, 110, 97, 109, 101]); // "service.name"
const SERVICE_NAME_LEN: u32 = 12;


// Scratch slots.
const S_RES_MAP: u32 = 0;
const S_RES_SVC: u32 = 1;
const S_RES_FOUND: u32 = 2;
const S_SPAN_FOUND: u32 = 3;
const S_EVENT_FOUND: u32 = 4;
const S_TS_KEY: u32 = 5;
const S_REMAP: u32 = 6;
const S_ORDER: u32 = 7;

// State of the call in progress.
let IN: usize = 0;
let nowMs: f64 = 0;
let resMap: usize = 0;
let resSvc: usize = 0;
let resFound: usize = 0;
let spanFound: usize = 0;
let eventFound: usize = 0;
let nSlots: u32 = 0;
let slotKeys: usize = 0;
let scopeRow: usize = 0;

// @ts-ignore: decorator
@inline function align8(n: u32): u32 {
  return (n + 7) & ~7;
}

// @ts-ignore: decorator
@inline function aggConfig(cfg: usize, a: u32): usize {
  return <usize>load<u32>(cfg + M.SMC_AGGS) + <usize>a * M.AGC_SIZE;
}

// @ts-ignore: decorator
@inline function aggState(state: usize, a: u32): usize {
  return <usize>load<u32>(state + M.SMS_AGGS) + <usize>a * M.AGS_SIZE;
}

function countAttributeDims(agc: usize): u32 {
  let n = load<u32>(agc + M.AGC_DIM_COUNT);
  let dims = <usize>load<u32>(agc + M.AGC_DIMS);
  let k: u32 = 0;
  for (let d: u32 = 0; d < n; d++) if (load<u32>(dims + <usize>d * M.DIM_SIZE + M.DIM_SOURCE) == M.DS_ATTRIBUTE) k++;
  return k;
}

/**
 * Creates a spanmetrics state from a configuration block (SMC_* layout, one allocation made with
 * alloc() holding everything it points to; the state owns and eventually frees it). 0 on error.
 */
export function smCreate(config: usize): usize {
  clearError();
  let nAggs = load<u32>(config + M.SMC_AGG_COUNT);
  if (nAggs == 0 || nAggs > <u32>M.RS_MAX_AGGS) {
    failPlain(E.ERR_BAD_ARGUMENT, <u64>nAggs);
    return 0;
  }
  for (let a: u32 = 0; a < nAggs; a++) {
    let agc = aggConfig(config, a);
    // Downscaling needs room for two buckets; fewer would never fit a spread of values.
    if ((load<u32>(agc + M.AGC_KIND) & M.AK_EXPONENTIAL) && load<u32>(agc + M.AGC_EXPO_MAX_SIZE) < 2) {
      failPlain(E.ERR_BAD_ARGUMENT, <u64>load<u32>(agc + M.AGC_EXPO_MAX_SIZE));
      return 0;
    }
  }
  let state = allocZeroed(M.SMS_SIZE);
  let aggs = allocZeroed(<usize>nAggs * M.AGS_SIZE);
  let resources = tableNew(M.RS_STRIDE);
  let timestamps = tableNew(M.TS_STRIDE);
  let slots: u32 = 0;
  for (let a: u32 = 0; a < nAggs; a++) slots += countAttributeDims(aggConfig(config, a));
  let keys = alloc(<usize>max<u32>(slots, 1) * 8);
  let rcache = cacheNew(slots);
  let ok = state && aggs && resources && timestamps && keys && rcache;
  if (ok) {
    store<u32>(state + M.SMS_CONFIG, <u32>config);
    store<u32>(state + M.SMS_AGGS, <u32>aggs);
    store<u32>(state + M.SMS_RESOURCES, <u32>resources);
    store<u32>(state + M.SMS_TIMESTAMPS, <u32>timestamps);
    store<u32>(state + M.SMS_SLOT_COUNT, slots);
    store<u32>(state + M.SMS_SLOT_KEYS, <u32>keys);
    store<u32>(state + M.SMS_RESOURCE_CACHE, <u32>rcache);
    let slot: u32 = 0;
    for (let a: u32 = 0; ok && a < nAggs; a++) {
      let agc = aggConfig(config, a);
      let ags = aggState(state, a);
      let kind = load<u32>(agc + M.AGC_KIND);
      let off: u32 = M.SR_PAYLOAD;
      store<u32>(ags + M.AGS_HIST, off);
      if (kind & M.AK_EXPLICIT) off += explicitSize(load<u32>(agc + M.AGC_BOUND_COUNT));
      else if (kind & M.AK_EXPONENTIAL) off += 8;
      let maxEx = load<u32>(agc + M.AGC_EXEMPLARS);
      store<u32>(ags + M.AGS_EXEMPLARS, maxEx ? off : 0);
      off = align8(off + exemplarsSize(maxEx));
      store<u32>(ags + M.AGS_STRIDE, off);
      store<u32>(ags + M.AGS_SLOT_BASE, slot);
      let n = load<u32>(agc + M.AGC_DIM_COUNT);
      let dims = <usize>load<u32>(agc + M.AGC_DIMS);
      for (let d: u32 = 0; d < n; d++) {
        let dim = dims + <usize>d * M.DIM_SIZE;
        if (load<u32>(dim + M.DIM_SOURCE) != M.DS_ATTRIBUTE) continue;
        store<u32>(keys + <usize>slot * 8, load<u32>(dim + M.DIM_KEY_PTR));
        store<u32>(keys + <usize>slot * 8 + 4, load<u32>(dim + M.DIM_KEY_LEN));
        slot++;
      }
      let table = tableNew(off);
      if (!table) ok = false;
      store<u32>(ags + M.AGS_TABLE, <u32>table);
    }
  }
  if (!ok) {
    if (aggs) for (let a: u32 = 0; a < nAggs; a++) tableFree(<usize>load<u32>(aggs + <usize>a * M.AGS_SIZE + M.AGS_TABLE));
    tableFree(resources);
    tableFree(timestamps);
    cacheFree(rcache);
    free(keys);
    free(aggs);
    free(state);
    failPlain(E.ERR_OUT_OF_MEMORY, M.SMS_SIZE);
    return 0;
  }
  scratchRetain();
  return state;
}

/** Frees every exponential histogram of an aggregation's series. */
function freeHistograms(state: usize, a: u32): void {
  let cfg = <usize>load<u32>(state + M.SMS_CONFIG);
  if (!(load<u32>(aggConfig(cfg, a) + M.AGC_KIND) & M.AK_EXPONENTIAL)) return;
  let ags = aggState(state, a);
  let table = <usize>load<u32>(ags + M.AGS_TABLE);
  let hist = <usize>load<u32>(ags + M.AGS_HIST);
  let n = tableCount(table);
  for (let i: u32 = 0; i < n; i++) {
    let rec = tableRecord(table, i);
    expoFree(<usize>load<u32>(rec + hist));
    store<u32>(rec + hist, 0);
  }
}

function freeResourceAttributes(resources: usize): void {
  let n = tableCount(resources);
  for (let i: u32 = 0; i < n; i++) {
    let rec = tableRecord(resources, i);
    free(<usize>load<u32>(rec + M.RS_ATTRS_PTR));
    store<u32>(rec + M.RS_ATTRS_PTR, 0);
  }
}

export function smFree(state: usize): void {
  if (!state) return;
  let cfg = <usize>load<u32>(state + M.SMS_CONFIG);
  let nAggs = load<u32>(cfg + M.SMC_AGG_COUNT);
  for (let a: u32 = 0; a < nAggs; a++) {
    freeHistograms(state, a);
    tableFree(<usize>load<u32>(aggState(state, a) + M.AGS_TABLE));
  }
  let resources = <usize>load<u32>(state + M.SMS_RESOURCES);
  freeResourceAttributes(resources);
  tableFree(resources);
  tableFree(<usize>load<u32>(state + M.SMS_TIMESTAMPS));
  cacheFree(<usize>load<u32>(state + M.SMS_RESOURCE_CACHE));
  free(<usize>load<u32>(state + M.SMS_SLOT_KEYS));
  free(<usize>load<u32>(state + M.SMS_AGGS));
  free(cfg);
  free(state);
  scratchRelease();
}

// ---------------------------------------------------------------------------------------------
// Per batch: resources

function dropSpans(state: usize, n: u32): void {
  store<u32>(state + M.SMS_DROPPED, load<u32>(state + M.SMS_DROPPED) + n);
}

/** Whether key (p, n) is in the key list kl. */
function inKeyList(kl: usize, p: usize, n: u32): bool {
  let count = load<u32>(kl + M.KL_COUNT);
  for (let i: u32 = 0; i < count; i++) {
    let e = kl + M.KL_FIRST + <usize>i * M.KE_SIZE;
    if (load<u32>(e + M.KE_LEN) == n && bytesEqual(<usize>load<u32>(e + M.KE_PTR), p, n)) return true;
  }
  return false;
}

/** Keeps the first occurrence of each key in the scratch list (and only listed keys when kl != 0). */
function filterList(kl: usize): u32 {
  let out: u32 = 0;
  let n = listCount;
  for (let i: u32 = 0; i < n; i++) {
    let e = listEntry(i);
    let kp = <usize>load<u32>(e + LE_KEY);
    let kn = load<u32>(e + LE_KEY_LEN);
    if (kl && !inKeyList(kl, kp, kn)) continue;
    let dup = false;
    for (let j: u32 = 0; j < out; j++) {
      let f = listEntry(j);
      if (load<u32>(f + LE_KEY_LEN) == kn && bytesEqual(<usize>load<u32>(f + LE_KEY), kp, kn)) {
        dup = true;
        break;
      }
    }
    if (dup) continue;
    if (out != i) memory.copy(listEntry(out), e, LE_SIZE);
    out++;
  }
  return out;
}

/** Appends the first n scratch-list entries to the key buffer as a canonical kvlist. */
function appendList(n: u32): void {
  kbU8(M.VK_KVLIST);
  kbU32(n);
  for (let i: u32 = 0; i < n; i++) {
    let e = listEntry(i);
    let kn = load<u32>(e + LE_KEY_LEN);
    kbU32(kn);
    kbBytes(<usize>load<u32>(e + LE_KEY), kn);
    if (load<u32>(e + LE_HAS_VALUE)) appendAnyValue(<usize>load<u32>(e + LE_VAL), <usize>load<u32>(e + LE_VAL_END), false);
    else kbU8(M.VK_EMPTY);
  }
}

/** Maps resource row r of the batch to a resource record (or NONE), with its service name and dimension values. */
function prepareResource(state: usize, r: u32, rrow: usize): void {
  store<u32>(resMap + <usize>r * 4, NONE);
  let spansOfResource = load<u32>(rrow + L.R_SPAN_COUNT);
  let cache = <usize>load<u32>(state + M.SMS_RESOURCE_CACHE);
  let cacheable = singleResource(IN, rrow);
  if (cacheable) {
    let ci = cacheFind(cache);
    if (ci >= 0) return fromCache(state, r, cacheRecord(cache, ci), spansOfResource);
  }
  if (prepareResourceSlowly(state, r, rrow, spansOfResource) && cacheable) {
    let ci = cacheAdd(cache);
    if (ci >= 0) toCache(cacheRecord(cache, ci), r);
  }
}

/** Applies a cached resource: the same bytes were seen before, so everything is where it was. */
function fromCache(state: usize, r: u32, c: usize, spansOfResource: u32): void {
  let ri = load<u32>(c + RC_VALUE);
  if (ri == NONE) {
    store<u32>(state + M.SMS_SKIPPED, load<u32>(state + M.SMS_SKIPPED) + spansOfResource);
    return;
  }
  let rec = tableRecord(<usize>load<u32>(state + M.SMS_RESOURCES), ri);
  store<f64>(rec + M.RS_LAST_SEEN, nowMs);
  store<u32>(rec + M.R_FLAGS, load<u32>(rec + M.R_FLAGS) | M.RF_TOUCHED);
  store<u32>(resMap + <usize>r * 4, ri);
  store<u32>(resSvc + <usize>r * 8, <u32>(rcMsgStart + <usize>load<u32>(c + RC_SVC_OFF)));
  store<u32>(resSvc + <usize>r * 8 + 4, load<u32>(c + RC_SVC_LEN));
  let found = resFound + <usize>r * <usize>nSlots * FOUND_SIZE;
  for (let s: u32 = 0; s < nSlots; s++) {
    let at = found + <usize>s * FOUND_SIZE;
    let from = c + RC_SLOTS + <usize>s * 12;
    store<u32>(at, <u32>(rcMsgStart + <usize>load<u32>(from)));
    store<u32>(at + 4, <u32>(rcMsgStart + <usize>load<u32>(from + 4)));
    store<u32>(at + 8, load<u32>(from + 8));
  }
}

/** Records what prepareResourceSlowly found for batch resource r, relative to its Resource message. */
function toCache(c: usize, r: u32): void {
  let ri = load<u32>(resMap + <usize>r * 4);
  store<u32>(c + RC_VALUE, ri);
  if (ri == NONE) return;
  store<u32>(c + RC_SVC_OFF, <u32>(<usize>load<u32>(resSvc + <usize>r * 8) - rcMsgStart));
  store<u32>(c + RC_SVC_LEN, load<u32>(resSvc + <usize>r * 8 + 4));
  let found = resFound + <usize>r * <usize>nSlots * FOUND_SIZE;
  for (let s: u32 = 0; s < nSlots; s++) {
    let at = found + <usize>s * FOUND_SIZE;
    let to = c + RC_SLOTS + <usize>s * 12;
    let flags = load<u32>(at + 8);
    store<u32>(to + 8, flags);
    if (!flags) continue;
    store<u32>(to, <u32>(<usize>load<u32>(at) - rcMsgStart));
    store<u32>(to + 4, <u32>(<usize>load<u32>(at + 4) - rcMsgStart));
  }
}

function dropResource(state: usize, spans: u32): bool {
  dropSpans(state, spans);
  return false;
}

/** The full walk over a resource's attributes; false when memory ran out (then nothing may be cached). */
function prepareResourceSlowly(state: usize, r: u32, rrow: usize, spansOfResource: u32): bool {
  if (!resourceFind(IN, rrow, SERVICE_NAME, SERVICE_NAME_LEN)) {
    store<u32>(state + M.SMS_SKIPPED, load<u32>(state + M.SMS_SKIPPED) + spansOfResource);
    return true;
  }
  if (foundHasValue) anyValueString(foundStart, foundEnd);
  else anyValueString(0, 0);
  store<u32>(resSvc + <usize>r * 8, <u32>strPtr);
  store<u32>(resSvc + <usize>r * 8 + 4, strLen);

  let cfg = <usize>load<u32>(state + M.SMS_CONFIG);
  let resources = <usize>load<u32>(state + M.SMS_RESOURCES);
  if (!listResourceAttributes(IN, rrow)) return dropResource(state, spansOfResource);
  let n = filterList(<usize>load<u32>(cfg + M.SMC_RESOURCE_KEYS));
  sortListByKey(n);
  kbReset();
  appendList(n);
  if (kbFailed) return dropResource(state, spansOfResource);
  let h = hash32(kb, kbLen);
  let idx = tableFind(resources, kb, kbLen, h);
  if (idx < 0) {
    idx = tableInsert(resources, kb, kbLen, h);
    if (idx < 0) return dropResource(state, spansOfResource);
    // The output resource carries every attribute of the first resource seen, in wire order.
    if (!listResourceAttributes(IN, rrow)) {
      tableKill(resources, <u32>idx);
      return dropResource(state, spansOfResource);
    }
    kbReset();
    appendList(listCount);
    let blob: usize = kbFailed ? 0 : alloc(kbLen);
    if (!blob) {
      tableKill(resources, <u32>idx);
      return dropResource(state, spansOfResource);
    }
    memory.copy(blob, kb, kbLen);
    let rec = tableRecord(resources, <u32>idx);
    store<u32>(rec + M.RS_ATTRS_PTR, <u32>blob);
    store<u32>(rec + M.RS_ATTRS_LEN, kbLen);
    store<f64>(rec + M.RS_FIRST_SEEN, nowMs);
  }
  let rec = tableRecord(resources, <u32>idx);
  store<f64>(rec + M.RS_LAST_SEEN, nowMs);
  store<u32>(rec + M.R_FLAGS, load<u32>(rec + M.R_FLAGS) | M.RF_TOUCHED);
  store<u32>(resMap + <usize>r * 4, <u32>idx);
  let found = resFound + <usize>r * <usize>nSlots * FOUND_SIZE;
  for (let s: u32 = 0; s < nSlots; s++) {
    let at = found + <usize>s * FOUND_SIZE;
    if (resourceFind(IN, rrow, <usize>load<u32>(slotKeys + <usize>s * 8), load<u32>(slotKeys + <usize>s * 8 + 4))) {
      store<u32>(at, <u32>foundStart);
      store<u32>(at + 4, <u32>foundEnd);
      store<u32>(at + 8, F_FOUND | (foundHasValue ? F_VALUE : 0));
    } else {
      store<u32>(at + 8, 0);
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Per span: dimension lookup and key

/** Builds the key of span `row` (resource record ri, batch resource r) for aggregation `agc` into the key buffer. */
function buildKey(cfg: usize, agc: usize, slotBase: u32, row: usize, ri: u32, r: u32, hasEvent: bool): void {
  kbReset();
  kbU32(ri);
  let n = load<u32>(agc + M.AGC_DIM_COUNT);
  let dims = <usize>load<u32>(agc + M.AGC_DIMS);
  let resourceFirst = (load<u32>(cfg + M.SMC_FLAGS) & M.SMF_RESOURCE_FIRST) != 0;
  let slot = slotBase;
  for (let d: u32 = 0; d < n; d++) {
    let dim = dims + <usize>d * M.DIM_SIZE;
    let src = load<u32>(dim + M.DIM_SOURCE);
    if (src == M.DS_ATTRIBUTE) {
      let sAt = spanFound + <usize>slot * FOUND_SIZE;
      let eAt = eventFound + <usize>slot * FOUND_SIZE;
      let rAt = resFound + (<usize>r * <usize>nSlots + <usize>slot) * FOUND_SIZE;
      slot++;
      let done: bool;
      if (resourceFirst) done = appendLookup(rAt, false) || appendLookup(sAt, false) || (hasEvent && appendLookup(eAt, false));
      else done = appendLookup(sAt, false) || (hasEvent && appendLookup(eAt, false)) || appendLookup(rAt, false);
      if (!done) {
        let def = <usize>load<u32>(dim + M.DIM_DEFAULT_PTR);
        if (def) kbBytes(def, load<u32>(dim + M.DIM_DEFAULT_LEN));
        else kbU8(M.VK_ABSENT);
      }
    } else if (src == M.DS_SERVICE_NAME) {
      kbString(M.VK_STRING, <usize>load<u32>(resSvc + <usize>r * 8), load<u32>(resSvc + <usize>r * 8 + 4));
    } else if (src == M.DS_SPAN_NAME) {
      kbString(M.VK_STRING, IN + <usize>load<u32>(row + L.SP_NAME_OFF), load<u32>(row + L.SP_NAME_LEN));
    } else if (src == M.DS_SPAN_KIND) {
      kbU8(M.VK_ENUM);
      kbU32(load<u32>(row + L.SP_KIND));
    } else if (src == M.DS_STATUS_CODE) {
      kbU8(M.VK_ENUM);
      kbU32(load<u32>(row + L.SP_STATUS_CODE));
    } else if (src == M.DS_STATUS_MESSAGE) {
      kbString(M.VK_STRING, IN + <usize>load<u32>(row + L.SP_STATUS_MSG_OFF), load<u32>(row + L.SP_STATUS_MSG_LEN));
    } else {
      // DS_SCOPE_NAME / DS_SCOPE_VERSION: only for scopes listed in include_instrumentation_scope.
      let scopes = <usize>load<u32>(cfg + M.SMC_SCOPES);
      let srow = scopeRow + <usize>load<u32>(row + L.SP_SCOPE) * L.S_ROW;
      let np = IN + <usize>load<u32>(srow + L.S_NAME_OFF);
      let nl = load<u32>(srow + L.S_NAME_LEN);
      if (scopes && nl > 0 && inKeyList(scopes, np, nl)) {
        if (src == M.DS_SCOPE_NAME) kbString(M.VK_STRING, np, nl);
        else {
          let vl = load<u32>(srow + L.S_VERSION_LEN);
          if (vl > 0) kbString(M.VK_STRING, IN + <usize>load<u32>(srow + L.S_VERSION_OFF), vl);
          else kbU8(M.VK_ABSENT);
        }
      } else {
        kbU8(M.VK_ABSENT);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Per span: series update

/** The delta-timestamp key of the series in the key buffer: resource identity + dimensions. */
function timestampKey(resources: usize, ri: u32, key: usize, keyLen: u32): usize {
  let rrec = tableRecord(resources, ri);
  let idLen = load<u32>(rrec + M.R_KEY_LEN);
  let total = 4 + idLen + keyLen - M.SK_DIMS;
  let p = scratch(S_TS_KEY, <usize>total + 16);
  if (!p) return 0;
  store<u32>(p, idLen);
  memory.copy(p + 4, tableKey(resources, rrec), idLen);
  memory.copy(p + 4 + idLen, key + M.SK_DIMS, keyLen - M.SK_DIMS);
  tsKeyLen = total;
  return p;
}
let tsKeyLen: u32 = 0;

/** Creates the series for the key in the key buffer; -1 when out of memory. */
function createSeries(state: usize, cfg: usize, agc: usize, ags: usize, ri: u32, h: u32): i32 {
  let kind = load<u32>(agc + M.AGC_KIND);
  let expo: usize = 0;
  if (kind & M.AK_EXPONENTIAL) {
    expo = expoNew(load<u32>(agc + M.AGC_EXPO_MAX_SIZE));
    if (!expo) return -1;
  }
  let start = nowMs;
  if (load<u32>(cfg + M.SMC_FLAGS) & M.SMF_DELTA) {
    let ts = <usize>load<u32>(state + M.SMS_TIMESTAMPS);
    let k = timestampKey(<usize>load<u32>(state + M.SMS_RESOURCES), ri, kb, kbLen);
    if (k) {
      let t = tableFind(ts, k, tsKeyLen, hash32(k, tsKeyLen));
      if (t >= 0) start = load<f64>(tableRecord(ts, <u32>t) + M.TS_TIME);
    }
  }
  let table = <usize>load<u32>(ags + M.AGS_TABLE);
  let idx = tableInsert(table, kb, kbLen, h);
  if (idx < 0) {
    expoFree(expo);
    return -1;
  }
  let rec = tableRecord(table, <u32>idx);
  store<f64>(rec + M.SR_START, start);
  if (expo) store<u32>(rec + <usize>load<u32>(ags + M.AGS_HIST), <u32>expo);
  return idx;
}

/** Records one measurement (duration d) of span `row` into the series whose key is in the key buffer. */
function update(state: usize, cfg: usize, a: u32, row: usize, ri: u32, d: f64): void {
  let agc = aggConfig(cfg, a);
  let ags = aggState(state, a);
  let table = <usize>load<u32>(ags + M.AGS_TABLE);
  if (kbFailed) return dropSpans(state, 1);
  let h = hash32(kb, kbLen);
  let idx = tableFind(table, kb, kbLen, h);
  if (idx < 0) {
    let resources = <usize>load<u32>(state + M.SMS_RESOURCES);
    let limit = load<u32>(agc + M.AGC_LIMIT);
    let counter = tableRecord(resources, ri) + M.RS_SERIES + <usize>a * 4;
    let overflow = limit > 0 && load<u32>(counter) >= limit;
    if (overflow) {
      store<u32>(ags + M.AGS_OVERFLOWED, load<u32>(ags + M.AGS_OVERFLOWED) + 1);
      kbReset();
      kbU32(ri);
      kbU8(M.VK_OVERFLOW);
      h = hash32(kb, kbLen);
      idx = tableFind(table, kb, kbLen, h);
    }
    if (idx < 0) {
      idx = createSeries(state, cfg, agc, ags, ri, h);
      if (idx < 0) return dropSpans(state, 1);
      if (!overflow) {
        counter = tableRecord(resources, ri) + M.RS_SERIES + <usize>a * 4;
        store<u32>(counter, load<u32>(counter) + 1);
      }
    }
  }
  let rec = tableRecord(table, <u32>idx);
  let kind = load<u32>(agc + M.AGC_KIND);
  let hist = rec + <usize>load<u32>(ags + M.AGS_HIST);
  if (kind & M.AK_EXPONENTIAL) {
    if (!expoRecord(<usize>load<u32>(hist), d)) return dropSpans(state, 1);
  } else if (kind & M.AK_EXPLICIT) {
    explicitRecord(hist, <usize>load<u32>(agc + M.AGC_BOUNDS), load<u32>(agc + M.AGC_BOUND_COUNT), d);
  }
  if (kind & M.AK_COUNT) store<u64>(rec + M.SR_COUNT, load<u64>(rec + M.SR_COUNT) + 1);
  if (kind & M.AK_SIZE) {
    let size = <u64>(load<u32>(row + L.SP_CONTENT_END) - load<u32>(row + L.SP_CONTENT_START));
    store<u64>(rec + M.SR_SIZE_SUM, load<u64>(rec + M.SR_SIZE_SUM) + size);
  }
  let ex = load<u32>(ags + M.AGS_EXEMPLARS);
  if (ex) exemplarAdd(rec + ex, load<u32>(agc + M.AGC_EXEMPLARS), row, d);
  store<f64>(rec + M.SR_LAST, nowMs);
  store<u32>(rec + M.R_FLAGS, load<u32>(rec + M.R_FLAGS) | M.RF_TOUCHED);
}

/**
 * Aggregates every span of the indexed batch at `header` into the state, at time `now` (Unix ms).
 * Returns 0, or an error code when the per-batch scratch could not be allocated (nothing counted).
 * Measurements that would need memory beyond the budget are dropped and counted (SMS_DROPPED).
 */
export function smConsume(state: usize, header: usize, now: f64): u32 {
  clearError();
  let cfg = <usize>load<u32>(state + M.SMS_CONFIG);
  IN = <usize>load<u32>(header + L.B_INPUT);
  nowMs = now;
  nSlots = load<u32>(state + M.SMS_SLOT_COUNT);
  slotKeys = <usize>load<u32>(state + M.SMS_SLOT_KEYS);
  scopeRow = <usize>load<u32>(header + L.B_SCOPES);
  let nRes = load<u32>(header + L.B_RESOURCE_COUNT);
  let resources = <usize>load<u32>(header + L.B_RESOURCES);
  let spans = <usize>load<u32>(header + L.B_SPANS);
  let nSpans = load<u32>(header + L.B_SPAN_COUNT);
  let events = <usize>load<u32>(header + L.B_EVENTS);
  resMap = scratch(S_RES_MAP, <usize>nRes * 4 + 4);
  resSvc = scratch(S_RES_SVC, <usize>nRes * 8 + 8);
  resFound = scratch(S_RES_FOUND, <usize>nRes * <usize>nSlots * FOUND_SIZE + 4);
  spanFound = scratch(S_SPAN_FOUND, <usize>nSlots * FOUND_SIZE + 4);
  eventFound = scratch(S_EVENT_FOUND, <usize>nSlots * FOUND_SIZE + 4);
  if (!resMap || !resSvc || !resFound || !spanFound || !eventFound || !kbReserve(256)) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>nRes * <u64>nSlots * FOUND_SIZE);
    return E.ERR_OUT_OF_MEMORY;
  }
  for (let r: u32 = 0; r < nRes; r++) prepareResource(state, r, resources + <usize>r * L.R_ROW);

  let nAggs = load<u32>(cfg + M.SMC_AGG_COUNT);
  let unitNanos = load<f64>(cfg + M.SMC_UNIT_NANOS);
  for (let i: u32 = 0; i < nSpans; i++) {
    let row = spans + <usize>i * L.SP_ROW;
    let r = load<u32>(row + L.SP_RESOURCE);
    let ri = load<u32>(resMap + <usize>r * 4);
    if (ri == NONE) continue;
    let st = load<u64>(row + L.SP_START);
    let en = load<u64>(row + L.SP_END);
    // The collector records end <= start as 0 rather than a negative or wrapped duration.
    let d = en > st ? <f64>(en - st) / unitNanos : 0.0;
    let scanned = false;
    for (let a: u32 = 0; a < nAggs; a++) {
      let agc = aggConfig(cfg, a);
      let ags = aggState(state, a);
      let base = load<u32>(ags + M.AGS_SLOT_BASE);
      let top = a + 1 < nAggs ? load<u32>(aggState(state, a + 1) + M.AGS_SLOT_BASE) : nSlots;
      if (top > base && !scanned) {
        // One pass over the span's attributes serves every aggregation's dimensions.
        scanAttributes(IN + <usize>load<u32>(row + L.SP_CONTENT_START), IN + <usize>load<u32>(row + L.SP_CONTENT_END),
          TAG_ATTRIBUTE_IN_SPAN, load<u32>(row + L.SP_ATTR_COUNT), slotKeys, spanFound, 0, nSlots);
        scanned = true;
      }
      if (load<u32>(agc + M.AGC_KIND) & M.AK_PER_EVENT) {
        let e0 = load<u32>(row + L.SP_EVENT_START);
        let ne = load<u32>(row + L.SP_EVENT_COUNT);
        for (let e = e0; e < e0 + ne; e++) {
          let erow = events + <usize>e * L.E_ROW;
          scanAttributes(IN + <usize>load<u32>(erow + L.E_CONTENT_START), IN + <usize>load<u32>(erow + L.E_CONTENT_END),
            TAG_ATTRIBUTE_IN_EVENT, load<u32>(erow + L.E_ATTR_COUNT), slotKeys, eventFound, base, top);
          buildKey(cfg, agc, base, row, ri, r, true);
          update(state, cfg, a, row, ri, d);
        }
      } else {
        buildKey(cfg, agc, base, row, ri, r, false);
        update(state, cfg, a, row, ri, d);
      }
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// After a collection

/** Rewrites each series key's resource index through `remap`, dropping series of removed resources. */
function remapSeries(state: usize, a: u32, remap: usize): void {
  let ags = aggState(state, a);
  let table = <usize>load<u32>(ags + M.AGS_TABLE);
  let cfg = <usize>load<u32>(state + M.SMS_CONFIG);
  let expo = (load<u32>(aggConfig(cfg, a) + M.AGC_KIND) & M.AK_EXPONENTIAL) != 0;
  let hist = <usize>load<u32>(ags + M.AGS_HIST);
  let n = tableCount(table);
  for (let i: u32 = 0; i < n; i++) {
    let rec = tableRecord(table, i);
    if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) continue;
    let key = tableKey(table, rec);
    let to = load<u32>(remap + <usize>load<u32>(key) * 4);
    if (to == NONE) {
      if (expo) {
        expoFree(<usize>load<u32>(rec + hist));
        store<u32>(rec + hist, 0);
      }
      tableKill(table, i);
      continue;
    }
    store<u32>(key, to);
    store<u32>(rec + M.R_HASH, hash32(key, load<u32>(rec + M.R_KEY_LEN)));
  }
  tableCompact(table, 0);
}

/** Sorts n (f64 time, u32 index) pairs at p by time, ascending (heapsort: no recursion, no allocation). */
function sortByTime(p: usize, n: u32): void {
  if (n < 2) return;
  for (let start = <i32>(n / 2) - 1; start >= 0; start--) siftDown(p, <u32>start, n);
  for (let end = n - 1; end > 0; end--) {
    swapPairs(p, 0, end);
    siftDown(p, 0, end);
  }
}

function swapPairs(p: usize, i: u32, j: u32): void {
  let a = p + <usize>i * 16;
  let b = p + <usize>j * 16;
  let t0 = load<u64>(a);
  let t1 = load<u64>(a + 8);
  store<u64>(a, load<u64>(b));
  store<u64>(a + 8, load<u64>(b + 8));
  store<u64>(b, t0);
  store<u64>(b + 8, t1);
}

function siftDown(p: usize, i: u32, n: u32): void {
  while (true) {
    let largest = i;
    let l = i * 2 + 1;
    let r = l + 1;
    if (l < n && load<f64>(p + <usize>l * 16) > load<f64>(p + <usize>largest * 16)) largest = l;
    if (r < n && load<f64>(p + <usize>r * 16) > load<f64>(p + <usize>largest * 16)) largest = r;
    if (largest == i) return;
    swapPairs(p, i, largest);
    i = largest;
  }
}

/**
 * Ends a collection interval at `now`. Delta: every series and resource is dropped; the flush time
 * is remembered per series (bounded by `timestampCacheSize`) as the start of its next interval.
 * Cumulative: exemplars are cleared; resources not seen for `expirationMs` (when > 0), and the
 * least recently seen beyond `resourceCacheSize` (when > 0), are dropped with their series; single
 * series not updated for `seriesExpirationMs` (when > 0) are dropped too.
 * Returns 0 or ERR_OUT_OF_MEMORY (then nothing was removed; the next collection tries again).
 */
export function smAfterCollect(
  state: usize, now: f64, expirationMs: f64, resourceCacheSize: u32, timestampCacheSize: u32, seriesExpirationMs: f64,
): u32 {
  clearError();
  let cfg = <usize>load<u32>(state + M.SMS_CONFIG);
  let nAggs = load<u32>(cfg + M.SMC_AGG_COUNT);
  let resources = <usize>load<u32>(state + M.SMS_RESOURCES);
  if (load<u32>(cfg + M.SMC_FLAGS) & M.SMF_DELTA) {
    let ts = <usize>load<u32>(state + M.SMS_TIMESTAMPS);
    for (let a: u32 = 0; a < nAggs; a++) {
      let table = <usize>load<u32>(aggState(state, a) + M.AGS_TABLE);
      let n = tableCount(table);
      for (let i: u32 = 0; i < n; i++) {
        let rec = tableRecord(table, i);
        if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) continue;
        let key = tableKey(table, rec);
        let k = timestampKey(resources, load<u32>(key), key, load<u32>(rec + M.R_KEY_LEN));
        if (!k) continue;
        let t = tableFindOrInsert(ts, k, tsKeyLen, hash32(k, tsKeyLen));
        if (t >= 0) store<f64>(tableRecord(ts, <u32>t) + M.TS_TIME, now);
      }
      freeHistograms(state, a);
      tableClear(table);
    }
    freeResourceAttributes(resources);
    tableClear(resources);
    cacheClear(<usize>load<u32>(state + M.SMS_RESOURCE_CACHE));
    // Bound the remembered timestamps: older flushes go first, then any excess.
    let live = load<u32>(ts + M.T_LIVE);
    if (timestampCacheSize > 0 && live > timestampCacheSize) {
      let n = tableCount(ts);
      for (let i: u32 = 0; i < n && live > timestampCacheSize; i++) {
        if (load<f64>(tableRecord(ts, i) + M.TS_TIME) < now) {
          tableKill(ts, i);
          live--;
        }
      }
      for (let i: u32 = 0; i < n && live > timestampCacheSize; i++) {
        if (!(load<u32>(tableRecord(ts, i) + M.R_FLAGS) & M.RF_DEAD)) {
          tableKill(ts, i);
          live--;
        }
      }
      tableCompact(ts, 0);
    }
    return 0;
  }

  for (let a: u32 = 0; a < nAggs; a++) {
    let ags = aggState(state, a);
    let ex = <usize>load<u32>(ags + M.AGS_EXEMPLARS);
    let table = <usize>load<u32>(ags + M.AGS_TABLE);
    let expo = (load<u32>(aggConfig(cfg, a) + M.AGC_KIND) & M.AK_EXPONENTIAL) != 0;
    let hist = <usize>load<u32>(ags + M.AGS_HIST);
    let n = tableCount(table);
    let expired = false;
    for (let i: u32 = 0; i < n; i++) {
      let rec = tableRecord(table, i);
      if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) continue;
      if (ex) store<u32>(rec + ex + M.XS_COUNT, 0);
      store<u32>(rec + M.R_FLAGS, load<u32>(rec + M.R_FLAGS) & ~M.RF_TOUCHED);
      if (seriesExpirationMs > 0 && now - load<f64>(rec + M.SR_LAST) >= seriesExpirationMs) {
        let key = tableKey(table, rec);
        // The series no longer counts against its resource's cardinality limit (the overflow series never did).
        if (!(load<u32>(rec + M.R_KEY_LEN) == M.SK_DIMS + 1 && load<u8>(key + M.SK_DIMS) == M.VK_OVERFLOW)) {
          let counter = tableRecord(resources, load<u32>(key)) + M.RS_SERIES + <usize>a * 4;
          store<u32>(counter, load<u32>(counter) - 1);
        }
        if (expo) {
          expoFree(<usize>load<u32>(rec + hist));
          store<u32>(rec + hist, 0);
        }
        tableKill(table, i);
        expired = true;
      }
    }
    if (expired) tableCompact(table, 0);
  }
  let n = tableCount(resources);
  let killed = false;
  if (expirationMs > 0) {
    for (let i: u32 = 0; i < n; i++) {
      let rec = tableRecord(resources, i);
      if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) continue;
      if (now - load<f64>(rec + M.RS_LAST_SEEN) >= expirationMs) {
        tableKill(resources, i);
        killed = true;
      }
    }
  }
  let live = load<u32>(resources + M.T_LIVE);
  if (resourceCacheSize > 0 && live > resourceCacheSize) {
    let order = scratch(S_ORDER, <usize>live * 16 + 16);
    if (!order) {
      failPlain(E.ERR_OUT_OF_MEMORY, <u64>live * 16);
      return E.ERR_OUT_OF_MEMORY;
    }
    let k: u32 = 0;
    for (let i: u32 = 0; i < n; i++) {
      let rec = tableRecord(resources, i);
      if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) continue;
      store<f64>(order + <usize>k * 16, load<f64>(rec + M.RS_LAST_SEEN));
      store<u32>(order + <usize>k * 16 + 8, i);
      k++;
    }
    sortByTime(order, k);
    for (let j: u32 = 0; j < k - resourceCacheSize; j++) tableKill(resources, load<u32>(order + <usize>j * 16 + 8));
    killed = true;
  }
  if (!killed) return 0;
  let remap = scratch(S_REMAP, <usize>n * 4 + 4);
  if (!remap) {
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>n * 4);
    return E.ERR_OUT_OF_MEMORY;
  }
  for (let i: u32 = 0; i < n; i++) {
    let rec = tableRecord(resources, i);
    if (load<u32>(rec + M.R_FLAGS) & M.RF_DEAD) {
      free(<usize>load<u32>(rec + M.RS_ATTRS_PTR));
      store<u32>(rec + M.RS_ATTRS_PTR, 0);
    }
  }
  tableCompact(resources, remap);
  cacheClear(<usize>load<u32>(state + M.SMS_RESOURCE_CACHE));
  for (let a: u32 = 0; a < nAggs; a++) remapSeries(state, a, remap);
  return 0;
}
