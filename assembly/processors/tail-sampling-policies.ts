// Decision-time evaluation of the tail sampler's policy tree for one trace, from the trace's
// accumulated facts (leaf bits, span count, byte size, id). Stateful policies (rate and bytes
// limiting, composite budgets) keep their state in their node records. Semantics follow the
// collector's evaluators; see src/processors/tail-sampling/README-like notes in the facade.
import * as T from '../abi/tail-sampling-layout';

const FNV64_OFFSET: u64 = 0xcbf29ce484222325;
const FNV64_PRIME: u64 = 0x100000001b3;

function fnv1a64(h: u64, p: usize, n: usize): u64 {
  for (let i: usize = 0; i < n; i++) h = (h ^ <u64>load<u8>(p + i)) * FNV64_PRIME;
  return h;
}

// @ts-ignore: decorator
@inline function node(nodes: usize, i: u32): usize {
  return nodes + <usize>i * T.PN_ROW;
}

/**
 * A token bucket like golang.org/x/time/rate's AllowN: `rate` tokens per second up to `burst`,
 * starting full; taking `n` succeeds only when that many tokens are there.
 */
function tokenBucket(nd: usize, n: f64, nowMs: f64): bool {
  let rate = load<f64>(nd + T.PN_A);
  let burst = load<f64>(nd + T.PN_B);
  let last = load<f64>(nd + T.PN_STATE_B);
  let tokens: f64;
  if (!load<u32>(nd + T.PN_STARTED)) {
    store<u32>(nd + T.PN_STARTED, 1);
    tokens = burst;
    last = nowMs;
  } else {
    tokens = load<f64>(nd + T.PN_STATE_A);
    let elapsed = nowMs - last;
    if (elapsed > 0) tokens = min<f64>(burst, tokens + (elapsed / 1000) * rate);
  }
  if (nowMs > last) last = nowMs;
  store<f64>(nd + T.PN_STATE_B, last);
  let ok = n <= tokens;
  if (ok) tokens -= n;
  store<f64>(nd + T.PN_STATE_A, tokens);
  return ok;
}

export function evalNode(nodes: usize, i: u32, bits: u64, id: usize, spans: u32, bytes: u64, nowMs: f64): u32 {
  let nd = node(nodes, i);
  let type = load<u32>(nd + T.PN_TYPE);
  let sampled = false;
  if (type == T.POLICY_ALWAYS) sampled = true;
  else if (type == T.POLICY_LEAF) {
    let errorBit = load<u64>(nd + T.PN_B);
    if (errorBit && ((bits >> (errorBit - 1)) & 1) != 0) return T.DECISION_ERROR;
    let hit = ((bits >> <u64>load<u32>(nd + T.PN_LEAF)) & 1) != 0;
    sampled = load<u32>(nd + T.PN_INVERT) ? !hit : hit;
  } else if (type == T.POLICY_PROBABILISTIC) {
    let salt = load<u64>(nd + T.PN_B);
    let h = fnv1a64(FNV64_OFFSET, <usize>(<u32>salt), <usize>(salt >> 32));
    h = fnv1a64(h, id, 16);
    sampled = h <= load<u64>(nd + T.PN_A);
  } else if (type == T.POLICY_SPAN_COUNT) {
    let lo = load<i64>(nd + T.PN_A);
    let hi = load<i64>(nd + T.PN_B);
    let n = <i64>spans;
    sampled = lo <= n && (hi == 0 || n <= hi);
  } else if (type == T.POLICY_RATE_LIMITING) {
    sampled = tokenBucket(nd, <f64>spans, nowMs);
  } else if (type == T.POLICY_BYTES_LIMITING) {
    sampled = tokenBucket(nd, <f64>bytes, nowMs);
  } else if (type == T.POLICY_AND || type == T.POLICY_DROP) {
    let first = load<u32>(nd + T.PN_CHILD);
    let count = load<u32>(nd + T.PN_CHILDREN);
    sampled = true;
    for (let c: u32 = 0; c < count; c++) {
      if (evalNode(nodes, first + c, bits, id, spans, bytes, nowMs) != T.DECISION_SAMPLED) {
        sampled = false;
        break;
      }
    }
    if (type == T.POLICY_DROP) return sampled ? T.DECISION_DROPPED : T.DECISION_NOT_SAMPLED;
  } else if (type == T.POLICY_NOT) {
    let d = evalNode(nodes, load<u32>(nd + T.PN_CHILD), bits, id, spans, bytes, nowMs);
    if (d == T.DECISION_ERROR) return d;
    sampled = d != T.DECISION_SAMPLED;
  } else if (type == T.POLICY_COMPOSITE) {
    sampled = composite(nodes, nd, bits, id, spans, bytes, nowMs);
  }
  return sampled ? T.DECISION_SAMPLED : T.DECISION_NOT_SAMPLED;
}

/**
 * The collector's composite: per wall-clock second each sub-policy has a budget; the first
 * sub-policy that samples decides — within its budget (and the total cap, compared against that
 * sub-policy's own count, as upstream does) the trace is sampled and counted, otherwise not sampled
 * without trying the rest.
 */
function composite(nodes: usize, nd: usize, bits: u64, id: usize, spans: u32, bytes: u64, nowMs: f64): bool {
  let second = <i64>Math.floor(nowMs / 1000);
  let first = load<u32>(nd + T.PN_CHILD);
  let count = load<u32>(nd + T.PN_CHILDREN);
  if (!load<u32>(nd + T.PN_STARTED) || load<i64>(nd + T.PN_STATE_A) != second) {
    store<i64>(nd + T.PN_STATE_A, second);
    store<u32>(nd + T.PN_STARTED, 1);
    for (let c: u32 = 0; c < count; c++) store<i64>(node(nodes, first + c) + T.PN_USED, 0);
  }
  let maxTotal = load<i64>(nd + T.PN_A);
  for (let c: u32 = 0; c < count; c++) {
    let sub = node(nodes, first + c);
    if (evalNode(nodes, first + c, bits, id, spans, bytes, nowMs) == T.DECISION_SAMPLED) {
      let ifSampled = load<i64>(sub + T.PN_USED) + <i64>spans;
      if (ifSampled <= load<i64>(sub + T.PN_ALLOC) && ifSampled <= maxTotal) {
        store<i64>(sub + T.PN_USED, ifSampled);
        return true;
      }
      return false;
    }
  }
  return false;
}

/**
 * The final decision over the top-level policies: drop policies first (any Dropped ends it), then
 * the rest in order (stopping at the first Sampled with sample_on_first_match); any Sampled samples.
 */
export function decideTrace(nodes: usize, top: u32, flags: u32, bits: u64, id: usize, spans: u32, bytes: u64, nowMs: f64): u32 {
  for (let i: u32 = 0; i < top; i++) {
    let nd = node(nodes, i);
    if (load<u32>(nd + T.PN_TYPE) != T.POLICY_DROP) continue;
    if (evalNode(nodes, i, bits, id, spans, bytes, nowMs) == T.DECISION_DROPPED) {
      store<u32>(nd + T.PN_SAMPLED, load<u32>(nd + T.PN_SAMPLED) + 1);
      return T.DECISION_DROPPED;
    }
    store<u32>(nd + T.PN_NOT_SAMPLED, load<u32>(nd + T.PN_NOT_SAMPLED) + 1);
  }
  let any = false;
  for (let i: u32 = 0; i < top; i++) {
    let nd = node(nodes, i);
    if (load<u32>(nd + T.PN_TYPE) == T.POLICY_DROP) continue;
    let d = evalNode(nodes, i, bits, id, spans, bytes, nowMs);
    if (d == T.DECISION_SAMPLED) {
      store<u32>(nd + T.PN_SAMPLED, load<u32>(nd + T.PN_SAMPLED) + 1);
      any = true;
      if (flags & T.TSF_SAMPLE_ON_FIRST_MATCH) break;
    } else if (d == T.DECISION_ERROR) {
      // An evaluation error does not vote (counted like sampling_policy_evaluation_error).
      store<u32>(nd + T.PN_ERRORS, load<u32>(nd + T.PN_ERRORS) + 1);
    } else {
      store<u32>(nd + T.PN_NOT_SAMPLED, load<u32>(nd + T.PN_NOT_SAMPLED) + 1);
    }
  }
  return any ? T.DECISION_SAMPLED : T.DECISION_NOT_SAMPLED;
}
