// The probabilistic_sampler processor over one batch, in one call: per span the sampling.priority
// attribute, the randomness (FNV hash of seed and trace id in hash_seed mode; `rv` or the trace
// id's last 7 bytes in the OTEP 235 modes), the arriving threshold's consistency, the mode's
// threshold, and — for sampled spans — the rewritten tracestate, emitted as span replacement
// content for the splice encoder. Mirrors the collector's commonShouldSampleLogic.
import * as L from '../abi/trace-layout';
import * as P from '../abi/probabilistic-layout';
import * as E from '../abi/errors';
import { alloc, free, realloc } from '../mem/alloc';
import { clearError, failPlain } from '../errors';
import { rawAttr, rawType, rawValue } from './raw-attr';
import { readVarintTrusted, skipTrusted, next } from '../wire/reader';
import { varintSize, writeVarint } from '../wire/writer';
import * as TS from './otel-tracestate';
import { parseFloatSign } from './go-parse-float';

const RESULT = memory.data(P.PR_SIZE, 8);

export function psResult(): usize {
  return RESULT;
}

const NEVER: u64 = TS.MAX_ADJUSTED;
const FNV32_OFFSET: u32 = 0x811c9dc5;
const FNV32_PRIME: u32 = 0x01000193;

function fnv32a(h: u32, p: usize, n: usize): u32 {
  for (let i: usize = 0; i < n; i++) h = (h ^ <u32>load<u8>(p + i)) * FNV32_PRIME;
  return h;
}

/** The collector's randomnessFromBytes over a trace id. */
function hashRandomness(id: usize, seed: u32): u64 {
  return randomnessFromBytes(id, 16, seed);
}

/**
 * The collector's randomnessFromBytes: FNV-1a-32 over the little-endian seed and the bytes, 14
 * hash bits reversed on top, the rest mixed in (also what logs hash from a record attribute).
 */
export function randomnessFromBytes(p: usize, n: usize, seed: u32): u64 {
  let seedBytes = memory.data(4, 4);
  store<u32>(seedBytes, seed);
  let h32 = fnv32a(fnv32a(FNV32_OFFSET, seedBytes, 4), p, n);
  let hashed = <u64>(h32 & 0x3fff);
  let rprime = 0x4000 - 1 - hashed;
  let unused18 = <u64>(h32 >> 14);
  let mixed28 = (unused18 ^ (unused18 << 10)) & 0xfffffff;
  return ((rprime << 42) | (mixed28 << 14) | hashed) & (NEVER - 1);
}

// @ts-ignore: decorator
@inline function idEmpty(id: usize): bool {
  return load<u64>(id) == 0 && load<u64>(id + 8) == 0;
}

/** frexp's exponent (x = f × 2^e, 0.5 <= f < 1) for finite positive x. */
function frexpExp(x: f64): i32 {
  if (x == 0) return 0;
  let bits = reinterpret<u64>(x);
  let e = <i32>((bits >> 52) & 0x7ff);
  if (e == 0) {
    // subnormal: normalise
    x *= 18014398509481984.0; // 2^54
    bits = reinterpret<u64>(x);
    return <i32>((bits >> 52) & 0x7ff) - 1022 - 54;
  }
  return e - 1022;
}

/** pkg/sampling's ProbabilityToThresholdWithPrecision; NEVER when out of range. */
export function probabilityToThreshold(fraction: f64, precision: i32): u64 {
  if (precision == 0) precision = 14;
  let minProb = 1.0 / <f64>NEVER;
  if (!(fraction >= minProb && fraction <= 1)) return NEVER;
  if (fraction == 1) return 0;
  let expF = frexpExp(fraction);
  let expR = frexpExp(1 - fraction);
  precision = min<i32>(14, max<i32>(precision + expF / -4, precision + expR / -4));
  let scaled = <u64>Math.round(fraction * <f64>NEVER);
  // Go's math.Round rounds half away from zero; JS-style Math.round rounds half up: equal for x >= 0.
  let t = NEVER - scaled;
  let shift = <u64>(4 * (14 - precision));
  if (shift != 0) {
    let half = (<u64>1) << (shift - 1);
    t += half;
    t >>= shift;
    t <<= shift;
  }
  return t;
}

// @ts-ignore: decorator
@inline function probability(t: u64): f64 {
  return <f64>(NEVER - t) / <f64>NEVER;
}

/** sampling.priority: 0 = defer, 1 = must sample, 2 = do not sample. */
function priorityOf(span: usize, cs: usize, ce: usize, opts: usize, replaced: bool): u32 {
  if (!replaced && load<u32>(span + L.SP_ATTR_COUNT) == 0) return 0;
  // Read from the span's bytes: one key per span does not justify building the attribute table.
  // (An earlier stage may have changed the attributes: every field of the content is looked at.)
  let found = rawAttr(cs, ce, 0x4a, 0xffffffff,
    <usize>load<u32>(opts + P.PO_PRIORITY_KEY), <usize>load<u32>(opts + P.PO_PRIORITY_KEY_LEN));
  if (!found) return 0;
  let sign: i32 = 3; // 3 = not a number
  if (rawType == L.V_INT) {
    let v = <i64>rawValue;
    sign = v == 0 ? 0 : v > 0 ? 1 : -1;
  } else if (rawType == L.V_DOUBLE) {
    let v = reinterpret<f64>(rawValue);
    sign = v == 0 ? 0 : v > 0 ? 1 : -1;
  } else if (rawType == L.V_STRING) {
    sign = parseFloatSign(<usize>(<u32>rawValue), <usize>(rawValue >> 32));
  }
  if (sign == 0) return 2;
  if (sign == 1) return 1;
  return 0;
}

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

/**
 * Decides every span of an indexed batch. Fills psResult(): a keep mask (nSpans bytes) and, when
 * any tracestate changed, a span replacement table (nSpans × (ptr, len), pointing into one content
 * block); free them with psFreeResult, or take them over. `keepIn` / `replIn` are the keep mask and
 * span replacements of earlier stages going to the same splice (or 0): dropped spans stay dropped,
 * replaced spans are read from their replacement content and passed on when not rewritten.
 */
export function psSample(header: usize, opts: usize, keepIn: usize, replIn: usize): u32 {
  clearError();
  let nSpans = load<u32>(header + L.B_SPAN_COUNT);
  let spans = <usize>load<u32>(header + L.B_SPANS);
  let input = <usize>load<u32>(header + L.B_INPUT);
  let mode = load<u32>(opts + P.PO_MODE);
  let seed = load<u32>(opts + P.PO_SEED);
  let failClosed = load<u32>(opts + P.PO_FAIL_CLOSED) != 0;
  let fixedT = load<u64>(opts + P.PO_THRESHOLD);
  let ratio = load<f64>(opts + P.PO_RATIO);
  let precision = <i32>load<u32>(opts + P.PO_PRECISION);
  memory.fill(RESULT, 0, P.PR_SIZE);
  let keep = alloc(max<usize>(<usize>nSpans, 1));
  let repl = alloc(max<usize>(<usize>nSpans * 8, 8));
  out = 0;
  outCap = 0;
  outLen = 0;
  if (!keep || !repl) {
    free(keep);
    free(repl);
    failPlain(E.ERR_OUT_OF_MEMORY, <u64>nSpans * 9);
    return E.ERR_OUT_OF_MEMORY;
  }
  memory.fill(repl, 0, <usize>nSpans * 8);
  // Most kept spans get a new tracestate: size the content block for the whole input up front.
  reserve(<usize>load<u32>(header + L.B_INPUT_LEN) + <usize>nSpans * 64);
  let kept: u32 = 0;
  let rewritten: u32 = 0;
  for (let i: u32 = 0; i < nSpans; i++) {
    let span = spans + <usize>i * L.SP_ROW;
    if (keepIn && !load<u8>(keepIn + i)) {
      store<u8>(keep + i, 0);
      continue;
    }
    let id = span + L.SP_TRACE_ID;
    let tsPtr = input + load<u32>(span + L.SP_TRACE_STATE_OFF);
    let tsLen = <usize>load<u32>(span + L.SP_TRACE_STATE_LEN);
    let cs = input + load<u32>(span + L.SP_CONTENT_START);
    let ce = input + load<u32>(span + L.SP_CONTENT_END);
    let over = replIn ? <usize>load<u32>(replIn + <usize>i * 8) : 0;
    if (over) {
      cs = over;
      ce = over + <usize>load<u32>(replIn + <usize>i * 8 + 4);
      traceStateIn(cs, ce);
      tsPtr = foundTs;
      tsLen = foundTsLen;
    }
    let carrier = TS.parseTraceState(tsPtr, tsLen);
    let err = !carrier;
    let missing = false;
    let rnd: u64 = 0;
    let setRv = false;
    if (mode == P.PMODE_NEVER) {
      // The never-sampler makes up randomness so that no consistency error is raised.
      rnd = NEVER - 1;
    } else if (mode == P.PMODE_HASH_SEED) {
      if (idEmpty(id)) missing = true;
      else rnd = hashRandomness(id, seed);
      if (carrier) {
        if (TS.hasRv || TS.hasTh) {
          // The tracestate carries consistent-sampling data: hash_seed must leave it alone.
          err = true;
          carrier = false;
        } else setRv = true;
      }
    } else {
      if (carrier && TS.hasRv) rnd = TS.rv;
      // TraceIDToRandomness: the last 7 bytes, big-endian.
      else if (!idEmpty(id)) rnd = bswap<u64>(load<u64>(id + 8)) & (NEVER - 1);
      else missing = true;
    }
    // Missing randomness reads as "all probabilities" (the largest value), as upstream does.
    if (missing) rnd = NEVER - 1;
    let arriving = carrier && TS.hasTh;
    let arrivingT = TS.th;
    if (!err) {
      if (missing) err = true;
      else if (arriving && !(rnd >= arrivingT)) {
        // Inconsistent arriving threshold: cleared, and an error.
        arriving = false;
        err = true;
      }
    }
    let t: u64;
    if (err) t = failClosed ? NEVER : 0;
    else if (mode == P.PMODE_NEVER) t = NEVER;
    else if (mode == P.PMODE_HASH_SEED) t = fixedT;
    else if (mode == P.PMODE_EQUALIZING) t = arriving && fixedT < arrivingT ? arrivingT : fixedT;
    else t = probabilityToThreshold((arriving ? probability(arrivingT) : 1.0) * ratio, precision);
    let prio = priorityOf(span, cs, ce, opts, over != 0);
    if (prio == 2) {
      t = NEVER;
      store<u32>(RESULT + P.PR_PRIORITY_DROPPED, load<u32>(RESULT + P.PR_PRIORITY_DROPPED) + 1);
    } else if (prio == 1) {
      t = 0;
      store<u32>(RESULT + P.PR_PRIORITY_KEPT, load<u32>(RESULT + P.PR_PRIORITY_KEPT) + 1);
    }
    if (err) store<u32>(RESULT + P.PR_ERRORS, load<u32>(RESULT + P.PR_ERRORS) + 1);
    let sampled = t < NEVER && rnd >= t;
    store<u8>(keep + i, sampled ? 1 : 0);
    if (!sampled) continue;
    kept++;
    if (!carrier) continue;
    // updateThreshold: never raise the sampling probability of an arriving threshold.
    let newT = t;
    let keepText = false;
    if (arriving && arrivingT > t) {
      newT = arrivingT;
      keepText = true;
    }
    // An arriving rv is kept; hash_seed adds its own when there was none.
    let wRv = setRv || TS.hasRv;
    let rvValue = setRv ? rnd : TS.rv;
    let size = TS.writeTraceState(0, wRv, rvValue, newT, keepText);
    if (size == tsLen && tsLen > 0) {
      // Same length: compare to skip rewriting an unchanged tracestate.
      if (!reserve(size)) return oom(keep, repl);
      TS.writeTraceState(out + outLen, wRv, rvValue, newT, keepText);
      if (memory.compare(out + outLen, tsPtr, size) == 0) continue;
    } else if (size == 0 && tsLen == 0) continue;
    if (!rewriteSpan(cs, ce, wRv, rvValue, newT, keepText, size, tsLen == 0)) return oom(keep, repl);
    store<u32>(repl + <usize>i * 8, <u32>(outLen - lastContent));
    store<u32>(repl + <usize>i * 8 + 4, <u32>lastContent);
    rewritten++;
  }
  return storeSampleResult(keep, kept, repl, replIn, nSpans, rewritten, out);
}

/**
 * Fills the result block (psResult) at the end of a sampling call over `n` items, traces or logs:
 * replacement offsets (relative to `content`, length 0 for untouched items) become pointers now that
 * the content block stops moving, and replacements of earlier stages that were not rewritten here are
 * passed on for kept items. The table is freed when nothing needs it. Returns 0.
 */
export function storeSampleResult(keep: usize, kept: u32, repl: usize, replIn: usize, n: u32, rewritten: u32, content: usize): u32 {
  if (rewritten || replIn) {
    for (let i: u32 = 0; i < n; i++) {
      let e = repl + <usize>i * 8;
      if (load<u32>(e + 4)) store<u32>(e, <u32>(content + load<u32>(e)));
      else if (replIn && load<u8>(keep + i)) store<u64>(e, load<u64>(replIn + <usize>i * 8));
    }
    store<u32>(RESULT + P.PR_REPL, <u32>repl);
  } else {
    free(repl);
  }
  store<u32>(RESULT + P.PR_KEEP, <u32>keep);
  store<u32>(RESULT + P.PR_KEPT, kept);
  store<u32>(RESULT + P.PR_REWRITTEN, rewritten);
  store<u32>(RESULT + P.PR_CONTENT, <u32>content);
  return 0;
}

function oom(keep: usize, repl: usize): u32 {
  free(keep);
  free(repl);
  free(out);
  out = 0;
  failPlain(E.ERR_OUT_OF_MEMORY, <u64>outLen);
  return E.ERR_OUT_OF_MEMORY;
}

let lastContent: usize = 0;

/** Appends the span's content with field 3 (trace_state) replaced; lastContent = its length. */
function rewriteSpan(cs: usize, ce: usize, setRv: bool, rnd: u64, t: u64, keepText: bool, tsSize: usize, hadNone: bool): bool {
  let field = tsSize ? 1 + varintSize(<u64>tsSize) + tsSize : 0;
  if (!reserve((ce - cs) + field)) return false;
  let start = outLen;
  let w = out + outLen;
  if (hadNone && tsSize) {
    // The common case — no tracestate yet: the content as it is, then the new field (field order
    // is free in protobuf; an empty trace_state field written earlier loses to this last one).
    memory.copy(w, cs, ce - cs);
    w += ce - cs;
    w = writeVarint(w, 0x1a);
    w = writeVarint(w, <u64>tsSize);
    TS.writeTraceState(w, setRv, rnd, t, keepText);
    w += tsSize;
    lastContent = (w - out) - start;
    outLen = w - out;
    return true;
  }
  let done = false;
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let after = skipTrusted(next, tag & 7);
    if (tag == 0x1a) {
      if (!done && tsSize) {
        w = writeVarint(w, 0x1a);
        w = writeVarint(w, <u64>tsSize);
        TS.writeTraceState(w, setRv, rnd, t, keepText);
        w += tsSize;
      }
      done = true;
    } else {
      memory.copy(w, at, after - at);
      w += after - at;
    }
    p = after;
  }
  if (!done && tsSize) {
    w = writeVarint(w, 0x1a);
    w = writeVarint(w, <u64>tsSize);
    TS.writeTraceState(w, setRv, rnd, t, keepText);
    w += tsSize;
  }
  lastContent = (w - out) - start;
  outLen = w - out;
  return true;
}

let foundTs: usize = 0;
let foundTsLen: usize = 0;

/** The trace_state field (last occurrence wins) of span content [cs, ce). */
function traceStateIn(cs: usize, ce: usize): void {
  foundTs = cs;
  foundTsLen = 0;
  let p = cs;
  while (p < ce) {
    let t = <u32>readVarintTrusted(p);
    if (t == 0x1a) {
      foundTsLen = <usize>readVarintTrusted(next);
      foundTs = next;
      p = foundTs + foundTsLen;
    } else p = skipTrusted(next, t & 7);
  }
}

/** Frees the buffers of the last psSample result. */
export function psFreeResult(): void {
  free(<usize>load<u32>(RESULT + P.PR_KEEP));
  free(<usize>load<u32>(RESULT + P.PR_REPL));
  free(<usize>load<u32>(RESULT + P.PR_CONTENT));
  memory.fill(RESULT, 0, P.PR_SIZE);
}
