// The redaction processor's settings, checked like the collector does. Key patterns go through the
// registered regex engine; value patterns (blocked_values, allowed_values) are compiled for
// otel-sieve's engine, which masks in the core. The URL/DB sanitizers and redact_all_types are
// refused with a clear error.
import type { ConfigReader } from '../../config/config-reader.js';
import { regexEngine, NO_REGEX_ENGINE } from '../regex-matcher.js';
import type { CompiledRegex } from '../regex-matcher.js';
import { compileRegex } from '../../regex/compile.js';
import type { CompiledRegex as RegexProgram } from '../../regex/compile.js';

export type SummaryLevel = 'silent' | 'info' | 'debug';

export interface RedactionConfig {
  readonly allowAllKeys: boolean;
  readonly allowedKeys: readonly string[];
  readonly ignoredKeys: readonly string[];
  readonly summary: SummaryLevel;
  /** The hash used instead of "****" for masked text ('' = mask). */
  readonly hashFunction: string;
  readonly hmacKey: string;
  /** Keys matching these are kept like ignored_keys (needs a regex engine). */
  readonly ignoredKeyPatterns: readonly CompiledRegex[];
  /** Values of keys matching these are masked whole (needs a regex engine). */
  readonly blockedKeyPatterns: readonly CompiledRegex[];
  /** Text matching these inside allowed values is masked, pattern after pattern (unanchored programs for the core). */
  readonly blockedValues: readonly RegexProgram[];
  /** Values matching any of these are left alone (and counted as allowed), even under a blocked key pattern. */
  readonly allowedValues: readonly RegexProgram[];
}

const HASHES = ['md5', 'sha1', 'sha3', 'hmac-sha256', 'hmac-sha512'];

export function readRedactionConfig(r: ConfigReader): RedactionConfig {
  const allowAllKeys = r.bool('allow_all_keys', false);
  const allowedKeys = r.stringList('allowed_keys');
  const ignoredKeys = r.stringList('ignored_keys');
  const compileAll = <T>(key: string, compile: (pattern: string) => T): T[] => {
    const patterns = r.stringList(key);
    if (patterns.length && !regexEngine()) throw r.fail(key, `${key} ${NO_REGEX_ENGINE}`);
    return patterns.map((p, i) => {
      try {
        return compile(p);
      } catch (err) {
        throw r.error(`error compiling regex "${p}": ${(err as Error).message}`, r.positionOf(key), `${r.path}.${key}[${i}]`);
      }
    });
  };
  const withEngine = (p: string) => regexEngine()!.compile(p);
  const forCore = (p: string) => compileRegex(p, { anchored: false });
  const ignoredKeyPatterns = compileAll('ignored_key_patterns', withEngine);
  const blockedKeyPatterns = compileAll('blocked_key_patterns', withEngine);
  if (ignoredKeyPatterns.length + blockedKeyPatterns.length > 32) throw r.error('at most 32 key patterns (ignored_key_patterns and blocked_key_patterns together)');
  const blockedValues = compileAll('blocked_values', forCore);
  const allowedValues = compileAll('allowed_values', forCore);
  if (r.bool('redact_all_types', false)) throw r.fail('redact_all_types', 'redact_all_types is not supported yet (only string values are masked)');
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
  return { allowAllKeys, allowedKeys, ignoredKeys, summary: summary === '' ? 'silent' : summary, hashFunction, hmacKey, ignoredKeyPatterns, blockedKeyPatterns, blockedValues, allowedValues };
}
