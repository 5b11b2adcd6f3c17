// The redaction processor's settings, checked like the collector does. Everything that matches
// with regular expressions (blocked_values, allowed_values, blocked_key_patterns,
// ignored_key_patterns) and the URL/DB sanitizers are refused with a clear error until the
// RE2-compatible regex engine is part of the build.
import type { ConfigReader } from '../../config/config-reader.js';
import { regexEngine, NO_REGEX_ENGINE, NO_POSITIONS } from '../regex-matcher.js';
import type { CompiledRegex } from '../regex-matcher.js';

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
  /** Text matching these inside allowed values is masked (needs a regex engine). */
  readonly blockedValues: readonly CompiledRegex[];
  /** Values matching any of these are never masked by blocked_values. */
  readonly allowedValues: readonly CompiledRegex[];
}

const HASHES = ['md5', 'sha1', 'sha3', 'hmac-sha256', 'hmac-sha512'];

export function readRedactionConfig(r: ConfigReader): RedactionConfig {
  const allowAllKeys = r.bool('allow_all_keys', false);
  const allowedKeys = r.stringList('allowed_keys');
  const ignoredKeys = r.stringList('ignored_keys');
  const compileAll = (key: string): CompiledRegex[] => {
    const patterns = r.stringList(key);
    const engine = regexEngine();
    if (patterns.length && !engine) throw r.fail(key, `${key} ${NO_REGEX_ENGINE}`);
    return patterns.map((p, i) => {
      try {
        return engine!.compile(p);
      } catch (err) {
        throw r.error(`error compiling regex "${p}": ${(err as Error).message}`, r.positionOf(key), `${r.path}.${key}[${i}]`);
      }
    });
  };
  const ignoredKeyPatterns = compileAll('ignored_key_patterns');
  const blockedKeyPatterns = compileAll('blocked_key_patterns');
  if (ignoredKeyPatterns.length + blockedKeyPatterns.length > 32) throw r.error('at most 32 key patterns (ignored_key_patterns and blocked_key_patterns together)');
  const blockedValues = compileAll('blocked_values');
  if (blockedValues.some((re) => !re.matchRanges)) throw r.fail('blocked_values', `blocked_values ${NO_POSITIONS}`);
  const allowedValues = compileAll('allowed_values');
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
