// Lists of u32 (batch headers, slot numbers) in a byte buffer: push, read, pop.
import { bufAppend, bufPtr, bufLen, bufSetLen } from './byte-buffer';

export function listPush(b: usize, v: u32): bool {
  let cell = memory.data(4, 4);
  store<u32>(cell, v);
  return bufAppend(b, cell, 4);
}

export function listCount(b: usize): u32 {
  return <u32>(bufLen(b) >> 2);
}

export function listGet(b: usize, i: u32): u32 {
  return load<u32>(bufPtr(b) + (<usize>i << 2));
}

export function listSet(b: usize, i: u32, v: u32): void {
  store<u32>(bufPtr(b) + (<usize>i << 2), v);
}

/** Removes and returns the last entry (the list must not be empty). */
export function listPop(b: usize): u32 {
  let n = bufLen(b) - 4;
  bufSetLen(b, n);
  return load<u32>(bufPtr(b) + n);
}

export function listClear(b: usize): void {
  bufSetLen(b, 0);
}
