// The one seam between the processors and a regular-expression engine. Patterns come from the
// config (RE2 syntax, as the collector uses Go's regexp); the inputs they run on — attribute
// values — come from untrusted clients, so the engine must be linear-time (RE2-style): never a
// backtracking engine such as JavaScript's RegExp. otel-sieve's own engine (src/regex, in the
// core) registers itself here when it is part of the build; until then no engine is registered,
// and every feature that needs one is refused at config time with a message saying so.

/** A compiled pattern. Matching is unanchored (Go's MatchString / FindStringSubmatch). */
export interface CompiledRegex {
  /** Whether the pattern matches anywhere in `input`. */
  test(input: string): boolean;
  /** Names of the capturing groups in order ('' for an unnamed group). */
  readonly groupNames: readonly string[];
  /** Named groups of the leftmost match (FindStringSubmatch), or undefined without a match. */
  namedGroups(input: string): Readonly<Record<string, string>> | undefined;
  /** The leftmost non-overlapping matches as [start, end) string indices (ReplaceAllStringFunc). */
  matchRanges(input: string): readonly (readonly [number, number])[];
}

export interface RegexEngine {
  /** Compiles an RE2 pattern; throws an Error whose message describes the syntax error. */
  compile(pattern: string): CompiledRegex;
}

let engine: RegexEngine | undefined;

/** Installs the regex engine the processors use (linear-time, RE2 syntax). */
export function registerRegexEngine(e: RegexEngine): void {
  engine = e;
}

export function regexEngine(): RegexEngine | undefined {
  return engine;
}

export const NO_REGEX_ENGINE = 'is not available in this build (it needs the RE2-compatible regex engine)';
