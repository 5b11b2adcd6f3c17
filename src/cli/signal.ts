// Which signal an OTLP file holds. OTLP/JSON says so in its top-level key (resourceSpans,
// resourceLogs, resourceMetrics, or their snake_case spellings). Protobuf does not: the three export
// requests share their envelope field for field, so a file is decoded as each signal in turn and the
// signals whose decoders — which validate every field — accept it are the candidates. Real items
// fit one signal only (a span's times are fixed64 where a log record's severity is a varint and a
// metric's data a message); an empty request or field-less items fit all, and then traces is chosen.
import { TraceBatch } from '../otlp/trace-batch.js';
import { LogBatch } from '../otlp/log-batch.js';
import { MetricBatch } from '../otlp/metric-batch.js';
import { OtlpDecodeError } from '../core/errors.js';
import type { DecodeOptions } from '../otlp/decode-options.js';
import { UsageError, InputError } from './errors.js';

export type Signal = 'traces' | 'logs' | 'metrics';
export type SignalBatch = TraceBatch | LogBatch | MetricBatch;

export const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];

/** The OTLP/JSON key of each signal's top-level list. */
export const JSON_KEYS: Readonly<Record<Signal, string>> = { traces: 'resourceSpans', logs: 'resourceLogs', metrics: 'resourceMetrics' };

const KEY_SIGNAL: Readonly<Record<string, Signal>> = {
  resourceSpans: 'traces',
  resource_spans: 'traces',
  resourceLogs: 'logs',
  resource_logs: 'logs',
  resourceMetrics: 'metrics',
  resource_metrics: 'metrics',
};

export function parseSignal(value: string | undefined, command: string): Signal | undefined {
  if (value === undefined) return undefined;
  if ((SIGNALS as readonly string[]).includes(value)) return value as Signal;
  throw new UsageError(`${command}: unknown signal "${value}" (expected traces, logs or metrics)`);
}

/**
 * The keys of a JSON document's top-level object, read without building it: strings are skipped
 * with their escapes and nesting is only counted, so a huge or deeply nested document costs one
 * linear scan and no memory.
 */
export function topLevelKeys(bytes: Uint8Array): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x22) {
      const start = i + 1;
      for (i++; i < bytes.length && bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
      if (depth !== 1) continue;
      let j = i + 1;
      while (j < bytes.length && (bytes[j] === 0x20 || bytes[j] === 0x09 || bytes[j] === 0x0a || bytes[j] === 0x0d)) j++;
      if (bytes[j] === 0x3a) keys.push(new TextDecoder().decode(bytes.subarray(start, i)));
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return keys;
}

/** The signal an OTLP/JSON document holds, or undefined when it names none (`{}`). */
export function jsonSignal(bytes: Uint8Array, source: string): Signal | undefined {
  const found = [...new Set(topLevelKeys(bytes).map((k) => KEY_SIGNAL[k]).filter((s): s is Signal => s !== undefined))];
  if (found.length > 1) throw new InputError(`${source}: holds ${found.map((s) => JSON_KEYS[s]).join(' and ')}; one request holds one signal`);
  return found[0];
}

export function decodeProtobufAs(signal: Signal, bytes: Uint8Array, options: DecodeOptions): SignalBatch {
  if (signal === 'logs') return LogBatch.fromProtobuf(bytes, options);
  if (signal === 'metrics') return MetricBatch.fromProtobuf(bytes, options);
  return TraceBatch.fromProtobuf(bytes, options);
}

export function decodeJsonAs(signal: Signal, bytes: Uint8Array, options: DecodeOptions): SignalBatch {
  if (signal === 'logs') return LogBatch.fromJSON(bytes, options);
  if (signal === 'metrics') return MetricBatch.fromJSON(bytes, options);
  return TraceBatch.fromJSON(bytes, options);
}

/** The signals whose decoders accept `bytes` (each validates every field). */
export function acceptedSignals(bytes: Uint8Array, options: DecodeOptions = {}): Signal[] {
  const accepted: Signal[] = [];
  for (const signal of SIGNALS) {
    try {
      decodeProtobufAs(signal, bytes, { ...options, allowEmpty: true }).dispose();
      accepted.push(signal);
    } catch (err) {
      if (!(err instanceof OtlpDecodeError)) throw err;
    }
  }
  return accepted;
}

/** A document as far as inferring its signal goes. */
export interface SignalSource {
  readonly source: string;
  readonly format: 'pb' | 'json';
  readonly bytes: Uint8Array;
}

/**
 * The one signal that fits every document: JSON documents name theirs; a protobuf document fits the
 * signals whose decoders accept it (one that none accepts constrains nothing — its decode error is
 * reported when it is read). Several fit (empty requests, field-less records): traces. None fits:
 * the documents disagree, an error naming two of them.
 */
export function inferSignal(docs: readonly SignalSource[]): Signal {
  let candidates = new Set<Signal>(SIGNALS);
  const reasons: string[] = [];
  for (const doc of docs) {
    const fits = doc.format === 'json' ? [jsonSignal(doc.bytes, doc.source)].filter((s): s is Signal => s !== undefined) : acceptedSignals(doc.bytes);
    if (!fits.length) continue;
    const next = new Set([...candidates].filter((s) => fits.includes(s)));
    reasons.push(`${doc.source} holds ${fits.join(' or ')}`);
    if (!next.size) throw new InputError(`the inputs hold different signals (${reasons.slice(-2).join(', ')}); convert each signal separately`);
    candidates = next;
  }
  return candidates.has('traces') ? 'traces' : [...candidates][0]!;
}

export function signalOf(batch: SignalBatch): Signal {
  return batch instanceof LogBatch ? 'logs' : batch instanceof MetricBatch ? 'metrics' : 'traces';
}

