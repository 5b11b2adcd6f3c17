// What `otel-sieve serve` reads from a config besides the pipelines: the listen address (--listen,
// then the receiver's endpoint, then 127.0.0.1:4318), the receiver's paths and limits, keys it
// cannot honour (errors naming the key and line), keys with no effect (warnings), the trace_store
// and gateway extensions, and the log level.
import { describe, expect, it } from 'vitest';
import { readCollectorConfig } from '../../src/config/collector-config.js';
import { builtinComponents } from '../../src/pipeline/builtin-components.js';
import { registerYaml } from '../../src/config/yaml-module.js';
import * as yaml from 'yaml';
import { parseListenAddress, readGatewaySettings, DEFAULT_GATEWAY_LIMITS } from '../../src/gateway/gateway-config.js';
import { DEFAULT_TRACE_STORE_CONFIG } from '../../src/gateway/trace-store/trace-store-config.js';
import { DEFAULT_GATEWAY_CONFIG } from '../../src/gateway/default-config.js';

registerYaml(yaml);

const base = (http: string, extra = '', service = '') => `receivers:
  otlp:
    protocols:
      http:${http}
exporters:
  debug:
${extra}
service:${service}
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [debug]
`;

const settings = (text: string, listen?: { host: string; port: number }) => readGatewaySettings(readCollectorConfig(text, builtinComponents(), 'c.yaml'), { listen, source: 'c.yaml' });

describe('gateway settings', () => {
  it('listen addresses: host:port, :port, [v6]:port, localhost; errors say what is wrong', () => {
    expect(parseListenAddress('127.0.0.1:4318')).toEqual({ host: '127.0.0.1', port: 4318 });
    expect(parseListenAddress(':4318')).toEqual({ host: '0.0.0.0', port: 4318 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress('localhost:9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListenAddress('4318')).toMatch(/is not host:port/);
    expect(parseListenAddress('a:70000')).toBe('port 70000 is out of range (0-65535)');
  });

  it('defaults; the receiver endpoint and paths; --listen wins', () => {
    const d = settings(base(''));
    expect(d).toMatchObject({ listen: { host: '127.0.0.1', port: 4318 }, paths: { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' }, maxRequestBodySize: 20 * 1024 * 1024, cors: null, logLevel: 'info', warnings: [] });
    expect(d.store).toEqual(DEFAULT_TRACE_STORE_CONFIG);
    expect(d.limits).toEqual(DEFAULT_GATEWAY_LIMITS);
    const s = settings(base('\n        endpoint: 0.0.0.0:5318\n        traces_url_path: /otlp/traces\n        max_request_body_size: 1048576\n        cors:\n          allowed_origins: [https://app.example.com]\n          max_age: 600'));
    expect(s).toMatchObject({ listen: { host: '0.0.0.0', port: 5318 }, paths: { traces: '/otlp/traces' }, maxRequestBodySize: 1048576, cors: { allowedOrigins: ['https://app.example.com'], maxAge: 600 } });
    expect(settings(base('\n        endpoint: 0.0.0.0:5318'), { host: '127.0.0.1', port: 0 }).listen).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('refuses tls and auth on the receiver, naming the key and its line; warns about keys with no effect and about gRPC', () => {
    expect(() => settings(base('\n        tls:\n          cert_file: a.pem'))).toThrow(/^c\.yaml: line 5, column 9: receivers\.otlp\.protocols\.http\.tls: "tls" is not supported by otel-sieve serve/);
    expect(() => settings(base('\n        auth:\n          authenticator: basicauth'))).toThrow(/receivers\.otlp\.protocols\.http\.auth: "auth" is not supported/);
    const text = `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n      http:\n        include_metadata: true\nexporters:\n  debug:\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n`;
    expect(settings(text).warnings).toEqual([
      expect.stringMatching(/^receivers\.otlp\.protocols\.grpc: not served/),
      'receivers.otlp.protocols.http.include_metadata: accepted and has no effect in otel-sieve serve',
    ]);
  });

  it('reads the trace_store and gateway extensions strictly, and the log level', () => {
    const ext = (block: string) => base('', `extensions:\n${block}`, '\n  extensions: [trace_store, gateway]\n  telemetry:\n    logs:\n      level: DEBUG');
    const s = settings(ext('  trace_store:\n    max_size_mib: 64\n    max_age: 10m\n    block_size_mib: 2\n    block_duration: 5s\n  gateway:\n    max_concurrent_requests: 16\n    max_bytes_in_flight_mib: 32\n    shutdown_timeout: 5s\n    core_memory_limit_mib: 512'));
    expect(s.store).toEqual({ enabled: true, maxBytes: 64 * 2 ** 20, maxAgeMs: 600_000, blockBytes: 2 * 2 ** 20, blockDurationMs: 5000, bloomFalsePositiveRate: 0.01 });
    expect(s.limits).toEqual({ maxConcurrentRequests: 16, maxBytesInFlight: 32 * 2 ** 20, shutdownTimeoutMs: 5000, coreMemoryLimitBytes: 512 * 2 ** 20 });
    expect(s.logLevel).toBe('debug');
    expect(() => settings(ext('  trace_store:\n    max_sise_mib: 64\n  gateway:'))).toThrow(/extensions\.trace_store\.max_sise_mib: unknown key "max_sise_mib" \(known keys: enabled, max_size_mib/);
    expect(() => settings(ext('  trace_store:\n    max_size_mib: 4\n    block_size_mib: 8\n  gateway:'))).toThrow(/extensions\.trace_store\.block_size_mib: must not exceed max_size_mib \(4\)/);
    expect(() => settings(ext('  trace_store:\n  gateway:\n    max_concurrent_requests: 0'))).toThrow(/extensions\.gateway\.max_concurrent_requests: must be at least 1/);
  });

  it('the built-in config loads, with the store on and no warnings', () => {
    const s = settings(DEFAULT_GATEWAY_CONFIG);
    expect(s).toMatchObject({ listen: { host: '127.0.0.1', port: 4318 }, warnings: [], store: { enabled: true, maxBytes: 128 * 2 ** 20 } });
  });
});
