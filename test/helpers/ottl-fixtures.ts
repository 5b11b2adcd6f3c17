// Small requests for the OTTL semantics tables, encoded by the independent oracle: three spans over
// two resources (every attribute value type, events, ids, trace state, times), three log records,
// and five metrics of every type with seven data points. The tables index items in wire order.
import { hex } from './oracle.js';
import { encodeTraces } from './oracle.js';
import { encodeLogs, encodeMetrics } from './oracle-signals.js';

const TRACE_A = '0102030405060708090a0b0c0d0e0f10';
const TRACE_B = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0';
export const SPAN_0 = '0102030405060708';
export const SPAN_1 = '1112131415161718';

const str = (v: string) => ({ stringValue: v });
const int = (v: number | string) => ({ intValue: String(v) });
const dbl = (v: number) => ({ doubleValue: v });
const kv = (key: string, value: unknown) => ({ key, value });

/**
 * span 0 "GET /users": SERVER, ERROR "boom", 2.5 s, root, trace state, attributes of every type,
 *   two events (0: "exception" at 1.5 s with exception.message, 1: "ok" at time 0);
 * span 1 "db": CLIENT, unset, 100 ns, child of span 0, look-alike attributes of other types;
 * span 2 "ÉTÉ": INTERNAL, OK, ends before it starts, no attributes, another resource and scope.
 */
export function traceFixture(): Uint8Array {
  return encodeTraces({
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', str('shop')), kv('rm', { kvlistValue: { values: [kv('a', int(1)), kv('b', str('B'))] } })] },
        scopeSpans: [
          {
            scope: { name: 'lib', version: '1.0', attributes: [kv('scope.attr', str('x'))] },
            spans: [
              {
                traceId: hex(TRACE_A),
                spanId: hex(SPAN_0),
                name: 'GET /users',
                kind: 2,
                startTimeUnixNano: '1000000000',
                endTimeUnixNano: '3500000000',
                status: { code: 2, message: 'boom' },
                traceState: 'vendor=a,other=b',
                droppedAttributesCount: 3,
                attributes: [
                  kv('s', str('abc')),
                  kv('i', int(200)),
                  kv('d', dbl(1.5)),
                  kv('b', { boolValue: true }),
                  kv('by', { bytesValue: hex('0a0b') }),
                  kv('arr', { arrayValue: { values: [int(1), str('x')] } }),
                  kv('m', { kvlistValue: { values: [kv('b', str('B')), kv('a', int(1))] } }),
                  kv('empty', {}),
                  kv('ibig', int('9007199254740993')),
                  kv('num', str('10')),
                ],
                events: [
                  { name: 'exception', timeUnixNano: '1500000000', attributes: [kv('exception.message', str('x'))] },
                  { name: 'ok', timeUnixNano: '0' },
                ],
              },
              {
                traceId: hex(TRACE_A),
                spanId: hex(SPAN_1),
                parentSpanId: hex(SPAN_0),
                name: 'db',
                kind: 3,
                startTimeUnixNano: '1000000000',
                endTimeUnixNano: '1000000100',
                attributes: [
                  kv('s', str('abd')),
                  kv('i', dbl(200)),
                  kv('d', int(1)),
                  kv('b', { boolValue: false }),
                  kv('arr', { arrayValue: {} }),
                  kv('m', { kvlistValue: { values: [kv('a', int(1)), kv('b', str('B'))] } }),
                ],
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [kv('service.name', str('cart'))] },
        scopeSpans: [
          {
            scope: { name: 'lib2' },
            spans: [{ traceId: hex(TRACE_B), spanId: hex('2122232425262728'), name: 'ÉTÉ', kind: 1, startTimeUnixNano: '5', endTimeUnixNano: '4', status: { code: 1 } }],
          },
        ],
      },
    ],
  });
}

/**
 * record 0: ERROR at 10 (observed 20), string body, attributes, flags 1, trace and span ids;
 * record 1: INFO, a map body {msg: "hi", n: 3}, no times;
 * record 2: no severity, no body.
 */
export function logFixture(): Uint8Array {
  return encodeLogs({
    resourceLogs: [
      {
        resource: { attributes: [kv('service.name', str('api'))] },
        scopeLogs: [
          {
            scope: { name: 'logger' },
            logRecords: [
              {
                timeUnixNano: '10',
                observedTimeUnixNano: '20',
                severityNumber: 17,
                severityText: 'ERROR',
                body: str('disk full'),
                attributes: [kv('k', str('v'))],
                flags: 1,
                traceId: hex(TRACE_A),
                spanId: hex(SPAN_0),
              },
              { severityNumber: 9, severityText: 'INFO', body: { kvlistValue: { values: [kv('msg', str('hi')), kv('n', int(3))] } } },
              {},
            ],
          },
        ],
      },
    ],
  });
}

/**
 * metric 0 gauge "cpu" (unit "1", "CPU"): point 0 double 0.5 {host: a}, point 1 int 3 {host: b};
 * metric 1 sum "requests", monotonic, cumulative: point 2 int 10 {code: 200}, point 3 int 5 {code: 500}, flags 1;
 * metric 2 histogram "latency", delta: point 4 count 4 sum 10.5 {code: 200};
 * metric 3 summary "size": point 5 count 2 sum 3;
 * metric 4 exponential histogram "exp", delta: point 6 scale 2, zero_count 1, count 3, positive offset 1.
 */
export function metricFixture(): Uint8Array {
  const t = { startTimeUnixNano: '100', timeUnixNano: '200' };
  return encodeMetrics({
    resourceMetrics: [
      {
        resource: { attributes: [kv('service.name', str('api'))] },
        scopeMetrics: [
          {
            scope: { name: 'meter' },
            metrics: [
              {
                name: 'cpu',
                unit: '1',
                description: 'CPU',
                gauge: { dataPoints: [{ ...t, asDouble: 0.5, attributes: [kv('host', str('a'))] }, { ...t, asInt: '3', attributes: [kv('host', str('b'))] }] },
              },
              {
                name: 'requests',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [{ ...t, asInt: '10', attributes: [kv('code', str('200'))] }, { ...t, asInt: '5', flags: 1, attributes: [kv('code', str('500'))] }],
                },
              },
              {
                name: 'latency',
                histogram: { aggregationTemporality: 1, dataPoints: [{ ...t, count: '4', sum: 10.5, bucketCounts: ['1', '3'], explicitBounds: [1], attributes: [kv('code', str('200'))] }] },
              },
              { name: 'size', summary: { dataPoints: [{ ...t, count: '2', sum: 3 }] } },
              {
                name: 'exp',
                exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ ...t, scale: 2, zeroCount: '1', count: '3', positive: { offset: 1, bucketCounts: ['2'] } }] },
              },
            ],
          },
        ],
      },
    ],
  });
}
