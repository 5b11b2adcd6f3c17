// Writes a redaction config as the core's edit plan: the attribute maps of the signal (resource,
// scope, and span / event / link, log record and string body, or data point), allow-list, ignored
// keys, the value patterns' programs and the summary level.
import { writeKeyPatternTable } from '../attr-edit/key-pattern-table.js';
import type { EditPlanBlock } from '../attr-edit/key-pattern-table.js';
import * as A from '../../../assembly/abi/attr-edit-layout.js';
import type { CoreMemory } from '../../core/core-memory.js';
import { CoreBlockWriter } from '../attr-edit/core-block-writer.js';
import { compileRegex } from '../../regex/compile.js';
import type { CompiledRegex as RegexProgram } from '../../regex/compile.js';
import type { RedactionConfig } from './redaction-config.js';
import type { Signal } from '../../config/collector-config.js';

/** What a blocked key pattern replaces: the collector masks the value with `.*` (so line by line). */
const MASK_ALL = compileRegex('.*', { anchored: false });

/** The programs, each copied into the block, and a list of their pointers; returns the list. */
function programs(w: CoreBlockWriter, list: readonly RegexProgram[]): number {
  const at = w.reserve(list.length * 4);
  list.forEach((re, i) => {
    const p = w.reserve(re.program.length);
    w.bytes(p, re.program);
    w.u32(at + i * 4, p);
  });
  return at;
}

const SUMMARY: Readonly<Record<string, number>> = { silent: 0, info: 1, debug: 2 };
const HASH: Readonly<Record<string, number>> = { md5: A.HF_MD5, sha1: A.HF_SHA1, sha3: A.HF_SHA3, 'hmac-sha256': A.HF_HMAC_SHA256, 'hmac-sha512': A.HF_HMAC_SHA512 };

/** The attribute maps redaction edits per signal (and log bodies), like the collector's processor. */
const REDACTION_TARGETS: Readonly<Record<Signal, number>> = {
  traces: A.TARGET_RESOURCE | A.TARGET_SCOPE | A.TARGET_SPAN | A.TARGET_EVENT | A.TARGET_LINK,
  logs: A.TARGET_RESOURCE | A.TARGET_SCOPE | A.TARGET_LOG | A.TARGET_LOG_BODY,
  metrics: A.TARGET_RESOURCE | A.TARGET_SCOPE | A.TARGET_POINT,
};

export function writeRedactionPlan(core: CoreMemory, config: RedactionConfig, signal: Signal = 'traces'): EditPlanBlock {
  const patterns = redactionPatterns(config);
  let keysInCore = false;
  const list = (w: CoreBlockWriter, items: readonly string[]): number => {
    const at = w.reserve(items.length * A.SL_ROW);
    items.forEach((s, i) => {
      const [p, n] = w.string(s);
      w.u32(at + i * A.SL_ROW + A.SL_PTR, p);
      w.u32(at + i * A.SL_ROW + A.SL_LEN, n);
      w.u32(at + i * A.SL_ROW + A.SL_HASH, w.hash(p, n));
    });
    return at;
  };
  const { block, root } = CoreBlockWriter.build(core, (w) => {
    const plan = w.reserve(A.EP_SIZE);
    w.u32(plan + A.EP_KIND, A.EDIT_REDACTION);
    w.u32(plan + A.EP_TARGETS, REDACTION_TARGETS[signal]);
    w.u32(plan + A.EP_ALLOWED, list(w, config.allowedKeys));
    w.u32(plan + A.EP_ALLOWED_COUNT, config.allowedKeys.length);
    w.u32(plan + A.EP_IGNORED, list(w, config.ignoredKeys));
    w.u32(plan + A.EP_IGNORED_COUNT, config.ignoredKeys.length);
    w.u32(plan + A.EP_SUMMARY, SUMMARY[config.summary]!);
    w.u32(plan + A.EP_FLAGS, config.allowAllKeys ? A.EF_ALLOW_ALL_KEYS : 0);
    if (config.hashFunction) {
      w.u32(plan + A.EP_HASH_FN, HASH[config.hashFunction]!);
      const [kp, kn] = w.string(config.hmacKey);
      w.u32(plan + A.EP_HMAC_KEY, kp);
      w.u32(plan + A.EP_HMAC_KEY_LEN, kn);
    }
    // Verdict bits: ignored patterns first, then blocked key patterns (see redactionPatterns).
    const ni = config.ignoredKeyPatterns.length;
    const nb = config.blockedKeyPatterns.length;
    w.u32(plan + A.EP_IGNORED_PATTERNS, ni ? (2 ** ni - 1) >>> 0 : 0);
    w.u32(plan + A.EP_BLOCKED_KEY_PATTERNS, nb ? ((2 ** nb - 1) * 2 ** ni) >>> 0 : 0);
    w.u32(plan + A.EP_BLOCKED_VALUES, programs(w, config.blockedValues));
    w.u32(plan + A.EP_BLOCKED_VALUES_COUNT, config.blockedValues.length);
    w.u32(plan + A.EP_ALLOWED_VALUES, programs(w, config.allowedValues));
    w.u32(plan + A.EP_ALLOWED_VALUES_COUNT, config.allowedValues.length);
    const maskAll = w.reserve(MASK_ALL.program.length);
    w.bytes(maskAll, MASK_ALL.program);
    w.u32(plan + A.EP_MASK_ALL, maskAll);
    keysInCore = writeKeyPatternTable(w, plan, patterns);
    return plan;
  });
  return { block, plan: root, keysInCore };
}

/** The key patterns in verdict-bit order. */
export function redactionPatterns(config: RedactionConfig) {
  return [...config.ignoredKeyPatterns, ...config.blockedKeyPatterns];
}
