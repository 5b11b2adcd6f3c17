// The OTLP log and metric schemas as protobufjs JSON descriptors (field numbers and types from
// opentelemetry-proto v1: logs, metrics, collector/logs, collector/metrics), with the common types
// (AnyValue, KeyValue, Resource, InstrumentationScope) taken from the trace descriptor. protobufjs
// builds its fastest decoders from these at run time — the "protobufjs 7 (reflection)" baseline.
import { otlpTraceDescriptor } from './otlp-trace-descriptor.js';

const field = (type: string, id: number, rule?: 'repeated') => (rule ? { type, id, rule } : { type, id });
const common = otlpTraceDescriptor.nested.otlp.nested;
const shared = {
  AnyValue: common.AnyValue,
  ArrayValue: common.ArrayValue,
  KeyValueList: common.KeyValueList,
  KeyValue: common.KeyValue,
  InstrumentationScope: common.InstrumentationScope,
  Resource: common.Resource,
};

export const otlpLogsDescriptor = {
  nested: {
    otlp: {
      nested: {
        ...shared,
        ExportLogsServiceRequest: { fields: { resourceLogs: field('ResourceLogs', 1, 'repeated') } },
        ResourceLogs: { fields: { resource: field('Resource', 1), scopeLogs: field('ScopeLogs', 2, 'repeated'), schemaUrl: field('string', 3) } },
        ScopeLogs: { fields: { scope: field('InstrumentationScope', 1), logRecords: field('LogRecord', 2, 'repeated'), schemaUrl: field('string', 3) } },
        LogRecord: {
          fields: {
            timeUnixNano: field('fixed64', 1),
            observedTimeUnixNano: field('fixed64', 11),
            severityNumber: field('int32', 2),
            severityText: field('string', 3),
            body: field('AnyValue', 5),
            attributes: field('KeyValue', 6, 'repeated'),
            droppedAttributesCount: field('uint32', 7),
            flags: field('fixed32', 8),
            traceId: field('bytes', 9),
            spanId: field('bytes', 10),
            eventName: field('string', 12),
          },
        },
      },
    },
  },
};

export const otlpMetricsDescriptor = {
  nested: {
    otlp: {
      nested: {
        ...shared,
        ExportMetricsServiceRequest: { fields: { resourceMetrics: field('ResourceMetrics', 1, 'repeated') } },
        ResourceMetrics: { fields: { resource: field('Resource', 1), scopeMetrics: field('ScopeMetrics', 2, 'repeated'), schemaUrl: field('string', 3) } },
        ScopeMetrics: { fields: { scope: field('InstrumentationScope', 1), metrics: field('Metric', 2, 'repeated'), schemaUrl: field('string', 3) } },
        Metric: {
          oneofs: { data: { oneof: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] } },
          fields: {
            name: field('string', 1),
            description: field('string', 2),
            unit: field('string', 3),
            gauge: field('Gauge', 5),
            sum: field('Sum', 7),
            histogram: field('Histogram', 9),
            exponentialHistogram: field('ExponentialHistogram', 10),
            summary: field('Summary', 11),
            metadata: field('KeyValue', 12, 'repeated'),
          },
        },
        Gauge: { fields: { dataPoints: field('NumberDataPoint', 1, 'repeated') } },
        Sum: { fields: { dataPoints: field('NumberDataPoint', 1, 'repeated'), aggregationTemporality: field('int32', 2), isMonotonic: field('bool', 3) } },
        Histogram: { fields: { dataPoints: field('HistogramDataPoint', 1, 'repeated'), aggregationTemporality: field('int32', 2) } },
        ExponentialHistogram: { fields: { dataPoints: field('ExponentialHistogramDataPoint', 1, 'repeated'), aggregationTemporality: field('int32', 2) } },
        Summary: { fields: { dataPoints: field('SummaryDataPoint', 1, 'repeated') } },
        NumberDataPoint: {
          oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
          fields: {
            attributes: field('KeyValue', 7, 'repeated'),
            startTimeUnixNano: field('fixed64', 2),
            timeUnixNano: field('fixed64', 3),
            asDouble: field('double', 4),
            asInt: field('sfixed64', 6),
            exemplars: field('Exemplar', 5, 'repeated'),
            flags: field('uint32', 8),
          },
        },
        HistogramDataPoint: {
          oneofs: { _sum: { oneof: ['sum'] }, _min: { oneof: ['min'] }, _max: { oneof: ['max'] } },
          fields: {
            attributes: field('KeyValue', 9, 'repeated'),
            startTimeUnixNano: field('fixed64', 2),
            timeUnixNano: field('fixed64', 3),
            count: field('fixed64', 4),
            sum: field('double', 5),
            bucketCounts: field('fixed64', 6, 'repeated'),
            explicitBounds: field('double', 7, 'repeated'),
            exemplars: field('Exemplar', 8, 'repeated'),
            flags: field('uint32', 10),
            min: field('double', 11),
            max: field('double', 12),
          },
        },
        ExponentialHistogramDataPoint: {
          oneofs: { _sum: { oneof: ['sum'] }, _min: { oneof: ['min'] }, _max: { oneof: ['max'] } },
          fields: {
            attributes: field('KeyValue', 1, 'repeated'),
            startTimeUnixNano: field('fixed64', 2),
            timeUnixNano: field('fixed64', 3),
            count: field('fixed64', 4),
            sum: field('double', 5),
            scale: field('sint32', 6),
            zeroCount: field('fixed64', 7),
            positive: field('Buckets', 8),
            negative: field('Buckets', 9),
            flags: field('uint32', 10),
            exemplars: field('Exemplar', 11, 'repeated'),
            min: field('double', 12),
            max: field('double', 13),
            zeroThreshold: field('double', 14),
          },
        },
        Buckets: { fields: { offset: field('sint32', 1), bucketCounts: field('uint64', 2, 'repeated') } },
        SummaryDataPoint: {
          fields: {
            attributes: field('KeyValue', 7, 'repeated'),
            startTimeUnixNano: field('fixed64', 2),
            timeUnixNano: field('fixed64', 3),
            count: field('fixed64', 4),
            sum: field('double', 5),
            quantileValues: field('ValueAtQuantile', 6, 'repeated'),
            flags: field('uint32', 8),
          },
        },
        ValueAtQuantile: { fields: { quantile: field('double', 1), value: field('double', 2) } },
        Exemplar: {
          oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
          fields: {
            filteredAttributes: field('KeyValue', 7, 'repeated'),
            timeUnixNano: field('fixed64', 2),
            asDouble: field('double', 3),
            asInt: field('sfixed64', 6),
            spanId: field('bytes', 4),
            traceId: field('bytes', 5),
          },
        },
      },
    },
  },
};
