// Runs the built CLI (bin/otel-sieve.mjs) as a user would, capturing exit code and output.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/otel-sieve.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export function runCli(args: string[], options: { input?: Uint8Array | string; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: options.input, cwd: options.cwd, maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), stdoutBytes: r.stdout };
}
