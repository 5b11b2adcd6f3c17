// An edit plan's key patterns as the core matches them (EP_KEY_PATTERNS): with otel-sieve's own
// regex engine every pattern has a core program, so the plan carries them — count, then (program,
// length) rows, the pipeline program's KP layout — and the edit call computes and caches each
// key's verdicts itself (assembly/processors/key-verdicts.ts), with no collection pass and no
// round trip to JavaScript. With another engine registered, verdicts stay the facade's (0 here).
import * as A from '../../../assembly/abi/attr-edit-layout.js';
import type { CompiledRegex } from '../regex-matcher.js';
import type { CoreBlockWriter } from './core-block-writer.js';

/** A written edit plan: its block (to free), the plan in it, whether the core matches its key patterns. */
export interface EditPlanBlock {
  readonly block: number;
  readonly plan: number;
  readonly keysInCore: boolean;
}

const KP_FIRST = 8;
const KP_ROW = 8;
/** Verdicts are one u32 of bits. */
const MAX_PATTERNS = 32;

/** Writes the table and points the plan at it when the core can match every pattern; whether it did. */
export function writeKeyPatternTable(w: CoreBlockWriter, plan: number, patterns: readonly CompiledRegex[]): boolean {
  if (!patterns.length || patterns.length > MAX_PATTERNS || !patterns.every((re) => re.coreProgram)) return false;
  const table = w.reserve(KP_FIRST + patterns.length * KP_ROW);
  w.u32(table, patterns.length);
  patterns.forEach((re, i) => {
    const program = re.coreProgram!;
    const at = w.reserve(program.length);
    w.bytes(at, program);
    w.u32(table + KP_FIRST + i * KP_ROW, at);
    w.u32(table + KP_FIRST + i * KP_ROW + 4, program.length);
  });
  w.u32(plan + A.EP_KEY_PATTERNS, table);
  return true;
}
