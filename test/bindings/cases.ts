// The pipeline configs and the request sequence every binding is checked with: the facade's
// TypeScript Pipeline is the reference, and the facade's program runner, the transpiled component
// (Node and workerd) and the otelwasm modules under a host harness must give the same bytes.
import { ProtoWriter, WIRE_FIXED64, WIRE_LEN } from '../../src/wire/proto-writer.js';
import { generateTraceRequests } from '../../bench/corpus.js';
import { INVALID_FIXTURES, fixtureFiles, validFixtures } from '../helpers/fixtures.js';

/** A collector config with one traces pipeline (receiver otlp, exporter debug, plus connectors). */
export function traces(processors: Record<string, unknown>, connectors: Record<string, unknown> = {}, order = Object.keys(processors)): object {
  const ids = Object.keys(connectors);
  return {
    receivers: { otlp: { protocols: { http: {} } } },
    processors,
    ...(ids.length ? { connectors } : {}),
    exporters: { debug: {} },
    service: {
      pipelines: {
        traces: { receivers: ['otlp'], processors: order, exporters: ['debug', ...ids] },
        ...(ids.length ? { metrics: { receivers: ids, exporters: ['debug'] } } : {}),
      },
    },
  };
}

const TAIL_POLICIES = [
  { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
  { name: 'slow', type: 'latency', latency: { threshold_ms: 150 } },
  { name: 'checkout', type: 'string_attribute', string_attribute: { key: 'http.route', values: ['/api/checkout.*'], enabled_regex_matching: true } },
  { name: 'some', type: 'probabilistic', probabilistic: { sampling_percentage: 15 } },
  { name: 'budget', type: 'rate_limiting', rate_limiting: { spans_per_second: 400 } },
  { name: 'big', type: 'and', and: { and_sub_policy: [
    { name: 'server', type: 'numeric_attribute', numeric_attribute: { key: 'http.response.status_code', min_value: 500 } },
    { name: 'n', type: 'span_count', span_count: { min_spans: 3 } },
  ] } },
];

export interface BindingCase {
  readonly name: string;
  readonly config: object;
}

export const CASES: readonly BindingCase[] = [
  {
    name: 'redaction',
    config: traces({
      redaction: {
        allow_all_keys: false,
        allowed_keys: ['http.request.method', 'http.route', 'http.response.status_code', 'service.name', 'url.path', 'a\ufffdb'],
        ignored_keys: ['server.address'],
        blocked_key_patterns: ['^url\\.', 'id$'],
        hash_function: 'sha1',
        summary: 'debug',
      },
    }),
  },
  {
    // The key a\xE2\x82b reads as "a\uFFFDb" in the facade (one replacement for the broken
    // sequence); the core's regex engine alone would read two: the runner must replace first.
    name: 'key patterns over ill-formed UTF-8',
    config: traces({ redaction: { allow_all_keys: true, blocked_key_patterns: ['^a.b$'] }, attributes: { actions: [{ pattern: '^a.b$', action: 'hash' }] } }),
  },
  { name: 'probabilistic hash_seed', config: traces({ probabilistic_sampler: { sampling_percentage: 25, hash_seed: 17 } }) },
  { name: 'probabilistic proportional', config: traces({ probabilistic_sampler: { sampling_percentage: 40, mode: 'proportional' } }) },
  {
    name: 'tail sampling, end-of-batch flush',
    config: traces({ tail_sampling: { decision_wait: '5s', num_traces: 2000, decision_cache: { sampled_cache_size: 1000, non_sampled_cache_size: 1000 }, policies: TAIL_POLICIES } }),
  },
  { name: 'spanmetrics', config: traces({}, { spanmetrics: {} }) },
  {
    name: 'spanmetrics: dimensions, events, exemplars, exponential, delta',
    config: traces({}, {
      'spanmetrics/red': {
        dimensions: [{ name: 'http.request.method' }, { name: 'overlong' }, { name: 'surrogate' }, { name: 'app.tier', default: 'none' }],
        histogram: { exponential: { max_size: 40 } },
        exemplars: { enabled: true },
        events: { enabled: true, dimensions: [{ name: 'exception.type' }] },
        aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA',
      },
    }),
  },
  { name: 'spanmetrics: profile tempo', config: traces({}, { spanmetrics: { profile: 'tempo', dimensions: [{ name: 'http.route' }] } }) },
  {
    // Value patterns run in the core (match positions, submatches): the program carries their
    // compiled regexes inside the plans.
    name: 'value patterns: redaction blocked_values / allowed_values, attributes extract',
    config: traces({
      attributes: { actions: [{ key: 'url.path', pattern: '^/(?P<path_root>[a-z]+)/(?P<path_leaf>[a-z0-9]+)', action: 'extract' }] },
      redaction: { allow_all_keys: true, blocked_values: ['[0-9]{3,}', '[a-z]+@[a-z]+'], allowed_values: ['^200$'], hash_function: 'md5', summary: 'debug' },
    }),
  },
  {
    name: 'attributes: include, key patterns, fused with samplers',
    config: traces(
      {
        probabilistic_sampler: { sampling_percentage: 60 },
        attributes: {
          include: { match_type: 'strict', services: ['checkout', 'cart', 'frontend'] },
          actions: [
            { key: 'deployment.environment', value: 'prod', action: 'upsert' },
            { pattern: '^net\\.', action: 'delete' },
            { pattern: '^a.b$', action: 'hash' },
            { key: 'app.user.id', action: 'hash' },
          ],
        },
        'attributes/regexp': {
          exclude: { match_type: 'regexp', span_names: ['^GET'] },
          actions: [{ key: 'tier', value: 'web', action: 'insert' }],
        },
        redaction: { allow_all_keys: true, blocked_key_patterns: ['email'] },
      },
    ),
  },
  {
    // Span conditions over attributes, name, kind, status and durations, a regex, a condition that
    // fails at run time on most spans (Substring past the end: counted and false under ignore),
    // and span events dropped from the spans that stay (their content rewritten); then a filter
    // with logs conditions only.
    name: 'filter: span and span-event conditions, error_mode ignore',
    config: traces({
      filter: {
        error_mode: 'ignore',
        traces: {
          span: [
            'attributes["http.route"] == "/api/cart" and kind == SPAN_KIND_SERVER',
            'IsMatch(name, "^middleware - (query|jsonParser)$")',
            'kind == SPAN_KIND_CLIENT and name == "HGETALL" and end_time - start_time < Duration("3ms")',
            'status.code == STATUS_CODE_ERROR and resource.attributes["service.name"] == "currency"',
            'Substring(name, 0, 28) == "oteldemo.CartService/GetCart"',
          ],
          spanevent: ['name == "cache miss"', 'attributes["message.type"] == "SENT" and span.kind == SPAN_KIND_SERVER'],
        },
      },
      // No trace conditions: it runs nothing, but the spans that lost events are spliced before it.
      'filter/logs-only': { log_conditions: ['log.severity_number < SEVERITY_NUMBER_WARN'] },
    }),
  },
  {
    // Resource and scope groups (context-inferred style, error_mode per group), then redaction,
    // whose replacements a second filter's conditions must not see (the batch is spliced first),
    // fused with the samplers around them.
    name: 'filter: resource and scope groups, fused with redaction, probabilistic and tail sampling',
    config: traces({
      probabilistic_sampler: { sampling_percentage: 80 },
      'filter/envelopes': {
        error_mode: 'silent',
        trace_conditions: [
          { context: 'resource', conditions: ['resource.attributes["service.name"] == "email"', 'resource.attributes["process.pid"] < 1000'] },
          { context: 'scope', conditions: ['scope.name == "opentelemetry.instrumentation.redis"'], error_mode: 'propagate' },
          { conditions: ['span.name == "SELECT catalog.products"'] },
        ],
      },
      redaction: { allow_all_keys: true, blocked_key_patterns: ['^user', '^url\\.'] },
      'filter/after-redaction': {
        error_mode: 'propagate',
        traces: { span: ['IsMatch(attributes["http.route"], "^/api/products")'], spanevent: ['name == "exception"'] },
      },
      tail_sampling: { decision_wait: '2s', policies: TAIL_POLICIES.slice(0, 3) },
    }),
  },
  {
    name: 'everything: samplers, edits, tail sampling, two pipelines, span metrics',
    config: {
      receivers: { otlp: { protocols: { http: {} } } },
      processors: {
        probabilistic_sampler: { sampling_percentage: 70 },
        redaction: { allow_all_keys: true, blocked_key_patterns: ['^user'] },
        tail_sampling: { decision_wait: '2s', policies: TAIL_POLICIES.slice(0, 3) },
        attributes: { actions: [{ key: 'pipeline', value: 'sampled', action: 'insert' }] },
      },
      connectors: { spanmetrics: {}, 'spanmetrics/tempo': { profile: 'tempo' } },
      exporters: { debug: {} },
      service: {
        pipelines: {
          traces: { receivers: ['otlp'], processors: ['probabilistic_sampler', 'redaction', 'tail_sampling', 'attributes'], exporters: ['debug', 'spanmetrics'] },
          'traces/all': { receivers: ['otlp'], processors: ['redaction'], exporters: ['spanmetrics/tempo'] },
          metrics: { receivers: ['spanmetrics', 'spanmetrics/tempo'], exporters: ['debug'] },
        },
      },
    },
  },
];

/**
 * A filter under error_mode propagate whose condition fails on the requests with a span named
 * "GET /" (Substring past the end of the name): those requests fail with the facade's message,
 * the others go through. Not in CASES, whose requests all succeed.
 */
export const PROPAGATE_CASE: BindingCase = {
  name: 'filter: a condition failing under error_mode propagate',
  config: traces({ 'filter/strict': { error_mode: 'propagate', traces: { span: ['name == "GET /" and Substring(name, 0, 40) == "x"'] } } }),
};

/** A request whose attribute key is ill-formed UTF-8 (a truncated 3-byte sequence): a\xE2\x82b. */
function badKeyRequest(): Uint8Array {
  const w = new ProtoWriter();
  w.fork(1).fork(1).fork(1).tag(1, WIRE_LEN).string('service.name').fork(2).tag(1, WIRE_LEN).string('checkout').ldelim().ldelim().ldelim();
  w.fork(2).fork(2);
  w.tag(1, WIRE_LEN).bytes(new Uint8Array(16).fill(0xab));
  w.tag(2, WIRE_LEN).bytes(new Uint8Array(8).fill(0xcd));
  w.tag(5, WIRE_LEN).string('GET /');
  w.tag(7, WIRE_FIXED64).fixed64(1_717_200_000_000_000_000n);
  w.tag(8, WIRE_FIXED64).fixed64(1_717_200_000_250_000_000n);
  w.fork(9).tag(1, WIRE_LEN).bytes(new Uint8Array([0x61, 0xe2, 0x82, 0x62])).fork(2).tag(1, WIRE_LEN).string('v').ldelim().ldelim();
  w.fork(9).tag(1, WIRE_LEN).string('net.peer.name').fork(2).tag(1, WIRE_LEN).string('db').ldelim().ldelim();
  w.ldelim().ldelim().ldelim();
  return w.finish();
}

export interface BindingInput {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The caller's clock for this request (Unix ms). */
  readonly now: number;
}

const BASE_MS = 1_717_200_000_000;

/**
 * The request sequence: realistic traffic (errors, slow traces, traces cut across requests),
 * every valid fixture (SDK output, decode-limit truncation, ill-formed UTF-8, unknown fields,
 * deep nesting…), a key that needs UTF-8 replacement, and an empty request. Time advances 1.5 s
 * a request, so tail-sampling ticks and decision caches carry across calls.
 */
export function bindingInputs(): BindingInput[] {
  const corpus = generateTraceRequests({ seed: 11, requests: 4, spansPerRequest: 256, errorRate: 0.2 });
  const list: [string, Uint8Array][] = [
    ...corpus.map((b, i): [string, Uint8Array] => [`corpus #${i}`, b]),
    ...validFixtures('.pb'),
    ['ill-formed key', badKeyRequest()],
    ['empty request', new Uint8Array(0)],
  ];
  return list.map(([name, bytes], i) => ({ name, bytes, now: BASE_MS + i * 1500 }));
}

/** Requests every binding must refuse with the facade's decode error. */
export function malformedInputs(): { name: string; bytes: Uint8Array }[] {
  const valid = generateTraceRequests({ seed: 2, requests: 1, spansPerRequest: 8 })[0]!;
  return [
    { name: 'truncated', bytes: valid.subarray(0, valid.length - 7) },
    { name: 'length past end', bytes: new Uint8Array([0x0a, 0x05, 0x01]) },
    { name: 'wrong wire type', bytes: new Uint8Array([0x08, 0x01]) },
    { name: 'field 0', bytes: new Uint8Array([0x02, 0x00]) },
    ...fixtureFiles('.pb').filter(([name]) => name in INVALID_FIXTURES).map(([name, bytes]) => ({ name, bytes })),
  ];
}
