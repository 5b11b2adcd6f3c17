// The benchmark inputs and competitors must be right before their timings mean anything: the corpus
// must be valid, realistic OTLP (checked with the independent oracle decoder, not with our own code),
// and every baseline must keep exactly the spans the shared rule keeps.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import oracleRoot from 'otlp-oracle/build/esm/generated/root.js';
import { describe, expect, it } from 'vitest';
import {
  SpanKind,
  StatusCode,
  TraceCorpusGenerator,
  createRng,
  encodeTraceRequest,
  generateTraceRequest,
  generateTraceRequestModels,
  generateTraceRequests,
  traceRequestToJson,
} from '../bench/corpus.js';
import { SpanTable, WireError, filterTraceRequest, indexTraceRequest } from '../bench/baselines/js-wire-walker.js';
import { keepRuleAccepts, keepRules } from '../bench/baselines/keep-rule.js';
import type { KeepRule } from '../bench/baselines/keep-rule.js';
import {
  aggregateWithProtobufjs,
  decodeWithProtobufjs,
  filterWithProtobufjs,
  pbSpanDurationNanos,
  pbTimeToNumber,
  predicateFromRule,
} from '../bench/baselines/protobufjs-pipeline.js';
import type { PbAnyValue, PbKeyValue, PbResourceSpans, PbScopeSpans, PbSpan } from '../bench/baselines/protobufjs-pipeline.js';

interface OracleRequestClass {
  decode(bytes: Uint8Array): { resourceSpans: PbResourceSpans[] };
}
const Oracle = (oracleRoot as unknown as { opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: OracleRequestClass } } } } } })
  .opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

const FIXTURES = join(import.meta.dirname, 'fixtures');
const hex = (b: Uint8Array | null) => (b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex') : '');
const text = new TextDecoder();

interface Flat {
  request: number;
  rs: PbResourceSpans;
  ss: PbScopeSpans;
  span: PbSpan;
}
function flatten(requests: Uint8Array[]): Flat[] {
  const out: Flat[] = [];
  requests.forEach((bytes, request) => {
    for (const rs of Oracle.decode(bytes).resourceSpans)
      for (const ss of rs.scopeSpans) for (const span of ss.spans) out.push({ request, rs, ss, span });
  });
  return out;
}
const attr = (attrs: PbKeyValue[] | undefined, key: string): PbAnyValue | undefined => attrs?.find((a) => a.key === key)?.value ?? undefined;
/** Span ids of a request, sorted and joined: one cheap string comparison instead of a deep Set equality. */
const idList = (items: Flat[]) => items.map((f) => hex(f.span.spanId)).sort().join(',');
const keptIds = (bytes: Uint8Array) => idList(flatten([bytes]));

// One corpus for the whole file: 12 requests × 512 spans, about 350 traces.
const OPTIONS = { seed: 7, requests: 12 };
const corpus = generateTraceRequests(OPTIONS);
const perRequest = corpus.map((bytes) => flatten([bytes]));
const spans = perRequest.flatMap((list, request) => list.map((f) => ({ ...f, request })));
const corpusBytes = corpus.reduce((n, b) => n + b.length, 0);

describe('corpus', () => {
  it('decodes with the oracle into exactly spansPerRequest spans per request', () => {
    expect(corpus).toHaveLength(12);
    for (const list of perRequest) expect(list).toHaveLength(512);
  });

  it('averages 600–700 protobuf bytes per span', () => {
    const perSpan = corpusBytes / spans.length;
    console.info(`corpus: ${spans.length} spans, ${corpusBytes} bytes, ${perSpan.toFixed(1)} bytes/span`);
    expect(perSpan).toBeGreaterThan(600);
    expect(perSpan).toBeLessThan(700);
  });

  it('gives every span 8–20 attributes of mixed types', () => {
    const types = new Set<string>();
    let total = 0;
    for (const { span } of spans) {
      expect(span.attributes.length).toBeGreaterThanOrEqual(8);
      expect(span.attributes.length).toBeLessThanOrEqual(20);
      total += span.attributes.length;
      for (const a of span.attributes) for (const k of Object.keys(a.value ?? {})) types.add(k);
    }
    expect([...types].sort()).toEqual(['arrayValue', 'boolValue', 'doubleValue', 'intValue', 'stringValue']);
    const mean = total / spans.length;
    expect(mean).toBeGreaterThan(12);
    expect(mean).toBeLessThan(16);
  });

  it('groups spans by resource, then scope, with full resource and scope identity', () => {
    for (const bytes of corpus) {
      const req = Oracle.decode(bytes);
      const instances = req.resourceSpans.map((rs) => attr(rs.resource?.attributes, 'service.instance.id')?.stringValue);
      expect(new Set(instances).size).toBe(instances.length);
      for (const rs of req.resourceSpans) {
        const keys = new Set(rs.resource?.attributes.map((a) => a.key));
        for (const k of ['service.name', 'service.version', 'service.namespace', 'host.name', 'k8s.pod.name', 'deployment.environment', 'telemetry.sdk.name', 'telemetry.sdk.language', 'telemetry.sdk.version'])
          expect(keys.has(k)).toBe(true);
        const scopes = rs.scopeSpans.map((ss) => `${ss.scope?.name}@${ss.scope?.version}`);
        expect(new Set(scopes).size).toBe(scopes.length);
        for (const ss of rs.scopeSpans) expect(ss.scope?.name).toBeTruthy();
      }
    }
    const services = new Set(spans.map((f) => attr(f.rs.resource?.attributes, 'service.name')?.stringValue));
    expect(services.size).toBe(10);
  });

  it('has every span kind, ~5% error traces with exception events', () => {
    const kinds = new Set(spans.map((f) => f.span.kind));
    expect([...kinds].sort()).toEqual([SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]);
    const traces = new Map<string, { error: boolean; exception: boolean }>();
    for (const { span } of spans) {
      const t = traces.get(hex(span.traceId)) ?? { error: false, exception: false };
      if (span.status?.code === StatusCode.ERROR) t.error = true;
      for (const e of span.events) {
        if (e.name !== 'exception') continue;
        t.exception = true;
        for (const k of ['exception.type', 'exception.message', 'exception.stacktrace']) expect(attr(e.attributes, k)?.stringValue).toBeTruthy();
      }
      traces.set(hex(span.traceId), t);
    }
    const errorTraces = [...traces.values()].filter((t) => t.error);
    const share = errorTraces.length / traces.size;
    console.info(`corpus: ${traces.size} traces, ${(spans.length / traces.size).toFixed(1)} spans/trace, error share ${(share * 100).toFixed(1)}%`);
    expect(share).toBeGreaterThan(0.025);
    expect(share).toBeLessThan(0.085);
    for (const t of errorTraces) expect(t.exception).toBe(true);
  });

  it('links parents within the trace: CLIENT→SERVER across services, PRODUCER→CONSUMER', () => {
    const byId = new Map<string, Flat>();
    for (const f of spans) byId.set(hex(f.span.spanId), f);
    expect(byId.size).toBe(spans.length);
    const service = (f: Flat) => attr(f.rs.resource?.attributes, 'service.name')?.stringValue;
    // Problems are collected rather than asserted one by one: thousands of expect() calls are slow.
    const problems: string[] = [];
    let roots = 0;
    for (const f of spans) {
      const s = f.span;
      const what = `${s.name} ${hex(s.spanId)}`;
      if (s.traceId?.length !== 16 || s.spanId?.length !== 8) problems.push(`${what}: id lengths`);
      if (pbSpanDurationNanos(s) < 0) problems.push(`${what}: negative duration`);
      if (!s.parentSpanId?.length) {
        roots++;
        if (s.kind !== SpanKind.SERVER) problems.push(`${what}: root is not SERVER`);
        continue;
      }
      const parent = byId.get(hex(s.parentSpanId));
      if (!parent) {
        problems.push(`${what}: parent missing`);
        continue;
      }
      if (hex(parent.span.traceId) !== hex(s.traceId)) problems.push(`${what}: parent in another trace`);
      if (s.kind === SpanKind.SERVER && (parent.span.kind !== SpanKind.CLIENT || service(parent) === service(f))) problems.push(`${what}: SERVER not under a remote CLIENT`);
      if (s.kind === SpanKind.CONSUMER && parent.span.kind !== SpanKind.PRODUCER) problems.push(`${what}: CONSUMER not under PRODUCER`);
      if (pbTimeToNumber(s.startTimeUnixNano) < pbTimeToNumber(parent.span.startTimeUnixNano)) problems.push(`${what}: starts before its parent`);
    }
    expect(problems).toEqual([]);
    expect(roots).toBeGreaterThan(200);
    // Every CLIENT span either reaches one of our services or is a leaf (database, external API).
    const db = spans.filter((f) => attr(f.span.attributes, 'db.system'));
    expect(db.length).toBeGreaterThan(500);
    for (const f of db) {
      expect(f.span.kind).toBe(SpanKind.CLIENT);
      expect(attr(f.span.attributes, 'db.name')?.stringValue).toBeTruthy();
      expect(attr(f.span.attributes, 'db.namespace')?.stringValue).toBeTruthy();
    }
  });

  it('splits some traces across consecutive requests and closes them all by the end', () => {
    const requestsOf = new Map<string, Set<number>>();
    for (const f of spans) {
      const id = hex(f.span.traceId);
      requestsOf.set(id, (requestsOf.get(id) ?? new Set()).add(f.request));
    }
    const split = [...requestsOf.values()].filter((r) => r.size > 1);
    expect(split.length).toBeGreaterThan(0);
    for (const r of split) {
      const [a, b] = [...r].sort((x, y) => x - y);
      expect(r.size).toBe(2);
      expect(b! - a!).toBe(1);
    }
  });

  it('has events, ~3% linked spans, semantic attributes and PII for redaction tests', () => {
    const withLinks = spans.filter((f) => f.span.links.length > 0).length / spans.length;
    expect(withLinks).toBeGreaterThan(0.01);
    expect(withLinks).toBeLessThan(0.06);
    expect(spans.filter((f) => f.span.events.length > 0).length).toBeGreaterThan(100);
    const keys = new Set(spans.flatMap((f) => f.span.attributes.map((a) => a.key)));
    for (const k of ['http.request.method', 'http.route', 'url.full', 'http.response.status_code', 'server.address', 'net.peer.port', 'rpc.system', 'rpc.service', 'rpc.method', 'messaging.system', 'messaging.destination.name', 'user.id', 'user.email', 'enduser.id', 'client.address'])
      expect(keys.has(k), k).toBe(true);
    const strings = spans.flatMap((f) => f.span.attributes.map((a) => a.value?.stringValue ?? ''));
    expect(strings.some((s) => /\?.*=/.test(s) && s.startsWith('https://'))).toBe(true);
    expect(strings.some((s) => /(^|\D)(4111111111111111|5555555555554444|378282246310005|6011111111111117|4012888888881881)(\D|$)/.test(s))).toBe(true);
    expect(strings.some((s) => /^[\w.+-]+@[\w.-]+\.[a-z]+$/.test(s))).toBe(true);
  });

  it('uses nanosecond times near the fixed base time', () => {
    const base = 1_717_200_000_000_000_000n;
    for (const { span } of spans) {
      const start = BigInt(String(span.startTimeUnixNano));
      expect(start >= base && start < base + 3_600_000_000_000n).toBe(true);
    }
  });

  it('is deterministic: same seed, same bytes; other seed, other bytes', () => {
    const again = generateTraceRequests(OPTIONS);
    expect(again.map((b) => Buffer.from(b).toString('base64'))).toEqual(corpus.map((b) => Buffer.from(b).toString('base64')));
    const other = generateTraceRequests({ ...OPTIONS, seed: 8, requests: 1 });
    expect(Buffer.compare(other[0]!, corpus[0]!)).not.toBe(0);
    const one = generateTraceRequest(createRng(3), { spansPerRequest: 100 });
    expect(Buffer.compare(one, generateTraceRequest(createRng(3), { spansPerRequest: 100 }))).toBe(0);
    expect(flatten([one])).toHaveLength(100);
  });

  it('encodes its model to the same bytes and converts it to matching OTLP/JSON', () => {
    const models = generateTraceRequestModels({ ...OPTIONS, requests: 2 });
    expect(Buffer.compare(encodeTraceRequest(models[0]!), corpus[0]!)).toBe(0);
    const json = traceRequestToJson(models[0]!) as {
      resourceSpans: { scopeSpans: { spans: { spanId: string; name: string; startTimeUnixNano: string; attributes: unknown[]; flags?: number }[] }[] }[];
    };
    const jsonSpans = json.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    const decoded = perRequest[0]!;
    expect(jsonSpans.map((s) => [s.spanId, s.name, s.startTimeUnixNano, s.attributes.length])).toEqual(
      decoded.map((f) => [hex(f.span.spanId), f.span.name, String(f.span.startTimeUnixNano), f.span.attributes.length]),
    );
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('honours services and validates options', () => {
    const single = flatten(generateTraceRequests({ services: 1, requests: 1, spansPerRequest: 50 }));
    expect(new Set(single.map((f) => attr(f.rs.resource?.attributes, 'service.name')?.stringValue))).toEqual(new Set(['frontend']));
    const many = flatten(generateTraceRequests({ services: 14, requests: 2 }));
    const names = new Set(many.map((f) => attr(f.rs.resource?.attributes, 'service.name')?.stringValue));
    expect(names.has('ad')).toBe(true);
    expect(names.has('inventory-1')).toBe(true);
    expect(() => new TraceCorpusGenerator({ spansPerRequest: 0 })).toThrow(RangeError);
    expect(() => new TraceCorpusGenerator({ errorRate: 2 })).toThrow(/errorRate/);
  });
});

describe('js wire walker', () => {
  const table = new SpanTable();

  it('indexes what the oracle decodes', () => {
    const fnv = (key: string) => {
      let h = 0x811c9dc5;
      for (const c of Buffer.from(key)) h = Math.imul(h ^ c, 0x01000193);
      return h >>> 0;
    };
    corpus.forEach((bytes, r) => {
      indexTraceRequest(bytes, table);
      const decoded = perRequest[r]!;
      expect(table.spanCount).toBe(decoded.length);
      const id = (off: number, n: number) => (off < 0 ? '' : hex(bytes.subarray(off, off + n)));
      const actual: string[] = [];
      const expected: string[] = [];
      decoded.forEach(({ span }, i) => {
        const a = table.attrFirst[i]!;
        const key = text.decode(bytes.subarray(table.attrKeyOffset[a]!, table.attrKeyOffset[a]! + table.attrKeyLength[a]!));
        actual.push([
          id(table.traceId[i]!, 16), id(table.spanId[i]!, 8), id(table.parentSpanId[i]!, 8),
          text.decode(bytes.subarray(table.nameOffset[i]!, table.nameOffset[i]! + table.nameLength[i]!)),
          table.kind[i], table.statusCode[i],
          (table.endHi[i]! - table.startHi[i]!) * 2 ** 32 + (table.endLo[i]! - table.startLo[i]!),
          table.attrCount[i], table.eventCount[i], table.linkCount[i], key, table.attrKeyHash[a],
        ].join('|'));
        expected.push([
          hex(span.traceId), hex(span.spanId), hex(span.parentSpanId), span.name, span.kind, span.status?.code ?? 0,
          pbSpanDurationNanos(span), span.attributes.length, span.events.length, span.links.length,
          span.attributes[0]!.key, fnv(span.attributes[0]!.key!),
        ].join('|'));
      });
      expect(actual.join('\n')).toBe(expected.join('\n'));
    });
  });

  it('reads Span.flags, which the oracle cannot see', () => {
    indexTraceRequest(corpus[0]!, table);
    const expected = perRequest[0]!.map(({ span }) => {
      const remote = span.kind === SpanKind.SERVER ? (span.parentSpanId?.length ?? 0) > 0 : span.kind === SpanKind.CONSUMER;
      return remote ? 0x301 : 0x101;
    });
    expect([...table.flags.subarray(0, table.spanCount)]).toEqual(expected);
  });

  const rules: [string, KeepRule][] = [
    ...Object.entries(keepRules),
    ['errors or 1 in 8', { keepErrors: true, minDurationNanos: Infinity, traceIdByteIndex: 0, traceIdByteBelow: 32 }],
    ['slow only', { keepErrors: false, minDurationNanos: 5_000_000, traceIdByteIndex: 15, traceIdByteBelow: 0 }],
  ];
  it.each(rules)('filters like protobufjs and the reference rule: %s', (_name, rule) => {
    const predicate = predicateFromRule(rule);
    const stats = { spansIn: 0, spansKept: 0 };
    corpus.forEach((bytes, r) => {
      const keep = perRequest[r]!.filter(({ span }) =>
        keepRuleAccepts(rule, span.status?.code ?? 0, pbSpanDurationNanos(span), span.traceId?.[rule.traceIdByteIndex] ?? -1),
      );
      const expected = idList(keep);
      const walked = filterTraceRequest(bytes, rule, stats);
      expect(stats.spansIn).toBe(512);
      expect(stats.spansKept).toBe(keep.length);
      expect(keptIds(walked)).toEqual(expected);
      expect(keptIds(filterWithProtobufjs(bytes, predicate))).toEqual(expected);
      if (rule === keepRules.all) expect(Buffer.compare(walked, bytes)).toBe(0);
      else {
        // No empty scope or resource survives.
        const empty = Oracle.decode(walked).resourceSpans.filter((rs) => rs.scopeSpans.length === 0 || rs.scopeSpans.some((ss) => ss.spans.length === 0));
        expect(empty).toHaveLength(0);
      }
      if (rule === keepRules.none) expect(walked).toHaveLength(0);
    });
  });

  it('keeps the shares the benchmarks expect', () => {
    const share = (rule: KeepRule) => {
      const stats = { spansIn: 0, spansKept: 0 };
      let kept = 0;
      for (const bytes of corpus) {
        filterTraceRequest(bytes, rule, stats);
        kept += stats.spansKept;
      }
      return kept / spans.length;
    };
    expect(share(keepRules.halfByTraceId)).toBeGreaterThan(0.4);
    expect(share(keepRules.halfByTraceId)).toBeLessThan(0.6);
    expect(share(keepRules.errorsOrSlow)).toBeGreaterThan(0.01);
    expect(share(keepRules.errorsOrSlow)).toBeLessThan(0.1);
  });

  it('splices unknown fields and flags through untouched', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'edge/unknown-fields.pb')));
    expect(Buffer.compare(filterTraceRequest(bytes, keepRules.all), bytes)).toBe(0);
    // Keep the 2 µs span, drop its 1 µs sibling: every unknown field outside the sibling survives.
    const out = filterTraceRequest(bytes, { ...keepRules.none, minDurationNanos: 1500 });
    expect(flatten([out])).toHaveLength(1);
    const s = Buffer.from(out).toString('latin1');
    for (const base of [100, 150, 200, 250, 300, 310, 320, 400, 450, 500, 600, 700, 710, 800, 810, 820, 900, 910, 1000, 1010, 1100, 1110, 536870908, 17, 19])
      expect(s.includes(`unknown@${base + 2}`) || s.includes(`unknown@${base}`), String(base)).toBe(true);
    indexTraceRequest(out, table);
    expect(table.flags[0]).toBe(0x301);
  });

  it('rewrites non-canonical enclosing lengths and drops emptied containers', () => {
    const nc = new Uint8Array(readFileSync(join(FIXTURES, 'edge/non-canonical.pb')));
    const out = filterTraceRequest(nc, keepRules.all);
    expect(out.length).toBeLessThan(nc.length);
    expect(flatten([out]).map((f) => f.span.name)).toEqual(['final name']);
    const structure = new Uint8Array(readFileSync(join(FIXTURES, 'edge/structure.pb')));
    const kept = flatten([filterTraceRequest(structure, keepRules.all)]);
    expect(kept.map((f) => f.span.name)).toEqual(flatten([structure]).filter((f) => f.span.traceId?.length === 16).map((f) => f.span.name));
  });

  it('throws WireError, never anything else, on truncated or corrupted input', () => {
    const rng = createRng(99);
    const src = generateTraceRequest(createRng(5), { spansPerRequest: 20 });
    let errors = 0;
    for (let i = 0; i < 400; i++) {
      const bytes = i % 2 ? src.slice(0, rng.int(src.length)) : src.slice();
      if (i % 2 === 0) for (let k = 0; k < 3; k++) bytes[rng.int(bytes.length)] = rng.u32() & 0xff;
      for (const run of [() => indexTraceRequest(bytes, table), () => filterTraceRequest(bytes, keepRules.errorsOrSlow)]) {
        try {
          run();
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
          errors++;
        }
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('enforces the AnyValue nesting limit', () => {
    expect(indexTraceRequest(new Uint8Array(readFileSync(join(FIXTURES, 'edge/nesting-64.pb'))), table).spanCount).toBe(1);
    expect(() => indexTraceRequest(new Uint8Array(readFileSync(join(FIXTURES, 'edge/nesting-200.pb'))), table)).toThrow(/nesting deeper than 64/);
  });
});

describe('protobufjs pipeline', () => {
  it('aggregates every span once, with durations', () => {
    const agg = new Map();
    for (const bytes of corpus) aggregateWithProtobufjs(bytes, agg);
    const series = [...agg.values()];
    expect(series.reduce((n, s) => n + s.count, 0)).toBe(spans.length);
    const total = spans.reduce((n, f) => n + pbSpanDurationNanos(f.span), 0);
    expect(series.reduce((n, s) => n + s.durationSumNanos, 0)).toBe(total);
    expect(series.some((s) => s.service === 'checkout' && s.kind === SpanKind.PRODUCER)).toBe(true);
    expect(series.some((s) => s.statusCode === StatusCode.ERROR)).toBe(true);
  });

  it('loses Span.flags: its schema predates them', () => {
    const table = indexTraceRequest(filterWithProtobufjs(corpus[0]!, predicateFromRule(keepRules.all)));
    expect(table.spanCount).toBe(512);
    expect(table.flags.subarray(0, 512).every((f) => f === 0)).toBe(true);
    expect(decodeWithProtobufjs(corpus[0]!).resourceSpans.length).toBeGreaterThan(0);
  });
});

describe('fixtures', () => {
  const pbFiles = (dir: string) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.pb')).sort();

  it.each(['edge', 'sdk'])('%s/*.pb all decode with the oracle', (dir) => {
    expect(pbFiles(dir).length).toBeGreaterThan(2);
    for (const f of pbFiles(dir)) expect(() => Oracle.decode(readFileSync(join(FIXTURES, dir, f))), f).not.toThrow();
  });

  it('sdk .pb and .json describe the same spans', () => {
    for (const f of pbFiles('sdk')) {
      const pb = flatten([new Uint8Array(readFileSync(join(FIXTURES, 'sdk', f)))]);
      const json = JSON.parse(readFileSync(join(FIXTURES, 'sdk', f.replace(/\.pb$/, '.json')), 'utf8')) as {
        resourceSpans: { scopeSpans: { spans: { spanId: string; name: string; kind: number; attributes: unknown[]; flags: number }[] }[] }[];
      };
      const js = json.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
      expect(js.map((s) => [s.spanId, s.name, s.kind, s.attributes.length])).toEqual(
        pb.map((p) => [hex(p.span.spanId), p.span.name, p.span.kind, p.span.attributes.length]),
      );
      const table = indexTraceRequest(new Uint8Array(readFileSync(join(FIXTURES, 'sdk', f))));
      expect([...table.flags.subarray(0, table.spanCount)]).toEqual(js.map((s) => s.flags));
    }
  });

  it('the SDK shop fixture covers resources, scopes, kinds, events, links and statuses', () => {
    const shop = flatten([new Uint8Array(readFileSync(join(FIXTURES, 'sdk/shop.pb')))]);
    expect(new Set(shop.map((f) => f.rs)).size).toBe(3);
    expect(new Set(shop.map((f) => f.ss)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(shop.map((f) => f.span.kind))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(shop.some((f) => f.span.links.length > 0 && f.span.events.length === 0)).toBe(true);
    expect(shop.some((f) => f.span.events.some((e) => e.name === 'exception'))).toBe(true);
    expect(new Set(shop.map((f) => f.span.status?.code ?? 0))).toEqual(new Set([0, 1, 2]));
  });

  it('scripts reproduce the checked-in bytes', () => {
    const out = mkdtempSync(join(tmpdir(), 'otel-sieve-fixtures-'));
    try {
      for (const [script, dir] of [['make-sdk-fixtures.mjs', 'sdk'], ['make-edge-fixtures.mjs', 'edge']] as const) {
        execFileSync(process.execPath, [join(FIXTURES, script), '--out', join(out, dir)], { stdio: 'pipe' });
        const made = readdirSync(join(out, dir)).sort();
        expect(made).toEqual(readdirSync(join(FIXTURES, dir)).sort());
        for (const f of made) expect(Buffer.compare(readFileSync(join(out, dir, f)), readFileSync(join(FIXTURES, dir, f))), `${dir}/${f}`).toBe(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
