// include/exclude MatchProperties of the attributes processor (the collector's filterspan,
// filterlog, filtermetric): whether a span, log record or metric row of the batch at `header` (its
// attribute table built) passes a match record (MP_* of attr-edit-layout). Strings compare as
// bytes, or — match_type regexp — through the record's compiled regex programs.
import * as L from '../abi/trace-layout';
import * as A from '../abi/attr-edit-layout';
import * as LG from '../abi/logs-layout';
import * as M from '../abi/metrics-layout';
import { NO_ROW as LG_NO_ROW } from '../abi/batch-layout';
import { bytesEqual, hash32 } from '../hash';
import { regexRun } from '../regex/match';
import { findAttr } from './attr-lookup';

let HEADER: usize = 0;
let IN: usize = 0;

function bind(header: usize): void {
  HEADER = header;
  IN = <usize>load<u32>(header + L.B_INPUT);
}

/** match_type regexp: entries of string lists and test values are compiled regex programs. */
let regexpMatch = false;

/** A string list entry matches [p, p+n): equal bytes, or (regexp) its program matches. */
function entryMatches(e: usize, p: usize, n: u32): bool {
  if (regexpMatch) return regexRun(<usize>load<u32>(e + A.SL_PTR), p, n) == 1;
  return strEq(<usize>load<u32>(e + A.SL_PTR), load<u32>(e + A.SL_LEN), p, n);
}

export function strEq(p: usize, n: u32, q: usize, m: u32): bool {
  return n == m && bytesEqual(p, q, n);
}

export function inStringList(list: usize, count: u32, p: usize, n: u32): bool {
  for (let i: u32 = 0; i < count; i++) {
    let e = list + <usize>i * A.SL_ROW;
    if (strEq(<usize>load<u32>(e + A.SL_PTR), load<u32>(e + A.SL_LEN), p, n)) return true;
  }
  return false;
}

/** Like inStringList, but with regex programs under match_type regexp. */
function inMatchList(list: usize, count: u32, p: usize, n: u32): bool {
  for (let i: u32 = 0; i < count; i++) if (entryMatches(list + <usize>i * A.SL_ROW, p, n)) return true;
  return false;
}

/** Whether an attribute row equals a test's typed value (pdata Value.Equal for scalars). */
function rowMatches(row: usize, test: usize): bool {
  if (!load<u32>(test + A.AT_HAS_VALUE)) return true;
  let type = load<u32>(test + A.AT_TYPE);
  if (load<u32>(row + L.A_TYPE) != type) return false;
  let v = load<u64>(test + A.AT_VALUE);
  if (type == L.V_STRING && regexpMatch) {
    let rv = load<u64>(row + L.A_VALUE);
    return regexRun(<usize>(<u32>v), IN + <usize>(<u32>rv), <usize>(rv >> 32)) == 1;
  }
  if (type == L.V_STRING) {
    let rv = load<u64>(row + L.A_VALUE);
    return strEq(IN + <usize>(<u32>rv), <u32>(rv >> 32), <usize>(<u32>v), <u32>(v >> 32));
  }
  if (type == L.V_DOUBLE) return load<f64>(row + L.A_VALUE) == reinterpret<f64>(v);
  return load<u64>(row + L.A_VALUE) == v;
}

function attrTest(start: u32, count: u32, test: usize): bool {
  let row = findAttr(HEADER, start, count, <usize>load<u32>(test + A.AT_KEY), load<u32>(test + A.AT_KEY_LEN), load<u32>(test + A.AT_KEY_HASH));
  return row != 0 && rowMatches(row, test);
}

/**
 * The properties every signal shares (services, attributes, resources, libraries) for an item of
 * resource `resIdx` and scope `scopeIdx` whose attributes are rows [attrStart, +attrCount).
 */
function matchEnvelope(mp: usize, present: u32, resIdx: u32, scopeIdx: u32, attrStart: u32, attrCount: u32): bool {
  let res = <usize>load<u32>(HEADER + L.B_RESOURCES) + <usize>resIdx * L.R_ROW;
  let rStart = load<u32>(res + L.R_ATTR_START);
  let rCount = load<u32>(res + L.R_ATTR_COUNT);
  if (present & A.MPP_SERVICES) {
    let key = memory.data<u8>([0x73, 0x65, 0x72, 0x76, 0x69, 0x63, 0x65, 0x2e, 0x6e, 0x61, 0x6d, 0x65]); // service.name
    let row = findAttr(HEADER, rStart, rCount, key, 12, hash32(key, 12));
    if (!row || load<u32>(row + L.A_TYPE) != L.V_STRING) return false;
    let v = load<u64>(row + L.A_VALUE);
    if (!inMatchList(<usize>load<u32>(mp + A.MP_SERVICES), load<u32>(mp + A.MP_SERVICES_COUNT), IN + <usize>(<u32>v), <u32>(v >> 32))) return false;
  }
  if (present & A.MPP_ATTRS) {
    let tests = <usize>load<u32>(mp + A.MP_ATTRS);
    let n = load<u32>(mp + A.MP_ATTRS_COUNT);
    for (let i: u32 = 0; i < n; i++) {
      if (!attrTest(attrStart, attrCount, tests + <usize>i * A.AT_ROW)) return false;
    }
  }
  if (present & A.MPP_RESOURCES) {
    let tests = <usize>load<u32>(mp + A.MP_RESOURCES);
    let n = load<u32>(mp + A.MP_RESOURCES_COUNT);
    let any = false;
    for (let i: u32 = 0; i < n && !any; i++) any = attrTest(rStart, rCount, tests + <usize>i * A.AT_ROW);
    if (!any) return false;
  }
  if (present & A.MPP_LIBRARIES) {
    let scope = <usize>load<u32>(HEADER + L.B_SCOPES) + <usize>scopeIdx * L.S_ROW;
    let libs = <usize>load<u32>(mp + A.MP_LIBRARIES);
    let n = load<u32>(mp + A.MP_LIBRARIES_COUNT);
    let any = false;
    for (let i: u32 = 0; i < n && !any; i++) {
      let lb = libs + <usize>i * A.LB_ROW;
      // LB_NAME/LB_NAME_LEN and LB_VERSION/LB_VERSION_LEN are laid out like string list entries.
      any = entryMatches(lb + A.LB_NAME, IN + load<u32>(scope + L.S_NAME_OFF), load<u32>(scope + L.S_NAME_LEN))
        && (!load<u32>(lb + A.LB_HAS_VERSION) || entryMatches(lb + A.LB_VERSION, IN + load<u32>(scope + L.S_VERSION_OFF), load<u32>(scope + L.S_VERSION_LEN)));
    }
    if (!any) return false;
  }
  return true;
}

/** filterspan's strict MatchProperties: every given property holds; lists match any entry. */
export function matchesSpan(header: usize, mp: usize, span: usize): bool {
  bind(header);
  let present = load<u32>(mp + A.MP_PRESENT);
  regexpMatch = load<u32>(mp + A.MP_REGEXP) != 0;
  if (present & A.MPP_NAMES) {
    if (!inMatchList(<usize>load<u32>(mp + A.MP_NAMES), load<u32>(mp + A.MP_NAMES_COUNT), IN + load<u32>(span + L.SP_NAME_OFF), load<u32>(span + L.SP_NAME_LEN))) return false;
  }
  if (present & A.MPP_KINDS) {
    let kind = load<u32>(span + L.SP_KIND);
    if (kind > 31 || !((load<u32>(mp + A.MP_KINDS) >> kind) & 1)) return false;
  }
  return matchEnvelope(mp, present, load<u32>(span + L.SP_RESOURCE), load<u32>(span + L.SP_SCOPE), load<u32>(span + L.SP_ATTR_START), load<u32>(span + L.SP_ATTR_COUNT));
}

/**
 * filterlog's MatchProperties for the log record row `rec` (attribute table built): string bodies
 * (a body of another type does not match), severity texts, the severity number (unspecified
 * matches only with match_undefined), then the shared properties.
 */
export function matchesLog(header: usize, mp: usize, rec: usize): bool {
  bind(header);
  let present = load<u32>(mp + A.MP_PRESENT);
  regexpMatch = load<u32>(mp + A.MP_REGEXP) != 0;
  if (present & A.MPP_BODIES) {
    let bodyRow = load<u32>(rec + LG.LR_BODY_ROW);
    if (bodyRow == LG_NO_ROW) return false;
    let row = <usize>load<u32>(HEADER + L.B_ATTRS) + <usize>bodyRow * L.A_ROW;
    if (load<u32>(row + L.A_TYPE) != L.V_STRING) return false;
    let v = load<u64>(row + L.A_VALUE);
    if (!inMatchList(<usize>load<u32>(mp + A.MP_BODIES), load<u32>(mp + A.MP_BODIES_COUNT), IN + <usize>(<u32>v), <u32>(v >> 32))) return false;
  }
  if (present & A.MPP_SEVERITY_TEXTS) {
    if (!inMatchList(<usize>load<u32>(mp + A.MP_SEVERITY_TEXTS), load<u32>(mp + A.MP_SEVERITY_TEXTS_COUNT), IN + load<u32>(rec + LG.LR_SEVERITY_TEXT_OFF), load<u32>(rec + LG.LR_SEVERITY_TEXT_LEN))) return false;
  }
  if (present & A.MPP_SEVERITY_NUMBER) {
    let sev = load<i32>(rec + LG.LR_SEVERITY);
    if (sev == 0) {
      if (!load<u32>(mp + A.MP_SEVERITY_UNDEFINED)) return false;
    } else if (sev < load<i32>(mp + A.MP_SEVERITY_MIN)) return false;
  }
  return matchEnvelope(mp, present, load<u32>(rec + LG.LR_RESOURCE), load<u32>(rec + LG.LR_SCOPE), load<u32>(rec + LG.LR_ATTR_START), load<u32>(rec + LG.LR_ATTR_COUNT));
}

/** filtermetric's MatchProperties for the metric row `metric`: metric names, then resources. */
export function matchesMetric(header: usize, mp: usize, metric: usize): bool {
  bind(header);
  let present = load<u32>(mp + A.MP_PRESENT);
  regexpMatch = load<u32>(mp + A.MP_REGEXP) != 0;
  if (present & A.MPP_METRIC_NAMES) {
    if (!inMatchList(<usize>load<u32>(mp + A.MP_METRIC_NAMES), load<u32>(mp + A.MP_METRIC_NAMES_COUNT), IN + load<u32>(metric + M.M_NAME_OFF), load<u32>(metric + M.M_NAME_LEN))) return false;
  }
  return matchEnvelope(mp, present, load<u32>(metric + M.M_RESOURCE), load<u32>(metric + M.M_SCOPE), 0, 0);
}
