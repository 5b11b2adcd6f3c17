// `otel-sieve compile-config --config C.yaml --output P.pipeline [--base64] [--memory-limit N]`:
// compiles the traces pipelines of a collector config into a pipeline program, the form the
// bindings load (the WebAssembly Component's create(), an otelwasm plug-in's plugin_config.program)
// and PipelineProgramRunner runs. The config is validated exactly as `process` validates it.
import { readFile } from 'node:fs/promises';
import { parseArgs, flag } from '../args.js';
import { UsageError, InputError } from '../errors.js';
import { writeBytes } from '../io.js';
import { compilePipelineProgram } from '../../program/compile-program.js';
import { toBase64 } from '../../otlp/trace-json.js';

export const compileConfigHelp = `Usage: otel-sieve compile-config --config <C.yaml> --output <file> [--base64] [--memory-limit <bytes>]

Compiles the traces pipelines of an OpenTelemetry Collector config (processors and span-metrics
connectors) into a pipeline program: what the otel-sieve WebAssembly Component and collector
plug-ins run (see bindings/README.md). Every request a program runs is processed, flushed (tail
sampling decides every pending trace) and its derived metrics collected.

Options:
  --config <file>          the collector YAML config
  --output <file>          where the program goes (- for stdout)
  --base64                 write the program as base64 text (for an otelwasm plugin_config.program)
  --memory-limit <bytes>   the memory budget a binding gives its core (default: the core's, 1 GiB)
  -h, --help               this text
`;

const SPEC = {
  config: { value: true },
  output: { value: true },
  base64: { value: false },
  'memory-limit': { value: true },
  help: { value: false },
} as const;

export async function compileConfig(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC, 'compile-config');
  if (flag(args, 'help')) {
    process.stdout.write(compileConfigHelp);
    return 0;
  }
  if (args.positionals.length) throw new UsageError(`compile-config: unexpected argument "${args.positionals[0]}"`);
  const configPath = flag(args, 'config');
  const output = flag(args, 'output');
  if (!configPath) throw new UsageError('compile-config: --config is required');
  if (!output) throw new UsageError('compile-config: --output is required');
  const limitText = flag(args, 'memory-limit');
  const memoryLimit = limitText === undefined ? 0 : Number(limitText);
  if (!Number.isInteger(memoryLimit) || memoryLimit < 0 || memoryLimit > 0xffffffff) {
    throw new UsageError(`compile-config: --memory-limit must be a whole number of bytes below 4 GiB, got "${limitText}"`);
  }
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (err) {
    throw new InputError(`${configPath}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const program = compilePipelineProgram(text, { source: configPath, memoryLimit });
  await writeBytes(output, flag(args, 'base64') ? `${toBase64(program)}\n` : program);
  return 0;
}
