// `otel-sieve query '<traceql>' --input F…`: runs a TraceQL search (Tempo's search response JSON)
// or metrics query (Tempo's query_range JSON) over OTLP files. All inputs form one pool of spans:
// a trace split across files is evaluated as one trace.
import { parseArgs, flag, flagList, flagInt } from '../args.js';
import { UsageError } from '../errors.js';
import { readDocuments } from '../io.js';
import { decodeDocument } from '../decode.js';
import { compile } from '../../traceql/query.js';
import { parseDurationText } from '../../traceql/duration.js';
import type { TraceBatch } from '../../otlp/trace-batch.js';
import * as L from '../../../assembly/abi/trace-layout.js';

export const queryHelp = `Usage: otel-sieve query '<traceql>' --input <file>… [options]

Runs a TraceQL query over OTLP trace files (.pb, .json, .jsonl, - for stdin) and prints Tempo's
search response JSON, or for a metrics query ({ … } | rate() …) Tempo's query_range JSON.

Options:
  --input <file>…     input files (several allowed; together they are one set of traces)
  --spss <n>          spans per spanset (default 3; 0 = all)
  --limit <n>         traces returned, newest first (default 20; 0 = all)
  --start <t>         metrics: range start: RFC 3339, unix seconds, or unix nanoseconds
                      (default: the earliest span start)
  --end <t>           metrics: range end, exclusive (default: just after the latest span start)
  --step <d>          metrics: interval, a duration like 30s or 1m (default: one interval)
  -h, --help          this text

A query that does not parse or validate exits 2 with "line L, column C: reason" on stderr.
`;

const SPEC = {
  input: { value: true, greedy: true, repeat: true },
  spss: { value: true },
  limit: { value: true },
  start: { value: true },
  end: { value: true },
  step: { value: true },
  help: { value: false },
} as const;

/** A time as nanoseconds: RFC 3339, unix seconds (up to 12 digits, fractions allowed) or nanoseconds. */
export function parseTime(text: string, name: string): bigint {
  if (/^\d+$/.test(text)) return text.length > 12 ? BigInt(text) : BigInt(text) * 1_000_000_000n;
  if (/^\d+\.\d+$/.test(text)) return BigInt(Math.round(Number(text) * 1e9));
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`query: --${name} "${text}" is not a time (RFC 3339, unix seconds or unix nanoseconds)`);
  const frac = /\.(\d+)/.exec(text)?.[1] ?? '';
  const extraNs = frac.length > 3 ? BigInt(frac.slice(3, 9).padEnd(6, '0')) : 0n;
  return BigInt(ms) * 1_000_000n + extraNs;
}

function spanStarts(batches: TraceBatch[]): { min: bigint; max: bigint } | null {
  let min: bigint | null = null;
  let max: bigint | null = null;
  for (const b of batches) {
    for (let i = 0; i < b.spanCount; i++) {
      const dv = b.core.dv;
      const s = dv.getBigUint64(b.spanRow(i) + L.SP_START, true);
      if (min === null || s < min) min = s;
      if (max === null || s > max) max = s;
    }
  }
  return min === null || max === null ? null : { min, max };
}

export async function query(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC, 'query');
  if (flag(args, 'help')) {
    process.stdout.write(queryHelp);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('query: give exactly one TraceQL query (quote it) and the files with --input');
  const inputs = flagList(args, 'input');
  if (!inputs.length) throw new UsageError('query: --input is required');
  const compiled = compile(args.positionals[0]!);
  const batches: TraceBatch[] = [];
  try {
    for (const path of inputs) {
      for (const doc of await readDocuments(path, 'query')) batches.push(decodeDocument(doc));
    }
    let out: unknown;
    if (compiled.kind === 'search') {
      out = batches.length ? compiled.search(batches, { spss: flagInt(args, 'spss', 'query', 3), limit: flagInt(args, 'limit', 'query', 20) }) : { traces: [] };
    } else {
      const range = spanStarts(batches);
      const startText = flag(args, 'start');
      const endText = flag(args, 'end');
      const stepText = flag(args, 'step');
      const start = startText ? parseTime(startText, 'start') : range?.min;
      const end = endText ? parseTime(endText, 'end') : range ? range.max + 1n : undefined;
      let step: bigint | undefined;
      if (stepText) {
        step = /^\d+$/.test(stepText) ? BigInt(stepText) * 1_000_000_000n : parseDurationText(stepText);
        if (!step) throw new UsageError(`query: --step "${stepText}" is not a duration (e.g. 30s, 1m)`);
      }
      out = start === undefined || end === undefined || !batches.length ? { series: [] } : compiled.metrics(batches, { start, end, step });
    }
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  } finally {
    for (const b of batches) b.dispose();
  }
}
