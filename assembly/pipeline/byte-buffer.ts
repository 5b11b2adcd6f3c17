// A growable byte buffer in core memory (the runner's outputs, the metrics encoder, error texts):
// a three-word struct (pointer, length, capacity) the owner embeds or allocates. Growth goes
// through the accounted allocator, so running out of budget is a `false`, never a trap. The block
// always keeps 16 spare bytes after the capacity: readers that peek past the end (hash32, the
// wire reader) may run over what it holds.
import { alloc, realloc, free } from '../mem/alloc';

export const BB_PTR = 0;
export const BB_LEN = 4;
export const BB_CAP = 8;
export const BB_SIZE = 12;

const SLACK: usize = 16;

export function bufPtr(b: usize): usize {
  return <usize>load<u32>(b + BB_PTR);
}

export function bufLen(b: usize): usize {
  return <usize>load<u32>(b + BB_LEN);
}

export function bufSetLen(b: usize, n: usize): void {
  store<u32>(b + BB_LEN, <u32>n);
}

/** Makes room for `extra` more bytes; false when the budget refuses (the buffer is unchanged). */
export function bufReserve(b: usize, extra: usize): bool {
  let len = bufLen(b);
  let cap = <usize>load<u32>(b + BB_CAP);
  if (len + extra <= cap) return true;
  let want = max<usize>(max<usize>(cap * 2, 256), len + extra);
  let p = realloc(bufPtr(b), want + SLACK);
  if (!p) return false;
  memory.fill(p + want, 0, SLACK);
  store<u32>(b + BB_PTR, <u32>p);
  store<u32>(b + BB_CAP, <u32>want);
  return true;
}

export function bufAppend(b: usize, src: usize, n: usize): bool {
  if (!bufReserve(b, n)) return false;
  let len = bufLen(b);
  memory.copy(bufPtr(b) + len, src, n);
  bufSetLen(b, len + n);
  return true;
}

export function bufByte(b: usize, v: u8): bool {
  if (!bufReserve(b, 1)) return false;
  let len = bufLen(b);
  store<u8>(bufPtr(b) + len, v);
  bufSetLen(b, len + 1);
  return true;
}

/** Frees the bytes (the struct itself stays the owner's). */
export function bufRelease(b: usize): void {
  free(bufPtr(b));
  store<u32>(b + BB_PTR, 0);
  store<u32>(b + BB_LEN, 0);
  store<u32>(b + BB_CAP, 0);
}

/** A fresh, empty buffer struct; 0 over budget. */
export function bufNew(): usize {
  let b = alloc(BB_SIZE);
  if (b) memory.fill(b, 0, BB_SIZE);
  return b;
}

export function bufFree(b: usize): void {
  if (!b) return;
  bufRelease(b);
  free(b);
}
