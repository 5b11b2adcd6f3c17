// The config `otel-sieve serve` runs without --config (print it with --print-config, edit, pass it
// back): the collector's own YAML shape. Two traces pipelines fed by the one OTLP receiver: one
// derives RED metrics and the service graph from every span (metrics see all traffic, not only
// what sampling keeps), the other tail-samples and redacts, then writes what it keeps to a file;
// the trace store keeps that output too, for Tempo's query API and the page.
export const DEFAULT_GATEWAY_CONFIG = `# otel-sieve serve — built-in config (otel-sieve serve --print-config > my.yaml to start your own)
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:4318

processors:
  # Refuses data (503 + Retry-After) while the WebAssembly core holds more than 768 MiB - 128 MiB.
  memory_limiter:
    check_interval: 1s
    limit_mib: 768
    spike_limit_mib: 128
  # Keeps every trace with an error, every trace slower than 100 ms, and 5 % of the rest.
  tail_sampling:
    decision_wait: 5s
    num_traces: 50000
    policies:
      - name: errors
        type: status_code
        status_code:
          status_codes: [ERROR]
      - name: slow
        type: latency
        latency:
          threshold_ms: 100
      - name: five-percent
        type: probabilistic
        probabilistic:
          sampling_percentage: 5
  # Masks common personal data in what is kept: e-mail addresses, user and session ids, client
  # addresses, credentials.
  redaction:
    allow_all_keys: true
    summary: silent
    blocked_key_patterns:
      - (?i)e-?mail
      - (?i)^(enduser\\.id|user\\.id|app\\.user\\.id|session\\.id|user\\.name)$
      - (?i)^(client\\.address|network\\.peer\\.address|net\\.sock\\.peer\\.addr|net\\.peer\\.ip|http\\.client_ip)$
      - (?i)(password|passwd|secret|token|api[._-]?key|authorization|cookie)
      - (?i)(credit[._-]?card|card\\.number|iban|ssn|phone)

connectors:
  # RED metrics per service and operation; seconds, as Prometheus' linter wants.
  spanmetrics:
    histogram:
      unit: s
    metrics_flush_interval: 5s
  servicegraph:
    metrics_flush_interval: 5s
    store:
      ttl: 2s
      max_items: 10000

exporters:
  file:
    path: ./otel-sieve-data/traces.jsonl
    rotation:
      max_megabytes: 100
      max_backups: 5
  # No endpoint: the derived metrics are served with the gateway's own on /metrics of this port.
  prometheus: {}

extensions:
  trace_store:
    max_size_mib: 128
    max_age: 1h

service:
  extensions: [trace_store]
  pipelines:
    traces/metrics:
      receivers: [otlp]
      processors: [memory_limiter]
      exporters: [spanmetrics, servicegraph]
    traces:
      receivers: [otlp]
      processors: [memory_limiter, tail_sampling, redaction]
      exporters: [file]
    metrics:
      receivers: [spanmetrics, servicegraph]
      exporters: [prometheus]
`;
