// The redaction processor's hash functions (hash_function): MD5, SHA-1, SHA3-256 (Keccak with the
// SHA-3 padding), HMAC-SHA256 and HMAC-SHA512, over linear memory. Digests are written raw; the
// caller hex-encodes them.
import { sha256 } from './sha256';

export const HF_NONE: u32 = 0;
export const HF_MD5: u32 = 1;
export const HF_SHA1: u32 = 2;
export const HF_SHA3: u32 = 3;
export const HF_HMAC_SHA256: u32 = 4;
export const HF_HMAC_SHA512: u32 = 5;

const BUF = memory.data(128, 8);

// ---------------------------------------------------------------------------------------------
// MD5 (RFC 1321)

const MD5_S = memory.data<u8>([7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]);
const MD5_K = memory.data<u32>([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
]);
const MD5_H = memory.data(16, 4);

function md5Block(p: usize): void {
  let a = load<u32>(MD5_H), b = load<u32>(MD5_H + 4), c = load<u32>(MD5_H + 8), d = load<u32>(MD5_H + 12);
  for (let i: u32 = 0; i < 64; i++) {
    let f: u32;
    let g: u32;
    if (i < 16) { f = (b & c) | (~b & d); g = i; }
    else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
    else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
    else { f = c ^ (b | ~d); g = (7 * i) & 15; }
    let t = d;
    d = c;
    c = b;
    b = b + rotl<u32>(a + f + load<u32>(MD5_K + <usize>i * 4) + load<u32>(p + <usize>g * 4), <u32>load<u8>(MD5_S + <usize>i));
    a = t;
  }
  store<u32>(MD5_H, load<u32>(MD5_H) + a);
  store<u32>(MD5_H + 4, load<u32>(MD5_H + 4) + b);
  store<u32>(MD5_H + 8, load<u32>(MD5_H + 8) + c);
  store<u32>(MD5_H + 12, load<u32>(MD5_H + 12) + d);
}

function md5(p: usize, n: usize, out: usize): void {
  store<u32>(MD5_H, 0x67452301); store<u32>(MD5_H + 4, 0xefcdab89); store<u32>(MD5_H + 8, 0x98badcfe); store<u32>(MD5_H + 12, 0x10325476);
  let left = n;
  let q = p;
  while (left >= 64) { md5Block(q); q += 64; left -= 64; }
  memory.fill(BUF, 0, 64);
  memory.copy(BUF, q, left);
  store<u8>(BUF + left, 0x80);
  if (left >= 56) { md5Block(BUF); memory.fill(BUF, 0, 64); }
  store<u64>(BUF + 56, <u64>n << 3);
  md5Block(BUF);
  memory.copy(out, MD5_H, 16);
}

// ---------------------------------------------------------------------------------------------
// SHA-1 (FIPS 180-4)

const SHA1_H = memory.data(20, 4);
const SHA1_W = memory.data(320, 4);

function sha1Block(p: usize): void {
  for (let i: usize = 0; i < 16; i++) store<u32>(SHA1_W + i * 4, bswap<u32>(load<u32>(p + i * 4)));
  for (let i: usize = 16; i < 80; i++) {
    store<u32>(SHA1_W + i * 4, rotl<u32>(load<u32>(SHA1_W + (i - 3) * 4) ^ load<u32>(SHA1_W + (i - 8) * 4) ^ load<u32>(SHA1_W + (i - 14) * 4) ^ load<u32>(SHA1_W + (i - 16) * 4), 1));
  }
  let a = load<u32>(SHA1_H), b = load<u32>(SHA1_H + 4), c = load<u32>(SHA1_H + 8), d = load<u32>(SHA1_H + 12), e = load<u32>(SHA1_H + 16);
  for (let i: usize = 0; i < 80; i++) {
    let f: u32;
    let k: u32;
    if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
    else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
    else { f = b ^ c ^ d; k = 0xca62c1d6; }
    let t = rotl<u32>(a, 5) + f + e + k + load<u32>(SHA1_W + i * 4);
    e = d; d = c; c = rotl<u32>(b, 30); b = a; a = t;
  }
  store<u32>(SHA1_H, load<u32>(SHA1_H) + a);
  store<u32>(SHA1_H + 4, load<u32>(SHA1_H + 4) + b);
  store<u32>(SHA1_H + 8, load<u32>(SHA1_H + 8) + c);
  store<u32>(SHA1_H + 12, load<u32>(SHA1_H + 12) + d);
  store<u32>(SHA1_H + 16, load<u32>(SHA1_H + 16) + e);
}

function sha1(p: usize, n: usize, out: usize): void {
  store<u32>(SHA1_H, 0x67452301); store<u32>(SHA1_H + 4, 0xefcdab89); store<u32>(SHA1_H + 8, 0x98badcfe);
  store<u32>(SHA1_H + 12, 0x10325476); store<u32>(SHA1_H + 16, 0xc3d2e1f0);
  let left = n;
  let q = p;
  while (left >= 64) { sha1Block(q); q += 64; left -= 64; }
  memory.fill(BUF, 0, 64);
  memory.copy(BUF, q, left);
  store<u8>(BUF + left, 0x80);
  if (left >= 56) { sha1Block(BUF); memory.fill(BUF, 0, 64); }
  store<u64>(BUF + 56, bswap<u64>(<u64>n << 3));
  sha1Block(BUF);
  for (let i: usize = 0; i < 5; i++) store<u32>(out + i * 4, bswap<u32>(load<u32>(SHA1_H + i * 4)));
}

// ---------------------------------------------------------------------------------------------
// SHA3-256 (FIPS 202): Keccak-f[1600], rate 136 bytes, domain byte 0x06

const KECCAK_RC = memory.data<u64>([
  0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000, 0x000000000000808b, 0x0000000080000001,
  0x8000000080008081, 0x8000000000008009, 0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
  0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003, 0x8000000000008002, 0x8000000000000080,
  0x000000000000800a, 0x800000008000000a, 0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]);
const KECCAK_ROT = memory.data<u8>([0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14]);
const ST = memory.data(200, 8);
const TMP = memory.data(200, 8);
const C = memory.data(40, 8);

function keccakF(): void {
  for (let round: usize = 0; round < 24; round++) {
    for (let x: usize = 0; x < 5; x++) {
      store<u64>(C + x * 8, load<u64>(ST + x * 8) ^ load<u64>(ST + (x + 5) * 8) ^ load<u64>(ST + (x + 10) * 8) ^ load<u64>(ST + (x + 15) * 8) ^ load<u64>(ST + (x + 20) * 8));
    }
    for (let x: usize = 0; x < 5; x++) {
      let d = load<u64>(C + ((x + 4) % 5) * 8) ^ rotl<u64>(load<u64>(C + ((x + 1) % 5) * 8), 1);
      for (let y: usize = 0; y < 25; y += 5) store<u64>(ST + (y + x) * 8, load<u64>(ST + (y + x) * 8) ^ d);
    }
    // rho and pi: B[y, 2x+3y] = rot(A[x, y], r[x, y])
    for (let x: usize = 0; x < 5; x++) {
      for (let y: usize = 0; y < 5; y++) {
        let i = x + 5 * y;
        let nx = y;
        let ny = (2 * x + 3 * y) % 5;
        store<u64>(TMP + (nx + 5 * ny) * 8, rotl<u64>(load<u64>(ST + i * 8), <u64>load<u8>(KECCAK_ROT + i)));
      }
    }
    for (let y: usize = 0; y < 25; y += 5) {
      for (let x: usize = 0; x < 5; x++) {
        store<u64>(ST + (y + x) * 8, load<u64>(TMP + (y + x) * 8) ^ (~load<u64>(TMP + (y + (x + 1) % 5) * 8) & load<u64>(TMP + (y + (x + 2) % 5) * 8)));
      }
    }
    store<u64>(ST, load<u64>(ST) ^ load<u64>(KECCAK_RC + round * 8));
  }
}

function sha3_256(p: usize, n: usize, out: usize): void {
  const rate: usize = 136;
  memory.fill(ST, 0, 200);
  let left = n;
  let q = p;
  while (left >= rate) {
    for (let i: usize = 0; i < rate; i += 8) store<u64>(ST + i, load<u64>(ST + i) ^ load<u64>(q + i));
    keccakF();
    q += rate;
    left -= rate;
  }
  for (let i: usize = 0; i < left; i++) store<u8>(ST + i, load<u8>(ST + i) ^ load<u8>(q + i));
  store<u8>(ST + left, load<u8>(ST + left) ^ 0x06);
  store<u8>(ST + rate - 1, load<u8>(ST + rate - 1) ^ 0x80);
  keccakF();
  memory.copy(out, ST, 32);
}

// ---------------------------------------------------------------------------------------------
// SHA-512 (for HMAC-SHA512)

const K512 = memory.data<u64>([
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
  0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
  0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65, 0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
  0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
  0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
  0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
  0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec, 0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
  0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
  0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]);
const H512 = memory.data(64, 8);
const W512 = memory.data(640, 8);
const BUF512 = memory.data(128, 8);

function sha512Block(p: usize): void {
  for (let i: usize = 0; i < 16; i++) store<u64>(W512 + i * 8, bswap<u64>(load<u64>(p + i * 8)));
  for (let i: usize = 16; i < 80; i++) {
    let w15 = load<u64>(W512 + (i - 15) * 8);
    let w2 = load<u64>(W512 + (i - 2) * 8);
    let s0 = rotr<u64>(w15, 1) ^ rotr<u64>(w15, 8) ^ (w15 >> 7);
    let s1 = rotr<u64>(w2, 19) ^ rotr<u64>(w2, 61) ^ (w2 >> 6);
    store<u64>(W512 + i * 8, load<u64>(W512 + (i - 16) * 8) + s0 + load<u64>(W512 + (i - 7) * 8) + s1);
  }
  let a = load<u64>(H512), b = load<u64>(H512 + 8), c = load<u64>(H512 + 16), d = load<u64>(H512 + 24);
  let e = load<u64>(H512 + 32), f = load<u64>(H512 + 40), g = load<u64>(H512 + 48), h = load<u64>(H512 + 56);
  for (let i: usize = 0; i < 80; i++) {
    let S1 = rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41);
    let ch = (e & f) ^ (~e & g);
    let t1 = h + S1 + ch + load<u64>(K512 + i * 8) + load<u64>(W512 + i * 8);
    let S0 = rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39);
    let maj = (a & b) ^ (a & c) ^ (b & c);
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + S0 + maj;
  }
  store<u64>(H512, load<u64>(H512) + a); store<u64>(H512 + 8, load<u64>(H512 + 8) + b);
  store<u64>(H512 + 16, load<u64>(H512 + 16) + c); store<u64>(H512 + 24, load<u64>(H512 + 24) + d);
  store<u64>(H512 + 32, load<u64>(H512 + 32) + e); store<u64>(H512 + 40, load<u64>(H512 + 40) + f);
  store<u64>(H512 + 48, load<u64>(H512 + 48) + g); store<u64>(H512 + 56, load<u64>(H512 + 56) + h);
}

function sha512(p: usize, n: usize, out: usize): void {
  store<u64>(H512, 0x6a09e667f3bcc908); store<u64>(H512 + 8, 0xbb67ae8584caa73b); store<u64>(H512 + 16, 0x3c6ef372fe94f82b);
  store<u64>(H512 + 24, 0xa54ff53a5f1d36f1); store<u64>(H512 + 32, 0x510e527fade682d1); store<u64>(H512 + 40, 0x9b05688c2b3e6c1f);
  store<u64>(H512 + 48, 0x1f83d9abfb41bd6b); store<u64>(H512 + 56, 0x5be0cd19137e2179);
  let left = n;
  let q = p;
  while (left >= 128) { sha512Block(q); q += 128; left -= 128; }
  memory.fill(BUF512, 0, 128);
  memory.copy(BUF512, q, left);
  store<u8>(BUF512 + left, 0x80);
  if (left >= 112) { sha512Block(BUF512); memory.fill(BUF512, 0, 128); }
  store<u64>(BUF512 + 120, bswap<u64>(<u64>n << 3));
  sha512Block(BUF512);
  for (let i: usize = 0; i < 8; i++) store<u64>(out + i * 8, bswap<u64>(load<u64>(H512 + i * 8)));
}

// ---------------------------------------------------------------------------------------------
// HMAC (RFC 2104) over SHA-256 and SHA-512; the message is copied behind the padded key block.

import { alloc, free } from '../mem/alloc';

function hmac(wide: bool, key: usize, keyLen: usize, p: usize, n: usize, out: usize): bool {
  let block: usize = wide ? 128 : 64;
  let digest: usize = wide ? 64 : 32;
  let k = memory.data(128, 8);
  memory.fill(k, 0, 128);
  if (keyLen > block) {
    if (wide) sha512(key, keyLen, k);
    else sha256(key, keyLen, k);
  } else memory.copy(k, key, keyLen);
  let buf = alloc(block + max<usize>(n, digest));
  if (!buf) return false;
  for (let i: usize = 0; i < block; i++) store<u8>(buf + i, load<u8>(k + i) ^ 0x36);
  memory.copy(buf + block, p, n);
  let inner = memory.data(64, 8);
  if (wide) sha512(buf, block + n, inner);
  else sha256(buf, block + n, inner);
  for (let i: usize = 0; i < block; i++) store<u8>(buf + i, load<u8>(k + i) ^ 0x5c);
  memory.copy(buf + block, inner, digest);
  if (wide) sha512(buf, block + digest, out);
  else sha256(buf, block + digest, out);
  free(buf);
  return true;
}

/** Raw digest of [p, p+n) with hash function `fn` into out (≤ 64 bytes); returns its length, 0 on failure. */
export function digest(fn: u32, p: usize, n: usize, key: usize, keyLen: usize, out: usize): usize {
  if (fn == HF_MD5) { md5(p, n, out); return 16; }
  if (fn == HF_SHA1) { sha1(p, n, out); return 20; }
  if (fn == HF_SHA3) { sha3_256(p, n, out); return 32; }
  if (fn == HF_HMAC_SHA256) return hmac(false, key, keyLen, p, n, out) ? 32 : 0;
  if (fn == HF_HMAC_SHA512) return hmac(true, key, keyLen, p, n, out) ? 64 : 0;
  return 0;
}

/** For tests: the raw digest of [p, p+n) (see digest()). */
export function digestBytes(fn: u32, p: usize, n: usize, key: usize, keyLen: usize, out: usize): usize {
  return digest(fn, p, n, key, keyLen, out);
}
