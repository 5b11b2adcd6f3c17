// The attribute editor (attr-edit.ts) over log records and metric data points: the same plans
// (attributes and redaction processors), the same working lists and replacement content, walked
// over a LogBatch's records (attributes, and for redaction the string body) or a MetricBatch's
// data points (attributes; include/exclude decided per metric, as the collector's filtermetric
// does). One call per batch; records and points nothing changed in are not re-written.
import * as B from '../abi/batch-layout';
import * as LG from '../abi/logs-layout';
import * as M from '../abi/metrics-layout';
import * as A from '../abi/attr-edit-layout';
import { allocZeroed } from '../mem/alloc';
import { readVarintTrusted, skipTrusted, next } from '../wire/reader';
import { matchesLog, matchesMetric } from './match-properties';
import {
  editBegin, editEnvelope, editEnd, editMap, editWrite, editLastLen, editOutOfMemory, editChanged, redactBody,
  redactedBodyOffset, redactedBodyLen, allActionsKeyed, holdsActionKey, planIsRedaction,
  collectBegin, collectEnvelope, collectMap, collectEnd,
} from './attr-edit';

const TAG_LOG_ATTRS: u32 = 0x32; // LogRecord.attributes = 6
const NO_BODY: u32 = 0xffffffff;

/** The attributes field of a data point of metric type `type` (its tag). */
function pointAttrTag(type: u32): u32 {
  if (type == M.MT_HISTOGRAM) return 0x4a; // HistogramDataPoint.attributes = 9
  if (type == M.MT_EXPONENTIAL_HISTOGRAM) return 0x0a; // ExponentialHistogramDataPoint.attributes = 1
  return 0x3a; // NumberDataPoint / SummaryDataPoint.attributes = 7
}

let foundStr: usize = 0;
let foundStrLen: u32 = 0;

/**
 * Whether the AnyValue content [cs, ce) holds a string (the last member of the value oneof wins, as
 * in every decoder); the string is then at foundStr / foundStrLen.
 */
function anyValueString(cs: usize, ce: usize): bool {
  let isString = false;
  let p = cs;
  while (p < ce) {
    let t = <u32>readVarintTrusted(p);
    let f = t >>> 3;
    if (f == 1 && (t & 7) == 2) {
      foundStrLen = <u32>readVarintTrusted(next);
      foundStr = next;
      p = next + foundStrLen;
      isString = true;
      continue;
    }
    if (f >= 2 && f <= 7) isString = false;
    p = skipTrusted(next, t & 7);
  }
  return isString;
}

/** The string body of a record whose content is [cs, ce) (replacement content: scanned for the last body). */
function bodyStringIn(cs: usize, ce: usize): bool {
  let bs: usize = 0;
  let bl: usize = 0;
  let found = false;
  let p = cs;
  while (p < ce) {
    let t = <u32>readVarintTrusted(p);
    if (t == 0x2a) {
      bl = <usize>readVarintTrusted(next);
      bs = next;
      p = bs + bl;
      found = true;
    } else p = skipTrusted(next, t & 7);
  }
  return found && anyValueString(bs, bs + bl);
}

/**
 * Edits the log records of an indexed LogBatch (no truncated records; attribute table built when
 * the plan has include/exclude) with `plan`: record attributes (TARGET_LOG), and for redaction
 * the string body (TARGET_LOG_BODY), besides resource and scope attributes. `keep` (one byte per
 * record) and `recIn` / `resIn` / `scopeIn` (earlier stages' replacements) and `eligible` (records
 * an include/exclude evaluated outside the core selects) as in editAttributes. Fills editResult().
 */
export function editLogAttributes(header: usize, plan: usize, keep: usize, recIn: usize, resIn: usize, scopeIn: usize, eligible: usize): u32 {
  editBegin(header, plan);
  let input = <usize>load<u32>(header + B.B_INPUT);
  let n = load<u32>(header + B.B_ITEM_COUNT);
  let records = <usize>load<u32>(header + B.B_ITEMS);
  let repl = allocZeroed(<usize>max<u32>(n, 1) * 8);
  if (!repl) return editEnd(0, n, recIn, keep, 0, resIn, scopeIn);
  editEnvelope(plan, resIn, scopeIn);
  let targets = load<u32>(plan + A.EP_TARGETS);
  let include = <usize>load<u32>(plan + A.EP_INCLUDE);
  let exclude = <usize>load<u32>(plan + A.EP_EXCLUDE);
  let redaction = planIsRedaction(plan);
  let keyed = !redaction && allActionsKeyed(plan);
  let edited: u32 = 0;
  for (let i: u32 = 0; i < n && !editOutOfMemory(); i++) {
    if (keep && !load<u8>(keep + i)) continue;
    if (eligible && !load<u8>(eligible + i)) continue;
    let rec = records + <usize>i * LG.LR_ROW;
    if (include && !matchesLog(header, include, rec)) continue;
    if (exclude && matchesLog(header, exclude, rec)) continue;
    let over = recIn ? <usize>load<u32>(recIn + <usize>i * 8) : 0;
    let cs = over ? over : input + load<u32>(rec + LG.LR_CONTENT_START);
    let ce = over ? over + <usize>load<u32>(recIn + <usize>i * 8 + 4) : input + load<u32>(rec + LG.LR_CONTENT_END);
    let count = over ? 0xffffffff : load<u32>(rec + LG.LR_ATTR_COUNT);
    if (keyed && !holdsActionKey(plan, cs, ce, TAG_LOG_ATTRS, count)) continue;
    let mapChanged = false;
    if (targets & A.TARGET_LOG) {
      mapChanged = editMap(plan, cs, ce, TAG_LOG_ATTRS, count);
      if (editOutOfMemory()) break;
    }
    let bodyPtr: usize = 0;
    let bodyLen = NO_BODY;
    if (targets & A.TARGET_LOG_BODY) {
      let isString = over
        ? bodyStringIn(cs, ce)
        : (load<u32>(rec + LG.LR_PRESENCE) & LG.P_BODY) != 0 && anyValueString(input + load<u32>(rec + LG.LR_BODY_OFF), input + load<u32>(rec + LG.LR_BODY_OFF) + load<u32>(rec + LG.LR_BODY_LEN));
      if (isString && redactBody(plan, foundStr, foundStrLen)) {
        bodyPtr = redactedBodyOffset();
        bodyLen = redactedBodyLen();
      }
      // The body's summary attributes join the record's attributes.
      mapChanged = editChanged();
    }
    if (!mapChanged && bodyLen == NO_BODY) continue;
    let off = editWrite(cs, ce, TAG_LOG_ATTRS, mapChanged, bodyPtr, bodyLen);
    if (!off) break;
    store<u32>(repl + <usize>i * 8, off);
    store<u32>(repl + <usize>i * 8 + 4, editLastLen());
    edited++;
  }
  return editEnd(repl, n, recIn, keep, edited, resIn, scopeIn);
}

/**
 * Edits the data point attributes of an indexed MetricBatch with `plan` (TARGET_POINT), besides
 * resource and scope attributes. include/exclude (metric names, resources) and `eligible` (one
 * byte per metric, from an include/exclude evaluated outside the core) select whole metrics, as
 * the collector's attributes processor does for metrics; `metricKeep` / `pointKeep` (one byte
 * per metric / point, or 0) are earlier stages' masks; `pointIn` / `resIn` / `scopeIn` their
 * replacements. The item replacement table of editResult() holds one entry per data point.
 */
export function editPointAttributes(
  header: usize, plan: usize, metricKeep: usize, pointKeep: usize, pointIn: usize, resIn: usize, scopeIn: usize, eligible: usize,
): u32 {
  editBegin(header, plan);
  let input = <usize>load<u32>(header + B.B_INPUT);
  let nMetrics = load<u32>(header + M.B_METRIC_COUNT);
  let metrics = <usize>load<u32>(header + M.B_METRICS);
  let nPoints = load<u32>(header + M.B_POINT_COUNT);
  let points = <usize>load<u32>(header + M.B_POINTS);
  let repl = allocZeroed(<usize>max<u32>(nPoints, 1) * 8);
  if (!repl) return editEnd(0, nPoints, pointIn, pointKeep, 0, resIn, scopeIn);
  editEnvelope(plan, resIn, scopeIn);
  let targets = load<u32>(plan + A.EP_TARGETS);
  let include = <usize>load<u32>(plan + A.EP_INCLUDE);
  let exclude = <usize>load<u32>(plan + A.EP_EXCLUDE);
  let keyed = !planIsRedaction(plan) && allActionsKeyed(plan);
  let edited: u32 = 0;
  if (targets & A.TARGET_POINT) {
    for (let m: u32 = 0; m < nMetrics && !editOutOfMemory(); m++) {
      if (metricKeep && !load<u8>(metricKeep + m)) continue;
      if (eligible && !load<u8>(eligible + m)) continue;
      let metric = metrics + <usize>m * M.M_ROW;
      if (include && !matchesMetric(header, include, metric)) continue;
      if (exclude && matchesMetric(header, exclude, metric)) continue;
      let tag = pointAttrTag(load<u32>(metric + M.M_TYPE));
      let first = load<u32>(metric + M.M_POINT_START);
      let end = first + load<u32>(metric + M.M_POINT_COUNT);
      for (let k = first; k < end; k++) {
        if (pointKeep && !load<u8>(pointKeep + k)) continue;
        let pt = points + <usize>k * M.DP_ROW;
        let over = pointIn ? <usize>load<u32>(pointIn + <usize>k * 8) : 0;
        let cs = over ? over : input + load<u32>(pt + M.DP_CONTENT_START);
        let ce = over ? over + <usize>load<u32>(pointIn + <usize>k * 8 + 4) : input + load<u32>(pt + M.DP_CONTENT_END);
        let count = over ? 0xffffffff : load<u32>(pt + M.DP_ATTR_COUNT);
        if (keyed && !holdsActionKey(plan, cs, ce, tag, count)) continue;
        if (!editMap(plan, cs, ce, tag, count)) {
          if (editOutOfMemory()) break;
          continue;
        }
        let off = editWrite(cs, ce, tag, true, 0, NO_BODY);
        if (!off) break;
        store<u32>(repl + <usize>k * 8, off);
        store<u32>(repl + <usize>k * 8 + 4, editLastLen());
        edited++;
      }
    }
  }
  return editEnd(repl, nPoints, pointIn, pointKeep, edited, resIn, scopeIn);
}

/**
 * Collects the distinct keys (COLLECT_KEYS) of the maps `plan` targets in a LogBatch — record
 * attributes — with the keep mask and replacements editLogAttributes will get (bodies are matched
 * against value patterns in the edit call itself). 0, or 0xFFFFFFFF when out of memory.
 */
export function editCollectLogStrings(header: usize, plan: usize, keep: usize, recIn: usize, resIn: usize, scopeIn: usize, what: u32): u32 {
  let input = collectBegin(header, plan, what);
  let targets = load<u32>(plan + A.EP_TARGETS);
  let ok = collectEnvelope(plan, resIn, scopeIn);
  let n = load<u32>(header + B.B_ITEM_COUNT);
  let records = <usize>load<u32>(header + B.B_ITEMS);
  for (let i: u32 = 0; ok && i < n; i++) {
    if (keep && !load<u8>(keep + i)) continue;
    let rec = records + <usize>i * LG.LR_ROW;
    let over = recIn ? <usize>load<u32>(recIn + <usize>i * 8) : 0;
    let cs = over ? over : input + load<u32>(rec + LG.LR_CONTENT_START);
    let ce = over ? over + <usize>load<u32>(recIn + <usize>i * 8 + 4) : input + load<u32>(rec + LG.LR_CONTENT_END);
    if (targets & A.TARGET_LOG) ok = collectMap(cs, ce, TAG_LOG_ATTRS, over ? 0xffffffff : load<u32>(rec + LG.LR_ATTR_COUNT));
  }
  return collectEnd(ok);
}

/** editCollectLogStrings for the data point attributes of a MetricBatch (masks as editPointAttributes). */
export function editCollectPointStrings(header: usize, plan: usize, metricKeep: usize, pointKeep: usize, pointIn: usize, resIn: usize, scopeIn: usize, what: u32): u32 {
  let input = collectBegin(header, plan, what);
  let targets = load<u32>(plan + A.EP_TARGETS);
  let ok = collectEnvelope(plan, resIn, scopeIn);
  if (!(targets & A.TARGET_POINT)) return collectEnd(ok);
  let nMetrics = load<u32>(header + M.B_METRIC_COUNT);
  let metrics = <usize>load<u32>(header + M.B_METRICS);
  let points = <usize>load<u32>(header + M.B_POINTS);
  for (let m: u32 = 0; ok && m < nMetrics; m++) {
    if (metricKeep && !load<u8>(metricKeep + m)) continue;
    let metric = metrics + <usize>m * M.M_ROW;
    let tag = pointAttrTag(load<u32>(metric + M.M_TYPE));
    let first = load<u32>(metric + M.M_POINT_START);
    let end = first + load<u32>(metric + M.M_POINT_COUNT);
    for (let k = first; ok && k < end; k++) {
      if (pointKeep && !load<u8>(pointKeep + k)) continue;
      let pt = points + <usize>k * M.DP_ROW;
      let over = pointIn ? <usize>load<u32>(pointIn + <usize>k * 8) : 0;
      let cs = over ? over : input + load<u32>(pt + M.DP_CONTENT_START);
      let ce = over ? over + <usize>load<u32>(pointIn + <usize>k * 8 + 4) : input + load<u32>(pt + M.DP_CONTENT_END);
      ok = collectMap(cs, ce, tag, over ? 0xffffffff : load<u32>(pt + M.DP_ATTR_COUNT));
    }
  }
  return collectEnd(ok);
}
