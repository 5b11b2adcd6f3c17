// The probabilistic_sampler processor over the log records of one batch, in one call, following
// the collector's logs processor: the record's sampling attributes (`sampling.threshold`,
// `sampling.randomness`) stand for the tracestate; the randomness is, per mode,
//   hash_seed     FNV over seed + trace id (attribute_source traceID and a trace id present), else
//                 over the from_attribute value's bytes (bytes as they are, other values as text);
//                 a record already carrying sampling attributes is an error (equalizing or
//                 proportional mode expected), one without gets `sampling.randomness` written;
//   proportional  the explicit `sampling.randomness`, else the trace id's last 7 bytes;
//   equalizing    the same;
// then the arriving threshold's consistency, the mode's threshold, and the sampling_priority
// attribute (a percentage overriding the threshold when it is a valid probability). Sampled
// records get `sampling.threshold` written (never lowering an arriving one). Edited records go to
// the splice as replacement content; the rest are copied.
import * as LG from '../abi/logs-layout';
import * as B from '../abi/batch-layout';
import * as P from '../abi/probabilistic-layout';
import * as E from '../abi/errors';
import { alloc, free, realloc } from '../mem/alloc';
import { copyBytes } from '../mem/copy';
import { clearError, failPlain } from '../errors';
import { rawAttr, rawType, rawValue, nextField, fieldEnd, kvParts, kvKeyIs, kvValStart, kvValEnd, readAnyValue } from './raw-attr';
import { readVarintTrusted, skipTrusted, next } from '../wire/reader';
import { varintSize, writeVarint } from '../wire/writer';
import { hex14, tvalue, parseHex, MAX_ADJUSTED } from './otel-tracestate';
import { psResult, probabilityToThreshold, randomnessFromBytes, storeSampleResult } from './probabilistic-sampler';
import { formatInt, formatDouble } from './number-text';

const NEVER: u64 = MAX_ADJUSTED;
const TAG_ATTRS: u32 = 0x32; // LogRecord.attributes = 6

const TH_KEY = memory.data<u8>([0x73, 0x61, 0x6d, 0x70, 0x6c, 0x69, 0x6e, 0x67, 0x2e, 0x74, 0x68, 0x72, 0x65, 0x73, 0x68, 0x6f, 0x6c, 0x64]); // sampling.threshold
const TH_KEY_LEN: usize = 18;
const RV_KEY = memory.data<u8>([0x73, 0x61, 0x6d, 0x70, 0x6c, 0x69, 0x6e, 0x67, 0x2e, 0x72, 0x61, 0x6e, 0x64, 0x6f, 0x6d, 0x6e, 0x65, 0x73, 0x73]); // sampling.randomness
const RV_KEY_LEN: usize = 19;

let out: usize = 0;
let outCap: usize = 0;
let outLen: usize = 0;

function reserve(n: usize): bool {
  if (outLen + n <= outCap) return true;
  let cap = max<usize>(outCap * 2, outLen + n + 1024);
  let p = realloc(out, cap);
  if (!p) return false;
  out = p;
  outCap = cap;
  return true;
}

// The record's sampling attributes, as recordCarrier parses them (string values only), and
// whether their keys occur at all (any value type): without either key a rewrite only appends.
let hasTh = false;
let th: u64 = 0;
let hasRv = false;
let rv: u64 = 0;
let thPresent = false;
let rvPresent = false;

/**
 * Reads sampling.threshold / sampling.randomness of [cs, ce) in one walk over the first `count`
 * attributes (the first occurrence of each key counts, as in rawAttr); false on a parse error.
 */
function parseCarrier(cs: usize, ce: usize, count: u32): bool {
  hasTh = hasRv = thPresent = rvPresent = false;
  th = rv = 0;
  let ok = true;
  let n: u32 = 0;
  let p = cs;
  while (n < count && !(thPresent && rvPresent)) {
    let vs = nextField(p, ce, TAG_ATTRS);
    if (!vs) break;
    p = fieldEnd;
    n++;
    kvParts(vs, p);
    let isTh = !thPresent && kvKeyIs(TH_KEY, TH_KEY_LEN);
    let isRv = !isTh && !rvPresent && kvKeyIs(RV_KEY, RV_KEY_LEN);
    if (!isTh && !isRv) continue;
    if (isTh) thPresent = true;
    else rvPresent = true;
    readAnyValue(kvValStart, kvValEnd);
    let sl = <usize>(rawValue >> 32);
    if (rawType != B.V_STRING || !sl) continue;
    let sp = <usize>(<u32>rawValue);
    if (isTh) {
      // TValueToThreshold: 1 to 14 hex digits, the rest of the 56 bits zero.
      let v = sl <= 14 ? parseHex(sp, sl) : -1;
      if (v < 0) ok = false;
      else {
        hasTh = true;
        th = <u64>v << (<u64>(14 - sl) * 4);
      }
    } else {
      // RValueToRandomness: exactly 14 hex digits.
      let v = sl == 14 ? parseHex(sp, sl) : -1;
      if (v < 0) ok = false;
      else {
        hasRv = true;
        rv = <u64>v;
      }
    }
  }
  return ok;
}

const TEXT = memory.data(40, 8);

/**
 * The from_attribute value's bytes, as getBytesFromValue gives them: bytes as they are, strings
 * as they are, numbers and booleans as their text. Returns the length (0: missing or empty, or a
 * map / array value, whose JSON text is not reproduced here); the bytes are at fromPtr.
 */
let fromPtr: usize = 0;
function fromAttributeBytes(cs: usize, ce: usize, count: u32, key: usize, keyLen: usize): usize {
  if (!rawAttr(cs, ce, TAG_ATTRS, count, key, keyLen)) return 0;
  if (rawType == B.V_STRING || rawType == B.V_BYTES) {
    fromPtr = <usize>(<u32>rawValue);
    return <usize>(rawValue >> 32);
  }
  fromPtr = TEXT;
  if (rawType == B.V_INT) return formatInt(TEXT, <i64>rawValue);
  if (rawType == B.V_DOUBLE) return formatDouble(TEXT, reinterpret<f64>(rawValue));
  if (rawType == B.V_BOOL) {
    let t = rawValue != 0;
    memory.copy(TEXT, t ? memory.data<u8>([0x74, 0x72, 0x75, 0x65]) : memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]), t ? 4 : 5);
    return t ? 4 : 5;
  }
  return 0;
}

/** sampling_priority: the override threshold, or NEVER + 1 when the attribute gives none. */
function priorityThreshold(cs: usize, ce: usize, count: u32, opts: usize, precision: i32): u64 {
  let keyLen = <usize>load<u32>(opts + P.PO_PRIORITY_KEY_LEN);
  if (!keyLen || !rawAttr(cs, ce, TAG_ATTRS, count, <usize>load<u32>(opts + P.PO_PRIORITY_KEY), keyLen)) return NEVER + 1;
  let minProb: f64 = 0;
  if (rawType == B.V_DOUBLE) minProb = reinterpret<f64>(rawValue) / 100.0;
  else if (rawType == B.V_INT) minProb = <f64>(<i64>rawValue) / 100.0;
  // Only a valid probability overrides: 0, negatives and more than 100 % leave the decision alone.
  if (minProb == 0 || !(minProb >= 1.0 / <f64>NEVER && minProb <= 1)) return NEVER + 1;
  return probabilityToThreshold(minProb, precision);
}

let lastContent: usize = 0;

function kvSize(keyLen: usize, valLen: usize): usize {
  let any: usize = 1 + <usize>varintSize(<u64>valLen) + valLen;
  let kv: usize = 1 + <usize>varintSize(<u64>keyLen) + keyLen + 1 + <usize>varintSize(<u64>any) + any;
  return 1 + varintSize(<u64>kv) + kv;
}

function writeKv(w: usize, key: usize, keyLen: usize, val: usize, valLen: usize): usize {
  let any: usize = 1 + <usize>varintSize(<u64>valLen) + valLen;
  let kv: usize = 1 + <usize>varintSize(<u64>keyLen) + keyLen + 1 + <usize>varintSize(<u64>any) + any;
  w = writeVarint(writeVarint(w, TAG_ATTRS), <u64>kv);
  w = writeVarint(writeVarint(w, 0x0a), <u64>keyLen);
  copyBytes(w, key, keyLen);
  w += keyLen;
  w = writeVarint(writeVarint(w, 0x12), <u64>any);
  w = writeVarint(writeVarint(w, 0x0a), <u64>valLen);
  copyBytes(w, val, valLen);
  return w + valLen;
}

/**
 * Appends the record content [cs, ce) with its sampling attributes changed as pdata's Map would:
 * `clearTh` removes the first sampling.threshold; `putRv` / `putTh` set the first
 * sampling.randomness / sampling.threshold in place, or append it (after a removal, at the end).
 * lastContent = the new length.
 */
function rewriteRecord(cs: usize, ce: usize, clearTh: bool, putRv: bool, rvv: u64, putTh: bool, thv: u64): bool {
  let thText = memory.data(16, 8);
  let rvText = memory.data(16, 8);
  let thLen = putTh ? tvalue(thText, thv) : 0;
  if (putRv) hex14(rvText, rvv);
  if (!reserve((ce - cs) + kvSize(TH_KEY_LEN, 14) + kvSize(RV_KEY_LEN, 14))) return false;
  let start = outLen;
  let w = out + outLen;
  let thSeen = false;
  let rvSeen = false;
  let thDone = false;
  let rvDone = false;
  if (!thPresent && !rvPresent) {
    // Neither key occurs (the usual record): the content as it is, then the appended attributes.
    memory.copy(w, cs, ce - cs);
    w += ce - cs;
    if (putRv) w = writeKv(w, RV_KEY, RV_KEY_LEN, rvText, 14);
    if (putTh) w = writeKv(w, TH_KEY, TH_KEY_LEN, thText, thLen);
    lastContent = (w - out) - start;
    outLen = w - out;
    return true;
  }
  let p = cs;
  while (p < ce) {
    let at = p;
    let t = <u32>readVarintTrusted(p);
    let body = next;
    let after = skipTrusted(body, t & 7);
    if (t == TAG_ATTRS) {
      let len = <usize>readVarintTrusted(body);
      let vs = next;
      kvParts(vs, vs + len);
      if (!thSeen && kvKeyIs(TH_KEY, TH_KEY_LEN)) {
        thSeen = true;
        if (clearTh) {
          p = after;
          continue;
        }
        if (putTh) {
          w = writeKv(w, TH_KEY, TH_KEY_LEN, thText, thLen);
          thDone = true;
          p = after;
          continue;
        }
      } else if (!rvSeen && kvKeyIs(RV_KEY, RV_KEY_LEN)) {
        rvSeen = true;
        if (putRv) {
          w = writeKv(w, RV_KEY, RV_KEY_LEN, rvText, 14);
          rvDone = true;
          p = after;
          continue;
        }
      }
    }
    copyBytes(w, at, after - at);
    w += after - at;
    p = after;
  }
  if (putRv && !rvDone) w = writeKv(w, RV_KEY, RV_KEY_LEN, rvText, 14);
  if (putTh && !thDone) w = writeKv(w, TH_KEY, TH_KEY_LEN, thText, thLen);
  lastContent = (w - out) - start;
  outLen = w - out;
  return true;
}

// @ts-ignore: decorator
@inline function idEmpty(id: usize): bool {
  return load<u64>(id) == 0 && load<u64>(id + 8) == 0;
}

function bump(field: usize): void {
  store<u32>(psResult() + field, load<u32>(psResult() + field) + 1);
}

/**
 * Decides every log record of an indexed LogBatch (no truncated records). Fills psResult() like
 * psSample: a keep mask (one byte per record) and, when any record's attributes changed, a record
 * replacement table into one content block; free them with psFreeResult, or take them over.
 * `keepIn` / `replIn`: earlier stages' keep mask and record replacements (or 0).
 */
export function psSampleLogs(header: usize, opts: usize, keepIn: usize, replIn: usize): u32 {
  clearError();
  let n = load<u32>(header + B.B_ITEM_COUNT);
  let records = <usize>load<u32>(header + B.B_ITEMS);
  let input = <usize>load<u32>(header + B.B_INPUT);
  let mode = load<u32>(opts + P.PO_MODE);
  let seed = load<u32>(opts + P.PO_SEED);
  let failClosed = load<u32>(opts + P.PO_FAIL_CLOSED) != 0;
  let fixedT = load<u64>(opts + P.PO_THRESHOLD);
  let ratio = load<f64>(opts + P.PO_RATIO);
  let precision = <i32>load<u32>(opts + P.PO_PRECISION);
  let traceIdSource = (load<u32>(opts + P.PO_LOG_FLAGS) & P.PLF_TRACE_ID) != 0;
  let fromKey = <usize>load<u32>(opts + P.PO_FROM_KEY);
  let fromKeyLen = <usize>load<u32>(opts + P.PO_FROM_KEY_LEN);
  let result = psResult();
  memory.fill(result, 0, P.PR_SIZE);
  let keep = alloc(max<usize>(<usize>n, 1));
  let repl = alloc(max<usize>(<usize>n * 8, 8));
  out = 0;
  outCap = 0;
  outLen = 0;
  if (!keep || !repl) return oom(keep, repl);
  memory.fill(repl, 0, <usize>n * 8);
  let kept: u32 = 0;
  let rewritten: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    store<u8>(keep + i, 0);
    if (keepIn && !load<u8>(keepIn + i)) continue;
    let rec = records + <usize>i * LG.LR_ROW;
    let over = replIn ? <usize>load<u32>(replIn + <usize>i * 8) : 0;
    let cs = over ? over : input + load<u32>(rec + LG.LR_CONTENT_START);
    let ce = over ? over + <usize>load<u32>(replIn + <usize>i * 8 + 4) : input + load<u32>(rec + LG.LR_CONTENT_END);
    let count = over ? 0xffffffff : load<u32>(rec + LG.LR_ATTR_COUNT);
    let id = rec + LG.LR_TRACE_ID;
    let hasId = (load<u32>(rec + LG.LR_PRESENCE) & LG.P_TRACE_ID) != 0 && !idEmpty(id);

    let parsed = parseCarrier(cs, ce, count);
    let carrier = parsed;
    let err = !parsed;
    let missing = true;
    let rnd: u64 = NEVER - 1;
    let setRv = false;
    if (mode == P.PMODE_NEVER) {
      // Made-up randomness: no consistency error for missing randomness. The collector's never
      // sampler keeps its carrier even when the sampling attributes did not parse.
      missing = false;
      carrier = true;
    } else if (mode == P.PMODE_HASH_SEED) {
      if (traceIdSource && hasId) {
        rnd = randomnessFromBytes(id, 16, seed);
        missing = false;
      }
      if (missing && fromKeyLen) {
        let len = fromAttributeBytes(cs, ce, count, fromKey, fromKeyLen);
        if (len) {
          rnd = randomnessFromBytes(fromPtr, len, seed);
          missing = false;
        }
      }
      if (carrier && (hasRv || hasTh)) {
        // Consistent-sampling attributes present: hash_seed must not touch them.
        err = true;
        carrier = false;
      } else if (carrier && !missing) setRv = true;
    } else if (carrier) {
      if (hasRv) {
        rnd = rv;
        missing = false;
      } else if (hasId) {
        // TraceIDToRandomness: the last 7 bytes, big-endian.
        rnd = bswap<u64>(load<u64>(id + 8)) & (NEVER - 1);
        missing = false;
      }
    }
    if (missing) rnd = NEVER - 1;
    let clearTh = false;
    if (!err) {
      if (missing) err = true;
      else if (carrier && hasTh && !(rnd >= th)) {
        // Inconsistent arriving threshold: cleared (as the spec recommends when failing open).
        clearTh = true;
        hasTh = false;
        err = true;
      }
    }
    let t: u64;
    if (err) t = failClosed ? NEVER : 0;
    else if (mode == P.PMODE_NEVER) t = NEVER;
    else if (mode == P.PMODE_HASH_SEED) t = fixedT;
    else if (mode == P.PMODE_EQUALIZING) t = hasTh && fixedT < th ? th : fixedT;
    else {
      let incoming: f64 = hasTh ? <f64>(NEVER - th) / <f64>NEVER : 1.0;
      t = probabilityToThreshold(incoming * ratio, precision);
    }
    let prio = priorityThreshold(cs, ce, count, opts, precision);
    if (prio <= NEVER) {
      t = prio;
      bump(P.PR_PRIORITY_KEPT);
    }
    if (err) bump(P.PR_ERRORS);
    let sampled = t < NEVER && rnd >= t;
    if (!sampled) continue;
    store<u8>(keep + i, 1);
    kept++;
    if (!carrier && !clearTh) continue;
    // updateThreshold: an arriving threshold is never lowered (the write is skipped instead).
    let putTh = carrier && !(hasTh && t < th);
    if (!putTh && !setRv && !clearTh) continue;
    if (!rewriteRecord(cs, ce, clearTh, setRv, rnd, putTh, t)) return oom(keep, repl);
    store<u32>(repl + <usize>i * 8, <u32>(outLen - lastContent));
    store<u32>(repl + <usize>i * 8 + 4, <u32>lastContent);
    rewritten++;
  }
  return storeSampleResult(keep, kept, repl, replIn, n, rewritten, out);
}

function oom(keep: usize, repl: usize): u32 {
  free(keep);
  free(repl);
  free(out);
  out = 0;
  failPlain(E.ERR_OUT_OF_MEMORY, <u64>outLen);
  return E.ERR_OUT_OF_MEMORY;
}
