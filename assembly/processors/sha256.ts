// SHA-256 (FIPS 180-4) over linear memory, for the attributes processor's hash action.
import { copyBytes } from '../mem/copy';
const K = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H = memory.data(32, 4);
const W = memory.data(256, 4);
const BLOCK = memory.data(64, 4);

// @ts-ignore: decorator
@inline function bigSigma0(x: u32): u32 {
  return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22);
}

// @ts-ignore: decorator
@inline function bigSigma1(x: u32): u32 {
  return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25);
}

// @ts-ignore: decorator
@inline function ch(e: u32, f: u32, g: u32): u32 {
  return g ^ (e & (f ^ g));
}

// @ts-ignore: decorator
@inline function maj(a: u32, b: u32, c: u32): u32 {
  return (a & b) | (c & (a | b));
}

function compress(p: usize): void {
  for (let i: usize = 0; i < 16; i++) store<u32>(W + i * 4, bswap<u32>(load<u32>(p + i * 4)));
  for (let i: usize = 16; i < 64; i++) {
    let w15 = load<u32>(W + (i - 15) * 4);
    let w2 = load<u32>(W + (i - 2) * 4);
    let s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
    let s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
    store<u32>(W + i * 4, load<u32>(W + (i - 16) * 4) + s0 + load<u32>(W + (i - 7) * 4) + s1);
  }
  let a = load<u32>(H), b = load<u32>(H + 4), c = load<u32>(H + 8), d = load<u32>(H + 12);
  let e = load<u32>(H + 16), f = load<u32>(H + 20), g = load<u32>(H + 24), h = load<u32>(H + 28);
  // Eight rounds per iteration with the working variables' roles rotated instead of moved: the
  // round that would set (a..h) = (t1 + t2, a, b, c, d + t1, e, f, g) updates two of them in place.
  for (let i: usize = 0; i < 64; i += 8) {
    let k = K + i * 4;
    let w = W + i * 4;
    h += bigSigma1(e) + ch(e, f, g) + load<u32>(k) + load<u32>(w);
    d += h;
    h += bigSigma0(a) + maj(a, b, c);
    g += bigSigma1(d) + ch(d, e, f) + load<u32>(k, 4) + load<u32>(w, 4);
    c += g;
    g += bigSigma0(h) + maj(h, a, b);
    f += bigSigma1(c) + ch(c, d, e) + load<u32>(k, 8) + load<u32>(w, 8);
    b += f;
    f += bigSigma0(g) + maj(g, h, a);
    e += bigSigma1(b) + ch(b, c, d) + load<u32>(k, 12) + load<u32>(w, 12);
    a += e;
    e += bigSigma0(f) + maj(f, g, h);
    d += bigSigma1(a) + ch(a, b, c) + load<u32>(k, 16) + load<u32>(w, 16);
    h += d;
    d += bigSigma0(e) + maj(e, f, g);
    c += bigSigma1(h) + ch(h, a, b) + load<u32>(k, 20) + load<u32>(w, 20);
    g += c;
    c += bigSigma0(d) + maj(d, e, f);
    b += bigSigma1(g) + ch(g, h, a) + load<u32>(k, 24) + load<u32>(w, 24);
    f += b;
    b += bigSigma0(c) + maj(c, d, e);
    a += bigSigma1(f) + ch(f, g, h) + load<u32>(k, 28) + load<u32>(w, 28);
    e += a;
    a += bigSigma0(b) + maj(b, c, d);
  }
  store<u32>(H, load<u32>(H) + a); store<u32>(H + 4, load<u32>(H + 4) + b);
  store<u32>(H + 8, load<u32>(H + 8) + c); store<u32>(H + 12, load<u32>(H + 12) + d);
  store<u32>(H + 16, load<u32>(H + 16) + e); store<u32>(H + 20, load<u32>(H + 20) + f);
  store<u32>(H + 24, load<u32>(H + 24) + g); store<u32>(H + 28, load<u32>(H + 28) + h);
}

// @ts-ignore: decorator
@inline function clearBlock(): void {
  for (let i: usize = 0; i < 64; i += 8) store<u64>(BLOCK + i, 0);
}

/** Writes the 32-byte digest of [p, p+n) to out. */
export function sha256(p: usize, n: usize, out: usize): void {
  store<u32>(H, 0x6a09e667); store<u32>(H + 4, 0xbb67ae85); store<u32>(H + 8, 0x3c6ef372); store<u32>(H + 12, 0xa54ff53a);
  store<u32>(H + 16, 0x510e527f); store<u32>(H + 20, 0x9b05688c); store<u32>(H + 24, 0x1f83d9ab); store<u32>(H + 28, 0x5be0cd19);
  let left = n;
  let q = p;
  while (left >= 64) {
    compress(q);
    q += 64;
    left -= 64;
  }
  // Attribute values are short: word stores and copyBytes, not bulk-memory calls.
  clearBlock();
  copyBytes(BLOCK, q, left);
  store<u8>(BLOCK + left, 0x80);
  if (left >= 56) {
    compress(BLOCK);
    clearBlock();
  }
  store<u64>(BLOCK + 56, bswap<u64>(<u64>n << 3));
  compress(BLOCK);
  for (let i: usize = 0; i < 8; i++) store<u32>(out + i * 4, bswap<u32>(load<u32>(H + i * 4)));
}

/** The lower-case hex of the digest of [p, p+n), 64 bytes written to out. */
export function sha256Hex(p: usize, n: usize, out: usize): void {
  let digest = memory.data(32, 4);
  sha256(p, n, digest);
  for (let i: usize = 0; i < 32; i++) {
    let b = <u32>load<u8>(digest + i);
    store<u8>(out + i * 2, <u8>(b >> 4 < 10 ? 0x30 + (b >> 4) : 0x57 + (b >> 4)));
    store<u8>(out + i * 2 + 1, <u8>((b & 15) < 10 ? 0x30 + (b & 15) : 0x57 + (b & 15)));
  }
}

/** For tests: digest of [p, p+n) into out (32 bytes). */
export function sha256Digest(p: usize, n: usize, out: usize): void {
  sha256(p, n, out);
}
