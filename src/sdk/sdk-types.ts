// The OpenTelemetry JS SDK's trace interfaces, restated structurally. SpanProcessor, SpanExporter,
// ReadableSpan and ExportResult have the same shape in SDK 2.x (@opentelemetry/sdk-trace-base)
// and 3.x (@opentelemetry/sdk-trace); declaring them here, rather than importing them, keeps one
// build usable with both and keeps @opentelemetry packages out of our dependencies and out of the
// edge entry. Field docs are the SDK's semantics.

/** [seconds, nanoseconds]. */
export type HrTime = [number, number];

export type AttributeValue =
  | string
  | number
  | boolean
  | Array<null | undefined | string>
  | Array<null | undefined | number>
  | Array<null | undefined | boolean>;

/** Span attributes; the SDK's OTLP serializer also encodes Uint8Array, nested arrays and plain objects. */
export interface Attributes {
  [key: string]: AttributeValue | undefined | unknown;
}

export interface TraceState {
  set(key: string, value: string): TraceState;
  unset(key: string): TraceState;
  get(key: string): string | undefined;
  serialize(): string;
}

export interface SpanContext {
  traceId: string;
  spanId: string;
  isRemote?: boolean;
  /** W3C trace flags; bit 0 = sampled. */
  traceFlags: number;
  traceState?: TraceState;
}

export interface SpanStatus {
  /** 0 UNSET, 1 OK, 2 ERROR. */
  code: number;
  message?: string;
}

export interface Link {
  context: SpanContext;
  attributes?: Attributes;
  droppedAttributesCount?: number;
}

export interface TimedEvent {
  time: HrTime;
  name: string;
  attributes?: Attributes;
  droppedAttributesCount?: number;
}

export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
  readonly attributes?: Attributes;
  readonly droppedAttributesCount?: number;
}

export interface Resource {
  readonly asyncAttributesPending?: boolean;
  readonly attributes: Attributes;
  readonly schemaUrl?: string;
  waitForAsyncAttributes?(): Promise<void>;
  merge(other: Resource | null): Resource;
  getRawAttributes(): [string, unknown][];
}

export interface ReadableSpan {
  readonly name: string;
  /** API SpanKind: INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4 (OTLP's kind minus one). */
  readonly kind: number;
  readonly spanContext: () => SpanContext;
  readonly parentSpanContext?: SpanContext;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

/** What onStart receives: a live span; we only read its context. */
export interface SpanLike {
  spanContext(): SpanContext;
}

/** @opentelemetry/core ExportResultCode, as literals so nothing is imported at runtime. */
export const EXPORT_SUCCESS = 0;
export const EXPORT_FAILED = 1;

export interface ExportResult {
  code: typeof EXPORT_SUCCESS | typeof EXPORT_FAILED | number;
  error?: Error;
}

export interface SpanExporter {
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export interface SpanProcessor {
  forceFlush(): Promise<void>;
  onStart(span: SpanLike, parentContext: unknown): void;
  onEnd(span: ReadableSpan): void;
  shutdown(): Promise<void>;
}
