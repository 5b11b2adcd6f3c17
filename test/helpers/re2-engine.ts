// A RegexEngine for tests, on re2js (an independent linear-time RE2 implementation): it stands in
// for otel-sieve's own engine so the regex-dependent features can be exercised.
import { RE2JS } from 're2js';
import type { RegexEngine } from 'otel-sieve';

export const re2Engine: RegexEngine = {
  compile(pattern: string) {
    const re = RE2JS.compile(pattern);
    const named = re.namedGroups() as Record<string, number>;
    const groupNames = Array.from({ length: re.groupCount() }, (_, i) => Object.keys(named).find((k) => named[k] === i + 1) ?? '');
    return {
      groupNames,
      test: (input: string) => re.matcher(input).find(),
      namedGroups: (input: string) => {
        const m = re.matcher(input);
        if (!m.find()) return undefined;
        const out: Record<string, string> = {};
        for (const name of Object.keys(named)) out[name] = m.group(name) ?? '';
        return out;
      },
      matchRanges: (input: string) => {
        const m = re.matcher(input);
        const out: [number, number][] = [];
        while (m.find()) out.push([m.start(), m.end()]);
        return out;
      },
    };
  },
};
