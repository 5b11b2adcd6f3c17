// Turns an input document into a TraceBatch, with errors that name the file and position.
import { TraceBatch } from '../otlp/trace-batch.js';
import type { DecodeOptions } from '../otlp/trace-batch.js';
import type { InputDocument } from './io.js';

export function decodeDocument(doc: InputDocument, options: DecodeOptions = {}): TraceBatch {
  const opts: DecodeOptions = { ...options, source: doc.source };
  if (doc.format === 'pb') return TraceBatch.fromProtobuf(doc.bytes, opts);
  return TraceBatch.fromJSON(doc.bytes, opts);
}
