// The gateway's structured log: one JSON object per line on stderr (the collector's logs go to
// stderr too), with a timestamp, a level, a message and fields. Lines under the configured level
// (service.telemetry.logs.level) are not written.
import type { LogLevel } from './gateway-config.js';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Errors become their message (and stack at debug); bigints become strings, so a line always serialises. */
function plain(value: unknown, level: LogLevel): unknown {
  if (value instanceof Error) return level === 'debug' && value.stack ? value.stack : value.message;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const min = RANK[level];
  const log = (at: LogLevel, msg: string, fields: LogFields = {}) => {
    if (RANK[at] < min) return;
    const record: Record<string, unknown> = { ts: new Date().toISOString(), level: at, msg };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) record[k] = plain(v, level);
    write(`${JSON.stringify(record)}\n`);
  };
  return {
    level,
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}
