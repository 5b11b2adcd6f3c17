// Scratch memory for values a program computes (converter results, list literals): a bump
// allocator over chunks, reset before every item. Values on the VM stack point into it only while
// the item is evaluated, so a reset never leaves a live pointer behind.
import { alloc, free } from '../mem/alloc';

const CHUNK: usize = 64 * 1024;
const LINK: usize = 8; // each chunk starts with the address of the previous one

let first: usize = 0; // the chunk kept between items
let current: usize = 0;
let top: usize = 0;
let end: usize = 0;

/** `size` bytes (8-aligned) valid until the next reset, or 0 when the memory budget is spent. */
export function arenaAlloc(size: usize): usize {
  size = (size + 7) & ~<usize>7;
  if (top + size > end || !current) {
    if (!grow(size)) return 0;
  }
  let p = top;
  top += size;
  return p;
}

function grow(size: usize): bool {
  if (!first) {
    first = alloc(CHUNK);
    if (!first) return false;
    store<usize>(first, 0);
    current = first;
    top = first + LINK;
    end = first + CHUNK;
    if (top + size <= end) return true;
  }
  let want = max<usize>(CHUNK, size + LINK);
  let chunk = alloc(want);
  if (!chunk) return false;
  store<usize>(chunk, current);
  current = chunk;
  top = chunk + LINK;
  end = chunk + want;
  return true;
}

/** Forgets every value allocated since the last reset (extra chunks go back to the allocator). */
export function arenaReset(): void {
  while (current && current != first) {
    let prev = load<usize>(current);
    free(current);
    current = prev;
  }
  if (first) {
    current = first;
    top = first + LINK;
    end = first + CHUNK;
  }
}
