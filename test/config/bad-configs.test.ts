// Wrong configs and the exact messages they produce: the key path, the line and column in the
// YAML, and the problem (checklist 1–4 for the parts that are config).
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Pipeline, ConfigError, parseGoDuration } from 'otel-sieve';

beforeAll(async () => {
  await init();
});

const wrap = (processors: string, pipeline = 'processors: [x]') => `receivers:
  otlp:
    protocols:
      http: {}
processors:
${processors}
exporters:
  debug: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      ${pipeline}
      exporters: [debug]
`;

const cases: [string, string, string][] = [
  ['unknown key', wrap('  batch:\n    sendbatchsize: 5', 'processors: [batch]'),
    'line 7, column 5: processors.batch.sendbatchsize: unknown key "sendbatchsize" (known keys: send_batch_size, timeout, send_batch_max_size, metadata_keys, metadata_cardinality_limit)'],
  ['wrong type', wrap('  batch:\n    send_batch_size: lots', 'processors: [batch]'),
    'line 7, column 22: processors.batch.send_batch_size: expected a number, got "lots"'],
  ['bad duration unit', wrap('  batch:\n    timeout: 5x', 'processors: [batch]'),
    'line 7, column 14: processors.batch.timeout: unknown unit "x" in duration "5x" (use ns, us, ms, s, m or h)'],
  ['bare number duration', wrap('  batch:\n    timeout: 5', 'processors: [batch]'),
    'line 7, column 14: processors.batch.timeout: expected a duration such as "5s" or "200ms", got 5 (a bare number would be nanoseconds; add a unit)'],
  ['negative timeout', wrap('  batch:\n    timeout: -1s', 'processors: [batch]'),
    'line 7, column 14: processors.batch.timeout: timeout must be greater or equal to 0'],
  ['max below size', wrap('  batch:\n    send_batch_size: 10\n    send_batch_max_size: 5', 'processors: [batch]'),
    'line 8, column 26: processors.batch.send_batch_max_size: send_batch_max_size must be greater or equal to send_batch_size'],
  ['unknown processor type', wrap('  nope: {}', 'processors: [nope]'),
    'line 6, column 9: processors.nope: unknown processor type "nope" (supported: attributes, batch, filter, logs_follow_traces, memory_limiter, probabilistic_sampler, redaction, tail_sampling)'],
  ['transform not yet', wrap('  transform/x:\n    error_mode: ignore', 'processors: [transform/x]'),
    'line 7, column 5: processors.transform/x: processor type "transform" is not supported yet: the transform processor (OTTL statements that edit telemetry) is not part of this build yet; filter and the ottl_condition policy are'],
  ['undefined processor in pipeline', wrap('  batch: {}', 'processors: [batch, batch/2]'),
    'line 13, column 27: service.pipelines.traces.processors[1]: processor "batch/2" is not defined in processors'],
  ['processor listed twice', wrap('  batch: {}', 'processors: [batch, batch]'),
    'line 13, column 27: service.pipelines.traces.processors[1]: references processor "batch" more than once'],
  ['memory_limiter without check_interval', wrap('  memory_limiter:\n    limit_mib: 100', 'processors: [memory_limiter]'),
    "line 7, column 5: processors.memory_limiter.check_interval: 'check_interval' must be greater than zero"],
  ['memory_limiter without limit', wrap('  memory_limiter:\n    check_interval: 1s', 'processors: [memory_limiter]'),
    "line 7, column 5: processors.memory_limiter: 'limit_mib' or 'limit_percentage' must be greater than zero"],
  ['attributes extract without named groups needs regex', wrap('  attributes:\n    actions:\n      - key: a\n        action: extract', 'processors: [attributes]'),
    'line 8, column 9: processors.attributes.actions[0]: error creating AttrProc due to missing required field "pattern" for action "extract" at the 0-th action'],
  ['attributes two value sources', wrap('  attributes:\n    actions:\n      - key: a\n        value: 1\n        from_attribute: b\n        action: insert', 'processors: [attributes]'),
    'line 8, column 9: processors.attributes.actions[0]: error creating AttrProc due to multiple value sources being set at the 0-th actions'],
  ['attributes bad converted_type', wrap('  attributes:\n    actions:\n      - key: a\n        action: convert\n        converted_type: float', 'processors: [attributes]'),
    'line 8, column 9: processors.attributes.actions[0]: error creating AttrProc due to invalid value "float" in field "converted_type" for action "convert" at the 0-th action'],
  ['attributes unsupported action', wrap('  attributes:\n    actions:\n      - key: a\n        action: rename', 'processors: [attributes]'),
    'line 8, column 9: processors.attributes.actions[0]: error creating AttrProc due to unsupported action "rename" at the 0-th actions'],
  ['attributes log_bodies for spans', wrap('  attributes:\n    actions: [{key: a, action: delete}]\n    include:\n      match_type: strict\n      log_bodies: [x]', 'processors: [attributes]'),
    'line 10, column 19: processors.attributes.include.log_bodies: log_bodies should not be specified for trace spans'],
  ['attributes regexp with a bad pattern', wrap('  attributes:\n    actions: [{key: a, action: delete}]\n    include:\n      match_type: regexp\n      services: ["(x"]', 'processors: [attributes]'),
    'line 10, column 17: processors.attributes.include.services: error compiling regex "(x": missing closing ): `(x`'],
  ['attributes extract with an unnamed group', wrap('  attributes:\n    actions:\n      - key: a\n        pattern: "(?P<x>.*)-(.*)"\n        action: extract', 'processors: [attributes]'),
    'line 8, column 9: processors.attributes.actions[0]: error creating AttrProc. Field "pattern" contains at least one unnamed matcher group at the 0-th actions'],
  ['attributes extract with a bad pattern', wrap('  attributes:\n    actions:\n      - key: a\n        pattern: "(?P<x>.*"\n        action: extract', 'processors: [attributes]'),
    'line 8, column 9: processors.attributes.actions[0]: error creating AttrProc. Field "pattern" has invalid pattern: "(?P<x>.*" to be set at the 0-th actions'],
  ['probabilistic negative', wrap('  probabilistic_sampler:\n    sampling_percentage: -1', 'processors: [probabilistic_sampler]'),
    'line 7, column 26: processors.probabilistic_sampler.sampling_percentage: sampling rate is negative: -1.000000%'],
  ['probabilistic bad mode', wrap('  probabilistic_sampler:\n    mode: fast', 'processors: [probabilistic_sampler]'),
    'line 7, column 11: processors.probabilistic_sampler.mode: unsupported value "fast" (expected one of: hash_seed, proportional, equalizing, )'],
  ['probabilistic precision', wrap('  probabilistic_sampler:\n    sampling_precision: 15', 'processors: [probabilistic_sampler]'),
    'line 7, column 25: processors.probabilistic_sampler.sampling_precision: sampling precision is too great, should be <= 14: 15'],
  ['tail sampling no policies', wrap('  tail_sampling:\n    decision_wait: 1s', 'processors: [tail_sampling]'),
    'line 7, column 5: processors.tail_sampling: at least one policy must be configured in "policies"'],
  ['tail sampling block of another type', wrap('  tail_sampling:\n    policies:\n      - name: p\n        type: latency\n        numeric_attribute: {key: a}', 'processors: [tail_sampling]'),
    'line 10, column 9: processors.tail_sampling.policies[0].numeric_attribute: block "numeric_attribute" does not belong to a policy of type "latency"'],
  ['redaction blocked_values with a bad pattern', wrap('  redaction:\n    blocked_values: ["4[0-9]{12}", "[0-9"]', 'processors: [redaction]'),
    'line 7, column 21: processors.redaction.blocked_values[1]: error compiling regex "[0-9": missing closing ]: `[0-9`'],
  ['redaction allowed_values with a bad pattern', wrap('  redaction:\n    allowed_values: ["a**"]', 'processors: [redaction]'),
    'line 7, column 21: processors.redaction.allowed_values[0]: error compiling regex "a**": invalid nested repetition operator: `**`'],
  ['redaction bad summary', wrap('  redaction:\n    summary: loud', 'processors: [redaction]'),
    'line 7, column 14: processors.redaction.summary: unsupported value "loud" (expected one of: debug, info, silent, )'],
  ['invalid YAML', 'receivers: [otlp\n', 'line 2, column 1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
];

describe('bad configs', () => {
  for (const [name, yaml, message] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        Pipeline.fromConfig(yaml);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toBe(message);
    });
  }
});

describe('collector-level structure', () => {
  const base = {
    receivers: { otlp: { protocols: { grpc: {}, http: { endpoint: 'localhost:4318' } } } },
    exporters: { debug: {}, otlphttp: { endpoint: 'http://x' } },
    processors: { batch: {} },
  };
  const errorOf = (cfg: object) => {
    try {
      Pipeline.fromConfig(cfg);
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  it('rejects unknown top-level keys, receivers, exporters and signals', () => {
    expect(errorOf({ ...base, recievers: {} })).toBe('recievers: unknown top-level key "recievers" (known keys: receivers, processors, exporters, connectors, extensions, service)');
    expect(errorOf({ ...base, receivers: { jaeger: {} }, service: { pipelines: { traces: { receivers: ['jaeger'], exporters: ['debug'] } } } })).toBe('receivers.jaeger: unsupported receiver type "jaeger" (otel-sieve reads OTLP; supported: otlp)');
    expect(errorOf({ ...base, exporters: { kafka: {} } })).toBe('exporters.kafka: unsupported exporter type "kafka" (--output and --metrics-output stand in for exporters; supported: debug, otlp, otlphttp, file, prometheus)');
    expect(errorOf({ ...base, service: { pipelines: { spans: { receivers: ['otlp'], exporters: ['debug'] } } } })).toBe('service.pipelines.spans: unknown pipeline signal "spans" (expected traces, metrics or logs, optionally followed by /name)');
    expect(errorOf({ ...base, exporters: { debug: { verbosity: 'loud' } }, service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['debug'] } } } })).toBe('exporters.debug.verbosity: unsupported value "loud" (expected one of: basic, normal, detailed)');
    expect(errorOf({ ...base, receivers: { otlp: { protocols: { udp: {} } } } })).toBe('receivers.otlp.protocols.udp: unknown key "udp" (known keys: grpc, http)');
  });
  it('rejects pipelines without receivers or exporters and undefined extensions', () => {
    expect(errorOf({ ...base, service: { pipelines: { traces: { receivers: ['otlp'] } } } })).toBe('service.pipelines.traces: a pipeline must have at least one exporter');
    expect(errorOf({ ...base, service: { extensions: ['zpages'], pipelines: { traces: { receivers: ['otlp'], exporters: ['debug'] } } } })).toBe('service.extensions[0]: extension "zpages" is not defined in extensions');
  });
  it('an unknown connector type is an error; connectors must be used on both sides', () => {
    const cfg = { ...base, connectors: { spanmetrics: {} }, service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['spanmetrics'] }, metrics: { receivers: ['spanmetrics'], exporters: ['debug'] } } } };
    expect(errorOf(cfg)).toBe('no error');
    expect(errorOf({ ...cfg, connectors: { forward: {} } })).toBe('connectors.forward: unknown connector type "forward" (supported: servicegraph, spanmetrics)');
    const oneSided = { ...cfg, service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['spanmetrics'] } } } };
    expect(errorOf(oneSided)).toBe('connectors.spanmetrics: connector "spanmetrics" is used as an exporter in service.pipelines.traces but not as a receiver in any pipeline');
  });
  it("a connector's own validation errors get the YAML position", () => {
    const yaml = `receivers: { otlp: { protocols: { http: {} } } }
exporters: { debug: {} }
connectors:
  spanmetrics:
    histogram:
      unit: minutes
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [spanmetrics] }
    metrics: { receivers: [spanmetrics], exporters: [debug] }
`;
    expect(errorOf(yaml)).toMatch(/^line 6, column 13: connectors\.spanmetrics\.histogram\.unit: /);
  });
  it('accepts a whole collector config as users write it', () => {
    const yaml = `receivers:
  otlp:
    protocols:
      grpc: { endpoint: 0.0.0.0:4317 }
      http: { endpoint: 0.0.0.0:4318 }
processors:
  memory_limiter: { check_interval: 1s, limit_mib: 512, spike_limit_mib: 128 }
  batch/2: { send_batch_size: 100, timeout: 1s }
  redaction/pii: { allow_all_keys: true, summary: info }
exporters:
  debug: { verbosity: detailed }
  otlphttp: { endpoint: https://collector.example, encoding: proto, retry_on_failure: { enabled: true } }
extensions:
  health_check: {}
service:
  extensions: [health_check]
  telemetry: { logs: { level: debug } }
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, redaction/pii, batch/2]
      exporters: [debug, otlphttp]
`;
    expect(() => Pipeline.fromConfig(yaml)).not.toThrow();
  });
});

describe('Go durations (checklist 1)', () => {
  it('parse exactly', () => {
    expect(parseGoDuration('1400ms')).toBe(1_400_000_000n);
    expect(parseGoDuration('100us')).toBe(100_000n);
    expect(parseGoDuration('100µs')).toBe(100_000n);
    expect(parseGoDuration('1.5s')).toBe(1_500_000_000n);
    expect(parseGoDuration('1h2m')).toBe(3_720_000_000_000n);
    expect(parseGoDuration('-2.5ms')).toBe(-2_500_000n);
    expect(parseGoDuration('0')).toBe(0n);
    expect(() => parseGoDuration('5')).toThrow('missing unit in duration "5"');
    expect(() => parseGoDuration('1.s5')).toThrow();
    expect(() => parseGoDuration('')).toThrow('invalid duration ""');
  });
});
