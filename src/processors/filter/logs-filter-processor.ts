// The filter processor for logs: OTTL conditions on resources, scopes and log records (the
// collector's logs.log_record / log_conditions). Scopes and resources left empty are dropped.
import type { LogBatch } from '../../otlp/log-batch.js';
import type { ComponentContext } from '../../pipeline/types.js';
import type { FilterConfig } from './filter-config.js';
import type { FilterOutcome } from './filter-run.js';
import { SignalFilterProcessor } from './signal-filter-processor.js';
import type { LogsProcessor } from '../../pipeline/types.js';

export class LogsFilterProcessor extends SignalFilterProcessor<LogBatch> implements LogsProcessor {
  private readonly counts = { records: 0, errors: 0 };

  constructor(config: FilterConfig, context: ComponentContext) {
    super(config.logs, context);
  }

  protected itemCount(batch: LogBatch): number {
    return batch.logRecordCount;
  }

  protected splice(batch: LogBatch, outcome: FilterOutcome): LogBatch {
    return batch.splice(batch.headerPtr, outcome.keep);
  }

  protected count(before: LogBatch, after: LogBatch | undefined, outcome: FilterOutcome): void {
    this.counts.errors += outcome.errors;
    this.counts.records += before.logRecordCount - (after?.logRecordCount ?? 0);
  }

  counters(): Readonly<Record<string, number>> {
    return { 'logs.filtered': this.counts.records, condition_errors: this.counts.errors };
  }
}
