// `otel-sieve convert F… --output O`: protobuf ⇄ OTLP/JSON, for traces, logs and metrics. Several
// inputs (or JSON lines) of one signal are merged into one request for .pb/.json output —
// concatenated protobuf requests are one valid request — and written one per line for .jsonl output.
import { parseArgs, flag } from '../args.js';
import { UsageError } from '../errors.js';
import { formatFromPath, readDocuments, writeBytes } from '../io.js';
import type { FileFormat } from '../io.js';
import { decodeSignalDocument } from '../decode.js';
import { JSON_KEYS, inferSignal, parseSignal, signalOf } from '../signal.js';
import type { InputDocument } from '../io.js';
import type { Signal, SignalBatch } from '../signal.js';

export const convertHelp = `Usage: otel-sieve convert <input>… --output <file>

Converts OTLP traces, logs or metrics between protobuf (.pb) and OTLP/JSON (.json, or .jsonl with
one request per line). "-" reads stdin (format sniffed) or writes stdout.

The signal: OTLP/JSON names it in its top-level key (resourceSpans, resourceLogs, resourceMetrics).
Protobuf does not, so each file is decoded as every signal and the one whose decoder alone accepts
it (every field is validated) is used; when several do — an empty request, records with no fields —
traces is assumed, and a file no decoder accepts is reported as traces. --signal overrides the
guess. All inputs of one run must hold the same signal.

Options:
  --output <file>         where to write; the extension picks the format
  --signal <s>            traces | logs | metrics: how to read protobuf input (checked against JSON)
  --input-format <f>      pb | json | jsonl, when an input's extension does not say
  --output-format <f>     pb | json | jsonl, for --output - (default: json for protobuf input, pb otherwise)
  -h, --help              this text
`;

const SPEC = {
  output: { value: true },
  signal: { value: true },
  'input-format': { value: true },
  'output-format': { value: true },
  help: { value: false },
} as const;

export async function convert(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC, 'convert');
  if (flag(args, 'help')) {
    process.stdout.write(convertHelp);
    return 0;
  }
  const output = flag(args, 'output');
  if (!args.positionals.length) throw new UsageError('convert: no input file given (see otel-sieve convert --help)');
  if (!output) throw new UsageError('convert: --output is required');
  const inputFormat = flag(args, 'input-format');
  const given = parseSignal(flag(args, 'signal'), 'convert');
  const docs: InputDocument[] = [];
  for (const path of args.positionals) docs.push(...(await readDocuments(path, 'convert', inputFormat)));
  const signal = given ?? inferSignal(docs);
  const sawProtobuf = docs.some((d) => d.format === 'pb');
  const batches: SignalBatch[] = [];
  try {
    for (const doc of docs) batches.push(decodeSignalDocument(doc, signal));
    const outFormat: FileFormat = output === '-'
      ? formatFromPath('', 'convert', flag(args, 'output-format') ?? (sawProtobuf ? 'json' : 'pb'))
      : formatFromPath(output, 'convert', flag(args, 'output-format'));
    await writeBytes(output, encodeBatches(batches, outFormat));
    return 0;
  } finally {
    for (const b of batches) b.dispose();
  }
}

export function encodeBatches(batches: SignalBatch[], format: FileFormat, signal: Signal = batches.length ? signalOf(batches[0]!) : 'traces'): Uint8Array | string {
  if (format === 'jsonl') return batches.map((b) => JSON.stringify(b.toJSON()) + '\n').join('');
  if (format === 'json') {
    const key = JSON_KEYS[signal];
    const resources = batches.flatMap((b) => (b.toJSON() as Record<string, unknown[] | undefined>)[key] ?? []);
    return JSON.stringify(resources.length ? { [key]: resources } : {}) + '\n';
  }
  const parts = batches.map((b) => b.toProtobuf());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
