// workerd running a worker of ours against the packed package, with the machinery of the runtime
// tests (pack.ts, processes.ts): every package file is a module under node_modules/otel-sieve,
// core.wasm a `wasm` module, `otel-sieve` the file the exports map selects for workerd. Unlike the
// probe, these workers may reach 127.0.0.1 (a local upstream), through a network service that
// allows private and local addresses, and get text bindings (env).
import { existsSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { REPO, packageFiles, resolveExport } from '../../runtimes/pack.js';
import type { PackedPackage } from '../../runtimes/pack.js';
import { start, stop } from '../../runtimes/processes.js';

export const WORKERD_CONDITIONS = ['workerd', 'worker', 'browser', 'import'] as const;

export interface WorkerdHost {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export interface WorkerSpec {
  /** The main module (absolute path); its name in the bundle is its base name. */
  main: string;
  /** Other modules beside it (absolute paths), imported relatively by the main module. */
  modules?: string[];
  /** Text bindings (env.NAME). */
  bindings?: Record<string, string>;
}

function capnpString(s: string): string {
  return JSON.stringify(s);
}

export async function startWorker(pkg: PackedPackage, runDir: string, spec: WorkerSpec, timeoutMs: number): Promise<WorkerdHost> {
  const bin = join(REPO, 'node_modules', '.bin', 'workerd');
  if (!existsSync(bin)) throw new Error(`workerd is not installed (${bin} missing): run npm install`);
  const entry = resolveExport(pkg, '.', WORKERD_CONDITIONS);
  const fromRun = (p: string) => relative(runDir, p);
  const pkgName = (f: string) => `node_modules/otel-sieve/${f}`;
  writeFileSync(join(runDir, 'otel-sieve-shim.mjs'), `export * from './${pkgName(entry)}';\n`);
  const modules = [
    `(name = ${capnpString(basename(spec.main))}, esModule = embed ${capnpString(fromRun(spec.main))})`,
    ...(spec.modules ?? []).map((m) => `(name = ${capnpString(basename(m))}, esModule = embed ${capnpString(fromRun(m))})`),
    `(name = "otel-sieve", esModule = embed "otel-sieve-shim.mjs")`,
    ...packageFiles(pkg)
      .filter((f) => f.startsWith('dist/') && (f.endsWith('.js') || f.endsWith('.wasm')))
      .map((f) => `(name = "${pkgName(f)}", ${f.endsWith('.wasm') ? 'wasm' : 'esModule'} = embed "${fromRun(join(pkg.packageDir, f))}")`),
  ];
  const bindings = Object.entries(spec.bindings ?? {}).map(([name, text]) => `(name = ${capnpString(name)}, text = ${capnpString(text)})`);
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w), (name = "loopback", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [
    ${modules.join(',\n    ')}
  ],
  bindings = [ ${bindings.join(', ')} ],
  globalOutbound = "loopback",
  compatibilityDate = "2025-09-01",
);
`;
  const file = join(runDir, `workerd-${basename(spec.main)}.capnp`);
  writeFileSync(file, config);
  const child = start(bin, ['serve', file, '--control-fd=3', '--verbose'], { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let control = '';
      const timer = setTimeout(() => reject(new Error(`workerd did not listen within ${timeoutMs} ms`)), timeoutMs);
      child.on('error', (err) => reject(new Error(`could not start workerd: ${err.message}`)));
      child.on('exit', (code, signal) => reject(new Error(`workerd exited with ${code ?? signal} before listening`)));
      const ctl = child.stdio[3] as NodeJS.ReadableStream;
      ctl.setEncoding('utf8');
      ctl.on('data', (d: string) => {
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
    return { url: `http://127.0.0.1:${port}`, child, output: () => output, stop: () => stop(child) };
  } catch (err) {
    await stop(child);
    throw new Error(`${(err as Error).message}\nworkerd output:\n${output.trim().split('\n').slice(-30).join('\n')}`);
  }
}
