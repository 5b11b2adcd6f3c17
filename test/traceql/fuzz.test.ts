// Fuzzing the query text: mutated conformance queries and random token soup must give a result
// or a TraceQLError naming a line and column — never another exception, never a trap.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch, traceql, TraceQLError } from 'otel-sieve';
import { REQUEST_1, encodeJsonTraces } from './fixture.js';
import { SECTIONS, REJECTS, METRICS_ACCEPTED } from './cases.js';
import { rng } from '../helpers/rng.js';

const SEEDS = [
  ...Object.values(SECTIONS).flat().map(([q]) => q),
  ...Object.values(REJECTS).flat().map(([q]) => q),
  ...METRICS_ACCEPTED,
];
const TOKENS = ['{', '}', '(', ')', '|', '&&', '||', '>>', '!~', '=~', '&~', '!', '-', '"', '`', '\\', '.', ':', ',', ' ', '\n', 'nil', 'by(', 'count()', 'span.', '1', '1.5e', '5ms', 'µ', '/*', '//', 'with(', 'rate()', 'é', '\u0000', '😀'];

let batch: TraceBatch;
beforeAll(async () => {
  await init();
  batch = TraceBatch.fromProtobuf(encodeJsonTraces(REQUEST_1));
});

function check(q: string): void {
  let compiled;
  try {
    compiled = traceql.compile(q);
  } catch (e) {
    if (!(e instanceof TraceQLError)) throw new Error(`non-TraceQLError for ${JSON.stringify(q)}: ${String(e)}`);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.message).toMatch(/^line \d+, column \d+: /);
    return;
  }
  try {
    if (compiled.kind === 'search') compiled.search([batch], { spss: 0, limit: 0 });
    else compiled.metrics([batch], { start: 1_700_000_000_000_000_000n, end: 1_700_000_010_000_000_000n, step: 1_000_000_000n });
  } catch (e) {
    if (!(e instanceof TraceQLError) || e.stage !== 'runtime') throw new Error(`run of ${JSON.stringify(q)} failed: ${String(e)}`);
  }
}

describe('query fuzzing', () => {
  it('mutated queries: a result or a positioned error (4 000 mutations)', () => {
    const r = rng(3);
    for (let k = 0; k < 4000; k++) {
      const chars = Array.from(SEEDS[Math.floor(r() * SEEDS.length)]!);
      const edits = 1 + Math.floor(r() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(r() * (chars.length + 1));
        const op = r();
        if (op < 0.33) chars.splice(at, 1);
        else if (op < 0.66) chars.splice(at, 0, TOKENS[Math.floor(r() * TOKENS.length)]!);
        else chars.splice(at, 1, TOKENS[Math.floor(r() * TOKENS.length)]!);
      }
      check(chars.join(''));
    }
  });
  it('random token soup (2 000 strings)', () => {
    const r = rng(9);
    for (let k = 0; k < 2000; k++) {
      let q = '';
      const n = Math.floor(r() * 12);
      for (let i = 0; i < n; i++) q += TOKENS[Math.floor(r() * TOKENS.length)];
      check(q);
    }
  });
  it('errors on later lines count lines and columns in characters', () => {
    try {
      traceql.parse('{ name = "é😀" }\n&& { .a = 1 } ??');
    } catch (e) {
      expect((e as TraceQLError).line).toBe(2);
      expect((e as TraceQLError).column).toBe(15);
    }
    expect.assertions(2);
  });
});
