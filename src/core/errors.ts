// Typed errors of the facade. Each names what went wrong and where (byte offset, message and
// field, the limit broken) so a user can act on it without reading our code.
import * as E from '../../assembly/abi/errors.js';

/** Using the API before init() resolved (esbuild-style: fail loudly, never half-work). */
export class NotInitializedError extends Error {
  override name = 'NotInitializedError';
  constructor() {
    super('otel-sieve is not initialised: call `await init()` (or `initSync(module)`) before using the API');
  }
}

/** The core trapped (a bug, or the host refused memory). The instance was replaced; retry works. */
export class CoreTrapError extends Error {
  override name = 'CoreTrapError';
  constructor(readonly operation: string, cause: unknown) {
    super(`the WebAssembly core trapped during ${operation} (${String((cause as Error)?.message ?? cause)}); the instance was discarded and a fresh one created — retry the call`, { cause });
  }
}

/** An object (batch, filter…) created by an instance that has since been discarded after a trap. */
export class StaleHandleError extends Error {
  override name = 'StaleHandleError';
  constructor(what: string) {
    super(`${what} belonged to a WebAssembly instance that was discarded after a trap; create it again`);
  }
}

/** Use after dispose(). */
export class DisposedError extends Error {
  override name = 'DisposedError';
  constructor(what: string) {
    super(`${what} was disposed`);
  }
}

export type DecodeRule =
  | 'truncated varint'
  | 'varint overflows 64 bits'
  | 'length past end'
  | 'wrong wire type'
  | 'invalid wire type'
  | 'field number 0'
  | 'depth limit'
  | 'count limit'
  | 'invalid id length'
  | 'truncated fixed-width value'
  | 'unexpected end group'
  | 'unterminated group'
  | 'out of memory'
  | 'input too large'
  | 'tag overflows 32 bits'
  | 'empty input'
  | 'bad argument'
  | 'packed length';

const RULES: Record<number, DecodeRule> = {
  [E.ERR_TRUNCATED_VARINT]: 'truncated varint',
  [E.ERR_VARINT_OVERFLOW]: 'varint overflows 64 bits',
  [E.ERR_LENGTH_PAST_END]: 'length past end',
  [E.ERR_WRONG_WIRE_TYPE]: 'wrong wire type',
  [E.ERR_INVALID_WIRE_TYPE]: 'invalid wire type',
  [E.ERR_FIELD_ZERO]: 'field number 0',
  [E.ERR_DEPTH_LIMIT]: 'depth limit',
  [E.ERR_COUNT_LIMIT]: 'count limit',
  [E.ERR_INVALID_ID_LENGTH]: 'invalid id length',
  [E.ERR_TRUNCATED_FIXED]: 'truncated fixed-width value',
  [E.ERR_UNEXPECTED_END_GROUP]: 'unexpected end group',
  [E.ERR_UNTERMINATED_GROUP]: 'unterminated group',
  [E.ERR_OUT_OF_MEMORY]: 'out of memory',
  [E.ERR_INPUT_TOO_LARGE]: 'input too large',
  [E.ERR_TAG_OVERFLOW]: 'tag overflows 32 bits',
  [E.ERR_EMPTY_INPUT]: 'empty input',
  [E.ERR_BAD_ARGUMENT]: 'bad argument',
  [E.ERR_PACKED_LENGTH]: 'packed length',
};

const MESSAGES: Record<number, string> = {
  [E.MSG_TRACE_REQUEST]: 'ExportTraceServiceRequest',
  [E.MSG_RESOURCE_SPANS]: 'ResourceSpans',
  [E.MSG_RESOURCE]: 'Resource',
  [E.MSG_SCOPE_SPANS]: 'ScopeSpans',
  [E.MSG_SCOPE]: 'InstrumentationScope',
  [E.MSG_SPAN]: 'Span',
  [E.MSG_EVENT]: 'Span.Event',
  [E.MSG_LINK]: 'Span.Link',
  [E.MSG_STATUS]: 'Status',
  [E.MSG_KEY_VALUE]: 'KeyValue',
  [E.MSG_ANY_VALUE]: 'AnyValue',
  [E.MSG_ARRAY_VALUE]: 'ArrayValue',
  [E.MSG_KEY_VALUE_LIST]: 'KeyValueList',
  [E.MSG_LOGS_REQUEST]: 'ExportLogsServiceRequest',
  [E.MSG_RESOURCE_LOGS]: 'ResourceLogs',
  [E.MSG_SCOPE_LOGS]: 'ScopeLogs',
  [E.MSG_LOG_RECORD]: 'LogRecord',
  [E.MSG_METRICS_REQUEST]: 'ExportMetricsServiceRequest',
  [E.MSG_RESOURCE_METRICS]: 'ResourceMetrics',
  [E.MSG_SCOPE_METRICS]: 'ScopeMetrics',
  [E.MSG_METRIC]: 'Metric',
  [E.MSG_GAUGE]: 'Gauge',
  [E.MSG_SUM]: 'Sum',
  [E.MSG_HISTOGRAM]: 'Histogram',
  [E.MSG_EXPONENTIAL_HISTOGRAM]: 'ExponentialHistogram',
  [E.MSG_SUMMARY]: 'Summary',
  [E.MSG_NUMBER_DATA_POINT]: 'NumberDataPoint',
  [E.MSG_HISTOGRAM_DATA_POINT]: 'HistogramDataPoint',
  [E.MSG_EXPONENTIAL_HISTOGRAM_DATA_POINT]: 'ExponentialHistogramDataPoint',
  [E.MSG_SUMMARY_DATA_POINT]: 'SummaryDataPoint',
  [E.MSG_BUCKETS]: 'ExponentialHistogramDataPoint.Buckets',
  [E.MSG_VALUE_AT_QUANTILE]: 'SummaryDataPoint.ValueAtQuantile',
  [E.MSG_EXEMPLAR]: 'Exemplar',
};

/** What a request-wide count limit counts, by the message the core names, and the option that sets it. */
const COUNTED: Record<number, string> = {
  [E.MSG_SPAN]: 'spans per request (DecodeOptions.maxSpans)',
  [E.MSG_LOG_RECORD]: 'log records per request (DecodeOptions.maxLogRecords)',
  [E.MSG_NUMBER_DATA_POINT]: 'data points per request (DecodeOptions.maxDataPoints)',
  [E.MSG_HISTOGRAM_DATA_POINT]: 'data points per request (DecodeOptions.maxDataPoints)',
  [E.MSG_EXPONENTIAL_HISTOGRAM_DATA_POINT]: 'data points per request (DecodeOptions.maxDataPoints)',
  [E.MSG_SUMMARY_DATA_POINT]: 'data points per request (DecodeOptions.maxDataPoints)',
};

const WIRE_TYPES = ['varint', 'fixed64', 'length-delimited', 'start group', 'end group', 'fixed32', '6', '7'];

/** A record read from the core's error slot. */
export interface CoreErrorRecord {
  code: number;
  offset: number;
  message: number;
  field: number;
  detail: bigint;
}

/** Malformed or over-limit protobuf input. */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
  /** The rule broken, e.g. 'length past end'. */
  readonly rule: DecodeRule;
  /** Byte offset in the input where the problem starts (0 for errors not tied to a position). */
  readonly offset: number;
  /** The protobuf message being read, e.g. 'Span', or '' when not tied to a position. */
  readonly messageType: string;
  /** The field number being read (0 if none). */
  readonly field: number;
  /** The source name (file) if the caller gave one. */
  readonly source: string | undefined;

  constructor(record: CoreErrorRecord, inputLength: number, source?: string) {
    const rule = RULES[record.code] ?? 'bad argument';
    const where = MESSAGES[record.message];
    const detail = describe(record, inputLength);
    // Budget and request-wide count errors are about the input as a whole, not a byte in it.
    const whole = record.code === E.ERR_OUT_OF_MEMORY || record.code === E.ERR_COUNT_LIMIT;
    const location = whole
      ? 'input'
      : where
        ? `byte ${record.offset} (${where}${record.field ? ` field ${record.field}` : ''})`
        : `byte ${record.offset}`;
    super(`${source ? `${source}: ` : ''}${location}: ${rule}${detail ? ` — ${detail}` : ''}`);
    this.rule = rule;
    this.offset = record.offset;
    this.messageType = where ?? '';
    this.field = record.field;
    this.source = source;
  }
}

function describe(r: CoreErrorRecord, inputLength: number): string {
  switch (r.code) {
    case E.ERR_LENGTH_PAST_END:
      return `length prefix says ${r.detail} bytes but the enclosing message ends ${inputLength - r.offset > 0 ? 'sooner' : 'here'} (input is ${inputLength} bytes)`;
    case E.ERR_WRONG_WIRE_TYPE:
      return `field ${r.field} cannot be ${WIRE_TYPES[Number(r.detail)] ?? String(r.detail)}`;
    case E.ERR_INVALID_WIRE_TYPE:
      return `wire type ${r.detail} does not exist`;
    case E.ERR_DEPTH_LIMIT:
      return `AnyValue nesting deeper than the limit of ${r.detail}`;
    case E.ERR_COUNT_LIMIT: {
      const what = COUNTED[r.message];
      return `more than the limit of ${r.detail}${what ? ` ${what}` : ''}`;
    }
    case E.ERR_PACKED_LENGTH:
      return `packed ${r.detail}-byte values, but the field's length is not a multiple of ${r.detail}`;
    case E.ERR_INVALID_ID_LENGTH:
      return `id is ${r.detail} bytes; trace ids must be 16 bytes and span ids 8 (or empty)`;
    case E.ERR_TRUNCATED_FIXED:
      return `needs ${r.detail} bytes, the message ends first`;
    case E.ERR_OUT_OF_MEMORY:
      return `the core's memory budget cannot hold ${r.detail} more bytes (raise init({ memoryLimit }))`;
    case E.ERR_TAG_OVERFLOW:
      return `tag value ${r.detail}`;
    case E.ERR_UNEXPECTED_END_GROUP:
    case E.ERR_UNTERMINATED_GROUP:
      return `group field ${r.detail}`;
    case E.ERR_FIELD_ZERO:
      return 'protobuf field numbers start at 1';
    default:
      return '';
  }
}

/** An input larger than the configured byte limit. */
export class InputTooLargeError extends Error {
  override name = 'InputTooLargeError';
  constructor(readonly size: number, readonly limit: number, source?: string) {
    super(`${source ? `${source}: ` : ''}input is ${size} bytes, over the limit of ${limit} bytes (maxBytes)`);
  }
}
