// `otel-sieve fluent-bit --config C.yaml --output filter.wasm`: bakes the logs pipeline of a
// collector config into otel-sieve's Fluent Bit filter module (built without SIMD, no imports),
// for Fluent Bit's `filter_wasm` plugin with `event_format json` and `function_name otel_sieve_filter`.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, flag } from '../args.js';
import { UsageError, InputError } from '../errors.js';
import { bakeFluentBitFilter } from '../../fluent-bit/bake-filter.js';

export const fluentBitHelp = `Usage: otel-sieve fluent-bit --config <C.yaml> --output <filter.wasm> [options]

Writes a Fluent Bit filter_wasm module that runs the logs pipeline of a collector config on every
record: redaction, attributes, filter and probabilistic_sampler (batch and memory_limiter are left to
Fluent Bit). Each record's keys are the log record's attributes, the body key its body, the tag the
resource attribute fluentbit.tag. In Fluent Bit:

  [FILTER]
      Name           wasm
      Match          *
      WASM_Path      filter.wasm
      Function_Name  otel_sieve_filter
      Event_Format   json

Options:
  --config <file>          the collector YAML config (one logs pipeline, or choose with --pipeline)
  --output <file>          the module to write
  --pipeline <id>          logs or logs/<name>
  --body-key <key>         the record key holding the log body (default log; "" for none)
  --on-error <drop|keep>   records that are not JSON objects, too large, or fail (default drop)
  --max-record-bytes <n>   largest record processed (default 16777216)
  --memory-limit <n>       bytes the module's core may hold (default 67108864)
  -h, --help               this text
`;

const SPEC = {
  config: { value: true },
  output: { value: true },
  pipeline: { value: true },
  'body-key': { value: true },
  'on-error': { value: true },
  'max-record-bytes': { value: true },
  'memory-limit': { value: true },
  help: { value: false },
} as const;

function count(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`fluent-bit: --${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

export async function fluentBit(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC, 'fluent-bit');
  if (flag(args, 'help')) {
    process.stdout.write(fluentBitHelp);
    return 0;
  }
  const configPath = flag(args, 'config');
  const output = flag(args, 'output');
  if (!configPath) throw new UsageError('fluent-bit: --config is required');
  if (!output) throw new UsageError('fluent-bit: --output is required');
  const onError = flag(args, 'on-error');
  if (onError !== undefined && onError !== 'drop' && onError !== 'keep') throw new UsageError(`fluent-bit: --on-error must be drop or keep, got ${JSON.stringify(onError)}`);
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (err) {
    throw new InputError(`${configPath}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const basePath = fileURLToPath(new URL('../../../fluent-bit/otel-sieve-filter.wasm', import.meta.url));
  let base: Uint8Array;
  try {
    base = await readFile(basePath);
  } catch {
    throw new Error(`${basePath}: the Fluent Bit base module is missing (build it with npm run build:fluent-bit)`);
  }
  const baked = bakeFluentBitFilter(base, text, {
    source: configPath,
    pipeline: flag(args, 'pipeline'),
    bodyKey: flag(args, 'body-key'),
    onError: onError as 'drop' | 'keep' | undefined,
    maxRecordBytes: count(flag(args, 'max-record-bytes'), 'max-record-bytes'),
    memoryLimit: count(flag(args, 'memory-limit'), 'memory-limit'),
  });
  await writeFile(output, baked.wasm);
  process.stderr.write(`${output}: ${baked.wasm.length} bytes; processors ${baked.steps.join(', ') || '(none)'}${baked.skipped.length ? `; left to Fluent Bit: ${baked.skipped.join(', ')}` : ''}\n`);
  return 0;
}
