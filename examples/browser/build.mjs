// Bundles the page with esbuild for browsers and puts core.wasm beside the bundle (esbuild leaves
// `new URL('./core.wasm', import.meta.url)` alone and does not copy the file; Vite, webpack 5 and
// Parcel do both themselves). Usage: node build.mjs [outdir]  (default: ./dist)
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const outdir = resolve(process.argv[2] ?? join(here, 'dist'));
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'app.js')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outfile: join(outdir, 'app.js'),
  logLevel: 'warning',
});
const require = createRequire(join(here, 'src', 'app.js'));
await copyFile(require.resolve('otel-sieve/core.wasm'), join(outdir, 'core.wasm'));
console.log(JSON.stringify({ built: outdir }));
