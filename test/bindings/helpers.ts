// Shared by the binding tests: the reference outputs (the facade's TypeScript Pipeline), digests
// that make a mismatch readable, and the built bindings (npm run build:bindings), rebuilt when a
// source is newer than the build — under a lock, since test files run in parallel.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pipeline, TraceBatch, encodeMetricsProtobuf } from 'otel-sieve';
import type { DecodeOptions } from 'otel-sieve';
import { drain } from '../helpers/pipeline.js';
import type { BindingInput } from './cases.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BINDINGS = join(REPO, 'build', 'bindings');

export interface RunOutput {
  readonly traces: Uint8Array;
  readonly metrics: Uint8Array;
}

/** What the facade's Pipeline gives for each request: process, flush, metrics — as a binding run does. */
export function referenceRun(config: object, inputs: readonly BindingInput[], decode: DecodeOptions = {}): RunOutput[] {
  const pipeline = Pipeline.fromConfig(config);
  try {
    return inputs.map(({ bytes, now }) => {
      const out = pipeline.process(TraceBatch.fromProtobuf(bytes, { ...decode, allowEmpty: true }), now);
      out.push(...pipeline.flush(now));
      return { traces: drain(out), metrics: encodeMetricsProtobuf(pipeline.metrics(now)) };
    });
  } finally {
    pipeline.shutdown();
  }
}

/** A request's outcome: the output, or the message of the error the request failed with. */
export type RunOutcome = RunOutput | { readonly error: string };

/**
 * referenceRun for a config whose processors may fail a request (a filter under error_mode
 * propagate): per request, what the Pipeline gives or the message it throws; it goes on with the
 * next request either way, as a binding does.
 */
export function referenceOutcomes(config: object, inputs: readonly BindingInput[]): RunOutcome[] {
  const pipeline = Pipeline.fromConfig(config);
  try {
    return inputs.map(({ bytes, now }): RunOutcome => {
      try {
        const out = pipeline.process(TraceBatch.fromProtobuf(bytes, { allowEmpty: true }), now);
        out.push(...pipeline.flush(now));
        return { traces: drain(out), metrics: encodeMetricsProtobuf(pipeline.metrics(now)) };
      } catch (err) {
        return { error: (err as Error).message };
      }
    });
  } finally {
    pipeline.shutdown();
  }
}

/** Outcomes as digests or error messages, named per request (readable when they differ). */
export function outcomeDigests(inputs: readonly BindingInput[], outcomes: readonly RunOutcome[]): string[] {
  return outcomes.map((o, i) => ('error' in o ? `${inputs[i]!.name}: error ${o.error}` : digests([inputs[i]!], [o])[0]!));
}

/** The facade's decode error for a request (the message every binding must report). */
export function referenceDecodeError(bytes: Uint8Array): string {
  try {
    TraceBatch.fromProtobuf(bytes, { allowEmpty: true }).dispose();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the request decodes: not a malformed input');
}

function digest(bytes: Uint8Array): string {
  return `${bytes.length} B ${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
}

/** Per request: length and hash of both outputs, named, so a mismatch says which request and which output. */
export function digests(inputs: readonly BindingInput[], outputs: readonly RunOutput[]): string[] {
  return outputs.map((o, i) => `${inputs[i]!.name}: traces ${digest(o.traces)}, metrics ${digest(o.metrics)}`);
}

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

function stale(): boolean {
  const manifest = join(BINDINGS, 'manifest.json');
  if (!existsSync(manifest)) return true;
  const sources = Math.max(newest(join(REPO, 'assembly')), newest(join(REPO, 'bindings')), statSync(join(REPO, 'scripts', 'build-bindings.mjs')).mtimeMs);
  return statSync(manifest).mtimeMs < sources;
}

/** Makes sure build/bindings is current (builds it once, whichever test file gets here first). */
export async function ensureBindings(): Promise<void> {
  const lock = join(REPO, 'build', 'bindings.lock');
  mkdirSync(join(REPO, 'build'), { recursive: true });
  for (;;) {
    if (!stale()) return;
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is building: wait for it (a lock older than a build can take was left
      // by a run that died, and is taken over).
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (stale()) execFileSync(process.execPath, [join(REPO, 'scripts', 'build-bindings.mjs')], { cwd: REPO, stdio: 'pipe' });
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
