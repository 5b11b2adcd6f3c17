// blocked_values / allowed_values of the redaction processor as the collector applies them to one
// allowed value: nothing when an allowed_values pattern matches; otherwise each blocked pattern in
// turn replaces its matches in the text so far with "****" or the hex hash_function digest of the
// matched text.
import type { Core } from '../../core/core.js';
import type { CompiledRegex } from '../regex-matcher.js';
import type { ValueMasking } from '../attr-edit/attr-edit-runner.js';
import * as A from '../../../assembly/abi/attr-edit-layout.js';

const HASH: Readonly<Record<string, number>> = { md5: A.HF_MD5, sha1: A.HF_SHA1, sha3: A.HF_SHA3, 'hmac-sha256': A.HF_HMAC_SHA256, 'hmac-sha512': A.HF_HMAC_SHA512 };
const encoder = new TextEncoder();

interface CoreDigest {
  digestBytes(fn: number, p: number, n: number, key: number, keyLen: number, out: number): number;
}

/** Hex digest of `text` with the core's hash functions. */
function digestHex(core: Core, fn: number, text: string, key: Uint8Array): string {
  const bytes = encoder.encode(text);
  const p = core.call('alloc', (ex) => ex.alloc(bytes.length + key.length + 64 + 1) >>> 0);
  if (!p) throw new RangeError('hash_function: out of core memory');
  try {
    core.u8.set(bytes, p);
    core.u8.set(key, p + bytes.length);
    const out = p + bytes.length + key.length;
    const n = core.call('digestBytes', (ex) => (ex as unknown as CoreDigest).digestBytes(fn, p, bytes.length, p + bytes.length, key.length, out)) >>> 0;
    let hex = '';
    for (const b of core.u8.subarray(out, out + n)) hex += b.toString(16).padStart(2, '0');
    return hex;
  } finally {
    core.free(p);
  }
}

export function valueMasking(
  core: Core, blocked: readonly CompiledRegex[], allowed: readonly CompiledRegex[], hashFunction: string, hmacKey: string, logBodies = false,
): ValueMasking | undefined {
  // allowed_values alone only matter for the "allowed" summary of log bodies.
  if (!blocked.length && !(logBodies && allowed.length)) return undefined;
  const fn = hashFunction ? HASH[hashFunction]! : 0;
  const key = encoder.encode(hmacKey);
  const replacement = (match: string) => (fn ? digestHex(core, fn, match, key) : '****');
  return {
    cache: new Map(),
    allowedCache: new Map(),
    allowed: (value: string) => allowed.some((re) => re.test(value)),
    mask(value: string): string | undefined {
      if (allowed.some((re) => re.test(value))) return undefined;
      let text = value;
      let changed = false;
      for (const re of blocked) {
        const ranges = re.matchRanges!(text);
        if (!ranges.length) continue;
        let out = '';
        let at = 0;
        for (const [s, e] of ranges) {
          out += text.slice(at, s) + replacement(text.slice(s, e));
          at = e;
        }
        text = out + text.slice(at);
        changed = true;
      }
      return changed ? text : undefined;
    },
  };
}
