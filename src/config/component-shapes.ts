// Shapes of the receivers and exporters otel-sieve accepts in a config without running them: the
// CLI's --input stands in for receivers and --output/--metrics-output for exporters. They are
// checked so that a config that would not load in the collector does not load here either; nested
// blocks we never use (tls, auth, sending_queue, …) are accepted as maps without looking inside.
import type { ConfigReader } from './config-reader.js';

type Kind = 'string' | 'bool' | 'int' | 'duration' | 'map' | 'list' | readonly string[];
type Shape = Readonly<Record<string, Kind>>;

function check(reader: ConfigReader, shape: Shape): void {
  for (const [key, kind] of Object.entries(shape)) {
    if (kind === 'string') reader.optionalString(key);
    else if (kind === 'bool') reader.bool(key, false);
    else if (kind === 'int') reader.int(key, 0, { min: 0 });
    else if (kind === 'duration') reader.duration(key, 0n);
    else if (kind === 'list') reader.raw(key);
    else if (kind === 'map') {
      if (reader.present(key)) {
        const child = reader.child(key);
        child.ignore(...child.keys());
      }
    } else reader.oneOf(key, kind, kind[0]!);
  }
  reader.done();
}

const GRPC_SERVER: Shape = {
  endpoint: 'string', transport: 'string', max_recv_msg_size_mib: 'int', max_concurrent_streams: 'int',
  read_buffer_size: 'int', write_buffer_size: 'int', keepalive: 'map', tls: 'map', auth: 'map', include_metadata: 'bool',
};
const HTTP_SERVER: Shape = {
  endpoint: 'string', traces_url_path: 'string', metrics_url_path: 'string', logs_url_path: 'string',
  max_request_body_size: 'int', include_metadata: 'bool', cors: 'map', tls: 'map', auth: 'map', response_headers: 'map',
  compression_algorithms: 'list', read_timeout: 'duration', read_header_timeout: 'duration', write_timeout: 'duration',
  idle_timeout: 'duration',
};

export const RECEIVER_TYPES: readonly string[] = ['otlp'];

export function checkReceiver(type: string, reader: ConfigReader): void {
  // Only otlp: --input reads OTLP files, so any other receiver would be silently meaningless.
  const protocols = reader.child('protocols');
  if (protocols.present('grpc')) check(protocols.child('grpc'), GRPC_SERVER);
  if (protocols.present('http')) check(protocols.child('http'), HTTP_SERVER);
  protocols.done();
  reader.done();
  void type;
}

const CLIENT_COMMON: Shape = {
  endpoint: 'string', compression: 'string', headers: 'map', timeout: 'duration', tls: 'map', auth: 'map',
  sending_queue: 'map', retry_on_failure: 'map', read_buffer_size: 'int', write_buffer_size: 'int',
};

const EXPORTER_SHAPES: Readonly<Record<string, Shape>> = {
  debug: { verbosity: ['basic', 'normal', 'detailed'], sampling_initial: 'int', sampling_thereafter: 'int', use_internal_logger: 'bool' },
  otlp: { ...CLIENT_COMMON, balancer_name: 'string', keepalive: 'map', authority: 'string', wait_for_ready: 'bool' },
  otlphttp: {
    ...CLIENT_COMMON, traces_endpoint: 'string', metrics_endpoint: 'string', logs_endpoint: 'string', encoding: ['proto', 'json'],
    proxy_url: 'string', max_idle_conns: 'int', max_idle_conns_per_host: 'int', max_conns_per_host: 'int', idle_conn_timeout: 'duration',
    disable_keep_alives: 'bool', http2_read_idle_timeout: 'duration', http2_ping_timeout: 'duration',
  },
  file: { path: 'string', rotation: 'map', format: ['json', 'proto'], encoding: 'string', compression: 'string', flush_interval: 'duration', append: 'bool', group_by: 'map' },
  prometheus: {
    endpoint: 'string', namespace: 'string', const_labels: 'map', send_timestamps: 'bool', metric_expiration: 'duration',
    resource_to_telemetry_conversion: 'map', enable_open_metrics: 'bool', add_metric_suffixes: 'bool', tls: 'map', translation_strategy: 'string',
  },
};

export const EXPORTER_TYPES: readonly string[] = Object.keys(EXPORTER_SHAPES);

export function checkExporter(type: string, reader: ConfigReader): void {
  check(reader, EXPORTER_SHAPES[type]!);
}
