// workerd serving component-worker.mjs with the transpiled component's JavaScript as an ES module
// and its core modules as `wasm` modules — the only way workerd accepts WebAssembly.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveWorkerd } from '../../runtimes/workerd-serve.js';
import type { ServedWorkerd } from '../../runtimes/workerd-serve.js';
import { REPO } from '../helpers.js';

const FILES = ['otel-sieve-processor.js', 'otel-sieve-processor.core.wasm', 'otel-sieve-processor.core2.wasm', 'otel-sieve-processor.core3.wasm'];

export async function startComponentWorkerd(componentJs: string, runDir: string, timeoutMs: number): Promise<ServedWorkerd> {
  mkdirSync(runDir, { recursive: true });
  for (const f of FILES) copyFileSync(join(componentJs, f), join(runDir, f));
  copyFileSync(join(REPO, 'test', 'bindings', 'harness', 'component-worker.mjs'), join(runDir, 'worker.mjs'));
  const modules = [
    `(name = "worker.mjs", esModule = embed "worker.mjs")`,
    ...FILES.map((f) => `(name = "${f}", ${f.endsWith('.wasm') ? 'wasm' : 'esModule'} = embed "${f}")`),
  ];
  writeFileSync(join(runDir, 'workerd.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .componentWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const componentWorker :Workerd.Worker = (
  modules = [
    ${modules.join(',\n    ')}
  ],
  compatibilityDate = "2025-09-01",
);
`);
  return serveWorkerd('workerd.capnp', runDir, timeoutMs);
}
