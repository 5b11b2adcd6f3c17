// PLACEHOLDER until the JSON transcoder lands (replaced before commit).
import type { DecodeOptions } from './trace-batch.js';
export function traceJsonToProtobuf(_input: string | Uint8Array | object, _options: DecodeOptions): Uint8Array {
  throw new Error('not yet');
}
