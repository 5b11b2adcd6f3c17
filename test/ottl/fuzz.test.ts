// Fuzzed condition text (fixed seeds, bounded iterations): mutations of valid conditions and
// random token soup either compile or fail with an OttlError carrying a position inside the text;
// what compiles evaluates over spans, logs and metrics without any other exception, and the core
// is left as it was (no leaked memory, the next evaluation still right).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, ottl, OttlError, OttlRuntimeError, TraceBatch, LogBatch, MetricBatch, memoryStats } from 'otel-sieve';
import type { OttlContextName } from 'otel-sieve';
import { rng, int } from '../helpers/mutate.js';
import { logFixture, metricFixture, traceFixture } from '../helpers/ottl-fixtures.js';

let traces: TraceBatch;
let logs: LogBatch;
let metrics: MetricBatch;

beforeAll(async () => {
  await init();
  traces = TraceBatch.fromProtobuf(traceFixture());
  logs = LogBatch.fromProtobuf(logFixture());
  metrics = MetricBatch.fromProtobuf(metricFixture());
});

afterAll(() => {
  traces.dispose();
  logs.dispose();
  metrics.dispose();
});

const seeds: [OttlContextName, string][] = [
  ['span', 'name == "GET /users" and kind == SPAN_KIND_SERVER'],
  ['span', 'attributes["a"]["b"][0] != nil or not IsMatch(name, "^G.*s$")'],
  ['span', 'end_time_unix_nano - start_time_unix_nano > 1000000000'],
  ['span', 'Concat([name, String(attributes["m"])], "-") == "x" and Len(attributes["arr"]) >= 2'],
  ['span', 'Substring(ToUpperCase(name), 0, 2, utf8_safe = true) == "GE" or Int(attributes["num"]) * 2 == 20'],
  ['log', 'body["msg"] == "hi" or severity_number >= SEVERITY_NUMBER_WARN'],
  ['metric', 'HasAttrOnDatapoint("code", "500") or type == METRIC_DATA_TYPE_SUM'],
  ['datapoint', 'value_double / 0 > 1.5 and metric.name == "cpu" or -value_int < -3'],
  ['spanevent', 'span.attributes["arr"][1] == "x" or resource.attributes["service.name"] == "shop" and instrumentation_scope.version == "1.0"'],
  ['span', 'trace_id == TraceID(0x0102030405060708090a0b0c0d0e0f10) or span_id.string == "0102030405060708"'],
  ['span', 'ContainsValue(["a", 1, 2.5, true, nil], attributes["s"]) and trace_state["other"] == "b"'],
  ['span', 'end_time - start_time > Duration("1h2m3.5s") and (true or (false and not true))'],
  ['resource', 'attributes["rm"]["a"] + 1 == 2 or Len(attributes) > 1'],
  ['scope', 'name == "logger" and String(resource.attributes) != ""'],
];
const pieces = [
  'name', 'attributes', '["k"]', '[0]', '[-1]', '==', '!=', '<', '>=', '(', ')', '[', ']', ',', 'and', 'or', 'not', 'nil', 'true',
  '"x"', '"\\u00e9"', '"\\', '0x0a', '0x', '1', '-2', '.5', '1.5e3', '+', '-', '*', '/', 'IsMatch', 'Len', 'Concat', 'Substring', 'Int',
  'SPAN_KIND_SERVER', 'kind.string', 'resource.', 'body', 'value_double', 'Duration', '{', '}', ':', '=', '\n', ' ', '😀', '\u0000',
];
const batches: Record<OttlContextName, () => TraceBatch | LogBatch | MetricBatch> = {
  span: () => traces, spanevent: () => traces, resource: () => traces, scope: () => logs,
  log: () => logs, metric: () => metrics, datapoint: () => metrics,
};
const contexts = Object.keys(batches) as OttlContextName[];

function mutateText(text: string, r: () => number): string {
  const cp = [...text];
  const at = int(r, cp.length + 1);
  switch (int(r, 6)) {
    case 0: cp.splice(at, 1 + int(r, 4)); break;
    case 1: cp.splice(at, 0, pieces[int(r, pieces.length)]!); break;
    case 2: cp.splice(at, 1, pieces[int(r, pieces.length)]!); break;
    case 3: return cp.slice(0, at).join('');
    case 4: { const from = int(r, cp.length); cp.splice(at, 0, ...cp.slice(from, from + 1 + int(r, 10))); break; }
    default: cp[at] = String.fromCodePoint(int(r, 0x250)); break;
  }
  return cp.join('');
}

function soup(r: () => number): string {
  return Array.from({ length: 1 + int(r, 16) }, () => pieces[int(r, pieces.length)]!).join(r() < 0.7 ? ' ' : '');
}

describe('fuzzed conditions never crash', () => {
  /** One fuzz round; returns what happened. */
  function round(seed: number, iterations: number): { compiled: number; rejected: number; failedAtRuntime: number } {
    const r = rng(seed);
    let compiled = 0;
    let rejected = 0;
    let failedAtRuntime = 0;
    for (let i = 0; i < iterations; i++) {
      let [context, text] = r() < 0.8 ? seeds[int(r, seeds.length)]! : [contexts[int(r, contexts.length)]!, soup(r)];
      for (let k = int(r, 3); k > 0; k--) text = mutateText(text, r);
      const batch = batches[context];
      try {
        ottl.compile(text, { context });
      } catch (err) {
        if (!(err instanceof OttlError)) throw new Error(`${JSON.stringify(text)} (${context}): ${String(err)}`);
        const lines = text.split('\n');
        expect(err.line, text).toBeGreaterThanOrEqual(1);
        expect(err.line, text).toBeLessThanOrEqual(lines.length);
        expect(err.column, text).toBeGreaterThanOrEqual(1);
        expect(err.column, text).toBeLessThanOrEqual([...lines[err.line - 1]!].length + 1);
        rejected++;
        continue;
      }
      compiled++;
      for (const errorMode of ['ignore', 'propagate'] as const) {
        try {
          const out = ottl.evaluate(text, batch(), { context, errorMode });
          expect(out.results.every((b) => b <= 1)).toBe(true);
        } catch (err) {
          if (!(err instanceof OttlRuntimeError) || errorMode !== 'propagate') throw new Error(`${JSON.stringify(text)} (${context}, ${errorMode}): ${String(err)}`);
          failedAtRuntime++;
        }
      }
    }
    return { compiled, rejected, failedAtRuntime };
  }

  it('compile or fail with a positioned OttlError; compiled ones evaluate; no memory is kept', () => {
    const first = round(0x0771, 2000);
    // The seeds survive mutation often enough for every path to be exercised.
    expect(first.compiled).toBeGreaterThan(400);
    expect(first.rejected).toBeGreaterThan(1000);
    expect(first.failedAtRuntime).toBeGreaterThan(50);
    // The VM keeps its stacks and scratch arena at their high-water mark (and batches keep their
    // attribute tables): the same round again must not need a byte more.
    const used = memoryStats().used;
    expect(round(0x0771, 2000)).toEqual(first);
    expect(memoryStats().used).toBe(used);
    expect(Array.from(ottl.evaluate('name == "db"', traces, { context: 'span' }).results)).toEqual([0, 1, 0]);
  });

  it('very long and deeply nested text fails with a limit, not a stack overflow', () => {
    expect(() => ottl.compile('not '.repeat(50_000) + 'true', { context: 'span' })).toThrow(OttlError);
    expect(() => ottl.compile('('.repeat(10_000), { context: 'span' })).toThrow('nesting deeper than 100 levels');
    expect(() => ottl.compile(`name == "${'x'.repeat(70_000)}"`, { context: 'span' })).toThrow(OttlError);
    const long = Array.from({ length: 2000 }, (_, i) => `name == "n${i}"`).join(' or ');
    expect(ottl.compile(long, { context: 'span' }).context).toBe('span');
    expect(() => ottl.compile(`Len(${'['.repeat(200)}1${']'.repeat(200)}) > 0`, { context: 'span' })).toThrow('nesting deeper than 100 levels');
  });
});
