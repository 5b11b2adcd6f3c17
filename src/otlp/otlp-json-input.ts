// OTLP/JSON → protobuf for every batch's fromJSON: the streaming transcoder (json/json-to-proto.ts)
// with the batch's decode limits, so JSON and protobuf input are held to the same rules.
import { otlpJsonToProtobuf } from './json/json-to-proto.js';
import { OtlpJsonError } from './json/otlp-json-error.js';
import type { MessageDescriptor } from './schema/descriptor.js';
import { DEFAULT_DECODE_OPTIONS } from './decode-options.js';
import type { DecodeOptions } from './decode-options.js';

const textEncoder = new TextEncoder();

/** JSON.stringify that keeps bigint values exact (as decimal strings, which OTLP/JSON accepts). */
function stringify(value: object): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Transcodes OTLP/JSON (text, UTF-8 bytes, or an already-parsed object) into the protobuf encoding
 * of `request` (an Export*ServiceRequest descriptor).
 */
export function otlpJsonInputToProtobuf(input: string | Uint8Array | object, options: DecodeOptions, request: MessageDescriptor): Uint8Array {
  const text = typeof input === 'string' || input instanceof Uint8Array ? input : stringify(input);
  const maxDepth = options.maxDepth ?? DEFAULT_DECODE_OPTIONS.maxDepth;
  const bytes = typeof text === 'string' ? textEncoder.encode(text) : text;
  if (bytes.length === 0 && (options.allowEmpty ?? DEFAULT_DECODE_OPTIONS.allowEmpty)) return new Uint8Array(0);
  try {
    return otlpJsonToProtobuf(bytes, request, {
      maxInputBytes: options.maxBytes ?? DEFAULT_DECODE_OPTIONS.maxBytes,
      maxAnyValueDepth: maxDepth,
      maxJsonDepth: Math.max(512, 4 * maxDepth + 16),
    });
  } catch (err) {
    if (err instanceof OtlpJsonError && options.source) err.message = `${options.source}: ${err.message}`;
    throw err;
  }
}
