// Retained heap of a value built by `make`, measured between two full garbage collections.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

function collector(): (() => void) | undefined {
  if (gc) return gc;
  setFlagsFromString('--expose-gc');
  gc = runInNewContext('gc') as (() => void) | undefined;
  return gc;
}

export function measureRetainedBytes(make: () => unknown): number | undefined {
  const collect = collector();
  if (!collect) return undefined;
  collect();
  const before = process.memoryUsage().heapUsed;
  const held = make();
  collect();
  const after = process.memoryUsage().heapUsed;
  // Keep `held` alive until after the measurement.
  if (held === null) return 0;
  return after - before;
}
