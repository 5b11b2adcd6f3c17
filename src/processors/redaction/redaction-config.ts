// The redaction processor's settings, checked like the collector does. Everything that matches
// with regular expressions (blocked_values, allowed_values, blocked_key_patterns,
// ignored_key_patterns) and the URL/DB sanitizers are refused with a clear error until the
// RE2-compatible regex engine is part of the build.
import type { ConfigReader } from '../../config/config-reader.js';
import { regexEngine, NO_REGEX_ENGINE } from '../regex-matcher.js';

export type SummaryLevel = 'silent' | 'info' | 'debug';

export interface RedactionConfig {
  readonly allowAllKeys: boolean;
  readonly allowedKeys: readonly string[];
  readonly ignoredKeys: readonly string[];
  readonly summary: SummaryLevel;
  /** The hash used instead of "****" for masked text ('' = mask). Masking needs regexes (see above). */
  readonly hashFunction: string;
}

const HASHES = ['md5', 'sha1', 'sha3', 'hmac-sha256', 'hmac-sha512'];
const REGEX_KEYS = ['blocked_values', 'allowed_values', 'blocked_key_patterns', 'ignored_key_patterns'] as const;

export function readRedactionConfig(r: ConfigReader): RedactionConfig {
  const allowAllKeys = r.bool('allow_all_keys', false);
  const allowedKeys = r.stringList('allowed_keys');
  const ignoredKeys = r.stringList('ignored_keys');
  for (const key of REGEX_KEYS) {
    const patterns = r.stringList(key);
    const engine = regexEngine();
    patterns.forEach((p, i) => {
      if (!engine) return;
      try {
        engine.compile(p);
      } catch (err) {
        throw r.error(`error compiling regex "${p}": ${(err as Error).message}`, r.positionOf(key), `${r.path}.${key}[${i}]`);
      }
    });
    if (patterns.length) throw r.fail(key, `${key} ${NO_REGEX_ENGINE}`);
  }
  r.bool('redact_all_types', false);
  const hashFunction = r.string('hash_function', '').toLowerCase();
  if (hashFunction && !HASHES.includes(hashFunction)) throw r.fail('hash_function', `unsupported hash function "${hashFunction}" (expected one of: ${HASHES.join(', ')})`);
  const hmacKey = r.string('hmac_key', '');
  if (hashFunction === 'hmac-sha256' && hmacKey.length < 32) throw r.fail('hmac_key', 'hmac_key must be at least 32 bytes for hmac-sha256');
  if (hashFunction === 'hmac-sha512' && hmacKey.length < 64) throw r.fail('hmac_key', 'hmac_key must be at least 64 bytes for hmac-sha512');
  const summary = r.oneOf('summary', ['debug', 'info', 'silent', ''] as const, '');
  for (const key of ['url_sanitizer', 'db_sanitizer'] as const) {
    if (!r.present(key)) {
      r.raw(key);
      continue;
    }
    const c = r.child(key);
    const enabled = c.bool('enabled', false);
    const anyEnabled = enabled || c.keys().some((k) => {
      const n = c.node.kind === 'map' ? c.node.entries.get(k)?.node : undefined;
      return n?.kind === 'map' && [...n.entries].some(([kk, e]) => kk === 'enabled' && e.node.kind === 'scalar' && e.node.value === true);
    });
    if (anyEnabled) throw r.fail(key, `${key} is not supported yet`);
    c.ignore(...c.keys());
  }
  return { allowAllKeys, allowedKeys, ignoredKeys, summary: summary === '' ? 'silent' : summary, hashFunction };
}
