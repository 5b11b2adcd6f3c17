// The core's hash functions (attributes hash, redaction hash_function) against node:crypto, at the
// lengths where padding changes (block boundaries of 64, 128 and 136 bytes), HMAC keys shorter
// and longer than a block.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from 'otel-sieve';
import { getCore } from '../../dist/src/core/init.js';

beforeAll(async () => {
  await init();
});

interface DigestExports {
  digestBytes(fn: number, p: number, n: number, key: number, keyLen: number, out: number): number;
  sha256Digest(p: number, n: number, out: number): void;
}

function run(fn: number, data: Uint8Array, key = new Uint8Array(0)): string {
  const core = getCore();
  const ex = core.exports as unknown as DigestExports;
  const p = core.exports.alloc(data.length + key.length + 64 + 16) >>> 0;
  core.u8.set(data, p);
  core.u8.set(key, p + data.length);
  const out = p + data.length + key.length;
  const n = fn === 0 ? (ex.sha256Digest(p, data.length, out), 32) : ex.digestBytes(fn, p, data.length, p + data.length, key.length, out);
  const hex = Buffer.from(core.u8.subarray(out, out + n)).toString('hex');
  core.free(p);
  return hex;
}

const lengths = [0, 1, 3, 55, 56, 63, 64, 65, 111, 112, 127, 128, 135, 136, 137, 200, 1000];

describe('digests', () => {
  for (const n of lengths) {
    it(`${n} bytes`, () => {
      const data = randomBytes(n);
      expect(run(0, data)).toBe(createHash('sha256').update(data).digest('hex'));
      expect(run(1, data)).toBe(createHash('md5').update(data).digest('hex'));
      expect(run(2, data)).toBe(createHash('sha1').update(data).digest('hex'));
      expect(run(3, data)).toBe(createHash('sha3-256').update(data).digest('hex'));
      for (const k of [32, 64, 100, 200]) {
        const key = randomBytes(k);
        expect(run(4, data, key)).toBe(createHmac('sha256', key).update(data).digest('hex'));
        expect(run(5, data, key)).toBe(createHmac('sha512', key).update(data).digest('hex'));
      }
    });
  }
});
