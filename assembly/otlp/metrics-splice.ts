// The splice encoder for metrics. Two masks decide what survives: one per metric and one per data
// point. A metric whose points are all kept (and none replaced) is copied byte for byte; one that
// loses some is re-emitted field by field — every field copied except its data message, which is
// re-emitted with the kept points (copied, or replaced by new content) and its other fields copied
// (temporality, unknown fields). A metric that had points and lost them all is dropped, like the
// collector's filter processor drops metrics left empty; one that never had any stays unless its
// metric mask drops it. Data messages an overriding oneof member made dead are left out when a
// metric is re-emitted (no decoder would read them). The envelope around is envelope-splice.ts's.
import * as L from '../abi/metrics-layout';
import * as B from '../abi/batch-layout';
import { readVarintTrusted, skipTrusted, next, WT_LEN } from '../wire/reader';
import { emitRaw, emitReplaced, emitHeader, fieldSize } from './splice-emit';
import { spliceItems, PLAN_DROP, PLAN_COPY, PLAN_RENDER } from './envelope-splice';

const TAG_DATA_POINTS: u32 = (1 << 3) | WT_LEN;

let IN: usize = 0;
let metrics: usize = 0;
let pointKeep: usize = 0;
let pointRepl: usize = 0;
/** Data point fields the last renderData walked. */
let walkedPoints: u32 = 0;

// @ts-ignore: decorator
@inline function pointKept(k: u32): bool {
  return pointKeep == 0 || load<u8>(pointKeep + k) != 0;
}

// @ts-ignore: decorator
@inline function pointReplacement(k: u32): usize {
  return pointRepl ? <usize>load<u32>(pointRepl + <usize>k * 8) : 0;
}

function planMetric(i: u32): u32 {
  if (!pointKeep && !pointRepl) return PLAN_COPY;
  let row = metrics + <usize>i * L.M_ROW;
  let first = load<u32>(row + L.M_POINT_START);
  let n = load<u32>(row + L.M_POINT_COUNT);
  let kept: u32 = 0;
  let changed = false;
  for (let k = first; k < first + n; k++) {
    if (pointKept(k)) {
      kept++;
      if (pointReplacement(k)) changed = true;
    } else {
      changed = true;
    }
  }
  if (n && !kept) return PLAN_DROP;
  return changed ? PLAN_RENDER : PLAN_COPY;
}

/** Content of a data message [cs, ce) with points from `k`: kept ones copied or replaced, other fields copied. */
function renderData(out: usize, cs: usize, ce: usize, k: u32): usize {
  let size: usize = 0;
  let walked: u32 = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let after = skipTrusted(next, tag & 7);
    let o = out ? out + size : 0;
    if (tag == TAG_DATA_POINTS) {
      let point = k + walked++;
      if (pointKept(point)) {
        let repl = pointReplacement(point);
        if (repl) size += emitReplaced(o, TAG_DATA_POINTS, repl, <usize>load<u32>(pointRepl + <usize>point * 8 + 4));
        else size += emitRaw(o, at, after);
      }
    } else {
      size += emitRaw(o, at, after);
    }
    p = after;
  }
  walkedPoints = walked;
  return size;
}

function renderMetric(out: usize, i: u32): usize {
  let row = metrics + <usize>i * L.M_ROW;
  let cs = IN + load<u32>(row + L.M_CONTENT_START);
  let ce = IN + load<u32>(row + L.M_CONTENT_END);
  let dataFrom = IN + load<u32>(row + L.M_DATA_FROM);
  let dataTag = (load<u32>(row + L.M_TYPE) << 3) | WT_LEN;
  let k = load<u32>(row + L.M_POINT_START);
  let size: usize = 0;
  let p = cs;
  while (p < ce) {
    let at = p;
    let tag = <u32>readVarintTrusted(p);
    let vs = next;
    let after = skipTrusted(vs, tag & 7);
    let o = out ? out + size : 0;
    let f = tag >>> 3;
    let isData = (tag & 7) == WT_LEN && (f == L.MT_GAUGE || f == L.MT_SUM || f == L.MT_HISTOGRAM || f == L.MT_EXPONENTIAL_HISTOGRAM || f == L.MT_SUMMARY);
    if (!isData) {
      size += emitRaw(o, at, after);
    } else if (at >= dataFrom && tag == dataTag) {
      let len = <usize>readVarintTrusted(vs);
      let ds = next;
      let content = renderData(0, ds, ds + len, k);
      if (out) renderData(emitHeader(o, dataTag, content), ds, ds + len, k);
      size += fieldSize(content);
      k += walkedPoints;
    }
    p = after;
  }
  return size;
}

/**
 * Writes a new request. `metricKeep` / `pointKeep` hold one byte per metric / data point (non-zero =
 * keep) or are 0 for all; `metricRepl`, `pointRepl`, `resourceRepl`, `scopeRepl` hold (pointer,
 * length) pairs per metric / point / resource / scope giving new content for that message (pointer
 * 0 = unchanged), or are 0. A replaced metric is written as given: the point mask and point
 * replacements do not apply inside it. Returns 0 with the output in spliceResult(), else an error code.
 */
export function metricsSplice(
  header: usize, metricKeep: usize, pointKeepMask: usize, metricRepl: usize, pointReplacements: usize,
  resourceRepl: usize, scopeRepl: usize,
): u32 {
  IN = <usize>load<u32>(header + B.B_INPUT);
  metrics = <usize>load<u32>(header + L.B_METRICS);
  pointKeep = pointKeepMask;
  pointRepl = pointReplacements;
  return spliceItems(header, metrics, L.M_ROW, metricKeep, metricRepl, planMetric, renderMetric, resourceRepl, scopeRepl);
}
