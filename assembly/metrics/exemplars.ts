// Exemplars kept inline in a series record (XS_* layout): the first `max` spans of an interval,
// like the collector, which stops adding once a data point holds max_per_data_point and clears
// them at every flush. Spans without a trace id give none.
import * as M from '../abi/derived-metrics-layout';
import * as L from '../abi/trace-layout';

/** Whether the span row has a non-zero trace id. */
// @ts-ignore: decorator
@inline export function hasTraceId(row: usize): bool {
  return (load<u64>(row + L.SP_TRACE_ID) | load<u64>(row + L.SP_TRACE_ID + 8)) != 0;
}

// @ts-ignore: decorator
@inline export function exemplarAdd(x: usize, max: u32, row: usize, value: f64): void {
  let n = load<u32>(x + M.XS_COUNT);
  if (n >= max || !hasTraceId(row)) return;
  let e = x + M.XS_FIRST + <usize>n * M.XE_SIZE;
  memory.copy(e + M.XE_TRACE_ID, row + L.SP_TRACE_ID, 16);
  memory.copy(e + M.XE_SPAN_ID, row + L.SP_SPAN_ID, 8);
  store<f64>(e + M.XE_VALUE, value);
  store<u32>(x + M.XS_COUNT, n + 1);
}

/** Bytes the exemplars of one series take. */
export function exemplarsSize(max: u32): u32 {
  return max == 0 ? 0 : M.XS_FIRST + max * M.XE_SIZE;
}
