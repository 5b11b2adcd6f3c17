// A RegexEngine for tests, on re2js (an independent linear-time RE2 implementation): registered in
// place of otel-sieve's engine to check that the processors' match / no match paths work with any
// engine behind the seam.
import { RE2JS } from 're2js';
import type { RegexEngine } from 'otel-sieve';

export const re2Engine: RegexEngine = {
  compile(pattern: string) {
    const re = RE2JS.compile(pattern);
    return { test: (input: string) => re.matcher(input).find() };
  },
};
