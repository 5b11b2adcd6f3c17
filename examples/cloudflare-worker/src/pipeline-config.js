// The worker's processing as a collector config (the same blocks work in an OpenTelemetry
// Collector): tail sampling keeps traces with an error or slower than 1 s plus 10 % of the rest
// (chosen by trace id, so every isolate decides a trace the same way) and drops health checks
// whole; redaction masks personal data in what is kept; otlphttp forwards it. An object, not YAML
// text: the worker then needs no YAML parser (text would need `registerYaml(await import('yaml'))`).
export function pipelineConfig(env) {
  return {
    receivers: { otlp: { protocols: { http: {} } } },
    processors: {
      tail_sampling: {
        // Each trace is decided when its request is done (handler.flush() under ctx.waitUntil):
        // browsers export a page's trace in one request, so waiting longer gains nothing.
        decision_wait: '5s',
        policies: [
          {
            name: 'drop-health-checks',
            type: 'drop',
            drop: { drop_sub_policy: [{ name: 'health-route', type: 'string_attribute', string_attribute: { key: 'http.route', values: ['/health'] } }] },
          },
          { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
          { name: 'slow', type: 'latency', latency: { threshold_ms: 1000 } },
          { name: 'sample-the-rest', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
        ],
      },
      redaction: {
        allow_all_keys: true,
        blocked_key_patterns: ['^user\\.email$', '^enduser\\.id$', 'authorization'],
        summary: 'silent',
      },
    },
    exporters: {
      otlphttp: {
        endpoint: env.UPSTREAM_URL,
        headers: env.UPSTREAM_AUTHORIZATION ? { authorization: env.UPSTREAM_AUTHORIZATION } : {},
        // The isolate's waitUntil is the queue: each request sends its own data within its context.
        sending_queue: { enabled: false },
        // waitUntil gives about 30 s after the response; retry within that.
        retry_on_failure: { initial_interval: '500ms', max_interval: '5s', max_elapsed_time: '20s' },
        timeout: '10s',
      },
    },
    service: { pipelines: { traces: { receivers: ['otlp'], processors: ['tail_sampling', 'redaction'], exporters: ['otlphttp'] } } },
  };
}
