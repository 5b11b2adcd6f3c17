// A split-block bloom filter (the Parquet/Impala design): each key sets one bit in each of the 8
// 32-bit words of a single 256-bit block, so a lookup touches one cache line. The 8 bit positions
// come from multiplying the key's hash by 8 odd salts; with SIMD the 8 lanes are computed and
// tested at once. Used for the tail sampler's decision caches and exported as BloomFilter.
//
// Layout of a filter: header (32 bytes: blocks u32, inserted u32, data pointer u32) then the
// 32-byte-aligned block array. Keys are hashed with hashBytes64/hashId16.
import { alloc, free } from '../mem/alloc';
import { hashBytes64, hashId16 } from './hash64';

export const BF_BLOCKS = 0;
export const BF_COUNT = 4;
export const BF_DATA = 8;
const HEADER: usize = 32;
const SEED: u64 = 0x5bd1e9955bd1e995;
/** 2^27 blocks = 4 GiB: far above the memory cap, so this only guards arithmetic. */
const MAX_BLOCKS: u32 = 1 << 26;

const SALTS = memory.data<u32>([0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31]);

/** A filter of `blocks` 256-bit blocks, zeroed; 0 when over budget or out of range. */
export function bloomCreate(blocks: u32): usize {
  if (blocks == 0 || blocks > MAX_BLOCKS) return 0;
  let bytes = <usize>blocks * 32;
  let p = alloc(HEADER + bytes + 32);
  if (!p) return 0;
  let data = (p + HEADER + 31) & ~(<usize>31);
  memory.fill(data, 0, bytes);
  store<u32>(p + BF_BLOCKS, blocks);
  store<u32>(p + BF_COUNT, 0);
  store<u32>(p + BF_DATA, <u32>data);
  return p;
}

export function bloomFree(f: usize): void {
  free(f);
}

export function bloomClear(f: usize): void {
  memory.fill(<usize>load<u32>(f + BF_DATA), 0, <usize>load<u32>(f + BF_BLOCKS) * 32);
  store<u32>(f + BF_COUNT, 0);
}

/** Where the filter's block bytes live (for serialising) and how many bytes. */
export function bloomData(f: usize): usize {
  return <usize>load<u32>(f + BF_DATA);
}

export function bloomCount(f: usize): u32 {
  return load<u32>(f + BF_COUNT);
}

// @ts-ignore: decorator
@inline function blockOf(f: usize, h: u64): usize {
  let blocks = <u64>load<u32>(f + BF_BLOCKS);
  return <usize>load<u32>(f + BF_DATA) + <usize>(((h >> 32) * blocks) >> 32) * 32;
}

/** The 8 one-bit masks of a key, as two vectors: 1 << ((h32 * salt_i) >> 27) per lane. */
// @ts-ignore: decorator
@inline function masks(h: u64, lo: usize): v128 {
  let x = i32x4.splat(<i32>h);
  let s = v128.load(lo);
  let bit = i32x4.shr_u(i32x4.mul(x, s), 27);
  // 2^bit built as a float (exponent bit + 127) and truncated: wasm SIMD has no per-lane shift.
  let f = i32x4.shl(i32x4.add(bit, i32x4.splat(127)), 23);
  return i32x4.trunc_sat_f32x4_u(f);
}

// @ts-ignore: decorator
@inline export function bloomInsertHash(f: usize, h: u64): void {
  let b = blockOf(f, h);
  let m0 = masks(h, SALTS);
  let m1 = masks(h, SALTS + 16);
  v128.store(b, v128.or(v128.load(b), m0));
  v128.store(b + 16, v128.or(v128.load(b + 16), m1));
  store<u32>(f + BF_COUNT, load<u32>(f + BF_COUNT) + 1);
}

// @ts-ignore: decorator
@inline export function bloomContainsHash(f: usize, h: u64): bool {
  let b = blockOf(f, h);
  let m0 = masks(h, SALTS);
  let m1 = masks(h, SALTS + 16);
  let hit = v128.and(i32x4.eq(v128.and(v128.load(b), m0), m0), i32x4.eq(v128.and(v128.load(b + 16), m1), m1));
  return i32x4.all_true(hit);
}

// @ts-ignore: decorator
@inline export function bloomKeyHash(p: usize, len: usize): u64 {
  return len == 16 ? hashId16(p, SEED) : hashBytes64(p, len, SEED);
}

/** Adds `n` keys of `keyLen` bytes stored back to back at `keys`. */
export function bloomAdd(f: usize, keys: usize, n: u32, keyLen: u32): void {
  for (let i: u32 = 0; i < n; i++) bloomInsertHash(f, bloomKeyHash(keys + <usize>i * keyLen, keyLen));
}

/** Tests `n` keys; writes 1/0 per key to `out` (if non-zero) and returns how many may be present. */
export function bloomHas(f: usize, keys: usize, n: u32, keyLen: u32, out: usize): u32 {
  let hits: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let yes = bloomContainsHash(f, bloomKeyHash(keys + <usize>i * keyLen, keyLen));
    if (out) store<u8>(out + i, yes ? 1 : 0);
    hits += yes ? 1 : 0;
  }
  return hits;
}
