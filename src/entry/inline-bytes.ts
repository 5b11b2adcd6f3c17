// Decodes the base64 copy of core.wasm that the build writes to core-bytes.js.
import { coreBase64 } from './core-bytes.js';

export function coreBytes(): Uint8Array {
  const text = atob(coreBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
