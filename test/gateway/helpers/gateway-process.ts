// `otel-sieve serve` as a user runs it: the CLI in a child process on a free loopback port
// (--listen 127.0.0.1:0), its URL read from the line it prints when ready, stopped with a signal.
// Children are registered with the runtime tests' process list, so nothing outlives the run.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { REPO, TMP } from '../../runtimes/pack.js';
import { start } from '../../runtimes/processes.js';

export interface RunningGateway {
  url: string;
  dir: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and resolves with the exit code (null if killed). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A fresh directory under test/.tmp for one gateway's config and files. */
export function gatewayDir(name: string): string {
  mkdirSync(TMP, { recursive: true });
  return mkdtempSync(join(TMP, `gateway-${name}-`));
}

export async function startGateway(options: { config?: string; dir: string; args?: string[]; timeoutMs?: number }): Promise<RunningGateway> {
  const args = [join(REPO, 'bin', 'otel-sieve.mjs'), 'serve', '--listen', '127.0.0.1:0', ...(options.args ?? [])];
  if (options.config !== undefined) {
    const path = join(options.dir, 'config.yaml');
    writeFileSync(path, options.config);
    args.push('--config', path);
  }
  const child = start(process.execPath, args, { cwd: options.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`the gateway printed no URL within ${options.timeoutMs ?? 30_000} ms\nstdout:\n${out}\nstderr:\n${err}`)), options.timeoutMs ?? 30_000);
    const check = () => {
      const m = /ready at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(deadline);
        child.stdout!.off('data', check);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(deadline);
      reject(new Error(`the gateway exited with ${code} before it was ready\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
  return {
    url,
    dir: options.dir,
    child,
    stdout: () => out,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Polls `probe` until it returns a value (bounded); the error says what was last seen. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: () => string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
