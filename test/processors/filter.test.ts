// The filter processor on traces (collector reference §6): any true condition drops the item;
// span, spanevent, resource and scope groups; context inference for trace_conditions (one group
// per list of strings, the highest context it names); error_mode; empty scopes and resources
// dropped; otel-sieve's traceql drop (+ whole_traces); fused with other editing processors into
// one splice. Inputs are encoded and outputs decoded with the independent oracle; kept spans must
// come out byte for byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, TraceBatch, OttlRuntimeError, memoryStats } from 'otel-sieve';
import { buildRequest, plainAttrs } from '../helpers/build-request.js';
import type { ResourceSpec } from '../helpers/build-request.js';
import { decodeTraces, toHex } from '../helpers/oracle.js';
import { pipelineWith, drain } from '../helpers/pipeline.js';
import { spanMessages } from '../helpers/span-bytes.js';
import { generateTraceRequests } from '../../bench/corpus.js';

beforeAll(async () => {
  await init();
});

const input: ResourceSpec[] = [
  {
    attrs: { 'service.name': 'shop', env: 'prod' },
    scope: 'http',
    spans: [
      { trace: 'a1', name: 'GET /health', kind: 2, attrs: { 'http.response.status_code': 200 }, events: [{ name: 'log', attrs: { level: 'debug' } }] },
      {
        trace: 'a1',
        name: 'GET /users',
        kind: 2,
        status: 2,
        attrs: { 'http.response.status_code': 500 },
        events: [{ name: 'exception', attrs: { 'exception.message': 'boom' } }, { name: 'log', attrs: { level: 'debug' } }, { name: 'log', attrs: { level: 'info' } }],
      },
      { trace: 'a2', name: 'SELECT', kind: 3, attrs: { 'db.system': 'postgresql' }, events: [{ name: 'log', attrs: { level: 'debug' } }] },
    ],
  },
  {
    attrs: { 'service.name': 'cart', env: 'dev' },
    scope: 'grpc',
    spans: [
      { trace: 'b1', span: '00000000000000b1', name: 'GetCart', kind: 2, attrs: { 'rpc.grpc.status_code': 0 } },
      { trace: 'b1', name: 'redis GET', kind: 3, parent: '00000000000000b1', attrs: { 'db.system': 'redis' } },
    ],
  },
];

interface Run {
  bytes: Uint8Array;
  out: Uint8Array;
  /** Kept span names in wire order, each with its event names. */
  spans: string[];
  /** Resources left, by service.name. */
  services: string[];
  counters: Record<string, unknown>;
}

function run(processors: Record<string, unknown>, resources: ResourceSpec[] = input, order?: string[]): Run {
  const bytes = buildRequest(resources);
  const p = pipelineWith(processors, order);
  const out = drain(p.process(TraceBatch.fromProtobuf(bytes), 0));
  const req = decodeTraces(out);
  const spans: string[] = [];
  const services: string[] = [];
  for (const rs of req.resourceSpans ?? []) {
    services.push(String(plainAttrs(rs.resource?.attributes)['service.name']));
    expect(rs.scopeSpans?.length ?? 0).toBeGreaterThan(0);
    for (const ss of rs.scopeSpans ?? []) {
      expect(ss.spans?.length ?? 0).toBeGreaterThan(0);
      for (const s of ss.spans ?? []) spans.push(`${s.name}${s.events?.length ? `[${s.events.map((e: { name: string }) => e.name).join(',')}]` : ''}`);
    }
  }
  return { bytes, out, spans, services, counters: p.counters() as Record<string, unknown> };
}

/** Every span that kept all its events must be byte-identical to its input bytes. */
function expectUntouchedSpansIdentical(r: Run, changed: number): void {
  const inSpans = new Set(spanMessages(r.bytes));
  const outSpans = spanMessages(r.out);
  expect(outSpans.filter((s) => !inSpans.has(s)).length).toBe(changed);
}

describe('span conditions', () => {
  it('drop the spans any condition matches; the rest come out byte for byte', () => {
    const r = run({ filter: { traces: { span: ['name == "GET /health"', 'attributes["db.system"] == "redis"'] } } });
    expect(r.spans).toEqual(['GET /users[exception,log,log]', 'SELECT[log]', 'GetCart']);
    expectUntouchedSpansIdentical(r, 0);
    expect(r.counters['traces/filter']).toEqual({ 'spans.filtered': 2, 'spanevents.filtered': 0, condition_errors: 0 });
  });
  it('drop scopes and resources left empty', () => {
    const r = run({ filter: { traces: { span: ['resource.attributes["service.name"] == "cart"'] } } });
    expect(r.services).toEqual(['shop']);
    expect(r.spans).toEqual(['GET /health[log]', 'GET /users[exception,log,log]', 'SELECT[log]']);
  });
  it('return nothing when every span is dropped', () => {
    const p = pipelineWith({ filter: { traces: { span: ['true'] } } });
    expect(p.process(TraceBatch.fromProtobuf(buildRequest(input)), 0)).toEqual([]);
  });
  it('pass the batch untouched when nothing matches', () => {
    const r = run({ filter: { traces: { span: ['name == "nope"'] } } });
    expect(Buffer.from(r.out).equals(Buffer.from(r.bytes))).toBe(true);
  });
  it('work span by span, not on whole traces: a dropped parent leaves its children', () => {
    const r = run({ filter: { traces: { span: ['kind == SPAN_KIND_SERVER and status.code == STATUS_CODE_ERROR'] } } });
    expect(r.spans).toEqual(['GET /health[log]', 'SELECT[log]', 'GetCart', 'redis GET']);
  });
});

describe('spanevent conditions', () => {
  it('drop events from kept spans; a span whose events all go stays', () => {
    const r = run({ filter: { traces: { spanevent: ['name == "log" and attributes["level"] == "debug"'] } } });
    expect(r.spans).toEqual(['GET /health', 'GET /users[exception,log]', 'SELECT', 'GetCart', 'redis GET']);
    // the three spans that lost events are re-encoded; the two others are byte-identical
    expectUntouchedSpansIdentical(r, 3);
    expect(r.counters['traces/filter']).toMatchObject({ 'spans.filtered': 0, 'spanevents.filtered': 3 });
    const spans = decodeTraces(r.out).resourceSpans[0].scopeSpans[0].spans;
    expect(plainAttrs(spans[1].events[1].attributes)).toEqual({ level: 'info' });
    expect(plainAttrs(spans[1].attributes)).toEqual({ 'http.response.status_code': 500n });
    expect(toHex(spans[1].spanId)).toBe(toHex(decodeTraces(r.bytes).resourceSpans[0].scopeSpans[0].spans[1].spanId));
  });
  it('are not evaluated on the events of dropped spans', () => {
    // The event condition fails on every event it sees (propagate would throw): only the events of
    // the span that stays are evaluated.
    const r = run({ filter: { error_mode: 'ignore', traces: { span: ['name != "SELECT"'], spanevent: ['attributes["level"] + 1 > 0'] } } });
    expect(r.spans).toEqual(['SELECT[log]']);
    expect(r.counters['traces/filter']).toEqual({ 'spans.filtered': 4, 'spanevents.filtered': 0, condition_errors: 1 });
  });
  it('can read the span, its resource and scope', () => {
    const r = run({ filter: { traces: { spanevent: ['span.name == "GET /users" and resource.attributes["env"] == "prod" and instrumentation_scope.name == "http"'] } } });
    expect(r.spans).toEqual(['GET /health[log]', 'GET /users', 'SELECT[log]', 'GetCart', 'redis GET']);
  });
});

describe('resource and scope conditions', () => {
  it('a resource condition drops the whole resource', () => {
    const r = run({ filter: { traces: { resource: ['attributes["env"] == "dev"'] } } });
    expect(r.services).toEqual(['shop']);
    expect(r.counters['traces/filter']).toMatchObject({ 'spans.filtered': 2 });
  });
  it('a scope condition (inferred from scope paths) drops the scope', () => {
    const r = run({ filter: { trace_conditions: ['scope.name == "grpc"'] } });
    expect(r.services).toEqual(['shop']);
  });
  it('groups run resource, then span, then spanevent', () => {
    const r = run({ filter: { traces: { resource: ['attributes["env"] == "dev"'], span: ['name == "SELECT"'], spanevent: ['name == "log"'] } } });
    expect(r.spans).toEqual(['GET /health', 'GET /users[exception]']);
  });
});

describe('trace_conditions: context inference', () => {
  it('a list of strings is one group in the highest context it names', () => {
    // spanevent outranks span: both conditions are evaluated per event, so the span named
    // "GET /health" loses its events but stays
    const r = run({ filter: { trace_conditions: ['span.name == "GET /health"', 'spanevent.name == "exception"'] } });
    expect(r.spans).toEqual(['GET /health', 'GET /users[log,log]', 'SELECT[log]', 'GetCart', 'redis GET']);
  });
  it('span paths alone infer the span context', () => {
    const r = run({ filter: { trace_conditions: ['span.name == "GET /health"', 'resource.attributes["env"] == "dev"'] } });
    expect(r.spans).toEqual(['GET /users[exception,log,log]', 'SELECT[log]']);
  });
  it('groups with an explicit context take unqualified or qualified paths', () => {
    const r = run({
      filter: {
        trace_conditions: [
          { context: 'span', conditions: ['name == "GET /health"', 'span.name == "GetCart"'] },
          { context: 'spanevent', conditions: ['name == "log"'] },
        ],
      },
    });
    expect(r.spans).toEqual(['GET /users[exception]', 'SELECT', 'redis GET']);
  });
  it('an inferred group falls back to a context that has the converter it calls', () => {
    // IsRootSpan exists only for spans: resource paths alone would infer resource
    const r = run({ filter: { trace_conditions: ['resource.attributes["env"] == "dev" and IsRootSpan()'] } });
    expect(r.spans).toEqual(['GET /health[log]', 'GET /users[exception,log,log]', 'SELECT[log]', 'redis GET']);
  });
});

describe('error_mode', () => {
  const failing = { traces: { span: ['attributes["http.response.status_code"] + 1 > 300'] } };
  it('ignore (the default): a failed condition is false, counted, and the rest still run', () => {
    const r = run({ filter: failing });
    // status 500 is dropped; spans without the attribute fail (nil + 1) and stay
    expect(r.spans).toEqual(['GET /health[log]', 'SELECT[log]', 'GetCart', 'redis GET']);
    expect(r.counters['traces/filter']).toEqual({ 'spans.filtered': 1, 'spanevents.filtered': 0, condition_errors: 3 });
  });
  it('silent behaves as ignore', () => {
    expect(run({ filter: { ...failing, error_mode: 'silent' } }).spans).toEqual(['GET /health[log]', 'SELECT[log]', 'GetCart', 'redis GET']);
  });
  it('propagate: the batch fails with the condition, the item and the position; nothing leaks', () => {
    const p = pipelineWith({ filter: { ...failing, error_mode: 'propagate' } });
    const bytes = buildRequest(input);
    let error: unknown;
    try {
      p.process(TraceBatch.fromProtobuf(bytes), 0);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OttlRuntimeError);
    const e = error as OttlRuntimeError;
    expect(e.message).toBe(`filter: failed to eval condition "attributes[\\"http.response.status_code\\"] + 1 > 300" on span 2: line 1, column 41: ${e.reason}`);
    const used = memoryStats().used;
    for (let i = 0; i < 3; i++) expect(() => p.process(TraceBatch.fromProtobuf(bytes), 0)).toThrow(OttlRuntimeError);
    expect(memoryStats().used).toBe(used);
  });
  it('a group error_mode overrides the top-level one', () => {
    const r = run({ filter: { error_mode: 'propagate', trace_conditions: [{ context: 'span', error_mode: 'ignore', conditions: failing.traces.span }] } });
    expect(r.counters['traces/filter']).toMatchObject({ condition_errors: 3 });
  });
});

describe('traceql (otel-sieve extension)', () => {
  it('drops the spans a TraceQL search selects', () => {
    const r = run({ filter: { traceql: '{ span.http.response.status_code >= 500 || span.db.system = "redis" }' } });
    expect(r.spans).toEqual(['GET /health[log]', 'SELECT[log]', 'GetCart']);
    expectUntouchedSpansIdentical(r, 0);
  });
  it('with whole_traces, drops every span of the traces it selects', () => {
    const r = run({ filter: { traceql: '{ status = error }', whole_traces: true } });
    expect(r.spans).toEqual(['SELECT[log]', 'GetCart', 'redis GET']);
  });
  it('structural queries select across the batch', () => {
    const r = run({ filter: { traceql: '{ kind = server } > { kind = client }' } });
    expect(r.spans).toEqual(['GET /health[log]', 'GET /users[exception,log,log]', 'SELECT[log]', 'GetCart']);
  });
  it('runs after the OTTL conditions of the same filter', () => {
    const r = run({ filter: { traces: { span: ['name == "GET /health"'] }, traceql: '{ resource.service.name = "cart" }' } });
    expect(r.spans).toEqual(['GET /users[exception,log,log]', 'SELECT[log]']);
    expect(r.counters['traces/filter']).toMatchObject({ 'spans.filtered': 3 });
  });
});

describe('fused with other editing processors', () => {
  const editors: [string, Record<string, unknown>][] = [
    ['attributes', { actions: [{ key: 'http.response.status_code', action: 'delete' }, { key: 'added', value: 'x', action: 'insert' }] }],
    ['filter', { traces: { span: ['name == "GET /health"'] } }],
    ['redaction', { allowed_keys: ['added', 'service.name', 'db.system', 'level'], summary: 'debug' }],
    ['filter/2', { trace_conditions: ['spanevent.name == "exception"', 'span.attributes["added"] == nil'] }],
    ['probabilistic_sampler', { sampling_percentage: 80, hash_seed: 3 }],
  ];
  it('one splice gives what the processors give one by one, byte for byte', () => {
    const bytes = buildRequest(input);
    const fused = drain(pipelineWith(Object.fromEntries(editors)).process(TraceBatch.fromProtobuf(bytes), 0));
    let step = [TraceBatch.fromProtobuf(bytes)];
    for (const [id, cfg] of editors) {
      const p = pipelineWith({ [id]: cfg });
      step = step.flatMap((b) => p.process(b, 0));
    }
    expect(Buffer.from(fused).equals(Buffer.from(drain(step)))).toBe(true);
    const names = decodeTraces(fused).resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => s.name))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(names).not.toContain('GET /health');
  });
  it('on generated traffic, every placement of the filter matches one-by-one', () => {
    const requests = generateTraceRequests({ seed: 11, requests: 2, spansPerRequest: 300 });
    const filter: [string, Record<string, unknown>] = ['filter', { error_mode: 'ignore', traces: { span: ['attributes["http.response.status_code"] >= 400', 'kind == SPAN_KIND_INTERNAL'], spanevent: ['name == "exception"'] } }];
    const others = editors.filter(([id]) => !id.startsWith('filter'));
    for (let at = 0; at <= others.length; at++) {
      const stages = [...others.slice(0, at), filter, ...others.slice(at)];
      for (const bytes of requests) {
        const fused = drain(pipelineWith(Object.fromEntries(stages)).process(TraceBatch.fromProtobuf(bytes), 0));
        let step = [TraceBatch.fromProtobuf(bytes)];
        for (const [id, cfg] of stages) {
          const p = pipelineWith({ [id]: cfg });
          step = step.flatMap((b) => p.process(b, 0));
        }
        expect(Buffer.from(fused).equals(Buffer.from(drain(step))), `filter at ${at}`).toBe(true);
      }
    }
  });
  it('leaves no core memory behind', () => {
    const bytes = buildRequest(input);
    const p = pipelineWith(Object.fromEntries(editors));
    drain(p.process(TraceBatch.fromProtobuf(bytes), 0));
    const before = memoryStats().used;
    for (let i = 0; i < 5; i++) drain(p.process(TraceBatch.fromProtobuf(bytes), 0));
    expect(memoryStats().used).toBe(before);
  });
});

describe('on generated traffic, against a reference written over the oracle decode', () => {
  it('keeps exactly the spans the conditions do not match, byte for byte', () => {
    const conditions = ['attributes["http.response.status_code"] >= 500', 'kind == SPAN_KIND_CLIENT and IsMatch(name, "^(GET|POST)")', 'resource.attributes["service.name"] == "email"'];
    for (const bytes of generateTraceRequests({ seed: 5, requests: 3, spansPerRequest: 400, errorRate: 0.2 })) {
      const req = decodeTraces(bytes);
      const expected: string[] = [];
      const inMessages = spanMessages(bytes);
      let i = 0;
      for (const rs of req.resourceSpans) {
        const service = plainAttrs(rs.resource?.attributes)['service.name'];
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            const status = plainAttrs(s.attributes)['http.response.status_code'];
            const drop = (typeof status === 'bigint' && status >= 500n) || (s.kind === 3 && /^(GET|POST)/.test(s.name)) || service === 'email';
            if (!drop) expected.push(inMessages[i]!);
            i++;
          }
        }
      }
      const p = pipelineWith({ filter: { traces: { span: conditions } } });
      const out = drain(p.process(TraceBatch.fromProtobuf(bytes), 0));
      expect(spanMessages(out)).toEqual(expected);
      expect(expected.length).toBeLessThan(inMessages.length);
    }
  });
});
