// The otel-sieve command line. Each command lives in commands/ and is loaded on demand so that
// `--help` and small commands start fast. Exit codes: 0 ok, 1 runtime failure, 2 bad input or usage.
import { UsageError, InputError } from './errors.js';
import { OtlpDecodeError, InputTooLargeError } from '../core/errors.js';
import { OtlpJsonError } from '../otlp/json/otlp-json-error.js';
import { init } from '../core/init.js';

const HELP = `otel-sieve — OpenTelemetry Collector processors and Tempo's TraceQL, in WebAssembly

Usage: otel-sieve <command> [options]

Commands:
  convert <input>… --output <file>     protobuf ⇄ OTLP/JSON
  demo                                 generate traffic, keep errors and slow spans, write them
  bench [--json]                       benchmarks with baselines, ratios included
  query '<traceql>' --input <file>…    TraceQL search or metrics query (Tempo's JSON responses)
  process --config C --input F… --output O   run a collector config's pipelines (traces, logs, metrics)
  compile-config --config C --output P  compile it into a pipeline program (for the bindings)
  fluent-bit --config C --output F.wasm      bake a logs pipeline into a Fluent Bit filter module
  serve [--config C] [--listen H:P] [--demo]   the OTLP gateway: pipelines, /metrics, Tempo's API, a page
  help [command]                       help for a command

Inputs are OTLP files: .pb (protobuf Export*ServiceRequest), .json (OTLP/JSON), .jsonl (one request
per line), or - for stdin. Exit codes: 0 ok, 1 runtime failure, 2 bad input or usage.
Run "otel-sieve <command> --help" for a command's options.
`;

type Command = { run: (argv: string[]) => Promise<number>; help: () => Promise<string> };

const COMMANDS: Record<string, Command> = {
  convert: {
    run: async (argv) => (await import('./commands/convert.js')).convert(argv),
    help: async () => (await import('./commands/convert.js')).convertHelp,
  },
  demo: {
    run: async (argv) => (await import('./commands/demo.js')).demo(argv),
    help: async () => (await import('./commands/demo.js')).demoHelp,
  },
  bench: {
    run: async (argv) => (await import('./commands/bench.js')).bench(argv),
    help: async () => (await import('./commands/bench.js')).benchHelp,
  },
  query: {
    run: async (argv) => (await import('./commands/query.js')).query(argv),
    help: async () => (await import('./commands/query.js')).queryHelp,
  },
  process: {
    run: async (argv) => (await import('./commands/process.js')).processCommand(argv),
    help: async () => (await import('./commands/process.js')).processHelp,
  },
  'compile-config': {
    run: async (argv) => (await import('./commands/compile-config.js')).compileConfig(argv),
    help: async () => (await import('./commands/compile-config.js')).compileConfigHelp,
  },
  'fluent-bit': {
    run: async (argv) => (await import('./commands/fluent-bit.js')).fluentBit(argv),
    help: async () => (await import('./commands/fluent-bit.js')).fluentBitHelp,
  },
  serve: {
    run: async (argv) => (await import('./commands/serve.js')).serve(argv),
    help: async () => (await import('./commands/serve.js')).serveHelp,
  },
};

/** Errors caused by the input or the command line: exit 2 with the message alone. */
function isInputError(err: unknown): err is Error {
  return err instanceof UsageError || err instanceof InputError || err instanceof OtlpDecodeError || err instanceof InputTooLargeError || err instanceof OtlpJsonError
    || (err instanceof Error && (err as { exitCode?: number }).exitCode === 2);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write('otel-sieve 0.1.0\n');
    return 0;
  }
  if (name === 'help') {
    const target = rest[0] ? COMMANDS[rest[0]] : undefined;
    process.stdout.write(target ? await target.help() : HELP);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`otel-sieve: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    await init();
    return await command.run(rest);
  } catch (err) {
    if (isInputError(err)) {
      process.stderr.write(`otel-sieve ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`otel-sieve ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
