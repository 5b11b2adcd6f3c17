// `otel-sieve convert F… --output O`: protobuf ⇄ OTLP/JSON. Several inputs (or JSON lines) are
// merged into one request for .pb/.json output — concatenated protobuf requests are one valid
// request — and written one per line for .jsonl output.
import { parseArgs, flag } from '../args.js';
import { UsageError } from '../errors.js';
import { formatFromPath, readDocuments, writeBytes } from '../io.js';
import type { FileFormat } from '../io.js';
import { decodeDocument } from '../decode.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';

export const convertHelp = `Usage: otel-sieve convert <input>… --output <file>

Converts OTLP traces between protobuf (.pb) and OTLP/JSON (.json, or .jsonl with one request per
line). "-" reads stdin (format sniffed) or writes stdout.

Options:
  --output <file>         where to write; the extension picks the format
  --input-format <f>      pb | json | jsonl, when an input's extension does not say
  --output-format <f>     pb | json | jsonl, for --output - (default: json for protobuf input, pb otherwise)
  -h, --help              this text
`;

const SPEC = {
  output: { value: true },
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
  const batches: TraceBatch[] = [];
  let sawProtobuf = false;
  try {
    for (const path of args.positionals) {
      for (const doc of await readDocuments(path, 'convert', inputFormat)) {
        sawProtobuf ||= doc.format === 'pb';
        batches.push(decodeDocument(doc));
      }
    }
    const outFormat: FileFormat = output === '-'
      ? formatFromPath('', 'convert', flag(args, 'output-format') ?? (sawProtobuf ? 'json' : 'pb'))
      : formatFromPath(output, 'convert', flag(args, 'output-format'));
    await writeBytes(output, encodeBatches(batches, outFormat));
    return 0;
  } finally {
    for (const b of batches) b.dispose();
  }
}

export function encodeBatches(batches: TraceBatch[], format: FileFormat): Uint8Array | string {
  if (format === 'jsonl') return batches.map((b) => JSON.stringify(b.toJSON()) + '\n').join('');
  if (format === 'json') {
    const resourceSpans = batches.flatMap((b) => b.toJSON().resourceSpans ?? []);
    return JSON.stringify(resourceSpans.length ? { resourceSpans } : {}) + '\n';
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
