import type { ProcessorFactory } from '../../pipeline/component-registry.js';
import { readLogsFollowTracesConfig } from './logs-follow-traces-config.js';
import type { LogsFollowTracesConfig } from './logs-follow-traces-config.js';
import { LogsFollowTracesProcessor } from './logs-follow-traces-processor.js';

export const logsFollowTracesProcessorFactory: ProcessorFactory<LogsFollowTracesConfig> = {
  type: 'logs_follow_traces',
  signals: ['logs'],
  readConfig: readLogsFollowTracesConfig,
  create: (config, context) => new LogsFollowTracesProcessor(config, context),
};
