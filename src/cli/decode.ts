// Turns an input document into a batch, with errors that name the file and position.
import { TraceBatch } from '../otlp/trace-batch.js';
import type { DecodeOptions } from '../otlp/trace-batch.js';
import type { InputDocument } from './io.js';
import { OtlpJsonError } from '../otlp/json/otlp-json-error.js';
import { InputError } from './errors.js';
import { decodeJsonAs, decodeProtobufAs, jsonSignal, JSON_KEYS } from './signal.js';
import type { Signal, SignalBatch } from './signal.js';

export function decodeDocument(doc: InputDocument, options: DecodeOptions = {}): TraceBatch {
  return decodeSignalDocument(doc, 'traces', options) as TraceBatch;
}

/**
 * Decodes a document as `signal` (see inferSignal for choosing it). A JSON document naming another
 * signal in its top-level key is an error rather than a silently empty request.
 */
export function decodeSignalDocument(doc: InputDocument, signal: Signal, options: DecodeOptions = {}): SignalBatch {
  if (doc.format === 'pb') return decodeProtobufAs(signal, doc.bytes, { ...options, source: doc.source });
  const detected = jsonSignal(doc.bytes, doc.source);
  if (detected && signal !== detected) {
    throw new InputError(`${doc.source}: holds ${JSON_KEYS[detected]} (${detected}), but --signal is ${signal}`);
  }
  const chosen = detected ?? signal;
  if (doc.line === undefined) return decodeJsonAs(chosen, doc.bytes, { ...options, source: doc.source });
  // A line of a .jsonl file: report the position in the file, not in the line.
  try {
    return decodeJsonAs(chosen, doc.bytes, options);
  } catch (err) {
    if (err instanceof OtlpJsonError) {
      const file = doc.source.slice(0, doc.source.lastIndexOf(':'));
      err.message = `${file}: line ${doc.line}, column ${err.column}${err.path ? ` (${err.path})` : ''}: ${err.reason}`;
    }
    throw err;
  }
}
