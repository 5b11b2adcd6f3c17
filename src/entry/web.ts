// Browser and Deno entry: fetches core.wasm relative to this module (bundlers rewrite the URL
// pattern and emit the asset). If fetching is impossible — Deno without --allow-read, a bundle
// that dropped the asset — it falls back to the bytes inlined in core-bytes.js, loaded lazily so
// the common path doesn't pay for them.
import { setDefaultSource } from '../core/init.js';

setDefaultSource(async () => {
  try {
    const res = await fetch(new URL('../../core.wasm', import.meta.url));
    if (res.ok) return res;
  } catch {
    // fall back below
  }
  const { coreBytes } = await import('./inline-bytes.js');
  return coreBytes();
});

export * from '../index.js';
