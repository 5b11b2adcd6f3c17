// Builds the bindings (bindings/README.md) into build/bindings/:
//  - the WebAssembly Component (world otel-sieve:processor/pipeline-processor): the AssemblyScript
//    guest compiled with asc, its exports renamed to their component names with binaryen.js, the WIT
//    embedded with jco's JS API (the CLI's --wit cannot read files: preview2-shim starts without
//    preopens) and wrapped with componentNew; then transpiled with `jco transpile --instantiation
//    sync` (the form workerd can run: it takes a compiled core module);
//  - the otelwasm plug-ins: the main-branch pull ABI, and ABI v1 twice — host module "otelwasm"
//    (the spec) and "opentelemetry.io/wasm" (the v1 pull request's host, the Rust SDK's default).
// Every module's imports are checked against what its host provides, and a manifest lists the
// artefacts with their sizes and SHA-256.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import binaryen from 'binaryen';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'bindings');
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
const WIT = readFileSync(join(root, 'bindings', 'wit', 'processor.wit'), 'utf8');
const WORLD = 'pipeline-processor';
const IFACE = 'otel-sieve:processor/pipeline@0.1.0';

/**
 * Compiles an AssemblyScript entry of bindings/ with the core's options (bindings/asconfig.json).
 * `reactor`: export the start function as `_initialize` (WASI's reactor convention, which the
 * otelwasm host calls after instantiation) instead of a start section.
 */
function compile(entry, reactor = false) {
  const file = join(out, 'work', `${entry.replace(/\//g, '-')}.core.wasm`);
  const args = [asc, `bindings/${entry}.ts`, '--config', 'bindings/asconfig.json', '--use', `abort=bindings/${entry}/onAbort`, '-o', file];
  if (reactor) args.push('--exportStart', '_initialize');
  execFileSync(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return readFileSync(file);
}

/**
 * Rewrites a module's exports (`renames`: AssemblyScript name → final name; exports not listed
 * and not `memory` are dropped) and, optionally, the module its host imports come from.
 */
function finish(bytes, renames, importModule) {
  const mod = binaryen.readBinary(bytes);
  mod.setFeatures(binaryen.Features.All);
  for (let i = mod.getNumExports() - 1; i >= 0; i--) {
    const info = binaryen.getExportInfo(mod.getExportByIndex(i));
    if (info.kind !== binaryen.ExternalFunction) continue;
    mod.removeExport(info.name);
    if (info.name in renames) mod.addFunctionExport(info.value, renames[info.name]);
  }
  if (importModule) {
    for (let i = 0; i < mod.getNumFunctions(); i++) {
      const fn = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
      if (fn.module !== importModule.from) continue;
      mod.removeFunction(fn.name);
      mod.addFunctionImport(fn.name, importModule.to, fn.base, fn.params, fn.results);
      i = -1; // the function list changed: start over
    }
  }
  if (!mod.validate()) throw new Error('binaryen: the rewritten module does not validate');
  const result = mod.emitBinary();
  mod.dispose();
  return result;
}

/** Fails the build unless the module imports exactly `expected` (module.name) and nothing else. */
function checkImports(name, bytes, expected) {
  const got = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => `${i.module}.${i.name}`).sort();
  const want = [...expected].sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${name}: imports ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'work'), { recursive: true });
const artefacts = [];
const write = (name, bytes, what) => {
  writeFileSync(join(out, name), bytes);
  artefacts.push({ file: name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), what });
};

// ---------------------------------------------------------------------------------------------
// otelwasm plug-ins.
const WASI_CLOCK = 'wasi_snapshot_preview1.clock_time_get';
const pull = finish(compile('otelwasm/pull', true), {
  _initialize: '_initialize',
  getSupportedTelemetry: 'getSupportedTelemetry',
  processTraces: 'processTraces',
  processMetrics: 'processMetrics',
  processLogs: 'processLogs',
});
checkImports('otelwasm pull', pull, [
  WASI_CLOCK,
  ...['currentTraces', 'currentMetrics', 'currentLogs', 'setResultTraces', 'setResultMetrics', 'setResultLogs', 'getPluginConfig', 'setResultStatusReason'].map((n) => `opentelemetry.io/wasm.${n}`),
]);
write('otel-sieve-otelwasm.wasm', pull, 'otelwasm processor, main-branch (experimental, pull) ABI');

const V1_EXPORTS = {
  _initialize: '_initialize',
  ...Object.fromEntries(
    ['abi_version_0_1_0', 'memory_allocate', 'get_supported_telemetry', 'start', 'shutdown', 'consume_traces', 'consume_metrics', 'consume_logs'].map((n) => [`otelwasm_${n}`, `otelwasm_${n}`]),
  ),
};
const V1_IMPORTS = ['otelwasm_set_result_traces', 'otelwasm_get_plugin_config', 'otelwasm_set_status_reason'];
const v1Core = compile('otelwasm/v1', true);
const v1 = finish(v1Core, V1_EXPORTS);
checkImports('otelwasm v1', v1, [WASI_CLOCK, ...V1_IMPORTS.map((n) => `otelwasm.${n}`)]);
write('otel-sieve-otelwasm-v1.wasm', v1, 'otelwasm processor, ABI v1 (push), host module "otelwasm" (docs/abi/v1.md)');
const v1Legacy = finish(v1Core, V1_EXPORTS, { from: 'otelwasm', to: 'opentelemetry.io/wasm' });
checkImports('otelwasm v1 (opentelemetry.io/wasm)', v1Legacy, [WASI_CLOCK, ...V1_IMPORTS.map((n) => `opentelemetry.io/wasm.${n}`)]);
write('otel-sieve-otelwasm-v1-opentelemetry-io.wasm', v1Legacy, 'otelwasm processor, ABI v1 (push), host module "opentelemetry.io/wasm" (PR #85 host, Rust SDK default)');

// ---------------------------------------------------------------------------------------------
// The component.
const { componentEmbed, componentNew, componentWit, transpile } = await import('@bytecodealliance/jco');
const guest = finish(compile('component/guest'), {
  cabi_realloc: 'cabi_realloc',
  create: `${IFACE}#[static]processor.create`,
  process: `${IFACE}#[method]processor.process`,
  dtor: `${IFACE}#[dtor]processor`,
});
checkImports('component core module', guest, [`[export]${IFACE}.[resource-new]processor`]);
const embedded = await componentEmbed({ binary: guest, witSource: WIT, world: WORLD, stringEncoding: 'utf8' });
const component = await componentNew(embedded);
// Reading the WIT back out parses and validates the whole component.
const wit = await componentWit(component);
if (!wit.includes(`export ${IFACE};`)) throw new Error(`the component does not export ${IFACE}:\n${wit}`);
write('otel-sieve-processor.component.wasm', component, `WebAssembly Component, world otel-sieve:processor/${WORLD}`);
write('processor.wit', Buffer.from(WIT), 'the WIT package of the component');

const { files } = await transpile(component, { name: 'otel-sieve-processor', instantiation: 'sync', noTypescript: false, quiet: true });
for (const [name, bytes] of Object.entries(files)) {
  const file = join(out, 'component-js', name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

writeFileSync(join(out, 'manifest.json'), JSON.stringify({ artefacts }, null, 2) + '\n');
for (const a of artefacts) console.log(`${a.file.padEnd(48)} ${String(a.bytes).padStart(8)} B  ${a.what}`);
console.log(`component-js/: jco transpile --instantiation sync (${Object.keys(files).join(', ')})`);
