// workerd serving component-worker.mjs on 127.0.0.1 (the port workerd chose, read from its control
// fd), with the transpiled component's JavaScript as an ES module and its core modules as `wasm`
// modules — the only way workerd accepts WebAssembly.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { start, stop } from '../../runtimes/processes.js';
import { REPO } from '../helpers.js';

export interface ComponentWorkerd {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startComponentWorkerd(componentJs: string, runDir: string, timeoutMs: number): Promise<ComponentWorkerd> {
  const bin = join(REPO, 'node_modules', '.bin', 'workerd');
  if (!existsSync(bin)) throw new Error(`workerd is not installed (${bin} missing): run npm install`);
  mkdirSync(runDir, { recursive: true });
  const files = ['otel-sieve-processor.js', 'otel-sieve-processor.core.wasm', 'otel-sieve-processor.core2.wasm', 'otel-sieve-processor.core3.wasm'];
  for (const f of files) copyFileSync(join(componentJs, f), join(runDir, f));
  copyFileSync(join(REPO, 'test', 'bindings', 'harness', 'component-worker.mjs'), join(runDir, 'worker.mjs'));
  const modules = [
    `(name = "worker.mjs", esModule = embed "worker.mjs")`,
    ...files.map((f) => `(name = "${f}", ${f.endsWith('.wasm') ? 'wasm' : 'esModule'} = embed "${f}")`),
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
  const child = start(bin, ['serve', 'workerd.capnp', '--control-fd=3'], { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let control = '';
      const timer = setTimeout(() => reject(new Error(`workerd did not listen within ${timeoutMs} ms`)), timeoutMs);
      child.on('error', (err) => reject(new Error(`could not start workerd: ${err.message}`)));
      child.on('exit', (code, signal) => reject(new Error(`workerd exited with ${code ?? signal} before listening`)));
      const fd = child.stdio[3] as NodeJS.ReadableStream;
      fd.setEncoding('utf8');
      fd.on('data', (d: string) => {
        const lines = (control + d).split('\n');
        control = lines.pop()!;
        for (const line of lines) {
          if (!line.trim()) continue;
          const msg = JSON.parse(line) as { event: string; socket?: string; port?: number };
          if (msg.event === 'listen' && msg.socket === 'http') {
            clearTimeout(timer);
            resolve(msg.port!);
          }
        }
      });
    });
    return { url: `http://127.0.0.1:${port}`, child, stop: () => stop(child) };
  } catch (err) {
    await stop(child);
    throw new Error(`${(err as Error).message}\nworkerd output:\n${output.trim().split('\n').slice(-30).join('\n')}`);
  }
}
