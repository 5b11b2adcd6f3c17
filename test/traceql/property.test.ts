// Property tests: the core evaluator and the plain reference evaluator (reference.ts) agree on
// random queries over random traces — field expressions with every operator, scope, type and
// array shape, event/link bindings, and structural operators; runtime errors agree too.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch, traceql, TraceQLError } from 'otel-sieve';
import { encodeJsonTraces } from './fixture.js';
import { referenceSpans, spanMatches, structural, RuntimeError } from './reference.js';
import type { RSpan } from './reference.js';
import { rng } from '../helpers/rng.js';

const KEYS = ['a', 'b', 'c.d'];
const STRS = ['x', 'y', 'xy', '', 'X'];
type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function randValue(r: R): Record<string, unknown> {
  const k = r();
  if (k < 0.3) return { stringValue: pick(r, STRS) };
  if (k < 0.55) return { intValue: String(Math.floor(r() * 7) - 2) };
  if (k < 0.7) return { doubleValue: pick(r, [0.5, 1, 2.5, -1, 3]) };
  if (k < 0.8) return { boolValue: r() < 0.5 };
  if (k < 0.95) {
    const n = Math.floor(r() * 4);
    const kind = r();
    const el = () => (kind < 0.4 ? { stringValue: pick(r, STRS) } : kind < 0.8 ? { intValue: String(Math.floor(r() * 5)) } : { boolValue: r() < 0.5 });
    return { arrayValue: { values: Array.from({ length: n }, el) } };
  }
  return { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } };
}

function randAttrs(r: R, max: number): unknown[] {
  const out: unknown[] = [];
  for (const key of KEYS) if (r() < max) out.push({ key, value: randValue(r) });
  return out;
}

const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');

function randRequest(r: R, seed: number): unknown {
  const resourceSpans: unknown[] = [];
  let spanNo = 1;
  for (let t = 0; t < 6; t++) {
    const traceId = hex(seed * 100 + t + 1, 32);
    const ids: string[] = [];
    const spans: unknown[] = [];
    const n = 1 + Math.floor(r() * 7);
    for (let i = 0; i < n; i++) {
      const id = hex(spanNo++, 16);
      const parent = i === 0 ? '' : r() < 0.1 ? 'ffffffffffffff00' : r() < 0.15 ? '' : pick(r, ids);
      ids.push(id);
      const start = 1_700_000_000_000_000_000n + BigInt(Math.floor(r() * 1000)) * 1_000_000n;
      spans.push({
        traceId, spanId: id, ...(parent ? { parentSpanId: parent } : {}),
        name: pick(r, ['GET', 'POST', 'db', 'x']), kind: Math.floor(r() * 6),
        startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt(Math.floor(r() * 5)) * 1_000_000n),
        status: { code: Math.floor(r() * 3) },
        attributes: randAttrs(r, 0.6),
        events: Array.from({ length: Math.floor(r() * 3) }, () => ({ name: pick(r, ['e1', 'e2']), timeUnixNano: String(start), attributes: randAttrs(r, 0.5) })),
        links: Array.from({ length: Math.floor(r() * 2) }, () => ({ traceId, spanId: pick(r, ids), attributes: randAttrs(r, 0.5) })),
      });
    }
    resourceSpans.push({ resource: { attributes: randAttrs(r, 0.5) }, scopeSpans: [{ scope: { name: pick(r, ['s1', 's2']), attributes: randAttrs(r, 0.3) }, spans }] });
  }
  return { resourceSpans };
}

function randOperand(r: R): string {
  const k = r();
  if (k < 0.55) return `${pick(r, ['span.', 'resource.', '.', 'event.', 'link.', 'instrumentation.'])}${pick(r, KEYS)}`;
  if (k < 0.75) return pick(r, ['name', 'duration', 'status', 'kind', 'event:name', 'instrumentation:name', 'span:statusMessage']);
  return randLiteral(r);
}

function randLiteral(r: R): string {
  return pick(r, ['"x"', '"y"', '""', '1', '0', '-1', '2', '2.5', '0.5', 'true', 'false', 'nil', 'error', 'ok', 'server', 'client', '1ms', '3ms', '"GET"', '"e1"']);
}

function randExpr(r: R, depth: number): string {
  const k = r();
  if (depth > 2 || k < 0.45) {
    const op = pick(r, ['=', '!=', '<', '<=', '>', '>=', '=~', '!~', '=', '!=']);
    if (op === '=~' || op === '!~') return `${randOperand(r)} ${op} "${pick(r, ['x.*', 'x|y', '', '.*', 'G.*', '[xy]+', '(?i)x'])}"`;
    if (r() < 0.15) return `${randOperand(r)} ${pick(r, ['+', '-', '*', '/'])} ${pick(r, ['1', '2', '0.5'])} ${op} ${randLiteral(r)}`;
    return `${randOperand(r)} ${op} ${randOperand(r)}`;
  }
  if (k < 0.6) return `(${randExpr(r, depth + 1)})`;
  if (k < 0.7) return `!(${randExpr(r, depth + 1)})`;
  return `${randExpr(r, depth + 1)} ${pick(r, ['&&', '||'])} ${randExpr(r, depth + 1)}`;
}

type Outcome = string[] | 'runtime-error';

function engine(q: string, batches: TraceBatch[]): Outcome | null {
  let c;
  try {
    c = traceql.compile(q);
  } catch (e) {
    if (e instanceof TraceQLError) return null; // the generator wrote something Tempo rejects
    throw e;
  }
  try {
    return c.spansets(batches).flatMap((s) => s.spanIds.map((id) => `${s.traceId}/${id}`)).sort();
  } catch (e) {
    if (e instanceof TraceQLError && e.stage === 'runtime') return 'runtime-error';
    throw e;
  }
}

function referenceFilter(q: string, spans: RSpan[]): Set<RSpan> | 'runtime-error' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const parsed: any = traceql.parse(q);
  const expr = parsed.root.elements[0].expr;
  try {
    return new Set(spans.filter((s) => spanMatches(expr, s.view)));
  } catch (e) {
    if (e instanceof RuntimeError) return 'runtime-error';
    throw e;
  }
}

let batches: TraceBatch[][] = [];
beforeAll(async () => {
  await init();
  batches = [1, 2, 3, 4].map((seed) => {
    const r = rng(seed);
    return [TraceBatch.fromProtobuf(encodeJsonTraces(randRequest(r, seed) as Record<string, unknown>)), TraceBatch.fromProtobuf(encodeJsonTraces(randRequest(r, seed + 50) as Record<string, unknown>))];
  });
});

describe('core evaluator = reference evaluator', () => {
  it('field expressions on random traces (1 500 queries)', () => {
    const r = rng(7);
    let compared = 0;
    const diffs: string[] = [];
    for (let k = 0; k < 1500; k++) {
      const q = `{ ${randExpr(r, 0)} }`;
      const bs = batches[k % batches.length]!;
      const got = engine(q, bs);
      if (got === null) continue;
      const spans = referenceSpans(bs);
      const ref = referenceFilter(q, spans);
      const want = ref === 'runtime-error' ? ref : [...ref].map((s) => s.key).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${q}: engine ${JSON.stringify(got)} reference ${JSON.stringify(want)}`);
      compared++;
    }
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(800);
  });

  it('structural operators on random trees (all 15 operators)', () => {
    const r = rng(11);
    const ops = ['>', '<', '>>', '<<', '~', '!>', '!<', '!>>', '!<<', '!~', '&>', '&<', '&>>', '&<<', '&~'];
    const diffs: string[] = [];
    let compared = 0;
    for (let k = 0; k < 300; k++) {
      const fl = pick(r, ['{ }', '{ kind = server }', '{ status = error }', '{ name = "GET" }', '{ span.a != nil }', '{ kind = client || kind = internal }']);
      const fr = pick(r, ['{ }', '{ status != ok }', '{ name = "db" }', '{ kind = client }', '{ .b = nil }']);
      const op = pick(r, ops);
      const q = `${fl} ${op} ${fr}`;
      const bs = batches[k % batches.length]!;
      const got = engine(q, bs);
      if (got === null || got === 'runtime-error') continue;
      const spans = referenceSpans(bs);
      const L = referenceFilter(fl, spans) as Set<RSpan>;
      const R = referenceFilter(fr, spans) as Set<RSpan>;
      const byTrace = new Map<string, RSpan[]>();
      for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
      const want: string[] = [];
      for (const trace of byTrace.values()) {
        const l = new Set(trace.filter((s) => L.has(s)));
        const rr = new Set(trace.filter((s) => R.has(s)));
        for (const s of structural(op, trace, l, rr)) want.push(s.key);
      }
      want.sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${q}: engine ${got.length} ${JSON.stringify(got)} reference ${JSON.stringify(want)}`);
      compared++;
    }
    expect(diffs.slice(0, 3)).toEqual([]);
    expect(compared).toBeGreaterThan(250);
  });
});
