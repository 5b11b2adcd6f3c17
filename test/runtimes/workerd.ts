// workerd serving harness/worker.mjs on 127.0.0.1 (port chosen by workerd, reported on the control
// fd). workerd reads no package.json: the config declares every file of the packed package as a
// module under its node_modules path, core.wasm as a `wasm` module (workerd refuses to compile
// bytes, so only this path works), and a module named `otel-sieve` re-exporting the file the
// exports map selects for the conditions wrangler uses — what a no-bundle deploy amounts to.
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { REPO, packageFiles, resolveExport } from './pack.js';
import type { PackedPackage } from './pack.js';
import { start, stop } from './processes.js';

export const WORKERD_CONDITIONS = ['workerd', 'worker', 'browser', 'import'] as const;

export interface Workerd {
  url: string;
  /** The package file `otel-sieve` resolved to. */
  entry: string;
  child: ChildProcess;
  stderr(): string;
}

function writeConfig(pkg: PackedPackage, runDir: string, entry: string): string {
  const fromRun = (p: string) => relative(runDir, p);
  const pkgName = (f: string) => `node_modules/otel-sieve/${f}`;
  writeFileSync(join(runDir, 'otel-sieve-shim.mjs'), `export * from './${pkgName(entry)}';\n`);
  const modules = [
    // At the root of the bundle: workerd resolves a bare specifier like a relative one, against the
    // importing module's name, so `otel-sieve` from "worker.mjs" is the module "otel-sieve".
    `(name = "worker.mjs", esModule = embed "harness/worker.mjs")`,
    `(name = "probe.mjs", esModule = embed "harness/probe.mjs")`,
    `(name = "otel-sieve", esModule = embed "otel-sieve-shim.mjs")`,
    ...packageFiles(pkg)
      .filter((f) => f.startsWith('dist/') && (f.endsWith('.js') || f.endsWith('.wasm')))
      .map((f) => `(name = "${pkgName(f)}", ${f.endsWith('.wasm') ? 'wasm' : 'esModule'} = embed "${fromRun(join(pkg.packageDir, f))}")`),
  ];
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .probeWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const probeWorker :Workerd.Worker = (
  modules = [
    ${modules.join(',\n    ')}
  ],
  compatibilityDate = "2025-09-01",
);
`;
  const file = join(runDir, 'workerd.capnp');
  writeFileSync(file, config);
  return file;
}

export async function startWorkerd(pkg: PackedPackage, runDir: string, timeoutMs: number): Promise<Workerd> {
  const bin = join(REPO, 'node_modules', '.bin', 'workerd');
  if (!existsSync(bin)) throw new Error(`workerd is not installed (${bin} missing): run npm install`);
  const entry = resolveExport(pkg, '.', WORKERD_CONDITIONS);
  const config = writeConfig(pkg, runDir, entry);
  const child = start(bin, ['serve', config, '--control-fd=3'], { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let control = '';
      const timer = setTimeout(() => reject(new Error(`workerd did not listen within ${timeoutMs} ms`)), timeoutMs);
      child.on('error', (err) => reject(new Error(`could not start workerd: ${err.message}`)));
      child.on('exit', (code, signal) => reject(new Error(`workerd exited with ${code ?? signal} before listening`)));
      (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: string) => {
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
    return { url: `http://127.0.0.1:${port}`, entry, child, stderr: () => stderr };
  } catch (err) {
    await stop(child);
    throw new Error(`${(err as Error).message}\nworkerd output:\n${stderr.trim().split('\n').slice(-30).join('\n')}`);
  }
}
