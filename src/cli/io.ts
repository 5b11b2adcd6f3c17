// Reading OTLP files and writing results for the CLI. Format by extension: `.pb` protobuf
// (one Export*ServiceRequest), `.json` OTLP/JSON, `.jsonl` one request per line; `-` is stdin or
// stdout, whose format is sniffed (input) or given by the command (output).
import { readFile, writeFile } from 'node:fs/promises';
import { UsageError, InputError } from './errors.js';

export type FileFormat = 'pb' | 'json' | 'jsonl';

export function formatFromPath(path: string, command: string, override?: string): FileFormat {
  if (override) {
    if (override === 'pb' || override === 'json' || override === 'jsonl') return override;
    throw new UsageError(`${command}: unknown format "${override}" (expected pb, json or jsonl)`);
  }
  const lower = path.toLowerCase();
  if (lower.endsWith('.pb') || lower.endsWith('.binpb') || lower.endsWith('.proto.bin')) return 'pb';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  throw new UsageError(`${command}: cannot tell the format of "${path}" from its extension (use .pb, .json or .jsonl)`);
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks);
}

export async function readBytes(path: string): Promise<Uint8Array> {
  if (path === '-') return readStdin();
  try {
    return await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`${path}: cannot read (${e.code ?? e.message})`);
  }
}

/** Guesses the format of stdin: JSON starts with `{` after whitespace; several lines of it are JSON lines. */
export function sniffFormat(bytes: Uint8Array): FileFormat {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] !== 0x7b) return 'pb';
  const text = new TextDecoder().decode(bytes).trim();
  return /}\s*\n\s*{/.test(text) ? 'jsonl' : 'json';
}

/** One OTLP request read from an input: a whole .pb/.json file, or one line of a .jsonl file. */
export interface InputDocument {
  /** File name, plus `:N` for line N of a .jsonl file; used as the prefix of error messages. */
  source: string;
  format: 'pb' | 'json';
  bytes: Uint8Array;
  /** For JSON lines: the 1-based line in the file (errors report file positions). */
  line?: number;
}

export async function readDocuments(path: string, command: string, formatOverride?: string): Promise<InputDocument[]> {
  const bytes = await readBytes(path);
  const name = path === '-' ? '<stdin>' : path;
  const format = path === '-' && !formatOverride ? sniffFormat(bytes) : formatFromPath(path, command, formatOverride);
  if (format !== 'jsonl') return [{ source: name, format, bytes }];
  const docs: InputDocument[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const slice = bytes.subarray(start, i);
      if (new TextDecoder().decode(slice).trim()) docs.push({ source: `${name}:${line}`, format: 'json', bytes: slice, line });
      start = i + 1;
      line++;
    }
  }
  return docs;
}

export async function writeBytes(path: string, data: Uint8Array | string): Promise<void> {
  if (path === '-') {
    await new Promise<void>((resolve, reject) => process.stdout.write(data, (err) => (err ? reject(err) : resolve())));
    return;
  }
  try {
    await writeFile(path, data);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`${path}: cannot write (${e.code ?? e.message})`);
  }
}
