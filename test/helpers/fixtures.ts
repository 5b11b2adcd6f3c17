// Test inputs: checked-in fixtures (real SDK output, hand-built edge cases) and a slice of the
// bench corpus generator's traffic.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Every fixture file with the given extension, as [name relative to test/fixtures, bytes]. */
export function fixtureFiles(ext: string): [string, Uint8Array][] {
  return walk(FIXTURES)
    .filter((p) => p.endsWith(ext))
    .sort()
    .map((p) => [relative(FIXTURES, p), new Uint8Array(readFileSync(p))]);
}

/**
 * Fixtures that are invalid on purpose, with the rule our decoder must report. Everything else
 * under test/fixtures must decode.
 */
export const INVALID_FIXTURES: Readonly<Record<string, string>> = Object.freeze({
  'edge/bad-ids.pb': 'invalid id length',
  'edge/nesting-200.pb': 'depth limit',
});

/**
 * Fixtures whose strings are not valid UTF-8: protobufjs (the oracle) and WHATWG decoding
 * replace bad sequences differently, so their strings are checked separately.
 */
export const NON_UTF8_FIXTURES: ReadonlySet<string> = new Set(['edge/invalid-utf8.pb']);

/** Valid fixtures, comparable with the oracle. */
export function validFixtures(ext = '.pb'): [string, Uint8Array][] {
  return fixtureFiles(ext).filter(([name]) => !(name in INVALID_FIXTURES));
}
