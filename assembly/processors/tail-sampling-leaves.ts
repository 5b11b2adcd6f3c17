// Per-span leaf predicates of the tail sampler: which of the configured attribute, status,
// tracestate, flags and latency tests this span (with its resource) satisfies, as bits. They are
// the span-level halves of the collector's policies (hasResourceOrSpanWithCondition and friends);
// invert_match is applied at decision time on the trace's OR of these bits.
import * as L from '../abi/trace-layout';
import * as T from '../abi/tail-sampling-layout';
import { spanAttr, resourceAttr, valueInt, valueBool, stringPtr, stringLen } from './attr-lookup';
import { tracestateLookup, tsValuePtr, tsValueLen } from './w3c-tracestate';
import { regexRun } from '../regex/match';

/** Whether any of the programs matches [p, p+n) (out of scratch memory counts as no match). */
function anyRegex(list: usize, count: u32, p: usize, n: u32): bool {
  for (let i: u32 = 0; i < count; i++) {
    if (regexRun(<usize>load<u32>(list + <usize>i * 8), p, n) == 1) return true;
  }
  return false;
}

function inList(list: usize, count: u32, p: usize, n: u32): bool {
  for (let i: u32 = 0; i < count; i++) {
    let e = list + <usize>i * 8;
    if (load<u32>(e + 4) == n && memory.compare(<usize>load<u32>(e), p, n) == 0) return true;
  }
  return false;
}

/** Milliseconds between two timestamps as Go computes time.Sub(...).Milliseconds(). */
function spanMillis(minStart: u64, maxEnd: u64): i64 {
  let a = <i64>maxEnd;
  let b = <i64>minStart;
  let d = a - b;
  // time.Sub saturates instead of wrapping.
  if (b < 0 && a > 0 && d < 0) d = i64.MAX_VALUE;
  else if (b > 0 && a < 0 && d > 0) d = i64.MIN_VALUE;
  return d / 1_000_000;
}

export function evalLeaves(leaves: usize, n: u32, header: usize, span: usize, runMin: u64, runMax: u64): u64 {
  let bits: u64 = 0;
  for (let k: u32 = 0; k < n; k++) {
    let lf = leaves + <usize>k * T.LF_ROW;
    let type = load<u32>(lf + T.LF_TYPE);
    let hit = false;
    if (type == T.LEAF_STATUS) {
      let code = load<u32>(span + L.SP_STATUS_CODE);
      hit = code < 32 && ((load<u32>(lf + T.LF_EXTRA) >> code) & 1) != 0;
    } else if (type == T.LEAF_LATENCY) {
      let ms = spanMillis(runMin, runMax);
      let lo = load<i64>(lf + T.LF_A);
      let hi = load<i64>(lf + T.LF_B);
      hit = hi == 0 ? ms >= lo : lo < ms && ms <= hi;
    } else if (type == T.LEAF_TRACE_FLAGS) {
      hit = (load<u32>(span + L.SP_FLAGS) & 1) != 0;
    } else if (type == T.LEAF_TRACE_STATE) {
      let len = load<u32>(span + L.SP_TRACE_STATE_LEN);
      if (len) {
        let input = <usize>load<u32>(header + L.B_INPUT);
        let p = input + load<u32>(span + L.SP_TRACE_STATE_OFF);
        if (tracestateLookup(p, len, <usize>load<u32>(lf + T.LF_KEY), load<u32>(lf + T.LF_KEY_LEN))) {
          hit = inList(<usize>load<u32>(lf + T.LF_LIST), load<u32>(lf + T.LF_LIST_COUNT), tsValuePtr, <u32>tsValueLen);
        }
      }
    } else if (type != T.LEAF_EXTERNAL) {
      let key = <usize>load<u32>(lf + T.LF_KEY);
      let kl = load<u32>(lf + T.LF_KEY_LEN);
      let kh = load<u32>(lf + T.LF_KEY_HASH);
      let rrow = resourceAttr(header, span, key, kl, kh);
      let srow = spanAttr(header, span, key, kl, kh);
      if (type == T.LEAF_NUMERIC) {
        let lo = load<i64>(lf + T.LF_A);
        let hi = load<i64>(lf + T.LF_B);
        if (rrow) {
          let v = valueInt(rrow);
          hit = v >= lo && v <= hi;
        }
        if (!hit && srow) {
          let v = valueInt(srow);
          hit = v >= lo && v <= hi;
        }
      } else if (type == T.LEAF_BOOL) {
        let want = load<u32>(lf + T.LF_EXTRA) != 0;
        hit = (rrow != 0 && valueBool(rrow) == want) || (srow != 0 && valueBool(srow) == want);
      } else if (type == T.LEAF_STRING_REGEX) {
        let list = <usize>load<u32>(lf + T.LF_LIST);
        let count = load<u32>(lf + T.LF_LIST_COUNT);
        // The resource's value is matched whatever its type (non-strings read as ""); a span's
        // only when it is a non-empty string — as upstream's string_attribute does.
        if (rrow) {
          let n = stringLen(rrow);
          hit = anyRegex(list, count, n ? stringPtr(header, rrow) : header, n);
        }
        if (!hit && srow) {
          let n = stringLen(srow);
          hit = n > 0 && anyRegex(list, count, stringPtr(header, srow), n);
        }
      } else if (type == T.LEAF_STRING) {
        let list = <usize>load<u32>(lf + T.LF_LIST);
        let count = load<u32>(lf + T.LF_LIST_COUNT);
        // Non-string values read as "" (pdata's Str()); the configured values never hold "".
        if (rrow) {
          let n = stringLen(rrow);
          hit = n > 0 && inList(list, count, stringPtr(header, rrow), n);
        }
        if (!hit && srow) {
          let n = stringLen(srow);
          hit = n > 0 && inList(list, count, stringPtr(header, srow), n);
        }
      }
    }
    if (hit) bits |= (<u64>1) << <u64>k;
  }
  return bits;
}
