// The one seam between the processors and a regular-expression engine for match / no match.
// Patterns come from the config (RE2 syntax, as the collector uses Go's regexp); the inputs they
// run on — attribute keys and values — come from untrusted clients, so the engine must be
// linear-time (RE2-style): never a backtracking engine such as JavaScript's RegExp. The default is
// otel-sieve's own engine (src/regex: compiled in TypeScript, run in the core), which also runs
// the features that need match positions or submatches — attributes extract, redaction
// blocked_values / allowed_values — in the core whichever engine is registered here.
import { Regex } from '../regex/regex.js';

/** A compiled pattern. Matching is unanchored (Go's MatchString). */
export interface CompiledRegex {
  /** Whether the pattern matches anywhere in `input`. */
  test(input: string): boolean;
  /**
   * The pattern compiled for the core's regex engine (otel-sieve's own engine sets it): what a
   * pipeline program carries so the core matches without calling back into JavaScript.
   */
  readonly coreProgram?: Uint8Array;
}

export interface RegexEngine {
  /** Compiles an RE2 pattern; throws an Error whose message describes the syntax error. */
  compile(pattern: string): CompiledRegex;
}

/** otel-sieve's engine, unanchored like Go's MatchString. */
export const coreRegexEngine: RegexEngine = {
  compile(pattern: string): CompiledRegex {
    const re = Regex.compile(pattern, { anchored: false });
    return { test: (input: string) => re.test(input), coreProgram: re.compiled.program };
  },
};

let engine: RegexEngine | undefined = coreRegexEngine;

/**
 * Installs the regex engine the processors use for match / no match (linear-time, RE2 syntax;
 * undefined: none, and every regex option is refused). Positions and submatches always come
 * from otel-sieve's engine.
 */
export function registerRegexEngine(e: RegexEngine | undefined): void {
  engine = e;
}

export function regexEngine(): RegexEngine | undefined {
  return engine;
}

export const NO_REGEX_ENGINE = 'is not available in this build (it needs the RE2-compatible regex engine)';
