// A small argument parser: `--name value`, `--name=value`, repeated flags, `-` as a positional
// (stdin/stdout), `--` ending options. Unknown flags are usage errors (exit 2), never ignored.
import { UsageError } from './errors.js';

export interface FlagSpec {
  /** Takes a value (`--input F`) or is a switch (`--json`). */
  value: boolean;
  /** May be given more than once; values are collected in order. */
  repeat?: boolean;
  /** A value flag may also collect following positionals until the next flag (`--input a b c`). */
  greedy?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>, command: string): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  let i = 0;
  const push = (name: string, v: string) => {
    const s = spec[name]!;
    const list = flags.get(name) ?? [];
    if (list.length && !s.repeat && !s.greedy) throw new UsageError(`${command}: --${name} given more than once`);
    list.push(v);
    flags.set(name, list);
  };
  while (i < argv.length) {
    const a = argv[i++]!;
    if (a === '--') {
      positionals.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const s = spec[name];
      if (!s) throw new UsageError(`${command}: unknown option --${name} (see otel-sieve ${command} --help)`);
      if (!s.value) {
        if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`);
        push(name, 'true');
        continue;
      }
      if (eq >= 0) {
        push(name, a.slice(eq + 1));
      } else {
        if (i >= argv.length || (argv[i]!.startsWith('--') && argv[i] !== '--')) throw new UsageError(`${command}: --${name} needs a value`);
        push(name, argv[i++]!);
      }
      if (s.greedy) while (i < argv.length && !argv[i]!.startsWith('--')) push(name, argv[i++]!);
      continue;
    }
    if (a.startsWith('-') && a !== '-') {
      if (a === '-h') {
        push('help', 'true');
        continue;
      }
      throw new UsageError(`${command}: unknown option ${a}`);
    }
    positionals.push(a);
  }
  return { positionals, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v?.[v.length - 1];
}

export function flagList(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

export function flagInt(args: ParsedArgs, name: string, command: string, fallback: number): number {
  const v = flag(args, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new UsageError(`${command}: --${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}
