// Builds a metric batch's attribute table on first use (envelope-attrs.ts walks resources and
// scopes): per metric its metadata, then per data point its attributes followed by its exemplars'
// filtered attributes — the order in which metrics-index.ts numbered them. Points and exemplars are
// read from their rows, so data messages the oneof overrode (never indexed) are never visited.
import * as L from '../abi/metrics-layout';
import { WT_LEN } from '../wire/reader';
import { appendTagged, attrInput, buildAttributes } from './envelope-attrs';
import { pointKind, pointAttrField } from './metrics-index';

const TAG_METADATA: u32 = (12 << 3) | WT_LEN;
const TAG_FILTERED_ATTRIBUTES: u32 = (7 << 3) | WT_LEN;
const ALL: u32 = 0xffffffff;

let metrics: usize = 0;
let points: usize = 0;
let exemplars: usize = 0;

function appendMetric(i: u32): bool {
  let IN = attrInput();
  let row = metrics + <usize>i * L.M_ROW;
  if (!appendTagged(IN + load<u32>(row + L.M_CONTENT_START), IN + load<u32>(row + L.M_CONTENT_END), TAG_METADATA, ALL)) return false;
  let attrTag = (pointAttrField(pointKind(load<u32>(row + L.M_TYPE))) << 3) | WT_LEN;
  let first = load<u32>(row + L.M_POINT_START);
  let n = load<u32>(row + L.M_POINT_COUNT);
  for (let k = first; k < first + n; k++) {
    let prow = points + <usize>k * L.DP_ROW;
    if (!appendTagged(IN + load<u32>(prow + L.DP_CONTENT_START), IN + load<u32>(prow + L.DP_CONTENT_END), attrTag, ALL)) return false;
    let x0 = load<u32>(prow + L.DP_EXEMPLAR_START);
    let nx = load<u32>(prow + L.DP_EXEMPLAR_COUNT);
    for (let x = x0; x < x0 + nx; x++) {
      let xrow = exemplars + <usize>x * L.X_ROW;
      if (!appendTagged(IN + load<u32>(xrow + L.X_CONTENT_START), IN + load<u32>(xrow + L.X_CONTENT_END), TAG_FILTERED_ATTRIBUTES, ALL)) return false;
    }
  }
  return true;
}

/** Returns 0, or an error code (out of memory) with the batch unchanged. */
export function metricsIndexAttributes(header: usize): u32 {
  metrics = <usize>load<u32>(header + L.B_METRICS);
  points = <usize>load<u32>(header + L.B_POINTS);
  exemplars = <usize>load<u32>(header + L.B_EXEMPLARS);
  return buildAttributes(header, appendMetric);
}
