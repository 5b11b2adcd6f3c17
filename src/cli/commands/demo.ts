// `otel-sieve demo`: the whole core path on built-in data, for a first look. It generates realistic
// microservice traffic (the bench corpus generator), indexes every request, keeps error spans and
// slow spans, writes what was kept as OTLP protobuf and JSON, and prints what it did.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as L from '../../../assembly/abi/trace-layout.js';
import { TraceBatch } from '../../otlp/trace-batch.js';
import { getCore, memoryStats } from '../../core/init.js';
import { TraceCorpusGenerator } from '../../../bench/corpus.js';
import { parseArgs, flag, flagInt } from '../args.js';
import { writeBytes } from '../io.js';
import { encodeBatches } from './convert.js';

export const demoHelp = `Usage: otel-sieve demo [--requests <n>] [--slow-ms <ms>] [--out <dir>]

Generates realistic traffic from 10 services (512-span OTLP requests), keeps error spans and spans
slower than --slow-ms, and writes the kept spans to <dir>/demo-kept.pb and <dir>/demo-kept.json.

Options:
  --requests <n>   requests to generate (default 200, about 100 000 spans)
  --slow-ms <ms>   a span at least this long is kept (default 250)
  --out <dir>      output directory (default ./otel-sieve-data)
  -h, --help       this text
`;

const SPEC = { requests: { value: true }, 'slow-ms': { value: true }, out: { value: true }, help: { value: false } } as const;

export async function demo(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC, 'demo');
  if (flag(args, 'help')) {
    process.stdout.write(demoHelp);
    return 0;
  }
  const requests = flagInt(args, 'requests', 'demo', 200);
  const slowNanos = flagInt(args, 'slow-ms', 'demo', 250) * 1e6;
  const out = flag(args, 'out') ?? 'otel-sieve-data';
  const generator = new TraceCorpusGenerator({ seed: 42 });
  const inputs = Array.from({ length: requests }, () => generator.nextRequest());
  const bytesIn = inputs.reduce((n, r) => n + r.length, 0);

  const started = performance.now();
  let spansIn = 0;
  let errors = 0;
  let slow = 0;
  const kept: TraceBatch[] = [];
  for (const bytes of inputs) {
    const batch = TraceBatch.fromProtobuf(bytes, { source: 'generated request' });
    const n = batch.spanCount;
    spansIn += n;
    // The decision reads the span table directly: status and times, no object per span.
    const dv = getCore().dv;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const row = batch.spanRow(i);
      const isError = dv.getInt32(row + L.SP_STATUS_CODE, true) === 2;
      const duration = (dv.getUint32(row + L.SP_END + 4, true) - dv.getUint32(row + L.SP_START + 4, true)) * 4294967296
        + (dv.getUint32(row + L.SP_END, true) - dv.getUint32(row + L.SP_START, true));
      const isSlow = duration >= slowNanos;
      if (isError) errors++;
      else if (isSlow) slow++;
      mask[i] = isError || isSlow ? 1 : 0;
    }
    kept.push(batch.select(mask));
    batch.dispose();
  }
  const elapsed = performance.now() - started;
  const spansKept = kept.reduce((n, b) => n + b.spanCount, 0);
  const protobuf = encodeBatches(kept, 'pb') as Uint8Array;
  const json = encodeBatches(kept, 'json');
  await mkdir(out, { recursive: true });
  await writeBytes(join(out, 'demo-kept.pb'), protobuf);
  await writeBytes(join(out, 'demo-kept.json'), json);
  const services = new Map<string, number>();
  for (const b of kept) {
    for (const s of b) {
      const name = s.resource.attribute('service.name');
      const key = name?.type === 'string' ? name.value : '(unknown)';
      services.set(key, (services.get(key) ?? 0) + 1);
    }
  }
  const mem = memoryStats();
  for (const b of kept) b.dispose();
  const lines = [
    `generated ${requests} OTLP requests: ${spansIn} spans, ${(bytesIn / 1e6).toFixed(1)} MB of protobuf`,
    `indexed and filtered in ${elapsed.toFixed(0)} ms: ${(spansIn / elapsed / 1000).toFixed(2)} M spans/s, ${(bytesIn / elapsed / 1000).toFixed(0)} MB/s`,
    `kept ${spansKept} spans (${((spansKept / spansIn) * 100).toFixed(1)}%): ${errors} with status ERROR, ${slow} more slower than ${slowNanos / 1e6} ms`,
    `kept spans by service: ${[...services].sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s} ${n}`).join(', ')}`,
    `wrote ${join(out, 'demo-kept.pb')} (${protobuf.length} bytes) and ${join(out, 'demo-kept.json')} (${json.length} bytes)`,
    `core memory: ${(mem.used / 1e6).toFixed(1)} MB in use, peak ${(mem.peak / 1e6).toFixed(1)} MB (limit ${(mem.limit / 2 ** 30).toFixed(0)} GiB)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
