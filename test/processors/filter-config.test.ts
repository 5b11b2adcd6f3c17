// Bad filter and ottl_condition configs and their exact messages: the key path, the YAML line and
// column, and for conditions the condition's own line and column (checklist 1: unknown keys are
// rejected). Plus what the current collector accepts: both condition styles, legacy blocks,
// case-insensitive error_mode, an empty block.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Pipeline, ConfigError } from 'otel-sieve';

beforeAll(async () => {
  await init();
});

const wrap = (block: string, processor = 'filter') => `receivers:
  otlp:
    protocols:
      http: {}
processors:
${block}
exporters:
  debug: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [${processor}]
      exporters: [debug]
`;
const filter = (body: string) => wrap(`  filter:\n${body}`);
const policy = (body: string) =>
  wrap(`  tail_sampling:\n    policies:\n      - name: o\n        type: ottl_condition\n        ottl_condition:\n${body}`, 'tail_sampling');

const spanPaths =
  'attributes, dropped_attributes_count, dropped_events_count, dropped_links_count, end_time, end_time_unix_nano, kind, name, parent_span_id, span_id, start_time, start_time_unix_nano, status, trace_id, trace_state';
const supported =
  'Concat, ContainsValue, Double, Duration, HasPrefix, HasSuffix, Int, IsBool, IsDouble, IsInt, IsList, IsMap, IsMatch, IsRootSpan, IsString, Len, SpanID, String, Substring, ToLowerCase, ToUpperCase, TraceID';

const cases: [string, string, string][] = [
  ['bad error_mode', filter('    error_mode: loud'), 'line 7, column 17: processors.filter.error_mode: unsupported value "loud" (expected one of: ignore, silent, propagate)'],
  ['unknown key', filter('    trace_condition: []'), 'line 7, column 5: processors.filter.trace_condition: unknown key "trace_condition" (known keys: error_mode, spans, profiles, profile_conditions, traces, logs, metrics, trace_conditions, log_conditions, metric_conditions, traceql, whole_traces)'],
  ['unknown legacy key', filter('    traces:\n      spans: ["name == 1"]'), 'line 8, column 7: processors.filter.traces.spans: unknown key "spans" (known keys: resource, span, spanevent)'],
  ['bad condition', filter('    traces:\n      span: ["name = 1"]'),
    'line 8, column 14: processors.filter.traces.span[0]: invalid condition "name = 1": line 1, column 6: expected a comparison operator (==, !=, <, <=, >, >=), got "="'],
  ['bad multi-line condition', filter('    traces:\n      span:\n        - |\n          name == "a" and\n          kind =='),
    'line 9, column 11: processors.filter.traces.span[0]: invalid condition "name == \\"a\\" and\\nkind ==\\n": line 3, column 1: expected a value (a path, literal, enum, list or converter call), got the end of the condition'],
  ['unsupported converter', filter('    traces:\n      span: ["Foo(name)"]'),
    `line 8, column 14: processors.filter.traces.span[0]: invalid condition "Foo(name)": line 1, column 1: unsupported converter Foo; otel-sieve supports: ${supported}`],
  ['converter of another context', filter('    traces:\n      spanevent: ["IsRootSpan()"]'),
    'line 8, column 19: processors.filter.traces.spanevent[0]: invalid condition "IsRootSpan()": line 1, column 1: converter IsRootSpan is not available in the spanevent context (only in: span)'],
  ['metric function arity', filter('    metrics:\n      metric: ["HasAttrOnDatapoint(\\"a\\")"]'),
    'line 8, column 16: processors.filter.metrics.metric[0]: invalid condition "HasAttrOnDatapoint(\\"a\\")": line 1, column 1: HasAttrOnDatapoint takes 2 arguments, got 1 (missing expected_val)'],
  ['conditions not a list', filter('    traces:\n      span: "name == 1"'), 'line 8, column 13: processors.filter.traces.span: expected a list of OTTL conditions, got "name == 1"'],
  ['condition not a string', filter('    traces:\n      span: [1]'), 'line 8, column 14: processors.filter.traces.span[0]: expected an OTTL condition string, got 1'],
  ['empty condition', filter('    traces:\n      span: [""]'), 'line 8, column 14: processors.filter.traces.span[0]: condition cannot be empty'],
  ['null inferred condition', filter('    trace_conditions: [null]'), 'line 7, column 24: processors.filter.trace_conditions[0]: condition cannot be empty'],
  ['inferred conditions not a list', filter('    trace_conditions: "span.name == 1"'),
    'line 7, column 23: processors.filter.trace_conditions: invalid trace_conditions type, expected: array, got "span.name == 1"'],
  ['both styles mixed', filter('    trace_conditions: ["span.name == 1", {context: span, conditions: ["name == 1"]}]'),
    'line 7, column 23: processors.filter.trace_conditions: configuring multiple configuration styles is not supported, please use only Basic configuration or only Advanced configuration'],
  ['inferred and legacy traces', filter('    trace_conditions: ["span.name == 1"]\n    traces:\n      span: ["name == 1"]'),
    'line 7, column 23: processors.filter.trace_conditions: cannot use context inferred trace conditions "trace_conditions" and the settings "traces.resource", "traces.span", "traces.spanevent" at the same time'],
  ['inferred and legacy metrics', filter('    metric_conditions: ["metric.name == \\"a\\""]\n    metrics:\n      metric: ["name == 1"]'),
    'line 7, column 24: processors.filter.metric_conditions: cannot use context inferred metric conditions "metric_conditions" and the settings "metrics.resource", "metrics.metric", "metrics.datapoint", "metrics.include", "metrics.exclude" at the same time'],
  ['inferred and legacy logs', filter('    log_conditions: ["log.body == 1"]\n    logs:\n      log_record: ["body == 1"]'),
    'line 7, column 21: processors.filter.log_conditions: cannot use context inferred log conditions "log_conditions" and the settings "logs.resource", "logs.log", "logs.include", "logs.exclude" at the same time'],
  ['no context to infer', filter('    trace_conditions: ["name == \\"a\\""]'),
    'line 7, column 24: processors.filter.trace_conditions[0]: invalid condition "name == \\"a\\"": line 1, column 1: cannot infer the context: no path names one (write paths with their context, such as resource.…, scope.…, span.…, spanevent.…, or give the group a context)'],
  ['context of another signal', filter('    trace_conditions: ["log.body == 1"]'),
    'line 7, column 24: processors.filter.trace_conditions[0]: invalid condition "log.body == 1": line 1, column 1: the log context cannot be used here (contexts: resource, scope, span, spanevent)'],
  ['span context in logs', filter('    log_conditions: ["span.name == 1"]'),
    'line 7, column 22: processors.filter.log_conditions[0]: invalid condition "span.name == 1": line 1, column 1: the span context cannot be used here (contexts: resource, scope, log)'],
  ['enum no context has', filter('    trace_conditions: ["span.name == \\"a\\" and spanevent.name == SPAN_KIND_FOO"]'),
    'line 7, column 24: processors.filter.trace_conditions[0]: invalid condition "span.name == \\"a\\" and spanevent.name == SPAN_KIND_FOO": line 1, column 1: unable to infer a context: spanevent and the contexts below it lack SPAN_KIND_FOO'],
  ['unknown group context', filter('    trace_conditions:\n      - context: foo\n        conditions: ["name == 1"]'),
    'line 8, column 18: processors.filter.trace_conditions[0].context: unknown context foo (contexts: resource, scope, span, spanevent)'],
  ['unknown group key', filter('    trace_conditions:\n      - context: span\n        conditions: ["name == 1"]\n        extra: 1'),
    'line 10, column 9: processors.filter.trace_conditions[0].extra: unknown key "extra" (known keys: context, error_mode, conditions)'],
  ['empty group', filter('    trace_conditions:\n      - conditions: []'), 'line 8, column 21: processors.filter.trace_conditions[0]: "conditions" needs at least one condition'],
  ['bad group error_mode', filter('    trace_conditions:\n      - context: span\n        error_mode: nope\n        conditions: ["name == 1"]'),
    'line 9, column 21: processors.filter.trace_conditions[0].error_mode: unsupported value "nope" (expected one of: ignore, silent, propagate)'],
  ['group path out of reach', filter('    trace_conditions:\n      - context: span\n        conditions: ["spanevent.name == \\"a\\""]'),
    'line 9, column 22: processors.filter.trace_conditions[0].conditions[0]: invalid condition "spanevent.name == \\"a\\"": line 1, column 1: path "spanevent.name" reads the spanevent context, which a span condition cannot reach (reachable: span, resource, scope)'],
  ['legacy span match properties', filter('    spans:\n      include: {}'),
    'line 8, column 7: processors.filter.spans: spans: the include/exclude match properties are deprecated upstream and not supported by otel-sieve: write OTTL conditions instead'],
  ['legacy log match properties', filter('    logs:\n      include: {}'),
    'line 8, column 16: processors.filter.logs.include: logs.include: the include/exclude match properties are deprecated upstream and not supported by otel-sieve: write OTTL conditions instead'],
  ['profiles', filter('    profiles: {}'), 'line 7, column 15: processors.filter.profiles: profiles are not supported by otel-sieve (there is no profiles signal)'],
  ['bad traceql', filter('    traceql: "{ nope"'), 'line 7, column 14: processors.filter.traceql: invalid TraceQL query: line 1, column 3: unknown identifier: nope'],
  ['metrics traceql', filter('    traceql: "{ } | rate()"'), 'line 7, column 14: processors.filter.traceql: traceql must be a search query (spans to drop), not a metrics query'],
  ['traceql not a string', filter('    traceql: 5'), 'line 7, column 14: processors.filter.traceql: expected a string, got 5'],
  // set but empty still counts as set, as when the collector decodes the two keys
  ['inferred and legacy, both empty', filter('    trace_conditions: []\n    traces:\n      span: []'),
    'line 7, column 23: processors.filter.trace_conditions: cannot use context inferred trace conditions "trace_conditions" and the settings "traces.resource", "traces.span", "traces.spanevent" at the same time'],
  ['whole_traces alone', filter('    whole_traces: true'), 'line 7, column 19: processors.filter.whole_traces: whole_traces needs a traceql query'],
  ['policy error_mode', policy('          error_mode: nope\n          span: ["true"]'),
    'line 11, column 23: processors.tail_sampling.policies[0].ottl_condition.error_mode: unsupported value "nope" (expected one of: ignore, silent, propagate)'],
  ['policy bad condition', policy('          span: ["name = 1"]'),
    'line 11, column 18: processors.tail_sampling.policies[0].ottl_condition.span[0]: invalid condition "name = 1": line 1, column 6: expected a comparison operator (==, !=, <, <=, >, >=), got "="'],
  ['policy converter of another context', policy('          spanevent: ["IsRootSpan()"]'),
    'line 11, column 23: processors.tail_sampling.policies[0].ottl_condition.spanevent[0]: invalid condition "IsRootSpan()": line 1, column 1: converter IsRootSpan is not available in the spanevent context (only in: span)'],
  ['policy unknown key', policy('          span: ["true"]\n          spans: ["true"]'),
    'line 12, column 11: processors.tail_sampling.policies[0].ottl_condition.spans: unknown key "spans" (known keys: error_mode, span, spanevent)'],
  ['policy without conditions', policy('          span: []'), 'line 11, column 11: processors.tail_sampling.policies[0].ottl_condition: expected at least one OTTL condition to filter on'],
  // the policy's conditions are unqualified, as the collector parses them
  ['policy qualified path', policy('          span: ["span.name == \\"a\\""]'),
    `line 11, column 18: processors.tail_sampling.policies[0].ottl_condition.span[0]: invalid condition "span.name == \\"a\\"": line 1, column 1: unknown path "span.name" in the span context (its paths: ${spanPaths})`],
];

describe('rejected', () => {
  for (const [name, yaml, message] of cases) {
    it(name, () => {
      let error: unknown;
      try {
        Pipeline.fromConfig(yaml);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(message);
    });
  }
});

describe('accepted', () => {
  const ok: [string, string][] = [
    ['an empty block (passes everything)', filter('')],
    ['case-insensitive error_mode', filter('    error_mode: PROPAGATE\n    traces:\n      span: ["true"]')],
    [
      'legacy blocks of every signal',
      filter('    traces:\n      resource: ["attributes[\\"a\\"] == 1"]\n      span: ["name == 1"]\n      spanevent: ["name == 1"]\n    logs:\n      resource: ["true"]\n      log_record: ["body == 1"]\n    metrics:\n      resource: ["true"]\n      metric: ["name == 1"]\n      datapoint: ["count == 1"]'),
    ],
    ['inferred conditions of every signal', filter('    trace_conditions: ["span.name == 1"]\n    log_conditions: ["log.body == 1"]\n    metric_conditions: ["metric.name == 1 and datapoint.count > 1"]')],
    ['an enum the named context lacks: inferred to one that has it', filter('    trace_conditions: ["resource.attributes[\\"a\\"] == SPAN_KIND_SERVER"]')],
    ['policy spanevent conditions reading their span and resource', policy('          spanevent: ["span.name == \\"a\\" and resource.attributes[\\"x\\"] == nil"]')],
  ];
  for (const [name, yaml] of ok) {
    it(name, () => {
      expect(Pipeline.fromConfig(yaml)).toBeInstanceOf(Pipeline);
    });
  }
});
