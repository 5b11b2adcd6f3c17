// Log and metric requests produced by the real OpenTelemetry JS SDK (@opentelemetry/sdk-logs and
// sdk-metrics) and serialized by the real exporter serializers (@opentelemetry/otlp-transformer
// 0.223.1): the bytes an OTLP/HTTP exporter would send, which our own encoder never touched.
import { ROOT_CONTEXT, trace, TraceFlags, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, InMemoryLogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader, AggregationType, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { ProtobufLogsSerializer, JsonLogsSerializer, ProtobufMetricsSerializer, JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';

export interface SdkPayload {
  name: string;
  pb: Uint8Array;
  json: Uint8Array;
}

const BASE_S = 1717200000; // 2024-06-01T00:00:00Z
const at = (ms: number): [number, number] => {
  const ns = Math.round(ms * 1e6);
  return [BASE_S + Math.floor(ns / 1e9), ns % 1e9];
};

function spanContext(i: number) {
  const hex = (n: number, bytes: number) => (n + 1).toString(16).padStart(bytes * 2, '0');
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: `5b8efff798038103d269b633${hex(i, 4)}`,
    spanId: `eee19b7e${hex(i, 4)}`,
    traceFlags: i % 2 ? TraceFlags.SAMPLED : TraceFlags.NONE,
  });
}

/** Log records from two providers (resources) and three loggers, with every kind of body. */
export async function sdkLogs(): Promise<SdkPayload[]> {
  const exporter = new InMemoryLogRecordExporter();
  const make = (service: string, limits = {}) =>
    new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.2.3', 'deployment.environment': 'test' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
      logRecordLimits: limits,
    });
  const shop = make('shop');
  const worker = make('worker', { attributeCountLimit: 2, attributeValueLengthLimit: 6 });
  const http = shop.getLogger('http', '0.1.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
  const db = shop.getLogger('db');
  const jobs = worker.getLogger('jobs', '2.0.0');
  const levels = [SeverityNumber.TRACE, SeverityNumber.DEBUG, SeverityNumber.INFO, SeverityNumber.WARN, SeverityNumber.ERROR, SeverityNumber.FATAL4];
  for (let i = 0; i < 12; i++) {
    http.emit({
      timestamp: at(i),
      observedTimestamp: at(i + 0.5),
      severityNumber: levels[i % levels.length],
      severityText: ['trace', 'debug', 'INFO', 'WARN', 'ERROR', 'FATAL'][i % 6],
      body: `GET /api/products/${i} → ${200 + (i % 3) * 100} ü`,
      attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200 + (i % 3) * 100, 'user.ratio': i / 7, retry: i % 2 === 0 },
      context: i % 3 ? spanContext(i) : ROOT_CONTEXT,
    });
  }
  db.emit({ timestamp: at(20), severityNumber: SeverityNumber.WARN, body: { query: 'SELECT 1', rows: 0, tags: ['slow', 'primary'], nested: { ok: false, ratio: 0.5 } } });
  db.emit({ timestamp: at(21), body: ['array', 'body', 7, true] });
  db.emit({ timestamp: at(22), body: new Uint8Array([0, 1, 2, 255]), eventName: 'db.blob' });
  db.emit({ timestamp: at(23), eventName: 'session.start', attributes: { 'session.id': 'abc' } });
  db.emit({});
  jobs.emit({ timestamp: at(30), severityNumber: SeverityNumber.ERROR, body: 'job failed', attributes: { a: 'truncated value', b: 2, c: 3, d: 4 } });
  jobs.emit({ timestamp: at(31), body: 42, attributes: { big: 2 ** 53 - 1, neg: -5, empty: '', list: [1, 2, 3] } });
  await Promise.all([shop.forceFlush(), worker.forceFlush()]);
  const records = exporter.getFinishedLogRecords();
  const small = records.slice(0, 1);
  return [
    { name: 'sdk-logs:all', pb: ProtobufLogsSerializer.serializeRequest(records)!, json: JsonLogsSerializer.serializeRequest(records)! },
    { name: 'sdk-logs:one', pb: ProtobufLogsSerializer.serializeRequest(small)!, json: JsonLogsSerializer.serializeRequest(small)! },
  ];
}

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/**
 * Metrics of every kind the SDK makes — counter and up-down counter (sums), gauge, histogram
 * (explicit buckets) and an exponential histogram via a view — collected once as cumulative and once
 * as delta, so both temporalities and non-monotonic sums appear.
 */
export async function sdkMetrics(): Promise<SdkPayload[]> {
  const out: SdkPayload[] = [];
  for (const temporality of [AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA]) {
    const reader = new CollectingReader({ aggregationTemporalitySelector: () => temporality });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'meters', 'host.name': 'h1' }),
      readers: [reader],
      views: [
        { instrumentName: 'rpc.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } } },
        { instrumentName: 'queue.size', aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [1, 10, 100], recordMinMax: false } } },
        { instrumentName: 'dropped', aggregation: { type: AggregationType.DROP } },
      ],
    });
    const meter = provider.getMeter('shop.metrics', '1.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
    const other = provider.getMeter('other');
    const requests = meter.createCounter('http.requests', { description: 'requests served', unit: '{request}', valueType: ValueType.INT });
    const inflight = meter.createUpDownCounter('http.inflight', { valueType: ValueType.INT });
    const temp = meter.createGauge('room.temperature', { unit: 'Cel' });
    const latency = meter.createHistogram('http.latency', { unit: 'ms' });
    const rpc = meter.createHistogram('rpc.latency', { unit: 's' });
    const queue = other.createHistogram('queue.size', { valueType: ValueType.INT });
    const bytes = other.createCounter('bytes');
    other.createCounter('dropped').add(1);
    for (let i = 0; i < 40; i++) {
      const attrs = { 'http.route': `/r/${i % 4}`, 'http.response.status_code': 200 + (i % 2) * 300 };
      requests.add(1 + (i % 3), attrs);
      inflight.add(i % 2 ? 1 : -1, { pool: i % 2 ? 'a' : 'b' });
      latency.record((i * 37) % 500 + 0.25, attrs);
      rpc.record(i === 0 ? 0 : i % 5 === 0 ? -0.001 * i : 0.001 * i * i, { method: i % 3 ? 'Get' : 'Put' });
      queue.record(i * 3);
      bytes.add(i * 1.5);
    }
    temp.record(21.5, { room: 'a' });
    temp.record(-3, { room: 'b' });
    temp.record(Number.NaN, { room: 'c' });
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length) throw new Error(`metric collection failed: ${errors.join(', ')}`);
    const name = temporality === AggregationTemporality.CUMULATIVE ? 'cumulative' : 'delta';
    out.push({
      name: `sdk-metrics:${name}`,
      pb: ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!,
      json: JsonMetricsSerializer.serializeRequest(resourceMetrics)!,
    });
    await provider.shutdown();
  }
  return out;
}


