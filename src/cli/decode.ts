// Turns an input document into a TraceBatch, with errors that name the file and position.
import { TraceBatch } from '../otlp/trace-batch.js';
import type { DecodeOptions } from '../otlp/trace-batch.js';
import type { InputDocument } from './io.js';
import { OtlpJsonError } from '../otlp/json/otlp-json-error.js';

export function decodeDocument(doc: InputDocument, options: DecodeOptions = {}): TraceBatch {
  if (doc.format === 'pb') return TraceBatch.fromProtobuf(doc.bytes, { ...options, source: doc.source });
  if (doc.line === undefined) return TraceBatch.fromJSON(doc.bytes, { ...options, source: doc.source });
  // A line of a .jsonl file: report the position in the file, not in the line.
  try {
    return TraceBatch.fromJSON(doc.bytes, options);
  } catch (err) {
    if (err instanceof OtlpJsonError) {
      const file = doc.source.slice(0, doc.source.lastIndexOf(':'));
      err.message = `${file}: line ${doc.line}, column ${err.column}${err.path ? ` (${err.path})` : ''}: ${err.reason}`;
    }
    throw err;
  }
}
