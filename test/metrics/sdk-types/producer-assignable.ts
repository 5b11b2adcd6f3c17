// Compiled (not run) by metric-producer.test.ts: our structural SDK types must be assignable to the
// real @opentelemetry/sdk-metrics interfaces, so `metricProducers: [producer]` type-checks for users.
import type { MetricProducer, MetricReaderOptions, ResourceMetrics, CollectionResult } from '@opentelemetry/sdk-metrics';
import { createMetricProducer, toSdkResourceMetrics } from 'otel-sieve';
import type { SdkCollectionResult, MetricsData } from 'otel-sieve';

declare const data: MetricsData;
const producer: MetricProducer = createMetricProducer({ collect: () => data });
const options: MetricReaderOptions = { metricProducers: [producer] };
const resourceMetrics: ResourceMetrics = toSdkResourceMetrics(data);
declare const ours: SdkCollectionResult;
const result: CollectionResult = ours;
export { options, resourceMetrics, result };
