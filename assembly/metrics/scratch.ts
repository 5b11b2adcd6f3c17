// Per-call scratch blocks for the metrics core (per-batch resource maps, lookup results, remap
// tables), kept between calls and grown on demand. They belong to the instance, not to a connector:
// `scratchRetain`/`scratchRelease` count the connector states alive, and the last one to go frees
// them so that an idle core holds no metrics memory at all.
import { alloc, free } from '../mem/alloc';
import { kbRelease } from './key-buffer';
import { listRelease } from './batch-resources';

const SLOTS: u32 = 8;
const TABLE = memory.data(64); // SLOTS × (ptr u32, cap u32)
let users: u32 = 0;

/** A block of at least `bytes` bytes for scratch slot `slot` (0..7), or 0 over budget. */
export function scratch(slot: u32, bytes: usize): usize {
  let at = TABLE + <usize>slot * 8;
  let ptr = <usize>load<u32>(at);
  if (bytes <= <usize>load<u32>(at + 4) && ptr) return ptr;
  free(ptr);
  let cap = max<usize>(bytes + (bytes >> 1), 256);
  ptr = alloc(cap);
  store<u32>(at, <u32>ptr);
  store<u32>(at + 4, ptr ? <u32>cap : 0);
  return ptr;
}

export function scratchRetain(): void {
  users++;
}

export function scratchRelease(): void {
  if (users > 0) users--;
  if (users > 0) return;
  for (let i: u32 = 0; i < SLOTS; i++) {
    let at = TABLE + <usize>i * 8;
    free(<usize>load<u32>(at));
    store<u64>(at, 0);
  }
  kbRelease();
  listRelease();
}
