// Starts `workerd serve <config>` and waits until its http socket listens on the port workerd
// chose (reported as JSON lines on the control fd): the part every workerd harness shares.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { REPO } from './pack.js';
import { start, stop } from './processes.js';

export interface ServedWorkerd {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Serves `config` (a capnp file, relative to `cwd` or absolute) on the socket named `http`. */
export async function serveWorkerd(config: string, cwd: string, timeoutMs: number, extraArgs: string[] = []): Promise<ServedWorkerd> {
  const bin = join(REPO, 'node_modules', '.bin', 'workerd');
  if (!existsSync(bin)) throw new Error(`workerd is not installed (${bin} missing): run npm install`);
  const child = start(bin, ['serve', config, '--control-fd=3', ...extraArgs], { cwd, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
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
