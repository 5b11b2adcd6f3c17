// Child processes for the runtime tests, each with a deadline. killAll() (afterAll, and process
// exit) stops whatever is still alive: a hung runtime must not outlive the run. They stay in our
// process group, so a Ctrl-C in the terminal reaches them too. (deno and workerd from npm are
// single native binaries, so killing the pid leaves nothing behind.)
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

const live = new Set<ChildProcess>();
process.once('exit', () => killAll());

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Starts a long-running process (a server); the caller stops it with stop() or killAll(). */
export function start(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  live.add(child);
  child.on('exit', () => live.delete(child));
  child.on('error', () => live.delete(child));
  return child;
}

export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => kill(child), 3000);
  await exited;
  clearTimeout(timer);
}

/** Runs a command to completion with `input` on stdin; never throws for a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = start(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      kill(child);
    }, options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${command}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin!.on('error', () => {}); // a process that dies early closes its stdin
    child.stdin!.end(options.input ?? '');
  });
}

/** run(), then the last stdout line as JSON; any failure becomes an error carrying stderr. */
export async function runJson<T>(label: string, command: string, args: string[], options: Parameters<typeof run>[2]): Promise<T> {
  const r = await run(command, args, options);
  const tail = (s: string) => s.trim().split('\n').slice(-30).join('\n');
  if (r.timedOut) throw new Error(`${label} did not finish within ${options.timeoutMs} ms\nstderr:\n${tail(r.stderr)}`);
  if (r.code !== 0) throw new Error(`${label} exited with ${r.code ?? r.signal}\nstderr:\n${tail(r.stderr)}\nstdout:\n${tail(r.stdout)}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${label} printed no JSON result\nstdout:\n${tail(r.stdout)}\nstderr:\n${tail(r.stderr)}`);
  }
}

export function killAll(): void {
  for (const child of live) kill(child);
  live.clear();
}
