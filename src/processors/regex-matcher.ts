// The one seam between the processors and a regular-expression engine. Patterns come from the
// config (RE2 syntax, as the collector uses Go's regexp); the inputs they run on — attribute
// values — come from untrusted clients, so the engine must be linear-time (RE2-style): never a
// backtracking engine such as JavaScript's RegExp. The default is otel-sieve's own engine
// (src/regex: compiled in TypeScript, run in the core), which answers match / no match;
// submatches and match positions (attributes extract, redaction blocked_values) need an engine
// that provides them (registerRegexEngine), and are refused at config time otherwise.
import { Regex } from '../regex/regex.js';

/** A compiled pattern. Matching is unanchored (Go's MatchString / FindStringSubmatch). */
export interface CompiledRegex {
  /** Whether the pattern matches anywhere in `input`. */
  test(input: string): boolean;
  /** Names of the capturing groups in order ('' for an unnamed group), when the engine reports them. */
  readonly groupNames?: readonly string[];
  /** Named groups of the leftmost match (FindStringSubmatch), or undefined without a match. */
  namedGroups?(input: string): Readonly<Record<string, string>> | undefined;
  /** The leftmost non-overlapping matches as [start, end) string indices (ReplaceAllStringFunc). */
  matchRanges?(input: string): readonly (readonly [number, number])[];
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

/** Installs the regex engine the processors use (linear-time, RE2 syntax; undefined: none). */
export function registerRegexEngine(e: RegexEngine | undefined): void {
  engine = e;
}

export function regexEngine(): RegexEngine | undefined {
  return engine;
}

export const NO_REGEX_ENGINE = 'is not available in this build (it needs the RE2-compatible regex engine)';

export const NO_SUBMATCHES = 'needs submatches, which the registered regex engine does not provide (otel-sieve\'s own engine answers match / no match)';
export const NO_POSITIONS = 'needs match positions, which the registered regex engine does not provide (otel-sieve\'s own engine answers match / no match)';
