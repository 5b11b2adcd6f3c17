// LogBatch: one ExportLogsServiceRequest held in WebAssembly memory with its log record table —
// TraceBatch's shape for logs. Indexed lazily, written out by the splice encoder (kept records'
// original bytes copied), with OtlpBatch's lifecycle, limits, errors and output.
import * as L from '../../assembly/abi/logs-layout.js';
import * as B from '../../assembly/abi/batch-layout.js';
import * as ERR from '../../assembly/abi/errors.js';
import type { Core } from '../core/core.js';
import { LogRecordView, LogResourceView, LogScopeView } from './log-views.js';
import type { LogRows } from './log-views.js';
import { logBatchToJSON } from './log-json.js';
import type { OtlpJsonLogs } from './log-json.js';
import { otlpJsonInputToProtobuf } from './otlp-json-input.js';
import { ExportLogsServiceRequest } from './schema/logs.js';
import { OtlpBatch, copyRequestIn, depthLimit, limitValue } from './otlp-batch.js';
import type { SignalSpec } from './otlp-batch.js';
import type { DecodeOptions } from './decode-options.js';
import { spliceOutputOptions } from './decode-options.js';

const LOGS: SignalSpec = {
  name: 'LogBatch',
  requestMessage: ERR.MSG_LOGS_REQUEST,
  indexName: 'logsIndex',
  attributesName: 'logsIndexAttributes',
  index: (ex, input, length, options) => ex.logsIndex(input, length, options),
  indexAttributes: (ex, header) => ex.logsIndexAttributes(header),
  free: (ex, header) => ex.logsFree(header),
  // The options block the core reads (O_* in logs-layout).
  limits: (o) => [
    depthLimit(o),
    limitValue('maxAttributesPerLogRecord', o.maxAttributesPerLogRecord),
    limitValue('maxLogRecords', o.maxLogRecords),
    0xffffffff,
  ],
  tables: [B.B_RESOURCES, B.B_SCOPES, L.B_RECORDS, B.B_ATTRS, B.B_NESTED, B.B_EXTRA],
};

export class LogBatch extends OtlpBatch implements Iterable<LogRecordView>, LogRows {
  private constructor(core: Core, input: number, length: number, options: DecodeOptions) {
    super(LOGS, core, input, length, options);
  }

  /** Reads an ExportLogsServiceRequest in protobuf. The bytes are copied into the core. */
  static fromProtobuf(bytes: Uint8Array, options: DecodeOptions = {}): LogBatch {
    const [core, input] = copyRequestIn(bytes, options, LOGS);
    const batch = new LogBatch(core, input, bytes.length, options);
    batch.index();
    return batch;
  }

  /**
   * Reads OTLP/JSON logs (text, UTF-8 bytes, or an already-parsed object), leniently like the
   * collector: hex ids in any case, int64 as number or string, enum names (SEVERITY_NUMBER_INFO) or
   * numbers, camelCase or snake_case keys. Errors name the line and column (or the JSON path).
   */
  static fromJSON(input: string | Uint8Array | object, options: DecodeOptions = {}): LogBatch {
    const bytes = otlpJsonInputToProtobuf(input, options, ExportLogsServiceRequest);
    return LogBatch.fromProtobuf(bytes, { ...options, allowEmpty: true });
  }

  /** @internal Wraps bytes the core already holds (a splice result); indexed on first use. */
  static fromCoreBuffer(core: Core, input: number, length: number, options: DecodeOptions): LogBatch {
    return new LogBatch(core, input, length, options);
  }

  protected indexed(): void {}

  /** @internal */ recordRow(i: number): number {
    return this.itemTable + i * L.LR_ROW;
  }

  get logRecordCount(): number {
    this.headerPtr;
    return this.nItems;
  }

  /** A lazy view of log record `i` (0 ≤ i < logRecordCount), in wire order. */
  logRecord(i: number): LogRecordView {
    this.headerPtr;
    this.checkIndex('logRecord', i, this.nItems);
    return new LogRecordView(this, i);
  }

  /** Lazy views of every log record, in wire order. */
  logRecords(): LogRecordView[] {
    this.headerPtr;
    return Array.from({ length: this.nItems }, (_, i) => new LogRecordView(this, i));
  }

  *[Symbol.iterator](): Iterator<LogRecordView> {
    const n = this.logRecordCount;
    for (let i = 0; i < n; i++) yield new LogRecordView(this, i);
  }

  resource(i: number): LogResourceView {
    this.headerPtr;
    this.checkIndex('resource', i, this.nResources);
    return new LogResourceView(this, i);
  }

  scope(i: number): LogScopeView {
    this.headerPtr;
    this.checkIndex('scope', i, this.nScopes);
    return new LogScopeView(this, i);
  }

  /** Keeps the records for which `predicate` returns true; scopes and resources left empty are dropped. */
  filter(predicate: (record: LogRecordView, index: number) => boolean): LogBatch {
    const n = this.logRecordCount;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = predicate(new LogRecordView(this, i), i) ? 1 : 0;
    return this.select(mask);
  }

  /** Keeps record i where mask[i] is truthy (mask.length must equal logRecordCount). */
  select(mask: ArrayLike<number | boolean>): LogBatch {
    const header = this.headerPtr;
    return this.splice(header, this.maskInCore(mask, this.nItems, 'log records'));
  }

  /**
   * @internal Runs the splice encoder: `keep` a mask in core memory (0 = keep all); `recordRepl`,
   * `resourceRepl`, `scopeRepl` (pointer, length) pairs of replacement content in core memory, or 0.
   */
  splice(header: number, keep: number, recordRepl = 0, resourceRepl = 0, scopeRepl = 0): LogBatch {
    const status = this.core.call('logsSplice', (ex) => ex.logsSplice(header, keep, recordRepl, resourceRepl, scopeRepl));
    const [ptr, len] = this.spliceResult(status);
    return LogBatch.fromCoreBuffer(this.core, ptr, len, spliceOutputOptions(this.options));
  }

  protected rewritten(): LogBatch {
    return this.splice(this.header, 0);
  }

  /** Strict OTLP/JSON as a plain object (JSON.stringify(batch) gives the text). */
  toJSON(): OtlpJsonLogs {
    this.headerPtr;
    return logBatchToJSON(this);
  }
}
