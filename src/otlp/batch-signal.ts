// Which signal a batch holds, told by its shape rather than `instanceof`: a batch class loaded twice
// (a bundle and the package, or the built package and the sources in tests) is still recognised.
import type { TraceBatch } from './trace-batch.js';
import type { LogBatch } from './log-batch.js';
import type { MetricBatch } from './metric-batch.js';
import type { Signal } from '../config/collector-config.js';

export function batchSignal(batch: TraceBatch | LogBatch | MetricBatch): Signal {
  if ('spanCount' in batch) return 'traces';
  if ('logRecordCount' in batch) return 'logs';
  return 'metrics';
}

export function isMetricBatch(batch: TraceBatch | LogBatch | MetricBatch): batch is MetricBatch {
  return batchSignal(batch) === 'metrics';
}

export function isLogBatch(batch: TraceBatch | LogBatch | MetricBatch): batch is LogBatch {
  return batchSignal(batch) === 'logs';
}

export function isTraceBatch(batch: TraceBatch | LogBatch | MetricBatch): batch is TraceBatch {
  return batchSignal(batch) === 'traces';
}
