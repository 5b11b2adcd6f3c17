// Joining and cutting batches of any signal without decoding, by the unit the collector's batch
// processor counts: spans, log records, or metric data points. Concatenated Export*ServiceRequests
// are one valid request (the resource list is a repeated field), so joining is a copy inside core
// memory; cutting selects a run of items in wire order through the splice encoder, which keeps
// each item under its own resource and scope.
import * as ERR from '../../assembly/abi/errors.js';
import * as M from '../../assembly/abi/metrics-layout.js';
import { OtlpDecodeError } from '../core/errors.js';
import type { TraceBatch } from './trace-batch.js';
import type { LogBatch } from './log-batch.js';
import type { MetricBatch } from './metric-batch.js';
import { isLogBatch, isMetricBatch, isTraceBatch } from './batch-signal.js';

type Batch = TraceBatch | LogBatch | MetricBatch;

/** Spans, log records or data points: what the batch processor counts. */
export function batchItemCount(batch: Batch): number {
  if (isTraceBatch(batch)) return batch.spanCount;
  if (isLogBatch(batch)) return batch.logRecordCount;
  return (batch as MetricBatch).dataPointCount;
}

/** One batch holding every item of `batches` (all of one signal) in order. The inputs are left as they are. */
export function concatBatches<B extends Batch>(batches: readonly B[]): B {
  if (batches.length === 0) throw new RangeError('concatBatches needs at least one batch');
  const first = batches[0]!;
  const core = first.core;
  for (const b of batches) {
    if (b.constructor !== first.constructor) throw new TypeError(`concatBatches: cannot join a ${b.constructor.name} to a ${first.constructor.name}`);
  }
  // A batch the decode limits truncated is re-written without the dropped entries, so its bytes
  // are shorter than its input: encode those first (to JavaScript) to know the total.
  const rewritten = batches.map((b) => (b.truncated ? b.toProtobuf() : undefined));
  let total = 0;
  batches.forEach((b, i) => (total += rewritten[i]?.length ?? b.byteLength));
  const ptr = core.call('allocInput', (ex) => ex.allocInput(total) >>> 0);
  if (!ptr) throw new OtlpDecodeError({ code: ERR.ERR_OUT_OF_MEMORY, offset: 0, message: 0, field: 0, detail: BigInt(total) }, total);
  let at = ptr;
  batches.forEach((b, i) => {
    // Views are taken after the allocation: growing the memory detaches earlier ones.
    const bytes = rewritten[i] ?? b.protobufView();
    core.u8.set(bytes, at);
    at += bytes.length;
  });
  return (first.constructor as unknown as { fromCoreBuffer(core: unknown, input: number, length: number, options: object): B }).fromCoreBuffer(core, ptr, total, {});
}

/**
 * The items [start, end) of `batch` (in the batch processor's unit) as a new batch. For metrics
 * the range is over data points: a metric whose points straddle the cut is split between the two
 * batches (as the collector's splitMetrics does); a metric without points goes with the range that
 * holds the position where its points would start.
 */
export function sliceBatch<B extends Batch>(batch: B, start: number, end: number): B {
  const n = batchItemCount(batch);
  if (!isMetricBatch(batch)) {
    const mask = new Uint8Array(n);
    mask.fill(1, start, end);
    return (batch as TraceBatch).select(mask) as B;
  }
  const points = new Uint8Array(n);
  points.fill(1, start, end);
  const metrics = new Uint8Array(batch.metricCount);
  const dv = batch.core.dv;
  const last = end >= n;
  for (let m = 0; m < metrics.length; m++) {
    const row = batch.metricRow(m);
    const first = dv.getUint32(row + M.M_POINT_START, true);
    const count = dv.getUint32(row + M.M_POINT_COUNT, true);
    if (count) metrics[m] = first < end && first + count > start ? 1 : 0;
    else metrics[m] = first >= start && (first < end || last) ? 1 : 0;
  }
  return batch.select(metrics, points) as B;
}
