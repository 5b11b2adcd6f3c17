// Accounted allocator over the runtime's TLSF heap. Every block carries a 16-byte header with its
// size so that `used` is exact; allocations that would pass the configured limit return 0 instead
// of letting memory.grow trap, so running out of budget is an error value, not a poisoned instance.

const HEADER: usize = 16;
// TLSF refuses blocks of 1 GiB and more (it would abort); keep well below.
const MAX_BLOCK: usize = (1 << 30) - 4096;

let used: usize = 0;
let limit: usize = 1 << 30;
let peak: usize = 0;

export function setMemoryLimit(bytes: usize): void {
  limit = bytes;
}

export function memoryUsed(): usize {
  return used;
}

export function memoryPeak(): usize {
  return peak;
}

export function alloc(size: usize): usize {
  if (size > MAX_BLOCK || size + HEADER > limit - min(used, limit)) return 0;
  let block = heap.alloc(size + HEADER);
  store<usize>(block, size);
  used += size + HEADER;
  if (used > peak) peak = used;
  return block + HEADER;
}

/** Zero-filled allocation. */
export function allocZeroed(size: usize): usize {
  let p = alloc(size);
  if (p) memory.fill(p, 0, size);
  return p;
}

export function free(ptr: usize): void {
  if (!ptr) return;
  let block = ptr - HEADER;
  used -= load<usize>(block) + HEADER;
  heap.free(block);
}

/** Grows or shrinks a block; returns 0 (and leaves the old block intact) when over budget. */
export function realloc(ptr: usize, size: usize): usize {
  if (!ptr) return alloc(size);
  let block = ptr - HEADER;
  let old = load<usize>(block);
  if (size > old && (size > MAX_BLOCK || size - old > limit - min(used, limit))) return 0;
  let moved = heap.realloc(block, size + HEADER);
  store<usize>(moved, size);
  used = used - old + size;
  if (used > peak) peak = used;
  return moved + HEADER;
}

export function blockSize(ptr: usize): usize {
  return ptr ? load<usize>(ptr - HEADER) : 0;
}
