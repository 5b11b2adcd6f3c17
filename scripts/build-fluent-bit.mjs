// Builds the Fluent Bit filter_wasm module: the core's logs code plus the shim in
// bindings/fluent-bit/assembly, compiled WITHOUT SIMD (Fluent Bit's WAMR interpreter lacks it),
// with no imports, exporting malloc/free and otel_sieve_filter. The result carries no program:
// `otel-sieve fluent-bit --config C.yaml --output F.wasm` bakes a logs pipeline into a copy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
const out = join(root, 'dist', 'fluent-bit', 'otel-sieve-filter.wasm');
mkdirSync(dirname(out), { recursive: true });
execFileSync(process.execPath, [
  asc, 'bindings/fluent-bit/assembly/filter.ts',
  '--runtime', 'minimal',
  '--use', 'abort=bindings/fluent-bit/assembly/filter/onAbort',
  '--noAssert',
  '--optimizeLevel', '3',
  '--shrinkLevel', '1',
  // The static data includes the 1 MiB program area (bindings/fluent-bit/assembly/filter.ts): room
  // for the DFAs of common value patterns (a 16-digit card number's is ~850 KB).
  '--initialMemory', '24',
  '--maximumMemory', '4096',
  '--outFile', out,
], { cwd: root, stdio: 'inherit' });
const wasm = readFileSync(out);
const mod = new WebAssembly.Module(wasm);
const imports = WebAssembly.Module.imports(mod);
if (imports.length) {
  console.error(`the Fluent Bit module must not import anything, found: ${imports.map((i) => `${i.module}.${i.name}`).join(', ')}`);
  process.exit(1);
}
const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
for (const name of ['malloc', 'free', 'otel_sieve_filter', 'memory', 'fbProgramArea', 'fbProgramCapacity']) {
  if (!exports.includes(name)) {
    console.error(`the Fluent Bit module lacks the export ${name}`);
    process.exit(1);
  }
}
console.log(`fluent-bit/otel-sieve-filter.wasm: ${wasm.length} bytes, no SIMD, no imports`);
